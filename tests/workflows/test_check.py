"""``spinemets check``: expected-block model, mismatches at the expectation's file:line:col,
"no expectations", JUnit XML."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from pydantic import ValidationError

from spinemets import api
from spinemets.workflows.check import Expected, ScoreExpectation, check_file, junit_xml
from tests.workflows.helpers import GOOD_CASE, RULES, cli, write

#: Line numbers below are counted from this text (GOOD_CASE ends with a newline).
BASE = GOOD_CASE.count("\n")


def _with_expected(block: str) -> str:
    return GOOD_CASE + block


def _option_strength(case: Path, option_id: str) -> tuple[str, str | None]:
    """What `evaluate` reports for an option (check must agree with evaluate)."""
    assessment = api.assess(api.load_case(str(case)), api.load_rules(RULES))
    option = next(o for o in assessment.options if o.id == option_id)
    return option.strength, option.lesion


def test_expected_model_shorthands_and_strictness() -> None:
    e = Expected.model_validate({"scores": {"tomita": 4, "escc": {"grade": 2}}, "triage": None})
    assert e.scores["tomita"] == ScoreExpectation(total=4)
    assert e.scores["tomita"].model_fields_set == {"total"}
    assert e.scores["escc"].grade == "2"
    assert "triage" in e.model_fields_set and e.triage is None
    with pytest.raises(ValidationError):
        Expected.model_validate({"scores": {"sins": {"totl": 3}}})
    with pytest.raises(ValidationError):
        Expected.model_validate({"triage": "later"})
    with pytest.raises(ValidationError):
        Expected.model_validate({"options": {"sbrt": "maybe"}})


def test_check_passes_when_expectations_hold(tmp_path: Path) -> None:
    # SINS 11 potentially unstable, ESCC 1c low grade: helpers.GOOD_CASE (Fisher 2010, Bilsky 2010)
    plain = write(tmp_path / "plain.yaml", GOOD_CASE)
    strength, lesion = _option_strength(plain, "sbrt")
    key = f"sbrt/{lesion}" if lesion else "sbrt"
    case = write(
        tmp_path / "case.yaml",
        _with_expected(
            "expected:\n"
            "  lesions:\n"
            "    T12:\n"
            "      sins: {total: 11, range: [11, 11], status: complete,\n"
            "             category: potentially_unstable}\n"
            "      escc: {grade: 1c, category: low_grade}\n"
            "  options:\n"
            f"    {key}: {strength}\n"
        ),
    )
    result = cli("check", str(case), "--rules", str(RULES))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("PASS")
    assert "(7 expectation(s))" in result.stdout
    assert "1 case file(s): 1 passed, 0 failed, 0 invalid, 0 with no expectations" in result.stderr


def test_each_mismatch_at_the_expectation_with_expected_and_actual(tmp_path: Path) -> None:
    case = write(
        tmp_path / "case.yaml",
        _with_expected(
            "expected:\n"  # BASE + 1
            "  lesions:\n"  # + 2
            "    T12:\n"  # + 3
            # + 4, the total's value at col 21
            "      sins: {total: 12, category: potentially_unstable}\n"
            "      escc:\n"  # + 5
            "        category: high_grade\n"  # + 6, value at col 19
            "  options:\n"  # + 7
            "    no_such_option: consider\n"  # + 8, value at col 21
        ),
    )
    result = cli("check", str(case), "--rules", str(RULES))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert lines == [
        f"{case}:{BASE + 4}:21: error: expected 12, got 11 [expected.lesions.T12.sins.total]",
        f"{case}:{BASE + 6}:19: error: expected high_grade, got low_grade "
        "[expected.lesions.T12.escc.category]",
        f"{case}:{BASE + 8}:21: error: expected consider, got option not in the report "
        "[expected.options.no_such_option]",
    ]
    assert result.stdout.startswith("FAIL") and "(3 mismatch(es))" in result.stdout


def test_triage_and_missing_lesion_mismatch(tmp_path: Path) -> None:
    case = write(
        tmp_path / "case.yaml",
        _with_expected("expected:\n  triage: routine\n  lesions:\n    L4:\n      sins: 3\n"),
    )
    tier = api.assess(api.load_case(str(case)), api.load_rules(RULES)).triage.tier
    assert tier != "routine"  # SINS 7-12 is never routine (clinical-reference §12.4)
    shown = tier or "null"  # null: not determined while neurological findings are unknown
    result = cli("check", str(case), "--rules", str(RULES))
    assert result.exit_code == 1
    assert (
        f"{case}:{BASE + 2}:11: error: expected routine, got {shown} [expected.triage]"
        in result.stderr
    )
    assert (
        f"{case}:{BASE + 4}:5: error: expected one lesion at L4, "
        "got no lesion at this level [expected.lesions.L4]" in result.stderr
    )


def test_case_without_expectations_is_reported_not_passed(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    result = cli("check", str(case), "--rules", str(RULES))
    assert result.exit_code == 0
    assert result.stdout.startswith("NO EXPECTATIONS") and "PASS" not in result.stdout
    assert "0 passed" in result.stderr and "1 with no expectations" in result.stderr
    strict = cli("check", str(case), "--rules", str(RULES), "--require-expectations")
    assert strict.exit_code == 1


def test_invalid_expected_block_is_located(tmp_path: Path) -> None:
    case = write(
        tmp_path / "case.yaml", _with_expected("expected:\n  scores:\n    sins: {totl: 3}\n")
    )
    result = check_file(str(case), api.load_rules(RULES))
    assert result.status == "invalid"
    issue = result.issues[0]
    assert (issue.line, issue.col, issue.path) == (BASE + 3, 12, "expected.scores.sins.totl")
    assert cli("check", str(case), "--rules", str(RULES)).exit_code == 1


def test_invalid_case_file_fails_the_check(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "schema_version: 1\ncase_id: B\npatient:\n  age: 300\n")
    result = cli("check", str(bad), "--rules", str(RULES))
    assert result.exit_code == 1
    assert f"{bad}:4:8: error:" in result.stderr and result.stdout.startswith("INVALID")


def test_junit_xml_is_well_formed_and_counts(tmp_path: Path) -> None:
    good = write(
        tmp_path / "a-pass.yaml",
        _with_expected("expected:\n  lesions:\n    T12:\n      sins: 11\n"),
    )
    fail = write(
        tmp_path / "b-fail.yaml",
        _with_expected("expected:\n  lesions:\n    T12:\n      sins: 10\n"),
    )
    none = write(tmp_path / "c-none.yaml", GOOD_CASE)
    bad = write(
        tmp_path / "d-bad.yaml", 'schema_version: 1\ncase_id: <&"bad">\npatient: {age: 300}\n'
    )
    junit = tmp_path / "report.xml"
    result = cli("check", str(tmp_path), "--rules", str(RULES), "--junit", str(junit))
    assert result.exit_code == 1
    root = ET.fromstring(junit.read_text(encoding="utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "4", "failures": "1", "errors": "1", "skipped": "1",
    }  # fmt: skip
    cases = {
        str(tc.get("name")).rsplit(" (", 1)[-1].rstrip(")"): tc for tc in suite.iter("testcase")
    }
    assert set(cases) == {str(good), str(fail), str(none), str(bad)}
    assert list(cases[str(good)]) == []
    failure = cases[str(fail)].find("failure")
    assert failure is not None and f"{fail}:{BASE + 4}:13: error: expected 10, got 11" in (
        failure.text or ""
    )
    assert cases[str(none)].find("skipped") is not None
    assert cases[str(bad)].find("error") is not None


def test_junit_escapes_text() -> None:
    from spinemets.errors import Issue
    from spinemets.workflows.check import CheckResult

    hostile = CheckResult(
        "x.yaml", "fail", '<id & "q">', (Issue("x.yaml", 1, 1, "p", "expected <a>, got ]]>"),)
    )
    root = ET.fromstring(junit_xml([hostile]))
    tc = next(root.iter("testcase"))
    assert tc.get("name") == '<id & "q"> (x.yaml)'
    failure = tc.find("failure")
    assert failure is not None and "]]>" in (failure.text or "")
