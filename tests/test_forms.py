"""Expression forms, one table per class (issue 9): each text is a whole line as it may stand in a headline,
a list item, a table cell or lower-case text, with the one mention expected in it and its normalised value.
All examples are our own writing."""

import datetime

import pytest

from extract.models import DateValue, MoneyValue, PercentValue
from extract.normalize.amounts import find_amounts
from extract.normalize.dates import find_dates, normalize_date
from extract.normalize.numbers import parse_decimal


def money(amount, currency, *, per=None, q=None):
    return MoneyValue(amount=amount, currency=currency, per=per, qualifier=q)


def only_amount(text, local=None):
    found = find_amounts(text, local_currency=local)
    assert len(found) == 1, [text[m.start : m.end] for m in found]
    return text[found[0].start : found[0].end], found[0].value


MONEY = [
    ("$40", "$40", money(40, "USD")),
    ("Fee: $ 3 million", "$ 3 million", money(3_000_000, "USD")),
    ("raised us $ 2.5 billion last year", "us $ 2.5 billion", money(2_500_000_000, "USD")),
    ("raised US $2.5 billion", "US $2.5 billion", money(2_500_000_000, "USD")),
    ("tickets cost 40$ each", "40$", money(40, "USD")),
    ("a stamp is 25¢", "25¢", money(0.25, "USD")),
    ("fees fell to 5 cents", "5 cents", money(0.05, "USD")),
    ("99 cents a month", "99 cents a month", money(0.99, "USD", per="month")),
    ("a levy of 50 pence", "50 pence", money(0.5, "GBP")),
    ("one penny", "one penny", money(0.01, "GBP")),
    ("it costs a dollar.", "a dollar", money(1, "USD")),
    ("pay a dollar per transaction", "a dollar per transaction", money(1, "USD", per="transaction")),
    ("for a euro", "a euro", money(1, "EUR")),
    ("a hundred dollars", "a hundred dollars", money(100, "USD")),
    ("twenty five dollars", "twenty five dollars", money(25, "USD")),
    ("thirty-one euros", "thirty-one euros", money(31, "EUR")),
    ("one hundred and five dollars", "one hundred and five dollars", money(105, "USD")),
    ("three thousand five hundred pounds", "three thousand five hundred pounds", money(3500, "GBP")),
    ("two million dollars in fines", "two million dollars", money(2_000_000, "USD")),
    ("ten billion soms", "ten billion soms", money(10_000_000_000, "KGS"), "KGS"),
    ("Exchange capital raised to 10 billion soms", "10 billion soms", money(10_000_000_000, "KGS"), "KGS"),
    ("capital of 1.5 million dollars", "1.5 million dollars", money(1_500_000, "USD")),
    ("€ 5 fee", "€ 5", money(5, "EUR")),
    ("a 5 € fee", "5 €", money(5, "EUR")),
    ("10 rubles", "10 rubles", money(10, "RUB")),
    ("ten pounds", "ten pounds", money(10, "GBP")),
    ("$1.2bn deal", "$1.2bn", money(1_200_000_000, "USD")),
    ("KZT 2 per kWh", "KZT 2 per kWh", money(2, "KZT", per="kWh")),
    ("5 cents per kWh", "5 cents per kWh", money(0.05, "USD", per="kWh")),
    ("over $500", "$500", money(500, "USD", q="over")),
    ("about 300 tenge", "300 tenge", money(300, "KZT", q="about")),
    ("- licence fee: 2,000,000 soms", "2,000,000 soms", money(2_000_000, "KGS"), "KGS"),
    ("- licence fee: 2,000,000 soms", "2,000,000 soms", money(2_000_000, None)),  # som: KGS or UZS
    ("| Capital | 50 000 000 tenge |", "50 000 000 tenge", money(50_000_000, "KZT")),
    ("FINE OF $5M", "$5M", money(5_000_000, "USD")),
    ("fines of up to 500 dollars", "500 dollars", money(500, "USD", q="up_to")),
    ("USD 88.81", "USD 88.81", money(88.81, "USD")),
    ("₸1,000", "₸1,000", money(1000, "KZT")),
    ("AED 100,000 per year", "AED 100,000 per year", money(100_000, "AED", per="year")),
    ("40 kopecks", "40 kopecks", money(0.4, "RUB")),
    ("a fee of 75 tiyn", "75 tiyn", money(0.75, "KZT"), "KZT"),
    ("fifteen dollars annually", "fifteen dollars annually", money(15, "USD", per="year")),
    ("between $5,000 and $20,000", None, None),
]


