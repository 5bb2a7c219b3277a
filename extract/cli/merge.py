"""`extract merge`."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import click

from extract.cli.review import DEFAULT_FILE

DEFAULT_RECORDS = Path("corpus/countries")
FIX_CONFLICT = "re-run `extract run` to refresh it, or merge with --force"


@click.command("merge")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_FILE)
@click.option("--records", "records_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_RECORDS, show_default=True, help="The folder of country records.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where each change is logged [default: ledger.jsonl beside the records folder].")
@click.option("--articles", "articles_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the evidence articles are, to check the quotes [default: articles beside the "
                   "records folder].")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="The review date written into the changed records [default: today].")
@click.option("--dry-run", is_flag=True, help="Print the diff the merge would make; write nothing.")
@click.option("--force", is_flag=True, help="Apply conflicting proposals too (the record changed since).")
def merge_cli(file: Path, records_dir: Path, ledger_path: Path | None, articles_dir: Path | None,
              day: datetime | None, dry_run: bool, force: bool) -> None:
    """Apply the approved proposals in FILE (default: out/proposals.jsonl) to the records.

    Each change is a minimal edit of the record; the evidence articles that have a url join the
    record's sources, its review date is refreshed, the change is logged in the ledger and the
    proposal marked merged. A proposal made against a field that has changed since is a conflict:
    skipped and reported (unless --force); so is a change that would make the record invalid.
    Merging again changes nothing; a merge that was killed is finished by running it again.

    A summary goes to stderr. Exit status: 0 all merged (or nothing to do), 1 some not merged, or
    problems in FILE (then nothing is merged), 2 usage error.

    Example: extract merge --dry-run
    """
    from extract.merge import merge
    from extract.reviewfile import ReviewFileError, load_review

    try:
        report = merge(file, records_dir=records_dir,
                       ledger_path=ledger_path or records_dir.parent / "ledger.jsonl",
                       articles_dir=articles_dir or records_dir.parent / "articles",
                       day=day.date() if day else date.today(), force=force, dry_run=dry_run)
    except ReviewFileError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"nothing merged: fix the {len(exc.problems)} problem(s) in {file} first", err=True)
        sys.exit(1)
    for warning in report.warnings:
        click.echo(warning, err=True)
    if dry_run:
        diff = report.diff()
        if sys.stdout.isatty() and diff.count("\n") + 2 > shutil.get_terminal_size().lines:
            os.environ.setdefault("LESS", "FRX")  # quit when it fits, keep colours, leave it on screen
            click.echo_via_pager(diff)
        else:
            click.echo(diff, nl=False)
    if not report.outcomes:
        pending = sum(p.status == "pending" for p in load_review(file).proposals)
        click.echo(f"nothing approved to merge; {pending} pending in {file} — run `extract review {file}` "
                   "first" if pending else f"nothing approved to merge in {file}", err=True)
        return
    for outcome in report.not_merged:
        proposal = outcome.proposal
        fix = (FIX_CONFLICT if outcome.result == "conflict"
               else "edit the value (extract review) or reject the proposal")
        click.echo(f"{report.where[proposal.id]}: {outcome.result}: {proposal.id} {proposal.record} "
                   f"{proposal.field}: {outcome.reason} — {fix}", err=True)
    click.echo(("dry run, nothing written: " if dry_run else "") + report.summary(), err=True)
    if report.not_merged:
        sys.exit(1)
