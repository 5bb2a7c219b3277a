"""Which country each sentence, and so each mention, is about.

Signals are the countries a sentence names: country names, aliases and capitals; demonyms
("Kyrgyz companies"); regulators, stablecoins and exchanges of one jurisdiction; office holders
("President Japarov"). A sentence is about the country with the strongest signal; the first country
named gets a bonus (in English news the subject comes first: "Neighboring Kazakhstan has
proposed …"), and the article's main country a small one, so that a passing mention of another
country does not pull a sentence away from the story. A sentence that names no country is about
the country of the sentence before it in the same paragraph, else the article's main country.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

# How strongly each kind of mention says "this sentence is about that country".
SIGNAL_WEIGHT = {
    "country": 1.0,
    "regulator": 1.0,
    "stablecoin": 0.7,
    "person": 1.0,
    "norp": 0.6,
    "exchange": 0.4,
}
FIRST_NAMED_BONUS = 0.25
MAIN_COUNTRY_BONUS = 0.3
# In a title or the first sentence a name counts this much more towards the article's main country.
LEAD_WEIGHT = 3.0
LEAD_SENTENCES = 2


class Signal(NamedTuple):
    start: int
    country: str
    kind: str


def sentence_country(signals: Sequence[Signal], *, main: str | None, previous: str | None) -> str | None:
    """The country one sentence is about, from its signals (in text order)."""
    if not signals:
        return previous or main
    scores: dict[str, float] = defaultdict(float)
    for signal in signals:
        scores[signal.country] += SIGNAL_WEIGHT.get(signal.kind, 0.5)
    first = min(signals, key=lambda s: s.start).country
    scores[first] += FIRST_NAMED_BONUS
    if main in scores:
        scores[main] += MAIN_COUNTRY_BONUS
    order = {signal.country: index for index, signal in reversed(list(enumerate(signals)))}
    return max(scores, key=lambda code: (scores[code], -order[code]))


def main_country(signals_by_sentence: Sequence[Sequence[Signal]]) -> str | None:
    """The country the article is mostly about: names in its lead count more."""
    scores: dict[str, float] = defaultdict(float)
    for index, signals in enumerate(signals_by_sentence):
        weight = LEAD_WEIGHT if index < LEAD_SENTENCES else 1.0
        for signal in signals:
            scores[signal.country] += weight * SIGNAL_WEIGHT.get(signal.kind, 0.5)
    if not scores:
        return None
    first_seen: dict[str, int] = {}
    for signals in signals_by_sentence:
        for signal in signals:
            first_seen.setdefault(signal.country, len(first_seen))
    return max(scores, key=lambda code: (scores[code], -first_seen[code]))


def attribute_sentences(
    signals_by_sentence: Sequence[Sequence[Signal]], paragraphs: Sequence[int]
) -> tuple[str | None, list[str | None]]:
    """(main country, the country of each sentence); `paragraphs[i]` is sentence i's paragraph."""
    main = main_country(signals_by_sentence)
    countries: list[str | None] = []
    for index, signals in enumerate(signals_by_sentence):
        same_paragraph = index > 0 and paragraphs[index - 1] == paragraphs[index]
        previous = countries[-1] if same_paragraph else None
        countries.append(sentence_country(signals, main=main, previous=previous))
    return main, countries


def claim_country(
    *,
    actor_country: str | None,
    actor_is_state: bool,
    owner_country: str | None = None,
    object_country: str | None,
    sentence_country: str | None,
) -> str | None:
    """The country a claim is about: the state that acts ("Nigeria's SEC requires …", "President
    Tokayev signed …"), else the country that owns the rule it is part of, else the country the sentence
    is about. The object's country counts only for
    measures aimed at another country (see `target_country`)."""
    if actor_is_state and actor_country:
        return actor_country
    # "praised Ghana's new rule requiring …": the rule's country, whoever speaks of it
    return owner_country or sentence_country or object_country


def target_country(*, object_country: str | None, actor_country: str | None, main: str | None) -> str | None:
    """The country a measure targets ("sanctions against X", "the EU listed two Kyrgyz banks"): the
    object's country, else the article's main country unless that is the one imposing it."""
    if object_country and object_country != actor_country:
        return object_country
    return main if main and main != actor_country else None
