"""`extract evaluate`."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_ARTICLES = Path("corpus/articles")


@click.command("evaluate")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Gold JSONL: mention lines or proposal lines (told apart by the first line).")
@click.argument("output_path", metavar="OUTPUT.jsonl", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--articles", "articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help=f"Folder of the labelled articles, to place gold mentions exactly "
                   f"[default: {DEFAULT_ARTICLES} if it exists; else mentions match by text].")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
def evaluate_cli(gold_path: Path, output_path: Path, articles_dir: Path | None, as_json: bool) -> None:
    """Score OUTPUT.jsonl (mentions or proposals) against a gold file.

    Prints precision, recall and F1 per kind (per entity type) or per field, then the misses and
    the false positives. Only the gold's articles are scored, and for mentions only the kinds and
    entity types the gold labels.

    Example: extract evaluate --gold corpus/gold/mentions.jsonl out/mentions.jsonl
    """
    from extract.evaluate import evaluate_files, render_report

    if articles_dir is None and DEFAULT_ARTICLES.is_dir():
        articles_dir = DEFAULT_ARTICLES
    report = evaluate_files(gold_path, output_path, articles_dir=articles_dir)
    click.echo(report.model_dump_json(indent=2) if as_json else render_report(report), nl=as_json)
