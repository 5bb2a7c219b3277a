"""Record health: per field, when a source last confirmed it, how many outlets back it, what is pending.

Pure functions over records, the ledger and the review file's proposals; `extract status` and
`extract history` read the files and print. Nothing here imports spaCy or dateparser: the report
on a large map starts and finishes in well under two seconds (bench/bench_status.py).

- A field was last *confirmed* when the newest source behind its newest ledger entry (a change or a
  merged confirm) was published, else when that entry was merged. A field the ledger never touched
  counts from the record's `updated` date — or from the record's first merge, if earlier, since a
  merge moves `updated` for the whole record.
- A field is *stale* when nothing confirmed it within the window (default 12 months), *expired*
  when its value states an end ("exempt until 2027") that has passed — the end of the period
  named: "until 2027" ends on 2027-12-31.
- *Outlets* are independent sources: evidence items from one outlet (the url's host), or with the
  same quote (two copies of one wire story), count once.
- A *contradiction* is two or more values for one field: pending proposals against each other, or a
  pending one against the value a source confirmed within the window. The suggestion is the newer
  enacted claim; the reason says why.
- A pending proposal is *superseded* when a later article on the same field revises it: a draft
  amended, or a date moved (`supersede`, called when the inbox is updated).
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import Field

from extract.models import Contract, CountryRecord, Decision, Evidence, LedgerEntry, Proposal

DEFAULT_WINDOW_MONTHS = 12
# The claim stages that are law (extract.claims.ENACTED; not imported: claims costs 0.4 s to import).
SETTLED_STAGES = frozenset({"signed", "enacted", "in_force"})
Freshness = Literal["fresh", "stale", "expired", "unknown"]
# Worst first: a section's cell takes the colour of its worst field.
FRESHNESS_ORDER: tuple[Freshness, ...] = ("expired", "stale", "unknown", "fresh")

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_END = re.compile(
    r"\b(?:until|till|through|thru|to|expires?|expiring|ends?|lapses?)\s+(?:the\s+end\s+of\s+)?"
    rf"(?:(?P<iso>\d{{4}}-\d{{2}}(?:-\d{{2}})?)|(?:(?P<day>\d{{1,2}})\s+)?(?:(?P<month>{_MONTH})\.?\s+)?"
    r"(?P<year>(?:19|20)\d{2}))\b",
    re.IGNORECASE,
)
# A date a record can say "from": a day, month or year ("XXXX-09-09", its year unknown, is not one).
CALENDAR_DATE = re.compile(r"\d{4}(?:-\d{2}){0,2}")
_HOST = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/?#]*@)?([^:/?#]+)")
_WORD = re.compile(r"\w+")
_FROM = re.compile(r"\bfrom (\d{4}-\d{2}-\d{2})\b")


class FieldHealth(Contract):
    """One field of one record: its value, when it was last confirmed, what backs it, what is pending."""

    country: str
    record: str
    field: str
    value: str | None = Field(description="The record's text; null for a field only proposals name.")
    confirmed: str | None = Field(description="ISO date a source last confirmed or changed it.")
    basis: Literal["ledger", "record", "none"] = Field(
        description="Where `confirmed` comes from: a ledger entry, the record's updated date, or nowhere."
    )
    outlets: int = Field(description="Independent outlets behind the value since it was last set.")
    pending: list[str] = Field(description="Ids of the pending proposals for this field.")
    ends: str | None = Field(description="ISO date the value says it runs to, if it says one.")
    freshness: Freshness
    reason: str = Field(description="Why the field has its freshness, in a few words.")


class Side(Contract):
    """One of the values a contradiction sets against each other."""

    proposal: str | None = Field(description="The proposal id; null for the record's confirmed value.")
    value: str
    stage: str | None = Field(description="The claim's stage; 'recorded' for the record's value.")
    effective: str | None = None
    published: str | None = Field(description="The newest evidence's publication date.")
    outlets: int
    evidence: list[Evidence] = Field(description="The evidence, newest first.")


class Contradiction(Contract):
    """Two or more values for one field; the sides in the order suggested, the first one suggested."""

    country: str
    record: str
    field: str
    sides: list[Side] = Field(min_length=2)
    reason: str = Field(description="Why the first side is the suggestion.")


class Upcoming(Contract):
    """A change that takes effect after today: pending or approved, or merged as '… from DATE'."""

    date: str
    country: str
    field: str
    value: str
    proposal: str | None = Field(description="The proposal id; null for a value the record holds.")
    status: str = Field(description="pending, approved, or 'recorded' for a value in the record.")


class StatusReport(Contract):
    """What `extract status` reports: every field's health, the contradictions, the upcoming changes."""

    as_of: str = Field(description="The day the report is for, ISO 8601.")
    window_months: int
    fields: list[FieldHealth]
    contradictions: list[Contradiction]
    upcoming: list[Upcoming]


