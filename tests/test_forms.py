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


# Money as each country's own press writes it: (text, the sentence's local currency, span, value). A span of
# None: no money in the text. Local symbols come from CLDR's English locale of the country ("R" en_ZA).
LOCAL_MONEY = [
    ("an annual licence fee of Sh1 million", "KES", "Sh1 million", money(1_000_000, "KES")),
    ("holders pay Sh 500,000 a year", "KES", "Sh 500,000 a year", money(500_000, "KES", per="year")),
    ("a fee of Sh1 million", None, "Sh1 million", money(1_000_000, None)),  # which shilling: unknown
    ("capital of KSh 25 million", "KES", "KSh 25 million", money(25_000_000, "KES")),
    (
        "it costs Ksh 3,000 per transaction",
        "KES",
        "Ksh 3,000 per transaction",
        money(3000, "KES", per="transaction"),
    ),
    ("the broker was fined Shs2 billion", "UGX", "Shs2 billion", money(2_000_000_000, "UGX")),
    ("a TSh 10 million bond", "TZS", "TSh 10 million", money(10_000_000, "TZS")),
    (
        "equity capital of at least 500 million won",
        "KRW",
        "500 million won",
        money(500_000_000, "KRW", q="at_least"),
    ),
    ("a fine of 3.5 billion won", None, "3.5 billion won", money(3_500_000_000, "KRW")),
    ("paid with a 5,000 won note", "KPW", "5,000 won", money(5000, "KPW")),
    ("reserves of 20 billion Korean won", None, "20 billion Korean won", money(20_000_000_000, "KRW")),
    ("a deposit of ₩10 billion", None, "₩10 billion", money(10_000_000_000, "KRW")),
    ("an annual levy of R45,000", "ZAR", "R45,000", money(45_000, "ZAR")),
    ("minimum capital of R1 million", "ZAR", "R1 million", money(1_000_000, "ZAR")),
    ("fines of up to R10 million", "ZAR", "R10 million", money(10_000_000, "ZAR", q="up_to")),
    ("the fund holds R2.5bn", "ZAR", "R2.5bn", money(2_500_000_000, "ZAR")),
    ("a fine of 5 million rand", None, "5 million rand", money(5_000_000, "ZAR")),
    ("a penalty of S$700,000", None, "S$700,000", money(700_000, "SGD")),
    ("a penalty of $1.2 million", "SGD", "$1.2 million", money(1_200_000, "SGD")),
    ("the exchange raised $50 million", "AUD", "$50 million", money(50_000_000, "AUD")),
    ("a fine of $300,000", "NZD", "$300,000", money(300_000, "NZD")),
    ("the exchange raised US$50 million", "AUD", "US$50 million", money(50_000_000, "USD")),
    ("reserves fell by $300 million", "ARS", "$300 million", money(300_000_000, "USD")),  # es_AR's "$"
    ("seized $16 million", "KGS", "$16 million", money(16_000_000, "USD")),
    ("a fine of ₦150 million", None, "₦150 million", money(150_000_000, "NGN")),
    ("a registration fee of Rs 5 lakh", "INR", "Rs 5 lakh", money(500_000, "INR")),
    ("a net worth of at least Rs 10 crore", "INR", "Rs 10 crore", money(100_000_000, "INR", q="at_least")),
    ("a fee of Rs. 1.5 lakh", "INR", "Rs. 1.5 lakh", money(150_000, "INR")),
    ("penalties of ₹5 crore", None, "₹5 crore", money(50_000_000, "INR")),
    ("investors lost 25 lakh rupees", "INR", "25 lakh rupees", money(2_500_000, "INR")),
    ("revenue of Rs 2 lakh crore", "INR", "Rs 2 lakh crore", money(2_000_000_000_000, "INR")),
    ("a fine of 10 crore rupees", "PKR", "10 crore rupees", money(100_000_000, "PKR")),
    ("a fee of Rs. 500,000", "LKR", "Rs. 500,000", money(500_000, "LKR")),
    ("a fine of Rs 1 crore", "NPR", "Rs 1 crore", money(10_000_000, "NPR")),
    ("deposits of ¥1 billion", None, "¥1 billion", money(1_000_000_000, "JPY")),
    ("fines of ¥500 million", "CNY", "¥500 million", money(500_000_000, "CNY")),
    ("capital of 150 million lira", None, "150 million lira", money(150_000_000, "TRY")),
    ("a fee of ₺50,000", None, "₺50,000", money(50_000, "TRY")),
    ("a fine of 50 million pesos", "MXN", "50 million pesos", money(50_000_000, "MXN")),
    ("a fee of 10 million pesos", "PHP", "10 million pesos", money(10_000_000, "PHP")),
    ("a fee of ₱5 million", None, "₱5 million", money(5_000_000, "PHP")),
    ("capital of 500 million CFA francs", "XOF", "500 million CFA francs", money(500_000_000, "XOF")),
    ("capital of 500 million francs", "XAF", "500 million francs", money(500_000_000, "XAF")),
    ("fines of 10 million francs", "CHF", "10 million francs", money(10_000_000, "CHF")),
    ("a fine of 2 million dinars", "TND", "2 million dinars", money(2_000_000, "TND")),
    ("a fine of 50,000 dinars", "JOD", "50,000 dinars", money(50_000, "JOD")),
    ("fines of 5 million kronor", "SEK", "5 million kronor", money(5_000_000, "SEK")),
    ("a fee of 10 million kr.", "DKK", "10 million kr.", money(10_000_000, "DKK")),
    ("capital of K5 million", "ZMW", "K5 million", money(5_000_000, "ZMW")),
    ("capital of P10 million", "BWP", "P10 million", money(10_000_000, "BWP")),
    ("a fee of GH₵2 million", "GHS", "GH₵2 million", money(2_000_000, "GHS")),
    # not money
    ("R&D spending doubled", "ZAR", None, None),
    ("he paid R45,000", None, None, None),  # "R" means the rand only in a South African sentence
    ("he paid R45,000", "EUR", None, None),
    ("P2P lending doubled", "BWP", None, None),  # a local symbol is written before the number only
    ("prices hit AUS$5 today", "SGD", None, None),  # "S$" inside a word
    ("she won the election", "KRW", None, None),
    ("of the 12 candidates, 4 won", "KRW", None, None),  # "won" after a count is the verb
    ("the party won 150 seats", "KRW", None, None),
    ("it cost a won", "KRW", None, None),
    ("500 million people", None, None, None),
    ("5 lakh investors and 10 crore users", "INR", None, None),
]


