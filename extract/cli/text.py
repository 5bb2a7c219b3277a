"""`extract text`: the text an article's offsets index into."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("text")
@click.argument("article")
@click.option("--id", "article_id", metavar="ID", help="For a .jsonl file: the id of the article to print.")
def text_cli(article: str, article_id: str | None) -> None:
    """Print ARTICLE's text exactly as mention offsets index it (no newline added).

    \b
    ARTICLE is a .txt, .md, .html or .htm file, or one article of a .jsonl file:
    FILE.jsonl#N (N the line number, from 1) or FILE.jsonl --id ID.
      .txt         the file's text (UTF-8 BOM dropped, line endings kept)
      .md          the body after the YAML front matter, if any
      .html/.htm   the main text extracted from the page
      .jsonl       the line's "text"

    Example: extract text corpus/articles/kz-regulatory-status.txt | head
    """
    from extract.ingest import read_article

    text = read_article(Path(article), article_id=article_id).text
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))  # bytes: no newline translation, whatever the locale
    sys.stdout.buffer.flush()
