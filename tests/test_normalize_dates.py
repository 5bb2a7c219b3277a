"""Dates: spans → ISO text, granularity and qualifier; missing years never taken from today."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.models import DateValue
from extract.normalize.dates import find_dates, normalize_date

PUBLISHED = datetime.date(2025, 9, 10)  # the KG seed article's week


def date(iso, granularity, qualifier=None):
    return DateValue(iso=iso, granularity=granularity, qualifier=qualifier)


RELATIVE = date(None, "relative")


@pytest.mark.parametrize(
    ("text", "without_publication", "with_publication"),
    [
        # --- the seed articles and records ---
        ("September 9", date("XXXX-09-09", "day"), date("2025-09-09", "day")),
        ("From January by way of July 2025", date("2025", "year"), date("2025", "year")),
        ("starting January 1, 2026", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("mid-April", date("XXXX-04", "month", "mid"), date("2025-04", "month", "mid")),
        ("early May", date("XXXX-05", "month", "early"), date("2025-05", "month", "early")),
        ("early 2026", date("2026", "year", "early"), date("2026", "year", "early")),
        ("effective July 11, 2026", date("2026-07-11", "day"), date("2026-07-11", "day")),
        ("2026-04-11T17:05:55.843Z", date("2026-04-11", "day"), date("2026-04-11", "day")),
        ("as of December 2025", date("2025-12", "month"), date("2025-12", "month")),
        ("November", date("XXXX-11", "month"), date("2025-11", "month")),
        ("August", date("XXXX-08", "month"), date("2025-08", "month")),
        # --- day, month, year in many styles ---
        ("January 1, 2026", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("1 January 2026", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("1st of January 2026", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("Jan. 1, 2026", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("Sept. 9, 2025", date("2025-09-09", "day"), date("2025-09-09", "day")),
        ("Monday, January 5, 2026", date("2026-01-05", "day"), date("2026-01-05", "day")),
        ("2026-01-01", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("01.01.2026", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("31.12.2025", date("2025-12-31", "day"), date("2025-12-31", "day")),
        ("1/1/2026", date("2026-01-01", "day"), date("2026-01-01", "day")),
        ("13/04/2026", date("2026-04-13", "day"), date("2026-04-13", "day")),
        ("04/13/2026", date("2026-04-13", "day"), date("2026-04-13", "day")),
        (
            "03/04/2026",
            date("2026", "year"),
            date("2026", "year"),
        ),  # 3 April or March 4: only the year is sure
        ("July 2025", date("2025-07", "month"), date("2025-07", "month")),
        ("2025-07", date("2025-07", "month"), date("2025-07", "month")),
        ("2026", date("2026", "year"), date("2026", "year")),
        ("in 2026", date("2026", "year"), date("2026", "year")),
        ("the year 2026", date("2026", "year"), date("2026", "year")),
        ("December 2025 onwards", date("2025-12", "month"), date("2025-12", "month")),
        ("February 29", date("XXXX-02-29", "day"), date("2024-02-29", "day")),
        # --- quarters, halves, fiscal years, seasons ---
        ("Q1 2026", date("2026-Q1", "quarter"), date("2026-Q1", "quarter")),
        ("first quarter of 2026", date("2026-Q1", "quarter"), date("2026-Q1", "quarter")),
        ("the fourth quarter of 2025", date("2025-Q4", "quarter"), date("2025-Q4", "quarter")),
        ("Q3'25", date("2025-Q3", "quarter"), date("2025-Q3", "quarter")),
        ("1Q26", date("2026-Q1", "quarter"), date("2026-Q1", "quarter")),
        ("the third quarter", date("XXXX-Q3", "quarter"), date("2025-Q3", "quarter")),
        ("last quarter", RELATIVE, date("2025-Q2", "quarter")),
        ("H1 2025", date("2025", "year", "early"), date("2025", "year", "early")),
        ("the second half of 2025", date("2025", "year", "late"), date("2025", "year", "late")),
        ("FY2025", date("2025", "year"), date("2025", "year")),
        ("FY 2024/25", date("2025", "year"), date("2025", "year")),
        ("fiscal 2025", date("2025", "year"), date("2025", "year")),
        ("summer 2025", date("2025-summer", "season"), date("2025-summer", "season")),
        ("the autumn of 2024", date("2024-autumn", "season"), date("2024-autumn", "season")),
        ("fall 2026", date("2026-autumn", "season"), date("2026-autumn", "season")),
        ("the winter", date("XXXX-winter", "season"), date("2025-winter", "season")),
        # --- qualifiers ---
        ("late 2025", date("2025", "year", "late"), date("2025", "year", "late")),
        ("the end of 2025", date("2025", "year", "late"), date("2025", "year", "late")),
        ("by the end of 2025", date("2025", "year", "late"), date("2025", "year", "late")),
        ("year-end 2025", date("2025", "year", "late"), date("2025", "year", "late")),
        ("mid-2025", date("2025", "year", "mid"), date("2025", "year", "mid")),
        ("the beginning of 2026", date("2026", "year", "early"), date("2026", "year", "early")),
        ("late summer 2025", date("2025-summer", "season", "late"), date("2025-summer", "season", "late")),
        ("the end of the year", date(None, "relative", "late"), date("2025", "year", "late")),
        # --- relative dates resolve against the publication date ---
        ("last year", RELATIVE, date("2024", "year")),
        ("next month", RELATIVE, date("2025-10", "month")),
        ("on Monday", RELATIVE, date("2025-09-08", "day")),
        ("on Wednesday", RELATIVE, date("2025-09-10", "day")),  # the day of publication itself
        ("Thursday", RELATIVE, date("2025-09-04", "day")),
        ("yesterday", RELATIVE, date("2025-09-09", "day")),
        ("today", RELATIVE, date("2025-09-10", "day")),
        ("two years ago", RELATIVE, date("2023", "year")),
        ("3 days ago", RELATIVE, date("2025-09-07", "day")),
        ("earlier this year", RELATIVE, date("2025", "year")),
        ("the coming year", RELATIVE, date("2026", "year")),
        ("this year's", RELATIVE, date("2025", "year")),
        ("last December", RELATIVE, date("2024-12", "month")),
        ("next January", RELATIVE, date("2026-01", "month")),
        ("this week", RELATIVE, RELATIVE),  # no week granularity in the contract
        ("last week", RELATIVE, RELATIVE),
        ("the 5th of May", date("XXXX-05-05", "day"), date("2025-05-05", "day")),
        ("Wednesday, December 24, 2025", date("2025-12-24", "day"), date("2025-12-24", "day")),
        # --- durations, frequencies and other non-dates ---
        ("32 of January", None, None),  # no such day (not January 2032)
        ("August 11, 2024 on June 7, 2024", None, None),  # two dates in one span: neither is its date
        ("a month", None, None),
        ("Winter", None, None),  # "Winter is coming": the season in general, not a date
        ("12 months", None, None),
        ("three years", None, None),
        ("under a year", None, None),
        ("the next 12 months", None, None),
        ("the past year", None, None),
        ("several weeks", None, None),
        ("annual", None, None),
        ("daily", None, None),
        ("quarterly", None, None),
        ("the 1990s", None, None),
        ("the 2020s", None, None),
        ("this decade", None, None),
        ("the past few years", None, None),
        ("now", None, None),
        ("recently", None, None),
        ("two years later", None, None),
        ("the 5th", None, None),
        ("2024-2025", None, None),
        ("between 2020 and 2022", None, None),
        ("", None, None),
    ],
)
def test_normalize_date(text, without_publication, with_publication):
    assert normalize_date(text, published=None) == without_publication
    assert normalize_date(text, published=PUBLISHED) == with_publication


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # the year that puts the date nearest to publication
        ("December 20", datetime.date(2026, 1, 5), "2025-12-20"),
        ("January 10", datetime.date(2025, 12, 20), "2026-01-10"),
        ("March", datetime.date(2025, 9, 10), "2025-03"),
        ("March", datetime.date(2025, 11, 10), "2026-03"),
        # a tie goes to the publication year
        ("March", datetime.date(2025, 9, 1), "2025-03"),
        ("this winter", datetime.date(2026, 2, 1), "2025-winter"),
        ("last year", datetime.date(2020, 3, 1), "2019"),
        ("last month", datetime.date(2025, 1, 15), "2024-12"),
        ("next month", datetime.date(2024, 12, 31), "2025-01"),
        ("the previous month", datetime.date(2024, 3, 31), "2024-02"),
        ("Wednesday, December 24", datetime.date(2026, 1, 5), "2025-12-24"),
    ],
)
def test_missing_year_comes_from_the_publication_date(text, published, expected):
    value = normalize_date(text, published=published)
    assert value is not None
    assert value.iso == expected


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2080, 12, 31)))
def test_a_missing_year_depends_only_on_the_publication_date(published):
    value = normalize_date("September 9", published=published)
    assert value is not None and value.iso is not None
    year = int(value.iso[:4])
    assert abs(year - published.year) <= 1
    chosen = abs((datetime.date(year, 9, 9) - published).days)
    assert all(chosen <= abs((datetime.date(other, 9, 9) - published).days) for other in (year - 1, year + 1))
    assert normalize_date("September 9", published=None) == date("XXXX-09-09", "day")


_FORMATS = [
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%B {day}, %Y",
    "{day} %B %Y",
    "%b. {day}, %Y",
    "%A, %B {day}, %Y",
    "starting %B {day}, %Y",
    "effective %d %B %Y",
]


@given(
    st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2099, 12, 31)),
    st.sampled_from(_FORMATS),
    st.one_of(
        st.none(), st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31))
    ),
)
def test_iso_dates_round_trip_through_written_styles(day, style, published):
    written = day.strftime(style.replace("{day}", str(day.day)))
    assert normalize_date(written, published=published) == date(day.isoformat(), "day")


@given(st.integers(min_value=1950, max_value=2099), st.integers(min_value=1, max_value=12))
def test_months_and_quarters_round_trip(year, month):
    name = datetime.date(year, month, 1).strftime("%B")
    assert normalize_date(f"{name} {year}", published=None) == date(f"{year}-{month:02d}", "month")
    quarter = (month - 1) // 3 + 1
    assert normalize_date(f"Q{quarter} {year}", published=None) == date(f"{year}-Q{quarter}", "quarter")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Generated by ai-lab-1 on 2026-04-11T17:05:55.843Z Source: lab", ["2026-04-11T17:05:55.843Z"]),
        ("Payments are due on 01.01.2026.", ["01.01.2026"]),
        ("Filed on 1/1/2026 and 31/12/2025.", ["1/1/2026", "31/12/2025"]),
        ("The rules apply from 2026-01-01.", ["2026-01-01"]),
        ("Revenue rose in Q1 2026 and Q3'25.", ["Q1 2026", "Q3'25"]),
        ("Results for 1Q26 were strong.", ["1Q26"]),
        ("Volumes fell in H1 2025.", ["H1 2025"]),
        ("in the first quarter of 2026", ["first quarter of 2026"]),
        ("in the first half of 2025", ["first half of 2025"]),
        ("in the last quarter of fiscal 2025", ["last quarter of fiscal 2025"]),
        ("The budget for FY2025 and FY 2024/25.", ["FY2025", "FY 2024/25"]),
        ("Plans for fiscal year 2026 were set.", ["fiscal year 2026"]),
        # not dates
        ("Version 1.2.2026x shipped; 32.13.2026 is no date.", []),
        ("The H3 2025 plan and Q5 2026.", []),
        ("In 2024-2025 the G10 and Web3 grew; see 3/4 of cases and 12/2025.", []),
        ("A7A5 and Kambar-Ata-1 and Article 331.", []),
        ("Q1 results were strong.", []),
    ],
)
def test_find_dates(text, spans):
    assert [text[start:end] for start, end in find_dates(text)] == spans


def test_the_commonest_relative_and_weekday_dates_are_read_without_dateparser() -> None:
    """dateparser costs ~0.4 s to load: a run whose dates are all of the usual shapes never loads it."""
    import subprocess
    import sys

    script = (
        "import datetime, sys; from extract.normalize.dates import find_dates, normalize_date\n"
        "text = 'Last year the bank said this month, on Wednesday, December 24, and again yesterday.'\n"
        "assert normalize_date('August 11, 2024 on June 7, 2024', published=None) is None\n"
        "day = datetime.date(2025, 12, 27)\n"
        "values = [normalize_date(text[s:e], published=day) for s, e in find_dates(text)]\n"
        "print([v.iso for v in values], 'dateparser' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['2024', '2025-12', '2025-12-24', '2025-12-26'] False"