@pytest.mark.parametrize("case", LOCAL_MONEY, ids=[f"{case[0]} [{case[1]}]" for case in LOCAL_MONEY])
def test_local_money_forms(case):
    text, local, span, value = case
    found = [m for m in find_amounts(text, local_currency=local) if m.kind == "money"]
    assert [(text[m.start : m.end], m.value) for m in found] == ([(span, value)] if span else [])


@pytest.mark.parametrize(
    ("text", "span", "currency"),
    [
        (
            "Kenya's Capital Markets Authority set a licence fee of Sh2 million for exchanges.",
            "Sh2 million",
            "KES",
        ),
        ("South Africa's FSCA fined the broker R3 million on Monday.", "R3 million", "ZAR"),
        ("Australia's securities regulator fined the exchange $4 million.", "$4 million", "AUD"),
        ("South Korea's regulator fined the exchange 2 billion won.", "2 billion won", "KRW"),
        ("Switzerland's FINMA fined the bank 5 million francs.", "5 million francs", "CHF"),
    ],
)
def test_the_sentence_country_decides_a_local_currency(pipeline, text, span, currency):
    from extract.models import Article

    analyzed = next(pipeline.analyze([Article(id="local.txt", text=text)]))
    money_found = [(m.text, m.value.currency) for m in analyzed.mentions if m.kind == "money"]
    assert money_found == [(span, currency)]


def test_local_money_table_has_forty_cases():
    assert len(LOCAL_MONEY) >= 40
    assert sum(span is None for _, _, span, _ in LOCAL_MONEY) >= 8


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
