"""Small readers for FHIR JSON elements: codings, extensions, references, dates, text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from spinemets.interop.fhir import codes

FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
#: Characters never copied from FHIR text: C0/C1 controls other than tab, newline and carriage
#: return, DEL, lone surrogates, U+FFFE/U+FFFF, line and paragraph separators, and the
#: bidirectional embedding, override and isolate controls (they reorder what a terminal shows).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
REPLACEMENT = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` with every unsafe character (see ``_UNSAFE``) replaced by U+FFFD."""
    return _UNSAFE.sub(REPLACEMENT, text)


def clean_tree(value: Any) -> Any:
    """A parsed JSON value with :func:`clean_text` applied to every string and key."""
    stack: list[Any] = [value]
    if isinstance(value, str):
        return clean_text(value)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                item = node[key]
                if isinstance(item, str):
                    item = clean_text(item)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
                if isinstance(key, str) and _UNSAFE.search(key):
                    del node[key]
                    node[clean_text(key)] = item
                else:
                    node[key] = item
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = clean_text(item)
                elif isinstance(item, (dict, list)):
                    stack.append(item)
    return value


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
    """``text`` on one line (whitespace runs folded), cleaned, at most ``limit`` characters."""
    flat = " ".join(clean_text(text).split())
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


#: Key under which the bundle reader records a resource's position (never shown as an id).
POSITION_KEY = "\x00position"


def ref_of(resource: dict[str, Any]) -> str:
    """How the report names a resource: its type and entry position, never its id (resource
    ids can carry identifiers such as the MRN)."""
    rtype = str(resource.get("resourceType"))
    position = resource.get(POSITION_KEY)
    if rtype == "Patient" or not isinstance(position, int):
        return rtype
    return f"{rtype} (entry {position})"


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
