"""`extract run`: a map over articles (mentions and facts) and a reduce keyed by proposal id.

Articles stream from the folder through the map in chunks, in one process or several
(`jobs`); only the facts, which are small, are kept for the reduce, so memory stays flat however
many articles there are. Mentions stream into their file as they come. A second run over the same
folder keeps the review decisions already in the output file (same ids).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING

from extract.errors import InputError
from extract.jsonl import dumps, read_models, write_models
from extract.models import Article, Fact, Proposal
from extract.pipeline import ArticleResult, Pipeline, build_pipeline
from extract.propose import RunSummary, propose

if TYPE_CHECKING:
    from extract.records import CountryRecord

CHUNK = 16


class RunReport(RunSummary):
    articles: int
    skipped: list[str]
    new: int
    kept: int
    withdrawn: int


def map_articles(
    articles: Iterable[Article], records_dir: Path | None, *, jobs: int = 1
) -> Iterator[ArticleResult]:
    """The map step, in order, in this process or in `jobs` worker processes."""
    if jobs <= 1:
        pipeline = build_pipeline(records_dir)
        yield from pipeline.process(articles)
        return
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(records_dir,)) as pool:
        for results in pool.imap(_process_chunk, _chunks(articles, CHUNK)):
            yield from results


_worker: Pipeline | None = None


def _init_worker(records_dir: Path | None) -> None:
    global _worker
    _worker = build_pipeline(records_dir)


def _process_chunk(articles: list[Article]) -> list[ArticleResult]:
    assert _worker is not None
    return list(_worker.process(articles))


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def keep_decisions(
    proposals: Sequence[Proposal], previous: Sequence[Proposal]
) -> tuple[list[Proposal], int, int, int]:
    """Carry review decisions over from the previous output: (proposals, new, kept, withdrawn).

    A proposal the reviewer decided on (or edited) keeps its status, note and value; one that
    this run no longer finds is dropped if still pending, kept if it was decided.
    """
    before = {p.id: p for p in previous}
    result, new = [], 0
    for proposal in proposals:
        old = before.pop(proposal.id, None)
        if old is None:
            new += 1
            result.append(proposal)
        else:
            result.append(
                proposal.model_copy(
                    update={
                        "status": old.status,
                        "reviewer_note": old.reviewer_note,
                        "new_value": old.new_value,
                    }
                )
            )
    withdrawn = len(before)
    result.extend(p for p in before.values() if p.status != "pending")
    result.sort(key=lambda p: (p.country, p.field, p.op, p.id))
    return result, new, len(proposals) - new, withdrawn


def run(
    paths: Sequence[Path],
    records_dir: Path,
    output: Path,
    *,
    mentions_out: Path | None = None,
    jobs: int = 1,
    published: str | None = None,
    progress: Callable[[Iterable[ArticleResult]], Iterable[ArticleResult]] | None = None,
) -> RunReport:
    from extract.ingest import Skipped, articles_only, iter_articles
    from extract.records import load_records

    records = load_records(records_dir)
    previous = read_models(output, Proposal) if output.exists() else []
    skipped: list[Skipped] = []

    facts: list[Fact] = []
    count = 0
    with _atomic_lines(mentions_out) as mentions_file:
        results: Iterable[ArticleResult] = map_articles(
            articles_only(iter_articles(paths, default_published=published), skipped), records_dir, jobs=jobs
        )
        for result in progress(results) if progress else results:
            count += 1
            facts.extend(result.facts)
            if mentions_file is not None:
                mentions_file.writelines(dumps(m) + "\n" for m in result.mentions)
    sources = {code: _record_sources(record) for code, record in records.items()}
    proposals, summary = propose(facts, records, sources)
    merged, new, kept, withdrawn = keep_decisions(proposals, previous)
    write_models(output, merged)
    return RunReport(
        **summary.model_dump(),
        articles=count,
        skipped=[str(item) for item in skipped],
        new=new,
        kept=kept,
        withdrawn=withdrawn,
    )


def _record_sources(record: CountryRecord) -> set[str]:
    """The URLs a record already cites (front matter `sources`)."""
    field = record.field("meta.sources")
    return {url.rstrip("/") for url in re.findall(r"https?://[^\s\"')\]]+", field.text)} if field else set()


class _atomic_lines:
    """A text file written under a temporary name and renamed into place only when complete."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle: IO[str] | None = None
        self.tmp: str | None = None

    def __enter__(self) -> IO[str] | None:
        if self.path is None:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self.handle

    def __exit__(self, exc_type: object, *_: object) -> None:
        if self.handle is None or self.tmp is None or self.path is None:
            return
        self.handle.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            Path(self.tmp).unlink(missing_ok=True)


def check_paths(paths: Sequence[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", where=str(path), fix="give an article folder or file")