@pytest.mark.parametrize("case", MONEY, ids=[case[0] for case in MONEY])
def test_money_forms(case):
    text, span, value, *local = case
    if span is None:  # a range: checked in test_normalize_amounts; here only that it is one mention
        assert len(find_amounts(text)) == 1
        return
    assert only_amount(text, *local) == (span, value)


@pytest.mark.parametrize(
    "text",
    [
        "a dollar stablecoin",  # modifies the noun: no amount
        "a dollar-pegged token",
        "the 2024 dollar figures",
        "Big dollars",
        "one two dollars"[:3],  # "one" alone has no currency
        "the euro area",
    ],
)
def test_not_money(text):
    assert [m for m in find_amounts(text) if m.kind == "money"] == []


def pct(amount, *, q=None, lo=None, hi=None):
    return PercentValue(amount=amount, min=lo, max=hi, qualifier=q)


PERCENT = [
    ("85%", "85%", pct(85)),
    ("31 %", "31 %", pct(31)),
    ("31 % of users", "31 %", pct(31)),
    ("forty percent", "forty percent", pct(40)),
    ("Forty Percent", "Forty Percent", pct(40)),
    ("two hundred percents", "two hundred percents", pct(200)),
    ("thirty-one per cent", "thirty-one per cent", pct(31)),
    ("thirty one percent", "thirty one percent", pct(31)),
    ("one hundred percent", "one hundred percent", pct(100)),
    ("fifteen per cent", "fifteen per cent", pct(15)),
    ("12.5 per cent", "12.5 per cent", pct(12.5)),
    ("12,5 %", "12,5 %", pct(12.5)),
    ("25 pct", "25 pct", pct(25)),
    ("7 percents", "7 percents", pct(7)),
    ("7 percent", "7 percent", pct(7)),
    ("7percent", "7percent", pct(7)),
    ("per cent of 40", "per cent of 40", pct(40)),
    ("percent of 40.", "percent of 40", pct(40)),
    ("the percentage of 40", "percentage of 40", pct(40)),
    ("a percentage of 12.5", "percentage of 12.5", pct(12.5)),
    ("percentage of forty", "percentage of forty", pct(40)),
    ("10-15%", "10-15%", pct(None, lo=10, hi=15)),
    ("between 10% and 15%", "between 10% and 15%", pct(None, lo=10, hi=15)),
    ("about 20%", "20%", pct(20, q="about")),
    ("more than 50 per cent", "50 per cent", pct(50, q="over")),
    ("at least 5%", "5%", pct(5, q="at_least")),
    ("up to 70 percent", "70 percent", pct(70, q="up_to")),
    ("TAX RATE 15%", "15%", pct(15)),
    ("- VAT: 12%", "12%", pct(12)),
    ("| income tax | 10% |", "10%", pct(10)),
    ("0.5%", "0.5%", pct(0.5)),
    (".5%", ".5%", pct(0.5)),
    ("100%", "100%", pct(100)),
    ("1,5%", "1,5%", pct(1.5)),
    ("ninety-nine percent", "ninety-nine percent", pct(99)),
    ("sixty percent", "sixty percent", pct(60)),
    ("eighty-five per cent", "eighty-five per cent", pct(85)),
    ("twelve percent", "twelve percent", pct(12)),
    ("3 ％", "3 ％", pct(3)),
    ("nearly 40 %", "40 %", pct(40, q="about")),
    ("no more than 30%", "30%", pct(30, q="at_most")),
]


