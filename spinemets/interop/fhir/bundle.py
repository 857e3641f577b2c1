"""Parse a FHIR R4 Bundle from bytes and refuse other FHIR versions and shapes."""

from __future__ import annotations

import json
import re
from typing import Any

from spinemets.interop.fhir.elements import FHIR_ID
from spinemets.interop.fhir.state import fail

#: Largest bundle read (bytes). mCODE patient bundles are far smaller.
MAX_BUNDLE_BYTES = 32 * 1024 * 1024

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


def parse_bundle(raw: bytes, file: str) -> dict[str, Any]:
    if len(raw) > MAX_BUNDLE_BYTES:
        raise fail(
            file,
            f"file is {len(raw):,} bytes; FHIR bundles are limited to {MAX_BUNDLE_BYTES:,} bytes",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(file, f"not UTF-8 text (byte {exc.start}); FHIR JSON must be UTF-8") from None
    if not text.strip():
        raise fail(file, "file is empty; expected a FHIR R4 Bundle in JSON")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise fail(
            file, f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise fail(
            file, f"not valid JSON: {exc if isinstance(exc, ValueError) else 'nested too deeply'}"
        ) from None
    if not isinstance(data, dict):
        raise fail(file, "the JSON root is not an object; expected a FHIR R4 Bundle")
    rtype = data.get("resourceType")
    if rtype != "Bundle":
        shown = f"'{rtype}'" if isinstance(rtype, str) and FHIR_ID.fullmatch(rtype) else "missing"
        raise fail(
            file,
            f"resourceType is {shown}; expected a FHIR R4 Bundle (e.g. an mCODE patient bundle)",
        )
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise fail(file, "Bundle.entry is not a list")
    _check_version(data, file)
    return data


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
