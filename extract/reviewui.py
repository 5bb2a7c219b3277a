"""The interactive review: one proposal at a time, one key per decision, each decision saved at once.

In the manner of `git add -p`. Every answer rewrites the review file atomically (through
`extract.review.decide`, under the file's lock and checked against the version shown) before the
next proposal is shown, so Ctrl-C, a closed terminal or a crash loses nothing, and a decision made
meanwhile in the browser is never overwritten; running the review again picks up the proposals
still pending.
"""

from __future__ import annotations

import difflib
import re
import shutil
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from extract.errors import InputError
from extract.models import Evidence, Proposal
from extract.review import Action, ConflictError, ProposalFilter, Request, decide, edit
from extract.reviewfile import read_review, version

if TYPE_CHECKING:
    from extract.health import Contradiction

HELP = """\
y - approve this change
n - reject this change
e - edit the new value, then approve it
s - skip: decide later
a - approve this and every later proposal of this review
d - reject this and every later proposal of this review
r - give a reason (a note kept with the decision)
v - view every evidence item (in a pager)
u - undo the last answer and go back to it
q - quit; every answer so far is saved
? - print this help"""
KEYS = "ynesadrvuq?"
EVIDENCE_SHOWN = 3
LONG_CELL = 80  # a value longer than this is shown as whole - old / + new lines, not a word diff

# Words keep their inner punctuation ("$20,000", "2026-01-01", "$0.023/kWh"); other marks stand alone.
_TOKENS = re.compile(r"\s+|[\w$€£¥%]+(?:[.,/:'’-][\w$€£¥%]+)*|[^\w\s]")


@dataclass
class Tally:
    """What a review session did, for the closing line."""

    approved: int = 0
    rejected: int = 0
    edited: int = 0
    skipped: int = 0
    undone: int = 0

    def __str__(self) -> str:
        counts = [f"{self.approved} approved", f"{self.edited} edited", f"{self.rejected} rejected",
                  f"{self.skipped} skipped"]
        return ", ".join(counts + ([f"{self.undone} undone"] if self.undone else []))


@dataclass
class _Answer:
    index: int
    before: list[Proposal]  # the proposals as they were; empty: skipped, nothing to restore
    kind: str
    count: int = 1


def _terminal_lines() -> int:
    return shutil.get_terminal_size().lines


