"""`extract mentions`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extract.cli.options import published_option


@click.command("mentions")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--records",
    "records_dir",
    type=click.Path(path_type=Path),
    default=Path("corpus/countries"),
    show_default=True,
    help="Country records whose aliases and links extend the gazetteer.",
)
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
    from extract.ingest import Skipped, iter_articles
    from extract.jsonl import dumps, write_models
    from extract.models import Article
    from extract.pipeline import build_pipeline

    targets = list(paths) or [Path("corpus/articles")]
    check_paths(targets)
    pipeline = build_pipeline(records_dir if records_dir.exists() else None)
    skipped = []

    def articles():  # type: ignore[no-untyped-def]
        for item in iter_articles(targets, default_published=published):
            if isinstance(item, Skipped):
                skipped.append(item)
            else:
                assert isinstance(item, Article)
                yield item

    mentions = (m for _, found in pipeline.mentions(articles()) for m in found)
    if output is None:
        for mention in mentions:
            click.echo(dumps(mention))
    else:
        write_models(output, mentions)
    for item in skipped:
        click.echo(f"warning: skipped {item.where}: {item.reason}", err=True)
    if skipped:
        sys.exit(1)
