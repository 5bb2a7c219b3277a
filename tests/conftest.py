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
