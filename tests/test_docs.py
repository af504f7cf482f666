"""Docs that cannot drift: the CLI reference is generated, and every command is in it."""

from pathlib import Path

import click

from frontlines.cli import main
from frontlines.docs import cli_reference
from frontlines.settings import SETTINGS

REPO = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    written = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == cli_reference(), "docs/cli.md is stale: run 'make docs'"


def _commands(group: click.Group, prefix: str):
    for name, command in group.commands.items():
        yield f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


def test_every_command_and_setting_is_documented():
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in _commands(main, "frontlines"):
        assert f"## `{command}`" in text, f"{command} is missing from docs/cli.md"
    for setting in SETTINGS:
        assert f"`{setting.env}`" in text


def test_readme_gives_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_every_command_is_shown_in_the_readme():
    """Each top-level command appears as 'frontlines NAME' in README.md or examples/README.md
    (whose shell blocks tests/test_readme_tour.py runs)."""
    text = "".join((REPO / name).read_text(encoding="utf-8")
                   for name in ("README.md", "examples/README.md"))
    missing = [name for name in main.commands if f"frontlines {name}" not in text]
    assert not missing, f"commands missing from the README: {missing}"
