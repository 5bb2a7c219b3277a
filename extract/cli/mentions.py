"""`extract mentions`."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from extract.cli.options import jobs_option, published_option, records_option, since_option


@click.command("mentions")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@records_option("Country records whose aliases and links extend the gazetteer.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of stdout.",
)
@jobs_option
@published_option
@since_option
def mentions_cli(
    paths: tuple[Path, ...], records_dir: Path, output: Path | None, jobs: int | None, published: str | None,
    since: str | None,
) -> None:
    """Find dates, amounts, laws and entities in articles, normalised (default: corpus/articles).

    One JSON line per mention: article, kind, label, offsets, text, sentence, value, countries and
    the rule or model that found it. Written as found, so memory stays flat however many articles.

    Example: extract mentions corpus/articles/kz-regulatory-status.txt -o mentions.jsonl
    """
    from extract.batch import DateFilter, MapFailure, check_paths, default_jobs, map_articles
    from extract.files import atomic_lines
    from extract.ingest import Skipped, articles_only, iter_articles

    targets = list(paths) or [Path("corpus/articles")]
    check_paths(targets)
    skipped: list[Skipped] = []
    articles = articles_only(iter_articles(targets, default_published=published), skipped)
    results = map_articles(DateFilter(since).keep(articles), records_dir if records_dir.exists() else None,
                           jobs=jobs or default_jobs(), stage="mentions")
    with atomic_lines(output) if output is not None else nullcontext() as handle:
        for result in results:
            if isinstance(result, MapFailure):
                skipped.append(Skipped(result.article, f"analysis failed ({result.error})"))
                continue
            if handle is None:
                click.echo(result.mentions, nl=False)
            else:
                handle.write(result.mentions)
    for item in skipped:
        click.echo(f"warning: skipped {item}", err=True)
    if skipped:
        sys.exit(1)
