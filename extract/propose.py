"""Proposals: facts × country records → field updates, deduplicated, with confidence and conflicts.

For each fact the record's current text decides the operation: `add` when the record lacks the
field, `confirm` when it already says the same (numbers, currencies, enum values and law names
compared normalised), otherwise `set` (the value replaces the field) or `append` (it adds to a
note or list). Facts about a country without a record are counted, never forced onto another
record. Facts that agree give one proposal with several evidence items; independent articles
raise its confidence.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import NamedTuple, Protocol, TypeVar

from rapidfuzz import fuzz

from extract.facts import AMENDED
from extract.fieldpath import slug
from extract.jsonl import dumps
from extract.models import Contract, Evidence, Fact, Op, Proposal

SAME_TEXT_SCORE = 90
# Field texts that say nothing yet: a new value replaces them instead of joining them.
PLACEHOLDERS = frozenset({"", "unknown", "n_a", "none", "not_specified", "unclear", "tbd"})
# Proposals below this confidence stay out of the review file and are counted in the summary: by
# calibration (rules/calibration.json) drafts, plans and rumours fall below it. 0 shows all.
DEFAULT_MIN_CONFIDENCE = 0.5


class FieldLike(Protocol):
    @property
    def text(self) -> str: ...


class RecordLike(Protocol):
    @property
    def file(self) -> str: ...

    def field(self, path: str) -> FieldLike | None: ...


class RunSummary(Contract):
    """What a run found beyond its proposals."""

    facts: int
    proposals: int
    unrecorded: dict[str, int]  # country code → facts about a country that has no record
    unchanged: int  # facts the record already states, from a source it already cites
    below_threshold: int = 0  # proposals under --min-confidence, not shown
    stale: int = 0  # facts from articles older than the record's last update


def proposal_id(country: str, field: str, op: str, new_value: str) -> str:
    normalised = " ".join(new_value.lower().split())
    digest = hashlib.sha256(f"{country}\x1f{field}\x1f{op}\x1f{normalised}".encode()).hexdigest()
    return f"p-{digest[:12]}"


def numbers_in(text: str) -> set[str]:
    """Numbers as digit strings, thousands separators dropped: "$5,000" and "5000" agree."""
    return {
        n.replace(",", "").rstrip("0").rstrip(".") if "." in n else n.replace(",", "")
        for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)
    }


def _law_name(text: str) -> str:
    return re.sub(r"\s*\(\d{4}\)$", "", text.removesuffix(AMENDED)).lower()


def _says_same(old: str, fact: Fact) -> bool:
    """Whether the field's text already states the fact's value."""
    if fact.kind == "enum":
        return slug(old) == slug(fact.value)
    if fact.kind == "amount":
        return numbers_in(fact.value) <= numbers_in(old)
    if fact.kind == "law":
        return _law_name(fact.value) in old.lower()
    if fact.kind == "names":
        return not _missing_names(old, fact.value)
    return fuzz.partial_ratio(fact.value.lower(), old.lower()) >= SAME_TEXT_SCORE


def _missing_names(old: str, names: str) -> str:
    """Of a " / "-separated list of names, the ones `old` does not mention yet."""
    lowered = old.lower()
    return " / ".join(name for name in names.split(" / ") if name.lower() not in lowered)


def decide(fact: Fact, old: str | None) -> tuple[Op, str]:
    """The operation and new value for one fact against the field's current text (None: no field)."""
    if old is None:
        return "add", fact.value.removesuffix(AMENDED)
    if fact.kind == "law" and fact.value.endswith(AMENDED) and _says_same(old, fact):
        # The law the record names was amended: say so in the field, once.
        return ("confirm", old) if "amend" in old.lower() else ("set", old + AMENDED)
    if _says_same(old, fact):
        return "confirm", old
    if fact.mode == "replace":
        return "set", fact.value
    if fact.kind == "names":
        # Records list names with " / " ("AFSA / NBK"): the new name joins that list, or replaces a
        # placeholder ("Unknown").
        if slug(old) in PLACEHOLDERS:
            return "set", fact.value
        return "set", f"{old} / {_missing_names(old, fact.value)}"
    return "append", fact.value.removesuffix(AMENDED)


def _older_than_record(fact: Fact, record: RecordLike) -> bool:
    """The article, or the event it dates ("introduced in 2022"), is older than the record's update."""
    updated = record.field("meta.updated")
    if updated is None:
        return False
    since = updated.text.strip()[:10]
    when = [d for d in (fact.evidence.published, fact.dated) if d]
    # compare at the precision given: "2022" < "2026-04-02", "2026" is not
    return any(d < since[: len(d)] for d in when)


