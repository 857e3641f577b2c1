"""``import fhir`` on hostile or careless input: other patients' data, future and stale
values, unbounded or non-regular files, control characters, and identifiers."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Case
from spinemets.cli.app import app
from spinemets.interop.fhir import (
    MAX_BUNDLE_BYTES,
    FhirImportError,
    ImportResult,
    import_bundle,
    import_sources,
    read_source,
)
from spinemets.interop.fhir.windows import STALE_AFTER_DAYS

TODAY = dt.date(2026, 3, 1)
SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
MR_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}
PRIMARY_PROFILE = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"
HISTOLOGY_URL = (
    "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
)
MRN = "0012345678"
PATIENT: dict[str, Any] = {
    "resourceType": "Patient",
    "id": "pat-" + MRN,
    "gender": "female",
    "birthDate": "1958-07-04",
    "name": [{"family": "Quuxington", "given": ["Zelda"]}],
    "identifier": [{"type": MR_TYPE, "system": "urn:oid:1.2.3", "value": MRN}],
}
SELF = {"reference": f"Patient/pat-{MRN}"}
IDENTIFYING = (MRN, "12345678", "Quuxington", "Zelda", "1958-07-04", f"pat-{MRN}")


def ecog(value: int, when: str | None, subject: dict[str, Any] | None = SELF, rid: str = "e"):
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "89247-1"}]},
        "valueInteger": value,
    }
    if when:
        obs["effectiveDateTime"] = when
    if subject is not None:
        obs["subject"] = subject
    return obs


def primary(histology_text: str = "Adenocarcinoma", rid: str = "prim") -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": rid,
        "meta": {"profile": [PRIMARY_PROFILE]},
        "subject": SELF,
        "code": {"coding": [{"system": SCT, "code": "254837009"}]},
        "extension": [
            {
                "url": HISTOLOGY_URL,
                "valueCodeableConcept": {
                    "coding": [{"system": SCT, "code": "35917007"}],
                    "text": histology_text,
                },
            }
        ],
    }


def raw_bundle(*resources: dict[str, Any], btype: str = "collection", **extra: Any) -> bytes:
    entries = [{"resource": r} for r in resources]
    return json.dumps({"resourceType": "Bundle", "type": btype, "entry": entries, **extra}).encode()


def run(raw: bytes, **options: Any) -> ImportResult:
    options.setdefault("today", TODAY)
    return import_bundle(raw, "in.json", **options)


def case_of(result: ImportResult) -> Case:
    return load_case_bytes(result.case_yaml.encode()).case


def report_text(result: ImportResult) -> str:
    return "\n".join(" ".join((ln.field, ln.value, ln.source, ln.reason)) for ln in result.report)


# --- another patient's data --------------------------------------------------------------------


def test_another_patients_observation_is_never_used() -> None:
    other = ecog(0, "2026-02-20", {"reference": "Patient/someone-else-99"}, rid="other")
    result = run(raw_bundle(PATIENT, ecog(2, "2026-02-01"), other))
    assert case_of(result).performance.ecog == 2
    ignored = [ln for ln in result.report if "another patient" in ln.reason]
    assert len(ignored) == 1 and ignored[0].source == "Observation"
    assert "someone-else-99" not in report_text(result)


def test_resources_without_a_subject_are_not_used() -> None:
    result = run(raw_bundle(PATIENT, ecog(1, "2026-02-01", subject=None)))
    assert case_of(result).performance.ecog is None
    assert any("no subject" in ln.reason for ln in result.report)


@pytest.mark.parametrize(
    "subject",
    [
        {"reference": f"https://ehr.example.org/fhir/Patient/pat-{MRN}"},
        {"reference": "urn:uuid:6e5a8a40-0000-4000-8000-000000000001"},
        {"identifier": {"system": "urn:oid:1.2.3", "value": MRN}},
    ],
)
def test_the_patient_is_recognised_by_url_full_url_or_identifier(subject: dict[str, Any]) -> None:
    data = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:6e5a8a40-0000-4000-8000-000000000001", "resource": PATIENT},
            {"resource": ecog(3, "2026-02-01", subject)},
        ],
    }
    result = run(json.dumps(data).encode())
    assert case_of(result).performance.ecog == 3


def test_two_patients_are_refused() -> None:
    second = {**PATIENT, "id": "another"}
    with pytest.raises(FhirImportError, match="2 Patient resources"):
        run(raw_bundle(PATIENT, second))


def test_no_patient_and_two_subjects_is_refused() -> None:
    raw = raw_bundle(
        ecog(1, "2026-02-01"), ecog(2, "2026-02-01", {"reference": "Patient/b"}, rid="b")
    )
    with pytest.raises(FhirImportError, match="2 different patients"):
        run(raw)


# --- future and stale values ---------------------------------------------------------------------


def test_a_future_observation_is_never_the_newest() -> None:
    result = run(raw_bundle(PATIENT, ecog(1, "2026-02-01"), ecog(4, "2027-01-01", rid="f")))
    assert case_of(result).performance.ecog == 1
    assert any("in the future" in ln.reason for ln in result.report if ln.status == "ignored")


def test_a_value_after_the_assessment_date_is_not_used() -> None:
    raw = raw_bundle(PATIENT, ecog(1, "2026-01-05"), ecog(3, "2026-02-20", rid="late"))
    result = run(raw, assessed_on=dt.date(2026, 2, 1))
    assert case_of(result).performance.ecog == 1
    assert any("after the assessment date" in ln.reason for ln in result.report)


def test_a_stale_value_is_drafted_with_a_warning() -> None:
    result = run(raw_bundle(PATIENT, ecog(1, "2019-05-02")), assessed_on=dt.date(2026, 2, 1))
    assert case_of(result).performance.ecog == 1
    warning = [ln for ln in result.report if ln.status == "warning"]
    assert len(warning) == 1 and warning[0].field == "performance.ecog"
    assert f"window {STALE_AFTER_DAYS['performance.ecog']} days" in warning[0].reason
    ecog_line = next(ln for ln in result.case_yaml.splitlines() if ln.startswith("  ecog:"))
    assert "STALE: dated 2019-05-02" in ecog_line


def test_a_value_inside_the_window_gives_no_warning() -> None:
    result = run(raw_bundle(PATIENT, ecog(1, "2026-01-20")), assessed_on=dt.date(2026, 2, 1))
    assert not [ln for ln in result.report if ln.status == "warning"]


def test_the_reference_date_is_the_newest_encounter_then_the_newest_record_date() -> None:
    encounter = {
        "resourceType": "Encounter",
        "id": "enc",
        "subject": SELF,
        "period": {"start": "2026-02-10T08:00:00Z", "end": "2026-02-12T10:00:00Z"},
    }
    with_encounter = run(raw_bundle(PATIENT, ecog(1, "2025-06-01"), encounter))
    line = next(ln for ln in with_encounter.report if ln.field == "assessed_on")
    assert line.value == "2026-02-12" and "Encounter" in line.reason
    assert any(ln.status == "warning" for ln in with_encounter.report)  # 256 days old
    record_only = run(raw_bundle(PATIENT, ecog(1, "2025-06-01")))
    assert next(ln for ln in record_only.report if ln.field == "assessed_on").value == "2025-06-01"
    nothing = run(raw_bundle(PATIENT))
    assert next(ln for ln in nothing.report if ln.field == "assessed_on").value == "2026-03-01"


def test_the_draft_carries_the_assessment_date() -> None:
    result = run(raw_bundle(PATIENT, ecog(1, "2026-02-01")), assessed_on=dt.date(2026, 2, 3))
    assert case_of(result).assessed_on == dt.date(2026, 2, 3)
    assert "\nassessed_on: 2026-02-03  # reference date: given on the command line" in (
        result.case_yaml
    )


# --- bounded, regular-file reads -----------------------------------------------------------------


def test_a_huge_file_is_refused_before_any_byte_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GiB that take no disk space

    def no_open(*_args: Any, **_kwargs: Any) -> int:
        raise AssertionError("opened for reading before the size check")

    monkeypatch.setattr(os, "open", no_open)
    with pytest.raises(FhirImportError, match="2,147,483,648 bytes"):
        read_source(big)


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_bytes(b" " * 200)
    with pytest.raises(FhirImportError, match="200 bytes; a FHIR input is limited to 100 bytes"):
        read_source(path, limit=100)
    assert read_source(path, limit=200) == b" " * 200


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_without_reading() -> None:
    with pytest.raises(FhirImportError, match="character device"):
        read_source(Path("/dev/zero"))


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(FhirImportError, match="FIFO"):
        read_source(fifo)


def test_a_directory_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FhirImportError, match="directory"):
        read_source(tmp_path)
    with pytest.raises(FhirImportError, match="not found"):
        read_source(tmp_path / "missing.json")


def test_cli_refuses_a_fifo_with_exit_1(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["import", "fhir", str(fifo)])
    assert result.exit_code == 1
    assert "FIFO" in result.output and "Traceback" not in result.output


def test_the_limit_is_a_sane_size() -> None:
    assert 1024**2 <= MAX_BUNDLE_BYTES < 1024**3


# --- text that must not crash or mislead ---------------------------------------------------------


def test_a_lone_surrogate_does_not_crash_the_import() -> None:
    raw = raw_bundle(PATIENT, primary("Adeno\ud800carcinoma"))
    assert b"\\ud800" in raw  # JSON-escaped, as a hostile exporter would write it
    result = run(raw)
    assert case_of(result).cancer.histology == "Adeno\ufffdcarcinoma"
    result.case_yaml.encode("utf-8")  # never raises


def test_control_characters_never_reach_the_draft_or_report() -> None:
    text = "Adeno\x1b[2J\x1b[32mROUTINE\x07\u202e\u2028carcinoma"
    result = run(raw_bundle(PATIENT, primary(text)))
    histology = case_of(result).cancer.histology
    assert histology is not None and "\x1b" not in histology and "\u202e" not in histology
    for ch in ("\x1b", "\x07", "\u202e", "\u2028"):
        assert ch not in result.case_yaml and ch not in report_text(result)


JSON_TEXT = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["\ud800", "\udfff", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\x85", "unknown", "null", "'"]
)
JSON_INT = st.integers(min_value=-(10**6), max_value=10**6)
CODES = st.sampled_from(
    [
        "254837009", "94222008", "23215003", "66794005", "128462008", "363346000",
        "80248007", "C50.9", "C79.51", "C41.2", "89247-1", "89243-0", "1751-7", "8140/3",
    ]
)  # fmt: skip
SYSTEMS = st.sampled_from(
    [
        SCT,
        LOINC,
        "http://hl7.org/fhir/sid/icd-10-cm",
        "http://terminology.hl7.org/CodeSystem/icd-o-3",
    ]
)
CONCEPT = st.fixed_dictionaries(
    {"coding": st.lists(st.fixed_dictionaries({"system": SYSTEMS, "code": CODES}), max_size=3)},
    optional={"text": JSON_TEXT},
)
DATE = st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(dt.date.isoformat) | JSON_TEXT


@st.composite
def hostile_resource(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["Condition", "Observation", "Encounter", "Procedure"]))
    resource: dict[str, Any] = {"resourceType": kind, "id": draw(JSON_TEXT), "code": draw(CONCEPT)}
    if draw(st.booleans()):
        resource["subject"] = SELF
    if kind == "Condition":
        resource["meta"] = {"profile": [draw(st.sampled_from([PRIMARY_PROFILE, "x"]))]}
        resource["bodySite"] = draw(st.lists(CONCEPT, max_size=4))
        resource["onsetDateTime"] = draw(DATE)
        resource["extension"] = [{"url": HISTOLOGY_URL, "valueCodeableConcept": draw(CONCEPT)}]
    else:
        resource["status"] = draw(st.sampled_from(["final", "amended"]) | JSON_TEXT)
        resource["effectiveDateTime"] = draw(DATE)
        value = draw(
            st.one_of(
                JSON_INT.map(lambda v: {"valueInteger": v}),
                st.fixed_dictionaries(
                    {
                        "value": st.floats(allow_nan=False, allow_infinity=False) | JSON_INT,
                        "unit": JSON_TEXT,
                    }
                ).map(lambda q: {"valueQuantity": q}),
                CONCEPT.map(lambda c: {"valueCodeableConcept": c}),
            )
        )
        resource.update(value)
    return resource


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    resources=st.lists(hostile_resource(), max_size=12),
    name=JSON_TEXT,
    birth=DATE,
)
def test_a_draft_from_any_bundle_always_loads(
    resources: list[dict[str, Any]], name: str, birth: str
) -> None:
    patient = {**PATIENT, "name": [{"text": name}], "birthDate": birth}
    for with_identifiers in (False, True):
        result = run(raw_bundle(patient, *resources), with_identifiers=with_identifiers)
        case = case_of(result)  # never raises: no control characters, no out-of-range values
        assert case.schema_version == 1
        if not with_identifiers:
            assert case.patient.name is None and case.patient.mrn is None


# --- identifiers ---------------------------------------------------------------------------------


def test_the_draft_has_no_identifiers_by_default() -> None:
    result = run(raw_bundle(PATIENT, ecog(1, "2026-02-01")))
    case = case_of(result)
    assert (case.patient.name, case.patient.mrn, case.patient.birth_date) == (None, None, None)
    assert case.patient.age == 67 and str(case.patient.sex) == "female"
    assert all(text not in result.case_yaml for text in IDENTIFYING)
    refused = [ln for ln in result.report if "--with-identifiers" in ln.reason]
    assert {ln.field for ln in refused} == {"patient.name", "patient.mrn", "patient.birth_date"}


def test_with_identifiers_the_draft_carries_them() -> None:
    case = case_of(run(raw_bundle(PATIENT), with_identifiers=True))
    assert case.patient.name == "Zelda Quuxington"
    assert case.patient.mrn == MRN
    assert case.patient.birth_date == dt.date(1958, 7, 4)


def test_the_report_never_echoes_identifiers_from_ids_or_text() -> None:
    tainted = primary(f"Adenocarcinoma (biopsy of Zelda QUUXINGTON, MRN {MRN})", rid=f"c-{MRN}")
    raw = raw_bundle(PATIENT, tainted, ecog(2, "2026-02-01", rid=f"obs-{MRN}"), id=f"bundle-{MRN}")
    for with_identifiers in (False, True):
        result = run(raw, with_identifiers=with_identifiers)
        report = report_text(result)
        assert all(text.casefold() not in report.casefold() for text in IDENTIFYING)
        assert "[identifier]" in report  # the histology text is shown, masked
        case = case_of(result)
        assert MRN not in case.case_id and case.cancer.histology is not None
        assert MRN not in case.cancer.histology and "Zelda" not in case.cancer.histology


def test_the_draft_header_masks_an_identifier_in_the_file_name() -> None:
    result = import_sources([(raw_bundle(PATIENT), f"/exports/{MRN}.json")], today=TODAY)
    assert MRN not in result.case_yaml


# --- input as hospitals export it ----------------------------------------------------------------


def test_searchset_with_outcome_and_transaction_bundles_are_read() -> None:
    outcome = {"resourceType": "OperationOutcome", "issue": []}
    data = json.loads(raw_bundle(PATIENT, ecog(2, "2026-02-01"), btype="searchset"))
    data["entry"].append({"search": {"mode": "outcome"}, "resource": outcome})
    assert case_of(run(json.dumps(data).encode())).performance.ecog == 2
    transaction = raw_bundle(PATIENT, ecog(3, "2026-02-01"), btype="transaction")
    assert case_of(run(transaction)).performance.ecog == 3


def test_several_search_results_are_merged_once() -> None:
    first = raw_bundle(PATIENT, btype="searchset")
    second = raw_bundle(PATIENT, ecog(2, "2026-02-01"), ecog(2, "2026-02-01"), btype="searchset")
    result = import_sources([(first, "patient.json"), (second, "obs.json")], today=TODAY)
    assert case_of(result).performance.ecog == 2
    assert "newest of 1 observation" in next(
        ln.reason for ln in result.report if ln.field == "performance.ecog"
    )


def test_bulk_data_ndjson_is_read() -> None:
    lines = [json.dumps(PATIENT), json.dumps(ecog(1, "2026-02-01")), ""]
    result = run("\n".join(lines).encode())
    assert case_of(result).performance.ecog == 1


def test_xml_and_history_get_clear_errors() -> None:
    with pytest.raises(FhirImportError, match="XML"):
        run(b'<?xml version="1.0"?><Bundle xmlns="http://hl7.org/fhir"/>')
    with pytest.raises(FhirImportError, match="history"):
        run(raw_bundle(PATIENT, btype="history"))


def test_data_absent_reasons_are_named_in_the_report() -> None:
    obs = ecog(1, "2026-02-01")
    del obs["valueInteger"]
    obs["dataAbsentReason"] = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                "code": "asked-declined",
                "display": "Asked But Declined",
            }
        ]
    }
    result = run(raw_bundle(PATIENT, obs))
    line = next(ln for ln in result.report if ln.field == "performance.ecog")
    assert line.status == "ignored"
    assert "data absent, reason asked-declined (Asked But Declined)" in line.reason


def test_bulk_data_of_several_patients_needs_a_chosen_patient() -> None:
    other = {**PATIENT, "id": "someone-else", "identifier": []}
    lines = [
        json.dumps(PATIENT),
        json.dumps(other),
        json.dumps(ecog(1, "2026-02-01")),
        json.dumps(ecog(4, "2026-02-02", {"reference": "Patient/someone-else"}, rid="x")),
    ]
    raw = "\n".join(lines).encode()
    with pytest.raises(FhirImportError, match="--patient"):
        run(raw)
    result = run(raw, patient_id=f"pat-{MRN}")
    assert case_of(result).performance.ecog == 1
    assert any("other patients in the input" in ln.reason for ln in result.report)
    assert all(text not in report_text(result) for text in IDENTIFYING)
    with pytest.raises(FhirImportError, match="no Patient resource has the id"):
        run(raw, patient_id="nobody")
