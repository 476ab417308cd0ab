"""`python -m pipelines` is the `newsfacts` command."""

from pipelines.cli import main

main()
