"""``import fhir`` on the published mCODE 4.0.0 IG examples (fixtures/mcode-ig/README.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Case, Primary
from spinemets.interop.fhir import ImportResult, import_bundle, mcode_tables
from spinemets.interop.fhir.codes import longest_prefix
from spinemets.interop.fhir.primary_codes import (
    ICD10_LEFT_TO_CLINICIAN,
    ICD10_PRIMARY,
    ORGAN_PRIMARY,
)
from spinemets.interop.fhir.sites import place

IG = Path(__file__).parent / "fixtures" / "mcode-ig"
TODAY = dt.date(2026, 3, 1)
SCT = "http://snomed.info/sct"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def resource(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((IG / f"{name}.json").read_text(encoding="utf-8"))
    return data


def bundle_of(*names: str) -> bytes:
    entries = [{"resource": resource(n)} for n in names]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


def run(raw: bytes, **options: Any) -> ImportResult:
    return import_bundle(raw, "ig.json", today=TODAY, **options)


def case_of(result: ImportResult) -> Case:
    return load_case_bytes(result.case_yaml.encode()).case


def test_jenny_m_patient_bundle_maps_primary_and_histology() -> None:
    result = run((IG / "Bundle-mcode-patient-bundle-jenny-m.json").read_bytes())
    case = case_of(result)
    assert case.cancer.primary is Primary.BREAST  # SCT 353431000119107
    assert case.cancer.histology == "Infiltrating duct carcinoma (morphologic abnormality)"
    assert case.performance.ecog == 0
    assert str(case.patient.sex) == "female"


def test_john_anyperson_nsclc_with_brain_metastasis_and_performance_status() -> None:
    names = (
        "Patient-cancer-patient-john-anyperson",
        "Condition-primary-cancer-condition-nsclc",
        "Condition-secondary-cancer-condition-brain-mets",
        "Observation-ecog-performance-status-fully-active",
        "Observation-karnofsky-performance-status-normal-activity",
    )
    result = run(bundle_of(*names), assessed_on=dt.date(2026, 2, 1))
    case = case_of(result)
    assert case.cancer.primary is Primary.LUNG_NSCLC
    assert case.cancer.histology == "Adenocarcinoma (morphologic abnormality)"
    assert case.disease.brain_metastases is True
    assert (case.performance.ecog, case.performance.kps) == (0, 90)
    # measured 2019-04-01, for a 2026 board: drafted, and flagged as stale
    stale = {ln.field for ln in result.report if ln.status == "warning"}
    assert stale == {"performance.ecog", "performance.kps"}


def test_eve_anyperson_generic_code_with_a_breast_body_site() -> None:
    result = run(
        bundle_of(
            "Patient-cancer-patient-eve-anyperson", "Condition-primary-cancer-condition-breast"
        )
    )
    case = case_of(result)
    assert case.cancer.primary is Primary.BREAST  # SCT 363346000 at SCT 80248007 left breast
    assert case.cancer.histology == "Lobular carcinoma in situ (morphologic abnormality)"


@pytest.mark.parametrize(
    ("patient", "condition"),
    [
        ("Patient-cancer-patient-brian-l", "Condition-primary-cancer-condition-brian-l"),
        ("Patient-cancer-patient-adam-everyman", "Condition-primary-cancer-condition-cll"),
    ],
)
def test_leukaemia_examples(patient: str, condition: str) -> None:
    assert case_of(run(bundle_of(patient, condition))).cancer.primary is Primary.LEUKEMIA


def test_nonspecific_code_under_the_primary_profile_is_a_primary() -> None:
    result = run(
        bundle_of(
            "Patient-cancer-patient-adam-everyman", "Condition-primary-cancer-condition-nonspecific"
        )
    )
    case = case_of(result)
    assert case.cancer.primary is None  # 128462008 without a site: the clinician codes it
    assert case.disease.vertebral_metastases is None and case.disease.brain_metastases is None
    assert not [ln for ln in result.report if ln.field.startswith(("disease", "lesions"))]
    assert [ln.status for ln in result.report if ln.field == "cancer.primary"] == ["ignored"]


def test_histology_is_kept_when_the_primary_does_not_map() -> None:
    condition = resource("Condition-primary-cancer-condition-breast")
    condition.pop("bodySite")
    raw = json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {"resource": resource("Patient-cancer-patient-eve-anyperson")},
                {"resource": condition},
            ],
        }
    ).encode()
    result = run(raw)
    case = case_of(result)
    assert case.cancer.primary is None
    assert case.cancer.histology == "Lobular carcinoma in situ (morphologic abnormality)"
    line = next(ln for ln in result.report if ln.field == "cancer.histology")
    assert "kept for the clinician to code the primary" in line.reason


# --- the generated table -------------------------------------------------------------------------


def test_generated_table_records_its_provenance() -> None:
    assert (mcode_tables.PACKAGE, mcode_tables.VERSION) == ("hl7.fhir.us.mcode", "4.0.0")
    assert mcode_tables.LICENCE == "CC0-1.0"
    assert len(mcode_tables.TARBALL_SHA256) == 64


def test_every_primary_value_set_code_maps_or_is_left_to_the_clinician() -> None:
    assert len(mcode_tables.PRIMARY_ICD10CM) > 1000
    for code, display in mcode_tables.PRIMARY_ICD10CM.items():
        hit = longest_prefix(ICD10_PRIMARY, code)
        assert (hit is None) == (code[:3] in ICD10_LEFT_TO_CLINICIAN), (code, display)
        if code.startswith("C50"):
            assert hit is not None and hit[1][0] is Primary.BREAST


def test_no_secondary_value_set_code_maps_as_a_primary() -> None:
    for code in mcode_tables.SECONDARY_ICD10CM:
        assert longest_prefix(ICD10_PRIMARY, code) is None, code


def test_every_vertebral_body_row_is_a_level_or_a_site_to_locate() -> None:
    levels = {level for level, _ in mcode_tables.VERTEBRAL_BODY_SNOMED.values()}
    assert {"C3", "T12", "L1", "L5"} <= levels and "T13" not in levels
    for code, (level, display) in mcode_tables.VERTEBRAL_BODY_SNOMED.items():
        site = place({"system": SCT, "code": code})
        if level.startswith("S"):
            assert site.kind == "spine", display
        else:
            assert (site.kind, site.level) == ("level", level), display


def test_spine_regions_and_unknown_bones_are_never_extraspinal() -> None:
    for code in mcode_tables.SPINE_REGION_SNOMED:
        assert place({"system": SCT, "code": code}).kind == "spine"
    assert place({"system": ICDO3, "code": "C41.2"}).kind == "spine"
    assert place({"system": ICDO3, "code": "C41.4"}).kind == "unknown"
    assert place({"system": SCT, "code": "999999999"}).kind == "unknown"
    for code in mcode_tables.NON_VERTEBRAL_BONE_SNOMED:
        assert place({"system": SCT, "code": code}).kind == "bone"


def test_every_organ_row_is_reviewed() -> None:
    assert {organ for organ, _ in mcode_tables.ORGAN_SITE_SNOMED.values()} <= set(ORGAN_PRIMARY)
    assert set(mcode_tables.EXAMPLE_CANCER_CODES) >= {"353431000119107", "128462008"}


def _secondary(*sites: tuple[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": "sec",
        "meta": {
            "profile": [
                "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-secondary-cancer-condition"
            ]
        },
        "subject": {"reference": "Patient/cancer-patient-eve-anyperson"},
        "code": {"coding": [{"system": SCT, "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": s, "code": c}]} for s, c in sites],
    }


def _with_secondary(*sites: tuple[str, str]) -> ImportResult:
    entries = [resource("Patient-cancer-patient-eve-anyperson"), _secondary(*sites)]
    raw = json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": r} for r in entries],
        }
    ).encode()
    return run(raw)


def test_a_vertebral_column_metastasis_is_never_counted_as_extraspinal() -> None:
    result = _with_secondary((ICDO3, "C41.2"), (SCT, "280849005"))  # vertebral column + T12 body
    case = case_of(result)
    assert [les.level for les in case.lesions] == ["T12"]
    assert case.disease.extraspinal_bone_metastases is None
    assert case.disease.vertebral_metastases is None  # at least 1: one site still to locate
    assert "at least 1" in next(
        ln.reason for ln in result.report if ln.field == "disease.vertebral_metastases"
    )


def test_an_unknown_bone_site_leaves_the_counts_unknown() -> None:
    result = _with_secondary((SCT, "71341001"), (SCT, "12345678"))  # femur + unknown code
    case = case_of(result)
    assert case.disease.extraspinal_bone_metastases is None
    text = result.case_yaml
    assert "at least 1 distinct non-vertebral bone sites" in text


def test_known_bones_are_counted() -> None:
    case = case_of(_with_secondary((SCT, "71341001"), (ICDO3, "C41.3")))  # femur, rib
    assert case.disease.extraspinal_bone_metastases == 2


@pytest.mark.parametrize(
    ("code", "body_site", "expected"),
    [
        ("408643008", None, Primary.BREAST),  # infiltrating duct carcinoma of breast
        ("363346000", "76752008", Primary.BREAST),  # malignant neoplastic disease at breast
        ("363346000", "41216001", Primary.PROSTATE),
        ("363346000", "39607008", Primary.LUNG),
        ("363346000", None, None),  # no site anywhere: left to the clinician
    ],
)
def test_real_world_primary_codings(
    code: str, body_site: str | None, expected: Primary | None
) -> None:
    condition = resource("Condition-primary-cancer-condition-breast")
    condition["code"] = {"coding": [{"system": SCT, "code": code}]}
    condition["extension"] = []
    if body_site is None:
        condition.pop("bodySite")
    else:
        condition["bodySite"] = [{"coding": [{"system": SCT, "code": body_site}]}]
    entries = [resource("Patient-cancer-patient-eve-anyperson"), condition]
    raw = json.dumps(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": r} for r in entries],
        }
    ).encode()
    assert case_of(run(raw)).cancer.primary is expected


def test_cli_imports_the_ig_bundle(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spinemets.cli.app import app

    out = tmp_path / "case.yaml"
    bundle = IG / "Bundle-mcode-patient-bundle-jenny-m.json"
    result = CliRunner().invoke(
        app, ["import", "fhir", str(bundle), "--assessed-on", "2026-02-03", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    case = load_case_bytes(out.read_bytes()).case
    assert case.cancer.primary is Primary.BREAST and case.patient.name is None
    assert "warning   performance.ecog" in result.output  # the 2018 ECOG is stale in 2026
