"""Values written in the records' style."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.models import MoneyValue
from extract.propose import numbers_in
from extract.render import format_money, format_number


@pytest.mark.parametrize(
    ("value", "rate", "expected"),
    [
        (MoneyValue(amount=10_000_000_000, currency="KGS"), False, "KGS 10,000,000,000"),
        (MoneyValue(amount=5000, currency="USD"), False, "$5,000"),
        (MoneyValue(amount=None, min=500, max=1500, currency="USD"), False, "$500-$1,500"),
        (MoneyValue(amount=0.023, currency="USD", per="kWh"), True, "$0.023/kWh"),
        (MoneyValue(amount=2, currency="KZT", per="kWh"), True, "KZT 2/kWh"),
        (MoneyValue(amount=250000, currency="USD", per="year"), True, "$250,000/year"),
        (MoneyValue(amount=250000, currency="USD", per="year"), False, "$250,000"),
        (MoneyValue(amount=1.5, currency="EUR"), False, "EUR 1.5"),
    ],
)
def test_format_money(value, rate, expected):
    assert format_money(value, rate=rate) == expected


@given(st.integers(min_value=0, max_value=10**15))
def test_formatted_integers_read_back(number):
    assert numbers_in(format_number(number)) == {str(number)}


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_formatted_decimals_read_back(number):
    text = format_number(float(number))
    assert float(text.replace(",", "")) == pytest.approx(float(number))