@dataclass
class Session:
    """A review of the proposals of `path` that `selection` picks, in file order."""

    path: Path
    selection: ProposalFilter
    color: bool = False
    reviewer: str = "unknown"
    read_key: Callable[[], str] = field(default_factory=lambda: click.getchar)
    read_line: Callable[[str, str], str] = field(default_factory=lambda: _input_prefilled)
    page: Callable[[str], None] = field(default_factory=lambda: _page)
    height: Callable[[], int] = field(default_factory=lambda: _terminal_lines)
    tally: Tally = field(default_factory=Tally)

    def run(self) -> Tally:
        """Ask about each proposal until the end or `q`; KeyboardInterrupt and EOFError end it too."""
        self.current = {proposal.id: proposal for proposal in read_review(self.path).proposals}
        queue = [proposal.id for proposal in self.selection.select(self.current.values())]
        if not queue:
            click.echo("Nothing to review.", err=True)
            return self.tally
        history: list[_Answer] = []
        index, shown = 0, -1
        while index < len(queue):
            proposal = self.current[queue[index]]
            if shown != index:  # after help or a key that does nothing, only the question again
                self._show(render_proposal(proposal, index + 1, len(queue), color=self.color,
                                           rivals=self._rivals(proposal)))
                shown = index
            key = self._ask(index + 1, len(queue))
            if key == "q":
                break
            if key == "?":
                click.echo(HELP)
                continue
            if key == "v":
                self.page(render_proposal(proposal, index + 1, len(queue), color=self.color,
                                          all_evidence=True, rivals=self._rivals(proposal)))
                continue
            if key == "u":
                if not history:
                    click.echo("Nothing to undo.")
                    continue
                answer = history.pop()
                if answer.before:
                    self._save([Request(p.id, "undo", version(self.current[p.id]), restore=p)
                                for p in answer.before])
                self._count(answer.kind, -answer.count)
                self.tally.undone += answer.count
                index, shown = answer.index, -1
                continue
            if key == "s":
                history.append(_Answer(index, [], "skipped"))
                self._count("skipped", 1)
                index += 1
                continue
            if key == "r":
                self._note(proposal)
                shown = -1
                continue
            if key in "ad":
                rest = [self.current[i] for i in queue[index:] if self.current[i].status == "pending"]
                action: Action = "approve" if key == "a" else "reject"
                kind = "approved" if key == "a" else "rejected"
                if rest and self._save([Request(p.id, action, version(p)) for p in rest]):
                    history.append(_Answer(index, rest, kind, len(rest)))
                    self._count(kind, len(rest))
                    click.echo(f"{len(rest)} {kind}.")
                    index = len(queue)
                continue
            request = self._request(key, proposal)
            if request is None:
                continue
            kind = "edited" if request.action == "edit" and request.value != proposal.new_value else \
                {"approve": "approved", "reject": "rejected", "edit": "approved"}[request.action]
            if not self._save([request]):
                shown = -1 if self.current[proposal.id] != proposal else shown
                continue
            history.append(_Answer(index, [proposal], kind))
            self._count(kind, 1)
            index += 1
        else:
            click.echo("No more proposals.")
        return self.tally

    def _rivals(self, proposal: Proposal) -> list[Proposal]:
        return [self.current[i] for i in proposal.conflicts_with if i in self.current]

    def _show(self, screen: str) -> None:
        if screen.count("\n") + 2 > self.height():
            self.page(screen)
        else:
            click.echo(screen)

    def _ask(self, number: int, total: int) -> str:
        prompt = f"({number}/{total}) Approve this change [y,n,e,s,a,d,r,v,u,q,?]? "
        click.echo(click.style(prompt, fg="blue", bold=True) if self.color else prompt, nl=False)
        typed = self.read_key()
        key = typed[:1].lower() if typed[:1].isprintable() else ""
        click.echo(key)
        return key if key and key in KEYS else "?"

    def _request(self, key: str, proposal: Proposal) -> Request | None:
        """The decision asked for, or None (after saying why) when the answer does not apply."""
        if key in "yn":
            return Request(proposal.id, "approve" if key == "y" else "reject", version(proposal))
        if proposal.op == "confirm":
            click.echo("A confirmation has no new value to edit: approve or reject it.")
            return None
        while True:
            value = self.read_line("New value (empty line: back): ", proposal.new_value).strip()
            if not value:
                return None
            try:
                edit(proposal, value)
            except InputError as exc:
                click.echo(f"{exc.what} — {exc.fix}")
                continue
            return Request(proposal.id, "edit", version(proposal), value=value)

    def _note(self, proposal: Proposal) -> None:
        note = self.read_line("Reason (empty line: none): ", proposal.reviewer_note or "").strip()
        if self._save([Request(proposal.id, "note", version(proposal), note=note)]):
            click.echo("Reason saved." if note else "Reason removed.")

    def _save(self, requests: Sequence[Request]) -> bool:
        """Save the decisions; on a refusal say why, reload the file and return False."""
        try:
            saved = decide(self.path, requests, reviewer=self.reviewer, via="terminal")
        except InputError as exc:
            click.echo(f"{exc.what} — {exc.fix}")
            if isinstance(exc, ConflictError):
                self.current = {p.id: p for p in read_review(self.path).proposals}
            return False
        self.current |= {proposal.id: proposal for proposal in saved}
        return True

    def _count(self, kind: str, step: int) -> None:
        setattr(self.tally, kind, getattr(self.tally, kind) + step)


def _page(text: str) -> None:
    # less: quit at once when the text fits, keep colours, leave the text on the screen.
    import os

    os.environ.setdefault("LESS", "FRX")
    click.echo_via_pager(text + "\n")


