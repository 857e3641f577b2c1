"""The mCODE / FHIR R4 bundle importer: fixtures, mapping report, case YAML, errors, PHI."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Case, Primary, Sex, Visceral
from spinemets.errors import UserError
from spinemets.interop.fhir import (
    SCHEMA_HEADER,
    FhirImportError,
    ImportResult,
    MappingLine,
    import_bundle,
)

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 3, 1)
SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
PRIMARY_PROFILE = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-primary-cancer-condition"
HISTOLOGY_URL = (
    "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-histology-morphology-behavior"
)
# synthetic identifiers of the full fixture: they may reach the case file, never the report
PHI = ("Testperson", "Alex", "SYNTH-000123", "1961-03-15")


def run(name: str, *, with_identifiers: bool = True) -> ImportResult:
    return import_bundle(
        (FIXTURES / f"{name}.json").read_bytes(),
        f"{name}.json",
        today=TODAY,
        assessed_on=TODAY,
        with_identifiers=with_identifiers,
    )


def entry(name: str, resource_id: str) -> str:
    """How the report names the fixture's resource ``resource_id``: type and entry position."""
    data = json.loads((FIXTURES / f"{name}.json").read_text())
    for position, item in enumerate(data["entry"], 1):
        if item["resource"].get("id") == resource_id:
            return f"{item['resource']['resourceType']} (entry {position})"
    raise AssertionError(resource_id)


def load(result: ImportResult) -> Case:
    return load_case_bytes(result.case_yaml.encode()).case


def lines(result: ImportResult, field: str, status: str | None = None) -> list[MappingLine]:
    return [
        ln for ln in result.report if ln.field == field and (status is None or ln.status == status)
    ]


def bundle(*resources: dict[str, Any], bundle_id: str | None = "b1") -> bytes:
    """A collection Bundle of one patient: a Patient (unless given) and ``resources``, each
    given that patient as subject unless it names one."""
    data: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if bundle_id:
        data["id"] = bundle_id
    items = [copy.deepcopy(r) for r in resources]
    if not any(r.get("resourceType") == "Patient" for r in items):
        items.insert(0, {"resourceType": "Patient", "id": "p1"})
    for item in items:
        if item["resourceType"] != "Patient" and "subject" not in item:
            item["subject"] = {"reference": "Patient/p1"}
    data["entry"] = [{"resource": r} for r in items]
    return json.dumps(data).encode()


def primary_condition(
    *codings: tuple[str, str], histology: tuple[str, str] | None = None
) -> dict[str, Any]:
    cond: dict[str, Any] = {
        "resourceType": "Condition",
        "id": "prim",
        "meta": {"profile": [PRIMARY_PROFILE]},
        "code": {"coding": [{"system": s, "code": c} for s, c in codings]},
    }
    if histology:
        cond["extension"] = [
            {
                "url": HISTOLOGY_URL,
                "valueCodeableConcept": {
                    "coding": [{"system": histology[0], "code": histology[1]}]
                },
            }
        ]
    return cond


def observation(oid: str, loinc: str, when: str | None, **value: Any) -> dict[str, Any]:
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": oid,
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": loinc}]},
        **value,
    }
    if when:
        obs["effectiveDateTime"] = when
    return obs


FIXTURE_NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_every_fixture_yields_a_loadable_commented_case(name: str) -> None:
    result = run(name)
    text = result.case_yaml
    assert text.splitlines()[0] == SCHEMA_HEADER
    assert "\nschema_version: 1\n" in text
    case = load_case_bytes(text.encode()).case
    assert case.schema_version == 1
    # every unknown clinical field is present with a comment saying what to add
    for key in (
        "frankel:",
        "ambulatory:",
        "nrs:",
        "operable:",
        "declines_surgery:",
        "systemic_therapy:",
    ):
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(key))
        assert ": unknown  # add: " in line
    assert all(ln.status in ("mapped", "ignored", "conflict", "warning") for ln in result.report)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_report_never_holds_patient_identifiers(name: str) -> None:
    result = run(name)
    for line in result.report:
        text = " ".join((line.field, line.value, line.source, line.reason))
        assert not any(p in text for p in PHI)
        assert "cancer-patient-alex" not in text  # the Patient id may be the MRN in some systems


