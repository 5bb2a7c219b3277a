"""Minimal edits of country records: each changes only the lines that must change.

Every edit is a pure function from a record to a new record. It splices new text into the record's
lines, parses the result again, and checks that the field now reads as intended, so an edit never
leaves a record the parser would read differently. The front matter is edited through ruamel.yaml,
one key at a time (see `frontmatter.edit_front_matter`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from extract.errors import InputError
from extract.fieldpath import field_spec, section_rank, section_spec, slug, slug_path, split_path
from extract.models import CountryRecord, RecordField, RecordFieldKind, RecordSection
from extract.records import lines as syntax
from extract.records.frontmatter import FENCE, edit_front_matter, like
from extract.records.parse import parse_record, quote_mark, render_record

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_URL = re.compile(r"https?://[^\s)\]>\"']+")
_PROSE_KINDS = ("note", "faq", "summary")
_PLAIN_VALUE = "write the value without Markdown structure (headings, table rows, '**Label:**' lines)"


class UnknownFieldError(InputError):
    """An edit names a field the record does not have."""


# --- set and append ---------------------------------------------------------------------------


def set_field(record: CountryRecord, path: str, value: str) -> CountryRecord:
    """Replace the value of an existing field."""
    current = _existing(record, path)
    if _in_front_matter(record, current):
        key = current.label
        return _edit_front_matter(record, key, lambda data: data.__setitem__(key, like(data[key], value)))
    value = value.strip()
    if current.kind in _PROSE_KINDS:
        return _checked(record, _write_prose(record, current, value), path, value)
    if current.end_line != current.line:
        raise InputError(f"{path} is written over several lines and cannot be set as one value",
                         where=record.file, fix="use add_source for the sources list")
    if "\n" in value:
        raise InputError(f"{path} is written on one line; the new value has a line break",
                         where=record.file, fix="write the value on one line")
    if current.kind == "row":
        value = syntax.escape_cell(value)
    text = syntax.content(record.lines[current.line - 1])
    end = current.column + len(current.text)
    new_line = text[: current.column] + value + text[end:]
    return _checked(record, _replace(record.lines, current.line - 1, current.line, [new_line]), path, value)


def append_to_field(record: CountryRecord, path: str, text: str) -> CountryRecord:
    """Add a sentence to a note (or summary, FAQ answer), or an item to a list-like value ("; ").

    Text the field already holds is not added again.
    """
    current = _existing(record, path)
    text = text.strip()
    if current.kind == "meta":
        raise InputError(f"{path} cannot be appended to", where=record.file,
                         fix="use add_source for sources and mark_reviewed for review dates")
    if not text or text.casefold() in current.text.casefold():
        return record
    old = current.text.rstrip()
    if not old:
        return set_field(record, path, text)
    if current.kind in _PROSE_KINDS:
        return set_field(record, path, f"{old} {text}" if _SENTENCE_END.search(old) else f"{old}. {text}")
    return set_field(record, path, f"{old}; {text}")


def _existing(record: CountryRecord, path: str) -> RecordField:
    current = record.field(path)
    if current is None:
        raise UnknownFieldError(f"the record has no field {path}", where=record.file,
                                fix="use add_field to add it, or check the path (schemas/record-fields.md)")
    return current


def _write_prose(record: CountryRecord, current: RecordField, value: str) -> list[str]:
    old = [syntax.content(line) for line in record.lines[current.line - 1 : current.end_line]]
    marks = [quote_mark(text) for text in old] if current.kind == "summary" else [""] * len(old)
    parts = value.split("\n")
    new = [marks[min(number, len(marks) - 1)] + part for number, part in enumerate(parts)]
    return _replace(record.lines, current.line - 1, current.end_line, new)


# --- add --------------------------------------------------------------------------------------


def add_field(record: CountryRecord, path: str, value: str, *, label: str | None = None) -> CountryRecord:
    """Add a field the record lacks: a table row, a **Status:** line, a note, a FAQ question …

    A section the record lacks is added in the usual section order; a row for a section without a
    table gets a new table.
    """
    if record.field(path) is not None:
        raise InputError(f"the record already has {path}", where=record.file,
                         fix="use set_field or append_to_field to change it")
    section, name = split_path(path)
    if path != "summary" and (not section or slug_path(path) != path):
        raise InputError(f"{path!r} is not a field path", where=record.file,
                         fix="write it as section.field in lower case, e.g. licensing.cost")
    spec = field_spec(path)
    kind = spec.kind if spec else _kind_of(section, name)
    label = label or (spec.label if spec else _label_of(name, kind))
    value = value.strip()
    if kind == "meta":
        if section != "meta" or name in ("last_reviewed", "data_source", "source_links"):
            raise InputError(f"{path} cannot be added", where=record.file,
                             fix="use add_source for sources and mark_reviewed for review dates")
        return _edit_front_matter(record, label, lambda data: data.__setitem__(label, like("", value)))
    if kind not in ("note", "summary") and slug(label) != name:
        raise InputError(f"label {label!r} gives the path {section}.{slug(label)}, not {path}",
                         where=record.file, fix="give a label whose slug is the field's name")
    written = syntax.escape_cell(value) if kind == "row" else value
    if kind == "summary":
        lines = _insert_block(record.lines, _title_line(record), [f"> {line}" for line in value.split("\n")])
    else:
        existing = next((found for found in record.sections if found.slug == section), None)
        lines = (_add_to_section(record, existing, kind, label, value) if existing
                 else _add_section(record, section, kind, label, value))
    return _checked(record, lines, path, written)


def _kind_of(section: str, name: str) -> RecordFieldKind:
    if re.fullmatch(r"note(_\d+)?", name):
        return "note"
    if section == "faq":
        return "faq"
    return "meta" if section == "meta" else "row"


def _label_of(name: str, kind: RecordFieldKind) -> str:
    """A label for a field the vocabulary does not know: its name in words ("eu_exposure" → "Eu Exposure")."""
    if kind == "meta":
        return name
    words = name.replace("_", " ")
    return f"{words.capitalize()}?" if kind == "faq" else words.title()


def _body_lines(kind: RecordFieldKind, label: str, value: str, section: str) -> list[str]:
    """How a new field is written inside its section."""
    if kind == "row":
        first, second = section_spec(section).header
        return [f"| {first} | {second} |", f"|{'-' * (len(first) + 2)}|{'-' * (len(second) + 2)}|",
                _row(label, value)]
    if kind == "status":
        return [f"**{label}:** {value}"]
    if kind == "faq":
        return [f"### {label}", "", *value.split("\n")]
    return value.split("\n")


def _row(label: str, value: str) -> str:
    return f"| {label} | {syntax.escape_cell(value)} |"


def _add_to_section(record: CountryRecord, section: RecordSection, kind: RecordFieldKind, label: str,
                    value: str) -> list[str]:
    if kind == "row" and section.table_end_line is not None:
        return _insert(record.lines, section.table_end_line, [_row(label, value)])
    if kind == "heading":
        heading = syntax.content(record.lines[section.line - 1])
        if ":" in heading:
            raise InputError(f"the heading of section {section.title!r} already holds a value",
                             where=f"{record.file}:{section.line}", fix=f"write {label} as a table row")
        return _replace(record.lines, section.line - 1, section.line, [f"{heading} {label}: {value}"])
    body = _body_lines(kind, label, value, section.slug)
    if kind == "row":  # a new table goes under the heading and the section's **Status:** lines
        anchor = max([section.line] + [
            found.line for found in record.fields.values()
            if found.kind == "status" and section.line < found.line <= section.end_line])
        return _insert_block(record.lines, anchor, body)
    if kind == "status":
        return _insert_block(record.lines, section.line, body)
    last = section.end_line
    while last > section.line and not syntax.content(record.lines[last - 1]).strip():
        last -= 1
    return _insert_block(record.lines, last, body)


def _add_section(record: CountryRecord, section: str, kind: RecordFieldKind, label: str,
                 value: str) -> list[str]:
    title = section_spec(section).title
    if kind == "heading":
        block = [f"## {title} {label}: {value}"]
    else:
        block = [f"## {title}", "", *_body_lines(kind, label, value, section)]
    rank = _rank(section)
    later = next((found for found in record.sections if _rank(found.slug) > rank), None)
    index = later.line - 1 if later else _footer_index(record)
    return _insert_block(record.lines, index, block)


def _rank(section: str) -> float:
    """Place in the usual section order; a section outside it goes before the FAQ."""
    rank = section_rank(section)
    if rank is not None:
        return rank
    faq = section_rank("faq")
    return faq - 0.5 if faq is not None else float("inf")


def _footer_index(record: CountryRecord) -> int:
    """Index of the footer's `---` line, or the end of the file when there is no footer."""
    contents = [syntax.content(line) for line in record.lines]
    start = (record.sections[-1].line if record.sections else _front_matter_close(record) + 1)
    rules = (index for index in range(start, len(contents)) if syntax.line_kind(contents[index]) == "rule")
    return next(rules, len(contents))


