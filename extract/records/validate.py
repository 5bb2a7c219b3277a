"""Check country records: structure, field vocabulary, scores, dates, and country code and name.

Structure problems come from the parser; the vocabulary from `extract/rules/record_fields.json`;
country codes and names from ISO 3166 (pycountry) and countryinfo's common names.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from pathlib import Path

from extract.errors import InputError
from extract.fieldpath import FieldSpec, field_spec
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


def validate_record_bytes(data: bytes, *, file: str) -> list[Problem]:
    """Every problem of one record file, by line; `file` is how the problems name it."""
    return _check(data, file)[0]


def validate_records(directory: Path) -> list[Problem]:
    """Every problem of the records (`*.md`) of a folder, by file and line."""
    problems: list[Problem] = []
    first_by_code: dict[str, str] = {}
    for path in record_files(directory):
        try:
            data = read_record_bytes(path)
        except InputError as exc:
            problems.append(Problem(file=str(path), line=1, what=exc.what, fix=exc.fix or "check the file"))
            continue
        found, scan = _check(data, str(path))
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


def _check(data: bytes, file: str) -> tuple[list[Problem], Scan | None]:
    text = decode_record(data, file=file)
    if isinstance(text, Problem):
        return [text], None
    scan = scan_record(text, file=file)
    problems = list(scan.problems)
    if scan.record is not None:
        for record_field in scan.record.fields.values():
            spec = field_spec(record_field.path)
            what = value_problem(spec, record_field) if spec else None
            if what is not None:
                problems.append(Problem(file=file, line=record_field.line, what=what[0], fix=what[1]))
        problems.extend(_country_problems(scan, scan.record))
    return sorted(problems, key=lambda problem: problem.line), scan


def value_problem(spec: FieldSpec, record_field: RecordField) -> tuple[str, str] | None:
    """(what is wrong, what to do) when a field's value does not fit its type, else None."""
    text = syntax.link_labels(record_field.text).strip()
    shown = f"{record_field.path} is {text!r}"
    if spec.type in ("enum", "yesno"):
        head = _HEAD_END.split(text, maxsplit=1)[0].strip()
        if head and spec.allows(head):
            return None
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
