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
STATUS_CHOICES = ("pending", "approved", "rejected", "merged", "superseded")


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
@click.option("--reject-all", is_flag=True, help="Reject every pending proposal the filters select.")
@click.option("--note", metavar="TEXT", help="The reason kept with --approve/--reject decisions.")
@click.option("--reviewer", metavar="NAME",
              help="Who decides, for the decision log [default: git's user.name, else the login name].")
@click.option("--list", "list_only", is_flag=True,
              help="List the selected proposals: a table on a terminal, JSONL when piped.")
@click.option("--unrecorded", is_flag=True,
              help="List the facts about countries that have no record (kept by `extract run`).")
@click.option("--web", is_flag=True, help="Review in the browser: a local server on 127.0.0.1.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="--web: the port (0: any free one).")
@click.option("--articles", "articles_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("corpus/articles"), show_default=True,
              help="--web: the articles, to show each evidence sentence inside its paragraph.")
@click.option("--mentions", "mentions_file", type=click.Path(dir_okay=False, path_type=Path),
              help="--web: mentions JSONL (`extract run --mentions`), to mark them in the evidence.")
def review_cli(file: Path, countries: tuple[str, ...], field_glob: str | None, min_confidence: float,
               statuses: tuple[Status, ...], approve_ids: tuple[str, ...], reject_ids: tuple[str, ...],
               approve_all: bool, reject_all: bool, note: str | None, reviewer: str | None, list_only: bool,
               unrecorded: bool, web: bool, port: int, articles_dir: Path,
               mentions_file: Path | None) -> None:
    """Approve, reject or edit the proposals in FILE (default: out/proposals.jsonl).

    On a terminal, shows each pending proposal — the change as a word diff (a long cell as
    - old / + new lines), its confidence and the best three evidence sentences — and asks:
    y approve, n reject, e edit the value, s skip, a/d approve/reject all the rest, r give a
    reason, v view all evidence, u undo, q quit, ? help. Each answer is saved at once, with who
    decided and when, and logged in FILE's decision log (proposals.decisions.jsonl); run it again
    to carry on where you stopped.

    --web serves the same review as a page on 127.0.0.1 (the URL it prints carries a secret
    token). Without a terminal, decide with --approve/--reject/--approve-all/--reject-all and
    look with --list. The filters choose what the interactive review, --approve-all,
    --reject-all and --list see.
    Exit status: 0 done, 1 the file has problems or a decision conflicts, 2 usage error.

    \b
    Examples:
      extract review --country KG --field "licensing.*" --min-confidence 0.7
      extract review --web
      extract review --unrecorded
    """
    from extract.review import ProposalFilter, decide_batch, default_reviewer
    from extract.reviewfile import ReviewFileError, read_review

    def selection(default: frozenset[Status]) -> ProposalFilter:
        return ProposalFilter(frozenset(code.upper() for code in countries), field_glob, min_confidence,
                              frozenset(statuses) or default)

    deciding = bool(approve_ids or reject_ids or approve_all or reject_all)
    modes = [name for name, on in (("--list", list_only), ("--web", web), ("--unrecorded", unrecorded),
                                   ("--approve/--reject", deciding)) if on]
    if len(modes) > 1:
        raise click.UsageError(f"{modes[0]} and {modes[1]} do not go together; give one of them")
    if approve_all and reject_all:
        raise click.UsageError("--approve-all and --reject-all do not go together")
    try:
        if unrecorded:
            _list_unrecorded(file, frozenset(code.upper() for code in countries), field_glob)
        elif web:
            try:
                from extract.web import serve
            except ImportError as exc:
                raise click.UsageError(f"--web needs the web extra ({exc.name} is missing): "
                                       "pip install 'extract[web]'") from None

            serve(file, reviewer=reviewer or default_reviewer(), articles_dir=articles_dir,
                  mentions_file=mentions_file, port=port)
        elif list_only:
            _list(selection(frozenset()).select(read_review(file).proposals))
        elif deciding:
            pending = selection(frozenset({"pending"}))
            changed = decide_batch(file, approve_ids=approve_ids, reject_ids=reject_ids,
                                   approve_matching=pending if approve_all else None,
                                   reject_matching=pending if reject_all else None,
                                   reviewer=reviewer, note=note)
            approved = sum(proposal.status == "approved" for proposal in changed)
            click.echo(f"{approved} approved, {len(changed) - approved} rejected", err=True)
        else:
            _interactive(file, selection(frozenset({"pending"})), reviewer or default_reviewer())
    except ReviewFileError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


def _interactive(file: Path, selection: ProposalFilter, reviewer: str) -> None:
    from extract.reviewui import Session

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError("review needs a terminal; without one use --list, --approve, --reject "
                               "or --approve-all")
    color = "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    signal.signal(signal.SIGHUP, _hang_up)
    session = Session(file, selection, color=color, reviewer=reviewer)
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


def _list_unrecorded(file: Path, countries: frozenset[str], field_glob: str | None) -> None:
    """The facts about countries without a record, by country: what `extract record new` would start."""
    from fnmatch import fnmatchcase

    from extract.unrecorded import read_unrecorded, unrecorded_path

    facts = [fact for fact in read_unrecorded(unrecorded_path(file))
             if (not countries or fact.country in countries)
             and (field_glob is None or fnmatchcase(fact.field, field_glob))]
    if not sys.stdout.isatty():
        from extract.jsonl import dumps

        for fact in facts:
            click.echo(dumps(fact))
        return
    width = shutil.get_terminal_size().columns
    for code in sorted({fact.country for fact in facts}):
        mine = [fact for fact in facts if fact.country == code]
        click.echo(f"{code} ({len(mine)} facts) — start its record with: extract record new {code}")
        for fact in mine:
            value = " ".join(fact.value.split())
            line = f"  {fact.field}  {fact.confidence:.2f}  {value}  [{fact.evidence.article}]"
            click.echo(line if len(line) <= width else line[: width - 1] + "…")
    click.echo(f"{len(facts)} facts about countries without a record", err=True)
