"""Front matter of country records: find it, read it, and edit it key by key.

Reading goes through PyYAML's C parser given ruamel.yaml's YAML 1.2 resolution ("NO" stays a string,
as ruamel reads it): ruamel's pure-Python round-trip parser was most of the cost of reading a record,
and `extract status` reads every record. A front matter the fast reader doubts (a syntax error, a
value it cannot build, a duplicate key) is read again by ruamel, whose messages the problems quote.

An edit loads the YAML round-trip with ruamel, changes one top-level key, dumps, and splices only that
key's lines back into the file: every other line of the front matter stays byte for byte as it was,
whatever ruamel would make of it.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from extract.fieldpath import slug
from extract.models import RecordField
from extract.records.problems import Problem

FENCE = re.compile(r"^---[ \t]*$")
# Lines of a record body that YAML cannot hold: a section heading, the summary, a table row.
_MARKDOWN_BODY = re.compile(r"^(?:##[ \t]|>[ \t]|\|)")
# Where a top-level key's value starts: after `key:` (plain or quoted key) and its spaces.
_KEY = re.compile(r"""^(?:"[^"]*"|'[^']*'|[^:#\s][^:#]*?)[ \t]*:(?:[ \t]+|$)""")


@dataclass(frozen=True)
class FrontMatter:
    """The YAML between the two fences: the closing fence's index in the lines, the mapping, and the
    line (0-based, in the YAML text) where each top-level key stands."""

    close: int
    data: dict[Any, Any]
    key_lines: dict[Any, int]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long value onto a second line
    return yaml


def _yaml_text(contents: list[str], close: int) -> str:
    return "".join(f"{text}\n" for text in contents[1:close])


def read_front_matter(contents: list[str], file: str) -> FrontMatter | Problem:
    """The front matter of a file given as its line contents, or the problem that prevents reading it."""
    if not contents or not FENCE.match(contents[0]):
        return Problem(file=file, line=1, what="no front matter",
                       fix="start the file with a '---' line, the YAML keys, and a closing '---' line")
    close = next((index for index in range(1, len(contents)) if FENCE.match(contents[index])), None)
    if close is None:
        return Problem(file=file, line=1, what="front matter not closed",
                       fix="add a '---' line after the last YAML key")
    text = _yaml_text(contents, close)
    fast = _fast_read(text)
    if fast is not None:
        return FrontMatter(close=close, data=fast[0], key_lines=fast[1])
    try:
        data = _yaml().load(text)
    except (ValueError, OverflowError, RecursionError) as exc:
        # YAML reads 2025-02-30 as a date, and fails building it.
        return Problem(file=file, line=bad_value_line(contents[:close]),
                       what=f"invalid value in the front matter ({exc})",
                       fix="write a real date as YYYY-MM-DD, or quote the value")
    except YAMLError as exc:
        if any(_MARKDOWN_BODY.match(text) for text in contents[1:close]):
            # The '---' found is the footer's rule: the front matter's own closing line is missing.
            return Problem(file=file, line=1, what="front matter not closed",
                           fix="add a '---' line after the last YAML key")
        mark = getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if "duplicate key" in problem:
            fix = "remove one of the two keys"
        else:
            fix = "fix the YAML syntax (quote a value that holds ': ' or starts with [, { or *)"
            if context and context_mark is not None and context_mark.line + 2 != line:
                problem = f"{problem} ({context} that starts on line {context_mark.line + 2})"
        return Problem(file=file, line=line, what=f"invalid YAML in the front matter: {problem}", fix=fix)
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        return Problem(file=file, line=2, what="the front matter is not a mapping of keys to values",
                       fix="write one 'key: value' per line between the '---' lines")
    return FrontMatter(close=close, data=data, key_lines=_ruamel_key_lines(data))


def _fast_read(text: str) -> tuple[dict[Any, Any], dict[Any, int]] | None:
    """The mapping and its keys' lines, read by the C parser; None when ruamel must read it."""
    import yaml

    loader = _fast_loader()(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode) or _has_duplicate_key(node):
            return None
        data = loader.construct_document(node)
        lines = {loader.construct_object(key): key.start_mark.line for key, _ in node.value}
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError, TypeError):
        return None
    finally:
        loader.dispose()
    return (data, lines) if isinstance(data, dict) else None


