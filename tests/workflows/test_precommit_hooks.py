"""The shipped pre-commit hooks run real commands on case files."""

from __future__ import annotations

import re
import shlex

import yaml

from spinemets.cli.app import app
from tests.workflows.helpers import REPO


def _commands() -> set[str]:
    return {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}


def test_hooks_are_declared_and_point_at_existing_commands() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"spinemets-validate", "spinemets-check"}
    for hook in hooks:
        argv = shlex.split(hook["entry"])
        assert argv[0] == "spinemets" and argv[1] in _commands()
        assert hook["language"] == "python" and hook["name"]
        pattern = re.compile(hook["files"])
        assert pattern.search("cases/tb-2026-041.yaml") and pattern.search("site/cases/a.yml")
        assert not pattern.search(".pre-commit-config.yaml")
    assert shlex.split(by_id["spinemets-validate"]["entry"])[1:] == [
        "validate",
        "--format",
        "parsable",
    ]
    assert shlex.split(by_id["spinemets-check"]["entry"])[1] == "check"
