"""Gazetteers: which surface strings name which country, regulator, stablecoin or exchange.

Countries come from libraries (pycountry names, babel's English territory names, countryinfo's
alternative spellings, native names, capitals and demonyms), corrected by
`patterns/country_extras.jsonl`; regulators, stablecoins and exchanges from
`patterns/entities.jsonl`; people news often names, under their several transliterations, from
`patterns/people.jsonl`. The country records add their own aliases and `[[entity--x|X]]` links,
so a curator extends matching by editing a record or a data file, never Python.

A regulator is matched under its name's other word order too ("Financial Monitoring Agency" /
"Agency for Financial Monitoring", heads from `patterns/bodies.json`), and under its generic name:
"National Bank of Kazakhstan", "Czech National Bank" → "National Bank". A surface that several
countries' bodies claim (an acronym two entities list, a generic name) is *shared*: its match carries
`SHARED_ID_PREFIX`, and the mentions stage resolves it to the body of the country the sentence is
about (`Gazetteer.shared_entity`); where no such body is known, a name only one body lists explicitly
stays that body's.

Matching is case-sensitive for every name (news capitalises names, and "turkey" or "chad" in
lower case are not countries); codes of three letters or fewer are never used as country aliases
(IN, IT, CAN, PER are English words) unless country_extras lists them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any, Literal, Protocol, TypeVar

from pydantic import Field

from extract.jsonl import parse_line
from extract.models import Contract
from extract.normalize.names import name_key

EntityType = Literal["regulator", "stablecoin", "exchange"]
LABEL_BY_TYPE: dict[str, str] = {"regulator": "REGULATOR", "stablecoin": "STABLECOIN", "exchange": "EXCHANGE"}
COUNTRY_ID_PREFIX = "country:"
PERSON_ID_PREFIX = "person:"
SHARED_ID_PREFIX = "shared:"
C = TypeVar("C", bound=Contract)


class GazetteerEntity(Contract):
    """One line of patterns/entities.jsonl."""

    id: str = Field(pattern=r"^entity--[a-z0-9_-]+$")
    name: str
    type: EntityType
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)


class CountryExtra(Contract):
    """One line of patterns/country_extras.jsonl: what the libraries lack or get wrong."""

    code: str
    aliases: list[str] = Field(default_factory=list)
    demonyms: list[str] = Field(default_factory=list)
    capitals: list[str] = Field(default_factory=list)
    not_aliases: list[str] = Field(default_factory=list)


class GazetteerPerson(Contract):
    """One line of patterns/people.jsonl: a person news names often, under several spellings."""

    name: str
    country: str | None = None
    role: str
    aliases: list[str] = Field(default_factory=list)


class Country(Contract):
    code: str
    name: str
    link_id: str = Field(description='"country--kyrgyzstan": the id records use to link a country.')
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]
    currencies: tuple[str, ...]


class Surface(Contract):
    """One string to match, what it names, and the label the match gets."""

    text: str
    label: str
    ref: str = Field(description='"country:KG" or an entity id such as "entity--nbkr".')


class RecordLike(Protocol):
    """What the gazetteer needs of a country record (CountryRecord satisfies it)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> list[str]: ...
    @property
    def links(self) -> list[tuple[str, str]]: ...


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _read_data(name: str, model: type[C]) -> list[C]:
    path = resources.files("extract") / "patterns" / name
    return [
        parse_line(model, line, where=f"{path}:{number}")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip()
    ]


@cache
def _bodies_data() -> dict[str, list[str]]:
    path = resources.files("extract") / "patterns" / "bodies.json"
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def _body_heads() -> tuple[frozenset[str], frozenset[str]]:
    """Head nouns of bodies' names that take a word-order variant, and those (plus banks) that make a
    generic name."""
    data = _bodies_data()
    return frozenset(data["heads"]), frozenset([*data["heads"], *data["generic_only_heads"]])


def is_body_name(name: str) -> bool:
    """A public body's name by its head noun: "Prudential Authority", "Virtual Assets Agency"."""
    words = name.split()
    return len(words) >= 2 and words[-1] in _body_heads()[0]


def runs_on_into_another_name(surface: str, following: str) -> bool:
    """Whether a generic name is the start of another name: "Central Bank| Digital Currency",
    "National Bank|’s Investment Corporation"; not before an office title ("National Bank| Chairman")."""
    m = re.match(r"(?:['’]s)?[^\S\n]+([A-Z][\w-]*)", following)
    return " " in surface and m is not None and m[1] not in _bodies_data()["office_titles"]


_TITLE_WORDS = r"(?:[A-Z][\w'’-]*|and|&)(?: (?:[A-Z][\w'’-]*|and|&))*"


