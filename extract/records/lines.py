"""Line-level syntax of country records: lines with their endings, line kinds, table cells, wiki links."""

from __future__ import annotations

import re
from typing import Literal

LineKind = Literal["blank", "heading", "rule", "table", "quote", "bold", "item", "text"]

HEADING = re.compile(r"^(?P<marks>#{1,3})(?:[ \t]+(?P<text>.*?))?[ \t]*$")
RULE = re.compile(r"^ {0,3}-{3,}[ \t]*$")
BOLD_LABEL = re.compile(r"^\*\*(?P<label>[^*:]+):\*\*[ \t]*(?P<value>.*?)[ \t]*$")
QUOTE_MARK = re.compile(r"^[ \t]*>[ \t]?")
ITEM = re.compile(r"^[ \t]*[-*+][ \t]+")
LINK = re.compile(r"\[\[(?P<target>[^\]|]*)(?:\|(?P<label>[^\]]*))?\]\]")
SEPARATOR_CELL = re.compile(r"^[ \t]*:?-+:?[ \t]*$")


def split_lines(text: str) -> list[str]:
    """The lines of `text`, each with its ending; only "\\n" ends a line (a "\\r" before it is kept)."""
    lines = text.split("\n")
    last = lines.pop()
    split = [line + "\n" for line in lines]
    return [*split, last] if last else split


def content(line: str) -> str:
    """A line without its line ending."""
    if line.endswith("\r\n"):
        return line[:-2]
    return line[:-1] if line.endswith("\n") else line


def ending(line: str) -> str:
    """A line's line ending: "\\r\\n", "\\n" or "" (the last line of a file without a final newline)."""
    return line[len(content(line)):]


def newline_of(lines: list[str]) -> str:
    """The line ending new lines get: the one of the file's first line, else "\\n"."""
    return (ending(lines[0]) if lines else "") or "\n"


def line_kind(text: str) -> LineKind:
    """What a line of the body is, read on its own (line ending dropped)."""
    if not text.strip():
        return "blank"
    if HEADING.match(text):
        return "heading"
    if RULE.match(text):
        return "rule"
    if text.lstrip().startswith("|"):
        return "table"
    if QUOTE_MARK.match(text):
        return "quote"
    if BOLD_LABEL.match(text):
        return "bold"
    if ITEM.match(text):
        return "item"
    return "text"


# What a row's cells are cut by, scanned left to right: a wiki link and an escaped pipe are skipped
# whole (a link without its closing brackets is plain text), a bare pipe separates.
_CELL_TOKEN = re.compile(r"\[\[.*?\]\]|\\\||\|")


def _separators(row: str) -> list[int]:
    """Offsets of the pipes that separate cells: not a pipe inside [[target|label]], not an escaped \\|."""
    return [match.start() for match in _CELL_TOKEN.finditer(row) if match.group() == "|"]


def cell_spans(row: str) -> list[tuple[int, int]]:
    """[start, end) of each cell's text in a table row, surrounding spaces excluded.

    Leading and trailing pipes are optional, as in GitHub Markdown; an empty cell's span starts one
    space after its pipe, where a value written into it goes.
    """
    bounds = _separators(row)
    edges = [-1, *bounds, len(row)]
    pieces = [(edges[number] + 1, edges[number + 1]) for number in range(len(edges) - 1)]
    # An outer pipe leaves an empty piece outside it, which is no cell.
    if bounds and not row[: bounds[0]].strip():
        pieces = pieces[1:]
    if bounds and not row[bounds[-1] + 1 :].strip():
        pieces = pieces[:-1]
    spans = []
    for start, end in pieces:
        raw = row[start:end]
        stripped = raw.strip()
        offset = start + raw.index(stripped) if stripped else start + min(1, len(raw))
        spans.append((offset, offset + len(stripped)))
    return spans


def escape_cell(value: str) -> str:
    """A value as a table cell: pipes outside wiki links escaped, so they do not split the cell."""
    bounds = _separators(value)
    for index in reversed(bounds):
        value = f"{value[:index]}\\{value[index:]}"
    return value


def links(text: str) -> list[tuple[str, str]]:
    """Every [[target|label]] in `text` as (target, label); [[target]] gives (target, target)."""
    return [(match["target"], match["label"] if match["label"] is not None else match["target"])
            for match in LINK.finditer(text)]


def link_labels(text: str) -> str:
    """`text` with each wiki link replaced by its label, as a reader sees it."""
    return LINK.sub(lambda match: match["label"] if match["label"] is not None else match["target"], text)
