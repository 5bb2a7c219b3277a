"""Load, check and save a review file (proposals JSONL), every problem one line with its line number.

A review file is the curator's copy of `extract run`'s proposals. `extract review` and hand edits change
`status`, `reviewer_note` and `new_value`; `extract merge` refuses a file with any problem. Loading
checks what a line alone can tell (JSON, the Proposal model, a duplicated id); `check_review` adds what
needs the records and the articles (the record file, its field paths, the evidence quotes).

Saving re-reads the file and replaces proposals by id, so a decision never overwrites a change someone
made to another line in the meantime; every write is atomic (temp file + rename).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from extract.errors import ExtractError, InputError, MergeError
from extract.jsonl import dumps, iter_lines, loads, write_models
from extract.models import Evidence, Proposal
from extract.records.problems import Problem

if TYPE_CHECKING:
    from extract.records import CountryRecord

STATUSES = ("pending", "approved", "rejected", "merged", "superseded")


@dataclass(frozen=True)
class ReviewFile:
    """The proposals of a review file, each with its line number, and the problems found loading it."""

    path: Path
    proposals: tuple[Proposal, ...]
    lines: tuple[int, ...]
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ReviewCheck:
    """The problems of a review file: errors stop a merge, warnings do not."""

    errors: list[Problem]
    warnings: list[Problem]


class ReviewFileError(InputError):
    """The review file has problems; each is printed on its own line."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class _Line:
    """A line of the review file, to report a problem at."""

    file: str
    line: int

    def problem(self, what: str, fix: str) -> Problem:
        return Problem(file=self.file, line=self.line, what=what, fix=fix)


def load_review(path: Path) -> ReviewFile:
    """Every proposal of `path` with its line number; bad lines become problems, not exceptions.

    Raises InputError only when the file itself cannot be read (missing, not UTF-8).
    """
    proposals: list[Proposal] = []
    lines: list[int] = []
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for number, text in iter_lines(path):
        where = _Line(str(path), number)
        proposal = _parse(text, where, problems)
        if proposal is None:
            continue
        if proposal.id in first_line:
            first = first_line[proposal.id]
            problems.append(where.problem(f"duplicate id {proposal.id} (first on line {first})",
                                          "delete one of the two lines"))
            continue
        first_line[proposal.id] = number
        proposals.append(proposal)
        lines.append(number)
    return ReviewFile(path, tuple(proposals), tuple(lines), tuple(problems))


def read_review(path: Path) -> ReviewFile:
    """`load_review`, raising ReviewFileError when any line is bad (nothing can be rewritten safely)."""
    review = load_review(path)
    if review.problems:
        raise ReviewFileError(review.problems)
    return review


