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
from extract.gazetteer import (
    Gazetteer,
    generic_name,
    library_countries,
    runs_on_into_another_name,
    word_order_variants,
)
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
    country_surfaces = {s for c in library_countries().values() for s in (*c.names, *c.capitals, *c.demonyms)}
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
        ("Kyrgyz", "KG"),
        ("Kazakh", "KZ"),
        ("Uzbek", "UZ"),
        ("Tajik", "TJ"),
        ("British", "GB"),
        ("American", "US"),
        ("Emirati", "AE"),
        ("Chinese", "CN"),
        ("US", "US"),
        ("U.S.", "US"),
        ("UK", "GB"),
        ("UAE", "AE"),
        ("Astana", "KZ"),
        ("Nur-Sultan", "KZ"),
        ("Almaty", "KZ"),
        ("Kiev", "UA"),
        ("Kyiv", "UA"),
        ("Кыргызстан", "KG"),
        ("Қазақстан", "KZ"),
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
        Mention(
            article=line["article"],
            kind=line["kind"],
            label=line["kind"].upper(),
            start=start,
            end=end,
            text=line["text"],
            sentence=(start, end),
            value=line["value"],
            countries=[],
            source="gold",
        )
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


# --- names several countries' bodies share; word order (issue 13) -------------------------------


SHIPPED = Gazetteer.from_records([])


@pytest.mark.parametrize(
    ("surface", "country", "expected"),
    [
        ("AFM", "KZ", "entity--afm-kz"),  # Kazakhstan's Agency for Financial Monitoring
        ("AFM", "NL", "entity--afm"),  # the Dutch Authority for the Financial Markets
        ("AFM", "US", None),  # two bodies, neither American: left unresolved
        ("AFM", None, None),
        ("FMA", "KZ", "entity--afm-kz"),
        ("FMA", "AT", "entity--fma-at"),
        ("FMA", "NZ", "entity--fma-nz"),
        ("National Bank", "KZ", "entity--nbk"),
        ("National Bank", "KG", "entity--nbkr"),
        ("National Bank", "UA", "entity--nbu"),
        ("National Bank", "CZ", "entity--cnb"),  # "Czech National Bank"
        ("National Bank", "BY", "entity--nbrb"),  # "National Bank of the Republic of Belarus"
        ("National Bank", "FR", None),  # no French body called so
        ("Central Bank", "NG", "entity--cbn"),
        ("Central Bank", "KE", "entity--cbk"),
        ("Central Bank", "RU", "entity--bank-of-russia"),  # its alias "Central Bank of Russia"
        ("Central Bank", "SA", "entity--sama"),  # "Saudi Central Bank"
        ("Securities and Exchange Commission", "NG", "entity--sec-ng"),
        ("Securities and Exchange Commission", "PK", "entity--secp"),
        ("Securities and Exchange Commission", "US", "entity--sec"),
        ("Securities and Exchange Commission", "DE", "entity--sec"),  # only the SEC calls itself so
        ("Virtual Assets Regulatory Authority", "PK", "entity--pvara"),
        ("Virtual Assets Regulatory Authority", "AE", "entity--vara"),
        ("Financial Services Commission", "MU", "entity--fsc-mu"),
        ("Financial Services Commission", "KR", "entity--fsc-kr"),
        ("Reserve Bank", "ZA", "entity--sarb"),
        ("Reserve Bank", "IN", "entity--rbi"),
        ("Monetary Authority", "SG", "entity--mas"),
        ("Monetary Authority", "HK", "entity--hkma"),
    ],
)
def test_a_shared_name_is_the_body_of_the_country_in_question(
    surface: str, country: str | None, expected: str | None
) -> None:
    refs = {s.text: s.ref for s in SHIPPED.surfaces()}
    assert refs[surface] == "shared:" + surface
    entity = SHIPPED.shared_entity(surface, country)
    assert (entity.id if entity else None) == expected


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        (
            "Service for Licensing and Oversight of the Payments Market",
            ["Payments Market Licensing and Oversight Service"],
        ),
        (
            "Financial Market Regulation and Supervision Service",
            ["Service for Financial Market Regulation and Supervision"],
        ),
        ("Agency for Financial Monitoring", ["Financial Monitoring Agency"]),
        ("Financial Monitoring Agency", ["Agency for Financial Monitoring"]),
        (
            "Agency for Regulation and Development of Financial Market",
            ["Financial Market Regulation and Development Agency"],
        ),
        ("Committee for Digital Assets", ["Digital Assets Committee"]),
        ("Commission for Virtual Asset Oversight", ["Virtual Asset Oversight Commission"]),
        ("Bank of Russia", []),
        ("Ministry of Finance", []),
        ("Financial Action Task Force", []),
        ("Authority for the Financial Markets", ["Financial Markets Authority"]),
    ],
)
def test_word_order_variants(name: str, variants: list[str]) -> None:
    assert word_order_variants(name) == variants


