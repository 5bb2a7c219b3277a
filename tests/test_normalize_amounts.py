"""Money, percentages and quantities: spans found in whole sentences and their normalised values."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.models import MoneyValue, PercentValue, QuantityValue
from extract.normalize.amounts import find_amounts, normalize_money, normalize_percent, normalize_quantity


def money(amount=None, currency=None, *, lo=None, hi=None, per=None, q=None):
    return MoneyValue(amount=amount, min=lo, max=hi, currency=currency, per=per, qualifier=q)


def pct(amount=None, *, lo=None, hi=None, q=None):
    return PercentValue(amount=amount, min=lo, max=hi, qualifier=q)


def qty(amount=None, unit="", *, lo=None, hi=None, q=None):
    return QuantityValue(amount=amount, min=lo, max=hi, unit=unit, qualifier=q)


def found(sentence, local=None):
    return [(sentence[m.start : m.end], m.value) for m in find_amounts(sentence, local_currency=local)]


SEED_KZ_MINING_TAX = (
    "Additional electricity-based royalty tax: KZT 2 per kWh consumed (KZT 1/kWh for renewable energy "
    "sources), effective January 1, 2024."
)
SEED_KZ_COST = (
    "DATF Authorization fee: $98,000 (one-time) + $500-$1,500 registration fee + $30,000 annual supervision "
    "fee + quarterly variable fees (capped at $250,000/year as of December 2025)."
)


@pytest.mark.parametrize(
    ("sentence", "local", "expected"),
    [
        # --- the seed articles and records ---
        (
            "any crypto exchange must hold not less than 10 billion soms in authorised capital",
            "KGS",
            [("10 billion soms", money(10_000_000_000, "KGS", q="at_least"))],
        ),
        (
            "turnover “exceeded 1 trillion soms,” producing “900 million to 1 billion soms” in tax income.",
            "KGS",
            [
                ("1 trillion soms", money(10**12, "KGS", q="over")),
                ("900 million to 1 billion soms", money(lo=900_000_000, hi=1_000_000_000, currency="KGS")),
            ],
        ),
        ("exceeded 1 trillion soms", None, [("1 trillion soms", money(10**12, None, q="over"))]),
        (
            "A7A5 has processed more than $100 billion in transactions in under a year",
            "KGS",
            [("$100 billion", money(100_000_000_000, "USD", q="over"))],
        ),
        ("At press time, Bitcoin traded at $112,684.", None, [("$112,684", money(112_684, "USD"))]),
        (
            "“about 800 thousand kilowatts are required to mine one bitcoin. This is enough to power about "
            "1,200 residences for a month.”",
            "KGS",
            [("800 thousand kilowatts", qty(800_000, "kW", q="about")), ("one bitcoin", qty(1, "BTC"))],
        ),
        (
            SEED_KZ_MINING_TAX,
            "KZT",
            [("KZT 2 per kWh", money(2, "KZT", per="kWh")), ("KZT 1/kWh", money(1, "KZT", per="kWh"))],
        ),
        (
            SEED_KZ_COST,
            "KZT",
            [
                ("$98,000", money(98_000, "USD")),
                ("$500-$1,500", money(lo=500, hi=1500, currency="USD")),
                ("$30,000", money(30_000, "USD")),
                ("$250,000/year", money(250_000, "USD", per="year", q="at_most")),
            ],
        ),
        ("The tariff is $0.023/kWh for miners.", None, [("$0.023/kWh", money(0.023, "USD", per="kWh"))]),
        (
            "Minimum capital: $200,000 or 12 months working capital, whichever is higher.",
            None,
            [("$200,000", money(200_000, "USD"))],
        ),
        ("10% individual income tax on crypto gains", "KZT", [("10%", pct(10))]),
        # --- symbols, codes and names from many countries ---
        ("The regulator fined the exchange £3.5m last year.", "GB", [("£3.5m", money(3_500_000, "GBP"))]),
        ("Binance agreed to pay US$1.2bn in penalties.", None, [("US$1.2bn", money(1_200_000_000, "USD"))]),
        (
            "MiCA fines reach €5 million or 3% of turnover.",
            None,
            [("€5 million", money(5_000_000, "EUR")), ("3%", pct(3))],
        ),
        ("ASIC sought A$1.3 million from the platform.", "AUD", [("A$1.3 million", money(1_300_000, "AUD"))]),
        (
            "The SEC raised minimum capital to ₦2 billion from ₦500 million.",
            "NGN",
            [("₦2 billion", money(2_000_000_000, "NGN")), ("₦500 million", money(500_000_000, "NGN"))],
        ),
        ("The FBR collected Rs. 250 billion.", "PKR", [("Rs. 250 billion", money(250_000_000_000, "PKR"))]),
        ("The exchange was fined Rs 10 lakh.", "INR", [("Rs 10 lakh", money(1_000_000, "INR"))]),
        ("It paid 5 crore rupees in GST.", "INR", [("5 crore rupees", money(50_000_000, "INR"))]),
        (
            "Tax demands of ₹1.5 lakh crore were raised.",
            "INR",
            [("₹1.5 lakh crore", money(1_500_000_000_000, "INR"))],
        ),
        ("It paid 5 crore rupees in tax.", None, [("5 crore rupees", money(50_000_000, None))]),
        ("The licence costs 1 200 000 тенге.", "KZT", [("1 200 000 тенге", money(1_200_000, "KZT"))]),
        (
            "A fee of ₸5,000 per transaction applies.",
            None,
            [("₸5,000 per transaction", money(5000, "KZT", per="transaction"))],
        ),
        ("The FSA approved ¥10 billion in tokens.", "JPY", [("¥10 billion", money(10_000_000_000, "JPY"))]),
        (
            "Capital of 2 billion Kazakh tenge is required.",
            None,
            [("2 billion Kazakh tenge", money(2_000_000_000, "KZT"))],
        ),
        (
            "Uzbekistan asks 5 million Uzbek som per licence.",
            None,
            [("5 million Uzbek som per licence", money(5_000_000, "UZS", per="license"))],
        ),
        ("Miners paid 3 billion soums in 2024.", "UZS", [("3 billion soums", money(3_000_000_000, "UZS"))]),
        (
            "The fund holds 50 million US dollars.",
            "AUD",
            [("50 million US dollars", money(50_000_000, "USD"))],
        ),
        ("The bank lent 5 million dollars.", "AUD", [("5 million dollars", money(5_000_000, "AUD"))]),
        ("The fine was 300,000 Swiss francs.", None, [("300,000 Swiss francs", money(300_000, "CHF"))]),
        (
            "The Central Bank seized 2.5 million euros.",
            None,
            [("2.5 million euros", money(2_500_000, "EUR"))],
        ),
        ("Turkey's MASAK fined it TRY 10 million.", "TRY", [("TRY 10 million", money(10_000_000, "TRY"))]),
        (
            "The NBK set KZT 100 mln and 2 trln tenge.",
            None,
            [("KZT 100 mln", money(100_000_000, "KZT")), ("2 trln tenge", money(2 * 10**12, "KZT"))],
        ),
        (
            "Kenya's CMA asks KES 1 million; South Africa 5 million rand.",
            None,
            [("KES 1 million", money(1_000_000, "KES")), ("5 million rand", money(5_000_000, "ZAR"))],
        ),
        (
            "A cap of USD 5,000-10,000 applies.",
            None,
            [("USD 5,000-10,000", money(lo=5000, hi=10_000, currency="USD", q="at_most"))],
        ),
        (
            "The FCA fined it 5.5 million pounds sterling.",
            None,
            [("5.5 million pounds sterling", money(5_500_000, "GBP"))],
        ),
        (
            "Bitcoin fell below $100,000 for the first time since 2024.",
            None,
            [("$100,000", money(100_000, "USD", q="under"))],
        ),
        (
            "A fine of 1.5 trillion won was reported.",
            None,
            [("1.5 trillion won", money(1_500_000_000_000, "KRW"))],  # "won" after an amount
        ),
        # --- ranges, rates, qualifiers ---
        (
            "Fees range from $5,000 to $20,000 per year.",
            None,
            [("$5,000 to $20,000 per year", money(lo=5000, hi=20000, currency="USD", per="year"))],
        ),
        (
            "The fee is between $5,000 and $20,000.",
            None,
            [("between $5,000 and $20,000", money(lo=5000, hi=20000, currency="USD"))],
        ),
        (
            "Fines of $5-10 million apply.",
            None,
            [("$5-10 million", money(lo=5_000_000, hi=10_000_000, currency="USD"))],
        ),
        (
            "Budgets of $1.5–2 billion were cut.",
            None,
            [("$1.5–2 billion", money(lo=1_500_000_000, hi=2_000_000_000, currency="USD"))],
        ),
        (
            "Fines of 5-10 million euros were set.",
            None,
            [("5-10 million euros", money(lo=5_000_000, hi=10_000_000, currency="EUR"))],
        ),
        (
            "The requirement was increased from $5 million to $10 million.",
            None,
            [("$5 million", money(5_000_000, "USD")), ("$10 million", money(10_000_000, "USD"))],
        ),
        ("He paid a $5 million fine a year ago.", None, [("$5 million", money(5_000_000, "USD"))]),
        ("Staff earn $300 a month.", None, [("$300 a month", money(300, "USD", per="month"))]),
        (
            "The supervision fee is $30,000 annually.",
            None,
            [("$30,000 annually", money(30_000, "USD", per="year"))],
        ),
        ("He handed over $5 million.", None, [("$5 million", money(5_000_000, "USD"))]),
        ("Revenue was just under €3bn.", None, [("€3bn", money(3_000_000_000, "EUR", q="under"))]),
        (
            "Spending must not exceed 10 million soms.",
            "KGS",
            [("10 million soms", money(10_000_000, "KGS", q="at_most"))],
        ),
        ("Users paid an estimated $5.2bn.", None, [("$5.2bn", money(5_200_000_000, "USD", q="about"))]),
        (
            "Deposits of up to $1 million are insured.",
            None,
            [("$1 million", money(1_000_000, "USD", q="up_to"))],
        ),
        ("The bank holds nearly $2 billion.", None, [("$2 billion", money(2_000_000_000, "USD", q="about"))]),
        (
            "A capital of at least €150,000 is required.",
            None,
            [("€150,000", money(150_000, "EUR", q="at_least"))],
        ),
        (
            "Withdrawals are capped at a maximum of $10,000.",
            None,
            [("$10,000", money(10_000, "USD", q="at_most"))],
        ),
        ("He stole a million dollars.", None, [("a million dollars", money(1_000_000, "USD"))]),
        ("A $5-million fine was imposed.", None, [("$5-million", money(5_000_000, "USD"))]),
        # --- percentages ---
        ("Kazakhstan taxes mining income at 15%.", "KZT", [("15%", pct(15))]),
        (
            "A 20 percent rate applies, or 12.5 per cent for SMEs.",
            None,
            [("20 percent", pct(20)), ("12.5 per cent", pct(12.5))],
        ),
        ("The fee is 0.5 pct of volume.", None, [("0.5 pct", pct(0.5))]),
        ("The tax is 10-15% depending on income.", None, [("10-15%", pct(lo=10, hi=15))]),
        ("Rates of between 10% and 15% apply.", None, [("between 10% and 15%", pct(lo=10, hi=15))]),
        ("Rates of 10 to 15 percent apply.", None, [("10 to 15 percent", pct(lo=10, hi=15))]),
        ("Investors may lose up to 20% a year.", None, [("20%", pct(20, q="up_to"))]),
        ("Inflation of 10,5% was recorded.", None, [("10,5%", pct(10.5))]),
        ("Fees fell from 2% to 1%.", None, [("2%", pct(2)), ("1%", pct(1))]),
        # --- quantities ---
        (
            "Mining farms consume 1.5 GW, or 12 TWh a year.",
            None,
            [("1.5 GW", qty(1.5, "GW")), ("12 TWh", qty(12, "TWh"))],
        ),
        ("Hashrate hit 600 EH/s.", None, [("600 EH/s", qty(600, "EH/s"))]),
        ("Each rig delivers 200 TH/s.", None, [("200 TH/s", qty(200, "TH/s"))]),
        (
            "The state holds 1,000 BTC and 5,000 bitcoins.",
            None,
            [("1,000 BTC", qty(1000, "BTC")), ("5,000 bitcoins", qty(5000, "BTC"))],
        ),
        (
            "It bought 2.5 ETH and 1 million USDT.",
            None,
            [("2.5 ETH", qty(2.5, "ETH")), ("1 million USDT", qty(1_000_000, "USDT"))],
        ),
        (
            "A 100-megawatt plant uses 5 kilowatt-hours.",
            None,
            [("100-megawatt", qty(100, "MW")), ("5 kilowatt-hours", qty(5, "kWh"))],
        ),
        ("Parks of 250 MW-300 MW are planned.", None, [("250 MW-300 MW", qty(lo=250, hi=300, unit="MW"))]),
        (
            "Plants of between 100 and 200 MW were approved.",
            None,
            [("between 100 and 200 MW", qty(lo=100, hi=200, unit="MW"))],
        ),
        ("Exports reached 50,000 tonnes.", None, [("50,000 tonnes", qty(50_000, "t"))]),
        ("It holds 5 bitcoin in reserve.", None, [("5 bitcoin", qty(5, "BTC"))]),
        # --- counts, years, identifiers: no amount ---
        (
            "Official registries list 169 crypto exchangers, 13 crypto exchanges and 11 mining companies.",
            "KGS",
            [],
        ),
        ("This is enough to power about 1,200 residences for a month.", None, []),
        ("In 2025 the law changed; see Article 331 of the Code.", None, []),
        ("Call +996 312 123 456 or +7 (727) 330-24-97 for details.", None, []),
        ("No farms at the Kambar-Ata-1 hydro facility.", None, []),
        ("The ruble-pegged A7A5 stablecoin and Web3 strategy.", None, []),
        ("Only G10-currency and commodity-backed stablecoins are permitted.", None, []),
        ("17 of them are working and another 15 projects are under way.", None, []),
        ("It runs 5 bitcoin ATMs.", None, []),
        ("The 2024 bitcoin halving and the 2025 BTC price.", None, []),
        ("The 2026 EUR stablecoin and the 2025 USD budget in 2020 dollars.", None, []),
        ("The TOP 10 exchanges; PHP 8 was released; ALL 3 members agreed.", None, []),
        ("A fine of 3 million Big dollars.", None, []),
    ],
)
def test_find_amounts(sentence, local, expected):
    assert found(sentence, local) == expected


@pytest.mark.parametrize(
    ("sentence", "rules"),
    [
        ("$5", ["money"]),
        ("$500-$1,500", ["money_range"]),
        ("KZT 2 per kWh", ["money_rate"]),
        ("$5,000 to $20,000 per year", ["money_rate"]),
        ("10%", ["percent"]),
        ("10-15%", ["percent_range"]),
        ("5 MW", ["quantity"]),
        ("5-10 MW", ["quantity_range"]),
    ],
)
def test_rules(sentence, rules):
    matches = find_amounts(sentence)
    assert [m.rule for m in matches] == rules
    assert [m.label for m in matches] == [m.kind.upper() for m in matches]


@pytest.mark.parametrize(
    ("span", "local", "before", "expected"),
    [
        ("10 billion soms", "KGS", "must hold not less than ", money(10_000_000_000, "KGS", q="at_least")),
        ("more than $100 billion", None, "", money(100_000_000_000, "USD", q="over")),
        ("$112,684", None, "Bitcoin traded at ", money(112_684, "USD")),
        ("900 million to 1 billion soms", "KGS", "", money(lo=900_000_000, hi=1_000_000_000, currency="KGS")),
        ("between $5,000 and $20,000", None, "", money(lo=5000, hi=20000, currency="USD")),
        ("$250,000/year", None, "capped at ", money(250_000, "USD", per="year", q="at_most")),
        ("an estimated $5 million", None, "", money(5_000_000, "USD", q="about")),
        # NER left the currency out of the span
        ("2", "KZT", "royalty tax: KZT ", money(2, "KZT")),
        ("10 billion", None, "hold not less than ", money(10_000_000_000, None, q="at_least")),
        ("about 800 thousand kilowatts", None, "", None),  # a quantity, not money
        ("$98,000 (one-time) + $500", None, "", None),  # two amounts
        ("$5 million in 2024", None, "", None),
        ("January 2026", None, "", None),
        ("2026", None, "", None),
        ("about 10 billion", None, "", money(10_000_000_000, None, q="about")),
        ("10%", None, "", None),
    ],
)
def test_normalize_money(span, local, before, expected):
    assert normalize_money(span, local_currency=local, before=before) == expected


@pytest.mark.parametrize(
    ("span", "before", "expected"),
    [
        ("10%", "", pct(10)),
        ("10 per cent", "", pct(10)),
        ("up to 20%", "", pct(20, q="up_to")),
        ("20%", "rates of up to ", pct(20, q="up_to")),
        ("10-15%", "", pct(lo=10, hi=15)),
        ("between 10% and 15%", "", pct(lo=10, hi=15)),
        ("$10", "", None),
        ("ten", "", None),
    ],
)
def test_normalize_percent(span, before, expected):
    assert normalize_percent(span, before=before) == expected


@pytest.mark.parametrize(
    ("span", "before", "expected"),
    [
        ("about 800 thousand kilowatts", "", qty(800_000, "kW", q="about")),
        ("800 thousand kilowatts", "required: about ", qty(800_000, "kW", q="about")),
        ("5,000 BTC", "", qty(5000, "BTC")),
        ("12 TWh", "", qty(12, "TWh")),
        ("1,200 residences", "", None),
        ("$5 million", "", None),
    ],
)
def test_normalize_quantity(span, before, expected):
    assert normalize_quantity(span, before=before) == expected


_STYLES = [
    ("${:,}", "USD", 1),
    ("US${:,}", "USD", 1),
    ("€{:,}", "EUR", 1),
    ("KZT {:,}", "KZT", 1),
    ("{:,} tenge", "KZT", 1),
    ("{:,} soms", "KGS", 1),
    ("{} million euros", "EUR", 10**6),
    ("${}bn", "USD", 10**9),
    ("{} billion Kyrgyz soms", "KGS", 10**9),
]


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(_STYLES), st.sampled_from(["", "about "]))
def test_money_round_trips_through_every_style(amount, style, qualifier):
    template, currency, factor = style
    written = template.format(amount)
    sentence = f"The regulator set {qualifier}{written} for each licence."
    matches = find_amounts(sentence, local_currency="KGS")
    assert [sentence[m.start : m.end] for m in matches] == [written]
    assert matches[0].value == money(amount * factor, currency, q="about" if qualifier else None)


@given(st.integers(min_value=0, max_value=99), st.integers(min_value=1, max_value=100))
def test_percent_ranges_round_trip(low, width):
    sentence = f"Rates of {low}-{low + width}% apply."
    assert found(sentence) == [(f"{low}-{low + width}%", pct(lo=low, hi=low + width))]
