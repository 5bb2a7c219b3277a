"""Facts about countries that have no record: kept beside the review file until a record exists.

`extract run` keeps them in `NAME.unrecorded.jsonl` beside its output (Fact lines), with the same
rule as the review file: the facts of articles processed again are replaced, the others stay.
`extract review --unrecorded` and the web review list them; `extract record new CC` starts the
record that the next run proposes into.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from extract.jsonl import read_models, write_models
from extract.models import Fact


def unrecorded_path(review_path: Path) -> Path:
    """out/proposals.jsonl → out/proposals.unrecorded.jsonl."""
    return review_path.with_name(f"{review_path.stem}.unrecorded.jsonl")


def read_unrecorded(path: Path) -> list[Fact]:
    return read_models(path, Fact) if path.exists() else []


def update_unrecorded(path: Path, found: Iterable[Fact], *, processed: Collection[str],
                      recorded: Collection[str]) -> list[Fact]:
    """Write the side file: this run's facts, plus earlier ones from articles not processed now.

    Facts about a country that has a record by now are dropped (the run proposes them). The file is
    written only when it changes, and not created for nothing.
    """
    previous = read_unrecorded(path)
    kept = [fact for fact in previous if fact.evidence.article not in processed]
    facts = sorted((fact for fact in [*kept, *found] if fact.country not in recorded),
                   key=lambda f: (f.country, f.field, f.evidence.article, f.evidence.start, f.value))
    if facts != previous and (facts or path.exists()):
        write_models(path, facts)
    return facts
