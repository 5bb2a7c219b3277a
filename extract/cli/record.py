"""`extract record`: work on country records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from extract.cli.options import records_option


@click.group("record")
def record_cli() -> None:
    """Country records: start a new one."""


@record_cli.command("new")
@click.argument("code")
@records_option("Folder of country records to write the new record into.")
def new_cli(code: str, records_dir: Path) -> None:
    """Start the record of country CODE (ISO alpha-2) in the records' own format.

    Name, aliases and currency come from pycountry and babel; every section is present, values
    Unknown. The next `extract run` proposes the facts about the country into it (see
    `extract review --unrecorded` for what it has found so far).

    Example: extract record new UZ --records corpus/countries
    """
    from extract.newrecord import new_record

    path = new_record(code, records_dir, today=date.today())
    click.echo(f"started {path}; run `extract run` to propose what the articles say into it", err=True)