def test_full_bundle_values() -> None:
    result = run("full")
    case = load(result)
    assert case.case_id.startswith("imported-")  # never the Bundle id (ids may hold identifiers)
    assert case.patient.age == 64  # born 1961-03-15, on 2026-03-01 (birthday not yet reached)
    assert case.patient.sex is Sex.MALE
    # identifiers are copied from Patient (removed later by --redact)
    assert case.patient.name == "Alex Testperson"
    assert case.patient.mrn == "SYNTH-000123"
    assert case.patient.birth_date == dt.date(1961, 3, 15)
    assert case.cancer.primary is Primary.KIDNEY
    assert case.cancer.histology == "Clear cell renal cell carcinoma"
    assert case.cancer.diagnosed_on == dt.date(2023, 5, 10)  # assertedDate wins over onset
    assert [les.level for les in case.lesions] == ["T12", "L1"]  # cranial to caudal
    for lesion in case.lesions:  # level only: every SINS item and ESCC stay unknown
        items = (lesion.pain, lesion.bone_lesion, lesion.alignment, lesion.collapse)
        assert items == (None, None, None, None)
        assert (lesion.posterolateral, lesion.escc, lesion.prior_radiation) == (None, None, None)
    assert case.disease.vertebral_metastases == 2
    assert case.disease.extraspinal_bone_metastases == 1
    assert case.disease.visceral_metastases is None  # present, but removable or not is unknown
    assert case.disease.brain_metastases is None
    assert case.performance.ecog == 1  # newest of ECOG 0 (2025) and 1 (2026)
    assert case.performance.kps == 70
    assert case.labs.albumin is not None and str(case.labs.albumin) == "3.8 g/dL"  # from 38 g/L
    assert case.labs.egfr == 55
    # still clinician-entered
    assert case.neurology.frankel is None and case.cancer.systemic_therapy is None


def test_full_bundle_report() -> None:
    result = run("full")
    (primary,) = lines(result, "cancer.primary")
    assert primary.status == "mapped" and primary.value == "kidney"
    assert "SCT#363518003" in primary.source and "8312/3" in primary.reason
    (ecog,) = lines(result, "performance.ecog", "mapped")
    assert ecog.value == "1" and entry("full", "ecog-2026") in ecog.source
    (old,) = lines(result, "performance.ecog", "ignored")
    assert old.value == "0" and "older" in old.reason
    (albumin,) = lines(result, "labs.albumin")
    assert albumin.value == "3.8 g/dL" and "38 g/L converted" in albumin.source
    (visceral,) = lines(result, "disease.visceral_metastases")
    assert visceral.value == "unknown" and "removable" in visceral.reason
    assert "94381002" in visceral.source
    assert [ln.value for ln in lines(result, "lesions[].level")] == ["T12", "L1"]
    ignored = {ln.source for ln in lines(result, "-", "ignored")}
    assert ignored == {"Procedure", "Observation"}
    visceral_comment = next(
        ln for ln in result.case_yaml.splitlines() if "visceral_metastases:" in ln
    )
    assert "set removable or unremovable" in visceral_comment


def test_nothing_useful_bundle() -> None:
    result = run("nothing_useful")
    case = load(result)
    assert case.case_id.startswith("imported-")
    assert case.assessed_on == TODAY  # the reference date is written into the draft
    assert case.model_dump(exclude={"case_id", "assessed_on"}) == Case.model_validate(
        {"schema_version": 1, "case_id": "x"}
    ).model_dump(exclude={"case_id", "assessed_on"})
    assert [ln.status for ln in result.report if ln.field not in ("case_id", "assessed_on")] == [
        "ignored"
    ] * 5
    assert "lesions: []" in result.case_yaml


