"""Fixtures shared by the pipeline tests: the real model, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def pipeline():
    from extract.pipeline import build_pipeline

    return build_pipeline(CORPUS / "countries")


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """`extract run` over the shipped corpus: (proposals path, mentions path, report)."""
    from extract.batch import run

    out = tmp_path_factory.mktemp("run")
    report = run(
        [CORPUS / "articles"],
        CORPUS / "countries",
        out / "proposals.jsonl",
        mentions_out=out / "mentions.jsonl",
    )
    return out / "proposals.jsonl", out / "mentions.jsonl", report


# Tests of the keyword design that the claims stage replaced (issue 13), and claims-table rows the
# claims stage does not get right yet: listed by node id in known_failures.txt, run as non-strict
# xfail so the suite shows how many remain (XPASS when one is fixed: delete its line then).
_KNOWN = Path(__file__).with_name("known_failures.txt")


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    known = {
        line.strip()
        for line in _KNOWN.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    } if _KNOWN.exists() else set()
    for item in items:
        if item.nodeid in known:
            reason = "known failure, see tests/known_failures.txt"
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
