"""Approved proposals → minimal record edits, one ledger entry per change, the proposals marked merged.

The protocol. The proposal id is the idempotence key; the steps run in this order so that a merge
killed at any moment and run again ends exactly like an uninterrupted one, with no approved change
lost and none applied twice:

1. Check the whole review file (`extract.reviewfile.check_review`). Any error: nothing is merged.
2. Plan each record that approved proposals name, from the file on disk, in memory:
   - a proposal whose id the ledger holds for that record is done: nothing is applied again;
   - a proposal whose change the record already shows (set/add: the field has the new value; append:
     the field contains the appended text) changes no field again;
   - any other proposal must find the field as it was proposed (`old_value`; for a confirm, the
     field must still contain it), else it is a conflict, skipped and reported (applied anyway
     with `force`);
   - every proposal not yet in the ledger adds its sources and the review date, edits that leave a
     record which has them unchanged. (An evidence without a url adds no source: a reader of the
     record could not follow it. The ledger keeps its article id.)
   So planning over a record that a killed merge already wrote gives that record back, unchanged.
   Every new text is parsed and validated before anything is written.
3. Write each changed record: temporary file, fsync, re-read and re-validate, rename over the old one.
4. Add one ledger entry per proposal merged now whose id the ledger lacks (one atomic rewrite). The
   ledger is written only after every record it describes is on disk, so an id in the ledger means
   the change is in the record.
5. Mark those proposals `merged` in the review file (atomic; re-read and replaced by id).

A kill before step 3 changes nothing. A kill during step 3 leaves some records with their changes,
which the next merge finds in them (step 2); a kill after step 3 or 4 leaves approved proposals that
the next merge finds in the records or the ledger, logs once and marks. Merging a file whose proposals
are all merged changes nothing. Merges of one records folder take turns (a lock on the folder).
"""

from __future__ import annotations

import difflib
import fcntl
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, get_args

from extract.errors import ExtractError, InputError, MergeError
from extract.files import atomic_write_bytes, atomic_write_text, remove_stale_temps
from extract.health import CALENDAR_DATE
from extract.jsonl import dumps, read_models
from extract.models import CountryRecord, LedgerEntry, Proposal
from extract.records import (
    add_field,
    add_source,
    append_to_field,
    mark_reviewed,
    parse_record,
    read_record,
    render_record,
    set_field,
    validate_record_bytes,
)
from extract.reviewfile import ReviewFileError, check_review, load_review, record_path, save_changes

Result = Literal["merged", "in_record", "in_ledger", "conflict", "refused"]


@dataclass(frozen=True)
class Outcome:
    """What merging did with one approved proposal."""

    proposal: Proposal
    result: Result
    old: str | None = None  # the text the change replaced, for the ledger
    reason: str = ""  # why a conflict is one, or why the change was refused
    forced: bool = False

    @property
    def done(self) -> bool:
        """The change is in the record now: the proposal is marked merged."""
        return self.result not in ("conflict", "refused")


@dataclass(frozen=True)
class RecordPlan:
    """One record's text before and after its approved proposals."""

    name: str
    path: Path
    before: str
    after: str
    outcomes: tuple[Outcome, ...]

    def diff(self) -> str:
        return unified_diff(self.before, self.after, self.name)


@dataclass(frozen=True)
class MergeReport:
    """What a merge did (or, dry, would do), record by record."""

    plans: tuple[RecordPlan, ...]
    where: dict[str, str]  # proposal id → review file:line
    warnings: tuple[str, ...] = ()
    written: tuple[Path, ...] = ()
    ledger_entries: int = 0

    @property
    def outcomes(self) -> list[Outcome]:
        return [outcome for plan in self.plans for outcome in plan.outcomes]

    @property
    def not_merged(self) -> list[Outcome]:
        """Conflicts and refused changes: the proposals stay approved."""
        return [outcome for outcome in self.outcomes if not outcome.done]

    def diff(self) -> str:
        return "".join(plan.diff() for plan in self.plans)

    def summary(self) -> str:
        count = {result: sum(o.result == result for o in self.outcomes) for result in get_args(Result)}
        conflicts = count["conflict"]
        parts = [f"{count['merged']} merged", f"{conflicts} conflict{'s' * (conflicts != 1)}"]
        if count["refused"]:
            parts.append(f"{count['refused']} refused")
        return ", ".join([*parts, f"{count['in_record'] + count['in_ledger']} already applied"])


@dataclass
class _Edit:
    """A record being edited, and what the plan knows about its fields."""

    original: CountryRecord
    record: CountryRecord
    replaced: set[str] = field(default_factory=set)  # fields set or added in this merge