def test_conflicting_observations() -> None:
    result = run("conflicting")
    case = load(result)
    # two ECOG observations of the same newest date disagree (1 vs 3): unknown, reported
    assert case.performance.ecog is None
    conflict = [
        ln for ln in lines(result, "performance.ecog", "conflict") if "same date" in ln.reason
    ]
    assert len(conflict) == 1
    assert entry("conflicting", "ecog-a") in conflict[0].source
    assert entry("conflicting", "ecog-b") in conflict[0].source
    # valueInteger 2 with interpretation answer for 0: the observation itself is a conflict
    assert any(
        entry("conflicting", "ecog-mismatch") in ln.source
        for ln in lines(result, "performance.ecog", "conflict")
    )
    # KPS: the newest (answer code LA29181-7 = 40, dated by its period end) wins over 90;
    # an entered-in-error observation is never used
    assert case.performance.kps == 40
    assert any(
        "entered-in-error" in ln.reason for ln in lines(result, "performance.kps", "ignored")
    )
    # albumin 3.1 g/dL vs 40 g/L at the same instant
    assert case.labs.albumin is None
    assert lines(result, "labs.albumin", "conflict")
    # two different primaries, none linked from a spinal metastasis
    assert case.cancer.primary is None
    assert lines(result, "cancer.primary", "conflict")
    assert "# CONFLICT" in next(ln for ln in result.case_yaml.splitlines() if "ecog:" in ln)
    # birthDate 1958-11 (no day), not the current month: the age is certain
    assert case.patient.age == 67


def test_unsupported_codes() -> None:
    result = run("unsupported")
    case = load(result)
    assert case.case_id.startswith("imported-") and len(case.case_id) == len("imported-") + 10
    assert case.patient.age is None  # year-only birthDate
    assert case.cancer.primary is None
    assert case.cancer.diagnosed_on is None
    assert case.lesions == [] and case.disease.vertebral_metastases is None
    assert case.performance.ecog is None and case.performance.kps is None
    assert case.labs.albumin is None and case.labs.egfr is None
    reasons = " | ".join(ln.reason for ln in result.report)
    unplaced = " | ".join(ln.source for ln in lines(result, "lesions", "ignored"))
    assert "thoracic spine" in unplaced and "sacrum" in unplaced
    for expected in (
        "not in the SNOMED / ICD-10 / ICD-O-3 tables",
        "a spinal site without a vertebral level",
        "cannot tell spine from other bones",
        "clinicalStatus is resolved",
        "not a valid ECOG value",
        "not a valid KPS value",
        "not a LOINC answer code",
        "'umol/L' is not g/dL or g/L",
        "implausible",
        "a bound (>60)",
        "'mL/s' is not mL/min/1.73 m2",
        "year only",
    ):
        assert expected in reasons
    assert all(
        ln.status != "mapped"
        or ln.field in ("case_id", "assessed_on", "patient.sex", "cancer.histology")
        for ln in result.report
    )


@pytest.mark.parametrize(
    ("primary", "histology", "expected"),
    [
        ((SCT, "363358000"), (ICDO3, "8041/3"), Primary.LUNG_SCLC),
        ((SCT, "363358000"), (ICDO3, "8140/3"), Primary.LUNG_NSCLC),
        ((SCT, "363358000"), (SCT, "1187332001"), Primary.LUNG_NSCLC),  # mCODE IG example
        ((ICD10CM, "C34.90"), None, Primary.LUNG),
        ((SCT, "254637007"), None, Primary.LUNG_NSCLC),  # mCODE NSCLC example code
        ((SCT, "93934004"), (ICDO3, "9060/3"), Primary.GERM_CELL),  # ovarian dysgerminoma
        ((ICD10CM, "C16.9"), (ICDO3, "9680/3"), Primary.LYMPHOMA),  # gastric lymphoma
        ((SCT, "363346000"), (ICDO3, "9732/3"), Primary.MYELOMA),  # generic code + histology
        ((SCT, "254837009"), (ICDO3, "8500/3"), Primary.BREAST),
        ((ICD10CM, "C50.912"), None, Primary.BREAST),
        ((ICDO3, "C61.9"), None, Primary.PROSTATE),  # ICD-O-3 topography as the code
    ],
)
def test_primary_mapping(
    primary: tuple[str, str], histology: tuple[str, str] | None, expected: Primary
) -> None:
    result = import_bundle(
        bundle(primary_condition(primary, histology=histology)), "b.json", today=TODAY
    )
    assert load(result).cancer.primary is expected