def test_both_word_orders_name_one_body() -> None:
    refs = {s.text: s.ref for s in SHIPPED.surfaces()}
    assert refs["Financial Market Regulation and Supervision Service"] == "entity--kg-fmrss"
    # the generated other order of the shipped name (the one the gazetteer writes out for it)
    other_order = {ref for text, ref in refs.items() if text.startswith("Service for Regulation")}
    assert other_order == {"entity--kg-fmrss"}
    assert refs["Service for Financial Market Regulation and Supervision"] == "entity--kg-fmrss"


@pytest.mark.parametrize(
    ("name", "code", "generic"),
    [
        ("National Bank of the Kyrgyz Republic", "KG", "National Bank"),
        ("Czech National Bank", "CZ", "National Bank"),
        ("Capital Markets Authority of Kenya", "KE", "Capital Markets Authority"),
        ("Financial Market Authority Liechtenstein", "LI", "Financial Market Authority"),
        ("Bank of Russia", "RU", None),  # "Bank" alone is no name
        ("Bangladesh Bank", "BD", None),
        ("Financial Conduct Authority", "GB", None),  # names no country: not a generic form of another
    ],
)
def test_generic_names(name: str, code: str, generic: str | None) -> None:
    assert generic_name(name, library_countries()[code]) == generic


@pytest.mark.parametrize(
    ("surface", "following", "runs_on"),
    [
        ("Central Bank", " Digital Currency (CBDC) was launched", True),
        ("National Bank", "’s Investment Corporation will buy", True),
        ("National Bank", " Chairman Timur said", False),
        ("National Bank", " Governor said", False),
        ("National Bank", " said on Monday", False),
        ("National Bank", ", which issues", False),
        ("AFM", " Head said", False),  # an acronym is a whole name
    ],
)
def test_a_generic_name_running_on_into_another_name(surface: str, following: str, runs_on: bool) -> None:
    assert runs_on_into_another_name(surface, following) is runs_on


# the same names through the mentions stage (the real model, the shipped records)
REGULATOR_SENTENCES = [
    ("Kazakhstan's AFM shut down 30 illegal exchanges in Almaty this year.", "AFM", "entity--afm-kz"),
    ("In the Netherlands, the AFM fined a crypto broker for missing registration.", "AFM", "entity--afm"),
    (
        "Kazakhstan plans a crypto reserve. National Bank Chairman Timur said it will hold bitcoin.",
        "National Bank",
        "entity--nbk",
    ),
    (
        "Kyrgyzstan's parliament gave the National Bank the right to issue a digital som.",
        "National Bank",
        "entity--nbkr",
    ),
    ("Ukraine's National Bank warned banks about crypto payments.", "National Bank", "entity--nbu"),
    (
        "In Nigeria, the Central Bank lifted its ban on crypto accounts for banks.",
        "Central Bank",
        "entity--cbn",
    ),
    (
        "Pakistan set up the Virtual Assets Regulatory Authority to license exchanges.",
        "Virtual Assets Regulatory Authority",
        "entity--pvara",
    ),
    (
        "In Kyrgyzstan, the Financial Market Regulation and Supervision Service licenses crypto exchanges.",
        "Financial Market Regulation and Supervision Service",
        "entity--kg-fmrss",
    ),
]


@pytest.mark.parametrize(
    ("text", "surface", "expected"), REGULATOR_SENTENCES, ids=[s[0][:50] for s in REGULATOR_SENTENCES]
)
def test_shared_names_in_sentences(pipeline: Any, text: str, surface: str, expected: str) -> None:
    from extract.models import Article

    (analyzed,) = pipeline.analyze([Article(id="t.txt", text=text)])
    found = {m.text: m.value.id for m in analyzed.mentions if m.kind == "entity"}
    assert found[surface] == expected


def test_a_generic_name_inside_another_name_is_no_regulator(pipeline: Any) -> None:
    from extract.models import Article

    text = "Kazakhstan completed the first payment in its Central Bank Digital Currency on Monday."
    (analyzed,) = pipeline.analyze([Article(id="t.txt", text=text)])
    assert [m for m in analyzed.mentions if m.kind == "entity" and m.value.type == "regulator"] == []
