"""Languages: which language an article is in, and the mentions stage for it.

Each language the project reads is a folder here (`lang/<code>/`): its claims lexicon (`claims.json`) and,
for a language other than English, its mentions data (`mentions.json`, see foreign.py), whose parser
backend is named there. Adding a language is adding a folder, plus a parser backend if none reads it yet.

Detection costs nothing for the usual article: text that is mostly ASCII/Latin letters is English and goes
to the spaCy pipeline without loading anything; only a text where most letters are outside Latin (Cyrillic
…) loads the detector (py3langid, its ranking checked against the letters each language needs or lacks,
`letters.json`: short Russian text otherwise reads as Bulgarian or Kyrgyz), and only an article in a
language with a folder loads that language's pipeline (natasha for Russian), once per process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from itertools import islice
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from extract.models import AnalyzedArticle, Article

if TYPE_CHECKING:
    from extract.lang.foreign import ForeignAnalyzer
    from extract.mentions import Analyzer

DEFAULT_LANGUAGE = "en"
# Below this share of non-Latin letters a text is read as English (a Russian date quoted in English news
# stays English news).
NON_LATIN_SHARE = 0.3
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_DETECT_CHARS = 5000  # the detector reads the start of a long article

_foreign: WeakKeyDictionary[Analyzer, dict[str, ForeignAnalyzer]] = WeakKeyDictionary()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language: "en" for Latin-script text without loading a model, else the
    detector's answer."""
    if text.isascii():
        return DEFAULT_LANGUAGE
    sample = text[:_DETECT_CHARS]
    letters = len(_LETTER.findall(sample))
    if not letters or 1 - len(_LATIN.findall(sample)) / letters < NON_LATIN_SHARE:
        return DEFAULT_LANGUAGE
    import py3langid  # loads its model on the first call

    lowered = sample.lower()
    letters_data = _letters()
    for language, _ in py3langid.rank(sample):
        required = letters_data["requires"].get(language)
        excluded = letters_data["excludes"].get(language, "")
        if (required is None or any(c in lowered for c in required)) and not any(
            c in lowered for c in excluded
        ):
            return str(language)
    return DEFAULT_LANGUAGE


@cache
def _letters() -> dict[str, dict[str, str]]:
    """lang/letters.json: letters that settle what the detector confuses on short text."""
    data: dict[str, dict[str, str]] = json.loads(
        resources.files("extract").joinpath("lang", "letters.json").read_text("utf-8")
    )
    return data


def with_language(article: Article) -> Article:
    """The article with `language` set (kept when the input already gave one)."""
    if article.language:
        return article
    return article.model_copy(update={"language": detect_language(article.text)})


def analyze_by_language(
    analyzer: Analyzer,
    articles: Iterable[Article],
    english: Callable[[list[Article]], Iterator[AnalyzedArticle]],
    *,
    batch_size: int,
) -> Iterator[AnalyzedArticle]:
    """Analyse articles in order: those in a language with a folder by that language's stage, the others
    by `english` (the spaCy stage, given them in batches)."""
    from extract.lang.foreign import has_data

    iterator = iter(articles)
    while chunk := [with_language(article) for article in islice(iterator, batch_size)]:
        foreign = {
            index
            for index, article in enumerate(chunk)
            if article.language != DEFAULT_LANGUAGE and has_data(article.language or "")
        }
        own = [article for index, article in enumerate(chunk) if index not in foreign]
        done = iter(english(own)) if own else iter(())
        for index, article in enumerate(chunk):
            yield (
                _stage(analyzer, article.language or "").analyze(article) if index in foreign else next(done)
            )


def _stage(analyzer: Analyzer, language: str) -> ForeignAnalyzer:
    from extract.lang.foreign import ForeignAnalyzer, language_data

    stages = _foreign.setdefault(analyzer, {})
    if language not in stages:
        stages[language] = ForeignAnalyzer(analyzer, language_data(language))
    return stages[language]
