"""`python -m okrsite`, the same as the `okrsite` command."""

from .commands.cli import main

main()
