"""The whole round on the shipped corpus: extract run → review (approve a subset) → merge.

The records' diff must equal tests/golden/merge/e2e.diff, which was read by eye. When `extract run`
changes what it proposes, regenerate it with `UPDATE_GOLDEN=1 pytest tests/test_merge_e2e.py` and read
the new diff before committing it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from proposal_fixtures import CORPUS, KG, KZ

from extract.jsonl import read_models
from extract.merge import unified_diff
from extract.models import LedgerEntry, Proposal
from extract.records import read_record, validate_record_bytes

GOLDEN = Path(__file__).parent / "golden" / "merge" / "e2e.diff"
# The reviewer approves the proposals for these fields that are at least this confident, and leaves
# the rest pending.
APPROVED_FIELDS = ("licensing.framework", "licensing.regulator", "overview.*", "cbdc.status")
MIN_CONFIDENCE = 0.5
DAY = "2026-06-15"


def extract(cwd: Path, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "extract", *args], cwd=cwd, capture_output=True, text=True,
                            check=False)
    assert result.returncode == expect, result.stderr
    return result


@pytest.fixture(scope="module")
def after_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of corpus/ and the proposals `extract run` makes from it, run once for this module."""
    root = tmp_path_factory.mktemp("run")
    shutil.copytree(CORPUS, root / "corpus")
    extract(root, "run", "-q")
    return root


@pytest.fixture
def workdir(after_run: Path, tmp_path: Path) -> Path:
    shutil.copytree(after_run, tmp_path, dirs_exist_ok=True)
    return tmp_path


def approve_subset(workdir: Path) -> list[Proposal]:
    proposals = read_models(workdir / "out" / "proposals.jsonl", Proposal)
    chosen = [p for p in proposals if p.confidence >= MIN_CONFIDENCE
              and any(fnmatchcase(p.field, pattern) for pattern in APPROVED_FIELDS)]
    extract(workdir, "review", *[arg for p in chosen for arg in ("--approve", p.id)])
    return chosen


def records(workdir: Path) -> dict[str, str]:
    return {name: (workdir / "corpus" / "countries" / name).read_text(encoding="utf-8") for name in (KZ, KG)}


def test_run_review_merge_gives_the_golden_diff(workdir: Path) -> None:
    chosen = approve_subset(workdir)
    assert {p.country for p in chosen} == {"KG", "KZ"}
    before = records(workdir)
    result = extract(workdir, "merge", "--date", DAY)
    after = records(workdir)
    diff = "".join(unified_diff(before[name], after[name], name) for name in before)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(diff, encoding="utf-8")
    assert diff == GOLDEN.read_text(encoding="utf-8")
    assert result.stderr == f"{len(chosen)} merged, 0 conflicts, 0 already applied\n"

    for name, text in after.items():
        read_record(workdir / "corpus" / "countries" / name)
        assert validate_record_bytes(text.encode("utf-8"), file=name) == []
    # Every changed line traces back to its article through the ledger.
    ledger = read_models(workdir / "corpus" / "ledger.jsonl", LedgerEntry)
    assert sorted(entry.proposal for entry in ledger) == sorted(p.id for p in chosen)
    articles = workdir / "corpus" / "articles"
    for entry in ledger:
        for evidence in entry.evidence:
            text = (articles / evidence.article).read_text(encoding="utf-8")
            assert text[evidence.start:evidence.end] == evidence.quote
    statuses = {p.id: p.status for p in read_models(workdir / "out" / "proposals.jsonl", Proposal)}
    assert {statuses[p.id] for p in chosen} == {"merged"}
    assert set(statuses.values()) == {"merged", "pending"}

    # A second merge changes nothing.
    snapshot = {path: path.read_bytes() for path in sorted(workdir.rglob("*")) if path.is_file()}
    # a second merge has nothing approved left: it says what is pending and writes nothing
    assert extract(workdir, "merge", "--date", DAY).stderr.startswith("nothing approved to merge; ")
    assert {path: path.read_bytes() for path in sorted(workdir.rglob("*")) if path.is_file()} == snapshot


def test_a_record_edited_between_run_and_merge_gives_a_conflict(workdir: Path) -> None:
    chosen = approve_subset(workdir)
    target = next(p for p in chosen if p.country == "KG" and p.op in ("set", "append"))
    record = workdir / "corpus" / "countries" / target.record
    line = read_record(record).field(target.field).line
    lines = record.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = lines[line - 1].replace(target.old_value or "", "(edited by hand)")
    record.write_text("\n".join(lines), encoding="utf-8")
    edited = record.read_bytes()

    result = extract(workdir, "merge", "--date", DAY, expect=1)
    conflicts = [line for line in result.stderr.splitlines() if ": conflict: " in line]
    assert len(conflicts) == 1
    assert f"conflict: {target.id} {target.record} {target.field}: the record has '" in conflicts[0]
    assert result.stderr.endswith(f"{len(chosen) - 1} merged, 1 conflict, 0 already applied\n")
    # The hand edit stayed; the record's other approved changes (if any) and the other records merged.
    assert "(edited by hand)" in record.read_text(encoding="utf-8")
    others_here = [p for p in chosen if p.record == target.record and p.id != target.id]
    assert (record.read_bytes() != edited) == bool(others_here)
    elsewhere = {p.record for p in chosen if p.record != target.record}
    assert elsewhere and all(
        (workdir / "corpus" / "countries" / name).read_bytes() != (CORPUS / "countries" / name).read_bytes()
        for name in elsewhere
    )
    status = {p.id: p.status for p in read_models(workdir / "out" / "proposals.jsonl", Proposal)}
    assert status[target.id] == "approved"
