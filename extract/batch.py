"""`extract run`: a map over articles (mentions and facts) and a reduce keyed by proposal id.

Articles stream from the folder through the map in chunks of 16, in this process, in `jobs` worker
processes or on Dask workers, a few chunks in flight at a time; results already in the cache
(extract/cache.py) are read from it. The reduce takes each fact as it comes and keeps per proposal
only its evidence (`ProposalReduce`); facts about countries without a record wait on disk
(`UnrecordedUpdate`); mentions stream into their file. So memory stays flat however many articles
there are (docs/scale.md). A second run over the same folder keeps the review decisions already in
the output file (same ids); the output file is an inbox that accumulates across runs (`update_inbox`).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import re
import traceback
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import nullcontext
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel

from extract.cache import MapCache, MappedArticle
from extract.errors import InputError
from extract.files import atomic_lines, atomic_write_bytes
from extract.health import supersede
from extract.jsonl import dumps, read_models, write_models
from extract.models import Article, Contract, LedgerEntry, Proposal
from extract.pipeline import Pipeline, build_pipeline
from extract.propose import (
    DEFAULT_MIN_CONFIDENCE,
    ProposalReduce,
    RunSummary,
    _unique_evidence,
    _with_conflicts,
)
from extract.unrecorded import UnrecordedUpdate, unrecorded_path

if TYPE_CHECKING:
    from extract.records import CountryRecord

CHUNK = 16
# a run's processes: young objects allocated between cyclic collections (Python's default is 700)
YOUNG_OBJECTS_PER_COLLECTION = 10_000
REPLACE_FIX = "give --replace to start the file afresh (the old one is kept as .bak)"


class RunReport(RunSummary):
    articles: int
    skipped: list[str]
    new: int
    updated: int  # known proposals whose evidence or value this run changed
    kept: int  # known proposals this run found again, unchanged
    carried: int  # proposals from articles this run did not process, kept as they were
    withdrawn: int  # pending proposals whose articles were processed again and no longer yield them
    superseded: int = 0  # pending proposals a later article revised (extract.health.supersede)
    already_merged: int  # confirms of a merged change from the articles it came from: not proposed
    unrecorded_facts: int  # facts in the side file of countries without a record
    before_since: int = 0  # articles published before --since: not analysed
    cached: int = 0  # articles whose analysis was read from the cache


class InboxRefused(InputError):
    """The review file cannot be updated without losing work: nothing was written."""

    exit_code = 1


class MapFailure(Contract):
    """An article the map could not analyse: reported and skipped, the run goes on."""

    article: str
    error: str


MapResult = MappedArticle | MapFailure
Stage = Literal["facts", "mentions"]


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def map_chunk(pipeline: Pipeline, articles: list[Article], stage: Stage = "facts") -> list[MapResult]:
    """The map over one chunk, in order. An article that makes the pipeline fail becomes a
    MapFailure (the others of its chunk are analysed one by one to find it)."""
    try:
        return list(_analyse(pipeline, articles, stage))
    except Exception:
        if len(articles) == 1:
            error = traceback.format_exc(limit=-1).strip().splitlines()[-1]
            return [MapFailure(article=articles[0].id, error=error)]
    return [result for article in articles for result in map_chunk(pipeline, [article], stage)]


def _analyse(pipeline: Pipeline, articles: list[Article], stage: Stage) -> Iterator[MappedArticle]:
    if stage == "facts":
        for result in pipeline.process(articles):
            yield MappedArticle(article=result.article, facts=result.facts, mentions=_jsonl(result.mentions))
    else:  # mentions only: the stages after them are not run
        for article, mentions in pipeline.mentions(articles):
            yield MappedArticle(article=article.id, facts=[], mentions=_jsonl(mentions))


def _jsonl(models: Iterable[BaseModel]) -> str:
    return "".join(dumps(model) + "\n" for model in models)


class Engine(Protocol):
    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[MapResult]]:
        """One list of results per chunk, in order, pulling only a few chunks ahead."""
        ...


def settle_collector() -> Callable[[], None]:
    """Make the cyclic collector cheap for the map, once the pipeline is built; returns what undoes it.
    The pipeline's ~150,000 objects live as long as the map, so they are taken out of the
    collector's walks (gc.freeze), and a collection waits for YOUNG_OBJECTS_PER_COLLECTION new
    objects instead of 700: the map makes and drops many small objects per article, almost none of
    them in cycles, and the collector took ~4% of a run."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, *threshold[1:])

    def undo() -> None:
        gc.set_threshold(*threshold)
        gc.unfreeze()

    return undo