def _input_prefilled(prompt: str, value: str) -> str:
    # readline lets the reviewer edit the current value in place instead of retyping it.
    import readline

    readline.set_startup_hook(lambda: readline.insert_text(value))
    try:
        return input(prompt)
    finally:
        readline.set_startup_hook()


def render_proposal(proposal: Proposal, number: int, total: int, *, color: bool,
                    all_evidence: bool = False, width: int | None = None,
                    rivals: Sequence[Proposal] = ()) -> str:
    """The screen for one proposal: what changes where, how sure, and the sentences that say so.

    The best three evidence items are shown, then how many more there are (`all_evidence`: all).
    Pending `rivals` (other values for the field) are shown side by side with it, the suggested first.
    """
    width = width or shutil.get_terminal_size().columns
    head = " · ".join([proposal.id, proposal.country, proposal.field, proposal.op,
                       f"confidence {proposal.confidence:.2f}"])
    lines = [_style(f"({number}/{total}) {head}", color, bold=True)]
    if proposal.status != "pending":
        who = f" by {proposal.reviewer}" if proposal.reviewer else ""
        lines.append(f"  status: {proposal.status}{who}")
    lines.extend(change_lines(proposal, color=color, width=width))
    if proposal.proposed_value is not None:
        lines.append(f"  proposed: {proposal.proposed_value}")
    if proposal.conflicts_with:
        lines.append(f"  conflicts with: {', '.join(proposal.conflicts_with)}")
    lines.extend(_contradiction(proposal, rivals, width))
    if proposal.reviewer_note:
        lines.append(f"  note: {proposal.reviewer_note}")
    evidence = best_evidence(proposal.evidence)
    shown = evidence if all_evidence else evidence[:EVIDENCE_SHOWN]
    for item in shown:
        lines.extend(render_evidence(item, color=color, width=width))
    if len(evidence) > len(shown):
        lines.append(f"  … and {len(evidence) - len(shown)} more evidence items (v: show all)")
    return "\n".join(lines)


def contradiction_of(proposal: Proposal, rivals: Sequence[Proposal]) -> Contradiction | None:
    """`proposal` against the pending `rivals` that give its field another value, or None."""
    from extract.health import contradiction, proposal_side

    others = [r for r in rivals if r.status == "pending" and r.new_value != proposal.new_value]
    if proposal.op not in ("set", "add") or not others:
        return None
    sides = [proposal_side(p) for p in [proposal, *others]]
    return contradiction(proposal.country, proposal.record, proposal.field, sides)


def _contradiction(proposal: Proposal, rivals: Sequence[Proposal], width: int) -> list[str]:
    from extract.health import contradiction_lines

    found = contradiction_of(proposal, rivals)
    if found is None:
        return []
    return ["  contradiction:", *contradiction_lines(found, width=width)[1:],
            f"  suggested: {found.sides[0].proposal} — {found.reason}"]


