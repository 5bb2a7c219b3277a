"""`extract run`."""

from __future__ import annotations

import click


@click.command("run")
def run_cli() -> None:
    """(not yet built)"""
    raise click.ClickException("not yet built")
