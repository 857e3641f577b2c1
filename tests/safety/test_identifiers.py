"""Identifiers never leak: masked by their source text, in messages and paths, in ``check`` and
JUnit, and removed from every format by ``--redact`` wherever they were pasted (HAZ-014).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import TODAY, case_dicts, to_yaml

from spinemets import api
from spinemets.errors import CaseError
from spinemets.identifiers import MASK, Masker
from spinemets.workflows.check import check_file, junit_xml
from tests.workflows.helpers import cli

from .hostile import HostileIdentifiers, hostile_identifiers
from .support import run_cli
from .test_phi import Phi, phi, with_phi

BASE = """\
schema_version: 1
case_id: ID-CASE
patient:
  age: 64
  sex: female
"""
VALID = BASE + "  name: Jane Qzxwv\n  mrn: MRN-Qkkjv-4471\n  birth_date: 1950-03-04\n"
NEEDLES = ("Jane", "Qzxwv", "Qkkjv", "MRN-Qkkjv-4471", "4471", "1950-03-04")
FORMATS = ("terminal", "markdown", "json", "fhir")


def _issues(text: str) -> str:
    with pytest.raises(CaseError) as info:
        api.load_case_text(text, "case.yaml", today=TODAY)
    return "\n".join(f"{i.parsable()} {i.path}" for i in info.value.issues) + str(info.value)


@pytest.mark.parametrize(
    "mrn",
    ["0012345678", "0x1F2E3D", "12:34:56", "1_234_567", "0012345678.5"],
    ids=["leading_zeros", "hexadecimal", "sexagesimal", "underscores", "leading_zero_decimal"],
)
def test_unquoted_mrn_refused_by_the_parser_is_not_echoed(mrn: str) -> None:
    text = _issues(BASE + f"  mrn: {mrn}\n")
    assert mrn not in text
    assert MASK in text  # the message is still there, with the value masked


def test_identifier_used_as_a_key_is_masked_in_the_path() -> None:
    text = _issues(BASE + "  name: Jane Qzxwv\n  Jane Qzxwv: 1\n")
    assert "Qzxwv" not in text and "Jane" not in text
    assert f"[patient.{MASK}]" in text


def test_identifier_in_a_flow_mapping_and_a_list_is_masked() -> None:
    text = _issues(BASE + "  mrn: {value: 0099887766, system: local}\n  name: [Jane, Qzxwv]\n")
    assert "0099887766" not in text and "Qzxwv" not in text


def test_masker_reads_the_source_text_of_every_identifier_scalar() -> None:
    masker = Masker.of(BASE + "  mrn: 0012345678\n  name: {first: Jane, last: Qzxwv}\n")
    assert {"0012345678", "Jane", "Qzxwv"} <= set(masker.values)
    assert masker.text("'0012345678' and JANE") == f"'{MASK}' and {MASK}"
    assert "mrn" not in masker.words  # a field name identifies no one


def _check_case(tmp_path: Path, expected: str, case_id: str = "ID-CASE") -> Path:
    path = tmp_path / "case.yaml"
    body = VALID.replace("case_id: ID-CASE", f"case_id: {case_id}")
    path.write_text(body + "lesions:\n  - level: T12\n" + expected, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "expected",
    [
        "expected:\n  options:\n    MRN-Qkkjv-4471: recommended\n",  # a mismatch at that key
        "expected:\n  triage: Jane Qzxwv\n",  # an invalid expectation quoting the value
        "expected:\n  Qzxwv: 1\n",  # an unknown key in the block
    ],
    ids=["mismatch_key", "invalid_value", "unknown_key"],
)
def test_check_messages_and_junit_are_masked(expected: str, tmp_path: Path) -> None:
    path = _check_case(tmp_path, expected, case_id="Jane-Qzxwv")
    result = check_file(str(path))
    assert result.status in ("fail", "invalid") and result.issues
    xml = junit_xml([result])
    text = "\n".join(i.parsable() + i.path for i in result.issues)
    for needle in NEEDLES:
        assert needle not in text and needle not in xml, needle
    assert MASK in xml
    run = cli("check", str(path), "--junit", str(tmp_path / "junit.xml"))
    assert run.exit_code == 1
    for needle in NEEDLES:
        assert needle not in run.stdout + run.stderr, needle


def test_redact_removes_identifiers_pasted_into_free_text_in_every_format(tmp_path: Path) -> None:
    body = VALID.replace("case_id: ID-CASE", "case_id: MRN-Qkkjv-4471 Jane Qzxwv")
    body += "cancer:\n  primary: renal\n  histology: clear cell (Jane Qzxwv 1950-03-04)\n"
    body += "lesions:\n  - level: T12\n    escc: '1c'\n"
    case = tmp_path / "Jane Qzxwv.yaml"
    case.write_text(body, encoding="utf-8")
    outputs: dict[str, str] = {}
    stdout: dict[str, str] = {}
    for fmt in FORMATS:
        result = run_cli("evaluate", case, "--format", fmt, "--redact", cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        stdout[fmt] = result.stdout.decode()
        outputs[fmt] = stdout[fmt] + result.stderr.decode()
    for fmt in ("markdown", "html"):
        out = tmp_path / f"board.{fmt}"
        result = run_cli("board", case, "-f", fmt, "-o", out, "--redact", cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        outputs[f"board {fmt}"] = out.read_text(encoding="utf-8") + result.stderr.decode()
    jsonl = run_cli("batch", case, "--redact", cwd=tmp_path)
    outputs["batch jsonl"] = jsonl.stdout.decode() + jsonl.stderr.decode()
    plain_csv = run_cli("batch", case, "-f", "csv", cwd=tmp_path)  # CSV: never identifiers
    outputs["batch csv"] = plain_csv.stdout.decode() + plain_csv.stderr.decode()
    for what, text in outputs.items():
        for needle in NEEDLES:
            assert needle not in text, (what, needle)
    assert json.loads(stdout["json"])["case_id"] == f"{MASK} {MASK}"  # masked, not dropped
    row = next(csv.DictReader(io.StringIO(plain_csv.stdout.decode())))
    assert row["case_id"] == f"{MASK} {MASK}" and row["lesion1_level"] == "T12"


def test_redact_keeps_clinical_text_that_only_resembles_an_identifier() -> None:
    body = VALID.replace("mrn: MRN-Qkkjv-4471", "mrn: T12")  # an MRN that is also a level
    body += "cancer:\n  primary: renal\n  histology: clear cell\nlesions:\n  - level: T12\n"
    loaded = api.load_case_text(body, "case.yaml", today=TODAY)
    report = api.assess(loaded, redact=True).to_dict()
    assert (
        report["provenance"]["input_sha256"]
        == api.assess(loaded).to_dict()["provenance"]["input_sha256"]
    )
    assert len(report["provenance"]["rules_sha256"]) == 64


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_dicts(), phi(), st.sampled_from(("case_id", "histology", "case_note")))
def test_pasted_identifiers_never_survive_redaction(
    data: dict[str, Any], p: Phi, where: str
) -> None:
    case = with_phi(data, p)
    pasted = f"{p.name} / {p.mrn} / {p.birth_date.isoformat()}"
    if where == "histology":
        case.setdefault("cancer", {})["histology"] = pasted
    else:
        case[where] = pasted
    try:
        loaded = api.load_case_text(to_yaml(case), "case.yaml", today=TODAY)
    except CaseError:
        assume(False)
        raise
    redacted = api.assess(loaded, redact=True)
    for fmt in FORMATS:
        out = api.render(redacted, fmt)
        assert not p.leaks(out), (fmt, where, p.leaks(out))


def test_warnings_never_quote_identifiers() -> None:
    """Warnings go to stderr even without --redact: identifiers in them are masked."""
    masker = Masker.of(None, {"patient": {"name": "Jane Qzxwv", "birth_date": date(1950, 3, 4)}})
    assert masker.text("histology mentions Jane Qzxwv born 1950-03-04") == (
        f"histology mentions {MASK} born {MASK}"
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_identifiers())
def test_identifiers_written_in_hostile_ways_are_never_echoed(case: HostileIdentifiers) -> None:
    """Unquoted numbers the parser refuses, flow mappings, lists, keys, pasted values, syntax
    errors after them: no message or path of any issue holds the identifier's text."""
    with pytest.raises(CaseError) as info:
        api.load_case_text(case.text, "case.yaml", today=TODAY)
    shown = "\n".join(f"{i.parsable()} {i.path}" for i in info.value.issues) + str(info.value)
    for secret in case.secrets:
        assert secret not in shown, (secret, shown[:500])


