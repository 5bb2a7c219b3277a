"""Writing normalised values the way the records write them ("$5,000", "KZT 2/kWh", "15%")."""

from __future__ import annotations

from extract.models import MoneyValue, Number

# Records write US dollars with the symbol and every other currency with its ISO code.
SYMBOL_CURRENCIES = {"USD": "$"}


def format_number(value: Number) -> str:
    """10000000000 → "10,000,000,000"; 0.0230 → "0.023"; 10.0 → "10"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def format_amount(amount: Number, currency: str) -> str:
    symbol = SYMBOL_CURRENCIES.get(currency)
    return f"{symbol}{format_number(amount)}" if symbol else f"{currency} {format_number(amount)}"


def format_money(value: MoneyValue, *, rate: bool = False) -> str:
    """A money value in record style; a range as "$500-$1,500", a rate as "$0.023/kWh"."""
    currency = value.currency or ""
    if value.amount is not None:
        text = format_amount(value.amount, currency)
    elif value.min is not None and value.max is not None:
        text = f"{format_amount(value.min, currency)}-{format_amount(value.max, currency)}"
    else:
        text = format_amount(value.min if value.min is not None else value.max or 0, currency)
    if rate and value.per:
        text = f"{text}/{value.per}"
    return text
