"""`extract run` on the shipped corpus: the proposals a curator must see, and the batch's promises."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import CORPUS

from extract.jsonl import read_models
from extract.models import Proposal

KG_VA = "kg-virtual-assets-amendments.txt"
KG_RESERVE = "kg-bitcoin-reserve-state-mining.txt"
KZ = "kz-regulatory-status.txt"


@pytest.fixture(scope="module")
def proposals(corpus_run):
    return read_models(corpus_run[0], Proposal)


def find(proposals, country, field, article=None, op=None):
    return [
        p
        for p in proposals
        if p.country == country
        and p.field == field
        and (op is None or p.op == op)
        and (article is None or any(e.article == article for e in p.evidence))
    ]


def test_001_stablecoins_as_a_short_note_and_no_cbdc_change(proposals):
    [note] = find(proposals, "KG", "stablecoins.note", KG_VA, "append")
    assert note.new_value.startswith("USDKG:")
    assert len(note.new_value) < 120  # one short statement, not the pasted sentence
    assert not find(proposals, "KG", "cbdc.status")  # a stablecoin story says nothing of the CBDC


def test_001_state_mining_from_the_signed_amendments(proposals):
    [note] = find(proposals, "KG", "mining.note", KG_VA, "append")
    assert "state-backed mining" in note.new_value


def test_001_framework_is_the_amended_law_on_virtual_assets(proposals):
    [framework] = find(proposals, "KG", "licensing.framework", KG_VA)
    assert framework.op == "set"  # an edit, and no confirm of the old value beside it
    assert framework.old_value == "Law on Virtual Assets (2022)"
    assert framework.new_value == "Law on Virtual Assets (2022), as amended"


def test_001_sanctions_target_kyrgyzstan_from_the_a7a5_evidence(proposals):
    [sanctions] = find(proposals, "KG", "geopolitics.sanctions", KG_VA)
    assert (sanctions.op, sanctions.old_value, sanctions.new_value) == ("set", "No", "Partial")
    quotes = [e.quote for e in sanctions.evidence]
    assert any("sanctioned entities linked to the coin" in q for q in quotes)


def test_003_the_drafts_capital_is_no_licence_cost(proposals, pipeline):
    """The minimum capital of article 003 is in draft amendments ("The draft overhauls market rules.
    Sydykov stated that starting January 1, 2026, …"): a low-confidence draft note, not the cost."""
    from extract.claims import claims_for_article
    from extract.facts import facts_for_article
    from extract.ingest import iter_articles

    assert not find(proposals, "KG", "licensing.cost")
    [article] = [a for a in iter_articles([CORPUS / "articles" / KG_RESERVE])]
    analyzed = next(pipeline.analyze([article]))
    facts = facts_for_article(analyzed, claims_for_article(analyzed), pipeline.short_names)
    [draft] = [f for f in facts if "10,000,000,000" in f.value or "10 billion" in f.value]
    assert draft.field == "licensing.note" and draft.stage in {"drafted", "proposed"}
    assert draft.value.startswith(("Draft:", "Proposed:")) and draft.confidence < 0.5
    assert draft.evidence.quote.startswith("Sydykov stated that starting January 1, 2026")


def test_003_kazakhstans_reserve_plan_never_lands_on_kg(proposals):
    kg_quotes = [e.quote for p in proposals if p.country == "KG" for e in p.evidence]
    assert not any("Neighboring Kazakhstan" in q for q in kg_quotes)


def test_003_distractors_make_no_proposal(proposals):
    assert not find(proposals, "KG", "mining.electricity_cost")
    assert not any("112,684" in p.new_value or "112684" in p.new_value for p in proposals)
    assert not any(
        "800" in p.new_value and "kilowatt" in p.new_value.lower()
        for p in proposals
        if p.field != "mining.note"
    )


def test_004_regulators_framework_and_cbdc(proposals):
    regulator = find(proposals, "KZ", "licensing.regulator", KZ, "confirm")
    assert regulator and "NBK" in regulator[0].new_value and "AFSA" in regulator[0].new_value
    framework = [p.new_value for p in find(proposals, "KZ", "licensing.framework", KZ, "append")]
    assert "Law on Digital Assets (2023)" in framework
    # the digital tenge is named only inside the unsigned banking law: no word on the CBDC's status
    assert not find(proposals, "KZ", "cbdc.status", KZ)
    [status] = find(proposals, "KZ", "overview.status", KZ, "confirm")
    assert status.new_value == "Legal"


def test_every_evidence_quote_is_the_article_text(proposals):
    texts = {p.name: p.read_text(encoding="utf-8") for p in (CORPUS / "articles").iterdir()}
    for proposal in proposals:
        for evidence in proposal.evidence:
            text = texts[evidence.article]
            assert text[evidence.start : evidence.end] == evidence.quote
            assert evidence.start <= evidence.highlight[0] <= evidence.highlight[1] <= evidence.end


def test_ids_are_unique_and_conflicts_point_at_rivals(proposals):
    ids = {p.id for p in proposals}
    assert len(ids) == len(proposals)
    for proposal in proposals:
        for rival in proposal.conflicts_with:
            assert rival in ids


def run_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "extract", "run", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(CORPUS / "articles", tmp_path / "articles")
    shutil.copytree(CORPUS / "countries", tmp_path / "countries")
    return tmp_path


def test_two_runs_are_byte_identical_and_keep_review_decisions(workspace):
    args = [
        "articles",
        "--records",
        "countries",
        "-o",
        "out/proposals.jsonl",
        "--mentions",
        "out/mentions.jsonl",
    ]
    first = run_cli(*args, cwd=workspace)
    assert first.returncode == 0, first.stderr
    proposals_bytes = (workspace / "out/proposals.jsonl").read_bytes()
    mentions_bytes = (workspace / "out/mentions.jsonl").read_bytes()
    second = run_cli(*args, cwd=workspace)
    assert second.returncode == 0
    assert (workspace / "out/proposals.jsonl").read_bytes() == proposals_bytes
    assert (workspace / "out/mentions.jsonl").read_bytes() == mentions_bytes
    assert "0 new" in second.stderr and "0 withdrawn" in second.stderr

    # a reviewer approves one proposal and edits another; a re-run keeps both decisions
    lines = [json.loads(line) for line in proposals_bytes.decode().splitlines()]
    lines[0]["status"] = "approved"
    lines[1].update(status="approved", new_value="edited by hand", reviewer_note="shorter")
    (workspace / "out/proposals.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    third = run_cli(*args, cwd=workspace)
    assert third.returncode == 0
    after = {p.id: p for p in read_models(workspace / "out/proposals.jsonl", Proposal)}
    assert after[lines[0]["id"]].status == "approved"
    assert (after[lines[1]["id"]].new_value, after[lines[1]["id"]].reviewer_note) == (
        "edited by hand",
        "shorter",
    )


def test_a_bad_article_is_listed_and_the_batch_goes_on(workspace):
    (workspace / "articles" / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (workspace / "articles" / "empty.txt").write_text("  \n")
    result = run_cli("articles", "--records", "countries", "-o", "out/p.jsonl", cwd=workspace)
    assert result.returncode == 1
    assert "broken.txt" in result.stderr and "empty.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert read_models(workspace / "out/p.jsonl", Proposal)


def test_two_jobs_give_the_same_output_as_one(workspace):
    one = run_cli("articles", "--records", "countries", "-o", "one.jsonl", cwd=workspace)
    two = run_cli("articles", "--records", "countries", "-o", "two.jsonl", "--jobs", "2", cwd=workspace)
    assert one.returncode == two.returncode == 0, two.stderr
    assert (workspace / "one.jsonl").read_bytes() == (workspace / "two.jsonl").read_bytes()


def test_facts_about_countries_without_a_record_are_counted_not_proposed(workspace):
    (workspace / "articles" / "uz.txt").write_text(
        "Uzbekistan banned cryptocurrency trading for residents. The National Agency for Perspective "
        "Projects said exchanges must hold a minimum capital of $1 million.\n"
    )
    result = run_cli("articles", "--records", "countries", "-o", "p.jsonl", cwd=workspace)
    assert result.returncode == 0
    assert "UZ" in result.stderr.split("without a record:")[1]
    assert not [p for p in read_models(workspace / "p.jsonl", Proposal) if p.country not in {"KG", "KZ"}]


def test_missing_folder_is_a_one_line_error(workspace):
    result = run_cli("no-such-folder", "--records", "countries", cwd=workspace)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no-such-folder" in result.stderr


def test_a_confirm_from_a_source_the_record_already_cites_is_not_proposed(workspace):
    (workspace / "articles" / "afsa.md").write_text(
        "---\ntitle: AFSA notice\nurl: https://www.afsa.kz/\npublished: 2026-05-02\n---\n"
        "Kazakhstan's CBDC, the digital tenge, was launched and is in circulation, the AFSA said.\n"
    )
    result = run_cli("articles", "--records", "countries", "-o", "p.jsonl", cwd=workspace)
    assert result.returncode == 0, result.stderr
    cbdc = [p for p in read_models(workspace / "p.jsonl", Proposal) if p.field == "cbdc.status"]
    assert not any(e.article == "afsa.md" for p in cbdc for e in p.evidence)
    # the same notice from a source the record does not cite is a confirm
    (workspace / "articles" / "afsa.md").write_text(
        (workspace / "articles" / "afsa.md").read_text().replace("https://www.afsa.kz/", "https://example.org/n")
    )
    result = run_cli("articles", "--records", "countries", "-o", "q.jsonl", cwd=workspace)
    cbdc = [p for p in read_models(workspace / "q.jsonl", Proposal) if p.field == "cbdc.status"]
    assert [(p.op, p.new_value) for p in cbdc if any(e.article == "afsa.md" for e in p.evidence)] == [
        ("confirm", "launched")
    ]
