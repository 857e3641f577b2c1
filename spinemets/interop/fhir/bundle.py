"""Parse a FHIR R4 Bundle from bytes and refuse other FHIR versions and shapes."""

from __future__ import annotations

import json
import re
from typing import Any

from spinemets.interop.fhir.elements import FHIR_ID, as_list, clean_tree
from spinemets.interop.fhir.source import MAX_BUNDLE_BYTES
from spinemets.interop.fhir.state import fail

#: Resource types that exist in other FHIR versions but not in R4 (4.0.1).
OTHER_VERSION_RESOURCES: dict[str, str] = {
    **dict.fromkeys(
        (
            "ActorDefinition",
            "ArtifactAssessment",
            "ConditionDefinition",
            "DeviceDispense",
            "DeviceUsage",
            "EncounterHistory",
            "FormularyItem",
            "GenomicStudy",
            "ImagingSelection",
            "InventoryItem",
            "InventoryReport",
            "NutritionIntake",
            "Permission",
            "RequestOrchestration",
            "Requirements",
            "TestPlan",
            "Transport",
        ),
        "R5",
    ),
    **dict.fromkeys(
        (
            "AdministrableProductDefinition",
            "Citation",
            "ClinicalUseDefinition",
            "EvidenceReport",
            "Ingredient",
            "ManufacturedItemDefinition",
            "NutritionProduct",
            "PackagedProductDefinition",
            "RegulatedAuthorization",
            "SubscriptionStatus",
            "SubscriptionTopic",
        ),
        "R4B/R5",
    ),
    **dict.fromkeys(
        (
            "BodySite",
            "DataElement",
            "DeviceComponent",
            "EligibilityRequest",
            "EligibilityResponse",
            "ImagingManifest",
            "ProcedureRequest",
            "ProcessRequest",
            "ProcessResponse",
            "ReferralRequest",
            "Sequence",
            "ServiceDefinition",
        ),
        "STU3",
    ),
    **dict.fromkeys(
        (
            "Conformance",
            "DeviceUseRequest",
            "DiagnosticOrder",
            "MedicationOrder",
            "Order",
            "OrderResponse",
        ),
        "DSTU2",
    ),
}

#: (resource type, element) pairs whose presence or JSON type marks another FHIR version.
_ELEMENT_SIGNALS: tuple[tuple[str, str, str, str], ...] = (
    # resource, element, kind ("present" or "string"), version
    ("Condition", "patient", "present", "DSTU2"),
    ("Condition", "assertedDate", "present", "STU3"),
    ("Condition", "clinicalStatus", "string", "STU3/DSTU2"),
    ("Condition", "verificationStatus", "string", "STU3/DSTU2"),
    ("Condition", "participant", "present", "R5"),
    ("Observation", "context", "present", "STU3"),
    ("Observation", "triggeredBy", "present", "R5"),
    ("Observation", "bodyStructure", "present", "R5"),
    ("Observation", "instantiatesCanonical", "present", "R5"),
    ("Bundle", "issues", "present", "R5"),
)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: Bundle types read as one patient's record, and why the others are refused.
READ_TYPES = frozenset(
    {
        "collection",
        "searchset",
        "transaction",
        "batch",
        "document",
        "transaction-response",
        "batch-response",
    }
)
REFUSED_TYPES = {
    "history": "holds several versions of each resource; export the current record",
    "message": "is a message; export the patient's record as a collection or searchset",
}


