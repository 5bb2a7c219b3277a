"""`extract evaluate`."""

from __future__ import annotations

import click


@click.command("evaluate")
def evaluate_cli() -> None:
    """(not yet built)"""
    raise click.ClickException("not yet built")
