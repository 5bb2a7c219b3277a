"""`extract review`."""

from __future__ import annotations

import click


@click.command("review")
def review_cli() -> None:
    """(not yet built)"""
    raise click.ClickException("not yet built")
