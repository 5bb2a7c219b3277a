"""The shipped gazetteers (patterns/entities.jsonl, patterns/country_extras.jsonl) and the gold mentions."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

import extract
from extract.evaluate import evaluate_mentions
from extract.gazetteer import library_countries
from extract.models import VALUE_TYPE_BY_KIND, Mention, MentionGold

PATTERNS = Path(extract.__file__).parent / "patterns"
CORPUS = Path(__file__).parents[1] / "corpus"

ENTITY_KEYS = ["id", "name", "type", "country", "aliases"]
EXTRA_KEYS = ["code", "aliases", "demonyms", "capitals", "not_aliases"]
GOLD_KEYS = ["article", "kind", "text", "value"]
ENTITY_TYPES = {"regulator", "stablecoin", "exchange"}


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


ENTITIES = _lines(PATTERNS / "entities.jsonl")
EXTRAS = _lines(PATTERNS / "country_extras.jsonl")
GOLD = _lines(CORPUS / "gold" / "mentions.jsonl")


def _surfaces(entity: dict[str, Any]) -> list[str]:
    return [entity["name"], *entity["aliases"]]


def _is_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


# --- entities.jsonl ---------------------------------------------------------------------------


@pytest.mark.parametrize("entity", ENTITIES, ids=[e.get("id", "?") for e in ENTITIES])
def test_entity_line_is_well_formed(entity: dict[str, Any]) -> None:
    assert list(entity) == ENTITY_KEYS
    assert re.fullmatch(r"entity--[a-z0-9]+(-[a-z0-9]+)*", entity["id"])
    assert entity["type"] in ENTITY_TYPES
    assert entity["country"] is None or _is_country(entity["country"])
    assert isinstance(entity["aliases"], list)
    for surface in _surfaces(entity):
        assert isinstance(surface, str) and surface == surface.strip() and surface


def test_entity_ids_are_unique() -> None:
    repeated = [i for i, n in Counter(e["id"] for e in ENTITIES).items() if n > 1]
    assert repeated == []


def test_a_surface_two_entities_share_belongs_to_two_countries() -> None:
    # A repeat within one entity is noise. An acronym two bodies use ("AFM") is shared on purpose and
    # resolved by the country a sentence is about, so its owners must be regulators of distinct countries.
    assert all(len(set(_surfaces(e))) == len(_surfaces(e)) for e in ENTITIES)
    owners: dict[str, list[dict[str, Any]]] = {}
    for entity in ENTITIES:
        for surface in {s.casefold() for s in _surfaces(entity)}:
            owners.setdefault(surface, []).append(entity)
    for surface, entities in owners.items():
        if len(entities) > 1:
            countries = [e["country"] for e in entities]
            assert None not in countries and len(set(countries)) == len(countries), surface
            assert {e["type"] for e in entities} == {"regulator"}, surface


def test_no_entity_surface_is_a_country_name() -> None:
    country_surfaces = {
        s for c in library_countries().values() for s in (*c.names, *c.capitals, *c.demonyms)
    }
    assert [s for e in ENTITIES for s in _surfaces(e) if s in country_surfaces] == []


@pytest.mark.parametrize("record", sorted((CORPUS / "countries").glob("*.md")), ids=lambda p: p.name)
def test_record_entity_links_resolve(record: Path) -> None:
    # Records link regulators as [[entity--x|X]]; currencies (KGS, KZT) are linked too but are not ours.
    links = re.findall(r"\[\[(entity--[^|\]]+)\|([^\]]+)\]\]", record.read_text(encoding="utf-8"))
    known = {e["id"] for e in ENTITIES}
    unknown = [t for t, label in links if t not in known and pycountry.currencies.get(alpha_3=label) is None]
    assert links and unknown == []


# --- country_extras.jsonl ---------------------------------------------------------------------


@pytest.mark.parametrize("extra", EXTRAS, ids=[x.get("code", "?") for x in EXTRAS])
def test_extra_line_is_well_formed(extra: dict[str, Any]) -> None:
    assert list(extra) == EXTRA_KEYS
    assert _is_country(extra["code"])
    wanted = [*extra["aliases"], *extra["demonyms"], *extra["capitals"]]
    for text in [*wanted, *extra["not_aliases"]]:
        assert isinstance(text, str) and text == text.strip() and text
    assert set(wanted).isdisjoint(extra["not_aliases"])
    assert len(set(wanted)) == len(wanted)


def test_extras_one_line_per_country_in_code_order() -> None:
    codes = [x["code"] for x in EXTRAS]
    assert codes == sorted(set(codes))


def test_extras_reach_the_countries() -> None:
    countries = library_countries()
    for extra in EXTRAS:
        country = countries[extra["code"]]
        assert set(extra["aliases"]) <= set(country.names), extra["code"]
        assert set(extra["demonyms"]) <= set(country.demonyms), extra["code"]
        assert set(extra["capitals"]) <= set(country.capitals), extra["code"]
        assert set(extra["not_aliases"]).isdisjoint({*country.names, *country.demonyms, *country.capitals})


def test_no_name_stands_for_two_countries() -> None:
    owners: dict[str, set[str]] = {}
    for code, country in library_countries().items():
        for text in (*country.names, *country.capitals, *country.demonyms):
            owners.setdefault(text, set()).add(code)
    assert {t: codes for t, codes in owners.items() if len(codes) > 1} == {}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kyrgyz", "KG"), ("Kazakh", "KZ"), ("Uzbek", "UZ"), ("Tajik", "TJ"), ("British", "GB"),
        ("American", "US"), ("Emirati", "AE"), ("Chinese", "CN"), ("US", "US"), ("U.S.", "US"),
        ("UK", "GB"), ("UAE", "AE"), ("Astana", "KZ"), ("Nur-Sultan", "KZ"), ("Almaty", "KZ"),
        ("Kiev", "UA"), ("Kyiv", "UA"), ("Кыргызстан", "KG"), ("Қазақстан", "KZ"),
    ],
)
def test_newspaper_names_resolve(text: str, code: str) -> None:
    country = library_countries()[code]
    assert text in (*country.names, *country.demonyms, *country.capitals)


@pytest.mark.parametrize("text", ["IN", "IS", "IT", "NO", "Island", "Mann", "The Valley", "Hamilton"])
def test_dangerous_strings_name_no_country(text: str) -> None:
    assert not any(text in (*c.names, *c.demonyms, *c.capitals) for c in library_countries().values())


# --- corpus/gold/mentions.jsonl ---------------------------------------------------------------


def _gold_id(index: int, line: dict[str, Any]) -> str:
    return f"{line.get('article')}:{index + 1}:{line.get('text')}"


def _article_text(article: str) -> str:
    return (CORPUS / "articles" / article).read_text(encoding="utf-8")


def _intended_spans() -> list[tuple[int, int]]:
    """Where each gold line was labelled: its text's first occurrence after the previous line's."""
    cursor: dict[str, int] = {}
    spans = []
    for index, line in enumerate(GOLD):
        start = _article_text(line["article"]).find(line["text"], cursor.get(line["article"], 0))
        assert start >= 0, f"{_gold_id(index, line)}: text not found after the previous line"
        cursor[line["article"]] = start + len(line["text"])
        spans.append((start, start + len(line["text"])))
    return spans


@pytest.mark.parametrize("line", GOLD, ids=[_gold_id(i, g) for i, g in enumerate(GOLD)])
def test_gold_line_is_well_formed(line: dict[str, Any]) -> None:
    assert list(line) == GOLD_KEYS
    assert (CORPUS / "articles" / line["article"]).is_file()
    MentionGold.model_validate(line)
    VALUE_TYPE_BY_KIND[line["kind"]].model_validate(line["value"])  # complete enough to be an output value


def test_gold_is_in_article_order() -> None:
    _intended_spans()


def test_perfect_output_scores_one() -> None:
    # The evaluator places the n-th gold line of a text on that text's n-th occurrence; a mention at
    # exactly the labelled place, with the gold value, must hit — so the gold text is unambiguous.
    gold = [MentionGold.model_validate(line) for line in GOLD]
    output = [
        Mention(article=line["article"], kind=line["kind"], label=line["kind"].upper(), start=start, end=end,
                text=line["text"], sentence=(start, end), value=line["value"], countries=[], source="gold")
        for line, (start, end) in zip(GOLD, _intended_spans(), strict=True)
    ]
    texts = {line["article"]: _article_text(line["article"]) for line in GOLD}
    report = evaluate_mentions(gold, output, articles=texts)
    assert report.misses == [] and report.false_positives == []
    assert report.overall.recall == 1


def test_gold_lists_every_occurrence_of_an_entity() -> None:
    # "every occurrence" is the convention: a labelled acronym is labelled wherever it stands.
    spans = _intended_spans()
    for article in {line["article"] for line in GOLD}:
        body = _article_text(article)
        labelled = {span for line, span in zip(GOLD, spans, strict=True) if line["article"] == article}
        entities = {line["text"] for line in GOLD if line["article"] == article and line["kind"] == "entity"}
        for text in entities:
            for match in re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", body):
                assert any(s <= match.start() and match.end() <= e for s, e in labelled), (article, text)


def test_gold_entities_are_gazetteer_surfaces() -> None:
    by_name = {e["name"]: e for e in ENTITIES}
    for index, line in enumerate(GOLD):
        if line["kind"] == "entity":
            entity = by_name[line["value"]["name"]]
            assert entity["type"] == line["value"]["type"], _gold_id(index, line)
            assert line["text"] in _surfaces(entity), _gold_id(index, line)


def test_gold_covers_every_shipped_article() -> None:
    articles = {p.name for p in (CORPUS / "articles").glob("*.txt")}
    assert {g["article"] for g in GOLD} == articles
