"""Merging approved proposals: each op, conflicts, idempotence, the ledger, and every crash state."""

from __future__ import annotations

import fcntl
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from proposal_fixtures import (
    APPROVED,
    KG,
    KZ,
    KZ_STATUS,
    approved,
    by_field,
    copy_corpus,
    make_proposals,
    write_review_file,
)

from extract.errors import MergeError
from extract.jsonl import read_models
from extract.merge import MergeReport, Outcome, merge, plan_record, unified_diff
from extract.models import CountryRecord, LedgerEntry, Proposal
from extract.records import add_field, read_record, render_record, set_field, validate_record_bytes
from extract.reviewfile import ReviewFileError

DAY = date(2026, 6, 15)
GOLDEN = Path(__file__).parent / "golden" / "merge"


class Corpus:
    """A writable copy of corpus/ with a review file beside it."""

    def __init__(self, tmp_path: Path, proposals: list[Proposal]) -> None:
        self.root = copy_corpus(tmp_path)
        self.records = self.root / "countries"
        self.ledger = self.root / "ledger.jsonl"
        self.review = write_review_file(tmp_path / "proposals.jsonl", proposals)

    def merge(self, *, force: bool = False, dry_run: bool = False) -> MergeReport:
        return merge(self.review, records_dir=self.records, ledger_path=self.ledger,
                     articles_dir=self.root / "articles", day=DAY, force=force, dry_run=dry_run)

    def state(self) -> dict[str, bytes]:
        files = [*sorted(self.records.iterdir()), self.ledger, self.review]
        return {path.name: path.read_bytes() for path in files if path.exists()}

    def proposals(self) -> list[Proposal]:
        return read_models(self.review, Proposal)

    def ledger_entries(self) -> list[LedgerEntry]:
        return read_models(self.ledger, LedgerEntry) if self.ledger.exists() else []


# --- one record, one proposal at a time (pure) -------------------------------------------------


@pytest.fixture(scope="module")
def kg_record() -> CountryRecord:
    return read_record(Path(__file__).resolve().parent.parent / "corpus" / "countries" / KG)


def plan(record: CountryRecord, *names: str, logged: frozenset[str] = frozenset(),
         force: bool = False) -> tuple[CountryRecord, list[Outcome]]:
    proposals = [p for p in approved(*names) if p.status == "approved"]
    return plan_record(record, proposals, logged=set(logged), day=DAY, force=force)


@pytest.mark.parametrize(("name", "field", "expected"), [
    ("KG licensing.cost", "licensing.cost",
     "$5,000 - $20,000; exchanges: minimum authorised capital KGS 10,000,000,000 from 2026-01-01"),
    ("KG stablecoins.note", "stablecoins.note",
     "Stablecoins are regulated under the Law on Virtual Assets with specific compliance requirements. "
     "Only asset-backed stablecoins may be issued domestically."),
    ("KG licensing.minimum_capital", "licensing.minimum_capital", "KGS 10,000,000,000 (from 2026-01-01)"),
    ("KG licensing.framework", "licensing.framework", "Law on Virtual Assets (2022)"),
])
def test_each_op_changes_its_field(kg_record: CountryRecord, name: str, field: str, expected: str) -> None:
    record, outcomes = plan(kg_record, name)
    assert [o.result for o in outcomes] == ["merged"]
    assert record.field(field).text == expected
    assert record.field("meta.updated").text == "2026-06-15"
    assert record.field("meta.last_reviewed").text == "2026-06-15"
    changed = {path for path, f in record.fields.items() if kg_record.field(path) is None
               or kg_record.field(path).text != f.text}
    # The field, the review dates and (for evidence with a url) the sources; nothing else.
    allowed = {field, "meta.updated", "meta.last_reviewed", "meta.sources", "meta.source_links"}
    assert changed - allowed == set()


