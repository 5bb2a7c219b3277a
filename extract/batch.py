"""`extract run`: a map over articles (mentions and facts) and a reduce keyed by proposal id.

Articles stream from the folder through the map in chunks, in one process or several
(`jobs`); only the facts, which are small, are kept for the reduce, so memory stays flat however
many articles there are. Mentions stream into their file as they come. A second run over the same
folder keeps the review decisions already in the output file (same ids); the output file is an
inbox that accumulates across runs (`update_inbox`).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING

from extract.errors import InputError
from extract.files import atomic_write_bytes
from extract.health import supersede
from extract.jsonl import dumps, read_models, write_models
from extract.models import Article, Fact, LedgerEntry, Proposal
from extract.pipeline import ArticleResult, Pipeline, build_pipeline
from extract.propose import DEFAULT_MIN_CONFIDENCE, RunSummary, _unique_evidence, _with_conflicts, propose
from extract.unrecorded import unrecorded_path, update_unrecorded

if TYPE_CHECKING:
    from extract.records import CountryRecord

CHUNK = 16
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


class InboxRefused(InputError):
    """The review file cannot be updated without losing work: nothing was written."""

    exit_code = 1


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
    published: str | None = None,
    progress: Callable[[Iterable[ArticleResult]], Iterable[ArticleResult]] | None = None,
    replace: bool = False,
    ledger_path: Path | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> RunReport:
    from extract.ingest import FORMATS, Skipped, articles_only, iter_articles
    from extract.records import load_records

    records = load_records(records_dir)
    previous = read_inbox(output, replace=replace)
    ledger_file = ledger_path or records_dir.parent / "ledger.jsonl"
    ledger = read_models(ledger_file, LedgerEntry) if ledger_file.exists() else []
    skipped: list[Skipped] = []

    facts: list[Fact] = []
    processed: set[str] = set()
    count = 0
    with _atomic_lines(mentions_out) as mentions_file:
        results: Iterable[ArticleResult] = map_articles(
            articles_only(iter_articles(paths, default_published=published), skipped), records_dir, jobs=jobs
        )
        for result in progress(results) if progress else results:
            count += 1
            processed.add(result.article)
            facts.extend(result.facts)
            if mentions_file is not None:
                mentions_file.writelines(dumps(m) + "\n" for m in result.mentions)
        if count == 0 and not skipped:
            # An empty or mistyped folder: writing would only drop what the files hold.
            raise InputError("no articles found", where=", ".join(str(path) for path in paths),
                             fix=f"give a folder or file of articles ({', '.join(FORMATS)}); "
                                 "nothing was written")
    sources = {code: _record_sources(record) for code, record in records.items()}
    proposals, summary = propose(facts, records, sources, min_confidence=min_confidence)
    proposals, already_merged = drop_merged_confirms(proposals, merged_sources(previous, ledger))
    inbox, counts = update_inbox(proposals, previous, processed)
    if not output.exists() or output.read_bytes() != b"".join(dumps(p).encode() + b"\n" for p in inbox):
        write_models(output, inbox)
    side = update_unrecorded(unrecorded_path(output), (f for f in facts if f.country not in records),
                             processed=processed, recorded=records.keys())
    return RunReport(
        **summary.model_dump(),
        articles=count,
        skipped=[str(item) for item in skipped],
        already_merged=already_merged,
        unrecorded_facts=len(side),
        **counts,
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
        if exc_type is None:
            self.handle.flush()
            os.fsync(self.handle.fileno())
        self.handle.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            Path(self.tmp).unlink(missing_ok=True)


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
