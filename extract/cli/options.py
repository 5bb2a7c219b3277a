"""Options shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def _iso_day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date — use YYYY-MM-DD") from None


def published_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--published",
        callback=_iso_day,
        metavar="YYYY-MM-DD",
        help="Publication date for articles that carry none (resolves 'last year', 'in March').",
    )(function)


def since_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--since",
        callback=_iso_day,
        metavar="YYYY-MM-DD",
        help="Only articles published on or after this day (undated ones too).",
    )(function)


def jobs_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(1, 256),
        help="Worker processes for the analysis, each with its own model [default: the CPUs available].",
    )(function)


def records_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--records DIR, the folder of country records (default corpus/countries)."""
    return click.option(
        "--records",
        "records_dir",
        type=click.Path(path_type=Path),
        default=Path("corpus/countries"),
        show_default=True,
        help=help_text,
    )


def proposals_output_option(help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """-o/--output FILE, the proposals file a run writes (default out/proposals.jsonl)."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("out/proposals.jsonl"),
        show_default=True,
        help=help_text,
    )