@pytest.mark.parametrize(
    ("codings", "histology"),
    [
        (((SCT, "254632001"), (SCT, "254637007")), None),  # SCLC and NSCLC codings
        (((SCT, "254837009"), (ICD10CM, "C61")), None),  # breast and prostate codings
        (((SCT, "254632001"),), (ICDO3, "8140/3")),  # SCLC code, adenocarcinoma histology
        (((SCT, "109989006"),), (ICDO3, "9680/3")),  # myeloma code, lymphoma histology
    ],
)
def test_disagreeing_primary_codes_are_conflicts(
    codings: tuple[tuple[str, str], ...], histology: tuple[str, str] | None
) -> None:
    result = import_bundle(
        bundle(primary_condition(*codings, histology=histology)), "b.json", today=TODAY
    )
    assert load(result).cancer.primary is None
    assert lines(result, "cancer.primary", "conflict")


def test_several_primaries_resolved_by_the_spinal_metastasis_link() -> None:
    breast = primary_condition((SCT, "254837009")) | {"id": "breast"}
    thyroid = primary_condition((ICD10CM, "C73")) | {"id": "thyroid"}
    spine = {
        "resourceType": "Condition",
        "id": "sec",
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/condition-related",
                "valueReference": {"reference": "Condition/thyroid"},
            }
        ],
        "code": {"coding": [{"system": SCT, "code": "94222008"}]},
        "bodySite": [{"coding": [{"system": SCT, "code": "45296009"}]}],
    }
    result = import_bundle(bundle(breast, thyroid, spine), "b.json", today=TODAY)
    case = load(result)
    assert case.cancer.primary is Primary.THYROID
    assert case.lesions[0].level == "T6"
    assert "reference it" in lines(result, "cancer.primary", "mapped")[0].reason


def test_metastatic_sites() -> None:
    def secondary(cid: str, code: tuple[str, str], *sites: str) -> dict[str, Any]:
        return {
            "resourceType": "Condition",
            "id": cid,
            "code": {"coding": [{"system": code[0], "code": code[1]}]},
            "bodySite": [{"coding": [{"system": SCT, "code": s}]} for s in sites],
        }

    raw = bundle(
        secondary("a", (SCT, "94222008"), "14806007", "49668003"),  # C1, L5
        secondary("b", (ICD10CM, "C79.51"), "49668003", "71341001"),  # L5 again + femur
        secondary("c", (SCT, "128462008"), "11068009"),  # generic secondary at T8
        secondary("d", (ICD10CM, "C78.01")),  # lung metastasis
        secondary("e", (SCT, "94225005")),  # brain
        secondary("f", (SCT, "94381002"), "23215003"),  # liver code with a vertebra site
        secondary("g", (ICD10CM, "C77.0")),  # lymph nodes: not classified
    )
    result = import_bundle(raw, "b.json", today=TODAY)
    case = load(result)
    assert [les.level for les in case.lesions] == ["C1", "T8", "L5"]
    assert case.disease.vertebral_metastases == 3
    assert case.disease.extraspinal_bone_metastases == 1
    assert case.disease.brain_metastases is True
    assert case.disease.visceral_metastases is None
    assert lines(result, "disease.visceral_metastases")[0].value == "unknown"
    # entries: 1 the Patient, then a..g
    assert any("Condition (entry 7)" in ln.source for ln in lines(result, "lesions", "conflict"))
    assert any("Condition (entry 8)" in ln.source for ln in lines(result, "disease", "ignored"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"valueInteger": 3}, 3),
        ({"valueCodeableConcept": {"coding": [{"system": LOINC, "code": "LA9626-8"}]}}, 4),
        ({"interpretation": [{"coding": [{"system": LOINC, "code": "LA9624-3"}]}]}, 2),
        ({"valueInteger": 6}, None),
        ({"valueInteger": True}, None),
        ({"valueString": "2"}, None),
    ],
)
def test_ecog_value_forms(value: dict[str, Any], expected: int | None) -> None:
    result = import_bundle(
        bundle(observation("e", "89247-1", "2026-01-01", **value)), "b", today=TODAY
    )
    assert load(result).performance.ecog == expected


