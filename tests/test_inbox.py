"""The review file is an inbox: runs add to it, and nothing pending or decided is lost (issue 8)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS
from proposal_fixtures import make_proposals

from extract.batch import drop_merged_confirms, merged_sources, run, update_inbox
from extract.errors import InputError
from extract.jsonl import read_models
from extract.models import LedgerEntry, Proposal
from extract.review import decide_batch
from extract.unrecorded import read_unrecorded, unrecorded_path

ARTICLE = "kz-regulatory-status.txt"


# --- the rule, on hand-made proposals --------------------------------------------------------------


def test_a_proposal_found_again_keeps_its_decision_and_gains_evidence() -> None:
    proposals = make_proposals()
    decided = proposals[0].model_copy(update={"status": "approved", "new_value": "edited",
                                              "reviewer": "ana", "reviewer_note": "shorter"})
    found_again = proposals[0].model_copy(update={"evidence": [
        proposals[0].evidence[0].model_copy(update={"article": "other.txt"})]})
    inbox, counts = update_inbox([found_again], [decided], processed={"other.txt"})
    [kept] = [p for p in inbox if p.id == decided.id]
    assert (kept.status, kept.new_value, kept.reviewer, kept.reviewer_note) == (
        "approved", "edited", "ana", "shorter")
    assert [e.article for e in kept.evidence] == sorted([proposals[0].evidence[0].article, "other.txt"])
    assert counts == {"new": 0, "updated": 1, "kept": 0, "carried": 0, "withdrawn": 0, "superseded": 0}


def test_withdrawn_only_when_every_backing_article_was_processed_again() -> None:
    pending = make_proposals()[1]
    article = pending.evidence[0].article
    # Other articles processed: the proposal stays as it was.
    inbox, counts = update_inbox([], [pending], processed={"unrelated.txt"})
    assert inbox == [pending] and counts["carried"] == 1 and counts["withdrawn"] == 0
    # Its article processed and silent now: withdrawn.
    inbox, counts = update_inbox([], [pending], processed={article})
    assert inbox == [] and counts["withdrawn"] == 1
    # Backed by two articles, one processed again: it stays, with the other's evidence only.
    second = pending.evidence[0].model_copy(update={"article": "second.txt"})
    two = pending.model_copy(update={"evidence": [pending.evidence[0], second]})
    inbox, counts = update_inbox([], [two], processed={article})
    assert [e.article for e in inbox[0].evidence] == ["second.txt"] and counts["updated"] == 1


@pytest.mark.parametrize("status", ["approved", "rejected", "merged"])
def test_a_decided_proposal_is_never_withdrawn(status: str) -> None:
    decided = make_proposals()[1].model_copy(update={"status": status})
    inbox, counts = update_inbox([], [decided], processed={decided.evidence[0].article})
    assert inbox == [decided] and counts["withdrawn"] == 0


def test_a_merged_change_is_not_confirmed_again_by_its_own_article() -> None:
    proposals = make_proposals()
    merged = proposals[0].model_copy(update={"status": "merged"})
    confirm = merged.model_copy(update={"id": "p-confirm", "op": "confirm", "status": "pending",
                                        "old_value": merged.new_value})
    elsewhere = confirm.model_copy(update={"evidence": [
        confirm.evidence[0].model_copy(update={"article": "new-article.txt"})]})
    kept, dropped = drop_merged_confirms([confirm], merged_sources([merged], []))
    assert (kept, dropped) == ([], 1)
    kept, dropped = drop_merged_confirms([elsewhere], merged_sources([merged], []))
    assert (kept, dropped) == ([elsewhere], 0)  # another article confirming it is news
    entry = LedgerEntry(when="2026-01-01T00:00:00Z", record=merged.record, field=merged.field, op="set",
                        old=merged.old_value, new=merged.new_value, proposal=merged.id,
                        evidence=merged.evidence)
    assert drop_merged_confirms([confirm], merged_sources([], [entry])) == ([], 1)  # the ledger too


# --- real runs ---------------------------------------------------------------------------------------


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A workspace after one run over the corpus, with one proposal approved and one rejected."""
    shutil.copytree(CORPUS / "articles", tmp_path / "articles")
    shutil.copytree(CORPUS / "countries", tmp_path / "countries")
    output = tmp_path / "out" / "proposals.jsonl"
    run([tmp_path / "articles"], tmp_path / "countries", output)
    proposals = read_models(output, Proposal)
    assert len(proposals) >= 4
    decide_batch(output, approve_ids=[proposals[0].id], reject_ids=[proposals[1].id], reviewer="ana")
    return output


