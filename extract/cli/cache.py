"""`extract cache`: the analysis cache of `extract run`."""

from __future__ import annotations

from pathlib import Path

import click

from extract.cli.options import proposals_output_option


@click.group("cache")
def cache_cli() -> None:
    """The analysis cache `extract run` keeps beside its output (see `extract run --help`)."""


@cache_cli.command("clear")
@proposals_output_option("The run's proposals file: its cache is the .extract-cache folder beside it.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="The cache folder, when the run was given one.")
def clear_cli(output: Path, cache_dir: Path | None) -> None:
    """Remove the cache: the next run analyses every article again.

    Example: extract cache clear -o out/proposals.jsonl
    """
    from extract.cache import clear, default_cache_dir

    folder = cache_dir or default_cache_dir(output)
    click.echo(f"{folder}: {clear(folder)} cached analyses removed", err=True)