# --- dates --------------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """`day` moved back by whole months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def end_date(text: str) -> str | None:
    """The last day of the period a value says it runs to ("exempt until 2027" → 2027-12-31), or None."""
    found = None
    for match in _END.finditer(text):
        if match["iso"]:
            parts = [int(part) for part in match["iso"].split("-")]
            year, month = parts[0], parts[1]
            day = parts[2] if len(parts) == 3 else calendar.monthrange(year, month)[1]
        else:
            year = int(match["year"])
            month = _MONTHS[match["month"].lower()] if match["month"] else 12
            day = int(match["day"]) if match["day"] else calendar.monthrange(year, month)[1]
        try:
            iso = date(year, month, day).isoformat()
        except ValueError:
            continue
        found = max(found or iso, iso)
    return found


def _day(timestamp: str | None) -> str | None:
    return timestamp[:10] if timestamp else None


def newest_published(evidence: Iterable[Evidence]) -> str | None:
    return max((e.published for e in evidence if e.published), default=None)


# --- outlets ------------------------------------------------------------------------------------


def outlet(evidence: Evidence) -> str:
    """The outlet an evidence item comes from: its url's host, else its article."""
    host = _HOST.match(evidence.url) if evidence.url else None
    return host[1].lower().removeprefix("www.") if host else f"article:{evidence.article}"


def _fingerprint(quote: str) -> str:
    return " ".join(_WORD.findall(quote.casefold()))


def independent_outlets(evidence: Sequence[Evidence]) -> int:
    """How many independent sources the evidence comes from: one outlet counts once, and so does
    one quote however many outlets carry it (two copies of a wire story are one source)."""
    if len(evidence) < 2:
        return len(evidence)
    outlets = [outlet(item) for item in evidence]
    quotes = [_fingerprint(item.quote) for item in evidence]
    # Each quote on one outlet only, or each outlet with one quote only: nothing joins two sources.
    if len(set(quotes)) == len(evidence):
        return len(set(outlets))
    if len(set(outlets)) == len(evidence):
        return len(set(quotes))
    # Outlets and quotes are the nodes of a graph, each evidence item an edge between its two: the
    # sources are its connected components, counted as nodes minus the edges that joined two.
    parent: dict[tuple[bool, str], tuple[bool, str]] = {}

    def root(node: tuple[bool, str]) -> tuple[bool, str]:
        while (up := parent.setdefault(node, node)) != node:
            parent[node] = parent.get(up, up)
            node = up
        return node

    joined = 0
    for item_outlet, quote in zip(outlets, quotes, strict=True):
        one, other = root((True, item_outlet)), root((False, quote))
        if one != other:
            parent[one] = other
            joined += 1
    return len(parent) - joined


# --- status -------------------------------------------------------------------------------------


@dataclass
class LedgerDigest:
    """What status needs of a ledger: per (record, field) the entries behind its current value (from
    its last set or add on, in ledger order), and per record when it was first merged into."""

    behind: dict[tuple[str, str], list[LedgerEntry]] = field(default_factory=dict)
    first_merge: dict[str, str] = field(default_factory=dict)


