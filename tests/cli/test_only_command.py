"""Start-up builds only the command that runs (``only_command``); what the user sees is the
same as with the whole application."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from spinemets.cli.app import app, command_name, only_command

NAMES = [command_name(c) for c in app.registered_commands] + [
    command_name(g) for g in app.registered_groups
]


def test_every_command_has_a_name() -> None:
    assert len(NAMES) == len(set(NAMES)) and all(NAMES)
    assert {"evaluate", "batch", "rules", "import"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_the_narrowed_app_holds_that_command_only_and_helps_the_same(name: str) -> None:
    slim = only_command(app, [name, "--help"])
    built = typer.main.get_command(slim)
    assert list(getattr(built, "commands", {})) == [name]
    full = CliRunner().invoke(app, [name, "--help"])
    narrowed = CliRunner().invoke(slim, [name, "--help"])
    assert (narrowed.exit_code, narrowed.stdout) == (full.exit_code, full.stdout)
    assert full.exit_code == 0


@pytest.mark.parametrize("argv", [[], ["--help"], ["--version"], ["evalaute"], ["-x"]])
def test_anything_else_gets_the_whole_app(argv: list[str]) -> None:
    assert only_command(app, argv) is app


def test_a_narrowed_command_runs_the_same() -> None:
    args = ["explain", "sins"]
    full = CliRunner().invoke(app, args)
    narrowed = CliRunner().invoke(only_command(app, args), args)
    assert (narrowed.exit_code, narrowed.stdout) == (full.exit_code, full.stdout)
    assert full.exit_code == 0 and full.stdout