def test_confirm_adds_only_the_source_and_the_date(kg_record: CountryRecord) -> None:
    record, _ = plan(kg_record, "KG licensing.framework")
    diff = unified_diff(render_record(kg_record), render_record(record), KG)
    added = [line for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == [
        "+updated: 2026-06-15",
        '+  - name: "https://news.example/kyrgyzstan-virtual-assets-amendments"',
        '+    url: "https://news.example/kyrgyzstan-virtual-assets-amendments"',
        '+    type: "news"',
        "+*Data source: [Soken Crypto Legal Map](https://soken.dev/crypto-map/). Last reviewed: 2026-06-15.*",
        "+- [https://www.nbkr.kg](https://www.nbkr.kg)",  # the old last line, now with its newline
        "+- [https://news.example/kyrgyzstan-virtual-assets-amendments]"
        "(https://news.example/kyrgyzstan-virtual-assets-amendments)",
    ]


def test_a_changed_field_is_a_conflict_unless_forced(kg_record: CountryRecord) -> None:
    edited = set_field(kg_record, "licensing.cost", "$7,000 - $25,000")
    record, outcomes = plan(edited, "KG licensing.cost")
    assert [o.result for o in outcomes] == ["conflict"]
    assert outcomes[0].reason == "the record has '$7,000 - $25,000', the proposal expected '$5,000 - $20,000'"
    assert render_record(record) == render_record(edited)  # not even the review date moves
    forced, outcomes = plan(edited, "KG licensing.cost", force=True)
    assert (outcomes[0].result, outcomes[0].forced, outcomes[0].old) == ("merged", True, "$7,000 - $25,000")
    assert forced.field("licensing.cost").text.startswith("$5,000 - $20,000; exchanges")


def test_a_change_already_in_the_record_is_not_applied_again(kg_record: CountryRecord) -> None:
    names = ("KG licensing.cost", "KG stablecoins.note", "KG licensing.minimum_capital")
    once, _ = plan(kg_record, *names)
    twice, outcomes = plan(once, *names)
    assert [o.result for o in outcomes] == ["in_record"] * 3
    assert render_record(twice) == render_record(once)


def test_a_proposal_in_the_ledger_is_left_alone(kg_record: CountryRecord) -> None:
    note = by_field(make_proposals(), "KG", "stablecoins.note")
    record, outcomes = plan(kg_record, "KG stablecoins.note", logged=frozenset({note.id}))
    assert [o.result for o in outcomes] == ["in_ledger"]
    assert render_record(record) == render_record(kg_record)


def test_two_appends_to_one_field_both_apply(kg_record: CountryRecord) -> None:
    note = by_field(make_proposals(), "KG", "stablecoins.note").model_copy(update={"status": "approved"})
    other = note.model_copy(update={"id": "p-000000000002", "new_value": "Issuers must hold full reserves."})
    record, outcomes = plan_record(kg_record, [note, other], logged=set(), day=DAY, force=False)
    assert [o.result for o in outcomes] == ["merged", "merged"]
    assert record.field("stablecoins.note").text.endswith(
        "requirements. Only asset-backed stablecoins may be issued domestically. "
        "Issuers must hold full reserves.")


def test_two_values_for_one_field_the_second_conflicts(kg_record: CountryRecord) -> None:
    cost = by_field(make_proposals(), "KG", "licensing.cost").model_copy(update={"status": "approved"})
    rival = cost.model_copy(update={"id": "p-000000000003", "new_value": "KGS 10 billion"})
    record, outcomes = plan_record(kg_record, [cost, rival], logged=set(), day=DAY, force=False)
    assert [o.result for o in outcomes] == ["merged", "conflict"]
    assert record.field("licensing.cost").text == cost.new_value


def test_a_confirm_holds_while_the_field_still_says_it(kg_record: CountryRecord) -> None:
    confirm = by_field(approved("KG licensing.framework"), "KG", "licensing.framework")
    amended = confirm.model_copy(update={"id": "p-000000000004", "op": "append", "new_value": "amended 2025"})
    record, outcomes = plan_record(kg_record, [amended, confirm], logged=set(), day=DAY, force=False)
    assert [o.result for o in outcomes] == ["merged", "merged"]
    assert record.field("licensing.framework").text == "Law on Virtual Assets (2022); amended 2025"
    replaced = amended.model_copy(update={"op": "set", "new_value": "Law on Virtual Assets (2025)"})
    _, outcomes = plan_record(kg_record, [replaced, confirm], logged=set(), day=DAY, force=False)
    assert [o.result for o in outcomes] == ["merged", "conflict"]
    assert outcomes[1].reason == "the record says 'Law on Virtual Assets (2025)' now"


def test_a_change_that_would_make_the_record_invalid_is_refused(kg_record: CountryRecord) -> None:
    cost = by_field(make_proposals(), "KG", "licensing.cost").model_copy(update={"status": "approved"})
    status = cost.model_copy(update={"id": "p-000000000005", "field": "overview.status", "old_value": "Legal",
                                     "new_value": "Mostly fine"})
    record, outcomes = plan_record(kg_record, [status, cost], logged=set(), day=DAY, force=True)
    assert [o.result for o in outcomes] == ["refused", "merged"]
    assert outcomes[0].reason.startswith("the record would be invalid: overview.status is 'Mostly fine', "
                                         "not a known value — write one of Legal, Regulated,")
    assert record.field("overview.status").text == "Legal"
    assert record.field("licensing.cost").text == cost.new_value


def test_add_of_a_field_the_record_has_meanwhile_conflicts(kg_record: CountryRecord) -> None:
    edited = add_field(kg_record, "licensing.minimum_capital", "KGS 5,000,000")
    _, outcomes = plan(edited, "KG licensing.minimum_capital")
    assert outcomes[0].reason == "the record has licensing.minimum_capital already: 'KGS 5,000,000'"


# --- the whole protocol on a copy of the corpus ------------------------------------------------


def test_merge_changes_records_logs_and_marks(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved(*APPROVED))
    before = corpus.state()
    report = corpus.merge()
    assert report.summary() == "6 merged, 0 conflicts, 0 already applied"
    after = corpus.state()
    diff = "".join(unified_diff(before[name].decode(), after[name].decode(), name) for name in (KZ, KG))
    golden = GOLDEN / "handmade.diff"
    assert diff == golden.read_text(encoding="utf-8"), "reviewed by eye; see tests/golden/merge/"
    for name in (KG, KZ):
        assert validate_record_bytes(after[name], file=name) == []
    merged = [p.id for p in corpus.proposals() if p.status == "merged"]
    entries = corpus.ledger_entries()
    assert len(merged) == 6
    assert sorted(e.proposal for e in entries) == sorted(merged)
    cost = next(e for e in entries if e.field == "licensing.cost")
    assert (cost.record, cost.op, cost.old) == (KG, "set", "$5,000 - $20,000")
    assert cost.evidence[0].quote in (corpus.root / "articles" / cost.evidence[0].article).read_text()


def test_merging_twice_changes_nothing(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved(*APPROVED))
    corpus.merge()
    once = corpus.state()
    report = corpus.merge()
    assert report.summary() == "0 merged, 0 conflicts, 0 already applied"
    assert corpus.state() == once


def test_a_record_edited_since_gives_a_conflict_and_the_rest_merges(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved("KG licensing.cost", "KG stablecoins.note"))
    kg = corpus.records / KG
    kg.write_text(kg.read_text().replace("| Cost | $5,000 - $20,000 |", "| Cost | $6,000 - $20,000 |"))
    report = corpus.merge()
    assert report.summary() == "1 merged, 1 conflict, 0 already applied"
    assert "| Cost | $6,000 - $20,000 |" in kg.read_text()
    statuses = {p.field: p.status for p in corpus.proposals() if p.country == "KG"}
    assert (statuses["licensing.cost"], statuses["stablecoins.note"]) == ("approved", "merged")
    assert [e.field for e in corpus.ledger_entries()] == ["stablecoins.note"]
    # Forced, the conflicting one goes in too, and is logged with the text it replaced.
    assert corpus.merge(force=True).summary() == "1 merged, 0 conflicts, 0 already applied"
    assert "| Cost | $5,000 - $20,000; exchanges:" in kg.read_text()
    assert corpus.ledger_entries()[-1].old == "$6,000 - $20,000"


def test_dry_run_writes_nothing_and_shows_the_diff(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved(*APPROVED))
    before = corpus.state()
    report = corpus.merge(dry_run=True)
    assert corpus.state() == before
    assert report.diff() == (GOLDEN / "handmade.diff").read_text(encoding="utf-8")


def test_a_review_file_with_problems_merges_nothing(tmp_path: Path) -> None:
    proposals = approved(*APPROVED)
    proposals[0] = proposals[0].model_copy(update={"field": "licensing.costs"})
    proposals[1] = proposals[1].model_copy(update={"record": "../../etc/passwd"})
    proposals[2] = proposals[2].model_copy(update={"country": "KZ"})
    corpus = Corpus(tmp_path, proposals)
    # An article edited since the run: its quotes no longer match.
    article = corpus.root / "articles" / KZ_STATUS
    article.write_text("Breaking: " + article.read_text(encoding="utf-8"), encoding="utf-8")
    before = corpus.state()
    with pytest.raises(ReviewFileError) as caught:
        corpus.merge()
    review = corpus.review
    moved = [f"{review}:{line}: evidence 1 ({KZ_STATUS}): quote no longer matches the article at "
             f"[{p.evidence[0].start}, {p.evidence[0].end}] — re-run extract run, or fix start/end/quote"
             for line, p in enumerate(proposals, start=1) if p.evidence[0].article == KZ_STATUS]
    assert [str(problem) for problem in caught.value.problems] == [
        f"{review}:1: unknown field path 'licensing.costs' — use a field of {KG} or of the field vocabulary "
        "(extract/rules/record_fields.json)",
        f"{review}:2: record '../../etc/passwd' is outside the records folder {corpus.records} — a proposal "
        "may only name a record file inside that folder",
        f"{review}:3: country KZ but {KG} is KG — correct the country or the record",
        *moved,
    ]
    assert len(moved) == 3
    assert corpus.state() == before


def test_an_article_that_cannot_be_found_stops_the_merge(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved("KZ overview.status"))
    (corpus.root / "articles" / KZ_STATUS).unlink()
    before = corpus.state()
    with pytest.raises(ReviewFileError) as raised:
        corpus.merge()
    assert [problem.line for problem in raised.value.problems] == [5, 6, 7]
    assert f"evidence 1 ({KZ_STATUS}): article not found in " in str(raised.value.problems[0])
    assert corpus.state() == before


def test_an_articles_folder_that_is_missing_is_a_warning(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved("KZ overview.status"))
    shutil.rmtree(corpus.root / "articles")
    report = corpus.merge()
    assert report.summary() == "1 merged, 0 conflicts, 0 already applied"
    assert len(report.warnings) == len(make_proposals())
    assert report.warnings[0].startswith(f"warning: {corpus.review}:1: evidence 1 (")
    assert "quote not checked, " in report.warnings[0]


def test_a_record_path_outside_the_folder_is_refused_even_unchecked(tmp_path: Path) -> None:
    from extract.merge import plan_records

    escape = approved("KG licensing.cost")[0].model_copy(update={"record": "../../etc/passwd"})
    with pytest.raises(MergeError, match="outside the records folder"):
        list(plan_records([escape], tmp_path, logged=set(), day=DAY, force=False))


# --- a merge stopped between its steps, then run again -----------------------------------------


def crash_states(corpus: Corpus) -> tuple[dict[str, bytes], dict[str, bytes]]:
    before = corpus.state()
    corpus.merge()
    return before, corpus.state()


@pytest.mark.parametrize("kept", [
    (KZ,),  # stopped after writing the first record (they are written in name order)
    (KG, KZ),  # after both records, before the ledger
    (KG, KZ, "ledger.jsonl"),  # after the ledger, before the review file
])
def test_rerun_after_a_stop_between_steps_ends_like_one_merge(tmp_path: Path, kept: tuple[str, ...]) -> None:
    corpus = Corpus(tmp_path, approved(*APPROVED))
    before, after = crash_states(corpus)
    for name, data in before.items():
        if name not in kept:
            (corpus.records / name if name.endswith(".md") else corpus.review).write_bytes(data)
    if "ledger.jsonl" not in kept:
        corpus.ledger.unlink()
    corpus.merge()
    final = corpus.state()
    assert {name: data for name, data in final.items() if name != "ledger.jsonl"} == {
        name: data for name, data in after.items() if name != "ledger.jsonl"}
    assert sorted(e.proposal for e in corpus.ledger_entries()) == sorted(
        e.proposal for e in read_models_bytes(after["ledger.jsonl"]))


def read_models_bytes(data: bytes) -> list[LedgerEntry]:
    return [LedgerEntry.model_validate_json(line) for line in data.decode().splitlines()]


def test_left_over_temporary_files_are_removed(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved("KG licensing.cost"))
    stale = corpus.records / f".{KG}.abc123.tmp"
    stale.write_text("half a record")
    corpus.merge()
    assert not stale.exists()


def test_a_record_with_bom_and_crlf_keeps_them(tmp_path: Path) -> None:
    plain = Corpus(tmp_path / "plain", approved(*APPROVED))
    plain.merge()
    windows = Corpus(tmp_path / "windows", approved(*APPROVED))
    kg = windows.records / KG
    kg.write_bytes(b"\xef\xbb\xbf" + kg.read_bytes().replace(b"\n", b"\r\n"))
    windows.merge()
    merged = kg.read_bytes()
    assert merged.startswith(b"\xef\xbb\xbf")
    assert merged.count(b"\n") == merged.count(b"\r\n")
    assert merged[3:].replace(b"\r\n", b"\n") == (plain.records / KG).read_bytes()


def test_merges_of_one_folder_take_turns(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path, approved(*APPROVED))
    before = corpus.state()
    held = os.open(corpus.records, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a merge running in another process holds it
        with pytest.raises(MergeError, match="another merge is running on this folder"):
            corpus.merge()
    finally:
        os.close(held)
    assert corpus.state() == before
    assert corpus.merge().summary() == "6 merged, 0 conflicts, 0 already applied"
