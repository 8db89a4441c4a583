"""`python -m okrsite`, the same as the `okrsite` command."""

from .cli import main

main()