def digest_ledger(entries: Iterable[LedgerEntry]) -> LedgerDigest:
    digest = LedgerDigest()
    for entry in entries:
        key = (entry.record, entry.field)
        if entry.op in ("set", "add") or key not in digest.behind:
            digest.behind[key] = []
        digest.behind[key].append(entry)
        digest.first_merge[entry.record] = min(digest.first_merge.get(entry.record, entry.when), entry.when)
    return digest


def status_report(records: Mapping[str, CountryRecord], ledger: LedgerDigest | Iterable[LedgerEntry],
                  proposals: Sequence[Proposal], *, today: date,
                  window_months: int = DEFAULT_WINDOW_MONTHS) -> StatusReport:
    """The health of every field of `records` (meta fields aside) on `today`."""
    since = months_before(today, window_months).isoformat()
    digest = ledger if isinstance(ledger, LedgerDigest) else digest_ledger(ledger)
    by_field, first_merge = digest.behind, digest.first_merge
    pending: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        if proposal.status == "pending":
            pending[(proposal.record, proposal.field)].append(proposal)

    rows: list[FieldHealth] = []
    contradictions: list[Contradiction] = []
    upcoming: list[Upcoming] = []
    for code, record in sorted(records.items()):
        updated = record.field("meta.updated")
        record_day = min(d for d in (_day(updated.text.strip() if updated else None),
                                     _day(first_merge.get(record.file))) if d) \
            if updated or record.file in first_merge else None
        paths = [path for path in record.fields if not path.startswith("meta.")]
        paths += sorted({f for (name, f) in pending if name == record.file and f not in record.fields})
        for path in paths:
            found = record.field(path)
            value = found.text if found is not None else None
            entries = by_field.get((record.file, path), [])
            open_ones = pending.get((record.file, path), [])
            row = field_health(code, record.file, path, value, entries, open_ones, record_day=record_day,
                               today=today, since=since)
            rows.append(row)
            contradiction = find_contradiction(row, entries, open_ones, since=since)
            if contradiction is not None:
                contradictions.append(contradiction)
            if value is not None:
                upcoming += [Upcoming(date=when, country=code, field=path, value=value, proposal=None,
                                      status="recorded")
                             for when in sorted(set(_FROM.findall(value))) if when > today.isoformat()]
    for proposal in proposals:
        if proposal.status in ("pending", "approved") and proposal.effective \
                and CALENDAR_DATE.fullmatch(proposal.effective) and proposal.effective > today.isoformat():
            upcoming.append(Upcoming(date=proposal.effective, country=proposal.country, field=proposal.field,
                                     value=proposal.new_value, proposal=proposal.id, status=proposal.status))
    upcoming.sort(key=lambda u: (u.date, u.country, u.field, u.proposal or ""))
    return StatusReport(as_of=today.isoformat(), window_months=window_months, fields=rows,
                        contradictions=contradictions, upcoming=upcoming)


def field_health(country: str, record: str, path: str, value: str | None, entries: Sequence[LedgerEntry],
                 pending: Sequence[Proposal], *, record_day: str | None, today: date,
                 since: str) -> FieldHealth:
    """One field's row; `entries` are the ledger entries behind its value, in ledger order."""
    basis: Literal["ledger", "record", "none"]
    if entries:
        last = entries[-1]
        confirmed: str | None = newest_published(last.evidence) or _day(last.when)
        basis = "ledger"
    else:
        confirmed, basis = record_day, "record" if record_day else "none"
    outlets = independent_outlets([e for entry in entries for e in entry.evidence])
    ends = end_date(value) if value else None
    freshness: Freshness
    if value is None:
        freshness, reason = "unknown", "not in the record yet"
    elif ends is not None and ends < today.isoformat():
        freshness, reason = "expired", f"its end date {ends} has passed"
    elif confirmed is None:
        freshness, reason = "unknown", "no date: neither the ledger nor the record says when"
    elif confirmed < since:
        freshness, reason = "stale", f"last confirmed {confirmed}, before {since}"
    else:
        by = "a source" if basis == "ledger" else "the record"
        freshness, reason = "fresh", f"confirmed {confirmed} by {by}"
    return FieldHealth(country=country, record=record, field=path, value=value, confirmed=confirmed,
                       basis=basis, outlets=outlets, pending=sorted(p.id for p in pending), ends=ends,
                       freshness=freshness, reason=reason)