@pytest.mark.parametrize(("code", "kps"), [("LA29175-9", 100), ("LA29180-9", 50), ("LA9627-6", 0)])
def test_kps_answer_codes(code: str, kps: int) -> None:
    value = {"valueCodeableConcept": {"coding": [{"system": LOINC, "code": code}]}}
    result = import_bundle(
        bundle(observation("k", "89243-0", "2026-01-01", **value)), "b", today=TODAY
    )
    assert load(result).performance.kps == kps


def test_ecog_kps_disagreement_is_reported_but_both_kept() -> None:
    raw = bundle(
        observation("e", "89247-1", "2026-01-01", valueInteger=0),
        observation("k", "89243-0", "2026-01-01", valueInteger=40),  # KPS 40 ~ ECOG 3 (§4.3)
    )
    result = import_bundle(raw, "b", today=TODAY)
    case = load(result)
    assert (case.performance.ecog, case.performance.kps) == (0, 40)
    (line,) = lines(result, "performance", "conflict")
    assert "ECOG 3" in line.reason


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ({"value": 3.8, "code": "g/dL"}, "3.8 g/dL"),
        ({"value": 38, "code": "g/L"}, "3.8 g/dL"),
        ({"value": 35, "code": "g/L"}, "3.5 g/dL"),
        ({"value": 41.5, "code": "g/L"}, "4.15 g/dL"),
        ({"value": 3.8, "unit": "g/dl"}, "3.8 g/dL"),  # no UCUM system: the unit text is read
    ],
)
def test_albumin_units(quantity: dict[str, Any], expected: str) -> None:
    if "code" in quantity:
        quantity = quantity | {"system": "http://unitsofmeasure.org"}
    result = import_bundle(
        bundle(observation("a", "1751-7", "2026-01-01", valueQuantity=quantity)), "b", today=TODAY
    )
    albumin = load(result).labs.albumin
    assert albumin is not None and str(albumin) == expected


def test_egfr_newest_wins_across_codes() -> None:
    ucum = {"system": "http://unitsofmeasure.org", "code": "mL/min/{1.73_m2}"}
    raw = bundle(
        observation("old", "33914-3", "2025-01-01", valueQuantity={"value": 80} | ucum),
        observation("new", "98979-8", "2026-02-01", valueQuantity={"value": 42.5} | ucum),
    )
    result = import_bundle(raw, "b", today=TODAY)
    assert load(result).labs.egfr == 42.5


@pytest.mark.parametrize(
    ("birth", "age"),
    [
        ("1961-03-01", 65),  # birthday today
        ("1961-03-02", 64),
        ("1961-02", 65),  # month only, not the current month
        ("1961-03", None),  # month only, current month: ambiguous
        ("1961", None),
        ("2027-01-01", None),  # in the future
        ("1890-01-01", None),  # over 120
    ],
)
def test_age_from_birth_date(birth: str, age: int | None) -> None:
    patient = {"resourceType": "Patient", "id": "p", "birthDate": birth}
    result = import_bundle(bundle(patient), "b", today=TODAY)
    assert load(result).patient.age == age


def test_future_diagnosis_date_is_not_used() -> None:
    cond = primary_condition((SCT, "254837009")) | {"onsetDateTime": "2026-06-01"}
    result = import_bundle(bundle(cond), "b", today=TODAY)
    assert load(result).cancer.diagnosed_on is None