def best_evidence(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Evidence a reader can follow first (a url, a title), then the newest."""
    return sorted(evidence, key=lambda e: (e.url is None, e.title is None, _negated_date(e.published)))


def _negated_date(published: str | None) -> tuple[int, ...]:
    digits = [int(part) for part in (published or "").split("-") if part.isdigit()]
    return tuple(-part for part in digits) or (1,)


def change_lines(proposal: Proposal, *, color: bool, width: int) -> list[str]:
    """The change as one word-diff line, or, for a long cell, as whole `- old` / `+ new` lines."""
    old = proposal.old_value or ""
    new = proposal.new_value
    long = max(len(old), len(new)) > LONG_CELL or "\n" in old or "\n" in new
    if proposal.op == "confirm" or not long:
        return ["  " + change_text(proposal, color=color)]
    lines = []
    if proposal.op == "append":
        lines += _wrapped("  ", old, width)
    elif old:
        lines += [_style(line, color, fg="red") for line in _wrapped("- ", old, width)]
    lines += [_style(line, color, fg="green") for line in _wrapped("+ ", new, width)]
    return lines


def _wrapped(marker: str, text: str, width: int) -> list[str]:
    """`text` wrapped at word boundaries, every line starting with `marker` (so a diff stays one)."""
    body = max(20, width - len(marker) - 3)
    lines = []
    for paragraph in text.split("\n"):
        lines += textwrap.wrap(paragraph, body, break_long_words=False, break_on_hyphens=False) or [""]
    return [f"  {marker}{line}".rstrip() for line in lines]


def change_text(proposal: Proposal, *, color: bool) -> str:
    """old → new as a word diff; `add` shows the new value, `confirm` the value confirmed."""
    if proposal.op == "confirm":
        return f"{proposal.new_value}  (the article confirms the record)"
    return word_diff(proposal.old_value or "", text_after(proposal), color=color)


def text_after(proposal: Proposal) -> str:
    """The field's text once the proposal is merged."""
    old = proposal.old_value or ""
    if proposal.op == "confirm":
        return old
    if proposal.op == "append" and old:
        # As the record will read: a sentence follows prose, an item joins a list with "; ".
        return f"{old} {proposal.new_value}" if _is_prose(proposal.field) else f"{old}; {proposal.new_value}"
    return proposal.new_value


def _is_prose(path: str) -> bool:
    from extract.fieldpath import field_spec, split_path

    spec = field_spec(path)
    if spec is not None:
        return spec.kind in ("note", "summary", "faq")
    section, name = split_path(path)
    return section in ("", "faq") or name.startswith("note")


def diff_segments(old: str, new: str) -> list[tuple[str, str]]:
    """`old` → `new` word by word: ("=", kept text), ("-", removed), ("+", added), in reading order."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    segments = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("=", "".join(before[i1:i2])))
            continue
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        # Spaces around a change stay outside the marks: "requirements. {+Only …+}".
        changed = added or removed
        lead, trail = changed[: len(changed) - len(changed.lstrip())], changed[len(changed.rstrip()):]
        segments += [("=", lead), ("-", removed.strip()), ("+", added.strip()), ("=", trail)]
    return [(tag, text) for tag, text in segments if text]


def word_diff(old: str, new: str, *, color: bool) -> str:
    """One line showing `old` turned into `new`: removed words [-so-], added words {+so+} (git's style)."""
    marks = {"-": ("[-", "-]", "red"), "+": ("{+", "+}", "green")}
    return "".join(text if tag == "=" else _mark(text, *marks[tag], color)
                   for tag, text in diff_segments(old, new))


def render_evidence(evidence: Evidence, *, color: bool, width: int = 100) -> list[str]:
    """Where the evidence comes from, and its sentence with the value that triggered the proposal marked."""
    source = " · ".join([evidence.article, evidence.published or "date unknown", evidence.url or "no url"])
    lines = [f"  evidence: {source}"]
    if evidence.title:
        lines.append(f"    title: {evidence.title}")
    start, end = evidence.highlight[0] - evidence.start, evidence.highlight[1] - evidence.start
    quote = evidence.quote
    # The marked value is one word for wrapping (joined by NULs until then), so no line splits it.
    value = "\0".join(quote[start:end].split())
    marked = " ".join(f"“{quote[:start]}»{value}«{quote[end:]}”".split())
    for line in textwrap.wrap(marked, max(30, width - 6), break_long_words=False, break_on_hyphens=False):
        line = line.replace("\0", " ")
        if color:
            line = re.sub("»[^«]*«?|^[^»]*«", lambda m: click.style(m[0], fg="yellow", bold=True), line)
        lines.append(f"    {line}")
    return lines


def _mark(text: str, left: str, right: str, fg: str, color: bool) -> str:
    # The markers are there with or without colour: a reader who cannot tell red from green still can.
    if not text:
        return ""
    return click.style(f"{left}{text}{right}", fg=fg, bold=True) if color else f"{left}{text}{right}"


def _style(text: str, color: bool, *, fg: str | None = None, bold: bool = False) -> str:
    return click.style(text, fg=fg, bold=bold) if color else text
