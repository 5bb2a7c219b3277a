"""The `extract` command group. Each command is a thin wrapper over a library function.

Commands import their heavy libraries (spaCy, dateparser) inside the function, so `validate`,
`review` and `merge` start fast. User mistakes (ExtractError) become one line on stderr and an
exit code here, in one place; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import click

from extract import __version__
from extract.errors import ExtractError

# Each command's module is imported only when that command runs (or --help lists them all): the
# modules import the data models and their own helpers, and a command should pay only for its own.
COMMANDS = {
    "run": "extract.cli.run:run_cli",
    "mentions": "extract.cli.mentions:mentions_cli",
    "text": "extract.cli.text:text_cli",
    "review": "extract.cli.review:review_cli",
    "merge": "extract.cli.merge:merge_cli",
    "validate": "extract.cli.validate:validate_cli",
    "evaluate": "extract.cli.evaluate:evaluate_cli",
    "schemas": "extract.cli.schemas:schemas_cli",
    "record": "extract.cli.record:record_cli",
    "status": "extract.cli.status:status_cli",
    "history": "extract.cli.history:history_cli",
    "cache": "extract.cli.cache:cache_cli",
}


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, name = target.split(":")
        command: click.Command = getattr(import_module(module), name)
        return command

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


def main() -> None:
    cli(prog_name="extract")
