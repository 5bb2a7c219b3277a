"""Decisions on proposals: which ones to look at, and approve / reject / edit, one or many at a time.

Pure functions over Proposal models, and `decide`, the one way every review (terminal, web, batch)
saves decisions: under the review file's lock, checked against the version the reviewer saw, each
decision appended to the decision log. A decision changes `status`, `reviewer_note`, `reviewer`,
`decided_at` and, for an edit, `new_value` (the proposed value kept in `proposed_value`).
The interactive loops are `extract.reviewui` (terminal) and `extract.web` (browser).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

from extract.errors import InputError
from extract.jsonl import dumps
from extract.models import Decision, DecisionAction, Proposal, Status
from extract.reviewfile import read_review, review_lock, save_changes_locked, version


@dataclass(frozen=True)
class ProposalFilter:
    """Which proposals a review looks at; an empty set of countries or statuses means all of them."""

    countries: frozenset[str] = frozenset()
    field: str | None = None
    min_confidence: float = 0.0
    statuses: frozenset[Status] = frozenset()

    def matches(self, proposal: Proposal) -> bool:
        return (
            (not self.countries or proposal.country.upper() in self.countries)
            and (self.field is None or fnmatchcase(proposal.field, self.field))
            and proposal.confidence >= self.min_confidence
            and (not self.statuses or proposal.status in self.statuses)
        )

    def select(self, proposals: Iterable[Proposal]) -> list[Proposal]:
        return [proposal for proposal in proposals if self.matches(proposal)]


def approve(proposal: Proposal) -> Proposal:
    return _decide(proposal, "approved")


def reject(proposal: Proposal) -> Proposal:
    return _decide(proposal, "rejected")


def edit(proposal: Proposal, new_value: str) -> Proposal:
    """Approve `proposal` with the reviewer's own value; the value proposed is kept beside it."""
    if proposal.op == "confirm":
        raise InputError("a confirmation has no new value to edit", where=proposal.id,
                         fix="approve or reject it")
    value = new_value.strip()
    if not value:
        raise InputError("an edited value cannot be empty", where=proposal.id,
                         fix="reject the proposal instead")
    check_value(proposal.field, value)
    proposed = proposal.proposed_value or proposal.new_value
    return _decide(proposal, "approved").model_copy(
        update={"new_value": value, "proposed_value": proposed if value != proposed else None})


def reopen(proposal: Proposal) -> Proposal:
    """Undo a decision: pending again, with the value that was proposed."""
    return _decide(proposal, "pending").model_copy(update={
        "new_value": proposal.proposed_value or proposal.new_value, "proposed_value": None,
        "reviewer": None, "decided_at": None})


def check_value(path: str, value: str) -> None:
    """Raise InputError when `value` does not fit the field's type (as `extract validate` checks records)."""
    from extract.fieldpath import field_spec
    from extract.models import RecordField
    from extract.records.validate import value_problem

    spec = field_spec(path)
    if spec is None:
        return
    problem = value_problem(spec, RecordField(path=path, label=spec.label, text=value, line=1,
                                              kind=spec.kind, end_line=1, column=0))
    if problem is not None:
        raise InputError(problem[0], fix=problem[1])


def default_reviewer() -> str:
    """git's user.name, else the login name."""
    import getpass
    import subprocess

    try:
        name = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True,
                              timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


Action = Literal["approve", "reject", "edit", "note", "undo"]
Via = Literal["terminal", "web", "batch"]
_LOGGED: dict[Action, DecisionAction] = {"approve": "approved", "reject": "rejected", "edit": "edited",
                                         "note": "noted", "undo": "undone"}


@dataclass(frozen=True)
class Request:
    """One decision asked for: on proposal `id` as the reviewer saw it (`version`; None: as it is now)."""

    id: str
    action: Action
    version: str | None = None
    value: str | None = None  # edit: the reviewer's value
    note: str | None = None  # the reviewer's reason; None keeps the one the proposal has
    restore: Proposal | None = None  # undo in the terminal: the proposal exactly as it was before


class ConflictError(InputError):
    """A decision on a proposal that changed since the reviewer saw it: nothing was saved."""

    exit_code = 1


def decision_log_path(review_path: Path) -> Path:
    """The append-only decision log of a review file: proposals.jsonl → proposals.decisions.jsonl."""
    return review_path.with_name(f"{review_path.stem}.decisions.jsonl")


