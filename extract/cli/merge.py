"""`extract merge`."""

from __future__ import annotations

import click


@click.command("merge")
def merge_cli() -> None:
    """(not yet built)"""
    raise click.ClickException("not yet built")
