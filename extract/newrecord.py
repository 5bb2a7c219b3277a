"""`extract record new CC`: a new country record in the records' own format, every section present.

The name, aliases and currency come from pycountry and babel; every field the vocabulary
(extract/rules/record_fields.json) knows is written with the value Unknown where its type allows
it, so the record validates and the next `extract run` proposes `set`s into it (and `add`s for the
fields that cannot say Unknown, such as scores).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from extract.errors import InputError
from extract.fieldpath import field_rules, slug, split_path
from extract.files import atomic_write_text
from extract.models import RecordField

UNKNOWN = "Unknown"


def country_facts(code: str) -> tuple[str, list[str], str | None]:
    """(name, aliases, currency code) of an ISO 3166-1 alpha-2 code; InputError for an unknown code."""
    import pycountry
    from babel.numbers import get_territory_currencies

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise InputError(f"{code!r} is not an ISO 3166-1 alpha-2 country code", fix="e.g. UZ, GE, AE")
    name = getattr(country, "common_name", None) or country.name
    aliases = [country.alpha_2, country.alpha_3]
    aliases += [n for n in (country.name, getattr(country, "official_name", None)) if n and n != name]
    currencies = get_territory_currencies(country.alpha_2, date.today())
    return name, aliases, currencies[0] if currencies else None


def _allows_unknown(path: str) -> bool:
    from extract.fieldpath import field_spec
    from extract.records.validate import value_problem

    spec = field_spec(path)
    if spec is None:
        return True
    field = RecordField(path=path, label=spec.label, text=UNKNOWN, line=1, kind=spec.kind, end_line=1,
                        column=0)
    return value_problem(spec, field) is None


def render_new_record(code: str, *, today: date) -> tuple[str, str]:
    """(file name, text) of a new record for `code`."""
    name, aliases, currency = country_facts(code)
    file_slug = slug(name).replace("_", "-")
    rules = field_rules()
    quoted = ", ".join(f'"{alias}"' for alias in aliases)
    lines = ["---", "type: country", "domain: crypto-regulation", "status: draft",
             'tags: ["crypto-regulation"]', f"aliases: [{quoted}]", f"created: {today}", f"updated: {today}",
             f'compile_into: ["[[country--{file_slug}]]"]', "sources: []", "---", "",
             f"# {name} ({code.upper()}) — Crypto Regulation", "", f"> {UNKNOWN}", ""]
    for section in rules.sections:
        fields = [spec for path, spec in rules.fields.items() if split_path(path)[0] == section.slug]
        heading = next((s for s in fields if s.kind == "heading"), None)
        title = section.title
        if heading is not None and _allows_unknown(heading.path):
            title = f"{section.title} {heading.label}: {UNKNOWN.lower()}"
        lines += [f"## {title}", ""]
        rows = [s for s in fields if s.kind == "row" and _allows_unknown(s.path)]
        if section.slug == "overview" and currency:
            rows = [s for s in rows if s.path != "overview.currency"]
        if rows or (section.slug == "overview" and currency):
            header = section.header
            lines += [f"| {header[0]} | {header[1]} |", "|-------|-------|"]
            lines += [f"| {s.label} | {UNKNOWN} |" for s in rows]
            if section.slug == "overview" and currency:
                lines.append(f"| Currency | {currency} |")
            lines.append("")
        for status in (s for s in fields if s.kind == "status" and _allows_unknown(s.path)):
            lines += [f"**{status.label}:** {UNKNOWN.lower()}", ""]
        if any(s.kind == "note" for s in fields):
            lines += [f"No information yet on {section.title.lower()} in {name}.", ""]
    lines += ["---", "", f"*Record started by `extract record new {code.upper()}` on {today}.*", ""]
    return f"country--{file_slug}.md", "\n".join(lines)


def new_record(code: str, records_dir: Path, *, today: date) -> Path:
    """Write the new record into `records_dir`; InputError when it exists or would not validate."""
    from extract.records import validate_record_bytes

    name, text = render_new_record(code, today=today)
    path = records_dir / name
    if path.exists():
        raise InputError("the record exists already", where=str(path), fix="edit it, or review its proposals")
    problems = validate_record_bytes(text.encode("utf-8"), file=name)
    if problems:
        raise InputError(f"the new record would not validate: {problems[0]}",
                         fix="report this as a bug; nothing was written")
    atomic_write_text(path, text)
    return path
