"""Numbers as written in news text → exact values: "1,200", "1 200", "1.5", "2,5", "10 billion", "$5m", "one",
"thirty-one", "two hundred", "one hundred and five", "three thousand five hundred".

Separators: a comma or a space (also no-break and thin spaces) groups thousands in English text,
and a comma the Indian way too ("12,34,567"); a dot groups thousands only when it cannot be a
decimal point ("1.200.000", "1.200,50"); a comma is a decimal comma only when it cannot group
thousands ("2,5", "1 200,50"). So "1.200" reads 1.2 and "1,200" reads 1200, as an English reader
would. Arithmetic is done in Decimal, so "1.2bn" is exactly 1200000000 (an int), never 1199999999.9999998.

Numbers in words: the vocabulary (`data/numbers.json`) says which words make a number; their sequence
is valued by text2num's English grammar ("one hundred and five" → 105), not by a table of numbers.
The vocabulary (scale words, number words) lives in `data/numbers.json`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from text_to_num import text2num

from extract.models import Number
from extract.normalize.vocabulary import alternation, load_data

_SPACE = "[ \u00a0\u2009\u202f]"


_VOCABULARY = load_data("numbers.json")
SCALE_WORDS: dict[str, int] = {word.lower(): int(value) for word, value in _VOCABULARY["scale_words"].items()}
ATTACHED_SCALES: dict[str, int] = {word: int(value) for word, value in _VOCABULARY["attached_scales"].items()}
NUMBER_WORDS: dict[str, int] = {
    word.lower(): int(value) for word, value in _VOCABULARY["number_words"].items()
}
ARTICLES: frozenset[str] = frozenset(word.lower() for word in _VOCABULARY["articles"])


_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,234,567.89
    r"|\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?"  # 12,34,567.89 (Indian lakh grouping)
    r"|\d{1,3}(?:\.\d{3})+,\d+"  # 1.234.567,89
    r"|\d{1,3}(?:\.\d{3}){2,}"  # 1.234.567
    rf"|\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:[.,]\d+)?"  # 1 234 567,89
    r"|\d+,\d{1,2}"  # 2,5
    r"|\d*\.\d+"
    r"|\d+"
)
_SCALE_WORD = rf"(?i:{alternation(SCALE_WORDS)})(?!\w)"
# Magnitude words inside a number in words ("three thousand five hundred"); after the last number word they
# are a scale as usual ("ten billion").
_MAGNITUDES = ("hundred", "thousand", "million", "billion", "trillion")
_NUMBER_WORD = rf"(?:{alternation(NUMBER_WORDS)})(?!\w)"
_WORD_OR_MAGNITUDE = rf"(?:{alternation([*NUMBER_WORDS, *_MAGNITUDES])})(?!\w)"
_WORDS = rf"{_NUMBER_WORD}(?:[\s-]+{_WORD_OR_MAGNITUDE})*"
# "one hundred and five": "and" joins only after a magnitude, so "between five and ten" stays a range.
_WORD_NUMBER = (
    rf"(?i:{_WORDS}[\s-]+(?:{alternation(_MAGNITUDES)})\s+and\s+{_WORDS}|{_WORDS})"
    rf"|(?i:{alternation(ARTICLES)})(?=[\s-]+{_SCALE_WORD})"
)
_WORD_SEQUENCE = re.compile(rf"(?i:{_WORD_NUMBER})")

# A number: digits with separators, or a number word. Callers add their own left boundary.
NUMBER_PATTERN = rf"(?:(?:{_DIGITS})(?!\d|[.,]\d)|{_WORD_NUMBER})"
# A scale right after a number: " billion", "-million", "bn", " lakh crore", or attached "m"/"k"/"b".
SCALE_PATTERN = (
    rf"(?:[\s-]?{_SCALE_WORD}(?:\s+{_SCALE_WORD})?"
    rf"|(?:{alternation(ATTACHED_SCALES)})(?!\w))"
)

_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_SPACE_THOUSANDS = re.compile(rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:[.,]\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")
_PLAIN = re.compile(r"\d*\.\d+|\d+")
_NUMBER = re.compile(NUMBER_PATTERN)
_AMOUNT = re.compile(rf"({NUMBER_PATTERN})({SCALE_PATTERN})?")
_ANY_NUMBER = re.compile(rf"\d|(?<!\w)(?:{_WORD_NUMBER})")


def has_number(text: str) -> bool:
    """Whether the text holds a number, in digits or in words ("six executives")."""
    return _ANY_NUMBER.search(text) is not None


def parse_decimal(text: str) -> Decimal | None:
    """The exact value of one written number ("1,200.5", "1.200.000", "2,5", "twenty-one"), else None."""
    text = text.strip()
    word = text.lower()
    if word in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[word])
    if word in ARTICLES:
        return Decimal(1)
    if _WORD_SEQUENCE.fullmatch(word):
        try:
            return Decimal(text2num(" ".join(word.replace("-", " ").split()), "en"))
        except ValueError:  # a sequence the grammar rejects ("one two"): not a number
            return None
    if _COMMA_THOUSANDS.fullmatch(text):
        digits = text.replace(",", "")
    elif _DOT_THOUSANDS.fullmatch(text) and ("," in text or text.count(".") > 1):
        digits = text.replace(".", "").replace(",", ".")
    elif _SPACE_THOUSANDS.fullmatch(text):
        digits = re.sub(_SPACE, "", text).replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(text):
        digits = text.replace(",", ".")
    elif _PLAIN.fullmatch(text):
        digits = text
    else:
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only valid literals
        return None


def scale_factor(text: str) -> int | None:
    """The multiplier of a scale ("billion" → 10**9, "bn", "lakh crore" → 10**12, "m" → 10**6), else None."""
    text = text.strip(" \t\n\u00a0-")
    if text in ATTACHED_SCALES:
        return ATTACHED_SCALES[text]
    factor = 1
    for word in text.lower().split():
        if word not in SCALE_WORDS:
            return None
        factor *= SCALE_WORDS[word]
    return factor if text else None


def to_number(value: Decimal) -> Number:
    """An int when the value is integral (10 billion → 10000000000), else a float (0.023)."""
    return int(value) if value == value.to_integral_value() else float(value)


def parse_number(text: str) -> Number | None:
    """The value of one written number without scale: "1,200" → 1200, "1.5" → 1.5, "ten" → 10."""
    if not _NUMBER.fullmatch(text.strip()):
        return None
    value = parse_decimal(text)
    return None if value is None else to_number(value)


def parse_amount(text: str) -> Number | None:
    """The value of a number with an optional scale: "10 billion" → 10**10, "1.2bn", "800 thousand"."""
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        return None
    value = parse_decimal(match.group(1))
    factor = scale_factor(match.group(2)) if match.group(2) else 1
    if value is None or factor is None or (match.group(1).lower() in ARTICLES and match.group(2) is None):
        return None
    return to_number(value * factor)
