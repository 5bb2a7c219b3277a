"""The analysis pipeline built once per process: records, gazetteer, spaCy, field rules.

`Pipeline.process(article)` is the map step of a run (article → mentions and facts); it touches no
file, so a batch can run it in worker processes (or, later, on a distributed engine).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from extract.claims import Claim, claims_for_article, load_lexicon
from extract.facts import facts_for_article, load_field_rules
from extract.gazetteer import Gazetteer
from extract.models import AnalyzedArticle, Article, Contract, Fact, LawValue, Mention

if TYPE_CHECKING:
    from spacy.language import Language

    from extract.records import CountryRecord


class ArticleResult(Contract):
    """The map step's output for one article."""

    article: str
    mentions: list[Mention]
    claims: list[Claim]
    facts: list[Fact]


class Pipeline:
    def __init__(self, records: dict[str, CountryRecord]) -> None:
        from extract.mentions import Analyzer
        from extract.nlp import build_nlp
        from extract.normalize.laws import find_laws

        self.records = records
        self.gazetteer = Gazetteer.from_records(records.values())
        # Each record's laws, by its country: a year a record knows is given only to that country's law
        # ("Law on Virtual Assets (2022)" is Kyrgyzstan's, not Ukraine's).
        known_laws: dict[str, dict[str, LawValue]] = {}
        for record in records.values():
            laws = known_laws.setdefault(record.code, {})
            for field in record.fields.values():
                for match in find_laws(field.text, in_headlines=True):
                    laws.setdefault(match.value.name, match.value)
        lexicon = load_lexicon("en")
        self.analyzer = Analyzer(
            build_nlp(self.gazetteer),
            self.gazetteer,
            {code: list(laws.values()) for code, laws in known_laws.items()},
            claim_cues=_first_words(
                [
                    *(
                        lemma
                        for action, lemmas in lexicon.actions.items()
                        if action != "report"
                        for lemma in lemmas
                    ),
                    *lexicon.obligation,
                ]
            ),
            topic_cues=_first_words(lemma for phrases in lexicon.scopes.values() for lemma in phrases),
            reload=lambda: build_nlp(self.gazetteer),
        )
        self.rules = load_field_rules()
        self.short_names = _short_names(self.gazetteer, records.values())

    @property
    def nlp(self) -> Language:
        return self.analyzer.nlp

    def analyze(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[AnalyzedArticle]:
        return self.analyzer.analyze(articles, batch_size=batch_size)

    def mentions(
        self, articles: Iterable[Article], *, batch_size: int = 32
    ) -> Iterator[tuple[Article, list[Mention]]]:
        """Each article's mentions; without the parse, which only the claims read."""
        for analyzed in self.analyzer.analyze(articles, batch_size=batch_size, parse=False):
            yield analyzed.article, analyzed.mentions

    def process(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[ArticleResult]:
        for analyzed in self.analyze(articles, batch_size=batch_size):
            claims = claims_for_article(analyzed)
            yield ArticleResult(
                article=analyzed.article.id,
                mentions=analyzed.mentions,
                claims=claims,
                facts=facts_for_article(analyzed, claims, self.short_names, self.rules),
            )


def build_pipeline(records_dir: Path | None) -> Pipeline:
    """The pipeline for the records in `records_dir` (None: the shipped data only)."""
    if records_dir is None:
        return Pipeline({})
    from extract.records import load_records

    return Pipeline(load_records(records_dir))


def _short_names(gazetteer: Gazetteer, records: Iterable[CountryRecord]) -> dict[str, str]:
    """How records write each entity: their own link label ("AFSA"), else a short acronym ("NBK"),
    else the name."""
    names = {}
    for entity in gazetteer.entities.values():
        acronyms = sorted(
            (a for a in entity.aliases if a.isupper() and " " not in a and len(a) <= 5), key=len
        )
        names[entity.id] = acronyms[0] if acronyms else entity.name
    for record in records:
        for target, label in record.links:
            if target in names:
                names[target] = label
            # the record may link its own id for a body the gazetteer knows ("[[entity--cma-kenya|CMA]]")
            for entity in gazetteer.entities.values():
                if entity.country == record.code and label in {
                    *entity.aliases,
                    _initials(entity.name, record.name),
                }:
                    names[entity.id] = label
    return names


def _initials(name: str, country: str) -> str:
    """ "Capital Markets Authority of Kenya" → "CMA": the capitalised words, the country left out."""
    skip = set(country.split())
    return "".join(word[0] for word in name.split() if word[:1].isupper() and word not in skip)


def _first_words(phrases: Iterable[str]) -> set[str]:
    """The first word of each phrase: a paragraph whose lemmas include one may hold the phrase."""
    return {phrase.split()[0] for phrase in phrases if phrase.split() and phrase != "be"}
