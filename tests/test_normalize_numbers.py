"""Numbers as written in news text: separators, decimal marks, scales, number words."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.normalize.numbers import parse_amount, parse_decimal, parse_number, scale_factor, to_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("7", 7),
        ("112,684", 112684),
        ("1,200", 1200),
        ("1,000,000", 1000000),
        ("1,234.56", 1234.56),
        ("1.5", 1.5),
        ("0.023", 0.023),
        (".5", 0.5),
        # a dot with three digits after it reads as a decimal point, as an English reader would
        ("1.200", 1.2),
        # European grouping only where it cannot be a decimal point
        ("1.200.000", 1200000),
        ("1.234.567,89", 1234567.89),
        ("1.200,5", 1200.5),
        # a decimal comma only where it cannot group thousands
        ("2,5", 2.5),
        ("12,75", 12.75),
        # spaces (plain, no-break, thin) group thousands
        ("1 200", 1200),
        ("10 000 000", 10000000),
        ("1\u00a0200\u00a0000", 1200000),
        ("1\u202f500", 1500),
        ("1 200,50", 1200.5),
        ("one", 1),
        ("Ten", 10),
        ("twenty", 20),
        ("twenty-one", 21),
        ("ninety-nine", 99),
        ("fifty", 50),
        # not one number
        ("1,2345", None),
        # Indian grouping: lakhs and crores
        ("1,23,456", 123456),
        ("12,34,56,789.5", 123456789.5),
        ("1,2,3", None),
        ("12-15", None),
        ("A7A5", None),
        ("Web3", None),
        ("", None),
        ("a", None),
        ("twenty-ten", None),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected
    assert type(parse_number(text)) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 billion", 10_000_000_000),
        ("1 trillion", 1_000_000_000_000),
        ("900 million", 900_000_000),
        ("800 thousand", 800_000),
        ("1.2bn", 1_200_000_000),
        ("1.2 bn", 1_200_000_000),
        ("2 bln", 2_000_000_000),
        ("3.5 mln", 3_500_000),
        ("5mn", 5_000_000),
        ("5m", 5_000_000),
        ("5M", 5_000_000),
        ("250k", 250_000),
        ("3K", 3_000),
        ("1.5B", 1_500_000_000),
        ("2tn", 2_000_000_000_000),
        ("5-million", 5_000_000),
        ("10 lakh", 1_000_000),
        ("5 crore", 50_000_000),
        ("1.5 lakh crore", 1_500_000_000_000),
        ("ten million", 10_000_000),
        ("a million", 1_000_000),
        ("an billion", 1_000_000_000),
        ("2,5 million", 2_500_000),
        ("0.023", 0.023),
        ("12", 12),
        # exact decimal arithmetic: never 1199999999.9999998
        ("1.1 billion", 1_100_000_000),
        ("0.1 million", 100_000),
        ("4.35 trillion", 4_350_000_000_000),
        # not an amount
        ("a", None),
        ("million", None),
        ("5 millionaires", None),
        ("5 m", None),
        ("10 billion soms", None),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == expected
    assert type(parse_amount(text)) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("billion", 10**9),
        ("Billion", 10**9),
        ("bn", 10**9),
        ("lakh crore", 10**12),
        ("m", 10**6),
        ("x", None),
    ],
)
def test_scale_factor(text, expected):
    assert scale_factor(text) == expected


def test_to_number_is_int_when_integral():
    assert to_number(Decimal("1.2") * 10**9) == 1_200_000_000
    assert isinstance(to_number(Decimal("1.2") * 10**9), int)
    assert to_number(Decimal("0.5")) == 0.5


def _comma_grouped(value: int) -> str:
    return f"{value:,}"


def _space_grouped(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _dot_grouped(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**15))
def test_integers_round_trip_in_every_grouping(value):
    assert parse_number(str(value)) == value
    assert parse_number(_comma_grouped(value)) == value
    assert parse_number(_space_grouped(value)) == value
    if value >= 1_000_000:  # a single dot group ("1.200") reads as a decimal point
        assert parse_number(_dot_grouped(value)) == value


@given(st.integers(min_value=1000, max_value=10**12), st.integers(min_value=1, max_value=99))
def test_decimals_round_trip_in_english_and_european_style(whole, cents):
    english = f"{whole:,}.{cents:02d}"
    european = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    expected = Decimal(f"{whole}.{cents:02d}")
    assert parse_decimal(english) == expected
    assert parse_decimal(european) == expected


@given(
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal("999.9"), places=1),
    st.sampled_from(
        [("thousand", 10**3), ("million", 10**6), ("billion", 10**9), ("bn", 10**9), ("m", 10**6)]
    ),
)
def test_scaled_amounts_round_trip_exactly(number, scale):
    word, factor = scale
    separator = "" if len(word) <= 2 else " "
    assert parse_amount(f"{number}{separator}{word}") == to_number(number * factor)


def test_a_merged_alternation_matches_what_the_flat_one_does_in_the_same_order() -> None:
    """`alternation` merges phrases on their beginnings; every span it matches, with and without ignore-case
    and whatever follows it in the pattern, is the one the flat, longest-first alternation matches."""
    import random
    import re

    from extract.normalize.vocabulary import alternation

    def flat(words: list[str]) -> str:
        ordered = sorted(set(words), key=lambda word: (-len(word), word))
        return "|".join(re.escape(word).replace("\\ ", r"\s+") for word in ordered)

    rng = random.Random(7)
    vocabulary = ["m", "mln", "million", "Tenge", "ten", "tenge", "US dollar", "US  dollar", "US cent", "USD",
                  "US$", "Kyrgyz som", "som", "soms", "K", "kelvin", "\u212a", "s", "\u017f", "руб.", "рубль",
                  ""]
    for _ in range(300):
        words = rng.sample(vocabulary, rng.randint(1, 8))
        texts = [
            "".join(c.upper() if rng.random() < 0.3 else c for c in " ".join(rng.choices(words, k=3))) + tail
            for tail in ("", "s", " x", "-")
        ]
        for flags in (0, re.IGNORECASE):
            for after in ("", r"(?!\w)", r"s?\b"):
                merged = re.compile(f"(?:{alternation(words)}){after}", flags)
                expected = re.compile(f"(?:{flat(words)}){after}", flags)
                for text in texts:
                    for position in range(len(text)):
                        found, wanted = merged.match(text, position), expected.match(text, position)
                        assert (found and found.span()) == (wanted and wanted.span()), (words, text, position)
    assert alternation(["million", "mln", "m"]) == "m(?:illion|ln)?"
