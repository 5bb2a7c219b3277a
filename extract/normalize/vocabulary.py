"""The normalisers' vocabulary files (`extract/normalize/data/*.json`): loading them, word lists → regexes.

The vocabularies are data so that a curator can add a currency spelling, a unit or a qualifier
without touching Python; every file is read once per process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_data(name: str) -> Any:
    """The parsed JSON file `extract/normalize/data/<name>`."""
    return json.loads(resources.files("extract.normalize").joinpath("data", name).read_text("utf-8"))


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal phrases, longest first (so "mln" wins over "m"); a space matches any run
    of whitespace.

    The phrases are merged on their common beginnings ("US dollar|US cent" → "US\\s+(?:dollar|cent)"): the
    regex engine tries a flat alternation one phrase at a time at every position, and lists of a thousand
    currency names made that most of an amount search. The merged form matches what the flat one does, in
    the same order."""
    phrases = sorted(set(words), key=lambda word: (-len(word), word))
    if phrases[-1:] == [""]:  # the empty phrase, tried last
        return "|".join([*_merged(phrases[:-1]), ""])
    return "|".join(_merged(phrases))


def _merged(words: list[str]) -> list[str]:
    """The alternatives for `words` (non-empty, longest first), merged on their first character.

    Where two phrases can match at the same place, one is a beginning of the other, and the merged form
    still tries the longer first. Under an ignore-case match, though, "Tenge" and "ten" are such a pair
    without sharing a first character: phrases whose first characters a match could confuse stay flat.
    """
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for firsts in _confusable(list(tails)):
        if len(firsts) > 1:
            alternatives += [_literal(word) for word in words if word[0] in firsts]
            continue
        first = firsts[0]
        rest = [tail for tail in tails[first] if tail]
        inner = _merged(rest) if rest else []
        if not inner:
            alternatives.append(_literal(first))
        elif len(rest) < len(tails[first]):  # the phrase may end here: after the longer ones
            alternatives.append(f"{_literal(first)}(?:{'|'.join(inner)})?")
        elif len(inner) == 1:
            alternatives.append(_literal(first) + inner[0])
        else:
            alternatives.append(f"{_literal(first)}(?:{'|'.join(inner)})")
    return alternatives


def _confusable(chars: list[str]) -> list[list[str]]:
    """`chars` in groups that an ignore-case match or a whitespace run could take for one another."""
    groups: list[list[str]] = []
    for char in chars:
        alike = [group for group in groups if any(_alike(char, other) for other in group)]
        merged = [member for group in alike for member in group] + [char]
        groups = [group for group in groups if group not in alike] + [merged]
    return groups


def _alike(one: str, other: str) -> bool:
    if one.isspace() and other.isspace():
        return True
    return re.fullmatch(re.escape(one), other, re.IGNORECASE) is not None


def _literal(text: str) -> str:
    return re.escape(text).replace("\\ ", r"\s+")