_KEY_SPELLINGS = {
    "patient": ("patient", "'patient'", '"patient"', r'"\x70atient"', r'"pat\u0069ent"'),
    "name": ("name", "'name'", r'"n\x61me"', '"na\\\n  me"'),
    "mrn": ("mrn", '"mrn"', r'"\u006drn"'),
}


@given(
    st.sampled_from(_KEY_SPELLINGS["patient"]),
    st.sampled_from(_KEY_SPELLINGS["name"] + _KEY_SPELLINGS["mrn"] + ("age", "birth")),
    st.sampled_from(("Jane Qzxwv", "0012345678", "{first: Jane}", "[Qzxwv, 1]")),
)
def test_quick_scan_skips_only_texts_naming_no_identifier(
    patient: str, field: str, value: str
) -> None:
    from spinemets import identifiers

    text = f"schema_version: 1\n{patient}:\n  {field}: {value}\n"
    found = identifiers._source_values(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(identifiers, "_may_name_phi", lambda _text: True)
        assert found == identifiers._source_values(text)  # the same as reading every text


def test_quick_scan_finds_identifiers_under_escaped_keys() -> None:
    masker = Masker.of('"p\\x61tient":\n  "n\\u0061me": Jane Qzxwv\n')
    assert "Jane Qzxwv" in masker.values
    assert not Masker.of("patient:\n  age: 64\nnames: [Jane]\n")  # no identifier field
