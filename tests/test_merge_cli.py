"""`extract merge` on the command line: messages, exit codes, defaults, and a fast start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from proposal_fixtures import APPROVED, KG, approved, by_field, copy_corpus, write_review_file

from extract.cli import cli
from extract.jsonl import read_models
from extract.models import LedgerEntry, Proposal

GOLDEN = Path(__file__).parent / "golden" / "merge"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    copy_corpus(tmp_path)
    write_review_file(tmp_path / "proposals.jsonl", approved(*APPROVED))
    return tmp_path


def run(corpus: Path, *args: str) -> tuple[int, str, str]:
    previous = Path.cwd()
    os.chdir(corpus)
    try:
        result = CliRunner().invoke(cli, ["merge", "proposals.jsonl", "--records", "corpus/countries",
                                          "--date", "2026-06-15", *args])
    finally:
        os.chdir(previous)
    return result.exit_code, result.stdout, result.stderr


def test_merge_is_quiet_but_for_the_summary(corpus: Path) -> None:
    assert run(corpus) == (0, "", "6 merged, 0 conflicts, 0 already applied\n")
    # The ledger lives beside the records folder unless told otherwise.
    assert len(read_models(corpus / "corpus" / "ledger.jsonl", LedgerEntry)) == 6
    # Nothing approved any more: merge says what is left to do.
    assert run(corpus) == (0, "", "nothing approved to merge; 1 pending in proposals.jsonl — run "
                                  "`extract review proposals.jsonl` first\n")


def test_dry_run_prints_the_diff(corpus: Path) -> None:
    code, out, err = run(corpus, "--dry-run")
    assert (code, err) == (0, "dry run, nothing written: 6 merged, 0 conflicts, 0 already applied\n")
    assert out == (GOLDEN / "handmade.diff").read_text(encoding="utf-8")
    assert not (corpus / "corpus" / "ledger.jsonl").exists()


def test_a_conflict_is_reported_with_its_line_and_exits_1(corpus: Path) -> None:
    kg = corpus / "corpus" / "countries" / KG
    kg.write_text(kg.read_text(encoding="utf-8").replace("$5,000 - $20,000", "$6,000"), encoding="utf-8")
    cost = by_field(read_models(corpus / "proposals.jsonl", Proposal), "KG", "licensing.cost")
    code, out, err = run(corpus, "--ledger", "changes.jsonl")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"proposals.jsonl:1: conflict: {cost.id} {KG} licensing.cost: the record has '$6,000', the proposal "
        "expected '$5,000 - $20,000' — re-run `extract run` to refresh it, or merge with --force",
        "5 merged, 1 conflict, 0 already applied",
    ]
    assert len(read_models(corpus / "changes.jsonl", LedgerEntry)) == 5
    forced = run(corpus, "--ledger", "changes.jsonl", "--force")
    assert forced == (0, "", "1 merged, 0 conflicts, 0 already applied\n")


def test_problems_in_the_review_file_exit_1_and_merge_nothing(corpus: Path) -> None:
    review = corpus / "proposals.jsonl"
    lines = review.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace('"record":"country--kyrgyzstan.md"', '"record":"../../etc/passwd"')
    review.write_text("".join(lines), encoding="utf-8")
    records = {path: path.read_bytes() for path in (corpus / "corpus" / "countries").iterdir()}
    code, out, err = run(corpus)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "proposals.jsonl:1: record '../../etc/passwd' is outside the records folder corpus/countries — "
        "a proposal may only name a record file inside that folder",
        "nothing merged: fix the 1 problem(s) in proposals.jsonl first",
    ]
    assert {path: path.read_bytes() for path in records} == records
    assert not (corpus / "corpus" / "ledger.jsonl").exists()


def test_user_errors_exit_2(corpus: Path) -> None:
    code, _, err = run(corpus, "--records", "nowhere")
    assert (code, err) == (2, "error: nowhere: no such folder — give the records folder with --records\n")
    result = CliRunner().invoke(cli, ["merge", str(corpus / "missing.jsonl"), "--records",
                                      str(corpus / "corpus" / "countries")])
    missing = corpus / "missing.jsonl"
    assert (result.exit_code, result.stderr) == (2, f"error: {missing}: no such file — check the path\n")


@pytest.mark.parametrize("args", [
    ["merge", "--help"],
    ["review", "--help"],
    ["merge", "proposals.jsonl", "--records", "corpus/countries", "--dry-run"],
    ["review", "proposals.jsonl", "--list"],
    ["review", "proposals.jsonl", "--unrecorded"],
    ["review", "proposals.jsonl", "--reject-all", "--country", "KZ", "--reviewer", "Ana"],
])
def test_review_and_merge_load_no_nlp_library(corpus: Path, args: list[str]) -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "extract", *args], cwd=corpus,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "extract.cli" in imported
    # Nor the web framework: its import cost is paid by `review --web` only.
    heavy = {"spacy", "thinc", "dateparser", "trafilatura", "starlette", "uvicorn"}
    assert {name for name in imported if name.split(".")[0] in heavy} == set()
