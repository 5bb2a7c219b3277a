"""The mentions stage for a language other than English, driven by that language's data folder.

`extract/lang/<code>/mentions.json` (validated as `LanguageData`) says which parser backend reads the
language (see parsers.py) and how it writes money, percentages, quantities, laws and dates; the
gazetteer's own names in that script (records' aliases such as "Кыргызстан", regulators' native names)
and the language's country names from babel are matched on lemmas, so inflected forms ("Кыргызстане",
"Национальным банком Кыргызской Республики") still match. Everything after the candidates is the English
stage's own code: overlaps, attribution to countries, the Mention contract. Values are written in English
(ISO codes, ISO dates, English law names that join the records' laws), the text stays the evidence.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field

from extract.attribute import attribute_sentences
from extract.gazetteer import COUNTRY_ID_PREFIX, PERSON_ID_PREFIX
from extract.lang.parsers import ParsedSentence, lemmatizer, parser, split_at_lines
from extract.models import (
    AnalyzedArticle,
    Article,
    Contract,
    DateValue,
    EntityValue,
    LawValue,
    MentionValue,
    MoneyValue,
    PercentValue,
    Qualifier,
    QuantityValue,
    Sentence,
)
from extract.normalize.numbers import parse_decimal, to_number
from extract.normalize.vocabulary import alternation

if TYPE_CHECKING:
    from extract.mentions import Analyzer, Candidate

_NUMBER = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_WORD = r"[^\W\d_][\w·*-]*\.?"
_NON_ASCII_LETTERS = re.compile(r"[^\W\d_a-zA-Z]")


class LawsData(Contract):
    kinds: dict[str, str]
    named_after: list[str]
    glossary: dict[str, str]
    connectors: dict[str, str]


class DatesData(Contract):
    year_words: list[str]
    quarter_word: str
    half_word: str
    ordinals: dict[str, int]
    relative: list[str]


class MinorUnit(Contract):
    codes: list[str]
    factor: str


class LanguageData(Contract):
    """One language's mentions data (extract/lang/<code>/mentions.json)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    doc: str = Field("", alias="_doc")
    language: str
    parser: str
    dateparser_language: str
    currencies: dict[str, list[str]]
    currency_defaults: dict[str, str]
    minor_units: dict[str, MinorUnit]
    scales: dict[str, int]
    percent: list[str]
    quantity_units: dict[str, str]
    rate_prepositions: list[str]
    rate_units: dict[str, str]
    qualifiers: dict[Qualifier, list[str]]
    laws: LawsData
    dates: DatesData


def has_data(code: str) -> bool:
    return resources.files("extract.lang").joinpath(code, "mentions.json").is_file()


@cache
def language_data(code: str) -> LanguageData:
    text = resources.files("extract.lang").joinpath(code, "mentions.json").read_text("utf-8")
    return LanguageData.model_validate(json.loads(text))