def _has_duplicate_key(node: Any) -> bool:
    import yaml

    if isinstance(node, yaml.MappingNode):
        keys = [(key.tag, key.value) for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
        if len(keys) != len(set(keys)):
            return True
        return any(_has_duplicate_key(key) or _has_duplicate_key(value) for key, value in node.value)
    if isinstance(node, yaml.SequenceNode):
        return any(_has_duplicate_key(item) for item in node.value)
    return False


@cache
def _fast_loader() -> type:
    """PyYAML's C loader with ruamel.yaml's implicit resolvers for YAML 1.2 (PyYAML's own are 1.1)."""
    import yaml
    from ruamel.yaml.resolver import implicit_resolvers

    class Loader(yaml.CSafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {}  # not PyYAML's YAML 1.1 ones
    for versions, tag, pattern, first in implicit_resolvers:
        if (1, 2) in versions:
            Loader.add_implicit_resolver(tag, pattern, first)
    return Loader


_DATE_LIKE = re.compile(r"(?<![\w.:-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w:-])")


def bad_value_line(contents: list[str]) -> int:
    """The line (1-based) of the first date-like value that is no date, in a front matter's lines."""
    for number, text in enumerate(contents, start=1):
        for match in _DATE_LIKE.finditer(text):
            try:
                datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return number
    return 2


def _key_spans(contents: list[str], key_lines: dict[Any, int]) -> dict[Any, tuple[int, int]]:
    """Each top-level key → [start, end) of its lines in `contents`, without trailing blanks and comments."""
    starts = sorted((line, key) for key, line in key_lines.items())
    spans = {}
    for number, (start, key) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(contents)
        while end - 1 > start and (not contents[end - 1].strip() or contents[end - 1].lstrip()[:1] == "#"):
            end -= 1
        spans[key] = (start, end)
    return spans


def meta_fields(contents: list[str], front: FrontMatter) -> list[RecordField]:
    """A `meta.<key>` field for each top-level key, its text the value as written (YAML source)."""
    yaml_lines = contents[1 : front.close]
    fields = []
    for key, (start, end) in _key_spans(yaml_lines, front.key_lines).items():
        first = yaml_lines[start]
        match = _KEY.match(first)
        column = match.end() if match else len(first)
        rest = first[column:].rstrip()
        if rest and not rest.startswith("#"):
            text, line = "\n".join([rest, *yaml_lines[start + 1 : end]]), start + 2
        elif end > start + 1:
            text, line, column = "\n".join(yaml_lines[start + 1 : end]), start + 3, 0
        else:
            text, line = "", start + 2
        last_line = line + text.count("\n")
        fields.append(RecordField(path=f"meta.{slug(str(key))}", label=str(key), text=text, line=line,
                                  kind="meta", end_line=last_line, column=column))
    return fields


def edit_front_matter(contents: list[str], close: int, key: str,
                      change: Callable[[CommentedMap], None]) -> tuple[int, int, list[str]] | None:
    """Let `change` edit the mapping; return which lines to replace by what, or None if nothing changed.

    The answer is (start, end, new lines): lines [start, end) of the file (0-based) are the old lines
    of `key`, to be replaced by ruamel's dump of it; no other line changes.
    """
    yaml_lines = contents[1:close]
    yaml = _yaml()
    data, indent, sequence_offset = load_yaml_guess_indent(_yaml_text(contents, close), yaml=yaml)
    if sequence_offset is None:  # no block list yet: write new ones as the records do
        yaml.indent(mapping=2, sequence=4, offset=2)
    else:
        yaml.indent(mapping=2, sequence=indent, offset=sequence_offset)
    old_spans = _key_spans(yaml_lines, _ruamel_key_lines(data))
    change(data)
    dumped = io.StringIO()
    yaml.dump(data, dumped)
    dumped_lines = dumped.getvalue().splitlines()
    start, end = _key_spans(dumped_lines, _ruamel_key_lines(yaml.load(dumped.getvalue())))[key]
    new_lines = dumped_lines[start:end]
    if key in old_spans:
        old_start, old_end = old_spans[key]
    else:  # a new key goes after the key before it in the mapping
        keys = list(data)
        before = keys[keys.index(key) - 1] if keys.index(key) else None
        old_start = old_end = old_spans[before][1] if before is not None else 0
    if yaml_lines[old_start:old_end] == new_lines:
        return None
    return old_start + 1, old_end + 1, new_lines


def _ruamel_key_lines(data: CommentedMap) -> dict[Any, int]:
    return {key: data.lc.key(key)[0] for key in data}


def like(example: object, text: str) -> object:
    """`text` as a YAML value written the way `example` is: same quotes, a date if `example` is one."""
    if isinstance(example, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(text)
    if isinstance(example, SingleQuotedScalarString):
        return SingleQuotedScalarString(text)
    if isinstance(example, str):
        return text
    if isinstance(example, datetime.date):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return text
    # A list, mapping, number or flag: the text is YAML for the new value.
    return _yaml().load(text)
