"""`extract schemas`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("schemas")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="schemas")
def schemas_cli(directory: Path) -> None:
    """Write the JSON Schema of every file format into DIRECTORY (default: schemas/).

    The pydantic models are the source of truth; a test fails when schemas/ is stale.

    Example: extract schemas
    """
    from extract.schemas import write_schemas

    for path in write_schemas(directory):
        click.echo(f"updated {path}", err=True)
