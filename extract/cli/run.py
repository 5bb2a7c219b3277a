"""`extract run`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extract.cli.options import published_option, records_option


@click.command("run")
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@records_option("Folder of country records to match facts against.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("out/proposals.jsonl"),
    show_default=True,
    help="Proposals file; review decisions already in it are kept.",
)
@click.option(
    "--mentions",
    "mentions_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every mention found to this JSONL file.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for the analysis (each loads its own model).",
)
@published_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def run_cli(
    articles: tuple[Path, ...],
    records_dir: Path,
    output: Path,
    mentions_out: Path | None,
    jobs: int,
    published: str | None,
    quiet: bool,
) -> None:
    """Propose record updates from a folder of articles (default: corpus/articles).

    Reads .txt, .md, .html and .jsonl articles, finds what they say, attributes each fact to its
    country and writes proposals for the records in --records to --output, ready for
    `extract review`. A bad article is skipped and listed at the end; the exit code is then 1.

    Example: extract run corpus/articles --records corpus/countries -o out/proposals.jsonl
    """
    from extract.batch import check_paths, run

    paths = list(articles) or [Path("corpus/articles")]
    check_paths(paths)
    show_progress = not quiet and sys.stderr.isatty()

    def progress(results):  # type: ignore[no-untyped-def]
        from tqdm import tqdm

        return tqdm(results, desc="articles", unit="article", file=sys.stderr)

    report = run(
        paths,
        records_dir,
        output,
        mentions_out=mentions_out,
        jobs=jobs,
        published=published,
        progress=progress if show_progress else None,
    )
    for line in report.skipped:
        click.echo(f"warning: skipped {line}", err=True)
    if not quiet:
        unrecorded = ", ".join(f"{code} {count}" for code, count in report.unrecorded.items()) or "none"
        click.echo(
            f"{report.articles} articles, {len(report.skipped)} skipped → "
            f"{report.proposals} proposals in {output} "
            f"({report.new} new, {report.kept} unchanged, {report.withdrawn} withdrawn); "
            f"facts about countries without a record: {unrecorded}",
            err=True,
        )
    if report.skipped:
        sys.exit(1)
