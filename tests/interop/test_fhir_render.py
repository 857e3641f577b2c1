"""The FHIR R4 Bundle renderer, validated with the fhir.resources R4B models (test-only)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from spinemets.assessment import (
    INTENDED_USE,
    Assessment,
    LesionScores,
    PrognosisEntry,
    PrognosisPanel,
    Provenance,
    Triage,
)
from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Case
from spinemets.interop.fhir import import_bundle
from spinemets.prognosis import build_panel
from spinemets.render import fhir
from spinemets.scorers import REGISTRY
from spinemets.scorers.base import Component, ScoreResult

FIXTURES = Path(__file__).parent / "fixtures"

CASE_YAML = """\
schema_version: 1
case_id: TB-2026-041
patient:
  age: 64
  sex: male
  name: Synthetic Person
  mrn: SYNTH-42
  birth_date: 1961-05-02
cancer:
  primary: renal
disease:
  vertebral_metastases: 2
  extraspinal_bone_metastases: 1
  visceral_metastases: removable
lesions:
  - level: T12
    pain: mechanical
    bone_lesion: lytic
    alignment: normal
    collapse: lt50
    posterolateral: unilateral
    escc: "1c"
  - level: T11-T12
    pain: unknown
performance:
  kps: 70
  ecog: 1
neurology:
  frankel: E
  ambulatory: independent
labs:
  albumin: 3.8 g/dL