def merge(review_path: Path, *, records_dir: Path, ledger_path: Path, articles_dir: Path | None,
          day: date, force: bool = False, dry_run: bool = False) -> MergeReport:
    """Merge the approved proposals of `review_path` into the records of `records_dir` (see the protocol).

    Raises ReviewFileError when the review file has errors, MergeError when a record would be invalid.
    """
    with _lock_folder(records_dir):
        review = load_review(review_path)
        check = check_review(review, records_dir=records_dir, articles_dir=articles_dir)
        if check.errors:
            raise ReviewFileError(check.errors)
        warnings = tuple(f"warning: {problem}" for problem in check.warnings)
        ledger = read_models(ledger_path, LedgerEntry) if ledger_path.exists() else []
        logged = {(entry.record, entry.proposal) for entry in ledger}
        approved = [proposal for proposal in review.proposals if proposal.status == "approved"]
        plans = tuple(plan_records(approved, records_dir, logged=logged, day=day, force=force))
        where = {p.id: f"{review_path}:{n}" for p, n in zip(review.proposals, review.lines, strict=True)}
        if dry_run:
            return MergeReport(plans, where, warnings)
        for written_by_merge in [*records_dir.glob("*.md"), ledger_path]:
            remove_stale_temps(written_by_merge)  # what a killed merge left half-written
        written = [_write_record(plan) for plan in plans if plan.after != plan.before]
        entries = _ledger_entries(plans, logged, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), day)
        if entries:
            _append_ledger(ledger_path, entries)
        done = {o.proposal.id: o.proposal.model_copy(update={"status": "merged"})
                for plan in plans for o in plan.outcomes if o.done}
        if done:
            save_changes(review_path, done)
        return MergeReport(plans, where, warnings, tuple(written), len(entries))


def plan_records(approved: Sequence[Proposal], records_dir: Path, *, logged: set[tuple[str, str]], day: date,
                 force: bool) -> Iterator[RecordPlan]:
    """A plan for each record the proposals name, in record-name order; nothing is written."""
    for name in sorted({proposal.record for proposal in approved}):
        path = record_path(records_dir, name)
        before = render_record(original := read_record(path))
        proposals = [proposal for proposal in approved if proposal.record == name]
        done = {proposal_id for record, proposal_id in logged if record == name}
        record, outcomes = plan_record(original, proposals, logged=done, day=day, force=force)
        after = render_record(record)
        if after != before:
            _validate(after, name, before)
        yield RecordPlan(name, path, before, after, tuple(outcomes))


def plan_record(record: CountryRecord, proposals: Sequence[Proposal], *, logged: set[str], day: date,
                force: bool) -> tuple[CountryRecord, list[Outcome]]:
    """`record` with `proposals` applied in order, and what became of each; `logged`: ids already merged."""
    edit = _Edit(record, record)
    known = _problems(record)
    outcomes = []
    for proposal in proposals:
        if proposal.id in logged:
            outcomes.append(Outcome(proposal, "in_ledger", proposal.old_value))
            continue
        before = edit.record
        outcome = _apply(edit, proposal, force, day)
        new = [problem for problem in _problems(edit.record) if problem not in known] if outcome.done else []
        if new:
            # A change that would make the record invalid is refused; the others still go in.
            edit.record = before
            outcome = Outcome(proposal, "refused", outcome.old, f"the record would be invalid: {new[0]}")
        outcomes.append(outcome)
        if outcome.done:
            for evidence in proposal.evidence:
                if evidence.url:
                    edit.record = add_source(edit.record, evidence.url, name=evidence.title)
    if any(outcome.result in ("merged", "in_record") for outcome in outcomes):
        edit.record = mark_reviewed(edit.record, day)
    return edit.record, outcomes


def _apply(edit: _Edit, proposal: Proposal, force: bool, day: date) -> Outcome:
    path, new = proposal.field, written_value(proposal, day)
    now = _text(edit.record, path)
    if now is not None and proposal.op != "confirm" and _shows(proposal, now, new):
        return Outcome(proposal, "in_record", proposal.old_value)
    # Appends to one field from several proposals all start from the record as it was read.
    appending = proposal.op == "append" and path not in edit.replaced
    base = _text(edit.original, path) if appending else now
    reason = _mismatch(proposal, base, now)
    if reason and not force:
        return Outcome(proposal, "conflict", now, reason)
    try:
        if proposal.op == "append" and now is not None:
            edit.record = append_to_field(edit.record, path, new)
        elif proposal.op != "confirm":
            change = set_field if now is not None else add_field
            edit.record = change(edit.record, path, new)
            edit.replaced.add(path)
    except ExtractError as exc:
        return Outcome(proposal, "conflict", now, exc.what)
    forced = bool(reason)
    return Outcome(proposal, "merged", now if forced else proposal.old_value, forced=forced)