def decide(path: Path, requests: Sequence[Request], *, reviewer: str, via: Via) -> list[Proposal]:
    """Apply `requests` to the review file at `path`, all or none; return the proposals as saved.

    Under the review file's lock: re-read the file, refuse (ConflictError, nothing saved) when a
    proposal is no longer the version the reviewer decided on, write the file atomically, then
    append one line per decision to the decision log. The terminal, the web page and the batch
    options all decide through here.
    """
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with review_lock(path):
        proposals = read_review(path).proposals
        by_id = {proposal.id: proposal for proposal in proposals}
        changed: dict[str, Proposal] = {}
        log: list[Decision] = []
        for request in requests:
            if request.id not in by_id:
                raise ConflictError(f"proposal {request.id} is no longer in the file", where=str(path),
                                    fix="reload: a run or a hand edit replaced it")
            saved = by_id[request.id]
            if request.version is not None and version(saved) != request.version:
                raise ConflictError(_changed_since(saved), where=request.id,
                                    fix="reload to see it, then decide again")
            before = changed.get(request.id, saved)
            after = _apply(before, request).model_copy(update={"reviewer": reviewer, "decided_at": when})
            if request.action == "undo":
                after = after.model_copy(update={"reviewer": None, "decided_at": None}) \
                    if request.restore is None else request.restore
            changed[request.id] = after
            log.append(Decision(when=when, proposal=request.id, action=_LOGGED[request.action],
                                status=after.status, previous_status=before.status, reviewer=reviewer,
                                reviewer_note=after.reviewer_note, new_value=after.new_value,
                                proposed_value=after.proposed_value, via=via))
        if changed:
            save_changes_locked(path, changed)
            append_lines(decision_log_path(path), [dumps(decision) for decision in log])
    return [changed[proposal.id] for proposal in proposals if proposal.id in changed]


def _apply(proposal: Proposal, request: Request) -> Proposal:
    if request.action == "undo":
        decided = request.restore or reopen(proposal)
    elif request.action == "approve":
        decided = approve(proposal)
    elif request.action == "reject":
        decided = reject(proposal)
    elif request.action == "edit":
        decided = edit(proposal, request.value or "")
    else:
        decided = proposal
    if request.note is not None:
        decided = decided.model_copy(update={"reviewer_note": request.note.strip() or None})
    return decided


def _changed_since(proposal: Proposal) -> str:
    who = f" by {proposal.reviewer}" if proposal.reviewer else ""
    when = f" at {proposal.decided_at}" if proposal.decided_at else ""
    return f"changed since you loaded it: it is {proposal.status} now{who}{when}"


def append_lines(path: Path, lines: Sequence[str]) -> None:
    """Append whole lines to `path` in one write (O_APPEND) and flush them to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, "".join(line + "\n" for line in lines).encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def resolve_ids(proposals: Sequence[Proposal], wanted: Iterable[str]) -> list[str]:
    """Full ids for `wanted`, each an id or an unambiguous prefix of one (as git takes short hashes)."""
    ids = [proposal.id for proposal in proposals]
    resolved = []
    for text in wanted:
        if text in ids:
            resolved.append(text)
            continue
        matches = [proposal_id for proposal_id in ids if proposal_id.startswith(text)]
        if len(matches) != 1:
            what = "no proposal" if not matches else f"{len(matches)} proposals"
            raise InputError(f"{what} with id {text!r}", fix="copy the id from `extract review --list`")
        resolved.append(matches[0])
    return resolved


def decide_batch(path: Path, *, approve_ids: Iterable[str] = (), reject_ids: Iterable[str] = (),
                 approve_matching: ProposalFilter | None = None,
                 reject_matching: ProposalFilter | None = None, reviewer: str | None = None,
                 note: str | None = None) -> list[Proposal]:
    """Approve and reject proposals of the review file at `path` without a terminal; return the changed ones.

    `approve_matching` approves every proposal it selects that is pending or rejected;
    `reject_matching` rejects every pending one it selects. An id both approved and rejected is an
    error; so is a decision on a merged proposal (it is in the records).
    """
    proposals = read_review(path).proposals
    by_id = {proposal.id: proposal for proposal in proposals}
    to_approve = resolve_ids(proposals, approve_ids)
    to_reject = resolve_ids(proposals, reject_ids)
    both = set(to_approve) & set(to_reject)
    if both:
        raise InputError(f"{sorted(both)[0]} is both approved and rejected", fix="give each id once")
    if approve_matching is not None:
        open_ones = [p for p in approve_matching.select(proposals) if p.status in ("pending", "rejected")]
        to_approve += [p.id for p in open_ones if p.id not in to_reject]
    if reject_matching is not None:
        to_reject += [p.id for p in reject_matching.select(proposals)
                      if p.status == "pending" and p.id not in to_approve and p.id not in to_reject]
    wanted: dict[str, Action] = {i: "approve" for i in to_approve}
    wanted.update({i: "reject" for i in to_reject})
    requests = [Request(i, action, version(by_id[i]), note=note) for i, action in wanted.items()
                if by_id[i].status != _LOGGED[action] or note not in (None, by_id[i].reviewer_note)]
    for request in requests:
        _apply(by_id[request.id], request)  # a merged proposal is refused before anything is written
    return decide(path, requests, reviewer=reviewer or default_reviewer(), via="batch") if requests else []


def _decide(proposal: Proposal, status: Status) -> Proposal:
    if proposal.status == "merged":
        raise InputError(f"{proposal.id} is merged already",
                         fix="change the record by hand, or propose a new change")
    return proposal.model_copy(update={"status": status})
