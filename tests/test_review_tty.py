"""`extract review` on a real pseudo-terminal (pexpect): keys, edits, undo, Ctrl-C, a closed terminal."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest
from proposal_fixtures import by_field, write_review_file

from extract.jsonl import read_models
from extract.models import Decision, Proposal

TIMEOUT = 60  # a bound for a loaded CI machine, not a measure of speed


def spawn(review_file: Path, *args: str, color: bool = False, pager: str | None = None) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "200", "LINES": "50"}
    if pager is not None:
        env["PAGER"] = pager
    env.pop("NO_COLOR", None)
    if not color:
        env["NO_COLOR"] = "1"
    return pexpect.spawn(sys.executable, ["-m", "extract", "review", str(review_file), *args], env=env,
                         encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200))


def answer(child: pexpect.spawn, key: str, *, then: str) -> None:
    child.send(key)
    child.expect_exact(then)


def statuses(path: Path) -> list[str]:
    return [p.status for p in read_models(path, Proposal)]


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    return write_review_file(tmp_path / "proposals.jsonl")


def test_a_whole_session(review_file: Path) -> None:
    before = read_models(review_file, Proposal)
    child = spawn(review_file)
    child.expect_exact(f"(1/7) {before[0].id} · KG · licensing.cost · set · confidence 0.82")
    # A long cell: the whole old and new values on lines of their own.
    child.expect_exact("  - $5,000 - $20,000\r\n  + $5,000 - $20,000; exchanges: minimum authorised capital "
                       "KGS 10,000,000,000 from 2026-01-01")
    child.expect_exact("not less than »10 billion soms« in licensed capital")
    child.expect_exact("(1/7) Approve this change [y,n,e,s,a,d,r,v,u,q,?]? ")
    answer(child, "y", then="(2/7) Approve this change")
    answer(child, "n", then="(3/7) Approve this change")
    answer(child, "?", then="u - undo the last answer and go back to it")
    child.expect_exact("(3/7) Approve this change")
    # e: the current value is in the line to edit; Ctrl-U clears it, then the new value.
    answer(child, "e", then="New value (empty line: back): ")
    child.expect_exact("KGS 10,000,000,000 (from 2026-01-01)")
    child.send("\x15KGS 10 billion (from 1 January 2026)\r")
    child.expect_exact("(4/7) Approve this change")
    answer(child, "s", then="(5/7) Approve this change")
    answer(child, "u", then="(4/7) Approve this change")  # back to the skipped one
    answer(child, "y", then="(5/7) Approve this change")
    answer(child, "q", then="2 approved, 1 edited, 1 rejected, 0 skipped, 1 undone.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    after = read_models(review_file, Proposal)
    assert [p.status for p in after] == ["approved", "rejected", "approved", "approved"] + ["pending"] * 3
    assert after[2].new_value == "KGS 10 billion (from 1 January 2026)"
    assert [p.new_value for i, p in enumerate(after) if i != 2] == [p.new_value for i, p in enumerate(before)
                                                                    if i != 2]


def test_ctrl_c_keeps_every_answer_and_the_next_review_picks_up(review_file: Path) -> None:
    child = spawn(review_file)
    child.expect_exact("(1/7) Approve this change")
    answer(child, "y", then="(2/7) Approve this change")
    answer(child, "n", then="(3/7) Approve this change")
    child.sendintr()
    child.expect_exact("Stopped. 1 approved, 0 edited, 1 rejected, 0 skipped; every answer is saved in")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert statuses(review_file) == ["approved", "rejected"] + ["pending"] * 5

    # Picking up again: only the five still pending are asked.
    third = read_models(review_file, Proposal)[2]
    child = spawn(review_file)
    child.expect_exact(f"(1/5) {third.id}")
    for number in range(2, 6):
        answer(child, "y", then=f"({number}/5) Approve this change")
    answer(child, "s", then="No more proposals.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert statuses(review_file) == ["approved", "rejected"] + ["approved"] * 4 + ["pending"]


def test_ctrl_c_while_editing_saves_nothing_for_that_proposal(review_file: Path) -> None:
    before = review_file.read_bytes()
    child = spawn(review_file)
    child.expect_exact("(1/7) Approve this change")
    answer(child, "e", then="New value (empty line: back): ")
    child.send("\x15half typed")
    child.expect_exact("half typed")  # readline holds the line: Ctrl-C now interrupts the edit
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert review_file.read_bytes() == before


def test_a_closed_terminal_loses_no_answer(review_file: Path) -> None:
    child = spawn(review_file)
    child.expect_exact("(1/7) Approve this change")
    answer(child, "n", then="(2/7) Approve this change")
    answer(child, "y", then="(3/7) Approve this change")
    child.kill(signal.SIGHUP)
    child.expect(pexpect.EOF)
    child.close()
    assert statuses(review_file) == ["rejected", "approved"] + ["pending"] * 5
    # Nothing half-written: the review file, its decision log and its lock file only.
    assert sorted(path.name for path in review_file.parent.iterdir()) == [
        f".{review_file.name}.lock", "proposals.decisions.jsonl", review_file.name]


def test_filters_choose_what_is_asked(review_file: Path) -> None:
    child = spawn(review_file, "--country", "KZ", "--field", "*.status", "--min-confidence", "0.5")
    child.expect_exact("· KZ · overview.status · confirm · confidence 0.95")
    child.expect_exact("Legal  (the article confirms the record)")
    answer(child, "y", then="No more proposals.")
    child.expect(pexpect.EOF)
    child.close()
    assert statuses(review_file) == ["pending"] * 6 + ["approved"]


def test_colour_on_a_terminal(review_file: Path) -> None:
    child = spawn(review_file, "--field", "mining.*", color=True)
    child.expect_exact("(1/1) Approve this change")
    assert "\x1b[31m\x1b[1m[-12%-]" in child.before  # the removed value in bold red, marked
    assert "\x1b[32m\x1b[1m{+15%+}" in child.before  # the added one in bold green
    answer(child, "q", then="0 approved")
    child.expect(pexpect.EOF)
    child.close()


def test_list_on_a_terminal_is_a_table_that_fits(review_file: Path) -> None:
    child = pexpect.spawn(sys.executable, ["-m", "extract", "review", str(review_file), "--list"],
                          env={**os.environ, "TERM": "xterm", "NO_COLOR": "1"}, encoding="utf-8",
                          timeout=TIMEOUT, dimensions=(50, 90))
    child.expect(pexpect.EOF)
    lines = child.before.replace("\r\n", "\n").splitlines()
    assert lines[0].split() == ["id", "status", "country", "field", "op", "conf", "new", "value"]
    assert len(lines) == 1 + 7 + 1 and lines[-1] == "7 proposals"
    assert all(len(line) <= 90 for line in lines)
    assert lines[1].endswith("…")  # the long licensing.cost value, cut to the width


def test_a_d_r_keys_and_the_decision_log(review_file: Path) -> None:
    child = spawn(review_file, "--reviewer", "Ana")
    child.expect_exact("(1/7) Approve this change")
    answer(child, "r", then="Reason (empty line: none): ")
    child.send("checked the gazette\r")
    child.expect_exact("Reason saved.")
    child.expect_exact("note: checked the gazette")
    answer(child, "y", then="(2/7) Approve this change")
    answer(child, "d", then="6 rejected.")  # this one and every later one
    child.expect(pexpect.EOF)
    after = read_models(review_file, Proposal)
    assert [p.status for p in after] == ["approved"] + ["rejected"] * 6
    assert (after[0].reviewer, after[0].reviewer_note) == ("Ana", "checked the gazette")
    log = read_models(review_file.with_name("proposals.decisions.jsonl"), Decision)
    assert [d.action for d in log] == ["noted", "approved"] + ["rejected"] * 6
    assert {d.via for d in log} == {"terminal"}


def test_a_then_undo_restores_every_proposal_it_approved(review_file: Path) -> None:
    before = review_file.read_bytes()
    child = spawn(review_file)
    child.expect_exact("(1/7) Approve this change")
    answer(child, "s", then="(2/7) Approve this change")
    answer(child, "a", then="6 approved.")
    child.expect(pexpect.EOF)
    assert statuses(review_file) == ["pending"] + ["approved"] * 6
    child = spawn(review_file, "--status", "approved")
    child.expect_exact("(1/6) Approve this change")
    answer(child, "n", then="(2/6) Approve this change")
    answer(child, "u", then="(1/6) Approve this change")
    answer(child, "q", then="undone")
    child.expect(pexpect.EOF)
    assert statuses(review_file) == ["pending"] + ["approved"] * 6
    assert len(review_file.read_bytes()) > len(before)  # reviewer and time recorded


def test_an_enum_edit_is_checked_with_a_suggestion(review_file: Path) -> None:
    proposals = read_models(review_file, Proposal)
    status = by_field(proposals, "KZ", "overview.status").model_copy(
        update={"op": "set", "old_value": "Legal", "new_value": "Regulated",
                "id": "p-000000000001"})
    write_review_file(review_file, [status])
    child = spawn(review_file)
    child.expect_exact("(1/1) Approve this change")
    answer(child, "e", then="New value (empty line: back): ")
    child.send("\x15Legalish\r")
    child.expect_exact("overview.status is 'Legalish', not a known value")
    child.expect_exact("did you mean 'Legal'?")
    child.expect_exact("New value (empty line: back): ")  # asked again
    child.send("\x15Restricted\r")
    child.expect_exact("No more proposals.")
    child.expect(pexpect.EOF)
    [saved] = read_models(review_file, Proposal)
    assert (saved.status, saved.new_value, saved.proposed_value) == ("approved", "Restricted", "Regulated")


def test_evidence_is_capped_at_three_and_v_shows_all(review_file: Path) -> None:
    proposal = read_models(review_file, Proposal)[0]
    many = [proposal.evidence[0].model_copy(update={"article": f"article-{n}.txt"}) for n in range(1, 8)]
    write_review_file(review_file, [proposal.model_copy(update={"evidence": many})])
    child = spawn(review_file, pager="cat")
    child.expect_exact("evidence: article-1.txt")
    child.expect_exact("evidence: article-3.txt")
    child.expect_exact("… and 4 more evidence items (v: show all)")
    assert "article-4.txt" not in child.before
    answer(child, "v", then="evidence: article-7.txt")
    child.expect_exact("(1/1) Approve this change")
    answer(child, "q", then="0 approved")
    child.expect(pexpect.EOF)
