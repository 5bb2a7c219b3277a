"""Currency lookup: a symbol, ISO code or name as written in text ("US$", "₸", "KZT", "soms", "Kyrgyz som",
"Indian rupees") → an ISO 4217 code; a minor unit ("cents", "¢", "pence") → its currency and factor.

The tables come from CLDR (babel, English locale) for every currency that is legal tender in some
territory today: each ISO code, its symbol, its English names (singular, plural) and their last word
("Kyrgystani soms" → "soms"). `data/currencies.json` adds spellings CLDR lacks, marks names and codes
that are ordinary English words ("won", "real", "TOP"), and gives defaults for shared tokens.

A token shared by several currencies ("som": KGS and UZS; "dollar"; "Rs") resolves to the
sentence's own currency when it is one of them, else to the documented default ("dollar" → USD;
a bare "$" is always USD),
else to None: a missing currency is better than a wrong one. "<Adjective> <name>" ("Kyrgyz soms",
"Uzbek som") keeps the currencies of the countries whose name the adjective shares a stem with.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

import pycountry
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
                by_country[name.lower()] = tender
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
    return CurrencyTables(
        symbols={symbol: frozenset(codes) for symbol, codes in symbols.items()},
        words={word: frozenset(codes) for word, codes in words.items()},
        defaults=dict(extra["defaults"]),
        by_country=by_country,
        minor={
            unit: (_as_codes(entry["codes"]), Decimal(entry["factor"]))
            for unit, entry in extra["minor_units"].items()
        },
    )


@lru_cache(maxsize=4096)
def currency_candidates(token: str) -> frozenset[str]:
    """Every ISO code the token may mean; empty when it names no currency."""
    tables = currency_tables()
    token = " ".join(token.split())
    if token in tables.symbols:
        return tables.symbols[token]
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
    """The ISO code the token means here: its only currency, else `local_currency` when that is one of its
    currencies, else the token's documented default, else None."""
    candidates = currency_candidates(token)
    if len(candidates) == 1:
        return next(iter(candidates))
    if local_currency in candidates:
        return local_currency
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


@cache
def prefix_pattern() -> str:
    """Regex source for a currency written before the number: a symbol or an ISO code ("US$", "€", "KZT")."""
    return f"(?:{alternation(currency_tables().symbols)})"


@cache
def suffix_pattern() -> str:
    """Regex source for a currency written after the number: a symbol, a code, or a name, optionally after a
    capitalised country adjective ("tenge", "US dollars", "Kyrgyz soms", "руб.")."""
    tables = currency_tables()
    return (
        rf"(?:{alternation(tables.symbols)}|(?:[A-Z][a-z]{{3,}}\s+)?(?i:{alternation(tables.words)})"
        rf"|(?i:{alternation(tables.minor)}))"
    )