class InProcess:
    """The map in this process; the pipeline is built for the first article that needs it (none
    when every article comes from the cache)."""

    def __init__(self, records_dir: Path | None, stage: Stage) -> None:
        self.records_dir = records_dir
        self.stage = stage
        self.pipeline: Pipeline | None = None

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[MapResult]]:
        restore: Callable[[], None] | None = None
        try:
            for chunk in chunks:
                if chunk and self.pipeline is None:
                    self.pipeline = build_pipeline(self.records_dir)
                    restore = settle_collector()
                yield map_chunk(self.pipeline, chunk, self.stage) if self.pipeline and chunk else []
        finally:
            if restore is not None:
                restore()


class ProcessPool:
    """The map in `jobs` worker processes on this machine, each with its own pipeline; started for
    the first article that needs it."""

    def __init__(self, records_dir: Path | None, stage: Stage, jobs: int) -> None:
        self.records_dir = records_dir
        self.jobs = jobs
        self.stage = stage
        self.pool: multiprocessing.pool.Pool | None = None

    def _submit(self, chunk: list[Article]) -> multiprocessing.pool.AsyncResult[list[MapResult]]:
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = context.Pool(self.jobs, initializer=_init_worker, initargs=(self.records_dir,))
        return self.pool.apply_async(_worker_chunk, (chunk, self.stage))

    def map(self, chunks: Iterable[list[Article]]) -> Iterator[list[MapResult]]:
        try:
            yield from ordered_window(chunks, self._submit, lambda pending: pending.get(), 2 * self.jobs)
        finally:
            if self.pool is not None:
                self.pool.terminate()
                self.pool.join()


