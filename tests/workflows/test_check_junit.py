"""``check --junit``: XML that CI servers accept, checked against the common JUnit schema
(the Jenkins xUnit plugin's ``junit-10.xsd``, committed in tests/data with its source and
licence), with unique test names when case ids repeat and no character XML forbids."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import xmlschema
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.errors import Issue
from spinemets.workflows.check import CheckResult, junit_xml
from tests.workflows.helpers import GOOD_CASE, RULES, cli, write

XSD = xmlschema.XMLSchema(Path(__file__).parent.parent / "data" / "junit-10.xsd")


def _cohort(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    expected = "expected:\n  lesions:\n    T12:\n      sins: {}\n"
    write(folder / "a-pass.yaml", GOOD_CASE + expected.format(11))
    write(folder / "b-fail.yaml", GOOD_CASE + expected.format(10))
    write(folder / "c-none.yaml", GOOD_CASE)  # the same case id as a and b
    write(folder / "d-bad.yaml", "schema_version: 1\ncase_id: B\npatient: {age: 300}\n")
    return folder


def test_junit_report_is_valid_against_the_junit_schema(tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    result = cli("check", str(_cohort(tmp_path)), "--rules", str(RULES), "--junit", str(junit))
    assert result.exit_code == 1  # one mismatch and one invalid file
    text = junit.read_text(encoding="utf-8")
    XSD.validate(text)  # raises with the first violation
    root = ET.fromstring(text)
    assert root.tag == "testsuites" and "skipped" not in root.attrib
    assert root.get("time") == "0"
    suite = root.find("testsuite")
    assert suite is not None and suite.get("time") == "0" and suite.get("skipped") == "1"
    cases = list(root.iter("testcase"))
    assert len(cases) == 4 and all(tc.get("time") == "0" for tc in cases)
    names = [tc.get("name") for tc in cases]
    assert len(set(names)) == 4  # three files share case id TB-GOOD-1
    assert sum(str(n).startswith("TB-GOOD-1 (") for n in names) == 3


@settings(max_examples=60, deadline=None)
@given(case_id=st.text(max_size=30), message=st.text(max_size=60), file=st.text(max_size=20))
def test_any_text_gives_xml_valid_against_the_schema(case_id: str, message: str, file: str) -> None:
    results = [
        CheckResult(file, "fail", case_id, (Issue(file, 1, 1, "p", message),)),
        CheckResult(file, "invalid", None, (Issue(file, 2, 3, "q", message),)),
        CheckResult(file, "no_expectations", case_id, ()),
    ]
    text = junit_xml(results)
    XSD.validate(text)
    root = ET.fromstring(text)
    failure = next(root.iter("failure"))
    # a forbidden character is shown as an escape, never silently dropped
    assert len(failure.text or "") >= len(message)
