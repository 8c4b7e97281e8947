"""Every command that README.md, docs/facilitator.md and scenarios/AUTHORING.md show runs as
a user would type it, and ends without an error (see tests/cli/documented.py for how).

A newly documented command is run by default. If it needs something the harness cannot give
(a placeholder, a file the reader makes first), say how to run it in `documented.REWRITES`
or in the document's setup below.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.cli.documented import ROOT, documented_commands, run_document, yaml_block_with

# Files a document asks its reader to make before its commands: the facilitator's own
# workshop file is the example the guide shows.
SETUP = {"docs/facilitator.md": lambda: {"my-workshop.yaml": yaml_block_with(
    "docs/facilitator.md", "title:")}}

# What some commands must print, beyond ending well (command -> text in stdout or stderr).
EXPECTED = {
    "goodhart play tokenmaxxing --text": "What really happened",
    "goodhart play --workshop my-workshop.yaml --table A --text": "Result file for the debrief",
    "goodhart workshop rehearse my-workshop.yaml --out rehearsal/": "rehearsal/",
    "goodhart debrief results/*.json --text": "Table A",
    "goodhart debrief results/ --export slides/": "wrote",
    "goodhart lint scenarios/my-company.yaml": "0 errors",
    "goodhart host my-workshop.yaml": "Room code:",
    "goodhart host --resume": "(resumed)",
}


def test_the_documents_show_the_commands_users_rely_on():
    facilitator = documented_commands(ROOT / "docs/facilitator.md")
    assert "goodhart play --workshop my-workshop.yaml --table A" in facilitator
    assert "goodhart debrief results/ --export slides/" in facilitator
    assert facilitator.index("goodhart host my-workshop.yaml") < facilitator.index(
        "goodhart play --workshop my-workshop.yaml --table A")     # the hosted way leads
    readme = documented_commands(ROOT / "README.md")
    assert readme[0] == "goodhart play" and "goodhart resume" in readme
    assert not any(c.startswith(("pip", "pytest")) for c in readme)
    authoring = documented_commands(ROOT / "scenarios/AUTHORING.md")
    assert "goodhart play example" in authoring
    assert "cp scenarios/example.yaml scenarios/my-company.yaml" in authoring


def test_every_documented_command_works(tmp_path: Path):
    def run(doc: str):
        setup = SETUP.get(doc, dict)()
        return run_document(doc, tmp_path / doc.replace("/", "-"), setup)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = [r for ran in pool.map(run, ("docs/facilitator.md", "README.md",
                                               "scenarios/AUTHORING.md")) for r in ran]
    failed = [r for r in results
              if r.code != 0 or "Traceback" in r.stderr + r.stdout
              or EXPECTED.get(r.command, "") not in r.stdout + r.stderr]
    assert not failed, "\n\n".join(map(str, failed))
    assert len(results) >= 25
