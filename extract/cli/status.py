"""`extract status`: what in the records can still be trusted, field by field."""

from __future__ import annotations

import gc
import os
import re
import shutil
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from pydantic import ValidationError

from extract.cli.review import DEFAULT_FILE
from extract.errors import InputError
from extract.jsonl import parse_line
from extract.models import LedgerEntry

if TYPE_CHECKING:
    from extract.health import LedgerDigest, StatusReport
    from extract.models import Decision, Proposal

DEFAULT_RECORDS = Path("corpus/countries")
COLOURS = {"fresh": "green", "stale": "yellow", "expired": "red", "unknown": "bright_black"}
# The head of a ledger line as merge writes it (model_dump_json: keys in field order, no spaces).
_LEDGER_HEAD = re.compile(rb'\{"when":"([^"\\]*)","record":"([^"\\]*)","field":"([^"\\]*)","op":"([a-z]+)"')


def read_ledger(path: Path) -> list[LedgerEntry]:
    """Every entry of the ledger at `path` (none when there is no ledger yet)."""
    if not path.exists():
        return []
    lines = path.read_bytes().split(b"\n")
    return [
        _ledger_entry(line, f"{path}:{number}") for number, line in enumerate(lines, start=1) if line.strip()
    ]


def read_ledger_digest(path: Path) -> LedgerDigest:
    """`digest_ledger` of the ledger at `path`, reading whole only the lines it keeps.

    A ledger grows by every merge; a field's older entries (before its last set or add) do not
    bear on its health, so of each line only the head (when, record, field, op) is read, and only the
    lines kept are parsed and validated. A line whose head is not as merge writes it is read whole.
    """
    from extract.health import LedgerDigest

    digest = LedgerDigest()
    if not path.exists():
        return digest
    # One pass over the heads, in ledger order: a set or add starts its field's entries afresh. Keys
    # and dates stay bytes (ISO dates compare the same either way; the head holds no escapes).
    lines = path.read_bytes().split(b"\n")
    behind: dict[tuple[bytes, bytes], list[int]] = {}
    first_merge: dict[bytes, bytes] = {}
    read_whole: dict[int, LedgerEntry] = {}
    head = _LEDGER_HEAD.match
    for index, line in enumerate(lines):
        match = head(line)
        if match is not None:
            when, record, field, op = match.groups()
        elif line.strip():
            entry = read_whole[index] = _ledger_entry(line, f"{path}:{index + 1}")
            when, record, field, op = (
                part.encode() for part in (entry.when, entry.record, entry.field, entry.op)
            )
        else:
            continue
        first = first_merge.get(record)
        if first is None or when < first:
            first_merge[record] = when
        key = (record, field)
        kept = behind.get(key)
        if kept is None or op == b"set" or op == b"add":
            behind[key] = [index]
        else:
            kept.append(index)
    for (record, field), indexes in behind.items():
        digest.behind[(record.decode(), field.decode())] = [
            read_whole.get(index) or _ledger_entry(lines[index], f"{path}:{index + 1}") for index in indexes
        ]
    digest.first_merge = {record.decode(): when.decode() for record, when in first_merge.items()}
    return digest


def _ledger_entry(line: bytes, where: str) -> LedgerEntry:
    try:
        return LedgerEntry.model_validate_json(line)
    except ValidationError:
        try:  # the slow way, for its message naming what is wrong
            return parse_line(LedgerEntry, line.decode("utf-8"), where=where)
        except UnicodeDecodeError:
            raise InputError("not UTF-8", where=where, fix="save the file as UTF-8") from None


def read_inbox_proposals(path: Path, *, given: bool) -> list[Proposal]:
    """The review file's proposals; a default file that is not there is no proposals."""
    from extract.reviewfile import read_review

    if not given and not path.exists():
        return []
    return list(read_review(path).proposals)


def read_decisions(review: Path) -> list[Decision]:
    from extract.jsonl import read_models
    from extract.models import Decision
    from extract.review import decision_log_path

    log = decision_log_path(review)
    return read_models(log, Decision) if log.exists() else []


