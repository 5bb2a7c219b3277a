"""`extract validate`: check the country records, one line per problem."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("validate")
@click.argument("records_dir", metavar="[RECORDS_DIR]", type=click.Path(path_type=Path),
                default="corpus/countries")
@click.option("--strict", is_flag=True,
              help="Accept only the values of extract/rules/record_fields.json in enumerated fields.")
def validate_cli(records_dir: Path, strict: bool) -> None:
    """Check the country records in RECORDS_DIR (default: corpus/countries), or one record file.

    Prints one line per problem on stdout, `file:line: what is wrong — what to do`: front matter,
    tables, fields given twice, values of enumerated fields one or two letters off a known value
    (known: in extract/rules/record_fields.json or used by 3 records or more; --strict: only values
    in that file are accepted), scores outside 0–100, country code and name against ISO 3166.
    Exits 1 when it finds a problem.

    Example: extract validate corpus/countries
    """
    from extract.records import record_files, validate_record_bytes, validate_records
    from extract.records.parse import read_record_bytes

    if records_dir.is_file():
        data = read_record_bytes(records_dir)
        problems, count = validate_record_bytes(data, file=str(records_dir), strict=strict), 1
    else:
        problems, count = validate_records(records_dir, strict=strict), len(record_files(records_dir))
    for problem in problems:
        click.echo(str(problem))
    records = f"{count} record{'s' if count != 1 else ''}"
    if problems:
        click.echo(f"{records}, {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
        sys.exit(1)
    click.echo(f"{records}, no problems", err=True)
