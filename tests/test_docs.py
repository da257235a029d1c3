"""The README is the manual: every command is in it, with help text, and so are the two make targets."""

from pathlib import Path

import pytest

from search_cli.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    command = cli.commands[name]
    assert command.help and command.help.strip()
    assert f"hparkiv {name}" in README


def test_readme_opens_with_demo_and_test():
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make demo" in first_block and "make test" in first_block


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci
