"""`extract review`."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from extract.models import Proposal, Status

if TYPE_CHECKING:
    from extract.review import ProposalFilter

DEFAULT_FILE = Path("out/proposals.jsonl")
STATUS_CHOICES = ("pending", "approved", "rejected", "merged")


@click.command("review")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_FILE)
@click.option("--country", "countries", multiple=True, metavar="CODE",
              help="Only proposals for this country (ISO alpha-2; repeatable).")
@click.option("--field", "field_glob", metavar="GLOB",
              help='Only fields matching this glob, e.g. "licensing.*".')
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only proposals at least this confident.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUS_CHOICES),
              help="Only proposals in this status (repeatable) [default: pending; all for --list].")
@click.option("--approve", "approve_ids", multiple=True, metavar="ID",
              help="Approve this proposal without asking (repeatable; a unique id prefix is enough).")
@click.option("--reject", "reject_ids", multiple=True, metavar="ID",
              help="Reject this proposal without asking (repeatable).")
@click.option("--approve-all", is_flag=True, help="Approve every pending proposal the filters select.")
@click.option("--list", "list_only", is_flag=True,
              help="List the selected proposals: a table on a terminal, JSONL when piped.")
def review_cli(file: Path, countries: tuple[str, ...], field_glob: str | None, min_confidence: float,
               statuses: tuple[Status, ...], approve_ids: tuple[str, ...], reject_ids: tuple[str, ...],
               approve_all: bool, list_only: bool) -> None:
    """Approve, reject or edit the proposals in FILE (default: out/proposals.jsonl).

    On a terminal, shows each pending proposal — the change as a word diff, its confidence and the
    evidence sentence — and asks: y approve, n reject, e edit the value, s skip, u undo, q quit,
    ? help. Each answer is saved at once; run it again to carry on where you stopped.

    Without a terminal, decide with --approve/--reject/--approve-all and look with --list. The
    filters choose what the interactive review, --approve-all and --list see.
    Exit status: 0 done, 1 the file has problems, 2 usage error.

    Example: extract review --country KG --field "licensing.*" --min-confidence 0.7
    """
    from extract.review import ProposalFilter, decide_batch
    from extract.reviewfile import ReviewFileError, read_review

    def selection(default: frozenset[Status]) -> ProposalFilter:
        return ProposalFilter(frozenset(code.upper() for code in countries), field_glob, min_confidence,
                              frozenset(statuses) or default)

    try:
        if list_only:
            if approve_ids or reject_ids or approve_all:
                raise click.UsageError("--list only looks; give it without --approve/--reject/--approve-all")
            _list(selection(frozenset()).select(read_review(file).proposals))
        elif approve_ids or reject_ids or approve_all:
            matching = selection(frozenset({"pending"})) if approve_all else None
            changed = decide_batch(file, approve_ids=approve_ids, reject_ids=reject_ids,
                                   approve_matching=matching)
            approved = sum(proposal.status == "approved" for proposal in changed)
            click.echo(f"{approved} approved, {len(changed) - approved} rejected", err=True)
        else:
            _interactive(file, selection(frozenset({"pending"})))
    except ReviewFileError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


def _interactive(file: Path, selection: ProposalFilter) -> None:
    from extract.reviewui import Session

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError("review needs a terminal; without one use --list, --approve, --reject "
                               "or --approve-all")
    color = "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    signal.signal(signal.SIGHUP, _hang_up)
    session = Session(file, selection, color=color)
    try:
        tally = session.run()
    except (KeyboardInterrupt, EOFError):
        click.echo(f"\nStopped. {session.tally}; every answer is saved in {file}.", err=True)
        sys.exit(130)
    click.echo(f"{tally}.", err=True)


def _hang_up(signum: int, frame: FrameType | None) -> None:
    # A closed terminal stops the review like Ctrl-C: a write in progress finishes or is undone.
    raise KeyboardInterrupt


def _list(proposals: list[Proposal]) -> None:
    from extract.jsonl import dumps

    if not sys.stdout.isatty():
        for proposal in proposals:
            click.echo(dumps(proposal))
        return
    width = shutil.get_terminal_size().columns
    rows = [(p.id, p.status, p.country, p.field, p.op, f"{p.confidence:.2f}", " ".join(p.new_value.split()))
            for p in proposals]
    header = ("id", "status", "country", "field", "op", "conf", "new value")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(6)]
    for row in [header, *rows]:
        line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:6])) + "  " + row[6]
        click.echo(line if len(line) <= width else line[: width - 1] + "…")
    click.echo(f"{len(rows)} proposals", err=True)
