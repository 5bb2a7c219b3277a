"""Record health on records, ledgers, review files and decision logs written here, by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.cli import cli
from extract.errors import InputError
from extract.health import (
    SETTLED_STAGES,
    FieldHealth,
    StatusReport,
    end_date,
    field_history,
    independent_outlets,
    months_before,
    status_report,
    supersede,
)
from extract.jsonl import read_models, write_models
from extract.merge import plan_record
from extract.models import Decision, Evidence, LedgerEntry, Proposal
from extract.propose import proposal_id
from extract.records import parse_record

FILE = "country--freedonia.md"
RECORD = """\
---
type: country
aliases: ["FD"]
created: 2024-01-05
updated: {updated}
---

#  Freedonia (FD) — Crypto Regulation

> Freedonia allows crypto trading under its digital asset law.

## Tax

| Type | Rate |
|------|------|
| Capital Gains (Personal) | {gains} |

## Licensing

| Field | Value |
|-------|-------|
| Required | Yes |
| Cost | $10,000 |
"""


def record_text(updated: str = "2025-01-10", gains: str = "10%") -> str:
    return RECORD.format(updated=updated, gains=gains)


def evidence(
    quote: str, *, url: str | None = None, published: str | None = None, article: str | None = None
) -> Evidence:
    return Evidence(
        article=article or f"{abs(hash((quote, url))) % 10**8}.txt",
        start=0,
        end=len(quote),
        quote=quote,
        highlight=(0, 4),
        published=published,
        url=url,
    )


def entry(
    field: str,
    new: str,
    when: str,
    *items: Evidence,
    op: str = "set",
    old: str | None = None,
    reviewer: str | None = "Ana",
    proposal: str | None = None,
) -> LedgerEntry:
    return LedgerEntry(
        when=when,
        record=FILE,
        field=field,
        op=op,
        old=old,
        new=new,
        proposal=proposal or proposal_id("FD", field, op, new),
        evidence=list(items),
        reviewer=reviewer,
    )


def proposal(
    field: str,
    new: str,
    *items: Evidence,
    op: str = "set",
    stage: str | None = "enacted",
    effective: str | None = None,
    status: str = "pending",
    extractor: str = "rule:fee",
    old: str | None = "$10,000",
) -> Proposal:
    return Proposal(
        id=proposal_id("FD", field, op, new),
        country="FD",
        record=FILE,
        field=field,
        op=op,
        old_value=old,
        new_value=new,
        evidence=list(items),
        extractor=extractor,
        confidence=0.8,
        status=status,
        stage=stage,
        effective=effective,
    )


def report(
    text: str = "",
    ledger: list[LedgerEntry] | None = None,
    proposals: list[Proposal] | None = None,
    today: date = date(2026, 3, 1),
    window: int = 12,
) -> StatusReport:
    record = parse_record(text or record_text(), file=FILE)
    return status_report({"FD": record}, ledger or [], proposals or [], today=today, window_months=window)


def row(found: StatusReport, field: str) -> FieldHealth:
    return next(f for f in found.fields if f.field == field)


# --- staleness --------------------------------------------------------------------------------


def test_a_field_nothing_confirmed_within_the_window_is_stale() -> None:
    found = report(today=date(2026, 3, 1))  # the record was updated 2025-01-10
    cost = row(found, "licensing.cost")
    assert (cost.freshness, cost.basis, cost.confirmed) == ("stale", "record", "2025-01-10")
    assert row(report(today=date(2026, 3, 1), window=24), "licensing.cost").freshness == "fresh"
    assert row(report(today=date(2026, 1, 9)), "licensing.cost").freshness == "fresh"
    assert not any(f.field.startswith("meta.") for f in found.fields)


def test_a_merged_confirm_refreshes_the_field_from_its_sources_date() -> None:
    confirm = entry(
        "licensing.cost",
        "$10,000",
        "2026-02-20T10:00:00Z",
        evidence("The licence costs $10,000.", url="https://a.example/x", published="2025-11-30"),
        op="confirm",
        old="$10,000",
    )
    found = report(ledger=[confirm])
    cost = row(found, "licensing.cost")
    assert (cost.freshness, cost.basis, cost.confirmed, cost.outlets) == ("fresh", "ledger", "2025-11-30", 1)
    # the merge moved the record's `updated`; other fields still count from before that merge
    assert (
        row(report(record_text(updated="2026-02-20"), ledger=[confirm]), "licensing.required").confirmed
        == "2026-02-20"
    )
    assert (
        row(report(record_text(updated="2026-02-20"), ledger=[confirm]), "licensing.required").freshness
        == "fresh"
    )
    old_merge = entry("licensing.cost", "$10,000", "2024-05-01T00:00:00Z", op="confirm")
    found = report(record_text(updated="2026-02-20"), ledger=[old_merge])
    assert row(found, "licensing.required").confirmed == "2024-05-01"
    assert row(found, "licensing.required").freshness == "stale"


def test_a_value_whose_end_date_has_passed_is_expired() -> None:
    text = record_text(updated="2026-02-01", gains="0% (exempt until 2027)")
    assert row(report(text, today=date(2026, 12, 1)), "tax.capital_gains_personal").freshness == "fresh"
    gains = row(report(text, today=date(2028, 1, 2)), "tax.capital_gains_personal")
    assert (gains.freshness, gains.ends) == ("expired", "2027-12-31")
    assert "2027-12-31" in gains.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0% (exempt until 2027)", "2027-12-31"),
        ("Exempt until 30 June 2026", "2026-06-30"),
        ("Licences valid through 2026-09", "2026-09-30"),
        ("A moratorium that expires 2025-03-15, then 15%", "2025-03-15"),
        ("Banned until the end of March 2026", "2026-03-31"),
        ("15% from 2024-01-01", None),
        ("10/100", None),
    ],
)
def test_end_dates_read_from_values(text: str, expected: str | None) -> None:
    assert end_date(text) == expected


def test_months_before_keeps_the_day_or_the_months_last() -> None:
    assert months_before(date(2026, 3, 1), 12) == date(2025, 3, 1)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


# --- outlets ----------------------------------------------------------------------------------


def test_two_copies_of_one_wire_story_are_one_source() -> None:
    wire = "The central bank said on Tuesday that exchanges must pay a $12,000 licence fee."
    copies = [
        evidence(wire, url="https://daily-one.example/a", published="2026-01-02"),
        evidence(wire.upper() + "  ", url="https://www.other-paper.example/b", published="2026-01-02"),
    ]
    assert independent_outlets(copies) == 1
    own = evidence("Exchanges will pay $12,000, officials told our reporter.", url="https://third.example/c")
    assert independent_outlets([*copies, own]) == 2
    same_outlet = evidence("A second story on the fee.", url="https://third.example/d")
    assert independent_outlets([*copies, own, same_outlet]) == 2
    # without urls each article is its own outlet
    assert independent_outlets([evidence("One."), evidence("Two.")]) == 2
    assert independent_outlets([]) == 0


def test_outlets_count_from_the_last_change_on() -> None:
    old = entry(
        "licensing.cost",
        "$9,000",
        "2025-06-01T00:00:00Z",
        evidence("Fee is $9,000.", url="https://one.example/a", published="2025-05-30"),
    )
    change = entry(
        "licensing.cost",
        "$10,000",
        "2025-12-01T00:00:00Z",
        evidence("Fee rose to $10,000.", url="https://two.example/a", published="2025-11-29"),
    )
    confirm = entry(
        "licensing.cost",
        "$10,000",
        "2026-01-10T00:00:00Z",
        evidence("The fee of $10,000 stands.", url="https://three.example/a", published="2026-01-09"),
        evidence("The fee of $10,000 stands.", url="https://four.example/a", published="2026-01-09"),
        op="confirm",
    )
    cost = row(report(ledger=[old, change, confirm]), "licensing.cost")
    assert (cost.outlets, cost.confirmed) == (2, "2026-01-09")


# --- contradictions ---------------------------------------------------------------------------


def test_pending_rivals_are_a_contradiction_the_newer_enacted_suggested() -> None:
    older = proposal(
        "licensing.cost",
        "$12,000",
        evidence("The fee is $12,000.", url="https://one.example/a", published="2026-01-05"),
    )
    newer = proposal(
        "licensing.cost",
        "$15,000",
        evidence("The fee is now $15,000.", url="https://two.example/a", published="2026-02-10"),
    )
    draft = proposal(
        "licensing.cost",
        "$20,000",
        evidence(
            "A bill would set the fee at $20,000.", url="https://three.example/a", published="2026-02-20"
        ),
        stage="drafted",
    )
    found = report(proposals=[older, draft, newer])
    [item] = found.contradictions
    assert [side.value for side in item.sides] == ["$15,000", "$12,000", "$20,000"]
    assert item.sides[0].proposal == newer.id
    assert "published 2026-02-10" in item.reason
    assert row(found, "licensing.cost").pending == sorted([older.id, newer.id, draft.id])


def test_enacted_beats_a_newer_draft() -> None:
    law = proposal(
        "licensing.cost",
        "$12,000",
        evidence("The fee is $12,000.", url="https://one.example/a", published="2026-01-05"),
    )
    plan = proposal(
        "licensing.cost",
        "$20,000",
        evidence("A bill would raise it to $20,000.", url="https://two.example/a", published="2026-02-20"),
        stage="proposed",
    )
    [item] = report(proposals=[plan, law]).contradictions
    assert item.sides[0].proposal == law.id
    assert "it is law" in item.reason and "proposed" in item.reason


def test_a_pending_value_against_a_recently_confirmed_one() -> None:
    confirm = entry(
        "licensing.cost",
        "$10,000",
        "2026-02-01T00:00:00Z",
        evidence("The fee stays at $10,000.", url="https://one.example/a", published="2026-01-30"),
        op="confirm",
    )
    rival = proposal(
        "licensing.cost",
        "$8,000",
        evidence("The fee is $8,000.", url="https://two.example/a", published="2025-12-01"),
    )
    [item] = report(ledger=[confirm], proposals=[rival]).contradictions
    assert [side.proposal for side in item.sides] == [None, rival.id]
    assert (
        item.sides[0].stage == "recorded" and item.sides[0].evidence[0].quote == "The fee stays at $10,000."
    )
    # a value confirmed long ago is not "recent": the proposal alone is no contradiction
    stale = confirm.model_copy(update={"when": "2024-02-01T00:00:00Z", "evidence": []})
    assert report(ledger=[stale], proposals=[rival]).contradictions == []


def test_contradictions_in_the_terminal_review_screen() -> None:
    from extract.reviewui import render_proposal

    older = proposal(
        "licensing.cost",
        "$12,000",
        evidence("The fee is $12,000.", url="https://one.example/a", published="2026-01-05"),
    )
    newer = proposal(
        "licensing.cost",
        "$15,000",
        evidence("The fee is now $15,000.", url="https://two.example/a", published="2026-02-10"),
    )
    older = older.model_copy(update={"conflicts_with": [newer.id]})
    screen = render_proposal(older, 1, 1, color=False, width=120, rivals=[newer])
    assert "contradiction" in screen.lower()
    assert f"→ {newer.id}: $15,000" in screen and "published 2026-02-10" in screen
    assert "The fee is now $15,000." in screen and "published 2026-01-05" in screen


# --- upcoming and superseded ------------------------------------------------------------------


def test_upcoming_changes_by_date() -> None:
    text = record_text(updated="2026-02-01").replace(
        "| Cost | $10,000 |", "| Cost | $10,000 from 2026-09-01 |"
    )
    later = proposal(
        "tax.capital_gains_personal",
        "15%",
        evidence("Tax rises to 15% in July.", published="2026-02-01"),
        effective="2026-07-01",
        old="10%",
    )
    past = proposal(
        "licensing.required",
        "No",
        evidence("No licence needed since 2025.", published="2026-02-01"),
        effective="2025-01-01",
        old="Yes",
    )
    upcoming = report(text, proposals=[later, past]).upcoming
    assert [(u.date, u.field, u.status) for u in upcoming] == [
        ("2026-07-01", "tax.capital_gains_personal", "pending"),
        ("2026-09-01", "licensing.cost", "recorded"),
    ]


def test_merging_a_change_not_yet_in_effect_writes_from_when() -> None:
    record = parse_record(record_text(updated="2026-02-01"), file=FILE)
    later = proposal(
        "licensing.cost",
        "$15,000",
        evidence("From July the fee is $15,000.", published="2026-02-01"),
        effective="2026-07-01",
        status="approved",
    )
    merged, [outcome] = plan_record(record, [later], logged=set(), day=date(2026, 3, 1), force=False)
    assert outcome.result == "merged"
    assert merged.field("licensing.cost").text == "$15,000 from 2026-07-01"  # type: ignore[union-attr]
    # merged again (a killed merge re-run) it is in the record already
    _, [again] = plan_record(merged, [later], logged=set(), day=date(2026, 3, 1), force=False)
    assert again.result == "in_record"
    # once in effect, the value goes in as it is
    now, _ = plan_record(record, [later], logged=set(), day=date(2026, 7, 2), force=False)
    assert now.field("licensing.cost").text == "$15,000"  # type: ignore[union-attr]


def test_a_later_article_supersedes_a_pending_draft_or_a_moved_date() -> None:
    draft = proposal(
        "licensing.note",
        "Draft: exchanges would pay $20,000.",
        evidence("A draft sets the fee at $20,000.", published="2026-01-05"),
        op="append",
        stage="drafted",
        extractor="rule:fee_draft",
        old="x",
    )
    amended = proposal(
        "licensing.note",
        "Draft: exchanges would pay $25,000.",
        evidence("The amended draft sets the fee at $25,000.", published="2026-02-01"),
        op="append",
        stage="drafted",
        extractor="rule:fee_draft",
        old="x",
    )
    other_rule = proposal(
        "licensing.note",
        "Draft: miners would register.",
        evidence("Miners would register under the draft.", published="2026-02-03"),
        op="append",
        stage="drafted",
        extractor="rule:mining_draft",
        old="x",
    )
    first_date = proposal(
        "tax.capital_gains_personal",
        "15% from 2026-05-01",
        evidence("15% from May.", published="2026-01-02"),
        effective="2026-05-01",
        old="10%",
    )
    moved = proposal(
        "tax.capital_gains_personal",
        "15% from 2026-08-01",
        evidence("15% now from August.", published="2026-02-02"),
        effective="2026-08-01",
        old="10%",
    )
    law_a = proposal("licensing.cost", "$12,000", evidence("Fee $12,000.", published="2026-01-02"))
    law_b = proposal("licensing.cost", "$15,000", evidence("Fee $15,000.", published="2026-02-02"))
    decided = proposal(
        "licensing.cost",
        "$11,000",
        evidence("Fee $11,000.", published="2025-12-02"),
        stage="drafted",
        status="rejected",
    )
    result, count = supersede([draft, amended, other_rule, first_date, moved, law_a, law_b, decided])
    status = {p.id: p.status for p in result}
    assert status[draft.id] == "superseded" and status[first_date.id] == "superseded"
    assert status[amended.id] == status[other_rule.id] == status[moved.id] == "pending"
    # two enacted values are a contradiction for the reviewer, not a silent replacement
    assert status[law_a.id] == status[law_b.id] == "pending"
    assert status[decided.id] == "rejected" and count == 2
    assert [p.id for p in result] == [
        p.id for p in [draft, amended, other_rule, first_date, moved, law_a, law_b, decided]
    ]


def test_the_inbox_marks_superseded_proposals(tmp_path: Path) -> None:
    from extract.batch import update_inbox

    old = proposal(
        "licensing.note",
        "Draft: exchanges would pay $20,000.",
        evidence("A draft sets the fee at $20,000.", published="2026-01-05", article="a.txt"),
        op="append",
        stage="drafted",
        extractor="rule:fee_draft",
        old="x",
    )
    new = proposal(
        "licensing.note",
        "Draft: exchanges would pay $25,000.",
        evidence("The amended draft sets the fee at $25,000.", published="2026-02-01", article="b.txt"),
        op="append",
        stage="drafted",
        extractor="rule:fee_draft",
        old="x",
    )
    inbox, counts = update_inbox([new], [old], processed={"b.txt"})
    assert {p.id: p.status for p in inbox} == {old.id: "superseded", new.id: "pending"}
    assert counts["superseded"] == 1


def test_settled_stages_are_the_claims_stages_enacted() -> None:
    from extract.claims import ENACTED

    assert SETTLED_STAGES == ENACTED


# --- history ----------------------------------------------------------------------------------


def test_history_merges_the_ledger_and_the_decision_log_in_time_order() -> None:
    first = proposal(
        "licensing.cost",
        "$12,000",
        evidence("The fee is $12,000.", url="https://one.example/a", published="2025-05-01"),
    )
    second = proposal(
        "licensing.cost", "$15,000", evidence("The fee is $15,000.", published="2026-01-01"), old="$12,000"
    )
    other = proposal("licensing.required", "No", evidence("No licence.", published="2026-01-01"), old="Yes")
    decisions = [
        Decision(
            when="2025-05-03T09:00:00Z",
            proposal=first.id,
            action="approved",
            status="approved",
            previous_status="pending",
            reviewer="Ana",
            new_value="$12,000",
            via="terminal",
        ),
        Decision(
            when="2026-01-03T09:00:00Z",
            proposal=second.id,
            action="rejected",
            status="rejected",
            previous_status="pending",
            reviewer="Bo",
            reviewer_note="one blog only",
            new_value="$15,000",
            via="web",
        ),
        Decision(
            when="2026-01-04T09:00:00Z",
            proposal=other.id,
            action="approved",
            status="approved",
            previous_status="pending",
            reviewer="Bo",
            new_value="No",
            via="web",
        ),
        Decision(
            when="2026-01-05T09:00:00Z",
            proposal=second.id,
            action="edited",
            status="approved",
            previous_status="rejected",
            reviewer="Cy",
            new_value="$14,000",
            proposed_value="$15,000",
            via="terminal",
        ),
    ]
    ledger = [
        entry(
            "licensing.cost",
            "$12,000",
            "2025-05-04T10:00:00Z",
            *first.evidence,
            old="$10,000",
            proposal=first.id,
        ),
        entry(
            "licensing.cost",
            "$14,000",
            "2026-01-06T10:00:00Z",
            *second.evidence,
            old="$12,000",
            proposal=second.id,
            reviewer="Cy",
        ),
    ]
    events = field_history(FILE, "licensing.cost", list(reversed(ledger)), decisions, [first, second, other])
    assert [(e.kind, e.action, e.value, e.who) for e in events] == [
        ("decision", "approved", "$12,000", "Ana"),
        ("merged", None, "$12,000", "Ana"),
        ("decision", "rejected", "$15,000", "Bo"),
        ("decision", "edited", "$14,000", "Cy"),
        ("merged", None, "$14,000", "Cy"),
    ]
    assert events[1].evidence[0].quote == "The fee is $12,000." and events[2].note == "one blog only"


# --- the commands -----------------------------------------------------------------------------


def workspace(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    records.mkdir()
    (records / FILE).write_text(record_text(), encoding="utf-8")
    newer = proposal(
        "licensing.cost",
        "$15,000",
        evidence("The fee is now $15,000.", url="https://two.example/a", published="2026-02-10"),
    )
    older = proposal(
        "licensing.cost",
        "$12,000",
        evidence("The fee is $12,000.", url="https://one.example/a", published="2026-01-05"),
    )
    write_models(tmp_path / "proposals.jsonl", [older, newer])
    write_models(
        tmp_path / "ledger.jsonl",
        [
            entry(
                "tax.capital_gains_personal",
                "10%",
                "2026-01-10T00:00:00Z",
                evidence("Gains are taxed at 10%.", url="https://one.example/t", published="2026-01-08"),
                op="confirm",
            )
        ],
    )
    return records


def test_status_prints_json_when_piped(tmp_path: Path) -> None:
    records = workspace(tmp_path)
    result = CliRunner(env={"XDG_CACHE_HOME": str(tmp_path / "cache")}).invoke(
        cli, ["status", str(records), "--review", str(tmp_path / "proposals.jsonl"), "--date", "2026-03-01"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    fields = {f["field"]: f for f in data["fields"]}
    assert fields["tax.capital_gains_personal"]["freshness"] == "fresh"
    assert fields["licensing.cost"]["freshness"] == "stale"
    assert len(fields["licensing.cost"]["pending"]) == 2
    assert data["contradictions"][0]["sides"][0]["value"] == "$15,000"
    assert "1 contradictions" in result.stderr


def test_status_and_history_import_neither_spacy_nor_dateparser(tmp_path: Path) -> None:
    records = workspace(tmp_path)
    code = (
        "import sys\nfrom extract.cli import cli\n"
        "for args in ({status}, {history}):\n"
        "    try:\n        cli(args)\n    except SystemExit as exc:\n        assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'dateparser', 'thinc')))\n"
    )
    status = [str(records), "--review", str(tmp_path / "proposals.jsonl"), "--html", str(tmp_path / "s.html")]
    history = [
        "FD",
        "licensing.cost",
        "--records",
        str(records),
        "--review",
        str(tmp_path / "proposals.jsonl"),
    ]
    done = subprocess.run(
        [sys.executable, "-c", code.format(status=["status", *status], history=["history", *history])],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_fast_ledger_digest_equals_the_whole_read(tmp_path: Path) -> None:
    from extract.cli.status import read_ledger, read_ledger_digest
    from extract.health import digest_ledger

    items = [
        entry(
            "licensing.cost",
            "$9,000",
            "2025-06-01T00:00:00Z",
            evidence("Fee $9,000.", published="2025-05-30"),
        ),
        entry(
            "licensing.cost",
            "$10,000",
            "2025-12-01T00:00:00Z",
            evidence("Fee $10,000.", published="2025-11-29"),
        ),
        entry(
            "licensing.cost",
            "$10,000",
            "2026-01-10T00:00:00Z",
            evidence("Fee stays.", published="2026-01-09"),
            op="confirm",
        ),
        entry("tax.capital_gains_personal", "10%", "2024-01-10T00:00:00Z", op="confirm"),
    ]
    path = tmp_path / "ledger.jsonl"
    lines = [item.model_dump_json() for item in items]
    # a line written by hand, keys in another order: read whole
    lines[1] = json.dumps(dict(reversed(list(json.loads(lines[1]).items()))), indent=None)
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    fast, whole = read_ledger_digest(path), digest_ledger(read_ledger(path))
    assert fast == whole
    assert [e.new for e in fast.behind[(FILE, "licensing.cost")]] == ["$10,000", "$10,000"]
    assert fast.first_merge == {FILE: "2024-01-10T00:00:00Z"}
    path.write_text(
        lines[0] + "\n" + lines[2].replace('"op":"confirm"', '"op":"delete"') + "\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"ledger.jsonl:2: op"):
        read_ledger_digest(path)


def test_history_command_starts_from_the_records_first_version_in_git(tmp_path: Path) -> None:
    records = workspace(tmp_path)
    git = ["git", "-C", str(tmp_path), "-c", "user.name=Dee", "-c", "user.email=dee@example.org"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    (records / FILE).write_text(record_text().replace("| Cost | $10,000 |\n", ""), encoding="utf-8")
    subprocess.run([*git, "add", "records"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first", "--date", "2024-01-05T10:00:00Z"], check=True)
    (records / FILE).write_text(record_text(), encoding="utf-8")
    subprocess.run([*git, "commit", "-q", "-am", "cost", "--date", "2024-02-05T10:00:00Z"], check=True)
    _, second = read_models(tmp_path / "proposals.jsonl", Proposal)
    write_models(
        tmp_path / "proposals.decisions.jsonl",
        [
            Decision(
                when="2026-02-11T09:00:00Z",
                proposal=second.id,
                action="approved",
                status="approved",
                previous_status="pending",
                reviewer="Ana",
                reviewer_note="two outlets",
                new_value="$15,000",
                via="web",
            )
        ],
    )
    write_models(
        tmp_path / "ledger.jsonl",
        [
            entry(
                "licensing.cost",
                "$15,000",
                "2026-02-12T08:00:00Z",
                *second.evidence,
                old="$10,000",
                proposal=second.id,
            )
        ],
    )
    result = CliRunner(env={"XDG_CACHE_HOME": str(tmp_path / "cache")}).invoke(
        cli,
        [
            "history",
            "fd",
            "licensing.cost",
            "--records",
            str(records),
            "--review",
            str(tmp_path / "proposals.jsonl"),
        ],
    )
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["kind"], e["value"], e["who"]) for e in events] == [
        ("first version", "$10,000", "Dee"),
        ("decision", "$15,000", "Ana"),
        ("merged", "$15,000", "Ana"),
    ]
    assert events[0]["when"].startswith("2024-02-05")
    assert (
        events[1]["note"] == "two outlets" and events[2]["evidence"][0]["quote"] == "The fee is now $15,000."
    )
    assert result.stderr.strip() == "now: $10,000"
    missing = CliRunner(env={"XDG_CACHE_HOME": str(tmp_path / "cache")}).invoke(
        cli, ["history", "FD", "licensing.colour", "--records", str(records)]
    )
    assert missing.exit_code == 2 and "has no field licensing.colour" in missing.stderr


def test_the_record_cache_parses_an_edited_record_again(tmp_path: Path) -> None:
    from extract.recordcache import load_records_cached
    from extract.records import load_records

    records = workspace(tmp_path)
    cache = tmp_path / "cache"
    first = load_records_cached(records, cache)
    assert first == load_records(records) and len(list(cache.glob("*.json"))) == 1
    assert load_records_cached(records, cache) == first  # read from the cache
    (records / FILE).write_text(record_text(gains="12%"), encoding="utf-8")
    edited = load_records_cached(records, cache)["FD"]
    assert edited.field("tax.capital_gains_personal").text == "12%"  # type: ignore[union-attr]
    for entry_file in cache.glob("*.json"):
        entry_file.write_text('{"file": "torn', encoding="utf-8")
    assert load_records_cached(records, cache) == load_records(records)