def _shows(proposal: Proposal, text: str, new: str) -> bool:
    """Whether the field text already holds the proposal's change `new` (as append_to_field sees it)."""
    if proposal.op == "append":
        return _contains(text, new)
    return text == new


def written_value(proposal: Proposal, day: date) -> str:
    """The value merging writes: a change not yet in effect on `day` says from when, as records do
    ("… from 2026-07-01"), unless the value says so already."""
    value, effective = proposal.new_value, proposal.effective
    if proposal.op == "confirm" or not effective or not CALENDAR_DATE.fullmatch(effective) \
            or effective <= day.isoformat() or effective in value:
        return value
    if value.endswith("."):
        return f"{value[:-1]} from {effective}."
    return f"{value} from {effective}"


def _mismatch(proposal: Proposal, base: str | None, now: str | None) -> str:
    """Why the record no longer matches what the proposal was made against; empty when it does."""
    if proposal.op == "add":
        return "" if now is None else f"the record has {proposal.field} already: {now!r}"
    if now is None:
        return f"the record has no {proposal.field} any more"
    if proposal.op == "confirm":
        # Still confirmed while the record says it, whatever was appended to it since.
        confirmed = _contains(now, proposal.old_value or proposal.new_value)
        return "" if confirmed else f"the record says {now!r} now"
    if base != proposal.old_value:
        return f"the record has {base!r}, the proposal expected {proposal.old_value!r}"
    return ""


def _text(record: CountryRecord, path: str) -> str | None:
    found = record.field(path)
    return found.text if found is not None else None


def _contains(text: str, part: str) -> bool:
    """`part` is in `text`, ignoring case and runs of white space (as append_to_field compares)."""
    return " ".join(part.split()).casefold() in " ".join(text.split()).casefold()


def _problems(record: CountryRecord) -> set[str]:
    """What validation finds wrong with `record`, without line numbers (an edit moves lines)."""
    found = validate_record_bytes(render_record(record).encode("utf-8"), file=record.file)
    return {f"{problem.what} — {problem.fix}" for problem in found}


def _validate(text: str, name: str, before: str) -> None:
    """Raise MergeError when `text` is not a valid record, or has problems `before` did not have.

    The plan refuses each change that would do that, so this guards against a bug, not a proposal.
    """
    try:
        new = _problems(parse_record(text, file=name)) - _problems(parse_record(before, file=name))
    except InputError as exc:
        new = {str(exc)}
    if new:
        raise MergeError(f"the merged record would be invalid: {sorted(new)[0]}", where=name,
                         fix="report this as a bug; nothing was written")


def _write_record(plan: RecordPlan) -> Path:
    def check(temp: Path) -> None:
        # What is on disk, not what was meant to be, is checked before it replaces the record.
        if temp.read_bytes().decode("utf-8") != plan.after:
            raise MergeError("the record written differs from the one planned", where=str(temp),
                             fix="check the disk and run merge again")
        _validate(plan.after, plan.name, plan.before)

    atomic_write_bytes(plan.path, plan.after.encode("utf-8"), check=check)
    return plan.path


def _ledger_entries(plans: Sequence[RecordPlan], logged: set[tuple[str, str]],
                    when: str, day: date) -> list[LedgerEntry]:
    return [
        LedgerEntry(when=when, record=plan.name, field=o.proposal.field, op=o.proposal.op, old=o.old,
                    new=written_value(o.proposal, day), proposal=o.proposal.id, evidence=o.proposal.evidence,
                    reviewer=o.proposal.reviewer, reviewer_note=o.proposal.reviewer_note)
        for plan in plans for o in plan.outcomes
        if o.done and (plan.name, o.proposal.id) not in logged
    ]


def _append_ledger(path: Path, entries: Sequence[LedgerEntry]) -> None:
    # A rewrite, not an append: a kill mid-write must not leave half a line.
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing and not existing.endswith("\n"):
        existing += "\n"
    atomic_write_text(path, existing + "".join(dumps(entry) + "\n" for entry in entries))


@contextmanager
def _lock_folder(records_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the records folder; the kernel drops it when the process dies."""
    if not records_dir.is_dir():
        raise InputError("no such folder", where=str(records_dir),
                         fix="give the records folder with --records")
    fd = os.open(records_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MergeError("another merge is running on this folder", where=str(records_dir),
                             fix="wait for it to finish") from None
        yield
    finally:
        os.close(fd)


def unified_diff(before: str, after: str, name: str) -> str:
    """`diff -u` of two texts of the record `name`, as git prints it (a missing last newline marked)."""
    lines = []
    for line in difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                     f"a/{name}", f"b/{name}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)