@click.command("status")
@click.argument(
    "records_dir",
    metavar="[RECORDS]",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_RECORDS,
)
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The merge ledger [default: ledger.jsonl beside the records folder].",
)
@click.option(
    "--review",
    "review_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The review file with the pending proposals [default: {DEFAULT_FILE}, if there].",
)
@click.option(
    "--window",
    "window_months",
    type=click.IntRange(1, 600),
    default=12,
    show_default=True,
    metavar="MONTHS",
    help="A field no source confirmed for this long is stale.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="The day to judge freshness on [default: today].",
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="CODE",
    help="Only this country (ISO alpha-2; repeatable).",
)
@click.option("--stale", "stale_only", is_flag=True, help="Only fields that are stale, expired or undated.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse every record afresh, without the cache of parsed records (~/.cache/extract).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write one self-contained page: countries × sections coloured by freshness, "
    "each cell linking to its fields' history.",
)
def status_cli(
    records_dir: Path,
    ledger_path: Path | None,
    review_path: Path | None,
    window_months: int,
    day: datetime | None,
    countries: tuple[str, ...],
    stale_only: bool,
    no_cache: bool,
    html_path: Path | None,
) -> None:
    """Report the health of every field of the records in RECORDS (default: corpus/countries).

    Per field: its value, when a source last confirmed or changed it (ledger, else the record's
    updated date), how many independent outlets back it (copies of one wire story count once),
    the pending proposals for it, and its freshness: stale when nothing confirmed it within
    --window months, expired when the value's own end date ("exempt until 2027") has passed.
    Then the contradictions (rival values, side by side, the suggested one first, with why) and
    the changes that take effect later, by date.

    A table on a terminal, JSON (the status report schema) when piped. Parsed records are cached
    by content in ~/.cache/extract (--no-cache: parse them all). Exit status: 0 done, 2 usage or
    input error.

    \b
    Examples:
      extract status
      extract status corpus/countries --window 6 --stale
      extract status --html out/status.html
    """
    from extract.health import digest_ledger, status_report
    from extract.recordcache import default_record_cache, load_records_cached

    # Many small objects and no cycles to collect: the collector would only cost time (a third of it).
    gc.disable()
    review = review_path or DEFAULT_FILE
    records = load_records_cached(records_dir, None if no_cache else default_record_cache())
    wanted = {code.upper() for code in countries}
    if wanted:
        records = {code: record for code, record in records.items() if code in wanted}
    ledger_file = ledger_path or records_dir.parent / "ledger.jsonl"
    # the page shows every field's history: the whole ledger; the report needs only its digest
    ledger = read_ledger(ledger_file) if html_path is not None else []
    digest = digest_ledger(ledger) if html_path is not None else read_ledger_digest(ledger_file)
    proposals = read_inbox_proposals(review, given=review_path is not None)
    today = day.date() if day else date.today()
    report = status_report(records, digest, proposals, today=today, window_months=window_months)
    if stale_only:
        report = report.model_copy(update={"fields": [f for f in report.fields if f.freshness != "fresh"]})
    if html_path is not None:
        from extract.files import atomic_write_text
        from extract.statuspage import render_status_page

        decisions = read_decisions(review) if proposals else []
        html_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(html_path, render_status_page(report, ledger, decisions, proposals))
        click.echo(f"wrote {html_path}", err=True)
    if sys.stdout.isatty():
        _print_table(report)
    else:
        click.echo(report.model_dump_json())
    counts = {
        name: sum(f.freshness == name for f in report.fields)
        for name in ("fresh", "stale", "expired", "unknown")
    }
    click.echo(
        f"{len(report.fields)} fields: "
        + ", ".join(f"{n} {name}" for name, n in counts.items())
        + f"; {len(report.contradictions)} contradictions, {len(report.upcoming)} upcoming changes",
        err=True,
    )


def _print_table(report: StatusReport) -> None:
    from extract.health import contradiction_lines

    width = shutil.get_terminal_size().columns
    colour = "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    header = ("country", "field", "state", "confirmed", "outlets", "pending", "value")
    rows = [
        (
            f.country,
            f.field,
            f.freshness,
            f.confirmed or "-",
            str(f.outlets),
            str(len(f.pending)),
            " ".join((f.value or "(not in the record)").split()),
        )
        for f in report.fields
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(6)]
    for row in [header, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:6])]
        line = "  ".join(cells) + "  " + row[6]
        line = line if len(line) <= width else line[: width - 1] + "…"
        if colour and row is not header and row[2] in COLOURS:
            start = len("  ".join(cells[:2])) + 2
            line = line[:start] + click.style(cells[2], fg=COLOURS[row[2]]) + line[start + len(cells[2]) :]
        click.echo(line)
    if report.contradictions:
        click.echo(f"\nContradictions ({len(report.contradictions)}):")
        for item in report.contradictions:
            click.echo("\n".join(contradiction_lines(item, width=width)))
    if report.upcoming:
        click.echo(f"\nUpcoming changes ({len(report.upcoming)}):")
        for change in report.upcoming:
            where = change.proposal or "in the record"
            line = (
                f"  {change.date}  {change.country} {change.field}  {change.status} ({where})  "
                + " ".join(change.value.split())
            )
            click.echo(line if len(line) <= width else line[: width - 1] + "…")