# --- contradictions -----------------------------------------------------------------------------


def proposal_side(proposal: Proposal) -> Side:
    return Side(proposal=proposal.id, value=proposal.new_value, stage=proposal.stage,
                effective=proposal.effective, published=newest_published(proposal.evidence),
                outlets=independent_outlets(proposal.evidence), evidence=_newest_first(proposal.evidence))


def _newest_first(evidence: Iterable[Evidence]) -> list[Evidence]:
    return sorted(evidence, key=lambda e: e.published or "", reverse=True)


def find_contradiction(row: FieldHealth, entries: Sequence[LedgerEntry], pending: Sequence[Proposal], *,
                       since: str) -> Contradiction | None:
    """The contradiction on one field, if its pending proposals disagree with each other or with a
    value confirmed since `since`."""
    rivals = [p for p in pending if p.op in ("set", "add")]
    sides = [proposal_side(p) for p in rivals]
    recent = row.basis == "ledger" and row.confirmed is not None and row.confirmed >= since
    if row.value is not None and rivals and recent:
        evidence = [e for entry in entries for e in entry.evidence]
        sides.append(Side(proposal=None, value=row.value, stage="recorded", published=row.confirmed,
                          outlets=row.outlets, evidence=_newest_first(evidence)))
    if len({side.value for side in sides}) < 2:
        return None
    return contradiction(row.country, row.record, row.field, sides)


def contradiction(country: str, record: str, field: str, sides: Sequence[Side]) -> Contradiction:
    """The sides ordered best first: enacted before not yet law, then newer, then more outlets."""
    ordered = sorted(sides, key=_rank)
    best, other = ordered[0], ordered[1]
    return Contradiction(country=country, record=record, field=field, sides=ordered,
                         reason=_reason(best, other))


def _settled(side: Side) -> bool:
    return side.stage is None or side.stage == "recorded" or side.stage in SETTLED_STAGES


def _rank(side: Side) -> tuple[bool, str, int, str]:
    # max date first: negate by sorting on the complement of each character
    newest = "".join(chr(0x10FFFF - ord(ch)) for ch in (side.published or ""))
    return (not _settled(side), newest, -side.outlets, side.proposal or "")


def _reason(best: Side, other: Side) -> str:
    what = "the record's confirmed value" if best.proposal is None else "the newer enacted claim"
    if _settled(best) and not _settled(other):
        return f"{what}: it is law ({best.stage or 'enacted'}), the other is {other.stage}"
    if (best.published or "") > (other.published or ""):
        return f"{what}: published {best.published}, the other {other.published or 'undated'}"
    if best.outlets > other.outlets:
        return f"{what}: {best.outlets} independent outlets against {other.outlets}"
    return "no side is newer or better backed: decide by the evidence"


# --- superseding --------------------------------------------------------------------------------


def supersedes(newer: Proposal, older: Proposal) -> bool:
    """Whether `newer` revises `older`: one field, a later article, and `older` a draft that was
    amended (not law when said) or a date that moved (both state when they take effect)."""
    if (newer.country, newer.field) != (older.country, older.field) or newer.new_value == older.new_value:
        return False
    if newer.op == "confirm" or older.op == "confirm":
        return False
    if "append" in (newer.op, older.op) and newer.extractor != older.extractor:
        return False  # two notes on one field are two facts unless one rule said both
    new_day, old_day = newest_published(newer.evidence), newest_published(older.evidence)
    if new_day is None or old_day is None or new_day <= old_day:
        return False
    draft = older.stage is not None and older.stage not in SETTLED_STAGES
    moved = bool(older.effective and newer.effective and older.effective != newer.effective)
    return draft or moved


