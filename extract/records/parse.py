"""Country record text → CountryRecord (fields with their lines, kept losslessly), and back.

The parser reads the file line by line and keeps every line as written; the fields index into those
lines. `render_record(parse_record(text))` is `text`, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import InputError
from extract.fieldpath import slug
from extract.models import CountryRecord, RecordField, RecordFieldKind, RecordSection
from extract.records import lines as syntax
from extract.records.frontmatter import FrontMatter, meta_fields, read_front_matter
from extract.records.problems import Problem

BOM = "\ufeff"
INTRO = "intro"  # section of prose written between the title and the first `## ` heading
_TITLE = re.compile(r"^(?P<name>.*?)[ \t]*\((?P<code>[A-Za-z]{2,3})\)")
_TITLE_NAME = re.compile(r"^(?P<name>.*?)(?:[ \t]+[—–-][ \t]+.*)?$")
_LAST_REVIEWED = re.compile(r"Last reviewed:[ \t]*(?P<value>[^*]*?)\.?\*?[ \t]*$")
_DATA_SOURCE = re.compile(r"Data source:[ \t]*(?P<value>.*?)\.?(?=[ \t]+Last reviewed:|\*?[ \t]*$)")
_SOURCES_LABEL = "Sources"


@dataclass
class Scan:
    """What one pass over a record's text found: the record (if it could be built) and its problems."""

    record: CountryRecord | None
    problems: list[Problem]
    title_line: int | None = None
    title_code: str | None = None
    aliases_line: int | None = None
    front: FrontMatter | None = None


