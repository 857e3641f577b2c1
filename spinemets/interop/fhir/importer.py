"""Read an mCODE / FHIR R4 Bundle (JSON) and draft a spinemets case file from it.

``import_bundle(raw, file, today=...)`` returns the case YAML text and a mapping report: one
:class:`MappingLine` per field filled, resource ignored or conflict found. What is read
(interop.md §1; code tables in :mod:`spinemets.interop.fhir.codes`):

* Patient: ``gender`` → ``patient.sex``; ``birthDate`` → ``patient.age`` on ``today``; name, MRN
  (identifier of type ``MR``) and a full birth date are copied into the case (they are PHI and
  are removed by ``--redact``) but never shown in the report.
* Primary cancer condition (mCODE profile or a primary cancer code): ``code`` (SNOMED CT,
  ICD-10-CM, ICD-O-3 topography) and the histology-morphology-behavior extension (ICD-O-3
  morphology, SNOMED) → ``cancer.primary`` and ``cancer.histology``; assertedDate / onset →
  ``cancer.diagnosed_on``.
* Secondary cancer conditions: vertebra body sites → one lesion per level (level only) and
  ``disease.vertebral_metastases``; other bone sites → ``disease.extraspinal_bone_metastases``;
  visceral sites → visceral metastases present (removable or not is never coded: left
  ``unknown`` with a comment); brain → ``disease.brain_metastases``.
* Observations, newest first: ECOG (LOINC 89247-1) and Karnofsky (89243-0) as ``valueInteger``
  or LOINC answer codes; serum albumin (1751-7, g/dL or g/L, written in g/dL); eGFR.

Everything else stays ``unknown`` with a comment saying what to add; SINS items and the ESCC
grade are never in mCODE and stay clinician-entered. Nothing is guessed: an unknown code is
reported as ignored, disagreeing sources as a conflict (the field stays ``unknown``).

Input that is not JSON, not a Bundle, or not FHIR R4 raises :class:`FhirImportError`. Messages
and report lines carry resource types, ids and codes, never patient identifiers (and the
Patient resource's id is not shown, as some systems reuse the MRN as the id).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from spinemets.interop.fhir.bundle import parse_bundle
from spinemets.interop.fhir.conditions import read_primary, split_conditions
from spinemets.interop.fhir.draft import render_case
from spinemets.interop.fhir.elements import FHIR_ID
from spinemets.interop.fhir.metastases import read_secondaries
from spinemets.interop.fhir.observations import group_observations, read_labs, read_performance
from spinemets.interop.fhir.patient import read_patient
from spinemets.interop.fhir.state import ImportResult, State


def import_bundle(raw: bytes, file: str, *, today: dt.date | None = None) -> ImportResult:
    """Draft a case file from an mCODE / FHIR R4 Bundle; raise :class:`FhirImportError` for
    input that is not one."""
    bundle = parse_bundle(raw, file)
    state = State(today or dt.date.today())
    by_type: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle.get("entry", []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and isinstance(resource.get("resourceType"), str):
            by_type.setdefault(resource["resourceType"], []).append(resource)

    case_id = _case_id(bundle, raw, state)
    read_patient(by_type.get("Patient", []), state, file)
    primaries, secondaries, other_conditions = split_conditions(by_type.get("Condition", []), state)
    read_secondaries(secondaries, state)
    read_primary(primaries, secondaries, state)
    observations = group_observations(by_type.get("Observation", []), state)
    read_performance(observations, state)
    read_labs(observations, state)
    _summarise_ignored(by_type, other_conditions, observations, state)
    text = render_case(case_id, state, file)
    return ImportResult(text, tuple(state.lines))


def _case_id(bundle: dict[str, Any], raw: bytes, state: State) -> str:
    bid = bundle.get("id")
    if isinstance(bid, str) and FHIR_ID.fullmatch(bid):
        state.line("case_id", bid, f"Bundle/{bid}", "mapped", "the Bundle id")
        return bid
    case_id = "imported-" + hashlib.sha256(raw).hexdigest()[:10]
    state.line(
        "case_id",
        case_id,
        "Bundle",
        "mapped",
        "the Bundle has no usable id: derived from the file's SHA-256",
    )
    return case_id


def _summarise_ignored(
    by_type: dict[str, list[dict[str, Any]]],
    other_conditions: int,
    observations: dict[str, list[dict[str, Any]]],
    state: State,
) -> None:
    used = {"Patient", "Condition", "Observation"}
    for rtype in sorted(by_type):
        if rtype not in used:
            state.line(
                "-",
                f"{len(by_type[rtype])} resource(s)",
                rtype,
                "ignored",
                "resource type not read by spinemets v1",
            )
    if other_conditions:
        state.line(
            "-",
            f"{other_conditions} resource(s)",
            "Condition",
            "ignored",
            "not a cancer condition known to the importer",
        )
    if observations.get("other"):
        state.line(
            "-",
            f"{len(observations['other'])} resource(s)",
            "Observation",
            "ignored",
            "not ECOG, Karnofsky, albumin or eGFR (e.g. staging, tumour markers)",
        )