def _decode(raw: bytes, file: str) -> str:
    if len(raw) > MAX_BUNDLE_BYTES:
        raise fail(
            file,
            f"file is {len(raw):,} bytes; FHIR input is limited to {MAX_BUNDLE_BYTES:,} bytes",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(file, f"not UTF-8 text (byte {exc.start}); FHIR JSON must be UTF-8") from None
    if not text.strip():
        raise fail(file, "file is empty; expected a FHIR R4 Bundle in JSON")
    if text.lstrip().startswith("<"):
        raise fail(
            file,
            "this is XML; spinemets reads FHIR JSON: export the bundle as JSON "
            "(application/fhir+json) or Bulk Data NDJSON",
        )
    return text


def _load_json(text: str, file: str, line: int | None = None) -> Any:
    where = "" if line is None else f"line {line}: "
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        at = f"line {line or exc.lineno}, column {exc.colno}"
        raise fail(file, f"not valid JSON ({at}): {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        shown = exc if isinstance(exc, ValueError) else "nested too deeply"
        raise fail(file, f"{where}not valid JSON: {shown}") from None


def _ndjson(text: str, file: str) -> dict[str, Any] | None:
    """Bulk Data NDJSON (one resource per line) as a collection Bundle; None if not NDJSON."""
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip()]
    if len(lines) < 2 or not all(ln.lstrip().startswith("{") for _, ln in lines):
        return None
    entries = []
    for number, line in lines:
        resource = _load_json(line, file, number)
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            raise fail(file, f"line {number}: an NDJSON line is not a FHIR resource")
        if resource["resourceType"] == "Bundle":
            raise fail(file, f"line {number}: a Bundle inside NDJSON; give bundles as files")
        entries.append({"resource": resource})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def parse_bundle(raw: bytes, file: str) -> dict[str, Any]:
    """The checked Bundle in ``raw`` (FHIR R4 JSON Bundle or Bulk Data NDJSON), with every
    string cleaned of control characters and lone surrogates."""
    text = _decode(raw, file)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        data = _ndjson(text, file) if exc.msg == "Extra data" else None
        if data is None:
            raise fail(
                file, f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
            ) from None
    except (ValueError, RecursionError) as exc:
        shown = exc if isinstance(exc, ValueError) else "nested too deeply"
        raise fail(file, f"not valid JSON: {shown}") from None
    data = clean_tree(data)
    if not isinstance(data, dict):
        raise fail(file, "the JSON root is not an object; expected a FHIR R4 Bundle")
    rtype = data.get("resourceType")
    if rtype != "Bundle":
        shown = f"'{rtype}'" if isinstance(rtype, str) and FHIR_ID.fullmatch(rtype) else "missing"
        raise fail(
            file,
            f"resourceType is {shown}; expected a FHIR R4 Bundle (e.g. an mCODE patient bundle) "
            "or Bulk Data NDJSON",
        )
    btype = data.get("type")
    if isinstance(btype, str) and btype in REFUSED_TYPES:
        raise fail(file, f"the Bundle type is {btype}: it {REFUSED_TYPES[btype]}")
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise fail(file, "Bundle.entry is not a list")
    _check_version(data, file)
    return data


def resources_of(bundle: dict[str, Any]) -> list[tuple[str | None, dict[str, Any]]]:
    """``(fullUrl, resource)`` for each usable entry: search outcomes and deletions skipped."""
    out: list[tuple[str | None, dict[str, Any]]] = []
    for entry in as_list(bundle.get("entry")):
        if not isinstance(entry, dict):
            continue
        resource = entry.get("resource")
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            continue
        search = entry.get("search")
        if isinstance(search, dict) and search.get("mode") == "outcome":
            continue
        request = entry.get("request")
        if isinstance(request, dict) and request.get("method") == "DELETE":
            continue
        url = entry.get("fullUrl")
        out.append((url if isinstance(url, str) else None, resource))
    return out


def _version_of(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _check_version(bundle: dict[str, Any], file: str) -> None:
    """Refuse bundles that say, or show, that they are not FHIR R4 (4.0.x)."""
    raw_meta = bundle.get("meta")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    for where, value in (
        ("Bundle.fhirVersion", bundle.get("fhirVersion")),
        ("Bundle.meta.fhirVersion", meta.get("fhirVersion")),
    ):
        version = _version_of(value)
        if version is not None and not version.startswith("4.0"):
            shown = (
                version
                if re.fullmatch(r"[0-9A-Za-z.\-]{1,20}", version)
                else "an unrecognised value"
            )
            raise fail(
                file,
                f"{where} is {shown}; spinemets reads FHIR R4 (4.0.1) bundles such as mCODE STU4",
            )
    resources: list[tuple[int | None, dict[str, Any]]] = [(None, bundle)]
    for index, entry in enumerate(bundle.get("entry", [])):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            resources.append((index, resource))
    for position, resource in resources:
        rtype = resource.get("resourceType")
        where = "the Bundle" if position is None else f"entry {position}"
        if isinstance(rtype, str) and rtype in OTHER_VERSION_RESOURCES:
            raise fail(
                file,
                f"not a FHIR R4 bundle: resource type {rtype} ({where}) exists only in FHIR "
                f"{OTHER_VERSION_RESOURCES[rtype]}; spinemets reads FHIR R4 (4.0.1) bundles "
                "such as mCODE STU4",
            )
        for sig_type, element, kind, version in _ELEMENT_SIGNALS:
            if rtype != sig_type or element not in resource:
                continue
            if kind == "present" or isinstance(resource[element], str):
                raise fail(
                    file,
                    f"not a FHIR R4 bundle: {rtype}.{element} in {where} is FHIR {version} syntax; "
                    "spinemets reads FHIR R4 (4.0.1) bundles such as mCODE STU4",
                )
        rmeta = resource.get("meta")
        if position is not None and isinstance(rmeta, dict):
            version = _version_of(rmeta.get("fhirVersion"))
            if version is not None and not version.startswith("4.0"):
                raise fail(
                    file,
                    f"{where} declares fhirVersion {version[:20]}; spinemets reads FHIR R4 (4.0.1)",
                )