@pytest.mark.parametrize("case", PERCENT, ids=[case[0] for case in PERCENT])
def test_percent_forms(case):
    text, span, value = case
    assert only_amount(text) == (span, value)


@pytest.mark.parametrize(
    "text", ["5 percent of 40 banks", "the percentage of 40 adults", "percentage points", "percent"]
)
def test_percent_of_needs_a_bare_number(text):
    found = [(text[m.start : m.end], m.rule) for m in find_amounts(text)]
    assert all(rule != "percent_of" for _, rule in found)


NUMBERS = [
    ("one", 1),
    ("seven", 7),
    ("eleven", 11),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty-one", 31),
    ("thirty one", 31),
    ("Forty-Two", 42),
    ("ninety-nine", 99),
    ("two hundred", 200),
    ("one hundred and five", 105),
    ("one hundred five", 105),
    ("three thousand five hundred", 3500),
    ("three thousand", 3000),
    ("two million", 2_000_000),
    ("five hundred thousand", 500_000),
    ("one thousand two hundred thirty four", 1234),
    ("nine hundred and ninety-nine", 999),
    ("twelve thousand", 12_000),
    ("sixty-five", 65),
    ("1,200", 1200),
    ("1 200", 1200),
    ("1.5", 1.5),
    ("2,5", 2.5),
    ("1.200.000", 1_200_000),
    ("12,34,567", 1_234_567),
    ("0.0021", 0.0021),
    ("ten", 10),
    ("fifty", 50),
    ("eighty-eight", 88),
    ("seventy seven", 77),
    ("four hundred and twenty", 420),
    ("six thousand and one", 6001),
    ("two billion", 2_000_000_000),
    ("thirteen", 13),
    ("forty", 40),
    ("a", 1),
    ("an", 1),
    ("sixteen", 16),
    ("one hundred", 100),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_number_forms(text, value):
    parsed = parse_decimal(text)
    assert parsed is not None and float(parsed) == value


@pytest.mark.parametrize("text", ["one two", "and", "hundred and", "forty-"])
def test_not_numbers(text):
    assert parse_decimal(text) is None


PUBLISHED = datetime.date(2019, 3, 20)


def date(iso, granularity, qualifier=None):
    return DateValue(iso=iso, granularity=granularity, qualifier=qualifier)


# (line, the span found in it, value without a publication date, value with PUBLISHED)
DATES = [
    ("03/17/2019", "03/17/2019", date("2019-03-17", "day"), None),
    ("it was 17/03/19 then", "17/03/19", date("2019-03-17", "day"), None),
    ("17-03-2019", "17-03-2019", date("2019-03-17", "day"), None),
    ("17.03.2019", "17.03.2019", date("2019-03-17", "day"), None),
    ("2019/03/17", "2019/03/17", date("2019-03-17", "day"), None),
    ("2019-03-17", "2019-03-17", date("2019-03-17", "day"), None),
    ("03/04/2019", "03/04/2019", date("2019", "year"), None),
    ("on Mar-7 we met", "Mar-7", date("XXXX-03-07", "day"), date("2019-03-07", "day")),
    ("Mar/7", "Mar/7", date("XXXX-03-07", "day"), date("2019-03-07", "day")),
    ("March7", "March7", date("XXXX-03-07", "day"), date("2019-03-07", "day")),
    ("march7 2019", "march7 2019", date("2019-03-07", "day"), None),
    ("tuesday march 17th, 2019", "tuesday march 17th, 2019", date("2019-03-17", "day"), None),
    ("Tuesday, March 17, 2019", "Tuesday, March 17, 2019", date("2019-03-17", "day"), None),
    ("the 17th of March", "the 17th of March", date("XXXX-03-17", "day"), date("2019-03-17", "day")),
    ("17 march 2019", "17 march 2019", date("2019-03-17", "day"), None),
    ("march 17", "march 17", date("XXXX-03-17", "day"), date("2019-03-17", "day")),
    ("Jan. 1", "Jan. 1", date("XXXX-01-01", "day"), date("2019-01-01", "day")),
    ("sept 9, 2025", "sept 9, 2025", date("2025-09-09", "day"), None),
    ("we met on the 17th.", "on the 17th", date(None, "relative"), date("2019-03-17", "day")),
    ("paid on the 2nd", "on the 2nd", date(None, "relative"), date("2019-04-02", "day")),
    ("May 29-31, 2024", "May 29-31, 2024", date("2024-05", "month"), None),
    ("august 1 of this year", "august 1 of this year", date("XXXX-08-01", "day"), date("2019-08-01", "day")),
    ("in march 2019", "march 2019", date("2019-03", "month"), None),
    ("since March", "March", date("XXXX-03", "month"), date("2019-03", "month")),
    ("in may", None, None, None),  # a lower-case "may" alone is the verb's spelling
    ("a protest march", None, None, None),
    ("banks may 5 times", "may 5", date("XXXX-05-05", "day"), date("2019-05-05", "day")),
]

PERIODS = [
    ("Q3 2019", "Q3 2019", date("2019-Q3", "quarter"), None),
    (
        "in the third quarter profits rose",
        "the third quarter",
        date("XXXX-Q3", "quarter"),
        date("2019-Q3", "quarter"),
    ),
    ("the first quarter of 2026", "first quarter of 2026", date("2026-Q1", "quarter"), None),
    ("3Q19", "3Q19", date("2019-Q3", "quarter"), None),
    ("H1 2020", "H1 2020", date("2020", "year", "early"), None),
    ("the second half of 2020", "second half of 2020", date("2020", "year", "late"), None),
    ("fiscal 2020", "fiscal 2020", date("2020", "year"), None),
    ("FY2019/20", "FY2019/20", date("2020", "year"), None),
    ("fiscal year 2021", "fiscal year 2021", date("2021", "year"), None),
    (
        "the first week of May",
        "the first week of May",
        date("XXXX-05", "month", "early"),
        date("2019-05", "month", "early"),
    ),
    (
        "the last week of June",
        "the last week of June",
        date("XXXX-06", "month", "late"),
        date("2019-06", "month", "late"),
    ),
    ("between June and August", "between June and August", date("XXXX", "year"), date("2019", "year")),
    ("between June 2018 and August 2018", "between June 2018 and August 2018", date("2018", "year"), None),
    (
        "by the end of the year",
        "the end of the year",
        date(None, "relative", "late"),
        date("2019", "year", "late"),
    ),
    (
        "by the end of this year",
        "the end of this year",
        date(None, "relative", "late"),
        date("2019", "year", "late"),
    ),
    (
        "at the beginning of next year",
        "the beginning of next year",
        date(None, "relative", "early"),
        date("2020", "year", "early"),
    ),
    (
        "early February",
        "early February",
        date("XXXX-02", "month", "early"),
        date("2019-02", "month", "early"),
    ),
    ("mid-March", "mid-March", date("XXXX-03", "month", "mid"), date("2019-03", "month", "mid")),
    ("late June 2025", "late June 2025", date("2025-06", "month", "late"), None),
    ("the end of 2019", "the end of 2019", date("2019", "year", "late"), None),
    ("next month", "next month", date(None, "relative"), date("2019-04", "month")),
    ("last year", "last year", date(None, "relative"), date("2018", "year")),
    ("this year", "this year", date(None, "relative"), date("2019", "year")),
    ("TODAY", "TODAY", date(None, "relative"), date("2019-03-20", "day")),
    ("yesterday", "yesterday", date(None, "relative"), date("2019-03-19", "day")),
]


@pytest.mark.parametrize("case", DATES + PERIODS, ids=[case[0] for case in DATES + PERIODS])
def test_date_forms(case):
    text, span, value, with_publication = case
    spans = [text[start:end] for start, end in find_dates(text)]
    if span is None:
        assert spans == []
        return
    assert spans == [span]
    assert normalize_date(span, published=None) == value
    assert normalize_date(span, published=PUBLISHED) == (with_publication or value)


def test_date_tables_have_forty_cases_per_class():
    assert min(len(MONEY), len(PERCENT), len(NUMBERS), len(DATES) + len(PERIODS)) >= 40
