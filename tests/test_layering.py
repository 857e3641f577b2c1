"""Layering: data flows one way, and a lower room never imports a higher one.

cli → api → {render, workflows, interop} → {assessment, rules, scorers, case} → {vocab, yamlsrc,
errors}. Checked on the source (every ``import`` statement, module level or in a function).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "spinemets"

#: room → rooms it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "vocab": ("case", "scorers", "rules", "assessment", "render", "workflows", "cli", "api"),
    "yamlsrc": ("case", "scorers", "rules", "assessment", "render", "workflows", "cli", "api"),
    "errors": ("case", "scorers", "rules", "assessment", "render", "workflows", "cli", "api"),
    "case": ("scorers", "rules", "assessment", "render", "workflows", "cli", "api", "interop"),
    "scorers": ("rules", "assessment", "render", "workflows", "cli", "api", "interop"),
    "assessment": ("rules", "render", "workflows", "cli", "api", "interop"),
    "rules": ("render", "workflows", "cli", "api", "interop"),
    "render": ("workflows", "cli", "api"),
    "workflows": ("cli",),
    "interop": ("cli", "workflows"),
}


def _room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imported_rooms(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "spinemets" and len(parts) > 1:
                found.add(parts[1])
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if _room(p) in FORBIDDEN)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_upward_import(path: Path) -> None:
    bad = _imported_rooms(path) & set(FORBIDDEN[_room(path)])
    assert not bad, f"{path.relative_to(PACKAGE)} imports {sorted(bad)}"


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from spinemets.render import terminal\n", encoding="utf-8")
    assert _imported_rooms(sample) == {"render"}
