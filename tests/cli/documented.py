"""The commands the user documents show, read out of the documents, and a way to run them.

`documented_commands(doc)` returns, in document order, every line of the document's shell
code blocks (comments and output lines dropped) and every inline `goodhart ...` span that is a
whole command (no placeholder such as SCENARIO, [SAVE] or `...`). `pip install` and `pytest`
lines are left out: they install or test the package, which the test suite itself does.

`run_document(doc, folder)` runs them one after another in bash, as a user types them, in a
fresh folder that holds a copy of the repository's `scenarios/` and `docs/` (where a user who
cloned the repository stands), with `goodhart` meaning `python -m game` of this checkout, a
temporary HOME and GOODHART_HOME (`~/.local/share/goodhart`, the documented data folder), the
dummy video driver, windows closed after a few frames (GOODHART_MAX_FRAMES), a workshop
server stopped after a few seconds (GOODHART_HOST_SECONDS) and Enter on every prompt of a
text game (so it plays to the end with the default choices).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("README.md", "docs/facilitator.md", "scenarios/AUTHORING.md")
SHELL_FENCES = ("sh", "shell", "bash", "console")
NOT_RUN = re.compile(r"^(pip3? install|pytest)\b")
INLINE = re.compile(r"`((?:goodhart|python -m game)(?: [^`]*)?)`")
COMMENT = re.compile(r"(^|\s+)#.*$")
PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]*\b|[\[\]|{}]|\.\.\.")

# Inline spans that name a command in passing instead of showing one to type.
MENTIONS = {"goodhart", "python -m game", "goodhart simulate", "goodhart sweep"}

# Commands that cannot run exactly as written, and what runs instead (and why).
REWRITES = {
    # `...` stands for the date in the save's name; the newest save of that seed is meant.
    "goodhart workshop result ~/.local/share/goodhart/saves/tokenmaxxing-...-seed2101.json":
        'goodhart workshop result "$(ls -t ~/.local/share/goodhart/saves/'
        'tokenmaxxing-*-seed2101.json | head -n 1)"',
}

# `goodhart simulate` and `goodhart sweep` play fewer games than written, to keep the suite
# fast: the number of runs changes how long they take, not what the command does
# (tests/analysis and tests/cli/test_sweep.py check results).
SIMULATE = re.compile(r"^goodhart (simulate|sweep)\b")
RUNS = re.compile(r"(?:^|\s)(?:-n|--runs)[ =]?\d+")
SIMULATE_RUNS = 12

MAX_FRAMES = "40"
HOST_SECONDS = "3"   # `goodhart host` serves this long, then stops by itself
ENTER_ON_EVERY_PROMPT = "\n" * 3000
TIMEOUT = 120


def documented_commands(doc: Path) -> list[str]:
    """The document's commands in order, each once."""
    commands: list[str] = []
    fence: str | None = None
    for line in doc.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            fence = None if fence is not None else stripped[3:].strip()
            continue
        if fence is not None:
            command = COMMENT.sub("", stripped)
            if fence in SHELL_FENCES and command:
                commands.append(command)
            continue
        commands += [span for span in INLINE.findall(line)
                     if span not in MENTIONS and not PLACEHOLDER.search(span)]
    unique: list[str] = []
    for command in commands:
        if not NOT_RUN.match(command) and command not in unique:
            unique.append(command)
    return unique


@dataclass
class Ran:
    """One command as run: what was typed, its exit code and output."""

    command: str
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return (f"$ {self.command}\nexit {self.code}\n--- stdout (end)\n{self.stdout[-1500:]}"
                f"\n--- stderr (end)\n{self.stderr[-1500:]}")


def prepare(folder: Path) -> dict[str, str]:
    """A folder like a fresh checkout, a temporary home; the environment to run in."""
    for name in ("scenarios", "docs"):
        shutil.copytree(ROOT / name, folder / name)
    home = folder.parent / f"{folder.name}-home"
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True)
    launcher = bin_dir / "goodhart"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m game "$@"\n')
    launcher.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODHART_", "XDG_"))}
    env.update(HOME=str(home), GOODHART_HOME=str(home / ".local/share/goodhart"),
               PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT),
               SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONUNBUFFERED="1",
               GOODHART_MAX_FRAMES=MAX_FRAMES, PYGAME_HIDE_SUPPORT_PROMPT="1",
               GOODHART_HOST_SECONDS=HOST_SECONDS)
    return env


def run_command(command: str, folder: Path, env: dict[str, str]) -> Ran:
    """Run one documented command in bash, in `folder`."""
    typed = faster(REWRITES.get(command, command))
    try:
        done = subprocess.run(["bash", "-c", typed], cwd=folder, env=env, text=True,
                              input=ENTER_ON_EVERY_PROMPT, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as err:
        return Ran(command, -1, _text(err.stdout), _text(err.stderr) + f"\n(timed out after "
                                                                    f"{TIMEOUT} s)")
    return Ran(command, done.returncode, done.stdout, done.stderr)


def faster(command: str) -> str:
    """`command` with fewer simulated games when it is a `goodhart simulate` or `sweep`."""
    if not SIMULATE.match(command):
        return command
    return RUNS.sub("", command) + f" -n {SIMULATE_RUNS}"


def _text(data: bytes | str | None) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else (data or "")


def run_document(doc: str, folder: Path, setup: dict[str, str] | None = None) -> list[Ran]:
    """Run every command of `doc` in order in a fresh `folder`; `setup` maps file names to
    text written into the folder first (files the document asks the user to make)."""
    folder.mkdir(parents=True)
    env = prepare(folder)
    for name, text in (setup or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return [run_command(c, folder, env) for c in documented_commands(ROOT / doc)]


def yaml_block_with(doc: str, first_key: str) -> str:
    """The first YAML code block of `doc` whose first line starts with `first_key`."""
    blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / doc).read_text(encoding="utf-8"), re.S)
    return next(b for b in blocks if b.startswith(first_key))