def test_identifiers_only_when_present() -> None:
    result = import_bundle(
        bundle({"resourceType": "Patient", "id": "p", "gender": "female"}), "b", today=TODAY
    )
    text = result.case_yaml
    assert "name:" not in text and "mrn:" not in text and "birth_date:" not in text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"{not json", "not valid JSON"),
        (b'{"resourceType": "Bundle", "entry": [], "x": NaN}', "not valid JSON"),
        (b"[1, 2]", "not an object"),
        (b'{"resourceType": "Patient", "id": "p"}', "resourceType is 'Patient'"),
        (b'{"type": "collection"}', "resourceType is missing"),
        (b'{"resourceType": "Bundle", "entry": {}}', "Bundle.entry is not a list"),
        (b'{"resourceType": "Bundle", "meta": {"fhirVersion": "5.0.0"}}', "5.0.0"),
        (b'{"resourceType": "Bundle", "fhirVersion": "3.0.2"}', "3.0.2"),
        (b'{"resourceType": "Bundle", "issues": {}}', "R5"),
    ],
)
def test_unreadable_input(raw: bytes, message: str) -> None:
    with pytest.raises(FhirImportError, match=r"^in\.json: ") as info:
        import_bundle(raw, "in.json", today=TODAY)
    assert message in str(info.value)
    assert isinstance(info.value, UserError)


@pytest.mark.parametrize(
    ("resource", "version"),
    [
        ({"resourceType": "ProcedureRequest", "id": "x"}, "STU3"),
        ({"resourceType": "MedicationOrder", "id": "x"}, "DSTU2"),
        ({"resourceType": "RequestOrchestration", "id": "x"}, "R5"),
        ({"resourceType": "SubscriptionTopic", "id": "x"}, "R4B"),
        ({"resourceType": "Condition", "id": "x", "clinicalStatus": "active"}, "STU3"),
        ({"resourceType": "Condition", "id": "x", "patient": {"reference": "Patient/p"}}, "DSTU2"),
        ({"resourceType": "Condition", "id": "x", "participant": []}, "R5"),
        ({"resourceType": "Observation", "id": "x", "triggeredBy": []}, "R5"),
        ({"resourceType": "Observation", "id": "x", "meta": {"fhirVersion": "5.0.0"}}, "5.0.0"),
    ],
)
def test_non_r4_bundles_are_refused(resource: dict[str, Any], version: str) -> None:
    with pytest.raises(FhirImportError, match="R4") as info:
        import_bundle(bundle(resource), "in.json", today=TODAY)
    assert version in str(info.value)


def test_several_patients_are_refused() -> None:
    patient = {"resourceType": "Patient", "id": "p", "name": [{"family": "Secretname"}]}
    with pytest.raises(FhirImportError, match="2 Patient resources") as info:
        import_bundle(bundle(patient, patient | {"id": "q"}), "in.json", today=TODAY)
    assert "Secretname" not in str(info.value)


def test_deterministic() -> None:
    raw = (FIXTURES / "full.json").read_bytes()
    assert import_bundle(raw, "f", today=TODAY) == import_bundle(raw, "f", today=TODAY)


FULL = json.loads((FIXTURES / "full.json").read_text())
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=8,
)


MUTABLE_KEYS = [
    "code", "bodySite", "valueInteger", "valueQuantity", "extension", "birthDate", "gender",
    "effectiveDateTime", "interpretation", "status", "valueCodeableConcept", "name", "identifier",
    "meta", "clinicalStatus", "verificationStatus", "effectivePeriod", "onsetDateTime", "id",
]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    index=st.integers(0, len(FULL["entry"]) - 1),
    key=st.sampled_from(MUTABLE_KEYS),
    junk=_JSON,
    deep=st.booleans(),
)
def test_malformed_elements_never_crash(index: int, key: str, junk: Any, deep: bool) -> None:
    """Whatever an element (or its first child) holds, the importer reports a UserError or
    drafts a case that loads."""
    data = copy.deepcopy(FULL)
    resource = data["entry"][index]["resource"]
    target = resource.get(key)
    if deep and isinstance(target, dict) and target:
        target[next(iter(target))] = junk
    elif deep and isinstance(target, list) and target:
        target[0] = junk
    else:
        resource[key] = junk
    try:
        result = import_bundle(json.dumps(data).encode(), "f", today=TODAY)
    except UserError:
        return
    load(result)


def test_histology_does_not_override_visceral_default() -> None:
    """Sanity: nothing in the importer ever writes visceral_metastases itself."""
    result = run("full")
    assert (
        Visceral.NONE.value
        not in next(
            ln for ln in result.case_yaml.splitlines() if "visceral_metastases:" in ln
        ).split("#")[0]
    )
