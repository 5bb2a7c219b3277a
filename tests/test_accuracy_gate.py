"""Accuracy gates on the hand-checked gold for the shipped articles (corpus/gold/).

Floors, not targets: lowering one needs a reason in the commit that does it.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS

from extract.evaluate import evaluate_files

MENTION_FLOORS = {"date": 0.95, "money": 0.95, "law": 0.95, "entity:regulator": 0.9, "entity:stablecoin": 0.9}
PROPOSAL_FLOOR = 0.8


@pytest.fixture(scope="module")
def mention_report(corpus_run):
    _, mentions, _ = corpus_run
    return evaluate_files(CORPUS / "gold" / "mentions.jsonl", mentions, articles_dir=CORPUS / "articles")


@pytest.mark.parametrize("group", sorted(MENTION_FLOORS))
def test_mentions_meet_their_floor(mention_report, group):
    score = next(s for s in mention_report.groups if s.group == group)
    assert score.gold > 0
    assert score.precision >= MENTION_FLOORS[group], mention_report.false_positives
    assert score.recall >= MENTION_FLOORS[group], mention_report.misses


def test_proposals_meet_the_floor(corpus_run):
    proposals, _, _ = corpus_run
    report = evaluate_files(CORPUS / "gold" / "proposals.jsonl", proposals)
    assert report.overall.precision >= PROPOSAL_FLOOR, report.false_positives
    assert report.overall.recall >= PROPOSAL_FLOOR, report.misses