def word_order_variants(name: str) -> list[str]:
    """A body's name in its other word order: "Service for Licensing and Oversight of the Payments
    Market" ↔ "Payments Market Licensing and Oversight Service"; "Agency for Financial Monitoring" ↔
    "Financial Monitoring Agency". Names of another shape give none."""
    heads, _ = _body_heads()
    words = name.split()
    if len(words) < 3:
        return []
    if words[0] in heads and words[1] == "for":
        subject = " ".join(words[2:])
        m = re.fullmatch(rf"(?P<what>{_TITLE_WORDS}) of (?:the )?(?P<of>{_TITLE_WORDS})", subject)
        if m:
            return [f"{m['of']} {m['what']} {words[0]}"]
        subject = subject.removeprefix("the ")
        return [f"{subject} {words[0]}"] if re.fullmatch(_TITLE_WORDS, subject) else []
    if words[-1] in heads and re.fullmatch(_TITLE_WORDS, " ".join(words[:-1])):
        return [f"{words[-1]} for {' '.join(words[:-1])}"] if words[0][0].isupper() else []
    return []


def generic_name(name: str, country: Country) -> str | None:
    """What a body is called inside its own country: "National Bank of the Republic of Kazakhstan",
    "Czech National Bank" → "National Bank"; None unless the rest names the body's kind in two or more
    words ending in a head noun ("Bank of Russia" has no generic name)."""
    _, heads = _body_heads()
    own = sorted({*country.names, *country.demonyms}, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in own if n)
    if not alternatives:
        return None
    own_name = rf"(?:{alternatives})"
    m = re.fullmatch(rf"(?:{own_name} )?(?P<body>.+?)(?: of (?:the )?{own_name}| {own_name})?", name)
    body = m["body"] if m else name
    words = body.split()
    if body == name or len(words) < 2 or words[-1] not in heads or not words[0][0].isupper():
        return None
    return body


def _is_code(alias: str) -> bool:
    return len(alias) <= 3 and alias.isupper()


@cache
def library_countries() -> dict[str, Country]:
    """Every ISO 3166-1 country, with names, demonyms, capitals and currencies from the libraries."""
    import pycountry
    from babel import Locale
    from countryinfo import all_countries

    info_by_code: dict[str, dict[str, Any]] = {}
    for entry in all_countries():
        info: dict[str, Any] = dict(entry.info())
        code = (info.get("ISO") or {}).get("alpha2")
        # countryinfo has several entries for some codes (GB: the UK and Wales): keep the largest.
        if code and (info.get("population") or 0) >= (info_by_code.get(code, {}).get("population") or 0):
            info_by_code[code] = info
    extras = {extra.code: extra for extra in _read_data("country_extras.jsonl", CountryExtra)}
    territories = Locale("en").territories
    countries = {}
    for record in pycountry.countries:
        code = record.alpha_2
        info = info_by_code.get(code, {})
        extra = extras.get(code, CountryExtra(code=code))
        name = getattr(record, "common_name", None) or territories.get(code) or record.name
        candidates = [
            name,
            record.name,
            getattr(record, "official_name", None),
            territories.get(code),
            *_strings(info.get("name")),
            *_strings(info.get("nativeName")),
            *_strings(info.get("altSpellings")),
        ]
        names = _unique(
            alias
            for alias in [*candidates, *extra.aliases]
            if alias and alias not in extra.not_aliases and (not _is_code(alias) or alias in extra.aliases)
        )
        demonyms = _unique(
            d for d in [*_strings(info.get("demonym")), *extra.demonyms] if d not in extra.not_aliases
        )
        capitals = _unique(
            c for c in [*_strings(info.get("capital")), *extra.capitals] if c not in extra.not_aliases
        )
        countries[code] = Country(
            code=code,
            name=name,
            link_id=f"country--{_slug(name)}",
            names=names,
            demonyms=demonyms,
            capitals=capitals,
            currencies=tuple(info.get("currencies") or ()),
        )
    return countries


@cache
def shipped_people() -> tuple[GazetteerPerson, ...]:
    return tuple(_read_data("people.jsonl", GazetteerPerson))


@cache
def shipped_entities() -> tuple[GazetteerEntity, ...]:
    return tuple(_read_data("entities.jsonl", GazetteerEntity))


def _strings(value: object) -> list[str]:
    """countryinfo gives a string, a list of strings or nothing."""
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in items if item and item.strip()))