def ordered_window(chunks: Iterable[list[Article]], submit: Callable[[list[Article]], Any],
                   result: Callable[[Any], list[MapResult]], window: int) -> Iterator[list[MapResult]]:
    """Submit chunks as results come back, at most `window` in flight (so neither the input nor the
    results pile up in memory), and yield their results in input order. An empty chunk is not sent."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk) if chunk else None)
        if len(pending) >= window:
            head = pending.popleft()
            yield [] if head is None else result(head)
    while pending:
        head = pending.popleft()
        yield [] if head is None else result(head)


_worker: Pipeline | None = None


def _init_worker(records_dir: Path | None) -> None:
    global _worker
    _worker = build_pipeline(records_dir)
    settle_collector()  # for the worker's life


def _worker_chunk(articles: list[Article], stage: Stage) -> list[MapResult]:
    assert _worker is not None
    return map_chunk(_worker, articles, stage)


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def map_articles(
    articles: Iterable[Article],
    records_dir: Path | None,
    *,
    jobs: int = 1,
    stage: Stage = "facts",
    engine: str = "local",
    scheduler: str | None = None,
    cache: MapCache | None = None,
) -> Iterator[MapResult]:
    """The map step, in order: in this process, in `jobs` worker processes, or on Dask workers
    (engine "dask"); results found in `cache` are read from it, the others stored in it.

    Locally, fewer than two chunks of articles are analysed in this process: starting workers, each
    loading the model, would take longer than the work.
    """
    chunks = _chunks(articles, CHUNK)
    head = list(islice(chunks, 2))
    chunks = chain(head, chunks)
    mapper: Engine
    if engine == "dask":
        from extract.engine_dask import DaskEngine

        mapper = DaskEngine(records_dir, stage, jobs=jobs, scheduler=scheduler)
    elif jobs <= 1 or len(head) < 2:
        mapper = InProcess(records_dir, stage)
    else:
        mapper = ProcessPool(records_dir, stage, jobs)
    if cache is None:
        for results in mapper.map(chunks):
            yield from results
        return
    lookups: deque[list[tuple[str, MappedArticle | None]]] = deque()

    def misses() -> Iterator[list[Article]]:
        for chunk in chunks:
            found = [(key, cache.get(key)) for key in map(cache.key, chunk)]
            lookups.append(found)
            yield [article for article, (_, hit) in zip(chunk, found, strict=True) if hit is None]

    for computed in mapper.map(misses()):
        fresh = iter(computed)
        for key, hit in lookups.popleft():
            if hit is not None:
                yield hit
                continue
            result = next(fresh)
            if isinstance(result, MappedArticle):
                cache.put(key, result)
            yield result


def update_inbox(
    found: Sequence[Proposal], previous: Sequence[Proposal], processed: Collection[str]
) -> tuple[list[Proposal], dict[str, int]]:
    """The review file after a run: (proposals, counts of new/updated/kept/carried/withdrawn/superseded).

    The file accumulates. A proposal found again keeps its review decision (status, note, edited
    value, reviewer) and gets this run's evidence beside the evidence of articles not processed
    now; a pending one also takes the field's current text. A proposal not found again is withdrawn
    only when it is pending and every article that backed it was processed in this run; otherwise
    it stays, with only the evidence of articles not processed now. Decided proposals always stay.
    """
    before = {proposal.id: proposal for proposal in previous}
    result: list[Proposal] = []
    counts = dict.fromkeys(("new", "updated", "kept", "carried", "withdrawn"), 0)
    for proposal in found:
        old = before.pop(proposal.id, None)
        if old is None:
            counts["new"] += 1
            result.append(proposal)
            continue
        others = [e for e in old.evidence if e.article not in processed]
        evidence = _unique_evidence([*others, *proposal.evidence])
        if old.status == "pending":
            confidence = max(proposal.confidence, old.confidence) if others else proposal.confidence
            merged = proposal.model_copy(update={"evidence": evidence, "confidence": confidence,
                                                 "reviewer_note": old.reviewer_note})
        else:
            merged = old.model_copy(update={"evidence": evidence})
        counts["kept" if merged == old else "updated"] += 1
        result.append(merged)
    for old in before.values():
        remaining = [e for e in old.evidence if e.article not in processed]
        if old.status != "pending" or len(remaining) == len(old.evidence):
            counts["carried"] += 1
            result.append(old)
        elif remaining:
            counts["updated"] += 1
            result.append(old.model_copy(update={"evidence": remaining}))
        else:
            counts["withdrawn"] += 1
    # a draft amended or a date moved by a later article: the older pending proposal is superseded
    result, counts["superseded"] = supersede(_with_conflicts(result))
    result.sort(key=lambda p: (p.country, p.field, p.op, p.id))
    return result, counts


def merged_sources(previous: Iterable[Proposal], ledger: Iterable[LedgerEntry]) -> set[tuple[str, str, str]]:
    """(record, field, article) of every merged change: its articles must not confirm it again."""
    merged = {(p.record, p.field, e.article) for p in previous if p.status == "merged" for e in p.evidence}
    return merged | {(entry.record, entry.field, e.article) for entry in ledger for e in entry.evidence}


def drop_merged_confirms(proposals: Sequence[Proposal],
                         merged: set[tuple[str, str, str]]) -> tuple[list[Proposal], int]:
    """Confirms without the evidence of articles whose change was merged; those left with none dropped."""
    kept, dropped = [], 0
    for proposal in proposals:
        if proposal.op == "confirm":
            key = (proposal.record, proposal.field)
            evidence = [e for e in proposal.evidence if (*key, e.article) not in merged]
            if not evidence:
                dropped += 1
                continue
            proposal = proposal.model_copy(update={"evidence": evidence}) if evidence != proposal.evidence \
                else proposal
        kept.append(proposal)
    return kept, dropped


def read_inbox(output: Path, *, replace: bool) -> list[Proposal]:
    """The review file's proposals, to update; InboxRefused when it cannot be read whole.

    With `replace` the file is started afresh: its old content is kept in NAME.bak.
    """
    from extract.reviewfile import load_review

    if not output.exists():
        return []
    if replace:
        atomic_write_bytes(output.with_name(output.name + ".bak"), output.read_bytes())
        return []
    try:
        review = load_review(output)
    except InputError as exc:
        raise InboxRefused(f"cannot read the review file: {exc.what}", where=str(output),
                           fix=f"fix it, or {REPLACE_FIX}") from None
    if review.problems:
        first = review.problems[0]
        raise InboxRefused(f"line {first.line}: {first.what}; its pending work would be lost",
                           where=str(output), fix=f"fix the line, or {REPLACE_FIX}")
    return list(review.proposals)


def run(
    paths: Sequence[Path],
    records_dir: Path,
    output: Path,
    *,
    mentions_out: Path | None = None,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache_dir: Path | None = None,
    published: str | None = None,
    since: str | None = None,
    progress: Callable[[Iterable[MapResult]], Iterable[MapResult]] | None = None,
    replace: bool = False,
    ledger_path: Path | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> RunReport:
    """The batch. `cache_dir`: the map's cache (None: no cache); `since` (YYYY-MM-DD): only articles
    published on or after it (undated ones too)."""
    from extract.ingest import FORMATS, Skipped, articles_only, iter_articles
    from extract.records import load_records

    records = load_records(records_dir)
    previous = read_inbox(output, replace=replace)
    ledger_file = ledger_path or records_dir.parent / "ledger.jsonl"
    ledger = read_models(ledger_file, LedgerEntry) if ledger_file.exists() else []
    skipped: list[Skipped] = []
    # The reduce as the facts come: per proposal its evidence, not the facts (memory stays flat).
    reduce = ProposalReduce(records, {code: _record_sources(record) for code, record in records.items()})
    side = UnrecordedUpdate(unrecorded_path(output))
    cache = MapCache.for_records(cache_dir, records_dir) if cache_dir is not None else None
    processed: set[str] = set()
    count = 0
    dated = DateFilter(since)
    with atomic_lines(mentions_out) if mentions_out is not None else nullcontext() as mentions_file:
        articles = dated.keep(articles_only(iter_articles(paths, default_published=published), skipped))
        results: Iterable[MapResult] = map_articles(articles, records_dir, jobs=jobs, engine=engine,
                                                    scheduler=scheduler, cache=cache)
        for result in progress(results) if progress else results:
            if isinstance(result, MapFailure):
                skipped.append(Skipped(result.article, f"analysis failed ({result.error})"))
                continue
            count += 1
            processed.add(result.article)
            for fact in result.facts:
                reduce.add(fact)
                if fact.country not in records:
                    side.add(fact)
            if mentions_file is not None:
                mentions_file.write(result.mentions)
        if count == 0 and not skipped and not dated.before:
            # An empty or mistyped folder: writing would only drop what the files hold.
            raise InputError("no articles found", where=", ".join(str(path) for path in paths),
                             fix=f"give a folder or file of articles ({', '.join(FORMATS)}); "
                                 "nothing was written")
    proposals, summary = reduce.finish(min_confidence=min_confidence)
    proposals, already_merged = drop_merged_confirms(proposals, merged_sources(previous, ledger))
    inbox, counts = update_inbox(proposals, previous, processed)
    if not output.exists() or output.read_bytes() != b"".join(dumps(p).encode() + b"\n" for p in inbox):
        write_models(output, inbox)
    unrecorded_facts = side.finish(processed=processed, recorded=records.keys())
    return RunReport(
        **summary.model_dump(),
        articles=count,
        skipped=[str(item) for item in skipped],
        already_merged=already_merged,
        unrecorded_facts=unrecorded_facts,
        before_since=dated.before,
        cached=cache.hits if cache else 0,
        **counts,
    )


class DateFilter:
    """Articles published on or after `since` (YYYY-MM-DD; None: all); undated ones are kept, since
    nothing says they are old. Counts the ones left out."""

    def __init__(self, since: str | None) -> None:
        self.since = since
        self.before = 0

    def keep(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            # compare at the precision given: "2025" is not before "2025-06-01"
            if self.since and article.published and article.published < self.since[: len(article.published)]:
                self.before += 1
                continue
            yield article


def _record_sources(record: CountryRecord) -> set[str]:
    """The URLs a record already cites (front matter `sources`)."""
    field = record.field("meta.sources")
    return {url.rstrip("/") for url in re.findall(r"https?://[^\s\"')\]]+", field.text)} if field else set()


def count_articles(paths: Sequence[Path]) -> int:
    """How many articles `paths` hold, counted cheaply (files; lines of .jsonl files): a progress total."""
    from extract.ingest import FORMATS, _walk

    total = 0
    for path in paths:
        files = [item for item in _walk(path) if isinstance(item, Path)] if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() == ".jsonl":
                with file.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            elif file.suffix.lower() in FORMATS:
                total += 1
    return total


def check_paths(paths: Sequence[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", where=str(path), fix="give an article folder or file")
