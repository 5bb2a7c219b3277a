"""Decisions on proposals: which ones to look at, and approve / reject / edit, one or many at a time.

Pure functions over Proposal models plus `decide_batch`, which saves through `extract.reviewfile`.
A decision changes only `status`, `reviewer_note` and, for an edit, `new_value` (contract.md).
The interactive loop is `extract.reviewui`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from extract.errors import InputError
from extract.models import Proposal, Status
from extract.reviewfile import read_review, save_changes


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
    """Approve `proposal` with the reviewer's own value."""
    if proposal.op == "confirm":
        raise InputError("a confirmation has no new value to edit", where=proposal.id,
                         fix="approve or reject it")
    value = new_value.strip()
    if not value:
        raise InputError("an edited value cannot be empty", where=proposal.id,
                         fix="reject the proposal instead")
    return _decide(proposal, "approved").model_copy(update={"new_value": value})


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
                 approve_matching: ProposalFilter | None = None) -> list[Proposal]:
    """Approve and reject proposals of the review file at `path` without a terminal; return the changed ones.

    `approve_matching` approves every proposal it selects that is pending or rejected. An id both
    approved and rejected is an error; so is a decision on a merged proposal (it is in the records).
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
    changed = {proposal_id: approve(by_id[proposal_id]) for proposal_id in to_approve}
    changed |= {proposal_id: reject(by_id[proposal_id]) for proposal_id in to_reject}
    changed = {proposal_id: new for proposal_id, new in changed.items() if new != by_id[proposal_id]}
    if changed:
        save_changes(path, changed)
    return [changed[proposal.id] for proposal in proposals if proposal.id in changed]


def _decide(proposal: Proposal, status: Status) -> Proposal:
    if proposal.status == "merged":
        raise InputError(f"{proposal.id} is merged already",
                         fix="change the record by hand, or propose a new change")
    return proposal.model_copy(update={"status": status})
