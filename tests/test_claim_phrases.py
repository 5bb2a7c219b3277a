"""The claims stage's phrase look-up over a sentence's lemmas (extract/claims.py `_has`): it answers
with the list's first phrase that is present, on word boundaries, whatever their order in the text."""

from __future__ import annotations

import pytest

from extract.claims import _has

SCOPES = ["crypto exchange", "exchange", "crypto", "token"]


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ("the crypto exchange must hold a licence", "crypto exchange"),
        ("an exchange of crypto", "exchange"),  # listed before "crypto", though later in the text
        ("crypto and token issuers", "crypto"),
        ("a token exchange", "exchange"),
        ("cryptocurrency exchanges", None),  # whole words only: no "crypto" in "cryptocurrency"
        ("tokens", None),
        ("crypto", "crypto"),  # the whole string is one phrase
        ("", None),
    ],
)
def test_the_first_listed_phrase_present_wins(terms, expected):
    assert _has(SCOPES, terms) == expected


def test_phrases_with_regex_characters_are_literal():
    phrases = ["a.b", "c+d", "(e)"]
    assert _has(phrases, "x a.b y") == "a.b"
    assert _has(phrases, "x axb y") is None
    assert _has(phrases, "c+d (e)") == "c+d"
    assert _has(phrases, "cd") is None


def test_an_empty_list_finds_nothing():
    assert _has([], "crypto exchange") is None


def test_each_list_is_its_own():
    """Two lists with the same words in another order answer each by its own order."""
    assert _has(["b", "a"], "a b") == "b"
    assert _has(["a", "b"], "a b") == "a"
