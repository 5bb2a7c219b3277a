"""Dates as written in news text → DateValue (ISO text, granularity, early/mid/late), and finding the date
forms that spaCy's NER tends to miss (2026-01-01, 01.01.2026, Q1 2026, H1 2025, FY2025).

Rules (the vocabulary is `data/dates.json`):
- Only the given span is read, never the surrounding text. Words that say how a date is used
  ("starting", "effective", "as of", "onwards") are dropped; "early/mid/late", "the beginning/end of"
  become the qualifier; "H1 2025"/"the first half of 2025" → "2025" early, H2 → late.
- Numeric dates: ISO (also with a time: the date as written; also "2026/02/10"), dotted and dashed
  ones day first ("01.01.2026", "17-03-19"); a slashed date whose day and month could swap
  ("03/04/2026") gives its year only. Compact month-day forms read as written ("Mar-7", "Mar/7", "March7").
- "August 1 of this year" is in the publication year (XXXX without one).
- "on the 17th" (not a bare "the 17th") is that day of the publication month, or of the month next
  to it when that is nearer.
- A missing year is never taken from today. Without a publication date it stays unknown
  ("September 9" → "XXXX-09-09", "November" → "XXXX-11"); with one, it is the year (of the
  publication year and the two around it) that puts the date nearest to the publication date, counted
  in days for a day and in months otherwise; a tie goes to the publication year.
- Relative dates ("last year", "next month", "on Monday", "yesterday", "two years ago") resolve
  against the publication date at the granularity they name; weekdays mean the past one. Without a
  publication date, and for weeks (the contract has no week granularity), iso is null, granularity
  "relative".
- A range ("From January through July 2025") gives the year both ends share ("XXXX" when neither end
  has one: "between June and August"), else None; days of one month ("May 29-31, 2024") give the
  month. A fiscal year is named by the year it ends in ("FY2024/25" → "2025"), as FY labels usually are.
- None for what names no point in time: durations ("a month", "12 months", "under a year"),
  frequencies ("annual", "daily"), decades ("the 1990s"), "now", "recently".
dateparser (imported on first use) parses only month-name dates and relative dates, with explicit
settings whose RELATIVE_BASE is the publication date or, to read day and month, a fixed leap year.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from extract.models import DateValue
from extract.normalize.vocabulary import alternation, load_data

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

DateQualifier = Literal["early", "mid", "late"]

_DATA = load_data("dates.json")
_SEASONS: dict[str, str] = _DATA["seasons"]
_SEASON_MONTHS: dict[str, int] = _DATA["season_months"]
_QUARTERS: dict[str, int] = _DATA["quarter_ordinals"]
_QUALIFIERS: dict[str, DateQualifier] = {
    phrase: qualifier for qualifier, phrases in _DATA["qualifiers"].items() for phrase in phrases
}
_HALVES: dict[str, DateQualifier] = {
    phrase: half for half, phrases in _DATA["halves"].items() for phrase in phrases
}
_SYNONYMS: dict[str, str] = _DATA["relative_synonyms"]
_NO_YEAR_BASE = datetime.datetime(2000, 1, 1)  # a leap year, so that "February 29" parses
_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    "|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_YEAR = r"(?:1[89]|2[01])\d\d"
_SHORT_YEAR = rf"(?:{_YEAR}|'?\d\d)"

_LEADING = re.compile(rf"^(?:{alternation(_DATA['leading_markers'])})(?:\s+|$)")
_TRAILING = re.compile(rf"(?:^|\s+)(?:{alternation(_DATA['trailing_markers'])})$")
_QUALIFIER = re.compile(rf"^(?P<q>{alternation(_QUALIFIERS)})(?:\s+|-)(?P<rest>\S.*)$")
_MONTH_NUMBERS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_SIMPLE_MONTH_DATE = re.compile(
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"  # "Wednesday, December 24"
    rf"(?:(?:the\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTHS})\.?"  # "the 5th of May"
    rf"|(?P<m2>{_MONTHS})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<m3>{_MONTHS})\.?)(?:,?\s+(?P<y>{_YEAR}))?"
)
_HAS_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_DAY_AND_MONTH = re.compile(rf"\b(?:{_MONTHS})\b\.?\s+\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b")
_MONTH_NAME = re.compile(rf"\b(?:{_MONTHS})\b\.?")
_NOT_DATE = re.compile(
    rf"(?:{alternation(_DATA['not_dates'])}|{alternation(_DATA['frequencies'])}"
    rf"|(?:the\s+)?(?:mid-?)?(?:{_YEAR}|'?\d\d)['’]?s)"
)
_COARSE = re.compile(rf"\b(?:{alternation(_DATA['coarser_than_year'])})\b")
_UNITS = rf"(?:{alternation(_DATA['duration_units'])})s?"
_COUNT = rf"(?:{alternation(_DATA['counts'])}|\d+(?:[.,]\d+)?)"
# "12 months", "under a year", "the next three years", "the past year" (but "last year" is a date)
_DURATION = re.compile(
    rf"(?:(?:under|over|within|for|about|nearly|almost|more\s+than|less\s+than|up\s+to|at\s+least)\s+)?"
    rf"(?:(?:the\s+)?(?:(?:past|last|next|first|coming|previous|following|initial|further|additional|recent)\s+)?"
    rf"{_COUNT}[\s-]+(?:more\s+|full\s+|calendar\s+)?{_UNITS}(?:\s+(?:long|old|period|term))?"
    rf"|(?:the\s+past|the\s+last|past)\s+{_UNITS})"
)
_IN_DURATION = re.compile(rf"in\s+{_COUNT}\s+{_UNITS}")
_RELATIVE = re.compile(rf"\b(?:{alternation(_DATA['relative_words'])})\b")
_RELATIVE_NAMED = re.compile(
    rf"(?P<which>last|next|this)\s+(?:(?P<month>{_MONTHS})\.?|(?P<season>{alternation(_SEASONS)})|(?P<quarter>quarter))"
)
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d\d)(?:-(?P<d>\d\d)(?:[t ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:z|[+-]\d\d:?\d\d)?)?)?"
    r"|(?P<y2>\d{4})(?P<sep>[/.])(?P<m2>\d\d)(?P=sep)(?P<d2>\d\d)"
)
# "on the 17th" (a bare "the 5th" is as often "the 5th package")
_ON_DAY = re.compile(r"on\s+the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)")
_DAY_RANGE = re.compile(rf"(?P<m>(?:{_MONTHS})\.?)\s+\d{{1,2}}\s*[-–]\s*\d{{1,2}}(?P<y>,?\s+{_YEAR})?")
_OF_THIS_YEAR = re.compile(rf"(?P<rest>.*\b(?:{_MONTHS})\b.*?),?\s+(?:of\s+)?this\s+year")
_MONTH_DIGIT = re.compile(rf"\b((?:{_MONTHS})\.?)(?=\d)")
_NUMERIC = re.compile(r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d\d)")
_PLAIN_YEAR = re.compile(rf"(?:the\s+year\s+)?(?P<y>{_YEAR})")
_FISCAL_WORD = r"(?:(?:fy|fiscal(?:\s+year)?)\s*)"
_FISCAL = re.compile(rf"{_FISCAL_WORD}(?P<y>{_SHORT_YEAR})(?:\s*[/-]\s*(?P<y2>{_SHORT_YEAR}))?")
_QUARTER = re.compile(
    rf"(?:the\s+)?(?:q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<ordinal>{alternation(_QUARTERS)})\s+quarter(?:\s+of)?)"
    rf"(?:\s*[,'’-]?\s*{_FISCAL_WORD}?(?P<y>{_SHORT_YEAR}))?"
)
_HALF = re.compile(
    rf"(?:the\s+)?(?:(?P<half>{alternation(_HALVES)})|(?P<h>[12])h)(?:\s+of)?\s*[,'’-]?\s*{_FISCAL_WORD}?"
    rf"(?P<y>{_SHORT_YEAR})"
)
_SEASON = re.compile(rf"(?:the\s+)?(?P<season>{alternation(_SEASONS)})(?:\s+of)?(?:\s+(?P<y>{_YEAR}))?")
_RANGE = re.compile(
    r"(?:between\s+(?P<a>.+?)\s+and\s+(?P<b>.+))"
    r"|(?:(?P<c>.+?)(?:\s+(?:to|through|thru|until|till|by\s+way\s+of)\s+|\s*[–—]\s*|\s+-\s+)(?P<d>.+))"
)
_STRIP = ' \t\n,;:()[]"“”‘’'


def _year(text: str) -> int:
    digits = text.lstrip("'’")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _clean(text: str) -> str:
    text = " ".join(text.lower().split()).strip(_STRIP).rstrip(".").replace("’s", "").replace("'s", "")
    while True:
        stripped = _TRAILING.sub("", _LEADING.sub("", text)).strip(_STRIP)
        if stripped == text:
            return text
        text = stripped


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _nearest_year(published: datetime.date, month: int, day: int | None = None) -> int:
    """The year that puts (month, day) nearest to the publication date; a tie goes to its year."""
    scored = []
    for year in range(published.year - 4, published.year + 5):  # wide enough for February 29
        if day is None:
            distance = abs(_month_index(year, month) - _month_index(published.year, published.month))
        elif _valid_day(year, month, day):
            distance = abs((datetime.date(year, month, day) - published).days)
        else:
            continue
        scored.append((distance, year != published.year, year))
    return min(scored)[2]


def _dated(published: datetime.date | None, year: int | None, month: int, day: int | None = None) -> str:
    """The ISO text of a month or day whose year may be missing (then nearest to publication, or XXXX)."""
    if year is None and published is not None:
        year = _nearest_year(published, month, day)
    prefix = "XXXX" if year is None else f"{year:04d}"
    return f"{prefix}-{month:02d}" + ("" if day is None else f"-{day:02d}")


def _valid_day(year: int | None, month: int, day: int) -> bool:
    try:
        datetime.date(year or 2000, month, day)
    except ValueError:
        return False
    return True


def _day_of_month(day: int, published: datetime.date | None) -> DateValue | None:
    """ "the 17th": that day of the publication month or a month next to it, whichever is nearest."""
    if published is None:
        return DateValue(iso=None, granularity="relative")
    candidates = []
    for shift in (-1, 0, 1):
        index = _month_index(published.year, published.month) + shift
        year, month = index // 12, index % 12 + 1
        if _valid_day(year, month, day):
            distance = abs((datetime.date(year, month, day) - published).days)
            candidates.append((distance, shift != 0, year, month))
    if not candidates:
        return None
    _, _, year, month = min(candidates)
    return DateValue(iso=f"{year:04d}-{month:02d}-{day:02d}", granularity="day")


def _structured(text: str, published: datetime.date | None) -> DateValue | None:
    """Numeric, quarter, half, fiscal-year, season and bare-year forms, read without dateparser."""
    if match := _ISO.fullmatch(text):
        year, month = int(match["y"] or match["y2"]), int(match["m"] or match["m2"])
        day = (match["d"] or match["d2"]) and int(match["d"] or match["d2"])
        if not (1 <= month <= 12) or (day and not _valid_day(year, month, day)):
            return None
        return DateValue(iso=_dated(None, year, month, day or None), granularity="day" if day else "month")
    if match := _NUMERIC.fullmatch(text):
        first, second, year = int(match["a"]), int(match["b"]), _year(match["y"])
        if match["sep"] == "/" and first <= 12 and second <= 12 and first != second:
            return DateValue(iso=str(year), granularity="year")  # day and month could swap: keep what is sure
        day, month = (second, first) if match["sep"] == "/" and second > 12 else (first, second)
        if not (1 <= month <= 12 and _valid_day(year, month, day)):
            return None
        return DateValue(iso=_dated(None, year, month, day), granularity="day")
    if match := _DAY_RANGE.fullmatch(text):
        value = _absolute(match["m"] + (match["y"] or ""), published)
        return value if value is None or value.granularity == "month" else None
    if match := _PLAIN_YEAR.fullmatch(text):
        return DateValue(iso=match["y"], granularity="year")
    if match := _FISCAL.fullmatch(text):
        return DateValue(iso=str(_year(match["y2"] or match["y"])), granularity="year")
    if (match := _QUARTER.fullmatch(text)) and not (match["ordinal"] == "last" and not match["y"]):
        quarter = int(match["q"] or match["q2"] or _QUARTERS[match["ordinal"]])
        if match["y"]:
            return DateValue(iso=f"{_year(match['y'])}-Q{quarter}", granularity="quarter")
        nearest = None if published is None else _nearest_year(published, quarter * 3 - 1)
        return DateValue(iso=f"{nearest or 'XXXX'}-Q{quarter}", granularity="quarter")
    if match := _HALF.fullmatch(text):
        half = _HALVES[match["half"]] if match["half"] else ("early" if match["h"] == "1" else "late")
        return DateValue(iso=str(_year(match["y"])), granularity="year", qualifier=half)
    if match := _SEASON.fullmatch(text):
        if not match["y"] and not text.lower().startswith("the"):
            return None  # "Winter is coming": a bare season word names the season, not a date
        season = _SEASONS[match["season"]]
        season_year = int(match["y"]) if match["y"] else None
        if season_year is None and published is not None:
            # named by the year it starts in; its middle month decides which one is nearest
            middle = _SEASON_MONTHS[season] + 1
            season_year = _nearest_year(published, (middle - 1) % 12 + 1) - (middle - 1) // 12
        return DateValue(iso=f"{season_year or 'XXXX'}-{season}", granularity="season")
    return None


@lru_cache(maxsize=256)
def _parser(base: datetime.datetime, relative: bool) -> DateDataParser:
    from dateparser.date import DateDataParser  # heavy: imported on first use

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "past" if relative else "current_period",
            "PREFER_DAY_OF_MONTH": "first",
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PARSERS": ["relative-time", "absolute-time"] if relative else ["absolute-time"],
        },
    )


def _relative_named(match: re.Match[str], published: datetime.date | None) -> DateValue | None:
    """ "last December", "next summer", "this winter": a named month or season before/after publication."""
    season = _SEASONS.get(match["season"] or "")
    if published is None:
        return DateValue(iso=None, granularity="relative")
    if match["quarter"]:
        index = (
            published.year * 4 + (published.month - 1) // 3 + {"last": -1, "next": 1}.get(match["which"], 0)
        )
        return DateValue(iso=f"{index // 4}-Q{index % 4 + 1}", granularity="quarter")
    if season:
        month = _SEASON_MONTHS[season]
    else:
        parsed = _parser(_NO_YEAR_BASE, False).get_date_data(match["month"])
        if parsed.date_obj is None:
            return None
        month = parsed.date_obj.month
    now = _month_index(published.year, published.month)
    years = range(published.year - 2, published.year + 3)
    if match["which"] == "last":
        year = max(y for y in years if _month_index(y, month) < now)
    elif match["which"] == "next":
        year = min(y for y in years if _month_index(y, month) > now)
    else:
        year = _nearest_year(published, month)
    if season:
        return DateValue(iso=f"{year}-{season}", granularity="season")
    return DateValue(iso=f"{year}-{month:02d}", granularity="month")


_WEEKDAY = re.compile(r"(?:on\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CALENDAR_SHIFT = re.compile(r"(?P<which>last|this|next)\s+(?P<unit>year|month)")
_DAY_SHIFT = re.compile(r"yesterday|today")


def _relative(text: str, published: datetime.date | None) -> DateValue | None:
    for phrase, replacement in _SYNONYMS.items():
        text = re.sub(rf"\b{re.escape(phrase)}\b", replacement, text)
    if published is None:
        return DateValue(iso=None, granularity="relative")
    if weekday := _WEEKDAY.fullmatch(text.strip()):
        # News says "on Tuesday" of the day it is published, else of the last six days.
        back = (published.weekday() - _WEEKDAYS.index(weekday[1].lower())) % 7
        return DateValue(iso=(published - datetime.timedelta(days=back)).isoformat(), granularity="day")
    if shift := _CALENDAR_SHIFT.fullmatch(text.strip()):
        # the commonest relative dates, read as dateparser reads them without loading it (~0.4 s)
        step = {"last": -1, "this": 0, "next": 1}[shift["which"]]
        if shift["unit"] == "year":
            return DateValue(iso=f"{published.year + step:04d}", granularity="year")
        months = published.year * 12 + published.month - 1 + step
        return DateValue(iso=f"{months // 12:04d}-{months % 12 + 1:02d}", granularity="month")
    if shift := _DAY_SHIFT.fullmatch(text.strip()):
        days = {"yesterday": -1, "today": 0}[shift[0]]
        return DateValue(iso=(published + datetime.timedelta(days=days)).isoformat(), granularity="day")
    base = datetime.datetime(published.year, published.month, published.day)
    parsed = _parser(base, True).get_date_data(text)
    if parsed.date_obj is None:
        return None
    found = parsed.date_obj.date()
    if parsed.period == "year":
        return DateValue(iso=f"{found.year:04d}", granularity="year")
    if parsed.period == "month":
        return DateValue(iso=f"{found.year:04d}-{found.month:02d}", granularity="month")
    if parsed.period in ("day", "time"):
        return DateValue(iso=found.isoformat(), granularity="day")
    return DateValue(iso=None, granularity="relative")


def _absolute(text: str, published: datetime.date | None) -> DateValue | None:
    """A date with a month name ("January 1, 2026", "9 Sept", "July 2025"), its year possibly missing."""
    found = _month_date(text)
    if found is None:
        return None
    year, month, day = found
    return DateValue(iso=_dated(published, year, month, day), granularity="month" if day is None else "day")


@lru_cache(maxsize=1024)
def _month_date(text: str) -> tuple[int | None, int, int | None] | None:
    """(year, month, day) of a lower-case date with a month name; year and day may be missing. The
    usual shapes are read here, the rest by dateparser (a hundred times slower)."""
    if simple := _SIMPLE_MONTH_DATE.fullmatch(text):
        month = _MONTH_NUMBERS[(simple["m1"] or simple["m2"] or simple["m3"])[:3]]
        year = int(simple["y"]) if simple["y"] else None
        day_text = simple["d1"] or simple["d2"]
        day = int(day_text) if day_text else None
        try:
            datetime.date(year or _NO_YEAR_BASE.year, month, day or 1)
        except ValueError:
            return None
        return year, month, day
    if len(_DAY_AND_MONTH.findall(text)) > 1:
        return None  # two dates in one span ("August 11, 2024 on June 7, 2024"): none of them is its date
    parsed = _parser(_NO_YEAR_BASE, False).get_date_data(text)
    if parsed.date_obj is None or parsed.period not in ("day", "time", "month"):
        return None
    date = parsed.date_obj
    year = date.year if _HAS_YEAR.search(text) else None
    return year, date.month, None if parsed.period == "month" else date.day


def _single(text: str, published: datetime.date | None) -> DateValue | None:
    qualifier: DateQualifier | None = None
    if match := _QUALIFIER.fullmatch(text):
        qualifier, text = _QUALIFIERS[match["q"]], _clean(match["rest"])
    if _NOT_DATE.fullmatch(text) or _DURATION.fullmatch(text) or _COARSE.search(text):
        return None
    value = _structured(text, published)
    has_year = _HAS_YEAR.search(text) is not None
    if value is None and (named := _RELATIVE_NAMED.fullmatch(text)):
        value = _relative_named(named, published)
    if value is None and _MONTH_NAME.search(text):
        value = _absolute(text, published)
    if value is None and not has_year and _RELATIVE.search(text):
        value = _relative(text, published)
    if value is None or qualifier is None:
        return value
    if value.granularity == "day" or value.qualifier is not None:
        return None  # "early January 5", "late H1 2025": not a date we can place
    return DateValue(iso=value.iso, granularity=value.granularity, qualifier=qualifier)


def normalize_date(text: str, *, published: datetime.date | None) -> DateValue | None:
    """The DateValue of a date span, or None for a duration, frequency or text that is no date.

    `published` is the article's publication date: it resolves relative dates and missing years.
    """
    if isinstance(published, datetime.datetime):
        published = published.date()
    return _normalize_date(text, published)


# News repeats its dates ("2025", "last year") within an article and a day's articles; a DateValue is
# immutable. An entry costs ~500 bytes: 2,048 hold the repeats of the last several hundred articles.
@lru_cache(maxsize=2048)
def _normalize_date(text: str, published: datetime.date | None) -> DateValue | None:
    raw = " ".join(text.lower().split()).strip(_STRIP)
    if match := _ON_DAY.fullmatch(raw):
        return _day_of_month(int(match["d"]), published)
    if _IN_DURATION.fullmatch(raw):  # "in two weeks": a point in the future, not a duration
        return _relative(raw, published)
    cleaned = _MONTH_DIGIT.sub(r"\1 ", _clean(text))
    if this_year := _OF_THIS_YEAR.fullmatch(cleaned):  # "August 1 of this year": the publication year
        rest = this_year["rest"] if published is None else f"{this_year['rest']} {published.year}"
        value = _single(rest, published)
        return value if value is None or value.granularity in ("day", "month") else None
    if not (ends := _RANGE.fullmatch(cleaned)):
        return _single(cleaned, published) if cleaned else None
    first, last = (ends["a"], ends["b"]) if ends["a"] else (ends["c"], ends["d"])
    last_value = _single(_clean(last), published)
    year = _HAS_YEAR.search(last)
    if year and not _HAS_YEAR.search(first):
        first = f"{first} {year.group()}"
    first_value = _single(_clean(first), published)
    if first_value is None or last_value is None or not first_value.iso or not last_value.iso:
        return None
    shared = first_value.iso[:4]
    return DateValue(iso=shared, granularity="year") if shared == last_value.iso[:4] else None


def _whole_words(forms: tuple[str, ...]) -> str:
    """The forms as one alternation, each only as whole words and not glued to a further number
    ("1.1.2026.5"). The boundary checks stand outside the alternation, once per position: inside each
    form they were tried at every character for every form (a third of the finder's time)."""
    return rf"(?<![\w-])(?:{'|'.join(forms)})(?![\w-]|[.,/]\d)"


_FOUND_YEAR = rf"(?:{_YEAR}|['’]\d\d)"
_FY_YEAR = rf"(?:FY\s?(?:{_YEAR}|\d\d)|(?i:fiscal)\s+(?:(?i:year)\s+)?{_YEAR})"
_FIND = re.compile(
    _whole_words(
        (
            r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?",
            r"(?<![./])\d{1,2}(?P<sep>[./-])\d{1,2}(?P=sep)\d{4}",
            rf"[QH][1-4](?:\s*,?\s*{_FOUND_YEAR}|\s*{_FY_YEAR})",
            rf"[1-4][QH](?:\d\d|\s*{_YEAR})",
            rf"(?i:(?:{alternation(_QUARTERS)})\s+quarter|(?:first|second|1st|2nd)\s+half)\s+(?:(?i:of)\s+)?"
            rf"(?:{_YEAR}|{_FY_YEAR})",
            rf"{_FY_YEAR}(?:[/-](?:{_YEAR}|\d\d))?",
        )
    )
)


# Month-name and relative forms, found by rule too so that lower-case text, headlines and lists are covered
# where the NER misses them. A lower-case "may" is a month only next to a day or year.
_NAMED_MONTH = rf"(?i:{_MONTHS})\.?"
_BARE_MONTH = rf"(?:(?i:{_MONTHS.replace('|may|', '|')})\.?|May)"
_WEEKDAY_PREFIX = r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
_DAY = r"\d{1,2}(?i:st|nd|rd|th)?"
# (halves of a year are found by `_FIND` as "first half of 2025", without "the")
_DATE_QUALIFIER = rf"(?:(?i:{alternation(q for q in _QUALIFIERS if 'half' not in q)})[\s-]+)"
_FIND_NAMED = re.compile(
    _whole_words(
        (
            rf"{_WEEKDAY_PREFIX}(?:(?i:the)\s+)?{_DAY}(?:\s+(?i:of))?\s+{_NAMED_MONTH}(?:,?\s+{_YEAR})?",
            rf"{_WEEKDAY_PREFIX}{_NAMED_MONTH}[\s./-]?{_DAY}(?:\s*[-–]\s*\d{{1,2}})?"
            rf"(?:,?\s+{_YEAR}|,?\s+(?i:of\s+)?(?i:this)\s+(?i:year))?",
            rf"{_DATE_QUALIFIER}?{_NAMED_MONTH},?\s+(?:(?i:of)\s+)?{_YEAR}",
            rf"{_DATE_QUALIFIER}(?:{_BARE_MONTH}|{_YEAR})",
            rf"(?i:between)\s+{_BARE_MONTH}(?:\s+{_YEAR})?\s+(?i:and)\s+{_BARE_MONTH}(?:,?\s+{_YEAR})?",
            rf"{_DATE_QUALIFIER}?(?i:the|this|last|next)\s+(?i:year|month|quarter)(?!\s*\d)",
            r"(?i:today|yesterday|tomorrow)",
            r"(?i:on\s+the)\s+\d{1,2}(?i:st|nd|rd|th)",
            rf"(?i:the\s+(?:{alternation(_QUARTERS)})\s+quarter)",
            r"(?<![./])\d{1,2}(?P<sep2>[/-])\d{1,2}(?P=sep2)\d\d",
            r"\d{4}(?P<sep3>[/.])\d\d(?P=sep3)\d\d",
        )
    )
)
_DIGIT = re.compile(r"\d")
# A bare month after a preposition ("in march", "since May"): the month alone is the span.
_FIND_BARE = re.compile(
    rf"(?<![\w-])(?i:in|since|until|till|from|before|after|during|through)\s+(?P<month>{_BARE_MONTH})(?![\w-])"
)


def find_dates(text: str) -> list[tuple[int, int]]:
    """Spans of date forms found by rule, each one that `normalize_date` reads as a date: ISO dates and
    timestamps, 01.01.2026, 1/1/2026, 17/03/19, 2026/02/10, Q1 2026, H1 2025, "first quarter of 2026", FY2025,
    month-name dates in any case ("tuesday march 17th, 2019", "17 March", "Mar-7", "March7", "early May",
    "between June and August"), "by the end of the year", "next month", "today", "on the 17th".
    Overlapping forms: the longest wins."""
    # every form `_FIND` knows has a digit: most sentences skip its long alternation
    spans = [match.span() for match in _FIND.finditer(text)] if _DIGIT.search(text) else []
    spans += [match.span() for match in _FIND_NAMED.finditer(text)]
    spans += [match.span("month") for match in _FIND_BARE.finditer(text)]
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0] - span[1], span[0])):
        if all(end <= other[0] or other[1] <= start for other in chosen) and (
            normalize_date(text[start:end], published=None) is not None
        ):
            chosen.append((start, end))
    return sorted(chosen)
