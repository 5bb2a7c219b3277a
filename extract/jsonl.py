"""Reading and writing model JSONL: line-numbered errors on the way in, atomic writes on the way out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from pydantic import BaseModel, ValidationError

from extract.errors import InputError
from extract.files import atomic_write_text

M = TypeVar("M", bound=BaseModel)
# The longest line read (README, Limits): an article of the largest size, escaped, fits in one.
MAX_LINE_BYTES = 64_000_000


def dumps(model: BaseModel) -> str:
    """One JSON line, keys in the model's field order, non-ASCII kept as is."""
    return model.model_dump_json()


def loads(line: str, *, where: str) -> object:
    """The JSON value of one line, or InputError naming `where`: not JSON, nested too deep, or a
    string holding a lone surrogate (`"\\ud800"` parses, but no UTF-8 file can hold it)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON ({exc.msg} at column {exc.colno})", where=where, fix="fix or delete this line"
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deep", where=where, fix="fix or delete this line") from None
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            check_unicode(value, where=where)
    return data


def check_unicode(text: str, *, where: str) -> None:
    """InputError when `text` holds a lone surrogate, which cannot be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = f"\\u{ord(text[exc.start]):04x}"
        raise InputError(f"a lone surrogate ({bad}) in a string, not valid Unicode", where=where,
                         fix=f"remove the {bad} escape or pair it") from None


def parse_line(model: type[M], line: str, *, where: str) -> M:
    """Parse one JSONL line into `model`, or raise InputError naming `where` (file:line)."""
    data = loads(line, where=where)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"]) or "line"
        raise InputError(
            f"{loc}: {first['msg']}", where=where, fix=f"make the line a valid {model.__name__.lower()}"
        ) from None


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) for each non-blank line of a UTF-8 file, 1-based; split on "\\n" only.

    InputError names the line of a byte that is not UTF-8, or of a line longer than MAX_LINE_BYTES.
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError("no such file", where=str(path), fix="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", where=str(path), fix="check the path") from None
    with handle:
        for number, raw in enumerate(_raw_lines(handle, path), start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})",
                                 where=f"{path}:{number}", fix="save the file as UTF-8") from None
            if line.strip():
                yield number, line


def _raw_lines(handle: IO[bytes], path: Path) -> Iterator[bytes]:
    number = 0
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise InputError(f"line longer than {MAX_LINE_BYTES // 1_000_000} MB", where=f"{path}:{number}",
                             fix="split the line, or remove it")
        yield raw


def read_models(path: Path, model: type[M]) -> list[M]:
    """Every line of `path` as `model`; the first bad line raises InputError with its line number."""
    return [parse_line(model, line, where=f"{path}:{number}") for number, line in iter_lines(path)]


def write_models(path: Path, models: Iterable[BaseModel]) -> None:
    """Write models as JSONL atomically (temp file + rename), in the order given."""
    atomic_write_text(path, "".join(dumps(model) + "\n" for model in models))
