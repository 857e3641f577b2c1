"""FHIR R4 output: the assessment as a Bundle (``type = collection``) in JSON.

* One Observation per score (case scores and each lesion's scores): ``status`` final for a
  complete score, preliminary for a partial or not computable one; ``valueInteger`` for a
  total, ``valueCodeableConcept`` for a grade, ``valueRange`` for a partial score's range,
  ``dataAbsentReason`` when nothing can be bounded; components as ``Observation.component``
  (points as ``valueInteger``); the category as ``interpretation``; the citation as
  ``method.text``; the vertebra (SNOMED CT, interop.md §1.6) as ``bodySite`` for lesion scores;
  notes, missing inputs and the intended-use statement as ``note``.
* ECOG and Karnofsky as recorded in the case, as mCODE ECOG / Karnofsky Observations (LOINC
  89247-1 / 89243-0, answer code in ``interpretation``; interop.md §1.1-1.3).
* One RiskAssessment for the prognosis panel: one prediction per prognostic score with its
  category and coarse group, ``basis`` pointing at the score Observations.
* A Patient resource (the subject): sex always; name, MRN and birth date only when the
  assessment is not redacted.

Scores have no LOINC or SNOMED code (interop.md §3.2), so they are coded in the project
CodeSystem **https://spinemets.org/fhir/CodeSystem/score** (:data:`SCORE_SYSTEM`): the score id
(``sins``), ``<score>.<component>`` (``sins.pain``), ``<score>.category.<category>`` and
``<score>.grade.<grade>``; the prognosis panel is ``prognosis_panel`` with groups
``prognosis.group.<group>``.

Output is deterministic: keys sorted, no timestamps, and every resource id is a UUID derived
from the case id and what the resource holds (``urn:uuid:`` full URLs).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from spinemets.assessment import INTENDED_USE, Assessment
from spinemets.case.levels import LevelError, parse_level
from spinemets.interop.fhir import codes
from spinemets.scorers import REGISTRY
from spinemets.scorers.base import Component, ScoreResult

#: The project CodeSystem for score, component, category and grade codes.
SCORE_SYSTEM = "https://spinemets.org/fhir/CodeSystem/score"
#: Identifier system for the case id on the Bundle.
CASE_ID_SYSTEM = "https://spinemets.org/fhir/NamingSystem/case-id"
#: Namespace of the deterministic resource ids.
ID_NAMESPACE = uuid.UUID("6f1d6c2e-3b0a-5c7e-9a51-5e1f0c2d7a90")

_SURVEY = {
    "coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}],
}
_ECOG_ANSWER = {grade: code for code, grade in codes.ECOG_ANSWERS.items()}
_KPS_ANSWER = {kps: code for code, kps in codes.KPS_ANSWERS.items()}
_SEX_TO_GENDER = {"female": "female", "male": "male", "other": "other"}


def _id(case_id: str, key: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{case_id}/{key}"))


def _concept(
    code: str, display: str, text: str | None = None, system: str = SCORE_SYSTEM
) -> dict[str, Any]:
    return {
        "coding": [{"system": system, "code": code, "display": display}],
        "text": text or display,
    }


def _absent(text: str) -> dict[str, Any]:
    return {
        "coding": [{"system": codes.DATA_ABSENT_REASON, "code": "unknown", "display": "Unknown"}],
        "text": text,
    }


def _title(score_id: str) -> str:
    scorer = REGISTRY.get(score_id)
    return scorer.title if scorer is not None else score_id


def _component(score_id: str, item: Component) -> dict[str, Any]:
    shown = item.value if item.value is not None else "unknown"
    out: dict[str, Any] = {
        "code": _concept(f"{score_id}.{item.name}", item.name, f"{item.name}: {shown}")
    }
    if item.points is not None:
        out["valueInteger"] = item.points
    elif item.value is not None:
        out["valueString"] = item.value
    else:
        possible = ", ".join(str(p) for p in item.possible)
        out["dataAbsentReason"] = _absent(
            f"not known; could score {possible}" if possible else "not known"
        )
    return out


def _body_site(level: str) -> dict[str, Any]:
    try:
        span = parse_level(level)
    except LevelError:
        return {"text": level}
    code = codes.LEVEL_TO_SNOMED.get(span.upper) if span.upper == span.lower else None
    if code is None:
        return {"text": str(span)}
    return {
        "coding": [{"system": codes.SNOMED, "code": code, "display": f"{span.upper} vertebra"}],
        "text": str(span),
    }


def _score_observation(
    result: ScoreResult, obs_id: str, subject: str, level: str | None
) -> dict[str, Any]:
    title = _title(result.id)
    complete = result.status == "complete"
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final" if complete else "preliminary",
        "category": [_SURVEY],
        "code": _concept(result.id, title),
        "subject": {"reference": subject},
        "method": {
            "coding": [{"system": SCORE_SYSTEM, "code": result.version}],
            "text": result.citation,
        },
    }
    if complete and result.grade is not None:
        obs["valueCodeableConcept"] = _concept(f"{result.id}.grade.{result.grade}", result.grade)
    elif complete and result.total is not None:
        obs["valueInteger"] = result.total
    elif result.range is not None:
        low, high = result.range
        obs["valueRange"] = {"low": {"value": low}, "high": {"value": high}}
    else:
        needs = ", ".join(result.missing) or "more input"
        obs["dataAbsentReason"] = _absent(f"{result.status}: needs {needs}")
    if result.category is not None:
        obs["interpretation"] = [
            _concept(f"{result.id}.category.{result.category}", result.category)
        ]
    if result.components:
        obs["component"] = [_component(result.id, c) for c in result.components]
    if level is not None:
        obs["bodySite"] = _body_site(level)
    notes = [*result.notes]
    if result.status == "partial" and result.range is not None:
        notes.append(
            f"partial: the total lies in {result.range[0]}-{result.range[1]} "
            "until the missing inputs are known"
        )
    if result.missing:
        notes.append("missing: " + ", ".join(result.missing))
    notes.append(INTENDED_USE)
    obs["note"] = [{"text": n} for n in notes]
    return obs


def _performance_observation(kind: str, value: int, obs_id: str, subject: str) -> dict[str, Any]:
    if kind == "ecog":
        profile, loinc, display = (
            codes.ECOG_PROFILE,
            codes.LOINC_ECOG,
            "ECOG Performance Status score",
        )
        answer = _ECOG_ANSWER[value]
    else:
        profile, loinc, display = (
            codes.KPS_PROFILE,
            codes.LOINC_KPS,
            "Karnofsky Performance Status score",
        )
        answer = _KPS_ANSWER[value]
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "meta": {"profile": [profile]},
        "status": "final",
        "category": [_SURVEY],
        "code": {
            "coding": [{"system": codes.LOINC, "code": loinc, "display": display}],
            "text": display,
        },
        "subject": {"reference": subject},
        "valueInteger": value,
        "interpretation": [
            {"coding": [{"system": codes.LOINC, "code": answer}], "text": str(value)}
        ],
        "note": [{"text": "As recorded in the case file."}],
    }


def _patient(assessment: Assessment, patient_id: str) -> dict[str, Any]:
    patient = assessment.case.patient
    out: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    if patient.sex is not None:
        out["gender"] = _SEX_TO_GENDER[str(patient.sex)]
    if not assessment.redacted:
        if patient.name:
            out["name"] = [{"text": patient.name}]
        if patient.mrn:
            out["identifier"] = [
                {
                    "type": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                "code": "MR",
                            }
                        ]
                    },
                    "value": patient.mrn,
                }
            ]
        if patient.birth_date is not None:
            out["birthDate"] = patient.birth_date.isoformat()
    return out


def _risk_assessment(
    assessment: Assessment, ra_id: str, subject: str, score_urls: dict[str, str]
) -> dict[str, Any]:
    panel = assessment.prognosis
    predictions = []
    for entry in panel.entries:
        prediction: dict[str, Any] = {
            "outcome": {"text": "survival"},
            "rationale": (
                f"{entry.score_id}: category "
                f"{entry.category or 'not determined (range spans categories)'}; "
                f"group {entry.group or 'not determined (range spans groups)'}"
            ),
        }
        if entry.group is not None:
            prediction["qualitativeRisk"] = _concept(f"prognosis.group.{entry.group}", entry.group)
        predictions.append(prediction)
    complete = all(e.group is not None for e in panel.entries) and bool(panel.entries)
    notes = [panel.note] if panel.note else []
    if panel.disagreement:
        notes.append("The prognostic scores disagree; see each score and its caveats.")
    notes.append(INTENDED_USE)
    out: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "id": ra_id,
        "status": "final" if complete else "preliminary",
        "subject": {"reference": subject},
        "method": _concept("prognosis_panel", "spinemets prognosis panel"),
        "prediction": predictions,
        "note": [{"text": n} for n in notes],
    }
    basis = [
        {"reference": score_urls[e.score_id]} for e in panel.entries if e.score_id in score_urls
    ]
    if basis:
        out["basis"] = basis
    return out


def bundle(assessment: Assessment) -> dict[str, Any]:
    """The Bundle as a JSON-ready dict."""
    case_id = assessment.case_id
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> str:
        url = f"urn:uuid:{resource['id']}"
        entries.append({"fullUrl": url, "resource": resource})
        return url

    subject = add(_patient(assessment, _id(case_id, "patient")))
    score_urls: dict[str, str] = {}
    for score_id in sorted(assessment.scores):
        obs = _score_observation(
            assessment.scores[score_id], _id(case_id, f"score/{score_id}"), subject, None
        )
        score_urls[score_id] = add(obs)
    for lesion in assessment.lesions:
        for score_id in sorted(lesion.scores):
            obs_id = _id(case_id, f"lesion/{lesion.index}/{score_id}")
            add(_score_observation(lesion.scores[score_id], obs_id, subject, lesion.level))
    performance = assessment.case.performance
    if performance.ecog is not None:
        add(_performance_observation("ecog", performance.ecog, _id(case_id, "input/ecog"), subject))
    if performance.kps is not None:
        add(_performance_observation("kps", performance.kps, _id(case_id, "input/kps"), subject))
    if assessment.prognosis.entries:
        add(_risk_assessment(assessment, _id(case_id, "prognosis"), subject, score_urls))
    return {
        "resourceType": "Bundle",
        "id": _id(case_id, "bundle"),
        "identifier": {"system": CASE_ID_SYSTEM, "value": case_id},
        "type": "collection",
        "entry": entries,
    }


def render(assessment: Assessment) -> str:
    """The assessment as a FHIR R4 Bundle in JSON (sorted keys, deterministic ids)."""
    return json.dumps(bundle(assessment), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