def supersede(proposals: Sequence[Proposal]) -> tuple[list[Proposal], int]:
    """`proposals` with every pending one that a later pending proposal revises marked superseded,
    and how many were marked."""
    by_field: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        if proposal.status == "pending":
            by_field[(proposal.country, proposal.field)].append(proposal)
    marked = {older.id for group in by_field.values() for older in group
              if any(supersedes(newer, older) for newer in group)}
    result = [p.model_copy(update={"status": "superseded"}) if p.id in marked else p for p in proposals]
    return result, len(marked)


# --- history ------------------------------------------------------------------------------------


class HistoryEvent(Contract):
    """One step in a field's history: a version from git, a review decision, or a merge."""

    when: str = Field(description="ISO 8601 date or timestamp.")
    kind: Literal["first version", "decision", "merged"]
    value: str | None = Field(description="The field's value after this step (a decision: the proposal's).")
    op: str | None = None
    proposal: str | None = None
    action: str | None = Field(None, description="A decision's action: approved, rejected, edited …")
    who: str | None = Field(None, description="The reviewer, or for git the commit's author.")
    note: str | None = None
    commit: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)


def field_history(record: str, field: str, ledger: Iterable[LedgerEntry], decisions: Iterable[Decision],
                  proposals: Iterable[Proposal], *, first: HistoryEvent | None = None) -> list[HistoryEvent]:
    """Every step of one field, oldest first: `first` (from git), then decisions and merges by time."""
    merged = [entry for entry in ledger if entry.record == record and entry.field == field]
    known = {p.id: p for p in proposals if p.record == record and p.field == field}
    ids = set(known) | {entry.proposal for entry in merged}
    events = [HistoryEvent(when=entry.when, kind="merged", value=entry.new, op=entry.op,
                           proposal=entry.proposal, who=entry.reviewer, note=entry.reviewer_note,
                           evidence=list(entry.evidence))
              for entry in merged]
    for decision in decisions:
        if decision.proposal in ids:
            proposal = known.get(decision.proposal)
            events.append(HistoryEvent(when=decision.when, kind="decision", value=decision.new_value,
                                       op=proposal.op if proposal else None, proposal=decision.proposal,
                                       action=decision.action, who=decision.reviewer,
                                       note=decision.reviewer_note,
                                       evidence=list(proposal.evidence) if proposal else []))
    # a decision and its merge in the same second: the decision first
    events.sort(key=lambda e: (e.when, e.kind != "decision"))
    return ([first] if first else []) + events


# --- text ---------------------------------------------------------------------------------------


def contradiction_lines(item: Contradiction, *, width: int = 100) -> list[str]:
    """A contradiction as text: the suggestion and why, then each side with its dates and evidence."""
    suggested = item.sides[0].proposal or "the record's value"
    lines = [f"  {item.country} {item.field}: {len(item.sides)} values; "
             f"suggested {suggested} — {item.reason}"]
    for number, side in enumerate(item.sides):
        lines += side_lines(side, suggested=number == 0, width=width)
    return lines


def side_lines(side: Side, *, suggested: bool, width: int = 100) -> list[str]:
    """One side: its value, stage, dates and outlets, then its newest evidence quote."""
    mark = "→" if suggested else " "
    who = side.proposal or "record"
    facts = [side.stage or "stage unknown", f"published {side.published or 'undated'}"]
    if side.effective:
        facts.append(f"effective {side.effective}")
    facts.append(f"{side.outlets} outlet{'s' * (side.outlets != 1)}")
    lines = [_clip(f"   {mark} {who}: {' '.join(side.value.split())}", width),
             _clip(f"       {' · '.join(facts)}", width)]
    if side.evidence:
        item = side.evidence[0]
        source = item.url or item.article
        lines.append(_clip(f"       “{' '.join(item.quote.split())}” ({source})", width))
    return lines


def _clip(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
