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


@pytest.mark.parametrize("script", [
    "bench_mentions.py", "bench_run.py", "bench_russian.py", "bench_status.py"])
def test_help_shows_an_example(script: str) -> None:
    assert "Example: python bench/" in run_script(str(BENCH / script), "--help").stdout


def test_bench_mentions_quick_table() -> None:
    lines = run_script(str(BENCH / "bench_mentions.py"), "--quick").stdout.splitlines()
    assert lines[0].startswith("6 articles at most, ")
    assert lines[1].split() == [
        "size",
        "phase",
        "load",
        "s",
        "run",
        "s",
        "articles/s",
        "CPU",
        "s",
        "others",
        "CPU",
        "s",
        "peak",
        "RSS",
        "MB",
    ]
    rows = lines[2:7]
    assert [row.split()[0] for row in rows] == ["6"] * 5
    assert "bare nlp.pipe, batch 8" in rows[0] and "bare nlp.pipe, batch 32" in rows[1]
    assert sum("(best)" in row for row in rows[:2]) == 1
    assert "bare, NumPy BLAS as ours, batch " in rows[2]
    assert "our mentions stage (analyze)" in rows[3] and "extract mentions -o, wall to wall" in rows[4]
    assert all(float(cell) > 0 for row in rows for cell in row.split()[-4:-2] + row.split()[-1:])
    assert lines[7].startswith("ratio ours / best bare")
    assert lines[8].split()[0] == "6" and "× at best batch " in lines[8] and "parser ran on " in lines[8]
    assert "against bare with our BLAS" in lines[8]


def test_bench_mentions_quick_json() -> None:
    result = json.loads(run_script(str(BENCH / "bench_mentions.py"), "--quick", "--json").stdout)
    (entry,) = result["sizes"]
    assert [phase["batch_size"] for phase in entry["bare"]] == [8, 32]
    assert all(phase["articles"] == 6 and "parser" in phase["pipes"] for phase in entry["bare"])
    best = next(phase for phase in entry["bare"] if phase["batch_size"] == entry["best_bare_batch_size"])
    assert best["articles_per_s"] == max(phase["articles_per_s"] for phase in entry["bare"])
    assert entry["ratio"] == pytest.approx(entry["ours"]["articles_per_s"] / best["articles_per_s"])
    fewest = min(phase["run_cpu_s"] for phase in entry["bare"])
    assert entry["cpu_ratio"] == pytest.approx(fewest / entry["ours"]["run_cpu_s"])
    # the like-for-like line: the full model with our BLAS, at the batch size that used the least CPU
    same = entry["bare_same_blas"]
    assert same["blas"] == "numpy" and "parser" in same["pipes"]
    assert same["batch_size"] == min(entry["bare"], key=lambda phase: phase["run_cpu_s"])["batch_size"]
    assert entry["same_blas_cpu_ratio"] == pytest.approx(same["run_cpu_s"] / entry["ours"]["run_cpu_s"])
    # Our stage ran the parser on some sentences of these articles, not on none and not on all.
    assert 0 < entry["ours"]["parsed_sentences"] < entry["ours"]["sentences"]
    assert entry["cli"]["peak_rss_mb"] > 0 and entry["ours"]["peak_rss_mb"] > 0


def test_bench_run_quick_json() -> None:
    result = json.loads(run_script(str(BENCH / "bench_run.py"), "--quick", "--json").stdout)
    assert [(run["articles"], run["jobs"]) for run in result["runs"]] == [(3, 1), (3, 2), (6, 1), (6, 2)]
    assert all(run["articles_per_s"] > 0 and run["peak_rss_mb"] > 0 for run in result["runs"])
    bare = result["bare"]["6"]
    assert [phase["batch_size"] for phase in bare["sweep"]] == [8, 32]
    assert all(phase["articles"] == 6 for phase in bare["sweep"])
    best = max(phase["wall_articles_per_s"] for phase in bare["sweep"])
    assert result["ratios"]["6"]["1"] == pytest.approx(result["runs"][2]["articles_per_s"] / best)
    assert set(result["ratios"]) == {"3", "6"} and set(result["ratios"]["6"]) == {"1", "2"}


def test_bench_russian_quick_table() -> None:
    lines = run_script(str(BENCH / "bench_russian.py"), "--quick").stdout.splitlines()
    assert lines[0].startswith("6 Russian articles, ")
    assert lines[2].startswith("bare natasha pipeline")
    assert lines[3].startswith("our Russian mentions")
    assert all(float(cell) > 0 for line in lines[2:4] for cell in line.split()[-4:])
    assert lines[4].startswith("ratio ours / bare (articles/s): ")


def test_bench_status_quick_table() -> None:
    lines = run_script(str(BENCH / "bench_status.py"), "--quick").stdout.splitlines()
    assert lines[0] == "10 records, 2,000 ledger lines; best of 1"
    rows = {line[:32].strip(): line[32:].split() for line in lines[2:-1]}
    assert set(rows) == {"extract --version (baseline)", "extract status --no-cache",
                         "extract status (cold cache)", "extract status (warm cache)"}
    assert all(float(wall) > 0 and float(cpu) > 0 for wall, cpu, _ in rows.values())
    assert lines[-1] == "heavy imports: none"
