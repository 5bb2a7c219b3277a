"""`extract run`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extract.cli.options import (
    jobs_option,
    proposals_output_option,
    published_option,
    records_option,
    since_option,
)


@click.command("run")
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@records_option("Folder of country records to match facts against.")
@proposals_output_option("Proposals file; review decisions already in it are kept.")
@click.option(
    "--mentions",
    "mentions_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every mention found to this JSONL file.",
)
@jobs_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the analysis runs: processes on this machine, or Dask workers (pip install "
                   "'extract[dask]'); the proposals are the same either way.")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: the scheduler of an existing cluster (tcp://host:8786) "
                   "[default: a local cluster of --jobs workers].")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help="The analysis cache: an article analysed before (same text, same rules and records) is "
                   "read from it [default: .extract-cache beside --output].")
@click.option("--no-cache", is_flag=True,
              help="Analyse every article again, without reading or writing the cache.")
@published_option
@since_option
@click.option("--replace", is_flag=True,
              help="Start --output afresh from this run (the old file is kept as OUTPUT.bak) instead of "
                   "adding to it.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Merge ledger: a merged change is not confirmed again by its own articles "
                   "[default: ledger.jsonl beside the records folder].")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    help="Keep only proposals at or above this confidence [default: 0.5, where drafts, plans and "
    "rumours fall below]; the rest are counted in the summary. 0 shows all.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def run_cli(
    articles: tuple[Path, ...],
    records_dir: Path,
    output: Path,
    mentions_out: Path | None,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    cache_dir: Path | None,
    no_cache: bool,
    published: str | None,
    since: str | None,
    replace: bool,
    ledger_path: Path | None,
    min_confidence: float | None,
    quiet: bool,
) -> None:
    """Propose record updates from a folder of articles (default: corpus/articles).

    Reads .txt, .md, .html and .jsonl articles, finds what they say, attributes each fact to its
    country and writes proposals for the records in --records to --output, ready for
    `extract review`. A bad article is skipped and listed at the end; the exit code is then 1.

    --output is an inbox: a run adds new proposals, updates the evidence of known ones and keeps
    every review decision; a pending proposal is withdrawn only when the articles that backed it
    were processed again and no longer yield it. Facts about countries without a record go to
    OUTPUT's side file (proposals.unrecorded.jsonl; see `extract review --unrecorded`).
    Ctrl-C stops the run with nothing written (exit 130).

    Each article's analysis is cached (--cache-dir), so a run over a folder where a few articles
    are new analyses only those; `extract cache clear` empties the cache. A .jsonl file, or a folder
    of .jsonl shards, is read a line at a time.

    \b
    Examples:
      extract run corpus/articles --records corpus/countries -o out/proposals.jsonl
      extract run feed/ --since 2026-01-01 --jobs 4
      extract run feed/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from extract.batch import check_paths, count_articles, default_jobs, run
    from extract.cache import default_cache_dir

    paths = list(articles) or [Path("corpus/articles")]
    check_paths(paths)
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler is for --engine dask")
    show_progress = not quiet and sys.stderr.isatty()

    def progress(results):  # type: ignore[no-untyped-def]
        from tqdm import tqdm

        # A total, so the bar shows how far and an ETA.
        return tqdm(results, desc="articles", unit="article", file=sys.stderr, total=count_articles(paths))

    try:
        report = run(
            paths,
            records_dir,
            output,
            mentions_out=mentions_out,
            jobs=jobs or default_jobs(),
            engine=engine,
            scheduler=scheduler,
            cache_dir=None if no_cache else cache_dir or default_cache_dir(output),
            published=published,
            since=since,
            progress=progress if show_progress else None,
            replace=replace,
            ledger_path=ledger_path,
            **({} if min_confidence is None else {"min_confidence": min_confidence}),
        )
    except KeyboardInterrupt:
        click.echo(f"\nStopped: nothing written, {output} is as it was.", err=True)
        sys.exit(130)
    for line in report.skipped:
        click.echo(f"warning: skipped {line}", err=True)
    if not quiet:
        unrecorded = ", ".join(f"{code} {count}" for code, count in report.unrecorded.items()) or "none"
        click.echo(
            f"{report.articles} articles"
            f"{f' ({report.cached} from the cache)' if report.cached else ''}, {len(report.skipped)} skipped"
            f"{f', {report.before_since} before --since' if report.before_since else ''} → {output}: "
            f"{report.new} new, {report.updated} updated, {report.kept} unchanged, "
            f"{report.carried} kept from other articles or decided, {report.withdrawn} withdrawn"
            f"{f', {report.superseded} superseded' if report.superseded else ''}"
            f"{f', {report.already_merged} already merged' if report.already_merged else ''}"
            f"{f', {report.below_threshold} below --min-confidence' if report.below_threshold else ''}; "
            f"facts about countries without a record: {unrecorded}"
            f"{' (extract review --unrecorded)' if report.unrecorded else ''}",
            err=True,
        )
    if report.skipped:
        sys.exit(1)
