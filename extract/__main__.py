"""`python -m extract` runs the CLI."""

from extract.cli import main

main()
