"""Decisions on proposals: filters, approve/reject/edit, id prefixes, and the batch review command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from proposal_fixtures import by_field, make_proposals, write_review_file

from extract.cli import cli
from extract.errors import InputError
from extract.jsonl import read_models
from extract.models import Proposal
from extract.review import ProposalFilter, approve, decide_batch, edit, reject, resolve_ids


@pytest.fixture
def proposals() -> list[Proposal]:
    return make_proposals()


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    return write_review_file(tmp_path / "proposals.jsonl")


@pytest.mark.parametrize(("selection", "expected"), [
    (ProposalFilter(), 7),
    (ProposalFilter(countries=frozenset({"KZ"})), 3),
    (ProposalFilter(field="licensing.*"), 4),
    (ProposalFilter(field="*.note"), 2),
    (ProposalFilter(field="licensing.cost"), 1),
    (ProposalFilter(field="Licensing.*"), 0),  # field paths are slugs: the glob is case-sensitive
    (ProposalFilter(min_confidence=0.8), 3),
    (ProposalFilter(min_confidence=0.7), 5),  # the bound is inclusive
    (ProposalFilter(countries=frozenset({"KG"}), field="licensing.*", min_confidence=0.7), 2),
    (ProposalFilter(statuses=frozenset({"approved"})), 0),
    (ProposalFilter(statuses=frozenset({"pending", "approved"})), 7),
])
def test_filter_selects(proposals: list[Proposal], selection: ProposalFilter, expected: int) -> None:
    assert len(selection.select(proposals)) == expected


def test_decisions_touch_only_status_and_the_values(proposals: list[Proposal]) -> None:
    cost = by_field(proposals, "KG", "licensing.cost")
    assert approve(cost) == cost.model_copy(update={"status": "approved"})
    assert reject(cost) == cost.model_copy(update={"status": "rejected"})
    edited = edit(cost, "  $5,000 - $20,000; exchanges: KGS 10 billion  ")
    assert edited == cost.model_copy(update={"status": "approved",
                                             "new_value": "$5,000 - $20,000; exchanges: KGS 10 billion",
                                             "proposed_value": cost.new_value})


def test_an_edit_cannot_empty_the_value(proposals: list[Proposal]) -> None:
    with pytest.raises(InputError, match="cannot be empty"):
        edit(proposals[0], "   ")


def test_a_confirmation_has_no_value_to_edit(proposals: list[Proposal]) -> None:
    with pytest.raises(InputError, match="a confirmation has no new value to edit"):
        edit(by_field(proposals, "KZ", "overview.status"), "Legal since 2023")


def test_a_merged_proposal_cannot_be_decided_again(proposals: list[Proposal]) -> None:
    merged = proposals[0].model_copy(update={"status": "merged"})
    with pytest.raises(InputError, match="merged already"):
        reject(merged)


def test_ids_resolve_from_unique_prefixes(proposals: list[Proposal]) -> None:
    ids = [p.id for p in proposals]
    assert resolve_ids(proposals, [ids[0], ids[1][:6]]) == [ids[0], ids[1]]
    with pytest.raises(InputError, match="no proposal with id 'p-zzz'"):
        resolve_ids(proposals, ["p-zzz"])
    with pytest.raises(InputError, match="7 proposals with id 'p-'"):
        resolve_ids(proposals, ["p-"])


def test_batch_approves_and_rejects_and_keeps_the_order(review_file: Path) -> None:
    before = read_models(review_file, Proposal)
    cost, status = by_field(before, "KG", "licensing.cost"), by_field(before, "KZ", "overview.status")
    changed = decide_batch(review_file, approve_ids=[cost.id], reject_ids=[status.id[:8]])
    assert [(p.id, p.status) for p in changed] == [(cost.id, "approved"), (status.id, "rejected")]
    after = read_models(review_file, Proposal)
    assert [p.id for p in after] == [p.id for p in before]
    expected = {cost.id: "approved", status.id: "rejected"}
    assert [p.status for p in after] == [expected.get(p.id, "pending") for p in before]


def test_batch_refuses_an_id_given_both_ways(review_file: Path) -> None:
    proposal_id = read_models(review_file, Proposal)[0].id
    before = review_file.read_bytes()
    with pytest.raises(InputError, match="both approved and rejected"):
        decide_batch(review_file, approve_ids=[proposal_id], reject_ids=[proposal_id])
    assert review_file.read_bytes() == before


def test_approve_all_takes_the_filters(review_file: Path) -> None:
    changed = decide_batch(review_file, approve_matching=ProposalFilter(
        countries=frozenset({"KG"}), min_confidence=0.7, statuses=frozenset({"pending"})))
    assert sorted(p.field for p in changed) == ["licensing.cost", "licensing.framework", "stablecoins.note"]
    assert sum(p.status == "approved" for p in read_models(review_file, Proposal)) == 3


def test_a_decision_leaves_other_lines_as_they_are_now(review_file: Path) -> None:
    # Someone edits another line after the review started: the decision must not undo that edit.
    proposals = read_models(review_file, Proposal)
    noted = proposals[-1].model_copy(update={"reviewer_note": "check the 2026 budget"})
    write_review_file(review_file, [*proposals[:-1], noted])
    decide_batch(review_file, approve_ids=[proposals[0].id])
    assert read_models(review_file, Proposal)[-1].reviewer_note == "check the 2026 budget"


# --- the command ------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["review", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_batch_approve_reject(review_file: Path) -> None:
    proposals = read_models(review_file, Proposal)
    code, out, err = run(str(review_file), "--approve", proposals[0].id, "--approve", proposals[1].id,
                         "--reject", proposals[2].id)
    assert (code, out, err) == (0, "", "2 approved, 1 rejected\n")
    assert [p.status for p in read_models(review_file, Proposal)][:4] == ["approved", "approved", "rejected",
                                                                          "pending"]


def test_cli_approve_all_with_filters(review_file: Path) -> None:
    code, _, err = run(str(review_file), "--approve-all", "--field", "*.note", "--country", "kz")
    assert (code, err) == (0, "1 approved, 0 rejected\n")
    approved = [p for p in read_models(review_file, Proposal) if p.status == "approved"]
    assert [(p.country, p.field) for p in approved] == [("KZ", "licensing.note")]


def test_cli_unknown_id_is_a_user_error(review_file: Path) -> None:
    code, _, err = run(str(review_file), "--approve", "p-nope")
    assert code == 2
    assert err == "error: no proposal with id 'p-nope' — copy the id from `extract review --list`\n"


def test_cli_list_pipes_jsonl(review_file: Path) -> None:
    code, out, _ = run(str(review_file), "--list", "--min-confidence", "0.8")
    assert code == 0
    listed = [Proposal.model_validate_json(line) for line in out.splitlines()]
    assert [p.field for p in listed] == ["licensing.cost", "licensing.framework", "overview.status"]


def test_cli_list_shows_every_status_unless_told(review_file: Path) -> None:
    proposals = read_models(review_file, Proposal)
    run(str(review_file), "--reject", proposals[0].id)
    assert len(run(str(review_file), "--list")[1].splitlines()) == 7
    _, out, _ = run(str(review_file), "--list", "--status", "rejected")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [proposals[0].id]


def test_cli_interactive_needs_a_terminal(review_file: Path) -> None:
    code, _, err = run(str(review_file))
    assert code == 2
    assert "review needs a terminal" in err


def test_cli_reports_every_bad_line_and_changes_nothing(tmp_path: Path) -> None:
    proposals = make_proposals()
    lines = [p.model_dump_json() for p in proposals]
    lines[1] = lines[1].replace('"status":"pending"', '"status":"aproved"')
    lines[3] = lines[3][:-1]  # the closing brace lost
    lines[5] = lines[0]
    review_file = tmp_path / "proposals.jsonl"
    review_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = review_file.read_bytes()
    code, _, err = run(str(review_file), "--approve", proposals[0].id)
    assert code == 1
    assert err.splitlines() == [
        f"{review_file}:2: unknown status 'aproved' — use one of pending, approved, rejected, merged, "
        "superseded",
        f"{review_file}:4: not valid JSON (Expecting ',' delimiter at column {len(lines[3]) + 1}) — "
        "fix or delete this line",
        f"{review_file}:6: duplicate id {proposals[0].id} (first on line 1) — delete one of the two lines",
    ]
    assert review_file.read_bytes() == before
