"""`extract history COUNTRY FIELD`: every value a field has had, and who put it there on what evidence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from extract.cli.review import DEFAULT_FILE
from extract.cli.status import DEFAULT_RECORDS, read_decisions, read_inbox_proposals, read_ledger
from extract.errors import InputError

if TYPE_CHECKING:
    from extract.health import HistoryEvent

GIT_TIMEOUT = 30


@click.command("history")
@click.argument("country")
@click.argument("field")
@click.option("--records", "records_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_RECORDS, show_default=True, help="The folder of country records.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The merge ledger [default: ledger.jsonl beside the records folder].")
@click.option("--review", "review_path", type=click.Path(dir_okay=False, path_type=Path),
              help=f"The review file whose decision log to read [default: {DEFAULT_FILE}, if there].")
@click.option("--no-git", is_flag=True, help="Do not look for the first version in the records' git history.")
def history_cli(country: str, field: str, records_dir: Path, ledger_path: Path | None,
                review_path: Path | None, no_git: bool) -> None:
    """Show every value FIELD of COUNTRY's record has had, oldest first.

    The first version known from git (when the records folder is in a git repository), then each
    review decision (who, when, the reason) and each merge (the value written, the proposal, the
    reviewer, the evidence article and quote), from the decision log and the ledger; last, the
    value the record holds now. A table on a terminal, JSON lines when piped.
    Exit status: 0 done, 2 usage or input error (no such country or field).

    \b
    Examples:
      extract history KG licensing.cost
      extract history KZ tax.mining_tax --records corpus/countries
    """
    from extract.health import field_history
    from extract.recordcache import default_record_cache, load_records_cached

    records = load_records_cached(records_dir, default_record_cache())
    record = records.get(country.upper())
    if record is None:
        raise InputError(f"no record for {country}", where=str(records_dir),
                         fix=f"give one of {', '.join(sorted(records)) or '(none)'}")
    review = review_path or DEFAULT_FILE
    proposals = read_inbox_proposals(review, given=review_path is not None)
    ledger = read_ledger(ledger_path or records_dir.parent / "ledger.jsonl")
    now = record.field(field)
    known = now is not None or any((e.record, e.field) == (record.file, field) for e in ledger) \
        or any((p.record, p.field) == (record.file, field) for p in proposals)
    if not known:
        raise InputError(f"{record.file} has no field {field} and nothing was ever proposed for it",
                         where=str(records_dir / record.file), fix="see the paths with `extract status`")
    first = None if no_git else first_version(records_dir / record.file, field)
    events = field_history(record.file, field, ledger, read_decisions(review), proposals, first=first)
    if not sys.stdout.isatty():
        for event in events:
            click.echo(event.model_dump_json())
    else:
        for event in events:
            click.echo("\n".join(event_lines(event)))
    click.echo(f"now: {now.text if now is not None else '(not in the record)'}", err=True)


def event_lines(event: HistoryEvent) -> list[str]:
    what = {"first version": f"first version (git {event.commit[:10] if event.commit else ''})",
            "decision": f"{event.action} {event.proposal}", "merged": f"merged {event.op} {event.proposal}"}
    by = f" by {event.who}" if event.who else ""
    lines = [f"{event.when}  {what[event.kind]}{by}", f"    value: {' '.join((event.value or '').split())}"]
    if event.note:
        lines.append(f"    reason: {event.note}")
    if event.kind == "merged":
        for item in event.evidence:
            source = " · ".join([item.article, item.published or "date unknown", item.url or "no url"])
            lines.append(f"    evidence: {source}")
            lines.append(f"      “{' '.join(item.quote.split())}”")
    return lines


def first_version(path: Path, field: str) -> HistoryEvent | None:
    """The field as the oldest commit of the record that has it wrote it; None outside git."""
    from extract.health import HistoryEvent
    from extract.records import parse_record

    folder = path.parent
    log = _git(folder, "log", "--follow", "--format=%x00%H%x09%aI%x09%an", "--name-only", "--", path.name)
    if not log:
        return None
    commits = []
    for block in log.split("\0")[1:]:
        head, *names = [line for line in block.splitlines() if line.strip()]
        commit, when, author = head.split("\t", 2)
        if names:
            commits.append((commit, when, author, names[0]))
    for commit, when, author, name in reversed(commits):
        text = _git(folder, "show", f"{commit}:{name}", top=True)
        if text is None:
            continue
        try:
            found = parse_record(text, file=path.name).field(field)
        except InputError:
            continue
        if found is not None:
            return HistoryEvent(when=when, kind="first version", value=found.text, who=author, commit=commit)
    return None


def _git(folder: Path, *args: str, top: bool = False) -> str | None:
    """git's output run in `folder` (`top`: paths from the repository's top), None when it fails."""
    command = ["git", "-C", str(folder), *args]
    if top:
        root = _git(folder, "rev-parse", "--show-toplevel")
        if root is None:
            return None
        command = ["git", "-C", root.strip(), *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
