"""Currency lookup: a symbol, ISO code or name as written in text ("US$", "₸", "KZT", "soms", "Kyrgyz som",
"Indian rupees") → an ISO 4217 code; a minor unit ("cents", "¢", "pence") → its currency and factor.

The tables come from CLDR (babel, English locale) for every currency that is legal tender in some
territory today: each ISO code, its symbol, its English names (singular, plural) and their last word
("Kyrgystani soms" → "soms"). `data/currencies.json` adds spellings CLDR lacks, abbreviations of a name
("Sh" for every shilling, "Rs" for every rupee), marks names and codes that are ordinary English words
("real", "TOP"), and gives defaults for shared tokens.

Local symbols: CLDR's English locale of each territory ("en_ZA", "en_KE", "en_SG") writes its legal tender
with a symbol of its own ("R", "Ksh", "$"). Such a symbol means that currency in a sentence about a country
that uses it ("R45,000" in South Africa, "$5 million" in Singapore); elsewhere it means only what the tables
above give it ("$" → USD) and nothing when they give it nothing ("R45" in a sentence about France). Only
English locales: an English report about Mexico writes US dollars with "$", where es_MX's "$" is the peso.

A token shared by several currencies ("som": KGS and UZS; "dollar"; "Rs") resolves to the
sentence's own currency when it is one of them, else to the documented default ("dollar" → USD,
"$" → USD), else to None: a missing currency is better than a wrong one. "<Adjective> <name>" ("Kyrgyz soms",
"Uzbek som", "Korean won") keeps the currencies of the countries whose name the adjective shares a stem with.
A name that is also an everyday word ("won", the verb) is a currency only right after an amount of at least
the size the data gives it ("500 million won", not "four won").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

import pycountry
from babel import Locale, localedata
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies

from extract.normalize.vocabulary import alternation, load_data

_MIN_ADJECTIVE = 4  # shorter adjectives ("Us", "New") are too loose a stem


@dataclass(frozen=True)
class CurrencyTables:
    """Every token that can name a currency, with the ISO codes it may mean."""

    symbols: dict[str, frozenset[str]]  # case-sensitive: "$", "US$", "₸", "KZT", "Rs"
    words: dict[str, frozenset[str]]  # lower case: "som", "soms", "us dollars", "kazakhstani tenge"
    defaults: dict[str, str]  # a shared token (symbol as written, word in lower case) → its usual code
    by_country: dict[str, frozenset[str]]  # lower-case country name → its legal tender
    minor: dict[str, tuple[frozenset[str], Decimal]]  # "¢", "cents" (lower case) → currencies and factor
    local_symbols: dict[str, frozenset[str]]  # "R", "Ksh", "$" → the legal tender written so in its territory
    least_amounts: dict[str, Decimal]  # "won" (lower case) → the smallest amount it is a currency after


def _as_codes(value: str | list[str]) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


@cache
def currency_tables() -> CurrencyTables:
    """The lookup tables, built once per process from babel, pycountry and `data/currencies.json`."""
    extra = load_data("currencies.json")
    not_words = {word.lower() for word in extra["not_words"]}
    not_codes = set(extra["not_codes"])
    symbols: defaultdict[str, set[str]] = defaultdict(set)
    words: defaultdict[str, set[str]] = defaultdict(set)
    by_country: dict[str, frozenset[str]] = {}
    for country in pycountry.countries:
        tender = frozenset(get_territory_currencies(country.alpha_2, tender=True))
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name:
                # ISO's inverted names ("Korea, Republic of"): the head is the name an adjective shares
                for key in {name.lower(), name.lower().partition(",")[0]}:
                    by_country[key] = by_country.get(key, frozenset()) | tender
    for code in sorted(set().union(*by_country.values())):
        if code not in not_codes:
            symbols[code].add(code)
        symbol = get_currency_symbol(code, locale="en")
        if symbol != code:
            symbols[symbol].add(code)
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en").lower()
            if "(" in name:
                continue
            words[name].add(code)
            last_word = name.split()[-1]
            if last_word not in not_words:
                words[last_word].add(code)
    for symbol, codes in extra["symbols"].items():
        symbols[symbol] |= _as_codes(codes)
    for word, codes in extra["words"].items():
        words[word.lower()] |= _as_codes(codes)
    # CLDR is uneven in plurals (KGS "soms", UZS "som"): a name and its plural mean the same currencies.
    for word in [word for word in words if word + "s" in words]:
        words[word] = words[word + "s"] = words[word] | words[word + "s"]
    for abbreviation, name in extra["abbreviations"].items():
        if name not in words:
            raise ValueError(f"currencies.json: abbreviation {abbreviation!r} names no currency ({name!r})")
        symbols[abbreviation] |= words[name]
    return CurrencyTables(
        symbols={symbol: frozenset(codes) for symbol, codes in symbols.items()},
        words={word: frozenset(codes) for word, codes in words.items()},
        defaults=dict(extra["defaults"]),
        by_country=by_country,
        minor={
            unit: (_as_codes(entry["codes"]), Decimal(entry["factor"]))
            for unit, entry in extra["minor_units"].items()
        },
        local_symbols=_local_symbols(set(not_codes)),
        least_amounts={word.lower(): Decimal(amount) for word, amount in extra["least_amounts"].items()},
    )


def _local_symbols(not_codes: set[str]) -> dict[str, frozenset[str]]:
    """Each symbol that an English locale of a territory writes for its legal tender → those currencies."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for identifier in localedata.locale_identifiers():
        locale = Locale.parse(identifier)
        if locale.language != "en" or not locale.territory:
            continue
        for code in get_territory_currencies(locale.territory, tender=True):
            symbol = locale.currency_symbols.get(code)
            if symbol and symbol != code and symbol not in not_codes:
                found[symbol].add(code)
    return {symbol: frozenset(codes) for symbol, codes in found.items()}


