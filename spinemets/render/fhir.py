"""FHIR R4 output: the assessment as a Bundle (``type = collection``) in JSON.

Results attach to the source record: every resource's ``subject`` is the patient given as
``subject`` (``Patient/<id>``, an absolute URL or a ``urn:uuid:``, e.g. the Patient of the
bundle the case was imported from), else a logical reference by the case's MRN (not when
redacted), else a display-only reference that says no record reference was given. No Patient
resource is ever invented. ``effective[x]`` is the case's ``assessed_on`` (lesion scores: the
MRI date when the case gives one); without it, no effective date is claimed.

* One Observation per score (case scores and each lesion's scores): ``status`` final for a
  complete score, preliminary for a partial or not computable one; ``valueInteger`` for a
  total, ``valueCodeableConcept`` for a grade, ``valueRange`` for a partial score's range,
  ``dataAbsentReason`` when nothing can be bounded; components as ``Observation.component``
  (points as ``valueInteger``); the category as ``interpretation``; the citation as
  ``method.text``; the vertebra (SNOMED CT) as ``bodySite`` for lesion scores; notes, missing
  inputs and the intended-use statement as ``note``.
* ECOG and Karnofsky as recorded in the case (LOINC 89247-1 / 89243-0, score in
  ``valueInteger``, answer code in ``interpretation``). They claim the mCODE ECOG / Karnofsky
  profiles only when the subject is a real reference (the profiles require a subject).
* One RiskAssessment for the prognosis panel: one prediction per prognostic score with its
  category and coarse group, ``basis`` pointing at the score Observations. RiskAssessment, not
  mCODE's CancerRiskAssessment Observation pattern, because that profile is abstract and its
  code and value sets hold no codes for these survival scores, while RiskAssessment carries a
  prediction per score with its qualitative risk and rationale, and ``basis``.
* A Device (spinemets and its version) and a Provenance (target: every resource; entities: the
  case file and the rules by their sha256; agent: the Device).
* The project CodeSystem as a CodeSystem resource (``content = fragment``: the codes used).

Scores have no LOINC or SNOMED code, so they are coded in the project CodeSystem
**https://spinemets.org/fhir/CodeSystem/score** (:data:`SCORE_SYSTEM`): the score id
(``sins``), ``<score>.<component>`` (``sins.pain``), ``<score>.category.<category>`` and
``<score>.grade.<grade>``; the prognosis panel is ``prognosis_panel`` with groups
``prognosis.group.<group>``; a score's method is ``<score>.method.<version>``.

Output is deterministic for a given day: keys sorted, every resource id a UUID derived from
the case id and what the resource holds (``urn:uuid:`` full URLs); Provenance.recorded is the
assessment date (the day of rendering when the case has none).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
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
_MR_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}
#: Subject references accepted from the command line.
SUBJECT_PATTERN = re.compile(
    r"(?:https?://\S+/)?Patient/[A-Za-z0-9\-.]{1,64}|urn:uuid:[0-9a-fA-F-]{36}"
)
#: Identifier systems of the digests in the Provenance.
DIGEST_SYSTEM = "https://spinemets.org/fhir/NamingSystem/sha256"
_PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"


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


@dataclass(frozen=True, slots=True)
class _Context:
    """What every resource shares: its subject, and the dates."""

    subject: dict[str, Any]
    attached: bool  # the subject is a real reference (by URL or identifier)
    effective: str | None
    imaging: str | None


def _date(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _context(assessment: Assessment, subject: str | None) -> _Context:
    case = assessment.case
    effective = _date(case.assessed_on)
    imaging = _date(case.imaging.mri_date) or effective
    if subject is not None:
        return _Context({"reference": subject}, True, effective, imaging)
    if not assessment.redacted and case.patient.mrn:
        ref = {"identifier": {"type": _MR_TYPE, "value": case.patient.mrn}}
        return _Context(ref, True, effective, imaging)
    display = f"the patient of case {case.case_id} (no record reference given)"
    return _Context({"display": display}, False, effective, imaging)


def _score_observation(
    result: ScoreResult, obs_id: str, ctx: _Context, level: str | None
) -> dict[str, Any]:
    title = _title(result.id)
    complete = result.status == "complete"
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final" if complete else "preliminary",
        "category": [_SURVEY],
        "code": _concept(result.id, title),
        "subject": ctx.subject,
        "method": {
            "coding": [
                {
                    "system": SCORE_SYSTEM,
                    "code": f"{result.id}.method.{result.version}",
                    "display": f"{title}, {result.version}",
                }
            ],
            "text": result.citation,
        },
    }
    when = ctx.imaging if level is not None else ctx.effective
    if when is not None:
        obs["effectiveDateTime"] = when
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


_PERFORMANCE = {
    "ecog": (codes.ECOG_PROFILE, codes.LOINC_ECOG, "ECOG Performance Status score"),
    "kps": (codes.KPS_PROFILE, codes.LOINC_KPS, "Karnofsky Performance Status score"),
}


def _performance_observation(kind: str, value: int, obs_id: str, ctx: _Context) -> dict[str, Any]:
    """mCODE ECOG / Karnofsky shape; the profile is claimed only with a real subject."""
    profile, loinc, display = _PERFORMANCE[kind]
    answer = _ECOG_ANSWER[value] if kind == "ecog" else _KPS_ANSWER[value]
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "category": [_SURVEY],
        "code": {
            "coding": [{"system": codes.LOINC, "code": loinc, "display": display}],
            "text": display,
        },
        "subject": ctx.subject,
        "valueInteger": value,
        "interpretation": [
            {"coding": [{"system": codes.LOINC, "code": answer}], "text": str(value)}
        ],
        "note": [{"text": "As recorded in the case file."}],
    }
    if ctx.attached:
        obs["meta"] = {"profile": [profile]}
    if ctx.effective is not None:
        obs["effectiveDateTime"] = ctx.effective
    return obs


def _risk_assessment(
    assessment: Assessment, ra_id: str, ctx: _Context, score_urls: dict[str, str]
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
        "subject": ctx.subject,
        "method": _concept("prognosis_panel", "spinemets prognosis panel"),
        "prediction": predictions,
        "note": [{"text": n} for n in notes],
    }
    if ctx.effective is not None:
        out["occurrenceDateTime"] = ctx.effective
    basis = [
        {"reference": score_urls[e.score_id]} for e in panel.entries if e.score_id in score_urls
    ]
    if basis:
        out["basis"] = basis
    return out


def _device(assessment: Assessment, device_id: str) -> dict[str, Any]:
    return {
        "resourceType": "Device",
        "id": device_id,
        "deviceName": [{"name": "spinemets", "type": "user-friendly-name"}],
        "version": [{"value": assessment.tool_version}],
        "note": [{"text": INTENDED_USE}],
    }


def _provenance(
    assessment: Assessment, prov_id: str, targets: list[str], device_url: str, ctx: _Context
) -> dict[str, Any]:
    source = assessment.provenance
    entities = [
        {
            "role": "source",
            "what": {
                "identifier": {"system": DIGEST_SYSTEM, "value": source.input_sha256},
                "display": "the case file (sha256)",
            },
        }
    ]
    if source.rules_sha256:
        shown = f"the rules ({source.rules_source})" if source.rules_source else "the rules"
        entities.append(
            {
                "role": "source",
                "what": {
                    "identifier": {"system": DIGEST_SYSTEM, "value": source.rules_sha256},
                    "display": f"{shown} (sha256)",
                },
            }
        )
    day = ctx.effective or dt.date.today().isoformat()
    return {
        "resourceType": "Provenance",
        "id": prov_id,
        "target": [{"reference": url} for url in targets],
        "recorded": f"{day}T00:00:00Z",
        "agent": [
            {
                "type": {
                    "coding": [
                        {
                            "system": _PARTICIPANT_TYPE,
                            "code": "assembler",
                            "display": "Assembler",
                        }
                    ]
                },
                "who": {"reference": device_url, "display": f"spinemets {assessment.tool_version}"},
            }
        ],
        "entity": entities,
    }


def _used_codes(node: Any, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        if node.get("system") == SCORE_SYSTEM and isinstance(node.get("code"), str):
            out.setdefault(node["code"], str(node.get("display") or node["code"]))
        for value in node.values():
            _used_codes(value, out)
    elif isinstance(node, list):
        for value in node:
            _used_codes(value, out)


def _code_system(assessment: Assessment, cs_id: str, resources: list[Any]) -> dict[str, Any]:
    used: dict[str, str] = {}
    _used_codes(resources, used)
    return {
        "resourceType": "CodeSystem",
        "id": cs_id,
        "url": SCORE_SYSTEM,
        "version": assessment.tool_version,
        "name": "SpinemetsScore",
        "title": "spinemets score, component, category and grade codes",
        "status": "active",
        "experimental": False,
        "caseSensitive": True,
        "content": "fragment",
        "description": "The codes of the project CodeSystem that this Bundle uses.",
        "concept": [{"code": code, "display": used[code]} for code in sorted(used)],
    }


def bundle(assessment: Assessment, *, subject: str | None = None) -> dict[str, Any]:
    """The Bundle as a JSON-ready dict; ``subject`` is the source Patient's reference."""
    case_id = assessment.case_id
    ctx = _context(assessment, subject)
    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> str:
        url = f"urn:uuid:{resource['id']}"
        entries.append({"fullUrl": url, "resource": resource})
        return url

    device_url = add(_device(assessment, _id(case_id, "device")))
    score_urls: dict[str, str] = {}
    for score_id in sorted(assessment.scores):
        obs = _score_observation(
            assessment.scores[score_id], _id(case_id, f"score/{score_id}"), ctx, None
        )
        score_urls[score_id] = add(obs)
    for lesion in assessment.lesions:
        for score_id in sorted(lesion.scores):
            obs_id = _id(case_id, f"lesion/{lesion.index}/{score_id}")
            add(_score_observation(lesion.scores[score_id], obs_id, ctx, lesion.level))
    performance = assessment.case.performance
    if performance.ecog is not None:
        add(_performance_observation("ecog", performance.ecog, _id(case_id, "input/ecog"), ctx))
    if performance.kps is not None:
        add(_performance_observation("kps", performance.kps, _id(case_id, "input/kps"), ctx))
    if assessment.prognosis.entries:
        add(_risk_assessment(assessment, _id(case_id, "prognosis"), ctx, score_urls))
    targets = [e["fullUrl"] for e in entries]
    add(_code_system(assessment, _id(case_id, "codesystem"), [e["resource"] for e in entries]))
    add(_provenance(assessment, _id(case_id, "provenance"), targets, device_url, ctx))
    return {
        "resourceType": "Bundle",
        "id": _id(case_id, "bundle"),
        "identifier": {"system": CASE_ID_SYSTEM, "value": case_id},
        "type": "collection",
        "entry": entries,
    }


def render(assessment: Assessment, *, subject: str | None = None) -> str:
    """The assessment as a FHIR R4 Bundle in JSON (sorted keys, deterministic ids)."""
    data = bundle(assessment, subject=subject)
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
