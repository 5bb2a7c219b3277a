"""`extract validate`."""

from __future__ import annotations

import click


@click.command("validate")
def validate_cli() -> None:
    """(not yet built)"""
    raise click.ClickException("not yet built")
