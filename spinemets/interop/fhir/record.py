"""Whose record: the bundle's one patient and only that patient's resources.

Several inputs (search results, Bulk Data NDJSON files) are merged first; a resource given
twice with the same type and id is read once. The patient is the one Patient resource (the
same Patient in several inputs counts once); more than one is refused. A resource is the
patient's own when its ``subject`` (or ``patient``) reference names that Patient: by relative
reference (``Patient/<id>``), by absolute URL ending in it, by the Patient entry's
``fullUrl``, or by one of its identifiers. Every other resource is left out and reported with
why (never with the reference itself, which may hold an identifier). With no Patient
resource, the patient is the one subject that every subject reference names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spinemets.interop.fhir.elements import POSITION_KEY, as_list
from spinemets.interop.fhir.state import State, fail

#: Reference elements that name whose record a resource belongs to.
_SUBJECT_KEYS = ("subject", "patient")
#: Resource types that never belong to one patient's record (shared, or about the exchange).
_NOT_PATIENT_DATA = frozenset(
    {
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Location",
        "Medication",
        "Device",
        "Group",
        "OperationOutcome",
        "Provenance",
        "Composition",
        "MessageHeader",
    }
)


@dataclass(frozen=True, slots=True)
class Record:
    """The patient (None when the input has no Patient) and their resources by type."""

    patient: dict[str, Any] | None
    by_type: dict[str, list[dict[str, Any]]]


def _key(resource: dict[str, Any]) -> tuple[str, str] | None:
    rid = resource.get("id")
    return (resource["resourceType"], rid) if isinstance(rid, str) and rid else None


def merge(
    inputs: Sequence[tuple[str, list[tuple[str | None, dict[str, Any]]]]], state: State
) -> list[tuple[str | None, dict[str, Any]]]:
    """All resources of all inputs in order, each numbered; duplicates (same type and id)
    kept once: the same content silently, different content as a conflict line."""
    seen: dict[tuple[str, str], str] = {}
    out: list[tuple[str | None, dict[str, Any]]] = []
    position = 0
    for _file, resources in inputs:
        for url, resource in resources:
            key = _key(resource)
            if key is not None:
                digest = json.dumps(resource, sort_keys=True, default=str)
                if key in seen:
                    if seen[key] != digest:
                        state.line(
                            "-",
                            "1 resource",
                            key[0],
                            "conflict",
                            "the same resource (type and id) appears twice with different "
                            "content: the first one is used",
                        )
                    continue
                seen[key] = digest
            position += 1
            resource[POSITION_KEY] = position
            out.append((url, resource))
    return out


def _names(patient: dict[str, Any], urls: set[str]) -> tuple[set[str], set[tuple[str, str]]]:
    refs = set(urls)
    pid = patient.get("id")
    if isinstance(pid, str) and pid:
        refs.add(f"Patient/{pid}")
    identifiers = {
        (str(i.get("system", "")), i["value"])
        for i in as_list(patient.get("identifier"))
        if isinstance(i, dict) and isinstance(i.get("value"), str)
    }
    return refs, identifiers


def _subject(resource: dict[str, Any]) -> dict[str, Any] | None:
    for key in _SUBJECT_KEYS:
        value = resource.get(key)
        if isinstance(value, dict):
            return value
    return None


def _is_own(subject: dict[str, Any], refs: set[str], identifiers: set[tuple[str, str]]) -> bool:
    ref = subject.get("reference")
    if isinstance(ref, str) and ref:
        if ref in refs:
            return True
        tail = "/".join(ref.split("/")[-2:])
        return ref.startswith(("http://", "https://")) and tail in refs
    ident = subject.get("identifier")
    if isinstance(ident, dict) and isinstance(ident.get("value"), str):
        system = str(ident.get("system", ""))
        return any(v == ident["value"] and (not system or s == system) for s, v in identifiers)
    return False


def _subject_text(subject: dict[str, Any]) -> str | None:
    ref = subject.get("reference")
    if isinstance(ref, str) and ref:
        return "/".join(ref.split("/")[-2:])
    ident = subject.get("identifier")
    if isinstance(ident, dict) and isinstance(ident.get("value"), str):
        return f"{ident.get('system', '')}|{ident['value']}"
    return None


def _the_patient(
    resources: list[tuple[str | None, dict[str, Any]]],
    state: State,
    file: str,
    patient_id: str | None,
) -> tuple[dict[str, Any] | None, set[str], set[tuple[str, str]]]:
    """The one Patient (``patient_id`` picks it among several), its references and identifiers."""
    patients: dict[str, tuple[dict[str, Any], set[str]]] = {}
    for url, resource in resources:
        if resource["resourceType"] != "Patient":
            continue
        pid = resource.get("id")
        key = pid if isinstance(pid, str) and pid else f"#{len(patients)}"
        entry = patients.setdefault(key, (resource, set()))
        if url:
            entry[1].add(url)
    if patient_id is not None:
        if patient_id not in patients:
            raise fail(file, "no Patient resource has the id given with --patient")
        others = len(patients) - 1
        if others:
            state.line(
                "-",
                f"{others} resource(s)",
                "Patient",
                "ignored",
                "other patients in the input (--patient chose one): their data is never used",
            )
        patients = {patient_id: patients[patient_id]}
    if len(patients) > 1:
        raise fail(
            file,
            f"the input holds {len(patients)} Patient resources; a case describes one patient "
            "(export one patient's record, or choose one with --patient ID)",
        )
    if patients:
        patient, urls = next(iter(patients.values()))
        return (patient, *_names(patient, urls))
    named = {t for _, r in resources if (s := _subject(r)) and (t := _subject_text(s))}
    if len(named) > 1:
        raise fail(
            file,
            f"no Patient resource, and the resources name {len(named)} different "
            "patients; export one patient's record",
        )
    return None, named, set()


def own_record(
    resources: list[tuple[str | None, dict[str, Any]]],
    state: State,
    file: str,
    patient_id: str | None = None,
) -> Record:
    """The patient's own resources; the rest reported as ignored, with why."""
    patient, refs, identifiers = _the_patient(resources, state, file, patient_id)
    by_type: dict[str, list[dict[str, Any]]] = {}
    other: dict[str, int] = {}
    unowned: dict[str, int] = {}
    for _url, resource in resources:
        rtype = resource["resourceType"]
        if rtype == "Patient":
            continue
        subject = _subject(resource)
        if subject is None:
            if rtype in _NOT_PATIENT_DATA:
                by_type.setdefault(rtype, []).append(resource)
            else:
                unowned[rtype] = unowned.get(rtype, 0) + 1
            continue
        text = _subject_text(subject)
        if _is_own(subject, refs, identifiers) or (patient is None and text in refs):
            by_type.setdefault(rtype, []).append(resource)
        else:
            other[rtype] = other.get(rtype, 0) + 1
    for rtype, count in sorted(other.items()):
        state.line(
            "-",
            f"{count} resource(s)",
            rtype,
            "ignored",
            "the subject is not this bundle's patient: another patient's data is never used",
        )
    for rtype, count in sorted(unowned.items()):
        state.line(
            "-",
            f"{count} resource(s)",
            rtype,
            "ignored",
            "no subject: cannot tell whose record it is, so it is not used",
        )
    return Record(patient, by_type)
