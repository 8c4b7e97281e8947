"""`python -m game` runs the same CLI as `goodhart`."""

from game.cli.main import main

main()