"""


def assess(
    case: Case, *, redacted: bool = False, prognosis: PrognosisPanel | None = None
) -> Assessment:
    lesion_scorers = [s for s in REGISTRY.values() if s.scope == "lesion"]
    case_scorers = [s for s in REGISTRY.values() if s.scope == "case"]
    lesions = tuple(
        LesionScores(i, les.level, {s.id: s.compute(case, i) for s in lesion_scorers})
        for i, les in enumerate(case.lesions)
    )
    scores = {s.id: s.compute(case, None) for s in case_scorers}
    return Assessment(
        case=case,
        tool_version="0.1.0",
        lesions=lesions,
        scores=scores,
        prognosis=prognosis if prognosis is not None else build_panel(scores),
        triage=Triage(None),
        options=(),
        warnings=(),
        provenance=Provenance("0" * 64, None, None),
        redacted=redacted,
    )


def case_from(text: str) -> Case:
    return load_case_bytes(text.encode()).case


def resources(text: str, rtype: str) -> list[dict[str, Any]]:
    data = json.loads(text)
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == rtype]


def by_code(text: str, code: str) -> dict[str, Any]:
    (hit,) = [r for r in resources(text, "Observation") if r["code"]["coding"][0]["code"] == code]
    return hit


def imported_case() -> Case:
    raw = (FIXTURES / "full.json").read_bytes()
    result = import_bundle(raw, "full.json", today=dt.date(2026, 3, 1))
    return case_from(result.case_yaml)


CASES: dict[str, Callable[[], Case]] = {
    "worked": lambda: case_from(CASE_YAML),
    "imported": imported_case,
    "empty": lambda: case_from("schema_version: 1\ncase_id: empty\n"),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("redacted", [False, True])
def test_bundle_validates_as_fhir(name: str, redacted: bool) -> None:
    text = fhir.render(assess(CASES[name](), redacted=redacted))
    parsed: Any = Bundle.model_validate_json(text)
    assert parsed.type == "collection"
    kinds = [e.resource.get_resource_type() for e in parsed.entry]
    assert "Patient" not in kinds  # results attach to the source record; none is invented
    assert kinds.count("Provenance") == kinds.count("Device") == kinds.count("CodeSystem") == 1
    urls: list[str] = [e.fullUrl for e in parsed.entry]
    assert len(set(urls)) == len(urls) and all(u.startswith("urn:uuid:") for u in urls)
    # every reference points at an entry of the bundle
    for ref in _references(json.loads(text)):
        assert ref in urls


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for v in node.values() for r in _references(v)]
    if isinstance(node, list):
        return [r for v in node for r in _references(v)]
    return []


def test_one_observation_per_score() -> None:
    assessment = assess(case_from(CASE_YAML))
    text = fhir.render(assessment)
    observations = resources(text, "Observation")
    expected = len(assessment.scores) + sum(len(les.scores) for les in assessment.lesions) + 2
    assert len(observations) == expected  # + ECOG and KPS observations
    project = [o for o in observations if o["code"]["coding"][0]["system"] == fhir.SCORE_SYSTEM]
    assert sorted(o["code"]["coding"][0]["code"] for o in project) == sorted(
        [*assessment.scores, *(k for les in assessment.lesions for k in les.scores)]
    )
    for obs in project:
        score_id = obs["code"]["coding"][0]["code"]
        assert obs["code"]["text"] == REGISTRY[score_id].title
        assert obs["method"]["text"] == REGISTRY[score_id].citation
        assert obs["note"][-1]["text"] == INTENDED_USE


def test_complete_sins_observation() -> None:
    # SINS worked example (sins.py docstring, Fisher 2010): T12 junctional 3, mechanical 3,
    # lytic 2, normal 0, <50% collapse 2, unilateral 1 = 11, potentially unstable
    assessment = assess(case_from(CASE_YAML))
    text = fhir.render(assessment)
    sins = [
        o for o in resources(text, "Observation")
        if o["code"]["coding"][0]["code"] == "sins" and o["bodySite"]["text"] == "T12"
    ]  # fmt: skip
    (obs,) = sins
    assert obs["status"] == "final"
    assert obs["valueInteger"] == 11
    assert obs["interpretation"][0]["coding"][0]["code"] == "sins.category.potentially_unstable"
    assert obs["bodySite"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "23215003",
        "display": "T12 vertebra",
    }
    points = {c["code"]["coding"][0]["code"]: c.get("valueInteger") for c in obs["component"]}
    assert points == {
        "sins.location": 3, "sins.pain": 3, "sins.bone_lesion": 2,
        "sins.alignment": 0, "sins.collapse": 2, "sins.posterolateral": 1,
    }  # fmt: skip
    assert sum(points.values()) == obs["valueInteger"]


def test_partial_sins_is_preliminary_with_range() -> None:
    text = fhir.render(assess(case_from(CASE_YAML)))
    (obs,) = [
        o for o in resources(text, "Observation")
        if o["code"]["coding"][0]["code"] == "sins" and o["bodySite"]["text"] == "T11-T12"
    ]  # fmt: skip
    assert obs["status"] == "preliminary"
    assert "valueInteger" not in obs
    low, high = obs["valueRange"]["low"]["value"], obs["valueRange"]["high"]["value"]
    assert 3 <= low < high <= 18  # junctional range: location known (3), the rest unknown
    assert "coding" not in obs["bodySite"]  # a range has no single vertebra code
    unknown = [c for c in obs["component"] if "dataAbsentReason" in c]
    assert {c["code"]["coding"][0]["code"] for c in unknown} == {
        "sins.pain", "sins.bone_lesion", "sins.alignment", "sins.collapse", "sins.posterolateral",
    }  # fmt: skip
    assert any(n["text"].startswith("missing: ") for n in obs["note"])


def test_grade_not_computable_and_range_forms() -> None:
    case = case_from("schema_version: 1\ncase_id: forms\nlesions:\n  - level: L1\n")
    escc_component = Component("grade", "1c", None, ())
    grade = ScoreResult(
        "escc", "v", "complete", None, None, "low_grade", (escc_component,), (), "cite", grade="1c"
    )
    total = ScoreResult(
        "tomita", "v", "complete", 6, (6, 6), None, (Component.known("x", "a", 6),), (), "cite"
    )
    partial = ScoreResult(
        "nesms",
        "v",
        "partial",
        None,
        (1, 3),
        None,
        (Component.unknown("y", [0, 2], "p"),),
        ("p",),
        "cite",
    )
    absent = ScoreResult(
        "performance", "v", "not_computable", None, None, None, (), ("performance.kps",), "cite"
    )
    assessment = Assessment(
        case=case,
        tool_version="0.1.0",
        lesions=(LesionScores(0, "L1", {"escc": grade}),),
        scores={"tomita": total, "nesms": partial, "performance": absent},
        prognosis=PrognosisPanel((), False, ""),
        triage=Triage(None),
        options=(),
        warnings=(),
        provenance=Provenance("0" * 64, None, None),
    )
    text = fhir.render(assessment)
    Bundle.model_validate_json(text)
    escc = by_code(text, "escc")
    assert escc["valueCodeableConcept"]["coding"][0]["code"] == "escc.grade.1c"
    assert escc["component"][0]["valueString"] == "1c"
    assert by_code(text, "tomita")["valueInteger"] == 6
    nesms = by_code(text, "nesms")
    assert nesms["status"] == "preliminary" and nesms["valueRange"] == {
        "low": {"value": 1},
        "high": {"value": 3},
    }
    assert nesms["component"][0]["dataAbsentReason"]["text"] == "not known; could score 0, 2"
    perf = by_code(text, "performance")
    assert perf["status"] == "preliminary"
    assert perf["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    assert "performance.kps" in perf["dataAbsentReason"]["text"]
    assert not resources(text, "RiskAssessment")  # no prognostic score, no panel


def test_ecog_and_kps_use_mcode_loinc_codes() -> None:
    text = fhir.render(assess(case_from(CASE_YAML)))
    ecog, kps = by_code(text, "89247-1"), by_code(text, "89243-0")
    assert ecog["valueInteger"] == 1
    assert ecog["interpretation"][0]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "LA9623-5",
    }
    assert ecog["meta"]["profile"] == [
        "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-ecog-performance-status"
    ]
    assert kps["valueInteger"] == 70
    assert kps["interpretation"][0]["coding"][0]["code"] == "LA29178-3"
    empty = fhir.render(assess(case_from("schema_version: 1\ncase_id: e\n")))
    assert "89247-1" not in empty and "89243-0" not in empty


def test_risk_assessment_holds_the_prognosis_panel() -> None:
    case = case_from(CASE_YAML)
    panel = PrognosisPanel(
        (
            PrognosisEntry("tokuhashi_revised", "higher_better", "6_to_12_months", "intermediate"),
            PrognosisEntry("tomita", "higher_worse", None, None),
        ),
        True,
        "The scores disagree.",
    )
    text = fhir.render(assess(case, prognosis=panel))
    (risk,) = resources(text, "RiskAssessment")
    assert risk["status"] == "preliminary"  # one group undetermined
    assert len(risk["prediction"]) == 2
    first, second = risk["prediction"]
    assert first["qualitativeRisk"]["coding"][0]["code"] == "prognosis.group.intermediate"
    assert "tokuhashi_revised" in first["rationale"] and "6_to_12_months" in first["rationale"]
    assert "qualitativeRisk" not in second
    assert risk["note"][0]["text"] == "The scores disagree."
    urls = {e["resource"]["id"]: e["fullUrl"] for e in json.loads(text)["entry"]}
    tokuhashi_obs = by_code(text, "tokuhashi_revised")
    assert {"reference": urls[tokuhashi_obs["id"]]} in risk["basis"]


def test_subject_is_the_source_record_never_an_invented_patient() -> None:
    case = case_from(CASE_YAML)
    given = json.loads(fhir.render(assess(case), subject="Patient/src-17"))
    subjects = [e["resource"].get("subject") for e in given["entry"]]
    assert {json.dumps(s) for s in subjects if s} == {json.dumps({"reference": "Patient/src-17"})}
    by_mrn = resources(fhir.render(assess(case)), "Observation")[0]["subject"]
    assert by_mrn["identifier"]["value"] == "SYNTH-42"
    assert by_mrn["identifier"]["type"]["coding"][0]["code"] == "MR"


def test_redaction() -> None:
    case = case_from(CASE_YAML)
    redacted = fhir.render(assess(case, redacted=True))
    for secret in ("Synthetic Person", "SYNTH-42", "1961-05-02"):
        assert secret not in redacted
    subject = resources(redacted, "Observation")[0]["subject"]
    assert subject == {"display": "the patient of case TB-2026-041 (no record reference given)"}
    # without a real subject the mCODE ECOG / KPS profiles (subject 1..1) are not claimed
    assert "meta" not in by_code(redacted, "89247-1")


def test_deterministic_ids_and_sorted_keys() -> None:
    case = case_from(CASE_YAML)
    first, second = fhir.render(assess(case)), fhir.render(assess(case))
    assert first == second
    assert (
        first == json.dumps(json.loads(first), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )
    data = json.loads(first)
    assert data["id"] == str(uuid.uuid5(fhir.ID_NAMESPACE, "TB-2026-041/bundle"))
    assert data["identifier"] == {"system": fhir.CASE_ID_SYSTEM, "value": "TB-2026-041"}
    other = case.model_copy(update={"case_id": "TB-2026-042"})
    other_ids = {e["resource"]["id"] for e in json.loads(fhir.render(assess(other)))["entry"]}
    assert not other_ids & {e["resource"]["id"] for e in data["entry"]}