def combined_confidence(confidences: Iterable[float]) -> float:
    """Independent articles agreeing: 1 − Π(1 − c)."""
    remaining = 1.0
    for confidence in confidences:
        remaining *= 1 - confidence
    return round(min(0.99, 1 - remaining), 3)


def propose(
    facts: Iterable[Fact],
    records: Mapping[str, RecordLike],
    record_sources: Mapping[str, set[str]] | None = None,
    *,
    min_confidence: float = 0.0,
) -> tuple[list[Proposal], RunSummary]:
    """The reduce step: group facts by proposal id across all articles."""
    reduce = ProposalReduce(records, record_sources)
    for fact in facts:
        reduce.add(fact)
    return reduce.finish(min_confidence=min_confidence)


class _Quote(NamedTuple):
    """One piece of evidence as the reduce keeps it until the proposals are written: its article and
    span, for ordering and overlap, a digest of its JSON line to tell repeats, and where that line
    is in the reduce's `_EvidenceFile`."""

    article: str
    start: int
    end: int
    digest: bytes
    offset: int
    size: int

    def same(self, other: _Quote) -> bool:
        return self[:4] == other[:4]


class _EvidenceFile:
    """The reduce's evidence as JSON lines in an anonymous temporary file: a run of a million
    articles holds millions of quotes with their sentences, which would otherwise all wait in
    memory for the proposals to be written."""

    def __init__(self) -> None:
        # closed by `close` (the reduce's `finish`); unnamed, so nothing is left behind after a crash
        self.file = tempfile.TemporaryFile(prefix="extract-evidence-")  # noqa: SIM115
        self.size = 0

    def put(self, evidence: Evidence) -> _Quote:
        line = dumps(evidence).encode()
        self.file.write(line)
        quote = _Quote(evidence.article, evidence.start, evidence.end,
                       hashlib.blake2b(line, digest_size=16).digest(), self.size, len(line))
        self.size += len(line)
        return quote

    def get(self, quote: _Quote) -> Evidence:
        self.file.flush()
        return Evidence.model_validate_json(os.pread(self.file.fileno(), quote.size, quote.offset))

    def close(self) -> None:
        self.file.close()


class _Group:
    """One proposal id's facts, kept compact: the first fact (its value, rule, stage), how many
    facts joined, and per article (in order of first appearance) its best confidence and its
    evidence — all the reduce reads of the others, so memory grows with the proposals and their
    quotes' places in the evidence file, not the facts."""

    __slots__ = ("articles", "first", "new_value", "old", "op", "size")

    def __init__(self, first: Fact, new_value: str, op: Op, old: str | None) -> None:
        self.first, self.new_value, self.op, self.old = first, new_value, op, old
        self.size = 0
        self.articles: dict[str, tuple[float, list[_Quote]]] = {}

    def add(self, confidence: float, quote: _Quote) -> None:
        self.size += 1
        best, items = self.articles.get(quote.article, (0.0, []))
        if not _repeats(quote, items):
            items.append(quote)
        self.articles[quote.article] = (max(best, confidence), items)

    def absorb(self, other: _Group) -> None:
        for article, (confidence, items) in other.articles.items():
            best, mine = self.articles.get(article, (0.0, []))
            joined = [*mine, *(q for q in items if not _repeats(q, mine))]
            self.articles[article] = (max(best, confidence), joined)


def _repeats(quote: _Quote, items: list[_Quote]) -> bool:
    """An identical quote again: `_unique_evidence` would drop it as overlapping the first."""
    return quote.start < quote.end and any(quote.same(item) for item in items)


