"""``new`` and ``schema --output`` give a ``$schema`` header that works in a user's own case
folder: the header names a file beside the case (editors resolve it relative to the case file),
and that file is written there, never ``../schemas/...`` of this repository."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from spinemets.cli.app import SCHEMA_FILE, app
from spinemets.schema import case_schema_text

HEADER = f"# yaml-language-server: $schema={SCHEMA_FILE}"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _schema_ref(case: Path) -> Path:
    first = case.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    ref = first.split("=", 1)[1]
    assert not ref.startswith(("..", "/", "http")), ref  # beside the case, nowhere else
    return case.parent / ref


def test_new_writes_the_schema_its_header_names(tmp_path: Path) -> None:
    folder = tmp_path / "my cases"
    folder.mkdir()
    code, _, err = _run("new", str(folder / "tb-001.yaml"))
    assert code == 0, err
    schema = _schema_ref(folder / "tb-001.yaml")
    assert (
        schema == folder / SCHEMA_FILE and schema.read_text(encoding="utf-8") == case_schema_text()
    )
    jsonschema.Draft202012Validator.check_schema(json.loads(schema.read_text(encoding="utf-8")))
    # a second case in the same folder reuses the schema, and an existing one is never replaced
    schema.write_text("{}", encoding="utf-8")
    code, _, err = _run("new", str(folder / "tb-002.yaml"))
    assert code == 0 and schema.read_text(encoding="utf-8") == "{}"
    assert f"spinemets schema --output {schema}" in err


def test_new_to_stdout_has_the_same_header() -> None:
    code, out, _ = _run("new")
    assert code == 0 and out.splitlines()[0] == HEADER


def test_schema_output_writes_the_file_and_says_the_header(tmp_path: Path) -> None:
    target = tmp_path / "spine.schema.json"
    code, out, err = _run("schema", "--output", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8") == case_schema_text()
    assert "# yaml-language-server: $schema=spine.schema.json" in err


def test_schema_output_refuses_a_folder(tmp_path: Path) -> None:
    code, _, err = _run("schema", "--output", str(tmp_path))
    assert code == 1 and str(tmp_path) in err
