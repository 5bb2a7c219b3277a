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
    of whitespace."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return "|".join(re.escape(word).replace("\\ ", r"\s+") for word in ordered)
