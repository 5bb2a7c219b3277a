"""The interactive review's screen and its answer loop, driven by scripted keys (no terminal).

The same loop on a real pseudo-terminal is in test_review_tty.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from proposal_fixtures import KZ_STATUS, MINING, URLS, by_field, make_proposals, write_review_file

from extract.jsonl import read_models
from extract.models import Proposal
from extract.review import ProposalFilter
from extract.reviewui import Session, change_text, render_evidence, word_diff


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("$5,000 - $20,000", "$5,000 - $20,000; exchanges: KGS 10 billion",
     "$5,000 - $20,000{+; exchanges: KGS 10 billion+}"),
    ("12%", "15%", "[-12%-]{+15%+}"),
    ("Legal", "Legal", "Legal"),
    ("Yes", "No", "[-Yes-]{+No+}"),
    ("30/100 (Moderate Risk)", "45/100 (Moderate Risk)", "[-30/100-]{+45/100+} (Moderate Risk)"),
    ("Law on Virtual Assets (2022)", "Law on Virtual Assets (2022, amended 2025)",
     "Law on Virtual Assets (2022{+, amended 2025+})"),
    ("Minimum capital: $200,000.", "Minimum capital: $250,000.",
     "Minimum capital: [-$200,000-]{+$250,000+}."),
    ("", "KGS 10,000,000,000", "{+KGS 10,000,000,000+}"),
    ("limited to the AIFC zone", "nationwide", "[-limited to the AIFC zone-]{+nationwide+}"),
])
def test_word_diff_marks_whole_words(old: str, new: str, expected: str) -> None:
    assert word_diff(old, new, color=False) == expected


def test_word_diff_in_colour_keeps_the_text() -> None:
    coloured = word_diff("12%", "15%", color=True)
    # The markers stay in colour too: the change reads the same to someone who cannot tell red from green.
    assert click.unstyle(coloured) == "[-12%-]{+15%+}"
    assert coloured != "[-12%-]{+15%+}"


def test_change_text_by_op() -> None:
    proposals = make_proposals()
    assert change_text(by_field(proposals, "KZ", "mining.renewable_energy"), color=False) == "[-12%-]{+15%+}"
    assert change_text(by_field(proposals, "KG", "licensing.minimum_capital"), color=False) == (
        "{+KGS 10,000,000,000 (from 2026-01-01)+}")
    assert change_text(by_field(proposals, "KG", "stablecoins.note"), color=False).endswith(
        "requirements. {+Only asset-backed stablecoins may be issued domestically.+}")
    assert change_text(by_field(proposals, "KZ", "overview.status"), color=False) == (
        "Legal  (the article confirms the record)")
    # An item appended to a table cell joins the list with "; ", as the record will read.
    cost = by_field(proposals, "KG", "licensing.cost")
    cost = cost.model_copy(update={"op": "append", "new_value": "exchanges: KGS 10 billion"})
    assert change_text(cost, color=False) == "$5,000 - $20,000{+; exchanges: KGS 10 billion+}"


def test_evidence_shows_source_and_marks_the_value() -> None:
    evidence = by_field(make_proposals(), "KG", "licensing.cost").evidence[0]
    header, *wrapped = render_evidence(evidence, color=False, width=100)
    assert all(line.startswith("    ") and len(line) <= 100 for line in wrapped)
    quote = "    " + " ".join(line.strip() for line in wrapped)
    assert header == f"  evidence: {MINING} · date unknown · {URLS[MINING]}"
    assert quote.startswith("    “Sydykov stated that starting January 1, 2026")
    assert "should maintain not less than »10 billion soms« in licensed capital”" in quote
    kz = by_field(make_proposals(), "KZ", "overview.status").evidence[0]
    kz = kz.model_copy(update={"published": "2026-04-11", "title": "Kazakhstan -- Regulatory Status"})
    assert render_evidence(kz, color=False)[:2] == [f"  evidence: {KZ_STATUS} · 2026-04-11 · no url",
                                                    "    title: Kazakhstan -- Regulatory Status"]


def keys(*typed: str) -> Callable[[], str]:
    remaining: Iterator[str] = iter(typed)
    return lambda: next(remaining)


def lines_typed(*typed: str) -> Callable[[str, str], str]:
    remaining = iter(typed)
    return lambda prompt, value: next(remaining)


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    return write_review_file(tmp_path / "proposals.jsonl")


def statuses(path: Path) -> list[str]:
    return [p.status for p in read_models(path, Proposal)]


def test_each_answer_is_saved_before_the_next_question(review_file: Path) -> None:
    seen: list[list[str]] = []

    def read_key() -> str:
        seen.append(statuses(review_file))
        return "yns"[len(seen) - 1] if len(seen) <= 3 else "q"

    Session(review_file, ProposalFilter(statuses=frozenset({"pending"})), read_key=read_key).run()
    assert seen[1][0] == "approved"
    assert seen[2][:2] == ["approved", "rejected"]
    assert statuses(review_file) == ["approved", "rejected"] + ["pending"] * 5


def test_undo_restores_the_previous_state_and_asks_again(review_file: Path) -> None:
    session = Session(review_file, ProposalFilter(statuses=frozenset({"pending"})),
                      read_key=keys("y", "n", "u", "u", "s", "y", "q"))
    tally = session.run()
    # y, n, undo (the n), undo (the y), skip the first, approve the second.
    assert statuses(review_file) == ["pending", "approved"] + ["pending"] * 5
    assert (tally.approved, tally.rejected, tally.skipped, tally.undone) == (1, 0, 1, 2)


def test_undo_with_nothing_to_undo_asks_again(review_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Session(review_file, ProposalFilter(), read_key=keys("u", "n", "q")).run()
    assert "Nothing to undo." in capsys.readouterr().out
    assert statuses(review_file)[0] == "rejected"


def test_edit_approves_the_reviewers_value(review_file: Path) -> None:
    proposals = read_models(review_file, Proposal)
    Session(review_file, ProposalFilter(), read_key=keys("e", "e", "q"),
            read_line=lines_typed("", "$5,000 - $20,000; exchanges: KGS 10 billion")).run()
    after = read_models(review_file, Proposal)
    # The empty line went back to the question; the second edit counts.
    assert after[0] == proposals[0].model_copy(update={
        "status": "approved", "new_value": "$5,000 - $20,000; exchanges: KGS 10 billion",
        "proposed_value": proposals[0].new_value, "reviewer": "unknown", "decided_at": after[0].decided_at})
    assert after[1:] == proposals[1:]


def test_a_confirmation_cannot_be_edited(review_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Session(review_file, ProposalFilter(field="overview.status"), read_key=keys("e", "y"),
            read_line=lines_typed()).run()
    assert "A confirmation has no new value to edit" in capsys.readouterr().out
    assert statuses(review_file)[-1] == "approved"


def test_a_merged_proposal_is_shown_but_not_decided(review_file: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    merged = read_models(review_file, Proposal)[0].model_copy(update={"status": "merged"})
    write_review_file(review_file, [merged])
    Session(review_file, ProposalFilter(statuses=frozenset({"merged"})), read_key=keys("y", "n", "s")).run()
    out = capsys.readouterr().out
    assert out.count(f"{merged.id} is merged already — change the record by hand") == 2
    assert read_models(review_file, Proposal) == [merged]


def test_undo_of_an_edit_restores_the_old_value(review_file: Path) -> None:
    before = review_file.read_bytes()
    Session(review_file, ProposalFilter(), read_key=keys("e", "u", "q"), read_line=lines_typed("other")).run()
    assert review_file.read_bytes() == before


def test_help_and_unknown_keys_ask_again(review_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Session(review_file, ProposalFilter(), read_key=keys("?", "x", "\x1b[A", "q")).run()
    out = capsys.readouterr().out
    assert out.count("u - undo the last answer") == 3
    assert out.count("(1/7) Approve this change") == 4
    assert out.count("(1/7) p-") == 1  # the proposal itself is shown once
    assert statuses(review_file) == ["pending"] * 7


def test_only_the_selected_proposals_are_asked(review_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Session(review_file, ProposalFilter(countries=frozenset({"KZ"}), statuses=frozenset({"pending"})),
            read_key=keys("y", "y", "y")).run()
    assert statuses(review_file) == ["pending"] * 4 + ["approved"] * 3
    assert "No more proposals." in capsys.readouterr().out


def test_interrupt_keeps_the_answers_so_far(review_file: Path) -> None:
    def read_key() -> str:
        if statuses(review_file).count("approved") == 2:
            raise KeyboardInterrupt
        return "y"

    with pytest.raises(KeyboardInterrupt):
        Session(review_file, ProposalFilter(), read_key=read_key).run()
    assert statuses(review_file) == ["approved"] * 2 + ["pending"] * 5
