"""Project-wide contracts: schema freshness, renderers, template, explain, layering, version."""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path

import pytest

import spinemets
from spinemets.case.loader import load_case_bytes
from spinemets.case.template import TEMPLATE
from spinemets.explain import PLANNED, describe, listing
from spinemets.render import RENDERERS, Format
from spinemets.schema import case_schema, case_schema_text
from spinemets.scorers import REGISTRY, get

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "spinemets"


def test_case_schema_file_is_current() -> None:
    shipped = (ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8")
    assert shipped == case_schema_text(), (
        "schemas/case.schema.json is stale: run `spinemets schema > schemas/case.schema.json`"
    )


def test_case_schema_allows_unknown_and_forbids_extra_keys() -> None:
    schema = case_schema()
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["schema_version", "case_id"]
    kps = schema["$defs"]["Performance"]["properties"]["kps"]
    assert {"const": "unknown"} in kps["anyOf"]
    assert any(v.get("multipleOf") == 10 for v in kps["anyOf"])


def test_every_format_has_a_renderer_module() -> None:
    assert set(RENDERERS) == set(Format)
    for module in RENDERERS.values():
        assert (PACKAGE / "render" / f"{module}.py").exists()


def test_template_is_a_valid_case() -> None:
    loaded = load_case_bytes(TEMPLATE.encode(), "template.yaml")
    assert loaded.case.case_id == "TB-YYYY-NNN"
    assert loaded.case.lesions[0].level == "T12"
    assert loaded.case.lesions[0].pain is None  # unknown, not "none"


def test_explain_lists_every_scorer_and_the_planned_ones() -> None:
    text = listing()
    for sid in [*REGISTRY, *PLANNED]:
        assert sid in text


@pytest.mark.parametrize("score_id", sorted(REGISTRY))
def test_explain_describes_each_scorer(score_id: str) -> None:
    scorer = get(score_id)
    text = describe(score_id)
    assert scorer.citation in text
    assert scorer.version in text
    for band in scorer.bands:
        assert band.category in text


def test_registry_entries_are_documented() -> None:
    for sid, scorer in REGISTRY.items():
        assert scorer.id == sid
        assert scorer.doc.strip(), f"{sid} has no module docstring"
        assert scorer.citation and scorer.version and scorer.requires
        assert scorer.scope in ("case", "lesion")


def test_unknown_score_id_fails_loudly() -> None:
    with pytest.raises(KeyError, match="unknown score id"):
        get("no_such_score")


def test_version_matches_pyproject() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["version"] == spinemets.__version__


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _package_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_the_cli_imports_typer() -> None:
    for path in _package_files():
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        assert not any(n == "typer" or n.startswith("typer.") for n in _imports(path)), path


def test_only_the_cli_and_terminal_renderer_import_rich() -> None:
    allowed = {"cli", "terminal.py"}
    for path in _package_files():
        rel = path.relative_to(PACKAGE).parts
        if allowed & set(rel):
            continue
        if "workflows" in rel:  # progress bars are created by the CLI layer only
            continue
        assert not any(n == "rich" or n.startswith("rich.") for n in _imports(path)), path


def test_scorers_never_import_the_rule_engine_or_renderers() -> None:
    for path in (PACKAGE / "scorers").glob("*.py"):
        for name in _imports(path):
            assert not name.startswith(
                ("spinemets.rules", "spinemets.render", "spinemets.cli", "spinemets.api")
            ), (path, name)


def test_library_never_prints() -> None:
    for path in _package_files():
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print"
        ]
        assert not calls, f"print() in {path}"


def test_schema_json_is_valid_json() -> None:
    data = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    assert data["$id"].endswith("case.schema.json")
