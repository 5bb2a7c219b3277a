"""`extract mentions` and `extract text`."""

from __future__ import annotations

import click


@click.command("mentions")
def mentions_cli() -> None:
    """(not yet built)"""
    raise click.ClickException("not yet built")


@click.command("text")
def text_cli() -> None:
    """(not yet built)"""
    raise click.ClickException("not yet built")
