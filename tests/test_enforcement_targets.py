"""Whom a fine or an arrest hit, in the enforcement note (facts._with_named_target, facts._has_target).

Sentences of our own; records are the claims table's.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.models import Article
from extract.normalize.numbers import has_number

RECORDS = Path(__file__).parent / "claims_table" / "records"


@pytest.fixture(scope="module")
def notes():
    from extract.claims import claims_for_article
    from extract.facts import facts_for_article
    from extract.pipeline import build_pipeline

    pipeline = build_pipeline(RECORDS)

    def enforcement_notes(text: str) -> list[tuple[str, str]]:
        (analyzed,) = pipeline.analyze([Article(id="a", text=text, published="2026-05-01")])
        claims = claims_for_article(analyzed)
        facts = facts_for_article(analyzed, claims, pipeline.short_names, pipeline.rules)
        return [(fact.country, fact.value) for fact in facts if fact.field == "enforcement.note"]

    return enforcement_notes


def test_a_count_in_words_is_a_definite_target_and_a_later_clause_names_no_one(notes) -> None:
    found = notes(
        "Istanbul prosecutors detained three executives of crypto exchange Kuzey Coin on fraud charges, "
        "state broadcaster TRT reported."
    )
    assert len(found) == 1
    country, value = found[0]
    assert country == "TR" and "three executives" in value and "TRT" not in value


def test_the_firm_a_fine_is_imposed_on_joins_with_its_preposition(notes) -> None:
    found = notes(
        "The FCA imposed a penalty of £2 million on London-based crypto broker Thames Tokens Ltd "
        "for anti-money laundering failures."
    )
    assert [country for country, _ in found] == ["GB"]
    # the firm as the model bounds it, after "on" (not "… £2 million Tokens Ltd")
    assert re.search(r"£2 million on (?:Thames )?Tokens Ltd\.$", found[0][1]), found[0][1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("six executives", True),
        ("the founder and twenty-one staff", True),
        ("700 accounts", True),
        ("a million users", True),
        ("someone at the firm", False),  # "one" inside a word
        ("the operator", False),
        ("an exchange", False),
        ("none of them", False),
    ],
)
def test_has_number(text: str, expected: bool) -> None:
    assert has_number(text) is expected
