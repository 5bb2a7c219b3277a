"""The year of a law the text names without one, from the sentence that says it was enacted.

News names a new law and says when it was signed or adopted rather than writing the year into its name:
"The president signed the Law on Payments on 5 May 2024" is the 2024 Law on Payments. Three shapes:

  same sentence  the law is the thing signed/adopted/in force, next to the enactment verb, and the
                 sentence dates it with one year: that year.
  new law        "X signed a legislative package on 5 May 2024. The newly enacted Law on …": a law the
                 next sentence of the paragraph calls new takes the signing sentence's year.
  named again    "… signed the Law on Payments. The law was adopted on 20 March 2024.": a sentence about
                 "the law" gives its year to the one law of that kind named in the sentences just before.

Only a done enactment counts: a sentence with a hedge (expected, planned, draft, would, not …) gives no
year, nor one that dates the enactment with two different years. A law cited as what is amended,
replaced or applied ("amendments to the Law on …", "under the Law on …") is not the law enacted.
The word lists are data: extract/normalize/data/law_years.json.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import NamedTuple

from extract.errors import ConfigError
from extract.normalize.vocabulary import alternation, load_data

_FILE = "law_years.json"
_KEYS = {
    "_doc", "enactment_cues", "hedges", "not_enacted_after", "legislation_words", "new_markers",
    "anaphora_qualifiers",
}


def _load() -> dict[str, list[str]]:
    data = load_data(_FILE)
    unknown, missing = set(data) - _KEYS, _KEYS - set(data)
    if unknown or missing:
        raise ConfigError(
            f"keys {sorted(unknown)} unknown, {sorted(missing)} missing",
            where=f"extract/normalize/data/{_FILE}",
            fix=f"use exactly the keys {sorted(_KEYS)}",
        )
    return {key: value for key, value in data.items() if key != "_doc"}


_DATA = _load()
_KIND_WORDS = ["law", "act", "code", "decree", "resolution", "ordinance", "regulation", "rulebook"]

# The verb of a done enactment; "newly enacted" describes a law, it does not date one.
_CUE = re.compile(
    rf"(?<![\w-])(?<!newly )(?<!newly-)(?:{alternation(_DATA['enactment_cues'])})(?![\w-])", re.I
)
_HEDGE = re.compile(rf"(?<![\w-])(?:{alternation(_DATA['hedges'])})(?![\w'-])", re.I)
_NOT_ENACTED = re.compile(
    rf"(?<![\w-])(?:{alternation(_DATA['not_enacted_after'])})(?:[^\S\n]+[\w'’-]+){{0,3}}[^\S\n]*$", re.I
)
_LEGISLATION = re.compile(rf"(?<![\w-])(?:{alternation(_DATA['legislation_words'])})(?![\w-])", re.I)
_CALLED_NEW = re.compile(rf"(?<![\w-])(?:{alternation(_DATA['new_markers'])})[^\S\n]+(?:the[^\S\n]+)?$", re.I)
_NAMED_AGAIN = re.compile(
    rf"(?:the|this|that)\s+(?:(?:{alternation(_DATA['anaphora_qualifiers'])})\s+)*"
    rf"(?P<kind>{alternation(_KIND_WORDS)})(?![\w-])",
    re.I,
)
# How far apart the enactment verb may be from its date and from the law: one clause, not the sentence.
CUE_DATE_GAP = 60
CUE_LAW_GAP = 80
# How many sentences back a law named again ("The law was adopted …") may have been named.
NAMED_AGAIN_WINDOW = 3


class Cited(NamedTuple):
    """A law mention without a year: where it is and its canonical name."""

    start: int
    end: int
    name: str


class Dated(NamedTuple):
    """A date mention with a year."""

    start: int
    end: int
    year: int


class _Sentence(NamedTuple):
    start: int
    end: int
    paragraph: int
    laws: list[Cited]
    year: int | None  # the year the sentence enacts something in, if it says so
    cues: list[tuple[int, int]]  # article offsets of its enactment verbs


def enactment_years(
    text: str, sentences: Sequence[tuple[int, int, int]], laws: Sequence[Cited], dates: Sequence[Dated]
) -> dict[str, int]:
    """Name → year for the laws in `laws` (mentions without a year) that a sentence says were enacted in
    one year. `sentences` are (start, end, paragraph) in text order; `dates` are the article's dates
    outside law names; all offsets index `text`."""
    laws, dates = sorted(laws), sorted(dates)
    law_starts, date_starts = [law.start for law in laws], [d.start for d in dates]
    analysed = []
    for start, end, paragraph in sentences:
        own_laws = laws[bisect_left(law_starts, start) : bisect_left(law_starts, end)]
        own_dates = dates[bisect_left(date_starts, start) : bisect_left(date_starts, end)]
        own_dates = [d for d in own_dates if d.end <= end]
        masked = _masked(text, start, end, [*own_laws, *own_dates])
        cues = [(start + m.start(), start + m.end()) for m in _CUE.finditer(masked)]
        analysed.append(
            _Sentence(start, end, paragraph, own_laws, _enacted_year(masked, start, cues, own_dates), cues)
        )
    found: dict[str, set[int]] = {}
    for i in range(len(analysed)):
        for law, year in _years_of(text, analysed, i):
            found.setdefault(law.name, set()).add(year)
    return {name: years.pop() for name, years in found.items() if len(years) == 1}


def _years_of(text: str, sentences: list[_Sentence], i: int) -> list[tuple[Cited, int]]:
    sentence = sentences[i]
    given = []
    for law in sentence.laws:
        if _cited_as_other(text, sentence, law):
            continue
        if sentence.year is not None and any(_gap(law, cue) <= CUE_LAW_GAP for cue in sentence.cues):
            given.append((law, sentence.year))
        elif i > 0 and _called_new(text, sentence, law):
            previous = sentences[i - 1]
            if (
                previous.paragraph == sentence.paragraph
                and previous.year is not None
                and _LEGISLATION.search(text[previous.start : previous.end])
            ):
                given.append((law, previous.year))
    if not sentence.laws and sentence.year is not None:
        given.extend(_named_again(text, sentences, i))
    return given


def _named_again(text: str, sentences: list[_Sentence], i: int) -> list[tuple[Cited, int]]:
    """"The law was adopted on DATE" right after a law was named: the one law of that kind named last."""
    sentence = sentences[i]
    head = _NAMED_AGAIN.match(text, sentence.start, sentence.end)
    if head is None or not any(0 <= cue[0] - head.end() <= CUE_DATE_GAP for cue in sentence.cues):
        return []
    earlier = next((s for s in reversed(sentences[max(0, i - NAMED_AGAIN_WINDOW) : i]) if s.laws), None)
    if earlier is None:
        return []
    names = {law.name for law in earlier.laws}
    kind = head["kind"].lower()
    if len(names) != 1 or kind not in re.findall(r"\w+", next(iter(names)).lower()):
        return []
    if sentence.year is None or any(_cited_as_other(text, earlier, law) for law in earlier.laws):
        return []
    return [(law, sentence.year) for law in earlier.laws]


def _cited_as_other(text: str, sentence: _Sentence, law: Cited) -> bool:
    """"amendments to the Law on …", "under the Law on …": the law cited is not the one enacted."""
    return _NOT_ENACTED.search(text[max(sentence.start, law.start - 40) : law.start]) is not None


def _called_new(text: str, sentence: _Sentence, law: Cited) -> bool:
    """"the newly enacted Law on …", "the new Law on …", "New Banking Law"."""
    before = text[max(sentence.start, law.start - 40) : law.start]
    return bool(_CALLED_NEW.search(before) or re.match(r"new\s", text[law.start : law.end], re.I))


def _enacted_year(masked: str, start: int, cues: list[tuple[int, int]], dates: list[Dated]) -> int | None:
    """The one year the sentence dates an enactment in, or None (no verb, a hedge, no or two years)."""
    if not cues or _HEDGE.search(masked) or len({d.year for d in dates}) != 1:
        return None
    near = [
        d
        for d in dates
        for cue in cues
        if _gap(d, cue) <= CUE_DATE_GAP and ";" not in _between(masked, start, d, cue)
    ]
    return near[0].year if near else None


def _gap(span: tuple[int, int] | Cited | Dated, cue: tuple[int, int]) -> int:
    return max(span[0] - cue[1], cue[0] - span[1], 0)


def _between(masked: str, start: int, span: Dated, cue: tuple[int, int]) -> str:
    left, right = sorted([(span.start, span.end), cue])
    return masked[left[1] - start : right[0] - start]


def _masked(text: str, start: int, end: int, spans: Sequence[Cited | Dated]) -> str:
    """The sentence with the given spans blanked (same length): a hedge inside a law's title ("Law on
    Planned …") or a month ("May 5") is not the sentence's word."""
    chars = list(text[start:end].replace("’", "'"))
    for span in spans:
        for k in range(max(span.start, start), min(span.end, end)):
            chars[k - start] = " "
    return "".join(chars)
