"""Read an mCODE / FHIR R4 Bundle (JSON) and draft a spinemets case file from it.

``import_sources([(raw, file), ...])`` (several search results or NDJSON files are merged) and
``import_bundle(raw, file)`` return the case YAML text and a mapping report: one
:class:`MappingLine` per field filled, resource ignored, conflict or warning. Only the
patient's own resources are read (:mod:`.record`). What is read (code tables in
:mod:`spinemets.interop.fhir.codes`):

* Patient: ``gender`` → ``patient.sex``; ``birthDate`` → ``patient.age`` on the assessment
  date; name, MRN (identifier of type ``MR``) and a full birth date are copied into the case
  only with ``with_identifiers`` (they are PHI), and never shown in the report.
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

Dates: the assessment date (``assessed_on``) is given, or else the newest Encounter date, or
else the newest date in the patient's record, or else today. Nothing dated after it (or after
today) is used, and a value older than its window (:data:`STALE_AFTER_DAYS`) is kept with a
warning.

Input that is not JSON, not a Bundle, or not FHIR R4 raises :class:`FhirImportError`. Messages
and report lines carry resource types, entry positions and codes, never patient identifiers
or resource ids (some systems build ids from the MRN); identifiers found in any text are
masked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from spinemets.interop.fhir.bundle import parse_bundle, resources_of
from spinemets.interop.fhir.conditions import read_primary, split_conditions
from spinemets.interop.fhir.draft import render_case
from spinemets.interop.fhir.elements import effective_of, full_date, parse_when
from spinemets.interop.fhir.metastases import read_secondaries
from spinemets.interop.fhir.observations import group_observations, read_labs, read_performance
from spinemets.interop.fhir.patient import collect_identifiers, read_patient
from spinemets.interop.fhir.record import Record, merge, own_record
from spinemets.interop.fhir.state import ImportResult, State, fail
from spinemets.interop.fhir.windows import STALE_AFTER_DAYS

__all__ = ["STALE_AFTER_DAYS", "import_bundle", "import_sources"]


def import_bundle(
    raw: bytes,
    file: str,
    *,
    today: dt.date | None = None,
    assessed_on: dt.date | None = None,
    with_identifiers: bool = False,
    patient_id: str | None = None,
) -> ImportResult:
    """Draft a case file from one mCODE / FHIR R4 Bundle (or NDJSON file)."""
    return import_sources(
        [(raw, file)],
        today=today,
        assessed_on=assessed_on,
        with_identifiers=with_identifiers,
        patient_id=patient_id,
    )


def import_sources(
    sources: Sequence[tuple[bytes, str]],
    *,
    today: dt.date | None = None,
    assessed_on: dt.date | None = None,
    with_identifiers: bool = False,
    patient_id: str | None = None,
) -> ImportResult:
    """Draft a case file from one patient's record given as one or more inputs (``patient_id``
    picks the patient in an input of several, e.g. a Bulk Data export); raise
    :class:`FhirImportError` for input that is not FHIR R4 JSON of one patient."""
    if not sources:
        raise fail("import fhir", "no input given")
    clock = today or dt.date.today()
    state = State(clock, clock, "today", with_identifiers)
    parsed = [(file, parse_bundle(raw, file)) for raw, file in sources]
    file = parsed[0][0] if len(parsed) == 1 else f"{parsed[0][0]} (+{len(parsed) - 1} more)"
    resources = merge([(name, resources_of(bundle)) for name, bundle in parsed], state)
    record = own_record(resources, state, file, patient_id)
    if record.patient is not None:
        collect_identifiers(record.patient, state)
    _reference_date(record, assessed_on, state)
    case_id = _case_id(b"".join(raw for raw, _ in sources), state)
    read_patient(record.patient, state)
    by_type = record.by_type
    primaries, secondaries, other_conditions = split_conditions(by_type.get("Condition", []), state)
    read_secondaries(secondaries, state)
    read_primary(primaries, secondaries, state)
    observations = group_observations(by_type.get("Observation", []), state)
    read_performance(observations, state)
    read_labs(observations, state)
    _summarise_ignored(by_type, other_conditions, observations, state)
    text = render_case(case_id, state, file)
    return ImportResult(text, tuple(state.lines))


def _dates_of(resource: dict[str, Any]) -> list[dt.date]:
    values: list[Any] = [resource.get("recordedDate"), resource.get("onsetDateTime")]
    values.append(resource.get("performedDateTime"))
    for key in ("period", "performedPeriod"):
        period = resource.get(key)
        if isinstance(period, dict):
            values.extend([period.get("end"), period.get("start")])
    moment, _ = effective_of(resource)
    out = [moment.date()] if moment is not None else []
    for value in values:
        when = parse_when(value)
        if when is not None and full_date(value) is not None:
            out.append(when.date())
    return out


def _reference_date(record: Record, given: dt.date | None, state: State) -> None:
    """Set ``state.assessed_on``: given, newest Encounter, newest record date, or today."""
    if given is not None:
        state.assessed_on, state.assessed_source = given, "given on the command line"
    else:
        encounters = [
            d for e in record.by_type.get("Encounter", []) for d in _dates_of(e) if d <= state.today
        ]
        dated = [
            d
            for rtype, items in record.by_type.items()
            if rtype != "Encounter"
            for r in items
            for d in _dates_of(r)
            if d <= state.today
        ]
        if encounters:
            state.assessed_on, state.assessed_source = max(encounters), "the newest Encounter"
        elif dated:
            state.assessed_on = max(dated)
            state.assessed_source = "the newest date in the patient's record"
    state.line(
        "assessed_on",
        state.assessed_on.isoformat(),
        "Bundle",
        "mapped",
        f"reference date for dated values: {state.assessed_source}",
    )


def _case_id(raw: bytes, state: State) -> str:
    case_id = "imported-" + hashlib.sha256(raw).hexdigest()[:10]
    state.line(
        "case_id",
        case_id,
        "Bundle",
        "mapped",
        "derived from the input's SHA-256 (resource ids are not copied: they may hold identifiers)",
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
