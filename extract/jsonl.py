"""Reading and writing model JSONL: line-numbered errors on the way in, atomic writes on the way out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from extract.errors import InputError
from extract.files import atomic_write_text

M = TypeVar("M", bound=BaseModel)


def dumps(model: BaseModel) -> str:
    """One JSON line, keys in the model's field order, non-ASCII kept as is."""
    return model.model_dump_json()


def parse_line(model: type[M], line: str, *, where: str) -> M:
    """Parse one JSONL line into `model`, or raise InputError naming `where` (file:line)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON ({exc.msg} at column {exc.colno})", where=where, fix="fix or delete this line"
        ) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"]) or "line"
        raise InputError(
            f"{loc}: {first['msg']}", where=where, fix=f"make the line a valid {model.__name__.lower()}"
        ) from None


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) for each non-blank line of a UTF-8 file, 1-based."""
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line
    except FileNotFoundError:
        raise InputError("no such file", where=str(path), fix="check the path") from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8", where=str(path), fix="save the file as UTF-8") from None


def read_models(path: Path, model: type[M]) -> list[M]:
    """Every line of `path` as `model`; the first bad line raises InputError with its line number."""
    return [parse_line(model, line, where=f"{path}:{number}") for number, line in iter_lines(path)]


def write_models(path: Path, models: Iterable[BaseModel]) -> None:
    """Write models as JSONL atomically (temp file + rename), in the order given."""
    atomic_write_text(path, "".join(dumps(model) + "\n" for model in models))