@contextmanager
def review_lock(path: Path) -> Iterator[None]:
    """Hold the review file's lock (a sibling `.NAME.lock`): its readers-then-writers take turns.

    The terminal review, the web review and merge each re-read, change and write the file under it,
    so no one writes a file another has changed since reading it. The kernel drops it on exit.
    """
    lock = path.with_name(f".{path.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def version(proposal: Proposal) -> str:
    """A short hash of the proposal as saved: a reviewer's decision names the version it was made on."""
    return hashlib.sha256(dumps(proposal).encode("utf-8")).hexdigest()[:12]


def save_changes(path: Path, changed: Mapping[str, Proposal]) -> list[Proposal]:
    """Re-read `path`, replace the proposals whose id is in `changed`, write it back atomically.

    The file keeps its order. Returns the proposals as written.
    """
    with review_lock(path):
        return save_changes_locked(path, changed)


def save_changes_locked(path: Path, changed: Mapping[str, Proposal]) -> list[Proposal]:
    """`save_changes` for a caller that holds `review_lock(path)` already."""
    proposals = list(read_review(path).proposals)
    missing = set(changed) - {proposal.id for proposal in proposals}
    if missing:
        raise InputError(f"proposal {sorted(missing)[0]} is no longer in the file", where=str(path),
                         fix="run the command again to start from the file as it is now")
    updated = [changed.get(proposal.id, proposal) for proposal in proposals]
    write_models(path, updated)
    return updated


def record_path(records_dir: Path, record: str) -> Path:
    """The file `record` names inside `records_dir`; MergeError when it would lie outside that folder."""
    root = records_dir.resolve()
    candidate = (root / record).resolve()
    if Path(record).is_absolute() or not candidate.is_relative_to(root) or candidate == root:
        raise MergeError(f"record {record!r} is outside the records folder {records_dir}",
                         fix="a proposal may only name a record file inside that folder")
    return candidate


@dataclass
class _Context:
    """What checking needs to look up, loaded once per file."""

    records_dir: Path
    articles_dir: Path | None
    records: dict[str, CountryRecord | ExtractError] = field(default_factory=dict)
    articles: dict[str, str | InputError] = field(default_factory=dict)


def check_review(review: ReviewFile, *, records_dir: Path, articles_dir: Path | None = None) -> ReviewCheck:
    """The problems of `review` against the records and articles, loading problems included, by line.

    An evidence whose article is missing from `articles_dir` is an error; when that folder itself is
    missing, a warning (the quotes cannot be checked).
    """
    context = _Context(records_dir, articles_dir)
    check = ReviewCheck(list(review.problems), [])
    for proposal, line in zip(review.proposals, review.lines, strict=True):
        where = _Line(str(review.path), line)
        _check_record(proposal, where, context, check)
        for number, evidence in enumerate(proposal.evidence, start=1):
            _check_evidence(evidence, number, where, context, check)
    check.errors.sort(key=lambda problem: problem.line)
    return check


def _parse(text: str, where: _Line, problems: list[Problem]) -> Proposal | None:
    try:
        data = loads(text.rstrip(), where=str(where.line))
    except InputError as exc:
        problems.append(where.problem(exc.what, exc.fix or "fix or delete this line"))
        return None
    if isinstance(data, dict) and "status" in data and data["status"] not in STATUSES:
        problems.append(where.problem(f"unknown status {data['status']!r}",
                                      f"use one of {', '.join(STATUSES)}"))
        return None
    try:
        return Proposal.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"]) or "line"
        problems.append(where.problem(f"{loc}: {first['msg']}", "make the line a valid proposal"))
        return None


def _check_record(proposal: Proposal, where: _Line, context: _Context, check: ReviewCheck) -> None:
    if proposal.op != "add" and proposal.old_value is None:
        check.errors.append(where.problem(f"old_value is null but op is {proposal.op}",
                                          "give the field's text, or use op add for a missing field"))
    record = _record(proposal.record, context)
    if isinstance(record, ExtractError):
        # The record is named: the problem is in it, not in this line.
        what = f"record {record.where}: {record.what}" if record.where else record.what
        check.errors.append(where.problem(what, record.fix or "fix the record"))
        return
    if proposal.country != record.code:
        what = f"country {proposal.country} but {proposal.record} is {record.code}"
        check.errors.append(where.problem(what, "correct the country or the record"))
    if not _known_field(proposal, record):
        check.errors.append(where.problem(f"unknown field path {proposal.field!r}",
                                          f"use a field of {proposal.record} or of the field vocabulary "
                                          "(extract/rules/record_fields.json)"))


def _known_field(proposal: Proposal, record: CountryRecord) -> bool:
    """The record has the field, or the vocabulary knows it, or `add` names a known section."""
    from extract.fieldpath import field_spec, section_rank, slug_path, split_path

    path = proposal.field
    if record.field(path) is not None or field_spec(path) is not None:
        return True
    section, name = split_path(path)
    in_record = any(split_path(known)[0] == section for known in record.fields)
    return (proposal.op == "add" and bool(section) and bool(name) and slug_path(path) == path
            and (section_rank(section) is not None or in_record))


def _record(name: str, context: _Context) -> CountryRecord | ExtractError:
    from extract.records import read_record

    if name not in context.records:
        try:
            path = record_path(context.records_dir, name)
            if not path.is_file():
                raise InputError(f"no record {name} in {context.records_dir}",
                                 fix="name a record file of the records folder (--records)")
            context.records[name] = read_record(path)
        except ExtractError as exc:
            context.records[name] = exc
    return context.records[name]


def _check_evidence(evidence: Evidence, number: int, where: _Line, context: _Context,
                    check: ReviewCheck) -> None:
    label = f"evidence {number} ({evidence.article})"
    if not evidence.start <= evidence.highlight[0] <= evidence.highlight[1] <= evidence.end:
        check.errors.append(where.problem(f"{label}: highlight {list(evidence.highlight)} lies outside "
                                          f"[{evidence.start}, {evidence.end}]", "fix the offsets"))
        return
    if context.articles_dir is None:
        return
    text = _article_text(evidence.article, context.articles_dir, context.articles)
    if isinstance(text, InputError) and not context.articles_dir.is_dir():
        check.warnings.append(where.problem(f"{label}: quote not checked, {text}",
                                            "pass --articles DIR to check it"))
    elif isinstance(text, InputError):
        # The article is gone or unreadable: nothing may be merged on evidence no one can check.
        check.errors.append(where.problem(f"{label}: {text}",
                                          "restore the article, pass --articles DIR where it is, "
                                          "or reject the proposal"))
    elif text[evidence.start:evidence.end] != evidence.quote:
        span = f"[{evidence.start}, {evidence.end}]"
        check.errors.append(where.problem(f"{label}: quote no longer matches the article at {span}",
                                          "re-run extract run, or fix start/end/quote"))


def _article_text(article: str, root: Path, cache: dict[str, str | InputError]) -> str | InputError:
    """The text of the article with id `article` under `root` (a file, or FILE.jsonl#N), or why not."""
    from extract.ingest import read_article

    if article not in cache:
        path = root / article
        file = root / article.rpartition("#")[0] if "#" in article and not path.exists() else path
        try:
            if not file.resolve().is_relative_to(root.resolve()) or not file.is_file():
                raise InputError(f"article not found in {root}")
            cache[article] = read_article(path, root=root).text
        except InputError as exc:
            cache[article] = exc
    return cache[article]
