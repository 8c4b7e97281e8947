"""The `goodhart` command line: `main.py` holds the group, each `*_commands.py` module adds
its commands through `register(group)` and is listed in `main.COMMAND_MODULES`."""
