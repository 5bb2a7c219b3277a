"""Units after an amount: quantity units ("kilowatts" → kW, "EH/s", "BTC"), rate units ("per kWh", "/year",
"a month") and the qualifier words before an amount ("more than" → over).

The vocabularies are `data/units.json` and `data/qualifiers.json`; this module turns them into regex
sources and lookups for `extract.normalize.amounts`.
"""

from __future__ import annotations

import re
from typing import get_args

from extract.models import Qualifier
from extract.normalize.vocabulary import alternation, load_data

_UNITS = load_data("units.json")
_QUALIFIERS = load_data("qualifiers.json")


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


QUANTITY_SYMBOLS: dict[str, str] = {
    symbol: unit for unit, spellings in _UNITS["quantity_units"].items() for symbol in spellings["symbols"]
}
QUANTITY_WORDS: dict[str, str] = {
    _fold(word): unit for unit, spellings in _UNITS["quantity_units"].items() for word in spellings["words"]
}
CRYPTO_UNITS: frozenset[str] = frozenset(_UNITS["crypto_units"])
MODIFIER_WORDS: frozenset[str] = frozenset(_fold(word) for word in _UNITS["modifier_words"])
MODIFIER_FOLLOWERS: frozenset[str] = frozenset(_fold(word) for word in _UNITS["modifier_followers"])
RATE_UNITS: dict[str, str] = {
    _fold(spelling): unit for unit, spellings in _UNITS["rate_units"].items() for spelling in spellings
}
RATE_ADVERBS: dict[str, str] = {_fold(adverb): unit for adverb, unit in _UNITS["rate_adverbs"].items()}

# The quantity unit after a number; case-sensitive symbols are tried before case-insensitive words so that
# "TON" is the coin and "tons" the mass.
QUANTITY_UNIT_PATTERN = rf"(?:{alternation(QUANTITY_SYMBOLS)}|(?i:{alternation(QUANTITY_WORDS)}))(?!\w)"
PERCENT_SIGN_PATTERN = r"(?:[%％]|(?i:percents?|per\s*cents?|pct)(?!\w))"
_TIME_UNITS = alternation(_UNITS["time_units"])
# A rate after a money amount: "per kWh", "/kWh", "a year" (not "a year ago"), "annually".
RATE_PATTERN = (
    rf"(?:(?:\s*/\s*|\s+(?i:per)\s+|\s+(?i:a|an|each)\s+(?=(?i:{_TIME_UNITS})(?!\w)))"
    rf"(?P<per>(?i:{alternation(RATE_UNITS)}))(?!\w)(?!\s+(?i:ago|earlier|later|before|after|from\s+now)(?!\w))"
    rf"|\s+(?P<per_adverb>(?i:{alternation(RATE_ADVERBS)}))(?!\w))"
)


def quantity_unit(text: str) -> str | None:
    """The canonical unit of a spelling after a number: "kilowatts" → "kW", "BTC", "tonnes" → "t"."""
    return QUANTITY_SYMBOLS.get(text) or QUANTITY_WORDS.get(_fold(text))


def rate_unit(text: str) -> str | None:
    """The canonical unit of a rate spelling: "kWh", "annum" → "year", "annually" → "year"."""
    return RATE_UNITS.get(_fold(text)) or RATE_ADVERBS.get(_fold(text))


def is_modifier_use(unit_text: str, after: str) -> bool:
    """Whether a singular unit word modifies the next noun ("5 bitcoin ATMs") instead of counting units."""
    return _fold(unit_text) in MODIFIER_WORDS and modifies_next_word(after)


def modifies_next_word(after: str) -> bool:
    """Whether the text after a unit starts with a word that the unit modifies ("a dollar stablecoin")."""
    next_word = re.match(r"[ \t]*([^\W\d_]+)", after)
    return next_word is not None and next_word.group(1).lower() not in MODIFIER_FOLLOWERS


def _qualifier_table() -> dict[str, Qualifier]:
    table: dict[str, Qualifier] = {}
    for qualifier, phrases in _QUALIFIERS["amount"].items():
        if qualifier not in get_args(Qualifier):
            raise ValueError(
                f"data/qualifiers.json: unknown qualifier {qualifier!r}; use one of {get_args(Qualifier)}"
            )
        table.update((_fold(phrase), qualifier) for phrase in phrases)
    return table


_QUALIFIER_BY_PHRASE = _qualifier_table()
# Any qualifier phrase ("not less than", "about", "~").
QUALIFIER_PATTERN = rf"(?i:{alternation(_QUALIFIER_BY_PHRASE)})"
_QUALIFIER_TAIL = re.compile(rf"(?:(?<=\W)|^)(?P<phrase>{QUALIFIER_PATTERN})[\s\"“‘'(]*$")
_NOT_QUALIFIER_TAIL = re.compile(rf"(?<!\w)(?i:{alternation(_QUALIFIERS['not_qualifiers'])})[\s\"“‘'(]*$")
_CHANGE_FROM_TAIL = re.compile(
    rf"(?<!\w)(?i:{alternation(_QUALIFIERS['change_verbs'])})(?:\s+[\w'’]+){{0,4}}?\s+(?i:from)\s*$"
)
_TAIL = 60  # characters before an amount that can hold its qualifier or a change verb


def read_qualifier(before: str) -> Qualifier | None:
    """The qualifier that ends the text before an amount: "not less than " → at_least, "about " → about."""
    tail = before[-_TAIL:]
    if _NOT_QUALIFIER_TAIL.search(tail):
        return None
    match = _QUALIFIER_TAIL.search(tail)
    return _QUALIFIER_BY_PHRASE[_fold(match.group("phrase"))] if match else None


def is_change(before: str) -> bool:
    """Whether the text before "X to Y" makes it a change ("rose from") rather than a range ("from")."""
    return _CHANGE_FROM_TAIL.search(before[-_TAIL:]) is not None