def _title_line(record: CountryRecord) -> int:
    for index in range(_front_matter_close(record) + 1, len(record.lines)):
        match = syntax.HEADING.match(syntax.content(record.lines[index]))
        if match and len(match["marks"]) == 1:
            return index + 1
    raise InputError("the record has no title line to put a summary under", where=record.file,
                     fix="add the title, e.g. '#  Kyrgyzstan (KG) — Crypto Regulation'")


# --- sources and review date ------------------------------------------------------------------


def add_source(record: CountryRecord, url: str, *, name: str | None = None,
               type: str = "news") -> CountryRecord:
    """Add a source to the front matter `sources` and to the footer's **Sources:** list, once each.

    A record without a footer gets the source in its front matter only.
    """
    name = name or url

    def add_to(data: CommentedMap) -> None:
        sources = data.setdefault("sources", CommentedSeq())
        if not isinstance(sources, list):
            raise InputError("front matter `sources` is not a list", where=record.file,
                             fix="write sources as a list of name/url/type entries")
        if any(isinstance(item, dict) and _same_url(str(item.get("url", "")), url) for item in sources):
            return
        example = next((item["url"] for item in sources if isinstance(item, dict) and "url" in item),
                       DoubleQuotedScalarString(""))
        sources.append(CommentedMap([("name", like(example, name)), ("url", like(example, url)),
                                     ("type", like(example, type))]))

    record = _edit_front_matter(record, "sources", add_to)
    listed = record.field("meta.source_links")
    item = f"- [{name}]({url})"
    if listed is not None:
        if any(_same_url(found, url) for found in _URL.findall(listed.text)):
            return record
        return _checked(record, _insert(record.lines, listed.end_line, [item]), None, None)
    if _footer_index(record) < len(record.lines):
        lines = _insert_block(record.lines, len(record.lines), ["**Sources:**", item])
        return _checked(record, lines, None, None)
    return record