class ProposalReduce:
    """The reduce step fed one fact at a time (`add`), so a run need not keep its facts: `finish`
    gives the same proposals and summary as `propose` over the same facts in the same order."""

    def __init__(self, records: Mapping[str, RecordLike],
                 record_sources: Mapping[str, set[str]] | None = None) -> None:
        self.records = records
        self.record_sources = record_sources or {}
        self.groups: dict[str, _Group] = {}
        self.evidence = _EvidenceFile()
        self.unrecorded: Counter[str] = Counter()
        self.total = self.unchanged = self.stale = 0

    def add(self, fact: Fact) -> None:
        self.total += 1
        record = self.records.get(fact.country)
        if record is None:
            self.unrecorded[fact.country] += 1
            return
        current = record.field(fact.field)
        old = current.text if current is not None else None
        op, new_value = decide(fact, old)
        if fact.confirm_only and op != "confirm":
            return
        if op == "set" and _older_than_record(fact, record):
            # the record was updated after this article: its value is newer than the one contradicting it
            self.stale += 1
            return
        url = (fact.evidence.url or "").rstrip("/")
        if op == "confirm" and url and url in self.record_sources.get(fact.country, set()):
            self.unchanged += 1
            return
        pid = proposal_id(fact.country, fact.field, op, new_value)
        group = self.groups.get(pid)
        if group is None:
            group = self.groups[pid] = _Group(fact, new_value, op, old)
        group.add(fact.confidence, self.evidence.put(fact.evidence))

    def finish(self, *, min_confidence: float = 0.0) -> tuple[list[Proposal], RunSummary]:
        """The proposals and the summary; the reduce is closed after."""
        try:
            return self._finish(min_confidence)
        finally:
            self.evidence.close()

    def _finish(self, min_confidence: float) -> tuple[list[Proposal], RunSummary]:
        # An article that changes a field does not also confirm its old value ("signed amendments to the
        # Law on …": an edit, not a restatement).
        changing = {
            (group.first.country, group.first.field, article)
            for group in self.groups.values()
            if group.op != "confirm"
            for article in group.articles
        }
        proposals = []
        for pid, group in _merge_overlapping_appends(self.groups).items():
            first = group.first
            articles = group.articles
            if group.op == "confirm":
                articles = {article: kept for article, kept in articles.items()
                            if (first.country, first.field, article) not in changing}
                if not articles:
                    continue
            proposals.append(
                Proposal(
                    id=pid,
                    country=first.country,
                    record=self.records[first.country].file,
                    field=first.field,
                    op=group.op,
                    old_value=group.old,
                    new_value=group.new_value,
                    evidence=[
                        self.evidence.get(quote)
                        for quote in _unique_evidence(q for _, items in articles.values() for q in items)
                    ],
                    extractor=first.extractor,
                    confidence=combined_confidence(best for best, _ in articles.values()),
                    stage=first.stage,
                    effective=first.effective,
                )
            )
        shown = _with_conflicts([p for p in proposals if p.confidence >= min_confidence])
        shown.sort(key=lambda p: (p.country, p.field, p.op, p.id))
        return shown, RunSummary(
            facts=self.total,
            proposals=len(shown),
            unrecorded=dict(sorted(self.unrecorded.items())),
            unchanged=self.unchanged,
            below_threshold=len(proposals) - len(shown),
            stale=self.stale,
        )


def _merge_overlapping_appends(groups: dict[str, _Group]) -> dict[str, _Group]:
    """Appends to one field that say the same thing in other words ("Minimum capital KGS 10,000,000,000"
    from one outlet, "Exchanges must hold KGS 10,000,000,000" from another) become one proposal with
    every article's evidence: the same figures, or nearly the same words."""
    merged: dict[str, _Group] = {}
    for pid, group in sorted(groups.items(), key=lambda item: -item[1].size):
        target = None
        if group.op == "append":
            target = next(
                (
                    other_id
                    for other_id, other in merged.items()
                    if other.op == "append"
                    and (other.first.country, other.first.field) == (group.first.country, group.first.field)
                    and _same_append(other.new_value, group.new_value)
                ),
                None,
            )
        if target is None:
            copy = merged[pid] = _Group(group.first, group.new_value, group.op, group.old)
            copy.size = group.size
            copy.absorb(group)
        else:
            merged[target].absorb(group)
    return merged


def _same_append(one: str, other: str) -> bool:
    figures, others = numbers_in(one), numbers_in(other)
    if figures != others:
        return False  # "NGN 1,000,000,000" and "NGN 2,000,000,000" are two facts however alike the words
    likeness = fuzz.token_sort_ratio(one.lower(), other.lower())
    return likeness >= SAME_TEXT_SCORE or bool(figures and likeness >= 50)


class _Spanned(Protocol):
    """What `_unique_evidence` reads of an item: an Evidence, or the reduce's compact `_Quote`."""

    @property
    def article(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


SpannedT = TypeVar("SpannedT", bound=_Spanned)


def _unique_evidence(items: Iterable[SpannedT]) -> list[SpannedT]:
    """Evidence in article order; of overlapping quotes from one article the first is kept."""
    kept: list[SpannedT] = []
    for evidence in sorted(items, key=lambda e: (e.article, e.start, e.end)):
        if not any(k.article == evidence.article and k.start < evidence.end and evidence.start < k.end
                   for k in kept):
            kept.append(evidence)
    return kept


def _with_conflicts(proposals: list[Proposal]) -> list[Proposal]:
    """Rival values for one field (set/add) name each other in `conflicts_with`."""
    rivals: dict[tuple[str, str], list[Proposal]] = {}
    for proposal in proposals:
        if proposal.op in {"set", "add"}:
            rivals.setdefault((proposal.country, proposal.field), []).append(proposal)
    result = []
    for proposal in proposals:
        others = rivals.get((proposal.country, proposal.field), []) if proposal.op in {"set", "add"} else []
        ids = sorted(o.id for o in others if o.id != proposal.id and o.new_value != proposal.new_value)
        result.append(proposal.model_copy(update={"conflicts_with": ids}) if ids else proposal)
    return result
