"""Money, percentages and quantities in a sentence: their spans and normalised values.

A span covers the number, its scale, the currency or unit and any rate ("10 billion soms",
"KZT 2 per kWh", "$500-$1,500", "between $5,000 and $20,000", "about 800 thousand kilowatts" → the
span starts at "800"); the qualifier words before it ("more than", "not less than") are read into
`value.qualifier`, never into the span ("nearly"/"almost" read as about: the value is approximate, not
a bound; the phrase list is `data/qualifiers.json`). A plain count ("169 crypto exchangers", "in 2025",
"Article 331") is not an amount: money needs a currency, a percentage a percent sign or word, and a
quantity a known unit. A range is kept only when both ends agree (one currency, one unit) and
ascend; "rose from $5m to $10m" is a change, so two amounts. A bare year with a currency or unit
name after it ("the 2024 bitcoin halving") is not an amount. A minor unit counts in its currency ("25¢" →
0.25 USD, "50 pence" → 0.5 GBP); "a dollar" is one, unless it modifies a noun ("a dollar stablecoin");
"per cent of 40" and "percentage of 40" are 40%.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, NamedTuple

from extract.models import MoneyValue, PercentValue, Qualifier, QuantityValue
from extract.normalize.currency import (
    currency_candidates,
    least_amount,
    minor_factor,
    prefix_pattern,
    resolve_currency,
    suffix_pattern,
)
from extract.normalize.numbers import (
    ARTICLES,
    NUMBER_PATTERN,
    SCALE_PATTERN,
    parse_decimal,
    scale_factor,
    to_number,
)
from extract.normalize.units import (
    CRYPTO_UNITS,
    PERCENT_SIGN_PATTERN,
    QUALIFIER_PATTERN,
    QUANTITY_UNIT_PATTERN,
    RATE_PATTERN,
    is_change,
    is_modifier_use,
    modifies_next_word,
    quantity_unit,
    rate_unit,
    read_qualifier,
)

Kind = Literal["money", "percent", "quantity"]
AmountValue = MoneyValue | PercentValue | QuantityValue


class AmountMatch(NamedTuple):
    """One amount found in a text: where it is, what it is, and the rule that found it."""

    start: int
    end: int
    kind: Kind
    label: Literal["MONEY", "PERCENT", "QUANTITY"]
    value: AmountValue
    rule: str


@dataclass(frozen=True)
class _Side:
    """One end of an amount (the only end of a single amount) as matched."""

    start: int
    end: int
    number: Decimal
    factor: int | None  # the scale written with this end, if any
    prefix: str | None
    suffix: str | None
    bare_year: bool  # "2024": four digits that read as a year, without scale

    @property
    def value(self) -> Decimal:
        return self.number * (self.factor or 1)


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SEPARATOR = r"(?P<sep>\s*[-–—]\s*|\s+(?i:to|and)\s+)"


def _side_pattern(name: str, prefix: str | None, suffix: str, scale: bool) -> str:
    return (
        (rf"(?:(?P<{name}_pre>{prefix})\s?)?" if prefix else "")
        + rf"(?P<{name}_num>{NUMBER_PATTERN})"
        + (rf"(?P<{name}_scale>{SCALE_PATTERN})?" if scale else "")
        + rf"(?:[\s-]?(?P<{name}_suf>{suffix})(?!\w))?"
    )


def _family_pattern(prefix: str | None, suffix: str, *, scale: bool, rate: bool) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w.,/-])(?P<between>(?i:between)\s+)?"
        + _side_pattern("lo", prefix, suffix, scale)
        + rf"(?:{_SEPARATOR}{_side_pattern('hi', prefix, suffix, scale)})?"
        + (rf"(?:{RATE_PATTERN})?" if rate else "")
        + r"(?!\w)"
    )


_MONEY = _family_pattern(prefix_pattern(), suffix_pattern(), scale=True, rate=True)
_PERCENT = _family_pattern(None, PERCENT_SIGN_PATTERN, scale=False, rate=False)
_QUANTITY = _family_pattern(None, QUANTITY_UNIT_PATTERN, scale=True, rate=False)
_DIGIT = re.compile(r"\d")
# A span that is only a number, its scale and a qualifier: "10 billion", "not less than 10 billion".
_BARE_AMOUNT = re.compile(
    rf"\s*(?:{QUALIFIER_PATTERN}\s+)?(?P<num>{NUMBER_PATTERN})(?P<scale>{SCALE_PATTERN})?[\s.,;:]*"
)


def _side(match: re.Match[str], name: str) -> _Side | None:
    number_text = match.group(f"{name}_num")
    if number_text is None:
        return None
    groups = match.groupdict()
    scale_text, prefix, suffix = (
        groups.get(f"{name}_scale"),
        groups.get(f"{name}_pre"),
        groups.get(f"{name}_suf"),
    )
    number = parse_decimal(number_text)
    factor = scale_factor(scale_text) if scale_text else None
    if number is None or (number_text.lower() in ARTICLES and factor is None):
        return None
    last = next(
        part for part in (f"{name}_suf", f"{name}_scale", f"{name}_num") if groups.get(part) is not None
    )
    return _Side(
        start=match.start(f"{name}_pre") if prefix else match.start(f"{name}_num"),
        end=match.end(last),
        number=number,
        factor=factor,
        prefix=prefix,
        suffix=suffix,
        bare_year=factor is None and _YEAR.fullmatch(number_text) is not None,
    )


def _range_values(lo: _Side, hi: _Side) -> tuple[Decimal, Decimal] | None:
    """(min, max) of a range, the scale of the upper end carried to a bare lower end ("$5-10 million")."""
    low = lo.value
    if lo.factor is None and hi.factor is not None and lo.number <= hi.number:
        low = lo.number * hi.factor
    return (low, hi.value) if low < hi.value else None


def _is_range(match: re.Match[str], text: str) -> bool:
    """Whether the separator joins a range: "and" only after "between", "to" not after a change verb."""
    separator = match.group("sep")
    if separator is None:
        return False
    word = separator.strip().lower()
    if (word == "and") != (match.group("between") is not None):
        return False
    return not (word == "to" and is_change(text[: match.start()]))


class _Unit(NamedTuple):
    """What a family reads from the currency or unit tokens of a match."""

    name: str | None  # ISO code, canonical unit, or None (percent; an unresolved shared currency word)
    per: str | None = None
    factor: Decimal = Decimal(1)  # a minor unit's worth in its currency ("cents" → 0.01)


# (the ends of the amount, the rate text after it, the whole text, the local currency) → its unit, or None if
# the match is not an amount of this family.
_UnitReader = Callable[[list[_Side], "str | None", str, "str | None"], "_Unit | None"]


def _money_unit(
    sides: list[_Side], per_text: str | None, text: str, local_currency: str | None
) -> _Unit | None:
    tokens = [token for side in sides for token in (side.prefix, side.suffix) if token]
    if not (sides[0].prefix or sides[0].suffix or sides[-1].suffix):
        return None  # no currency, or "5 to $10": the lower end has no currency of its own
    if any(not currency_candidates(token, local_currency) for token in tokens):
        return None  # "Big dollars": a capitalised word that is no country's adjective; "R45" outside ZA
    if any(side.suffix and side.value < least_amount(side.suffix) for side in sides):
        return None  # "of ten candidates, four won"
    if sides[0].bare_year and not sides[0].prefix:
        return None  # "the 2024 dollar figures", "the 2026 EUR stablecoin"
    codes = {resolve_currency(token, local_currency=local_currency) for token in tokens}
    factors = {minor_factor(token) for token in tokens}
    if len(codes) > 1 or len(factors) > 1:
        return None
    return _Unit(codes.pop(), rate_unit(per_text) if per_text else None, factors.pop())


def _percent_unit(
    sides: list[_Side], per_text: str | None, text: str, local_currency: str | None
) -> _Unit | None:
    return _Unit(None) if sides[-1].suffix else None


def _quantity_unit(
    sides: list[_Side], per_text: str | None, text: str, local_currency: str | None
) -> _Unit | None:
    last = sides[-1]
    if last.suffix is None or is_modifier_use(last.suffix, text[last.end :]):
        return None
    units = {quantity_unit(side.suffix) for side in sides if side.suffix}
    if len(units) != 1 or (sides[0].bare_year and units & CRYPTO_UNITS):
        return None  # "the 2024 bitcoin halving", "the 2025 BTC price"
    return _Unit(units.pop())


_FAMILIES: tuple[tuple[Kind, re.Pattern[str], _UnitReader], ...] = (
    ("money", _MONEY, _money_unit),
    ("percent", _PERCENT, _percent_unit),
    ("quantity", _QUANTITY, _quantity_unit),
)
_LABELS: dict[Kind, Literal["MONEY", "PERCENT", "QUANTITY"]] = {
    "money": "MONEY",
    "percent": "PERCENT",
    "quantity": "QUANTITY",
}


def _value(
    kind: Kind,
    unit: _Unit,
    amount: Decimal | None,
    bounds: tuple[Decimal, Decimal] | None,
    qualifier: Qualifier | None,
) -> AmountValue:
    numbers = {
        "amount": None if amount is None else to_number(amount * unit.factor),
        "min": None if bounds is None else to_number(bounds[0] * unit.factor),
        "max": None if bounds is None else to_number(bounds[1] * unit.factor),
    }
    if kind == "money":
        return MoneyValue(**numbers, currency=unit.name, per=unit.per, qualifier=qualifier)
    if kind == "percent":
        return PercentValue(**numbers, qualifier=qualifier)
    return QuantityValue(**numbers, unit=unit.name or "", qualifier=qualifier)


def _build(
    kind: Kind, read_unit: _UnitReader, match: re.Match[str], text: str, local_currency: str | None
) -> AmountMatch | None:
    """The amount a match stands for: the range if it is a valid one, else its lower end alone."""
    lo, hi = _side(match, "lo"), _side(match, "hi")
    if lo is None:
        return None
    groups = match.groupdict()
    per_text = groups.get("per") or groups.get("per_adverb")
    if hi is not None and _is_range(match, text):
        bounds = _range_values(lo, hi)
        unit = read_unit([lo, hi], per_text, text, local_currency) if bounds else None
        if bounds and unit:
            start = match.start("between") if match.group("between") else lo.start
            rule = f"{kind}_rate" if unit.per else f"{kind}_range"
            value = _value(kind, unit, None, bounds, read_qualifier(text[:start]))
            return AmountMatch(start, match.end() if per_text else hi.end, kind, _LABELS[kind], value, rule)
    if hi is not None:
        per_text = None  # the rate followed the upper end, not this one
    unit = read_unit([lo], per_text, text, local_currency)
    if unit is None:
        return None
    value = _value(kind, unit, lo.value, None, read_qualifier(text[: lo.start]))
    end = match.end() if per_text else lo.end
    return AmountMatch(lo.start, end, kind, _LABELS[kind], value, f"{kind}_rate" if unit.per else kind)


_ARTICLE_MONEY = re.compile(
    rf"(?<![\w.,/-])(?i:an?)\s+(?P<unit>{suffix_pattern()})(?![\w-])(?P<rate>{RATE_PATTERN})?"
)
_PERCENT_OF = re.compile(
    rf"(?<![\w.,/-])(?i:per\s*cent(?:age)?|percent(?:age)?)\s+(?i:of)\s+(?P<num>{NUMBER_PATTERN})"
    r"(?![\w%]|[.,]\d|\s+[^\W\d_])"
)


def _word_amounts(text: str, local_currency: str | None) -> list[AmountMatch]:
    """Amounts whose number is a word around the unit: "a dollar", "percentage of 40"."""
    found = []
    for match in _ARTICLE_MONEY.finditer(text):
        unit = _money_unit(
            [_Side(match.start(), match.end("unit"), Decimal(1), None, None, match["unit"], False)],
            match["per"] or match["per_adverb"],
            text,
            local_currency,
        )
        if unit is not None and not modifies_next_word(text[match.end("unit") :]):
            value = _value("money", unit, Decimal(1), None, read_qualifier(text[: match.start()]))
            rule = "money_rate" if unit.per else "money"
            found.append(AmountMatch(match.start(), match.end(), "money", "MONEY", value, rule))
    for match in _PERCENT_OF.finditer(text):
        number = parse_decimal(match["num"])
        if number is not None and match["num"].lower() not in ARTICLES:
            value = _value("percent", _Unit(None), number, None, read_qualifier(text[: match.start()]))
            found.append(AmountMatch(match.start(), match.end(), "percent", "PERCENT", value, "percent_of"))
    return found


def find_amounts(text: str, *, local_currency: str | None = None) -> list[AmountMatch]:
    """Every money amount, percentage and quantity in `text` (one sentence), sorted and non-overlapping.

    `local_currency` (ISO 4217) is the currency of the country the sentence is about: it decides shared
    currency words ("soms" → KGS in a sentence about Kyrgyzstan).
    """
    candidates: list[tuple[int, AmountMatch]] = []
    for order, (kind, pattern, read_unit) in enumerate(_FAMILIES):
        position = 0
        while (match := pattern.search(text, position)) is not None:
            found = _build(kind, read_unit, match, text, local_currency)
            if found is None:
                position = match.start() + 1
            else:
                candidates.append((order, found))
                position = found.end
    candidates.extend((len(_FAMILIES), found) for found in _word_amounts(text, local_currency))
    candidates.sort(key=lambda item: (item[1].start, item[1].start - item[1].end, item[0]))
    chosen: list[AmountMatch] = []
    for _, found in candidates:
        if not chosen or found.start >= chosen[-1].end:
            chosen.append(found)
    return _shared_rates(text, chosen)


_EQUIVALENT_GAP = re.compile(r"\s*,?\s*(?i:or|i\.e\.|that\s+is)?\s*\(?\s*")
_DETACHED_RATE = re.compile(rf"\s*\)?\s*,(?:{RATE_PATTERN})")


def _shared_rates(text: str, amounts: list[AmountMatch]) -> list[AmountMatch]:
    """A rate after a comma applies to the money amounts just before it that restate one price ("25 tenge,
    or 5 cents, per kWh")."""
    result = list(amounts)
    for index, found in enumerate(amounts):
        rate = _DETACHED_RATE.match(text, found.end)
        if found.kind != "money" or rate is None or not isinstance(found.value, MoneyValue):
            continue
        per = rate_unit(rate["per"] or rate["per_adverb"])
        first = index
        while (
            first > 0
            and amounts[first - 1].kind == "money"
            and _EQUIVALENT_GAP.fullmatch(text, amounts[first - 1].end, amounts[first].start)
        ):
            first -= 1
        for position in range(first, index + 1):
            value = result[position].value
            if isinstance(value, MoneyValue) and value.per is None:
                rated = value.model_copy(update={"per": per})
                result[position] = result[position]._replace(value=rated, rule="money_rate")
    return result


def _normalize(kind: Kind, text: str, before: str, local_currency: str | None) -> AmountValue | None:
    """The value of the one amount of `kind` that a span (from NER, say) holds, reading its qualifier and a
    currency written just before the span from `before`; None if the span holds no such amount or several."""
    full, offset = before + text, len(before)
    inside = [
        found
        for found in find_amounts(full, local_currency=local_currency)
        if found.end > offset and found.start < len(full)
    ]
    if len(inside) > 1 or (inside and inside[0].kind != kind):
        return None
    if inside:
        found = inside[0]
        outside = full[max(found.start, offset) : found.start] + full[found.end :]
        return (
            None
            if _DIGIT.search(outside) or _DIGIT.search(full[offset : max(offset, found.start)])
            else found.value
        )
    if kind != "money":
        return None
    # A MONEY span from NER whose currency is outside it ("10 billion"): the amount, currency unknown.
    bare = _BARE_AMOUNT.fullmatch(text)
    if bare is None:
        return None
    number = parse_decimal(bare.group("num"))
    factor = scale_factor(bare.group("scale")) if bare.group("scale") else None
    if number is None or (
        factor is None and (bare.group("num").lower() in ARTICLES or _YEAR.fullmatch(text))
    ):
        return None
    qualifier = read_qualifier(full[: offset + bare.start("num")])
    return MoneyValue(amount=to_number(number * (factor or 1)), currency=None, qualifier=qualifier)


def normalize_money(text: str, *, local_currency: str | None = None, before: str = "") -> MoneyValue | None:
    """The money value of a span ("10 billion soms", "more than $100 billion", "$500-$1,500"), or None.

    `before` is the text just before the span (its qualifier, or a currency that NER left out).
    """
    value = _normalize("money", text, before, local_currency)
    return value if isinstance(value, MoneyValue) else None


def normalize_percent(text: str, *, before: str = "") -> PercentValue | None:
    """The percent value of a span ("10%", "10-15 per cent", "between 10% and 15%"), or None."""
    value = _normalize("percent", text, before, None)
    return value if isinstance(value, PercentValue) else None


def normalize_quantity(text: str, *, before: str = "") -> QuantityValue | None:
    """The quantity value of a span ("800 thousand kilowatts" → 800000 kW, "5,000 BTC"), or None."""
    value = _normalize("quantity", text, before, None)
    return value if isinstance(value, QuantityValue) else None
