"""Small readers for FHIR JSON elements: codings, extensions, references, dates, text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from spinemets.interop.fhir import codes

FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def status_code(concept: Any) -> str | None:
    """The first code of a CodeableConcept (clinicalStatus, verificationStatus)."""
    for coding in codings_of(concept):
        return str(coding["code"])
    return None


_SYSTEM_LABEL = {
    codes.SNOMED: "SCT",
    codes.LOINC: "LOINC",
    codes.ICD10CM: "ICD-10-CM",
    codes.ICD10: "ICD-10",
    codes.ICDO3: "ICD-O-3",
}


def as_list(value: Any) -> list[Any]:
    """A JSON array, or an empty list for anything else (malformed input is ignored)."""
    return value if isinstance(value, list) else []


def codings_of(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [
        c
        for c in as_list(concept.get("coding"))
        if isinstance(c, dict) and isinstance(c.get("code"), str)
    ]


def code_label(coding: dict[str, Any]) -> str:
    system = coding.get("system")
    label = _SYSTEM_LABEL.get(system, system) if isinstance(system, str) else "?"
    return f"{label}#{coding.get('code')}"


def concept_text(concept: Any) -> str | None:
    if not isinstance(concept, dict):
        return None
    text = concept.get("text")
    if isinstance(text, str) and text.strip():
        return one_line(text)
    for coding in codings_of(concept):
        display = coding.get("display")
        if isinstance(display, str) and display.strip():
            return one_line(display)
    return None


def one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def profiles_of(resource: dict[str, Any]) -> list[str]:
    meta = resource.get("meta")
    if not isinstance(meta, dict):
        return []
    return [p.split("|")[0] for p in as_list(meta.get("profile")) if isinstance(p, str)]


def extensions_of(resource: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [
        e for e in as_list(resource.get("extension")) if isinstance(e, dict) and e.get("url") == url
    ]


def ref_of(resource: dict[str, Any]) -> str:
    rtype = str(resource.get("resourceType"))
    rid = resource.get("id")
    if rtype == "Patient":
        return "Patient"
    return (
        f"{rtype}/{rid}" if isinstance(rid, str) and FHIR_ID.fullmatch(rid) else f"{rtype}(no id)"
    )


def parse_when(value: Any) -> dt.datetime | None:
    """A FHIR date/dateTime/instant as an aware datetime (partial dates at their first instant)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if "T" in text:
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    match = PARTIAL_DATE.fullmatch(text)
    if not match:
        return None
    try:
        return dt.datetime(int(match[1]), int(match[2] or 1), int(match[3] or 1), tzinfo=dt.UTC)
    except ValueError:
        return None


def full_date(value: Any) -> dt.date | None:
    """A full ``YYYY-MM-DD`` date (or the date part of a dateTime); partial dates give None."""
    if not isinstance(value, str):
        return None
    head = value.strip()[:10]
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", head):
        return None
    try:
        return dt.date.fromisoformat(head)
    except ValueError:
        return None


def effective_of(resource: dict[str, Any]) -> tuple[dt.datetime | None, str]:
    for key in ("effectiveDateTime", "effectiveInstant"):
        moment = parse_when(resource.get(key))
        if moment is not None:
            return moment, str(resource[key])
    period = resource.get("effectivePeriod")
    if isinstance(period, dict):
        for key in ("end", "start"):
            moment = parse_when(period.get(key))
            if moment is not None:
                return moment, str(period[key])
    moment = parse_when(resource.get("issued"))
    if moment is not None:
        return moment, str(resource["issued"])
    return None, "undated"