class Gazetteer:
    """Countries and named entities, with the records' own aliases and links folded in."""

    def __init__(self, countries: Mapping[str, Country], entities: Iterable[GazetteerEntity]) -> None:
        self.countries = dict(countries)
        self.entities = {entity.id: entity for entity in entities}
        self._person_by_key: dict[str, GazetteerPerson] = {}
        surnames: dict[str, list[GazetteerPerson]] = {}
        for person in shipped_people():
            for spelling in (person.name, *person.aliases):
                self._person_by_key[name_key(spelling)] = person
                surnames.setdefault(name_key(spelling.split()[-1]), []).append(person)
        for key, people in surnames.items():
            if len({p.name for p in people}) == 1:
                self._person_by_key.setdefault(key, people[0])
        self._claims: dict[str, dict[str, bool]] = {}  # surface → entity id → named explicitly
        for entity in self.entities.values():
            explicit = [entity.name, *entity.aliases]
            if entity.type == "regulator":
                explicit += [v for n in explicit for v in word_order_variants(n)]
            for text in explicit:
                self._claims.setdefault(text, {})[entity.id] = True
            country = self.countries.get(entity.country or "")
            if entity.type == "regulator" and country is not None:
                for text in {g for n in explicit if (g := generic_name(n, country))}:
                    self._claims.setdefault(text, {}).setdefault(entity.id, False)
        self._country_by_name = {
            alias: code
            for code, country in self.countries.items()
            for alias in (*country.names, *country.capitals, *country.demonyms)
        }
        self._countries_by_currency: dict[str, list[str]] = {}
        for code, country in self.countries.items():
            for currency in dict.fromkeys(country.currencies):
                self._countries_by_currency.setdefault(currency, []).append(code)

    @classmethod
    def from_records(cls, records: Iterable[RecordLike] = ()) -> Gazetteer:
        """The shipped gazetteer, extended by each record's aliases and entity links."""
        countries = dict(library_countries())
        entities = {entity.id: entity for entity in shipped_entities()}
        for record in records:
            country = countries.get(record.code)
            if country is not None:
                aliases = [a for a in record.aliases if not _is_code(a)]
                countries[record.code] = country.model_copy(
                    update={"names": _unique([*country.names, record.name, *aliases])}
                )
            for target, label in record.links:
                if not target.startswith("entity--") or _is_currency_code(label):
                    continue
                known = entities.get(target)
                if known is not None:
                    entities[target] = known.model_copy(
                        update={"aliases": list(_unique([*known.aliases, label]))}
                    )
                elif not any(
                    e.country == record.code and label in (e.name, *e.aliases) for e in entities.values()
                ):
                    # A record links an entity the shipped data lacks: in a licensing or
                    # regulator row it is a regulator, which is what records link most. A label
                    # another country's body also uses ("SEC") becomes a shared name, resolved
                    # by the country each sentence is about.
                    entities[target] = GazetteerEntity(
                        id=target, name=label, type="regulator", country=record.code, aliases=[]
                    )
        return cls(countries, entities.values())

    def surfaces(self) -> Iterator[Surface]:
        """Every string to match, longest first so that a longer name wins over its prefix."""
        seen: set[str] = set()
        items: list[Surface] = []
        for text, claims in self._claims.items():
            first = self.entities[next(iter(claims))]
            ref = first.id if self._is_shared(claims) is False else SHARED_ID_PREFIX + text
            items.append(Surface(text=text, label=LABEL_BY_TYPE[first.type], ref=ref))
        for person in shipped_people():
            spellings = (person.name, *person.aliases)
            surnames = {s.split()[-1] for s in spellings if " " in s}
            items.extend(
                Surface(text=t, label="PERSON", ref=PERSON_ID_PREFIX + person.name)
                for t in (*spellings, *(n for n in surnames if self.person(n) is person))
            )
        for code, country in self.countries.items():
            ref = COUNTRY_ID_PREFIX + code
            items.extend(Surface(text=t, label="GPE", ref=ref) for t in (*country.names, *country.capitals))
            items.extend(Surface(text=t, label="NORP", ref=ref) for t in country.demonyms)
        for surface in sorted(items, key=lambda s: -len(s.text)):
            if surface.text not in seen:
                seen.add(surface.text)
                yield surface

    def country_code(self, text: str) -> str | None:
        """The country a name, capital or demonym stands for, if the gazetteer knows it."""
        text = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
        text = re.sub(r"[’']s$", "", text)
        return self._country_by_name.get(text)

    @staticmethod
    def _is_shared(claims: Mapping[str, bool]) -> bool:
        return len(claims) > 1 or not all(claims.values())

    def shared_entity(self, surface: str, code: str | None) -> GazetteerEntity | None:
        """The body a shared `surface` names in a text about country `code`: the one body of that
        country claiming it, else the one body naming it explicitly, else None."""
        claims = self._claims.get(surface, {})
        local = [i for i in claims if self.entities[i].country == code] if code else []
        explicit = [i for i, named in claims.items() if named]
        chosen = local if len(local) == 1 else explicit if len(explicit) == 1 else []
        return self.entities[chosen[0]] if chosen else None

    def entity_in_country(self, surface: str, code: str) -> GazetteerEntity | None:
        """The entity of country `code` that `surface` names in part: "Securities and Exchange
        Commission" after "Nigeria's" is the Securities and Exchange Commission of Nigeria."""
        pattern = re.compile(rf"(?<!\w){re.escape(surface)}(?!\w)")
        found = [
            e
            for e in self.entities.values()
            if e.country == code and any(pattern.search(n) for n in (e.name, *e.aliases))
        ]
        return found[0] if len(found) == 1 else None

    def person(self, name: str) -> GazetteerPerson | None:
        """The known person a name stands for, whatever its transliteration ("Zhaparov", "Japarov")."""
        return self._person_by_key.get(name_key(name))

    def currency_country(self, currency: str) -> list[str]:
        """The countries that use a currency (ISO 4217 code)."""
        return list(self._countries_by_currency.get(currency, ()))


def _is_currency_code(text: str) -> bool:
    import pycountry

    return len(text) == 3 and text.isupper() and pycountry.currencies.get(alpha_3=text) is not None