def _same_url(first: str, second: str) -> bool:
    return first.strip().rstrip("/").lower() == second.strip().rstrip("/").lower()


def mark_reviewed(record: CountryRecord, day: datetime.date) -> CountryRecord:
    """Set the front matter `updated` and the footer's "Last reviewed" to `day`."""

    def set_updated(data: CommentedMap) -> None:
        if "updated" in data:
            data["updated"] = like(data["updated"], day.isoformat())
        else:
            keys = list(data)
            data.insert(keys.index("created") + 1 if "created" in keys else len(keys), "updated", day)

    record = _edit_front_matter(record, "updated", set_updated)
    if record.field("meta.last_reviewed") is not None:
        record = set_field(record, "meta.last_reviewed", day.isoformat())
    return record


# --- lines ------------------------------------------------------------------------------------


def _front_matter_close(record: CountryRecord) -> int:
    return next(index for index in range(1, len(record.lines))
                if FENCE.match(syntax.content(record.lines[index])))


def _in_front_matter(record: CountryRecord, found: RecordField) -> bool:
    return found.kind == "meta" and found.line <= _front_matter_close(record)


def _edit_front_matter(record: CountryRecord, key: str,
                       change: Callable[[CommentedMap], None]) -> CountryRecord:
    contents = [syntax.content(line) for line in record.lines]
    try:
        edit = edit_front_matter(contents, _front_matter_close(record), key, change)
    except YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"the new value of front matter key {key!r} is not valid YAML: {problem}",
                         where=record.file, fix='write it as YAML, e.g. ["a", "b"] for a list') from exc
    if edit is None:
        return record
    start, end, new_lines = edit
    return _checked(record, _replace(record.lines, start, end, new_lines), None, None)


def _replace(lines: list[str], start: int, end: int, new_contents: list[str]) -> list[str]:
    """Lines [start, end) replaced by `new_contents`; a new line equal to the old one keeps its bytes."""
    newline = syntax.newline_of(lines)
    old = lines[start:end]
    last_ending = syntax.ending(old[-1]) if old else newline
    new = []
    for number, text in enumerate(new_contents):
        wanted = last_ending if number == len(new_contents) - 1 else newline
        kept = old[number] if number < len(old) else None
        if kept is not None and syntax.content(kept) == text and (
                syntax.ending(kept) == wanted or (wanted and syntax.ending(kept))):
            new.append(kept)
        else:
            new.append(text + wanted)
    return [*lines[:start], *new, *lines[end:]]


def _insert(lines: list[str], index: int, new_contents: list[str]) -> list[str]:
    """`new_contents` inserted before line `index`; at the end, a file without a final newline keeps none."""
    newline = syntax.newline_of(lines)
    if index == len(lines) and lines and not syntax.ending(lines[-1]):
        return [*lines[:-1], lines[-1] + newline, *(text + newline for text in new_contents[:-1]),
                new_contents[-1]]
    return [*lines[:index], *(text + newline for text in new_contents), *lines[index:]]


def _insert_block(lines: list[str], index: int, block: list[str]) -> list[str]:
    """Insert a block (paragraph, table, section) with a blank line between it and its neighbours."""
    before = [""] if index > 0 and syntax.content(lines[index - 1]).strip() else []
    after = [""] if index < len(lines) and syntax.content(lines[index]).strip() else []
    return _insert(lines, index, [*before, *block, *after])


def _checked(record: CountryRecord, lines: list[str], path: str | None,
             expected: str | None) -> CountryRecord:
    """The edited record, parsed again; an edit that breaks the record or misreads the value is refused."""
    text = render_record(record.model_copy(update={"lines": lines}))
    try:
        edited = parse_record(text, file=record.file)
    except InputError as exc:
        raise InputError(f"the edit of {path or 'the record'} would break it: {exc.what}",
                         where=record.file, fix=_PLAIN_VALUE) from exc
    if path is not None and expected is not None:
        written = edited.field(path)
        if written is None or written.text != expected:
            raise InputError(f"{expected!r} cannot be written as {path}: the record would read it otherwise",
                             where=record.file, fix=_PLAIN_VALUE)
    return edited