@dataclass
class _Body:
    """Walks the lines after the front matter, collecting fields and sections."""

    file: str
    contents: list[str]
    fields: dict[str, RecordField] = field(default_factory=dict)
    sections: list[RecordSection] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    section: str = INTRO
    question: RecordField | None = None  # the `### ` heading whose answer comes next
    title: tuple[int, str] | None = None

    def problem(self, line: int, what: str, fix: str) -> None:
        self.problems.append(Problem(file=self.file, line=line, what=what, fix=fix))

    def add(self, path: str, label: str, kind: RecordFieldKind, text: str, line: int,
            column: int = 0) -> None:
        record_field = RecordField(path=path, label=label, text=text, line=line, kind=kind,
                                   end_line=line + text.count("\n"), column=column)
        first = self.fields.get(path)
        if first is not None:
            self.problem(line, f"field {path} given twice (first on line {first.line})",
                         "keep one of the two and delete the other")
        else:
            self.fields[path] = record_field

    def walk(self, start: int) -> None:
        index = start
        while index < len(self.contents):
            text = self.contents[index]
            kind = syntax.line_kind(text)
            if kind == "blank":
                index += 1
            elif kind == "rule":
                self.close_section(index)
                self.footer(index + 1)
                return
            elif kind == "heading":
                self.heading(index)
                index += 1
            elif kind == "table":
                index = self.table(index)
            elif kind == "bold":
                match = syntax.BOLD_LABEL.match(text)
                assert match is not None
                self.add(f"{self.section}.{slug(match['label'])}", match["label"], "status",
                         match["value"], index + 1, match.start("value"))
                index += 1
            elif kind == "quote" and self.section == INTRO:
                index = self.summary(index)
            else:
                index = self.prose(index)
        self.close_section(len(self.contents))

    def heading(self, index: int) -> None:
        match = syntax.HEADING.match(self.contents[index])
        assert match is not None
        text, level = match["text"] or "", len(match["marks"])
        if level == 1:
            if self.title is None:
                self.title = (index + 1, text)
            return
        if level == 3:
            self.end_question()
            self.question = RecordField(path=f"{self.section}.{slug(text)}", label=text, text="",
                                        line=index + 1, kind="faq", end_line=index + 1, column=0)
            return
        self.close_section(index)
        title, colon, value = text.partition(":")
        label = title
        if colon:  # "## CBDC Status: research": section "CBDC", field "Status"
            words = title.split()
            title, label = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (title, "Value")
        first = next((section for section in self.sections if section.slug == slug(title)), None)
        if not slug(title):
            self.problem(index + 1, f"section title {title!r} has no letter a-z or digit to make a path of",
                         "give the section an English title, e.g. '## Licensing'")
        elif first is not None:
            self.problem(index + 1, f"section {title.strip()!r} given twice (first on line {first.line})",
                         "merge the two sections into one")
        self.section = slug(title)
        self.sections.append(RecordSection(slug=self.section, title=title.strip(), line=index + 1,
                                           end_line=index + 1))
        if colon:
            column = match.start("text") + len(text) - len(value.lstrip())
            self.add(f"{self.section}.{slug(label)}", label, "heading", value.strip(), index + 1, column)

    def close_section(self, index: int) -> None:
        """The current section ends before line `index` (0-based)."""
        self.end_question()
        if self.sections:
            last = self.sections[-1]
            self.sections[-1] = last.model_copy(update={"end_line": max(last.line, index)})

    def end_question(self) -> None:
        if self.question is not None:
            self.problem(self.question.line, f"question {self.question.label!r} has no answer",
                         "write the answer in a paragraph under the question, or delete the question")
        self.question = None

    def table(self, start: int) -> int:
        end = start
        while end < len(self.contents) and syntax.line_kind(self.contents[end]) == "table":
            end += 1
        header = syntax.cell_spans(self.contents[start])
        if len(header) != 2:
            self.problem(start + 1, f"table has {len(header)} columns",
                         "records use two: | Field | Value |")
        separator = syntax.cell_spans(self.contents[start + 1]) if end > start + 1 else []
        has_separator = bool(separator) and all(
            syntax.SEPARATOR_CELL.match(self.contents[start + 1][a:b]) for a, b in separator)
        if has_separator and len(separator) != len(header):
            self.problem(start + 2, f"table separator line has {len(separator)} cells, the header has "
                         f"{len(header)}", "write one |-------| per column")
        if not has_separator:
            self.problem(start + 2, "table has no separator line under its header",
                         "add a line like |-------|-------| under the header row")
        for index in range(start + (2 if has_separator else 1), end):
            self.row(index, len(header))
        if self.sections and self.sections[-1].table_end_line is None and self.section != INTRO:
            self.sections[-1] = self.sections[-1].model_copy(update={"table_end_line": end})
        return end

    def row(self, index: int, columns: int) -> None:
        text = self.contents[index]
        cells = syntax.cell_spans(text)
        if len(cells) != columns:
            cells_text = f"{len(cells)} cell" + ("" if len(cells) == 1 else "s")
            self.problem(index + 1, f"table row has {cells_text}, the header has {columns}",
                         "write one | label | value | per row (a '|' inside a value is written \\|)")
            return
        label = text[cells[0][0] : cells[0][1]]
        if not slug(label):
            self.problem(index + 1, "table row has no label", "write the field's name in the first cell")
            return
        start, end = cells[1]
        self.add(f"{self.section}.{slug(label)}", label, "row", text[start:end], index + 1, start)

    def summary(self, start: int) -> int:
        end = start
        while end < len(self.contents) and syntax.line_kind(self.contents[end]) == "quote":
            end += 1
        marks = [quote_mark(self.contents[index]) for index in range(start, end)]
        text = "\n".join(self.contents[index][len(mark):] for index, mark in zip(range(start, end), marks,
                                                                                strict=True))
        self.add("summary", "summary", "summary", text, start + 1, len(marks[0]))
        return end

    def prose(self, start: int) -> int:
        """A run of paragraphs (blank lines between them) up to the next line of another kind."""
        end = start + 1
        scan = end
        while scan < len(self.contents):
            kind = syntax.line_kind(self.contents[scan])
            if kind in ("text", "item") or (kind == "quote" and self.section != INTRO):
                end = scan = scan + 1
            elif kind == "blank":
                scan += 1
            else:
                break
        text = "\n".join(self.contents[start:end])
        if self.question is not None:
            self.add(self.question.path, self.question.label, "faq", text, start + 1)
            self.question = None
        else:
            path = f"{self.section}.note"
            number = 1
            while path in self.fields:
                number += 1
                path = f"{self.section}.note_{number}"
            self.add(path, "note", "note", text, start + 1)
        return end

    def footer(self, start: int) -> None:
        """After the `---` rule: the data-source line and the **Sources:** list."""
        items: list[int] = []
        in_sources = False
        for index in range(start, len(self.contents)):
            text = self.contents[index]
            bold = syntax.BOLD_LABEL.match(text)
            if bold and bold["label"] == _SOURCES_LABEL and not bold["value"]:
                in_sources = True
            elif in_sources and syntax.line_kind(text) == "item":
                items.append(index)
            else:
                for path, label, pattern in (("meta.data_source", "Data source", _DATA_SOURCE),
                                             ("meta.last_reviewed", "Last reviewed", _LAST_REVIEWED)):
                    match = pattern.search(text)
                    if match:
                        self.add(path, label, "meta", match["value"], index + 1, match.start("value"))
        if items:
            text = "\n".join(self.contents[items[0] : items[-1] + 1])
            self.add("meta.source_links", _SOURCES_LABEL, "meta", text, items[0] + 1)


def quote_mark(text: str) -> str:
    """The `>` marker of a quote line with the one space after it ("> "), or "" for another line."""
    match = syntax.QUOTE_MARK.match(text)
    return match.group() if match else ""


