"""Parsed country records cached by their bytes, for the reports that read every record each time.

Parsing a record (its YAML front matter above all) costs a few milliseconds; `extract status` over
a map of hundreds of records would spend half its time on it. An entry is keyed by the file's
bytes and the parser's own source, so an edited record or a changed parser is parsed afresh; the
entry is the record as JSON. Entries are written under a temporary name and renamed, without fsync:
a torn entry fails validation and is parsed again. A cache that cannot be written is no cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from extract.models import CountryRecord
from extract.records import load_records, read_record
from extract.records.parse import read_record_bytes

PACKAGE = Path(__file__).parent
# What decides a parse: the records package, the models it fills, the field-path slugs.
PARSER_SOURCES = ("records", "models.py", "fieldpath.py")


def default_record_cache() -> Path:
    """The user's cache, not the records folder (often a git repository of its own):
    $XDG_CACHE_HOME/extract/records, else ~/.cache/extract/records. Keyed by content, it serves
    every records folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "extract" / "records"


def load_records_cached(records_dir: Path, cache_dir: Path | None) -> dict[str, CountryRecord]:
    """`load_records`, each record read from `cache_dir` when its bytes were parsed before."""
    if cache_dir is None:
        return load_records(records_dir)
    return load_records(records_dir, read=lambda path: _read_cached(path, cache_dir))


def _read_cached(path: Path, cache_dir: Path) -> CountryRecord:
    key = hashlib.sha256(_parser_version() + read_record_bytes(path)).hexdigest()
    entry = cache_dir / f"{key}.json"
    try:
        return CountryRecord.model_validate_json(entry.read_bytes()).model_copy(update={"file": path.name})
    except (OSError, ValidationError):
        pass
    record = read_record(path)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=cache_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(record.model_dump_json())
        os.replace(temp, entry)
    except OSError:
        pass
    return record


@cache
def _parser_version() -> bytes:
    digest = hashlib.sha256()
    for name in PARSER_SOURCES:
        root = PACKAGE / name
        for source in sorted(root.rglob("*.py")) if root.is_dir() else [root]:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.digest()
