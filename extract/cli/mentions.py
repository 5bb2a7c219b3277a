"""`extract mentions`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extract.cli.options import published_option, records_option


@click.command("mentions")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@records_option("Country records whose aliases and links extend the gazetteer.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of stdout.",
)
@published_option
def mentions_cli(
    paths: tuple[Path, ...], records_dir: Path, output: Path | None, published: str | None
) -> None:
    """Find dates, amounts, laws and entities in articles, normalised (default: corpus/articles).

    One JSON line per mention: article, kind, label, offsets, text, sentence, value, countries and
    the rule or model that found it.

    Example: extract mentions corpus/articles/kz-regulatory-status.txt -o mentions.jsonl
    """
    from extract.batch import check_paths
    from extract.ingest import Skipped, articles_only, iter_articles
    from extract.jsonl import dumps, write_models
    from extract.pipeline import build_pipeline

    targets = list(paths) or [Path("corpus/articles")]
    check_paths(targets)
    pipeline = build_pipeline(records_dir if records_dir.exists() else None)
    skipped: list[Skipped] = []
    articles = articles_only(iter_articles(targets, default_published=published), skipped)
    mentions = (m for _, found in pipeline.mentions(articles) for m in found)
    if output is None:
        for mention in mentions:
            click.echo(dumps(mention))
    else:
        write_models(output, mentions)
    for item in skipped:
        click.echo(f"warning: skipped {item}", err=True)
    if skipped:
        sys.exit(1)