class ForeignAnalyzer:
    """The mentions stage for one language, sharing the English stage's gazetteer, laws and contracts."""

    def __init__(self, base: Analyzer, data: LanguageData) -> None:
        self.base = base
        self.data = data
        self.parse = parser(data.parser)
        self.lemmas = lemmatizer()
        self._phrases = self._gazetteer_phrases()
        self._month_lemmas = self._months()
        self._country_names = self._english_country_names()
        self._rate = re.compile(rf"\s*(?:{alternation(data.rate_prepositions)})\s*(?P<per>{_WORD})")
        self._qualifiers = sorted(
            ((phrase, qualifier) for qualifier, phrases in data.qualifiers.items() for phrase in phrases),
            key=lambda item: -len(item[0]),
        )

    # --- the stage ---------------------------------------------------------------------------------

    def analyze(self, article: Article) -> AnalyzedArticle:
        from extract.mentions import Candidate, _resolve_overlaps  # the English stage's own rules

        published = _parse_day(article.published)
        # One parser call per article (the models batch its sentences); a sentence never crosses a line,
        # so headlines and list items stay paragraphs of their own, as in the English stage.
        lines = [line.span() for line in re.finditer(r"[^\r\n]*\S[^\r\n]*", article.text)]
        parsed = [
            (paragraph, piece)
            for sentence in self.parse(article.text, 0)
            for paragraph, piece in split_at_lines(sentence, lines)
        ]
        entities = [self._entity_candidates(article.text, sentence, Candidate) for _, sentence in parsed]
        signals = [self.base._signals(found) for found in entities]
        main, countries = attribute_sentences(signals, [paragraph for paragraph, _ in parsed])
        mentions = []
        sentences = []
        for (paragraph, sentence), found, country in zip(parsed, entities, countries, strict=True):
            text = article.text[sentence.start : sentence.end]
            local = self.base._local_currency(country)
            candidates = [
                *found,
                *(
                    Candidate(sentence.start + s, sentence.start + e, kind, label, value, rule, priority)
                    for s, e, kind, label, value, rule, priority in self._rule_mentions(
                        text, local, published
                    )
                ),
            ]
            for candidate in _resolve_overlaps(candidates):
                mentions.append(
                    self.base._mention(article, candidate, (sentence.start, sentence.end), country)
                )
            sentences.append(
                Sentence(
                    start=sentence.start,
                    end=sentence.end,
                    paragraph=paragraph,
                    country=country,
                    lemmas=" ".join(token.lemma for token in sentence.tokens),
                    tokens=sentence.tokens,
                )
            )
        return AnalyzedArticle(article=article, main_country=main, sentences=sentences, mentions=mentions)

    # --- entities ----------------------------------------------------------------------------------

    def _gazetteer_phrases(self) -> dict[str, list[tuple[list[frozenset[str]], str, str]]]:
        """Names in a non-Latin script, as lemma sets per word, indexed by their first word's forms."""
        from babel import Locale

        gazetteer = self.base.gazetteer
        named = [(surface.text, surface.label, surface.ref) for surface in gazetteer.surfaces()]
        territories = Locale(self.data.language).territories
        named += [
            (territories[code], "GPE", COUNTRY_ID_PREFIX + code)
            for code in gazetteer.countries
            if code in territories
        ]
        index: dict[str, list[tuple[list[frozenset[str]], str, str]]] = defaultdict(list)
        for text, label, ref in named:
            if not _NON_ASCII_LETTERS.search(text):
                continue
            words = re.findall(r"\w+(?:-\w+)*", text)
            if not words:
                continue
            forms = [self.lemmas.forms(word) for word in words]
            for form in forms[0]:
                index[form].append((forms, label, ref))
        for phrases in index.values():
            phrases.sort(key=lambda phrase: -len(phrase[0]))
        return dict(index)

    def _entity_candidates(
        self, text: str, sentence: ParsedSentence, candidate: type[Candidate]
    ) -> list[Candidate]:
        found: list[Candidate] = []
        words = [token for token in sentence.tokens if re.match(r"\w", text[token.start : token.end])]
        forms = [self.lemmas.forms(text[token.start : token.end]) for token in words]
        position = 0
        while position < len(words):
            match = self._phrase_at(forms, position)
            if match is None:
                position += 1
                continue
            length, label, ref = match
            start, end = words[position].start, words[position + length - 1].end
            value = self._entity_value(ref)
            if value is not None:
                found.append(candidate(start, end, "entity", label, value, "rule:gazetteer", 2))
            position += length
        for start, end, label in sentence.entities:
            if label in {"PERSON", "ORG", "GPE"} and all(end <= c.start or c.end <= start for c in found):
                name = " ".join(text[start:end].split())
                kind = {"PERSON": "person", "ORG": "org", "GPE": "place"}[label]
                found.append(
                    candidate(start, end, "entity", label, EntityValue(name=name, type=kind), "ner", 1)
                )
        return sorted(found, key=lambda c: c.start)

    def _phrase_at(self, forms: list[frozenset[str]], position: int) -> tuple[int, str, str] | None:
        for first in forms[position]:
            for phrase, label, ref in self._phrases.get(first, ()):
                size = len(phrase)
                if position + size <= len(forms) and all(
                    phrase[i] & forms[position + i] for i in range(size)
                ):
                    return size, label, ref
        return None

    def _entity_value(self, ref: str) -> EntityValue | None:
        gazetteer = self.base.gazetteer
        if ref.startswith(COUNTRY_ID_PREFIX):
            country = gazetteer.countries.get(ref.removeprefix(COUNTRY_ID_PREFIX))
            return (
                None
                if country is None
                else EntityValue(name=country.name, id=country.link_id, type="country")
            )
        if ref.startswith(PERSON_ID_PREFIX):
            return EntityValue(name=ref.removeprefix(PERSON_ID_PREFIX), type="person")
        entry = gazetteer.entities.get(ref)
        return None if entry is None else EntityValue(name=entry.name, id=entry.id, type=entry.type)

    # --- amounts, dates, laws ----------------------------------------------------------------------

    def _rule_mentions(
        self, text: str, local: str | None, published: dt.date | None
    ) -> Iterator[tuple[int, int, str, str, MentionValue, str, int]]:
        for start, end, law in self._laws(text):
            yield start, end, "law", "LAW", law, "rule:law", 5
        yield from self._amounts(text, local)
        for start, end, date in self._dates(text, published):
            yield start, end, "date", "DATE", date, "rule:date", 3

    def _keys(self, word: str) -> frozenset[str]:
        return self.lemmas.forms(word) | {word.lower()}

    def _lookup(self, table: dict[str, Any], word: str | None) -> Any:
        """The table's entry for a word as written, lower-cased, or by any of its lemmas; a sentence's full
        stop after the word is not part of it."""
        if not word:
            return None
        for candidate in dict.fromkeys((word, word.rstrip("."))):
            for key in (candidate.lower(), *sorted(self._keys(candidate))):
                if key in table:
                    return table[key]
        return None

    def _word_end(self, table: dict[str, Any], match: re.Match[str], group: str) -> int:
        """Where the word of `group` ends: before a full stop when only the word without it is listed."""
        word = match[group]
        if word.endswith(".") and not match.string[match.end(group) :].strip():
            return match.end(group) - 1  # the sentence's full stop
        if (
            word.endswith(".")
            and self._lookup(table, word.rstrip(".")) is not None
            and not any(key in table for key in (word.lower(), *self._keys(word)))
        ):
            return match.end(group) - 1
        return match.end(group)

    _AMOUNT = re.compile(
        rf"(?<![\w.,])(?:(?P<pre>[$€£¥₸₽])\s?)?(?P<num>{_NUMBER})(?![\d])"
        rf"(?:\s?(?P<scale>%|{_WORD}))?(?:\s?(?P<unit>%|[$€£¥₸₽]|{_WORD}))?"
    )

    def _amounts(
        self, text: str, local: str | None
    ) -> Iterator[tuple[int, int, str, str, MentionValue, str, int]]:
        data = self.data
        for match in self._AMOUNT.finditer(text):
            number = parse_decimal(match["num"].replace("\u00a0", " ").replace("\u202f", " "))
            if number is None:
                continue
            scale, unit, end = match["scale"], match["unit"], match.end("num")
            factor = self._lookup(data.scales, scale)
            units = {
                **data.currencies,
                **data.minor_units,
                **data.quantity_units,
                **{w: 1 for w in data.percent},
            }
            if factor is None:  # the word after the number is the unit itself
                unit, scale = scale, None
                unit_end = self._word_end(units, match, "scale") if unit else end
            else:
                end = self._word_end(data.scales, match, "scale")
                unit_end = self._word_end(units, match, "unit") if unit else end
            value = number * (factor or 1)
            qualifier = self._qualifier(text[: match.start()])
            rate = self._rate.match(text, unit_end)
            per_unit = self._lookup(data.rate_units, rate["per"]) if rate else None
            per_end = self._word_end(data.rate_units, rate, "per") if rate and per_unit else None
            if match["pre"] and not (unit and self._currency(unit, local)):
                code = self._currency(match["pre"], local)
                money = MoneyValue(amount=to_number(value), currency=code, per=per_unit, qualifier=qualifier)
                yield match.start(), per_end or end, "money", "MONEY", money, "rule:money", 4
                continue
            if not unit:
                continue
            if unit == "%" or self._lookup({w: True for w in data.percent}, unit):
                percent = PercentValue(amount=to_number(value), qualifier=qualifier)
                yield match.start(), unit_end, "percent", "PERCENT", percent, "rule:percent", 4
                continue
            minor = self._lookup(data.minor_units, unit)
            code = self._currency(unit, local)
            if minor is not None:
                code = local if local in minor.codes else minor.codes[0]
                value *= Decimal(minor.factor)
            if code is not None or minor is not None or self._lookup(data.currencies, unit) is not None:
                money = MoneyValue(amount=to_number(value), currency=code, per=per_unit, qualifier=qualifier)
                yield match.start(), per_end or unit_end, "money", "MONEY", money, "rule:money", 4
                continue
            quantity_unit = self._lookup(data.quantity_units, unit)
            if quantity_unit is not None and not (factor is None and _is_year(match["num"])):
                quantity = QuantityValue(amount=to_number(value), unit=quantity_unit, qualifier=qualifier)
                yield match.start(), unit_end, "quantity", "QUANTITY", quantity, "rule:quantity", 4

    def _currency(self, word: str, local: str | None) -> str | None:
        from extract.normalize.currency import currency_candidates

        codes = self._lookup(self.data.currencies, word)
        if codes is None:
            codes = sorted(currency_candidates(word)) if not word.isalpha() or word.isupper() else None
        if not codes:
            return None
        if local in codes:
            return local
        if len(codes) == 1:
            return str(codes[0])
        default = self._lookup(self.data.currency_defaults, word)
        return str(default) if default else ("USD" if word == "$" else None)

    def _qualifier(self, before: str) -> Qualifier | None:
        tail = " ".join(before.lower().split()[-3:])
        for phrase, qualifier in self._qualifiers:
            if tail == phrase or tail.endswith(" " + phrase):
                return qualifier
        return None

    def _months(self) -> dict[str, int]:
        from babel import Locale

        locale = Locale(self.data.language)
        lemmas: dict[str, int] = {}
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in locale.months[context][width].items():
                    name = name.lower().rstrip(".")
                    lemmas[name] = number
                    for form in self.lemmas.forms(name):
                        lemmas.setdefault(form, number)
        return lemmas

    def _month(self, word: str) -> int | None:
        lowered = word.lower().rstrip(".")
        if lowered in self._month_lemmas:
            return self._month_lemmas[lowered]
        return next(
            (self._month_lemmas[f] for f in sorted(self.lemmas.forms(lowered)) if f in self._month_lemmas),
            None,
        )

    # Each form on its own: a word that is no month must not hide a quarter starting at it.
    _DATE_FORMS = (
        re.compile(
            rf"(?<![\w.])(?P<day>\d{{1,2}})\s+(?P<month>{_WORD})(?:\s+(?P<year>(?:19|20)\d\d))?"
            rf"(?:\s*(?P<yword>{_WORD}))?"
        ),
        re.compile(rf"(?<![\w.])(?P<month>{_WORD})\s+(?P<year>(?:19|20)\d\d)(?:\s*(?P<yword>{_WORD}))?"),
        re.compile(
            rf"(?<![\w.])(?P<qord>{_WORD}|\d)[\s-]*(?:(?:м|ом|ий|ый|го)\s+)?(?P<period>{_WORD})"
            r"\s+(?P<pyear>(?:19|20)\d\d)(?:\s*(?P<pyword>года|году|год|г\.))?"
        ),
        re.compile(rf"(?<![\w.])(?P<onlyyear>(?:19|20)\d\d)\s*(?P<oyword>{_WORD})"),
        re.compile(r"(?<![\w.])(?P<numeric>\d{1,2}\.\d{1,2}\.\d{4})(?![\d])"),
    )

    def _dates(self, text: str, published: dt.date | None) -> Iterator[tuple[int, int, DateValue]]:
        from extract.normalize.dates import normalize_date

        year_words = set(self.data.dates.year_words)
        year_table = dict.fromkeys(year_words, True)
        matches = [match for form in self._DATE_FORMS for match in form.finditer(text)]
        for match in matches:
            groups = match.groupdict()
            if groups.get("numeric"):
                value = normalize_date(match["numeric"], published=published)
                if value:
                    yield match.start(), match.end(), value
            elif groups.get("month") and (month := self._month(match["month"])):
                year = int(match["year"]) if match["year"] else None
                end = match.end("year") if year else match.end("month") - match["month"].endswith(".")
                if year and self._lookup(year_table, match["yword"]):
                    end = self._word_end(year_table, match, "yword")
                day = int(groups["day"]) if groups.get("day") else None
                iso = _iso(year, month, day, published)
                if iso:
                    start = match.start("day") if day else match.start("month")
                    yield start, end, DateValue(iso=iso, granularity="day" if day else "month")
            elif groups.get("period"):
                ordinal = self._lookup(self.data.dates.ordinals, match["qord"])
                period = self._keys(match["period"])
                end = match.end("pyword") if match["pyword"] else match.end("pyear")
                if ordinal and self.data.dates.quarter_word in period:
                    value = DateValue(iso=f"{match['pyear']}-Q{ordinal}", granularity="quarter")
                    yield match.start(), end, value
                elif ordinal in (1, 2) and self.data.dates.half_word in period:
                    qualifier = "early" if ordinal == 1 else "late"
                    yield (
                        match.start(),
                        end,
                        DateValue(iso=match["pyear"], granularity="year", qualifier=qualifier),
                    )
            elif groups.get("onlyyear") and self._lookup(year_table, match["oyword"]):
                end = self._word_end(year_table, match, "oyword")
                yield match.start(), end, DateValue(iso=match["onlyyear"], granularity="year")
        yield from self._relative_dates(text, published)

    def _relative_dates(self, text: str, published: dt.date | None) -> Iterator[tuple[int, int, DateValue]]:
        lowered = text.lower()
        for phrase in self.data.dates.relative:
            for match in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
                yield match.start(), match.end(), self._relative(phrase, published)

    def _relative(self, phrase: str, published: dt.date | None) -> DateValue:
        if published is None:
            return DateValue(iso=None, granularity="relative")
        from dateparser.date import DateDataParser

        base = dt.datetime(published.year, published.month, published.day)
        parsed = DateDataParser(
            languages=[self.data.dateparser_language],
            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
        ).get_date_data(phrase)
        if parsed.date_obj is None:
            return DateValue(iso=None, granularity="relative")
        found = parsed.date_obj.date()
        if parsed.period == "year" or "год" in phrase:
            return DateValue(iso=f"{found.year:04d}", granularity="year")
        if parsed.period == "month" or "месяц" in phrase:
            return DateValue(iso=f"{found.year:04d}-{found.month:02d}", granularity="month")
        return DateValue(iso=found.isoformat(), granularity="day")

    _LAW_WORD = re.compile(r"(?<![\w-])[^\W\d_]+")
    _LAW_TAIL = re.compile(
        r"(?P<issuer>(?:\s+[А-ЯЁA-Z][\w-]*){0,3})"
        r"(?:\s+от\s+(?P<date>[^«»№\n]{1,30}?(?P<year>(?:19|20)\d\d))(?:\s*(?:года|г\.))?)?"
        r"(?:\s*№\s*(?P<number>[\w/-]+))?"
        r"(?:\s*[«\"“](?P<title>[^»\"”]+)[»\"”]+)?"
    )

    def _laws(self, text: str) -> Iterator[tuple[int, int, LawValue]]:
        words = list(self._LAW_WORD.finditer(text))
        for index, word in enumerate(words):
            kind = self._law_kind(word.group())
            if kind is None:
                continue
            start = word.start()
            previous = words[index - 1] if index else None
            if previous is not None and (two := self._law_kind(f"{previous.group()} {word.group()}")):
                kind, start = two, previous.start()
            name, prefix = kind
            match = self._LAW_TAIL.match(text, word.end())
            if match is None or not (match["title"] or match["number"] or name == "Code"):
                continue
            if name == "Code":
                english = self._translate(previous.group()) if previous is not None else None
                if not english:
                    continue
                start = previous.start() if previous is not None else start
                canonical = f"{english[0].upper()}{english[1:]} Code"
            elif match["title"]:
                title = self._translate(match["title"])
                if not title:
                    continue
                canonical = f"{prefix} on {title}"
            else:
                canonical = f"{prefix} No. {match['number']}"
            end = max([word.end(), *(match.end(group) for group in ("title", "number") if match[group])])
            if match["title"]:
                end = match.end()
            law = self._known_law(canonical) or LawValue(name=canonical)
            year = int(match["year"]) if match["year"] else law.year
            yield start, end, law.model_copy(update={"year": year, "number": match["number"] or law.number})

    def _law_kind(self, words: str) -> tuple[str, str] | None:
        lemmas = " ".join(self.lemmas.lemma(word) for word in words.split())
        english = self.data.laws.kinds.get(lemmas)
        return None if english is None else (english.split()[-1], english)

    def _translate(self, title: str) -> str | None:
        """A title word by word through the glossary (and babel's country names): "О виртуальных активах" →
        "Virtual Assets"; None when a word has no translation (better no law than a garbled name)."""
        words = re.findall(r"[^\W\d_][\w-]*|\d+", title)
        out: list[str] = []
        previous_noun = False
        for index, word in enumerate(words):
            lowered = word.lower()
            if lowered in self.data.laws.connectors:
                english = self.data.laws.connectors[lowered]
                if english and index:
                    out.append(english)
                previous_noun = False
                continue
            lemma = self.lemmas.lemma(word)
            tag = self.lemmas.tag(word)
            translated = self.data.laws.glossary.get(lemma, self._country_names.get(lemma))
            if translated is None:
                return None
            english = translated
            if not english:
                continue
            if previous_noun and "gent" in tag:
                out.append("of the")
            elif out and out[-1].lower() in self.data.laws.named_after and lemma in self._country_names:
                out.append("of")  # "Республика Казахстан" → "Republic of Kazakhstan"
            if "plur" in tag and "NOUN" in tag:
                english = _plural(english)
            if english.lower() in self.data.laws.named_after and out and out[-1] in {"in", "on", "and"}:
                out.append("the")  # "в Республике Казахстан" → "in the Republic of Kazakhstan"
            out.append(english)
            previous_noun = "NOUN" in tag
        return (
            " ".join(
                w if w in {"and", "in", "on", "of", "of the", "the"} else w[0].upper() + w[1:] for w in out
            )
            or None
        )

    def _english_country_names(self) -> dict[str, str]:
        from babel import Locale

        native = Locale(self.data.language).territories
        return {
            self.lemmas.lemma(native[code]): country.name
            for code, country in self.base.gazetteer.countries.items()
            if code in native and " " not in native[code]
        }

    def _known_law(self, name: str) -> LawValue | None:
        from rapidfuzz import fuzz

        best = max(self.base.known_laws, key=lambda law: fuzz.token_sort_ratio(name, law.name), default=None)
        return best if best is not None and fuzz.token_sort_ratio(name, best.name) >= 90 else None


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word if word.endswith("s") else word + "s"


def _is_year(text: str) -> bool:
    return re.fullmatch(r"(?:19|20)\d\d", text) is not None


def _iso(year: int | None, month: int, day: int | None, published: dt.date | None) -> str | None:
    from extract.normalize.dates import _dated, _valid_day

    if day is not None and not _valid_day(year, month, day):
        return None
    return _dated(published, year, month, day)


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
