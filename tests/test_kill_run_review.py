"""`extract run` and `extract review` killed with SIGKILL at random moments, as merge is in
test_merge_faults.py: after each kill every file parses, and running the command again ends exactly
like an uninterrupted run."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from proposal_fixtures import copy_corpus, make_proposals, write_review_file

from extract.jsonl import read_models
from extract.models import Mention, Proposal
from extract.reviewfile import read_review

RUN_ROUNDS = 3
REVIEW_ROUNDS = 10


def _kill_after(command: list[str], delay: float) -> None:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL)
    time.sleep(delay)
    process.kill()
    process.wait()


def test_run_killed_at_random_moments(tmp_path: Path) -> None:
    corpus = copy_corpus(tmp_path)
    out, mentions = tmp_path / "out" / "proposals.jsonl", tmp_path / "out" / "mentions.jsonl"
    command = [sys.executable, "-m", "extract", "run", str(corpus / "articles"), "--records",
               str(corpus / "countries"), "-o", str(out), "--mentions", str(mentions), "-q"]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - started
    done = (out.read_bytes(), mentions.read_bytes())
    rng = random.Random(20261206)
    for _ in range(RUN_ROUNDS):
        out.unlink()
        mentions.unlink()
        _kill_after(command, rng.uniform(0.3 * duration, duration * 1.05))
        # Whatever is on disk is whole: a file either parses completely or is not there.
        for path, model in ((out, Proposal), (mentions, Mention)):
            if path.exists():
                read_models(path, model)
        subprocess.run(command, check=True, capture_output=True)
        assert (out.read_bytes(), mentions.read_bytes()) == done


def test_review_killed_at_random_moments(tmp_path: Path) -> None:
    proposals = make_proposals()
    review = write_review_file(tmp_path / "proposals.jsonl", proposals)
    start = review.read_bytes()
    command = [sys.executable, "-m", "extract", "review", str(review), "--approve-all", "--reviewer", "fuzz"]

    def decisions() -> list[tuple[str, str, str]]:
        return [(p.id, p.status, p.new_value) for p in read_review(review).proposals]

    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    duration = time.monotonic() - started
    done = decisions()
    assert {status for _, status, _ in done} == {"approved"}
    rng = random.Random(20261206)
    for _ in range(REVIEW_ROUNDS):
        review.write_bytes(start)
        _kill_after(command, rng.uniform(0.0, duration * 1.05))
        state = decisions()  # parses: all pending, or all approved
        assert {status for _, status, _ in state} in ({"pending"}, {"approved"})
        subprocess.run(command, check=True, capture_output=True)
        assert decisions() == done