def _run(output: Path, folder: Path) -> object:
    return run([folder], output.parent.parent / "countries", output)


@pytest.mark.parametrize("kind", ["empty", "unsupported"])
def test_a_run_over_a_folder_without_articles_keeps_the_file_byte_for_byte(inbox: Path, kind: str) -> None:
    folder = inbox.parent.parent / kind
    folder.mkdir()
    if kind == "unsupported":
        (folder / "report.pdf").write_bytes(b"%PDF-1.4 not an article")
        (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    before = inbox.read_bytes()
    # a folder with nothing to read is refused (exit 2 from the CLI) and the inbox is left as it was
    with pytest.raises(InputError, match="no articles found"):
        _run(inbox, folder)
    assert inbox.read_bytes() == before


def test_a_run_over_another_folder_keeps_every_line_and_adds_its_own(inbox: Path) -> None:
    folder = inbox.parent.parent / "other"
    folder.mkdir()
    (folder / "kz-new.txt").write_text(
        "Kazakhstan news\n\nKazakhstan's regulator said on Monday that crypto exchanges must hold a "
        "minimum capital of $5 million from 2027.\n", encoding="utf-8")
    before = inbox.read_bytes().splitlines()
    report = _run(inbox, folder)
    after = inbox.read_bytes().splitlines()
    assert set(before) <= set(after)  # every pending and decided proposal, byte for byte
    assert report.withdrawn == 0  # type: ignore[attr-defined]
    assert len(after) - len(before) == report.new  # type: ignore[attr-defined]


def test_an_article_that_no_longer_says_it_withdraws_only_its_own_pending_proposals(inbox: Path) -> None:
    previous = read_models(inbox, Proposal)
    only_from_it = [p for p in previous if {e.article for e in p.evidence} == {ARTICLE}]
    expected = [p.id for p in only_from_it if p.status == "pending"]
    assert expected, "the corpus article should back some proposals alone"
    (inbox.parent.parent / "articles" / ARTICLE).write_text("A quiet day.\n\nNothing happened.\n")
    report = _run(inbox, inbox.parent.parent / "articles")
    after = {p.id: p for p in read_models(inbox, Proposal)}
    assert report.withdrawn == len(expected)  # type: ignore[attr-defined]
    assert not set(expected) & set(after)
    for proposal in previous:
        if proposal.status != "pending":
            assert after[proposal.id].status == proposal.status  # decisions survive


def test_a_broken_inbox_is_refused_and_replace_starts_afresh_keeping_a_copy(inbox: Path) -> None:
    text = inbox.read_text(encoding="utf-8")
    inbox.write_text(text + "{not json\n", encoding="utf-8")
    before = inbox.read_bytes()
    workspace = inbox.parent.parent
    refused = subprocess.run([sys.executable, "-m", "extract", "run", "articles", "--records", "countries",
                              "-o", "out/proposals.jsonl"], cwd=workspace, capture_output=True, text=True,
                             timeout=300)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "--replace" in refused.stderr and "line" in refused.stderr
    assert inbox.read_bytes() == before
    report = run([workspace / "articles"], workspace / "countries", inbox, replace=True)
    assert inbox.with_name("proposals.jsonl.bak").read_bytes() == before
    assert report.new == len(read_models(inbox, Proposal))


def test_facts_about_countries_without_a_record_are_kept_in_a_side_file(inbox: Path) -> None:
    workspace = inbox.parent.parent
    (workspace / "articles" / "uz.txt").write_text(
        "Uzbekistan crypto rules\n\nUzbekistan banned cryptocurrency trading for residents. Exchanges "
        "must hold a minimum capital of $1 million, the regulator said.\n", encoding="utf-8")
    report = _run(inbox, workspace / "articles")
    facts = read_unrecorded(unrecorded_path(inbox))
    assert facts and {fact.country for fact in facts} == {"UZ"}
    assert report.unrecorded_facts == len(facts)  # type: ignore[attr-defined]
    listed = subprocess.run([sys.executable, "-m", "extract", "review", str(inbox), "--unrecorded"],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0
    assert len(listed.stdout.splitlines()) == len(facts)

