"""Facts about countries that have no record: kept beside the review file until a record exists.

`extract run` keeps them in `NAME.unrecorded.jsonl` beside its output (Fact lines), with the same
rule as the review file: the facts of articles processed again are replaced, the others stay.
`extract review --unrecorded` and the web review list them; `extract record new CC` starts the
record that the next run proposes into.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path

from extract.files import atomic_lines
from extract.jsonl import dumps, iter_lines, parse_line, read_models
from extract.models import Fact


def unrecorded_path(review_path: Path) -> Path:
    """out/proposals.jsonl → out/proposals.unrecorded.jsonl."""
    return review_path.with_name(f"{review_path.stem}.unrecorded.jsonl")


def read_unrecorded(path: Path) -> list[Fact]:
    return read_models(path, Fact) if path.exists() else []


class UnrecordedUpdate:
    """The side file's update during a run, fed one fact at a time (`add`) and written by `finish`:
    this run's facts, plus earlier ones from articles not processed now.

    Facts about a country that has a record by now are dropped (the run proposes them). The facts
    wait in a temporary folder, one file per country, so a run holds none of them in memory; each
    country's are sorted on their own. The file is written only when it changes, and not created for
    nothing.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._folder = tempfile.TemporaryDirectory(prefix="extract-unrecorded-")
        self._pending: dict[str, list[str]] = {}
        self._buffered = 0
        if path.exists():
            for number, line in iter_lines(path):
                fact = parse_line(Fact, line, where=f"{path}:{number}")
                self._put(fact.country, f"{EARLIER}{dumps(fact)}")

    def add(self, fact: Fact) -> None:
        self._put(fact.country, f"{FOUND}{dumps(fact)}")

    def _put(self, country: str, line: str) -> None:
        self._pending.setdefault(country, []).append(line)
        self._buffered += 1
        if self._buffered >= SPILL_LINES:
            self._spill()

    def _spill(self) -> None:
        for country, lines in self._pending.items():
            with (Path(self._folder.name) / country).open("a", encoding="utf-8", newline="\n") as handle:
                handle.writelines(line + "\n" for line in lines)
        self._pending.clear()
        self._buffered = 0

    def finish(self, *, processed: Collection[str], recorded: Collection[str]) -> int:
        """Write the file if it changes; the number of facts it holds."""
        self._spill()
        folder = Path(self._folder.name)
        new = folder / ".new"
        count = 0
        try:
            with new.open("w", encoding="utf-8", newline="\n") as handle:
                for country in sorted(entry.name for entry in folder.iterdir() if entry != new):
                    if country in recorded:
                        continue
                    facts = []
                    with (folder / country).open(encoding="utf-8", newline="\n") as lines:
                        for line in lines:
                            fact = Fact.model_validate_json(line[len(FOUND):])
                            if line.startswith(FOUND) or fact.evidence.article not in processed:
                                facts.append(fact)
                    facts.sort(key=lambda f: (f.field, f.evidence.article, f.evidence.start, f.value))
                    handle.writelines(dumps(fact) + "\n" for fact in facts)
                    count += len(facts)
            if (count or self.path.exists()) and not _same_file(new, self.path):
                with new.open(encoding="utf-8", newline="\n") as source, atomic_lines(self.path) as target:
                    shutil.copyfileobj(source, target)
        finally:
            self._folder.cleanup()
        return count


# Each line in a country's file: whether it was in the side file before this run, then the fact.
EARLIER, FOUND = "E ", "F "
SPILL_LINES = 1_000  # facts buffered in memory (~1 MB) before they are appended to their country's file


def _same_file(one: Path, other: Path) -> bool:
    return other.exists() and filecmp.cmp(one, other, shallow=False)