def scan_record(text: str, *, file: str) -> Scan:
    """Parse `text` as far as it goes: the record, or None when the front matter is unreadable."""
    bom = text.startswith(BOM)
    raw_lines = syntax.split_lines(text[1:] if bom else text)
    contents = [syntax.content(line) for line in raw_lines]
    front = read_front_matter(contents, file)
    if isinstance(front, Problem):
        return Scan(record=None, problems=[front])
    body = _Body(file=file, contents=contents)
    for meta in meta_fields(contents, front):
        body.add(meta.path, meta.label, meta.kind, meta.text, meta.line, meta.column)
    body.walk(front.close + 1)
    aliases_value = front.data.get("aliases", [])
    aliases_line = front.key_lines["aliases"] + 2 if "aliases" in front.key_lines else None
    aliases = [str(alias) for alias in aliases_value] if isinstance(aliases_value, list) else []
    if not isinstance(aliases_value, list) or not all(isinstance(alias, str) for alias in aliases_value):
        body.problem(aliases_line or 1, "front matter `aliases` is not a list of names",
                     'write it as a list, e.g. aliases: ["KG", "KGZ", "Кыргызстан"]')
    name, code = _name_and_code(body.title[1] if body.title else "")
    record = CountryRecord(
        file=file, code=(code or _code_from_aliases(aliases)).upper(), name=name, aliases=aliases,
        links=[link for line in contents[front.close + 1 :] for link in syntax.links(line)],
        fields=body.fields, sections=body.sections, bom=bom, lines=raw_lines)
    return Scan(record=record, problems=sorted(body.problems, key=lambda problem: problem.line),
                title_line=body.title[0] if body.title else None, title_code=code,
                aliases_line=aliases_line, front=front)


def _name_and_code(title: str) -> tuple[str, str | None]:
    """ "Kyrgyzstan (KG) — Crypto Regulation" → ("Kyrgyzstan", "KG")."""
    match = _TITLE.match(title)
    if match:
        return match["name"], match["code"]
    name_match = _TITLE_NAME.match(title)
    return (name_match["name"] if name_match else title), None


def _code_from_aliases(aliases: list[str]) -> str:
    return next((alias for alias in aliases if re.fullmatch(r"[A-Z]{2}", alias)), "")


def parse_record(text: str, *, file: str) -> CountryRecord:
    """Parse a record; raises InputError (file:line: what — fix) at its first structural problem."""
    scan = scan_record(text, file=file)
    if scan.problems:
        raise scan.problems[0].error()
    assert scan.record is not None
    return scan.record


def render_record(record: CountryRecord) -> str:
    """The record's text: the file it was parsed from, with any edits, byte for byte."""
    return (BOM if record.bom else "") + "".join(record.lines)


def decode_record(data: bytes, *, file: str) -> str | Problem:
    """Strict UTF-8 (a BOM stays, as U+FEFF); for a file that is not UTF-8, the line of its first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Problem(file=file, line=line, what=f"not UTF-8 (byte 0x{data[exc.start]:02x})",
                       fix="save the file as UTF-8")


def read_record(path: Path) -> CountryRecord:
    """Read and parse one record file (strict UTF-8; BOM and line endings kept for rendering)."""
    data = read_record_bytes(path)
    text = decode_record(data, file=str(path))
    if isinstance(text, Problem):
        raise text.error()
    scan = scan_record(text, file=str(path))  # problems name the path, the record its file name
    if scan.problems:
        raise scan.problems[0].error()
    assert scan.record is not None
    return scan.record.model_copy(update={"file": path.name})


def read_record_bytes(path: Path) -> bytes:
    """The bytes of a record file; InputError names a link to nothing, or why it cannot be read."""
    if path.is_symlink() and not path.exists():
        raise InputError(f"a symbolic link to {path.readlink()}, which does not exist", where=str(path),
                         fix="remove the link, or restore the file it points to")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the record: {exc.strerror}", where=str(path),
                         fix="check the path") from None


def record_files(directory: Path) -> list[Path]:
    """The record files (`*.md`) of a records folder, sorted by name; a dangling link is one too, so
    that reading it reports it."""
    if not directory.is_dir():
        raise InputError(f"no such directory: {directory}", where=None,
                         fix="give the folder that holds the country records, e.g. corpus/countries")
    return sorted(path for path in directory.glob("*.md") if path.is_file() or path.is_symlink())


def load_records(directory: Path, *,
                 read: Callable[[Path], CountryRecord] | None = None) -> dict[str, CountryRecord]:
    """Every record of a folder by its country code; a record without a code, or a code twice, is an error.

    `read` reads one record file (default `read_record`; `extract.recordcache` gives a cached one).
    """
    records: dict[str, CountryRecord] = {}
    for path in record_files(directory):
        record = (read or read_record)(path)
        if not record.code:
            raise InputError("the record names no country code", where=str(path),
                             fix="write the code in the title, e.g. '#  Kyrgyzstan (KG) — Crypto Regulation'")
        if record.code in records:
            raise InputError(f"country code {record.code} is also the code of {records[record.code].file}",
                             where=str(path), fix="keep one record per country")
        records[record.code] = record
    return records