@lru_cache(maxsize=512)
def territory_currency(country: str, known: tuple[str, ...] = ()) -> str | None:
    """The currency of a country (ISO 3166 alpha-2) today: its legal tender per CLDR, the one of `known` when
    it has several ("LSL" of Lesotho's LSL and ZAR), None for a code CLDR does not know."""
    tender = get_territory_currencies(country, tender=True) if len(country) == 2 else []
    return next((code for code in known if code in tender), tender[0] if tender else None)


@lru_cache(maxsize=4096)
def currency_candidates(token: str, local_currency: str | None = None) -> frozenset[str]:
    """Every ISO code the token may mean in a sentence whose own currency is `local_currency`; empty when it
    names no currency there."""
    tables = currency_tables()
    token = " ".join(token.split())
    local = (
        frozenset([local_currency])
        if local_currency in tables.local_symbols.get(token, frozenset())
        else frozenset()
    )
    if token in tables.symbols or local:
        return tables.symbols.get(token, frozenset()) | local
    lowered = token.lower()
    if lowered in tables.words:
        return tables.words[lowered]
    if lowered in tables.minor:
        return tables.minor[lowered][0]
    adjective, _, word = lowered.partition(" ")
    if len(adjective) < _MIN_ADJECTIVE or word not in tables.words:
        return frozenset()
    country_codes: set[str] = set()
    for country, codes in tables.by_country.items():
        if country.startswith(adjective) or adjective.startswith(country):
            country_codes |= codes
    return tables.words[word] & country_codes


def resolve_currency(token: str, *, local_currency: str | None = None) -> str | None:
    """The ISO code the token means here: `local_currency` when that is one of its currencies, else its only
    currency, else the token's documented default, else None."""
    candidates = currency_candidates(token, local_currency)
    if local_currency in candidates:
        return local_currency
    if len(candidates) == 1:
        return next(iter(candidates))
    defaults = currency_tables().defaults
    token = " ".join(token.split())
    default = (
        defaults.get(token) or defaults.get(token.lower()) or defaults.get(token.lower().rpartition(" ")[2])
    )
    return default if default in candidates else None


def minor_factor(token: str) -> Decimal:
    """What one of the token's units is worth in its currency: 0.01 for "cents", "¢", "pence"; 1 otherwise."""
    entry = currency_tables().minor.get(" ".join(token.split()).lower())
    return entry[1] if entry else Decimal(1)


def least_amount(token: str) -> Decimal:
    """The least amount the token is a currency after: 100 for "won" (a verb too: "four won"), else 0."""
    return currency_tables().least_amounts.get(" ".join(token.split()).lower(), Decimal(0))


@cache
def prefix_pattern() -> str:
    """Regex source for a currency written before the number: a symbol or code ("US$", "€", "KZT", "R")."""
    tables = currency_tables()
    return f"(?:{alternation([*tables.symbols, *tables.local_symbols])})"


@cache
def suffix_pattern() -> str:
    """Regex source for a currency written after the number: a symbol, a code, or a name, optionally after a
    capitalised country adjective ("tenge", "US dollars", "Kyrgyz soms", "руб."). Not a local symbol: English
    writes those before the number ("R45,000"), and "P2P" is no amount of pula."""
    tables = currency_tables()
    return (
        rf"(?:{alternation(tables.symbols)}|(?:[A-Z][a-z]{{3,}}\s+)?(?i:{alternation(tables.words)})"
        rf"|(?i:{alternation(tables.minor)}))"
    )
