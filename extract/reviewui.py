"""The interactive review: one proposal at a time, one key per decision, each decision saved at once.

In the manner of `git add -p`. Every answer rewrites the review file atomically before the next
proposal is shown, so Ctrl-C, a closed terminal or a crash loses nothing; running the review again
picks up the proposals still pending.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click

from extract.errors import InputError
from extract.models import Evidence, Proposal
from extract.review import ProposalFilter, approve, edit, reject
from extract.reviewfile import read_review, save_changes

HELP = """\
y - approve this change
n - reject this change
e - edit the new value, then approve it
s - skip: decide later
u - undo the last answer and go back to it
q - quit; every answer so far is saved
? - print this help"""

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
    before: Proposal | None  # None: the proposal was skipped, nothing to restore
    kind: str


@dataclass
class Session:
    """A review of the proposals of `path` that `selection` picks, in file order."""

    path: Path
    selection: ProposalFilter
    color: bool = False
    read_key: Callable[[], str] = field(default_factory=lambda: click.getchar)
    read_line: Callable[[str, str], str] = field(default_factory=lambda: _input_prefilled)
    tally: Tally = field(default_factory=Tally)

    def run(self) -> Tally:
        """Ask about each proposal until the end or `q`; KeyboardInterrupt and EOFError end it too."""
        current = {proposal.id: proposal for proposal in read_review(self.path).proposals}
        queue = [proposal.id for proposal in self.selection.select(current.values())]
        if not queue:
            click.echo("Nothing to review.", err=True)
            return self.tally
        history: list[_Answer] = []
        index, shown = 0, -1
        while index < len(queue):
            proposal = current[queue[index]]
            if shown != index:  # after help or a key that does nothing, only the question again
                click.echo(render_proposal(proposal, index + 1, len(queue), color=self.color))
                shown = index
            key = self._ask(index + 1, len(queue))
            if key == "q":
                break
            if key == "?":
                click.echo(HELP)
                continue
            if key == "u":
                if not history:
                    click.echo("Nothing to undo.")
                    continue
                answer = history.pop()
                if answer.before is not None:
                    current = _save(self.path, answer.before)
                self._count(answer.kind, -1)
                self.tally.undone += 1
                index, shown = answer.index, -1
                continue
            if key == "s":
                history.append(_Answer(index, None, "skipped"))
                self._count("skipped", 1)
                index += 1
                continue
            decided = self._decide(key, proposal)
            if decided is None:
                continue
            current = _save(self.path, decided[0])
            history.append(_Answer(index, proposal, decided[1]))
            self._count(decided[1], 1)
            index += 1
        else:
            click.echo("No more proposals.")
        return self.tally

    def _ask(self, number: int, total: int) -> str:
        prompt = f"({number}/{total}) Approve this change [y,n,e,s,u,q,?]? "
        click.echo(click.style(prompt, fg="blue", bold=True) if self.color else prompt, nl=False)
        typed = self.read_key()
        key = typed[:1].lower() if typed[:1].isprintable() else ""
        click.echo(key)
        return key if key and key in "ynesuq?" else "?"

    def _decide(self, key: str, proposal: Proposal) -> tuple[Proposal, str] | None:
        """The proposal as answered, and how; None (after saying why) when the answer does not apply."""
        try:
            if key == "y":
                return approve(proposal), "approved"
            if key == "n":
                return reject(proposal), "rejected"
            if proposal.op == "confirm":
                click.echo("A confirmation has no new value to edit: approve or reject it.")
                return None
            value = self.read_line("New value (empty line: back): ", proposal.new_value).strip()
            if not value:
                return None
            edited = edit(proposal, value)
        except InputError as exc:
            click.echo(f"{exc.what} — {exc.fix}")
            return None
        return edited, "edited" if edited.new_value != proposal.new_value else "approved"

    def _count(self, kind: str, step: int) -> None:
        setattr(self.tally, kind, getattr(self.tally, kind) + step)


def _save(path: Path, proposal: Proposal) -> dict[str, Proposal]:
    return {saved.id: saved for saved in save_changes(path, {proposal.id: proposal})}


def _input_prefilled(prompt: str, value: str) -> str:
    # readline lets the reviewer edit the current value in place instead of retyping it.
    import readline

    readline.set_startup_hook(lambda: readline.insert_text(value))
    try:
        return input(prompt)
    finally:
        readline.set_startup_hook()


def render_proposal(proposal: Proposal, number: int, total: int, *, color: bool) -> str:
    """The screen for one proposal: what changes where, how sure, and the sentences that say so."""
    head = " · ".join([proposal.id, proposal.country, proposal.field, proposal.op,
                       f"confidence {proposal.confidence:.2f}"])
    lines = [_style(f"({number}/{total}) {head}", color, bold=True)]
    if proposal.status != "pending":
        lines.append(f"  status: {proposal.status}")
    lines.append("  " + change_text(proposal, color=color))
    if proposal.conflicts_with:
        lines.append(f"  conflicts with: {', '.join(proposal.conflicts_with)}")
    if proposal.reviewer_note:
        lines.append(f"  note: {proposal.reviewer_note}")
    for evidence in proposal.evidence:
        lines.extend(render_evidence(evidence, color=color))
    return "\n".join(lines)


def change_text(proposal: Proposal, *, color: bool) -> str:
    """old → new as a word diff; `add` shows the new value, `confirm` the value confirmed."""
    if proposal.op == "confirm":
        return f"{proposal.new_value}  (the article confirms the record)"
    old = proposal.old_value or ""
    new = proposal.new_value
    if proposal.op == "append" and old:
        # As the record will read: a sentence follows prose, an item joins a list with "; ".
        new = f"{old} {new}" if _is_prose(proposal.field) else f"{old}; {new}"
    return word_diff(old, new, color=color)


def _is_prose(path: str) -> bool:
    from extract.fieldpath import field_spec, split_path

    spec = field_spec(path)
    if spec is not None:
        return spec.kind in ("note", "summary", "faq")
    section, name = split_path(path)
    return section in ("", "faq") or name.startswith("note")


def word_diff(old: str, new: str, *, color: bool) -> str:
    """One line showing `old` turned into `new`: removed words [-so-], added words {+so+} (git's style)."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append("".join(before[i1:i2]))
            continue
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        # Spaces around a change stay outside the marks: "requirements. {+Only …+}".
        changed = added or removed
        lead, trail = changed[: len(changed) - len(changed.lstrip())], changed[len(changed.rstrip()):]
        parts += [lead, _mark(removed.strip(), "[-", "-]", "red", color),
                  _mark(added.strip(), "{+", "+}", "green", color), trail]
    return "".join(parts)


def render_evidence(evidence: Evidence, *, color: bool) -> list[str]:
    """Where the evidence comes from, and its sentence with the value that triggered the proposal marked."""
    source = " · ".join([evidence.article, evidence.published or "date unknown", evidence.url or "no url"])
    lines = [f"  evidence: {source}"]
    if evidence.title:
        lines.append(f"    title: {evidence.title}")
    start, end = evidence.highlight[0] - evidence.start, evidence.highlight[1] - evidence.start
    quote = evidence.quote
    marked = quote[:start] + _mark(quote[start:end], "»", "«", "yellow", color) + quote[end:]
    lines.append(f"    “{' '.join(marked.split())}”")
    return lines


def _mark(text: str, left: str, right: str, fg: str, color: bool) -> str:
    if not text:
        return ""
    return click.style(text, fg=fg, bold=True) if color else f"{left}{text}{right}"


def _style(text: str, color: bool, **styles: bool) -> str:
    return click.style(text, **styles) if color else text
