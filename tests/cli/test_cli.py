"""The command line as a user meets it: exit codes, stdout vs stderr, files, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spinemets.schema import case_schema_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PARSABLE = re.compile(r"^.+:\d+:\d+: (error|warning): .+")

PHI_CASE = """\
schema_version: 1
case_id: PHI-1
patient:
  age: 70
  sex: female
  name: Zelda Quixotic-Testperson
  mrn: MRN-998877
  birth_date: 1956-03-14
cancer:
  primary: breast
lesions:
  - level: T7
    pain: mechanical
    bone_lesion: lytic
    alignment: normal
    collapse: lt50
    posterolateral: none
    escc: "1b"
neurology:
  frankel: E
  ambulatory: independent
performance:
  kps: 80
"""
PHI_VALUES = ("Zelda Quixotic-Testperson", "MRN-998877", "1956-03-14")

BAD_CASE = """\
schema_version: 1
case_id: BAD-1
patient:
  name: Zelda Quixotic-Testperson
  mrn: 12345
cancer:
  primary: renl
lesions:
  - level: T12
    pain: mechnical
performance:
  kps: 75
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "spinemets", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def phi_case(tmp_path: Path) -> Path:
    path = tmp_path / "phi.yaml"
    path.write_text(PHI_CASE, encoding="utf-8")
    return path


@pytest.fixture
def bad_case(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_CASE, encoding="utf-8")
    return path


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("spinemets ")


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_evaluate_json_is_the_report_contract(example: Path) -> None:
    result = run("evaluate", str(example), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) >= {
        "schema_version",
        "case_id",
        "tool",
        "provenance",
        "triage",
        "lesions",
        "scores",
        "options",
        "warnings",
    }
    assert report["triage"]["tier"] in ("emergency", "urgent", "soon", "routine")
    assert set(report["scores"]) >= {
        "tokuhashi_revised",
        "tomita",
        "modified_bauer",
        "nesms",
        "performance",
        "neurology",
    }
    for lesion in report["lesions"]:
        assert set(lesion["scores"]) == {"sins", "escc"}
    for option in report["options"]:
        assert option["strength"] in (
            "recommended",
            "consider",
            "not_indicated",
            "contraindicated",
            "not_evaluable",
        )
        assert option["basis"], option
    assert len(report["provenance"]["input_sha256"]) == 64
    assert report["provenance"]["rules_sha256"]
    for line in result.stderr.splitlines():  # warnings go to stderr, located
        assert PARSABLE.match(line), line


def test_json_report_is_deterministic(phi_case: Path) -> None:
    first = run("evaluate", str(phi_case), "--format", "json")
    second = run("evaluate", str(phi_case), "--format", "json")
    assert first.returncode == 0
    assert first.stdout == second.stdout


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json", "fhir"])
def test_redact_removes_identifiers_from_every_format(phi_case: Path, fmt: str) -> None:
    plain = run("evaluate", str(phi_case), "--format", fmt)
    redacted = run("evaluate", str(phi_case), "--format", fmt, "--redact")
    assert plain.returncode == redacted.returncode == 0
    if fmt in ("terminal", "markdown", "json"):
        assert PHI_VALUES[1] in plain.stdout  # shown when not redacted
    for value in PHI_VALUES:
        assert value not in redacted.stdout
        assert value not in redacted.stderr


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json"])
def test_evaluate_report_content(phi_case: Path, fmt: str) -> None:
    result = run("evaluate", str(phi_case), "--format", fmt, "--redact")
    assert result.returncode == 0
    text = result.stdout
    assert "PHI-1" in text
    assert "Decision support for clinicians" in text
    if fmt != "json":
        for section in ("Neurologic", "Oncologic", "Mechanical", "Systemic", "Triage:"):
            assert section in text
        assert "Fisher" not in text  # the summary leaves the sources to --detail
        detail = run("evaluate", str(phi_case), "--format", fmt, "--redact", "--detail")
        assert detail.returncode == 0 and "Fisher" in detail.stdout  # SINS citation


def test_invalid_case_reports_every_issue_without_phi_or_traceback(bad_case: Path) -> None:
    result = run("evaluate", str(bad_case), "--format", "json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(PARSABLE.match(line) for line in lines), lines
    joined = "\n".join(lines)
    assert f"{bad_case}:5:8: error:" in joined  # mrn type, value not shown
    assert "12345" not in joined
    assert "Zelda" not in joined
    assert f"{bad_case}:7:12:" in joined and "did you mean 'renal'" in joined
    assert f"{bad_case}:10:11:" in joined and "did you mean 'mechanical'" in joined
    assert f"{bad_case}:12:8:" in joined and "multiple of 10" in joined


def test_output_file_not_created_on_failure(bad_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run("evaluate", str(bad_case), "--format", "json", "--output", str(out))
    assert result.returncode == 1
    assert not out.exists()
    assert not list(tmp_path.glob(".report.json.*"))


def test_output_file_written(phi_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = run("evaluate", str(phi_case), "--format", "markdown", "--output", str(out))
    assert result.returncode == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# spinemets report: PHI-1")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run("evaluate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_usage_error_exit_code() -> None:
    result = run("evaluate", "x.yaml", "--format", "pdf")
    assert result.returncode == 2


def test_validate_exit_codes_and_parsable_lines(phi_case: Path, bad_case: Path) -> None:
    ok = run("validate", str(phi_case), "--format", "parsable")
    assert ok.returncode == 0
    assert ok.stdout == ""
    mixed = run("validate", str(phi_case), str(bad_case), "--format", "parsable")
    assert mixed.returncode == 1
    lines = mixed.stderr.splitlines()
    assert lines and all(PARSABLE.match(line) for line in lines)
    assert all(line.startswith(str(bad_case)) for line in lines if ": error:" in line)


def test_validate_every_example() -> None:
    result = run("validate", *map(str, EXAMPLES), "--format", "parsable")
    assert result.returncode == 0, result.stderr
    assert ": error:" not in result.stderr


def test_schema_command_matches_shipped_file() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert result.stdout == case_schema_text()


def test_new_writes_a_valid_template_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    assert run("new", str(path)).returncode == 0
    assert run("validate", str(path)).returncode == 0
    again = run("new", str(path))
    assert again.returncode == 1
    assert "exists" in again.stderr


def test_explain_lists_and_describes() -> None:
    listing = run("explain")
    assert listing.returncode == 0
    assert "sins" in listing.stdout and "nesms" in listing.stdout
    one = run("explain", "tokuhashi_revised")
    assert one.returncode == 0
    assert "Spine 2005" in one.stdout
    missing = run("explain", "nope")
    assert missing.returncode == 1
    assert "unknown score id" in missing.stderr


def test_rules_check_bundled_ok() -> None:
    result = run("rules", "check")
    assert result.returncode == 0
    assert "rules OK" in result.stdout


def test_examples_have_schema_header() -> None:
    for example in EXAMPLES:
        first = example.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/case.schema.json", example
