"""A merge killed with SIGKILL at random moments: nothing is ever half-written, lost or applied twice.

Each round starts `extract merge` as a process on the same starting files, kills it after a random
delay spread over an uninterrupted merge's duration, checks that every file still parses and that each
record is either as it was or as the merge makes it, then runs the merge again to completion and
compares everything with an uninterrupted merge.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from proposal_fixtures import APPROVED, approved, copy_corpus, write_review_file

from extract.jsonl import read_models
from extract.merge import merge
from extract.models import LedgerEntry
from extract.records import read_record, validate_record_bytes
from extract.reviewfile import read_review

ROUNDS = 50


class Files:
    def __init__(self, root: Path) -> None:
        self.corpus = copy_corpus(root)
        self.records = self.corpus / "countries"
        self.ledger = self.corpus / "ledger.jsonl"
        self.review = write_review_file(root / "proposals.jsonl", approved(*APPROVED))
        self.start = self.snapshot()

    def command(self) -> list[str]:
        return [sys.executable, "-m", "extract", "merge", str(self.review), "--records", str(self.records),
                "--date", "2026-06-15"]

    def snapshot(self) -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in [*sorted(self.records.glob("*.md")), self.review]}

    def reset(self) -> None:
        for name, data in self.start.items():
            (self.review if name == self.review.name else self.records / name).write_bytes(data)
        self.ledger.unlink(missing_ok=True)

    def ledger_entries(self) -> list[dict[str, object]]:
        entries = read_models(self.ledger, LedgerEntry) if self.ledger.exists() else []
        return [entry.model_dump(exclude={"when"}) for entry in entries]


def test_merge_killed_at_random_moments(tmp_path: Path) -> None:
    files = Files(tmp_path)
    started = time.monotonic()
    subprocess.run(files.command(), check=True, capture_output=True)
    duration = time.monotonic() - started
    done, done_ledger = files.snapshot(), files.ledger_entries()
    assert {name for name in done if done[name] != files.start[name]} == {*files.start}
    assert len(done_ledger) == len(APPROVED)

    rng = random.Random(20260615)
    # Most kills go between the latest one that found nothing written and the earliest one that found
    # the merge finished: the window in which files are being written, whatever this machine's speed.
    nothing_yet, finished = 0.0, duration * 1.05
    seen = []
    for number in range(ROUNDS):
        files.reset()
        anywhere = number % 3 == 0
        delay = rng.uniform(0.0, duration * 1.05) if anywhere else rng.uniform(nothing_yet, finished)
        process = subprocess.Popen(files.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.kill()
        process.wait()
        killed = files.snapshot()
        for name, data in killed.items():
            # Every file parses, and a record is either untouched or fully merged: never in between.
            assert data in (files.start[name], done[name]), name
            if name.endswith(".md"):
                read_record(files.records / name)
                assert validate_record_bytes(data, file=name) == []
        read_review(files.review)
        state = (sum(killed[name] == done[name] for name in killed), len(files.ledger_entries()))
        seen.append(state)
        if state == (0, 0) and delay < finished:
            nothing_yet = max(nothing_yet, delay)
        elif state == (len(done), len(done_ledger)) and delay > nothing_yet:
            finished = min(finished, delay)

        merge(files.review, records_dir=files.records, ledger_path=files.ledger,
              articles_dir=files.corpus / "articles", day=date(2026, 6, 15))
        assert files.snapshot() == done
        assert files.ledger_entries() == done_ledger
        # No temporary file of a killed write is left beside the records.
        records = sorted(name for name in files.start if name.endswith(".md"))
        assert sorted(path.name for path in files.records.iterdir()) == records

    # Which states the kills left (files finished, ledger entries), for whoever reads a failure.
    print({state: seen.count(state) for state in sorted(set(seen))})
