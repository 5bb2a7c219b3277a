"""Check country records: structure, field vocabulary, scores, dates, and country code and name.

Structure problems come from the parser; the vocabulary from `extract/rules/record_fields.json`;
country codes and names from ISO 3166 (pycountry) and countryinfo's common names.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from extract.errors import InputError
from extract.fieldpath import FieldSpec, field_spec, slug
from extract.models import CountryRecord, RecordField
from extract.records import lines as syntax
from extract.records.parse import Scan, decode_record, read_record_bytes, record_files, scan_record
from extract.records.problems import Problem

RULES = "extract/rules/record_fields.json"
# What follows a value's head: "Yes (since 2024)", "Restricted; licensing pending", "Low — improving".
_HEAD_END = re.compile(r"[ \t]*[(;,—–]|[ \t]+-[ \t]+")
_SCORE = re.compile(r"^(?P<value>[-+]?\d+(?:\.\d+)?)[ \t]*(?:/[ \t]*(?P<scale>\d+(?:\.\d+)?))?(?=[ \t(]|$)")
_PERCENT = re.compile(r"^(?:~|≈|<|>|about |over |under )?[ \t]*(?P<value>[-+]?\d+(?:\.\d+)?)[ \t]*%")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A value of an enumerated field that this many records of the folder use is vocabulary too.
LEARNED_FROM = 3


def validate_record_bytes(data: bytes, *, file: str, strict: bool = True) -> list[Problem]:
    """Every problem of one record file, by line; `file` is how the problems name it.

    `strict`: a value of an enumerated field must be in record_fields.json; else only a value one or
    two edits from a known one is a problem (a likely typo).
    """
    return _check(data, file, Vocabulary(strict))[0]


def validate_records(directory: Path, *, strict: bool = True) -> list[Problem]:
    """Every problem of the records (`*.md`) of a folder, by file and line.

    Not `strict`: the values that LEARNED_FROM or more records give an enumerated field join its
    vocabulary, and only values one or two edits from a known one are problems.
    """
    problems: list[Problem] = []
    first_by_code: dict[str, str] = {}
    readable: list[tuple[Path, bytes]] = []
    for path in record_files(directory):
        try:
            readable.append((path, read_record_bytes(path)))
        except InputError as exc:
            problems.append(Problem(file=str(path), line=1, what=exc.what, fix=exc.fix or "check the file"))
    vocabulary = Vocabulary(strict, () if strict else (data for _, data in readable))
    for path, data in readable:
        found, scan = _check(data, str(path), vocabulary)
        problems.extend(found)
        if scan is None or scan.record is None or not scan.record.code:
            continue
        code = scan.record.code
        if code in first_by_code:
            problems.append(Problem(file=str(path), line=scan.title_line or 1,
                                    what=f"country code {code} is also the code of {first_by_code[code]}",
                                    fix="keep one record per country"))
        else:
            first_by_code[code] = path.name
    return sorted(problems, key=lambda problem: (problem.file, problem.line))


class Vocabulary:
    """What validation accepts for enumerated fields beyond record_fields.json: values that
    LEARNED_FROM records use (slug → the value as most records write it)."""

    def __init__(self, strict: bool, records: Iterable[bytes] = ()) -> None:
        self.strict = strict
        users: dict[str, Counter[str]] = {}
        for data in records:
            try:
                scan = scan_record(data.decode("utf-8"), file="")
            except UnicodeDecodeError:
                continue
            if scan.record is None:
                continue
            for record_field in scan.record.fields.values():
                spec = field_spec(record_field.path)
                if spec is not None and spec.type in ("enum", "yesno"):
                    head = _head(record_field)
                    if head:
                        users.setdefault(record_field.path, Counter())[head] += 1
        self.learned: dict[str, dict[str, str]] = {}
        for path, counts in users.items():
            by_slug: dict[str, Counter[str]] = {}
            for value, count in counts.items():
                by_slug.setdefault(slug(value), Counter())[value] += count
            self.learned[path] = {key: spellings.most_common(1)[0][0] for key, spellings in by_slug.items()
                                  if spellings.total() >= LEARNED_FROM}


def _check(data: bytes, file: str, vocabulary: Vocabulary) -> tuple[list[Problem], Scan | None]:
    text = decode_record(data, file=file)
    if isinstance(text, Problem):
        return [text], None
    scan = scan_record(text, file=file)
    problems = list(scan.problems)
    if scan.record is not None:
        for record_field in scan.record.fields.values():
            spec = field_spec(record_field.path)
            what = value_problem(spec, record_field, strict=vocabulary.strict,
                                 learned=vocabulary.learned.get(record_field.path, {})) if spec else None
            if what is not None:
                problems.append(Problem(file=file, line=record_field.line, what=what[0], fix=what[1]))
        problems.extend(_country_problems(scan, scan.record))
    return sorted(problems, key=lambda problem: problem.line), scan


def value_problem(spec: FieldSpec, record_field: RecordField, *, strict: bool = True,
                  learned: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """(what is wrong, what to do) when a field's value does not fit its type, else None.

    Not `strict`, an enumerated field takes any value but one a typo away from a known value
    (record_fields.json or `learned`, slug → value); `learned` values are known.
    """
    text = syntax.link_labels(record_field.text).strip()
    shown = f"{record_field.path} is {text!r}"
    if spec.type in ("enum", "yesno"):
        head = _head(record_field)
        if head and spec.allows(head):
            return None
        if head and not strict:
            known = {**{slug(value): value for value in spec.values}, **(learned or {})}
            if slug(head) in known:
                return None
            near = _near(head, known.values())
            if near is None:
                return None
            return (f"{shown}, close to the known value {near!r}",
                    f"did you mean {near!r}? If not, add {head!r} to {RULES} (or use it in more records)")
        closest = difflib.get_close_matches(head, spec.values, n=1, cutoff=0.75)
        hint = f" (did you mean {closest[0]!r}?)" if closest else ""
        return (f"{shown}, not a known value" if head else f"{record_field.path} is empty",
                f"write one of {', '.join(spec.values)}{hint}, or add the value to {RULES}")
    if spec.type == "score":
        match = _SCORE.match(text)
        fix = "write a score from 0 to 100, e.g. 30/100"
        if match is None:
            return f"{shown}, not a score", fix
        if match["scale"] is not None and float(match["scale"]) != 100:
            return f"{shown}, not a score out of 100", fix
        if not 0 <= float(match["value"]) <= 100:
            return f"{shown}, outside 0–100", fix
    if spec.type == "percent":
        match = _PERCENT.match(text)
        if match is not None and not 0 <= float(match["value"]) <= 100:
            return f"{shown}, outside 0–100%", "write a percentage from 0% to 100%"
    if spec.type == "date" and not _is_date(text.strip("\"'")):
        return f"{shown}, not a date", "write the date as YYYY-MM-DD"
    return None


def _head(record_field: RecordField) -> str:
    """The value of an enumerated field without what follows it: "Yes (since 2024)" → "Yes"."""
    return _HEAD_END.split(syntax.link_labels(record_field.text).strip(), maxsplit=1)[0].strip()


def _near(value: str, known: Iterable[str]) -> str | None:
    """The known value one edit from `value` (two for values longer than four letters), else None."""
    target = value.casefold()
    best: tuple[int, str] | None = None
    for candidate in known:
        limit = 1 if min(len(target), len(candidate)) <= 4 else 2
        distance = _edits(target, candidate.casefold(), limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def _edits(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or limit + 1 once it is known to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char != other))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def _is_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _country_problems(scan: Scan, record: CountryRecord) -> list[Problem]:
    """The title's code must be ISO 3166 alpha-2, its name that country's, and the aliases agree."""
    import pycountry  # only validation needs the ISO tables

    file = record.file
    if scan.title_line is None:
        line = scan.front.close + 2 if scan.front else 1
        return [Problem(file=file, line=line, what="no title line",
                        fix="add one under the front matter, e.g. '#  Kenya (KE) — Crypto Regulation'")]
    if scan.title_code is None:
        return [Problem(file=file, line=scan.title_line, what="the title has no country code",
                        fix="write the ISO alpha-2 code in brackets: '#  Kenya (KE) — Crypto Regulation'")]
    code = scan.title_code.upper()
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return [Problem(file=file, line=scan.title_line,
                        what=f"the title's code ({scan.title_code}) is not an ISO 3166-1 alpha-2 code",
                        fix="write the country's two-letter code, e.g. KE for Kenya")]
    problems = []
    if not _names_country(record.name, code, country):
        problems.append(Problem(file=file, line=scan.title_line,
                                what=f"the title names {record.name!r}, but {code} is {country.name}",
                                fix=f"write {country.name} (or its common name), or the right code"))
    for alias in record.aliases:
        if re.fullmatch(r"[A-Z]{2}", alias):
            other = pycountry.countries.get(alpha_2=alias)
        elif re.fullmatch(r"[A-Z]{3}", alias):
            other = pycountry.countries.get(alpha_3=alias)
        else:
            continue
        if other is not None and other.alpha_2 != code:
            problems.append(Problem(
                file=file, line=scan.aliases_line or 1,
                what=f"alias {alias} is the code of {other.name}, but the title says ({code})",
                fix=f"make the title and the aliases name one country "
                    f"({country.name}: {code}, {country.alpha_3})"))
    return problems


def _names_country(name: str, code: str, country: object) -> bool:
    """Whether `name` is the ISO name, official name or a common name of the country with `code`."""
    from countryinfo import CountryInfo
    from countryinfo.exceptions import CountryNotFoundError

    iso_names = (getattr(country, attribute, "") for attribute in ("name", "official_name", "common_name"))
    if _plain(name) in {_plain(iso_name) for iso_name in iso_names if iso_name}:
        return True
    if not name.strip():
        return False
    try:
        return CountryInfo(name).iso(2) == code
    except CountryNotFoundError:
        return False


def _plain(name: str) -> str:
    """A name compared loosely: accents, case and punctuation dropped ("Côte d’Ivoire" → "cotedivoire")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if char.isalnum())
