"""The `extract` command group. Each command is a thin wrapper over a library function.

Commands import their heavy libraries (spaCy, dateparser) inside the function, so `validate`,
`review` and `merge` start fast. User mistakes (ExtractError) become one line on stderr and an
exit code here, in one place; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from extract import __version__
from extract.cli.cache import cache_cli
from extract.cli.evaluate import evaluate_cli
from extract.cli.history import history_cli
from extract.cli.mentions import mentions_cli
from extract.cli.merge import merge_cli
from extract.cli.record import record_cli
from extract.cli.review import review_cli
from extract.cli.run import run_cli
from extract.cli.schemas import schemas_cli
from extract.cli.status import status_cli
from extract.cli.text import text_cli
from extract.cli.validate import validate_cli
from extract.errors import ExtractError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ExtractError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="extract")
def cli() -> None:
    """Keep country records of a crypto-regulation map current from the news.

    \b
    The usual round:
      extract run                  articles → out/proposals.jsonl
      extract review               approve / reject / edit proposals
      extract merge --dry-run      see the diff the approved ones make
      extract merge                apply them to the records
    """


for command in (run_cli, mentions_cli, text_cli, review_cli, merge_cli, validate_cli, evaluate_cli,
                schemas_cli, record_cli, status_cli, history_cli, cache_cli):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="extract")
