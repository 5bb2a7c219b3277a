"""The benchmark scripts still run: each once with --quick on tiny sizes, so they cannot rot.

Marked `bench` (under a minute together); deselect with `-m "not bench"`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("script", ["bench_mentions.py", "bench_run.py", "bench_russian.py"])
def test_help_shows_an_example(script: str) -> None:
    assert "Example: python bench/" in run_script(str(BENCH / script), "--help").stdout


def test_bench_mentions_quick_table() -> None:
    lines = run_script(str(BENCH / "bench_mentions.py"), "--quick").stdout.splitlines()
    assert lines[0].startswith("6 articles, ")
    assert lines[1].split() == ["phase", "load", "s", "run", "s", "articles/s", "peak", "RSS", "MB"]
    assert lines[2].startswith("bare nlp.pipe (full model)")
    assert lines[3].startswith("our mentions stage")
    assert all(float(cell) > 0 for line in lines[2:4] for cell in line.split()[-4:])
    assert lines[4].startswith("ratio ours / bare (articles/s): ")


def test_bench_run_quick_json() -> None:
    result = json.loads(run_script(str(BENCH / "bench_run.py"), "--quick", "--json").stdout)
    assert [(run["articles"], run["jobs"]) for run in result["runs"]] == [(3, 1), (3, 2), (6, 1), (6, 2)]
    assert all(run["articles_per_s"] > 0 and run["peak_rss_mb"] > 0 for run in result["runs"])
    assert result["bare"]["articles"] == 6
    assert result["ratio_at_largest"]["1"] == pytest.approx(
        result["runs"][2]["articles_per_s"] / result["bare"]["articles_per_s"])
    assert set(result["ratio_at_largest"]) == {"1", "2"}


def test_bench_russian_quick_table() -> None:
    lines = run_script(str(BENCH / "bench_russian.py"), "--quick").stdout.splitlines()
    assert lines[0].startswith("6 Russian articles, ")
    assert lines[2].startswith("bare natasha pipeline")
    assert lines[3].startswith("our Russian mentions")
    assert all(float(cell) > 0 for line in lines[2:4] for cell in line.split()[-4:])
    assert lines[4].startswith("ratio ours / bare (articles/s): ")
