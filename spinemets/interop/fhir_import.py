"""Read an mCODE / FHIR R4 Bundle (JSON) and draft a spinemets case file from it.

``import_bundle(raw, file, today=...)`` returns the case YAML text and a mapping report: one
:class:`MappingLine` per field filled, resource ignored or conflict found. What is read
(interop.md §1; code tables in :mod:`spinemets.interop.fhir_codes`):

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
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from spinemets.case.levels import level_index
from spinemets.case.models import ALBUMIN_PLAUSIBLE, Primary, Sex
from spinemets.errors import UserError
from spinemets.interop import fhir_codes as codes
from spinemets.scorers.performance import ecog_from_kps

Status = Literal["mapped", "ignored", "conflict"]

#: Largest bundle read (bytes). mCODE patient bundles are far smaller.
MAX_BUNDLE_BYTES = 32 * 1024 * 1024
SCHEMA_HEADER = "# yaml-language-server: $schema=../schemas/case.schema.json"

_FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


class FhirImportError(UserError):
    """The input is not a readable FHIR R4 Bundle."""


@dataclass(frozen=True, slots=True)
class MappingLine:
    """One line of the mapping report (never holds a patient identifier)."""

    field: str
    value: str
    source: str
    status: Status
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The drafted case file text and the mapping report."""

    case_yaml: str
    report: tuple[MappingLine, ...]


# --- version and shape checks -----------------------------------------------------------------

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


def _fail(file: str, message: str) -> FhirImportError:
    return FhirImportError(f"{file}: {message}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse(raw: bytes, file: str) -> dict[str, Any]:
    if len(raw) > MAX_BUNDLE_BYTES:
        raise _fail(
            file,
            f"file is {len(raw):,} bytes; FHIR bundles are limited to {MAX_BUNDLE_BYTES:,} bytes",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(file, f"not UTF-8 text (byte {exc.start}); FHIR JSON must be UTF-8") from None
    if not text.strip():
        raise _fail(file, "file is empty; expected a FHIR R4 Bundle in JSON")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _fail(
            file, f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise _fail(
            file, f"not valid JSON: {exc if isinstance(exc, ValueError) else 'nested too deeply'}"
        ) from None
    if not isinstance(data, dict):
        raise _fail(file, "the JSON root is not an object; expected a FHIR R4 Bundle")
    rtype = data.get("resourceType")
    if rtype != "Bundle":
        shown = f"'{rtype}'" if isinstance(rtype, str) and _FHIR_ID.fullmatch(rtype) else "missing"
        raise _fail(
            file,
            f"resourceType is {shown}; expected a FHIR R4 Bundle (e.g. an mCODE patient bundle)",
        )
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise _fail(file, "Bundle.entry is not a list")
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
            raise _fail(
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
            raise _fail(
                file,
                f"not a FHIR R4 bundle: resource type {rtype} ({where}) exists only in FHIR "
                f"{OTHER_VERSION_RESOURCES[rtype]}; spinemets reads FHIR R4 (4.0.1) bundles "
                "such as mCODE STU4",
            )
        for sig_type, element, kind, version in _ELEMENT_SIGNALS:
            if rtype != sig_type or element not in resource:
                continue
            if kind == "present" or isinstance(resource[element], str):
                raise _fail(
                    file,
                    f"not a FHIR R4 bundle: {rtype}.{element} in {where} is FHIR {version} syntax; "
                    "spinemets reads FHIR R4 (4.0.1) bundles such as mCODE STU4",
                )
        rmeta = resource.get("meta")
        if position is not None and isinstance(rmeta, dict):
            version = _version_of(rmeta.get("fhirVersion"))
            if version is not None and not version.startswith("4.0"):
                raise _fail(
                    file,
                    f"{where} declares fhirVersion {version[:20]}; spinemets reads FHIR R4 (4.0.1)",
                )


# --- small JSON helpers ---------------------------------------------------------------------

_SYSTEM_LABEL = {
    codes.SNOMED: "SCT",
    codes.LOINC: "LOINC",
    codes.ICD10CM: "ICD-10-CM",
    codes.ICD10: "ICD-10",
    codes.ICDO3: "ICD-O-3",
}


def _list(value: Any) -> list[Any]:
    """A JSON array, or an empty list for anything else (malformed input is ignored)."""
    return value if isinstance(value, list) else []


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [
        c
        for c in _list(concept.get("coding"))
        if isinstance(c, dict) and isinstance(c.get("code"), str)
    ]


def _code_label(coding: dict[str, Any]) -> str:
    system = coding.get("system")
    label = _SYSTEM_LABEL.get(system, system) if isinstance(system, str) else "?"
    return f"{label}#{coding.get('code')}"


def _concept_text(concept: Any) -> str | None:
    if not isinstance(concept, dict):
        return None
    text = concept.get("text")
    if isinstance(text, str) and text.strip():
        return _one_line(text)
    for coding in _codings(concept):
        display = coding.get("display")
        if isinstance(display, str) and display.strip():
            return _one_line(display)
    return None


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _profiles(resource: dict[str, Any]) -> list[str]:
    meta = resource.get("meta")
    if not isinstance(meta, dict):
        return []
    return [p.split("|")[0] for p in _list(meta.get("profile")) if isinstance(p, str)]


def _extensions(resource: dict[str, Any], url: str) -> list[dict[str, Any]]:
    return [
        e for e in _list(resource.get("extension")) if isinstance(e, dict) and e.get("url") == url
    ]


def _ref(resource: dict[str, Any]) -> str:
    rtype = str(resource.get("resourceType"))
    rid = resource.get("id")
    if rtype == "Patient":
        return "Patient"
    return (
        f"{rtype}/{rid}" if isinstance(rid, str) and _FHIR_ID.fullmatch(rid) else f"{rtype}(no id)"
    )


def _when(value: Any) -> dt.datetime | None:
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
    match = _PARTIAL_DATE.fullmatch(text)
    if not match:
        return None
    try:
        return dt.datetime(int(match[1]), int(match[2] or 1), int(match[3] or 1), tzinfo=dt.UTC)
    except ValueError:
        return None


def _full_date(value: Any) -> dt.date | None:
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


def _effective(resource: dict[str, Any]) -> tuple[dt.datetime | None, str]:
    for key in ("effectiveDateTime", "effectiveInstant"):
        moment = _when(resource.get(key))
        if moment is not None:
            return moment, str(resource[key])
    period = resource.get("effectivePeriod")
    if isinstance(period, dict):
        for key in ("end", "start"):
            moment = _when(period.get(key))
            if moment is not None:
                return moment, str(period[key])
    moment = _when(resource.get("issued"))
    if moment is not None:
        return moment, str(resource["issued"])
    return None, "undated"


# --- the import ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    """A value read from one Observation, with its date and source."""

    value: Any
    when: dt.datetime | None
    when_text: str
    source: str


@dataclass(slots=True)
class _State:
    today: dt.date
    lines: list[MappingLine] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    lesion_levels: dict[str, str] = field(default_factory=dict)  # level -> source
    bone_sites: dict[str, str] = field(default_factory=dict)  # site code -> source
    visceral: list[str] = field(default_factory=list)
    brain: list[str] = field(default_factory=list)

    def line(self, path: str, value: Any, source: str, status: Status, reason: str) -> None:
        self.lines.append(MappingLine(path, str(value), source, status, reason))

    def set(
        self, path: str, value: Any, source: str, reason: str, comment: str | None = None
    ) -> None:
        self.values[path] = value
        self.comments[path] = comment or f"from {source}"
        self.line(path, value, source, "mapped", reason)


def import_bundle(raw: bytes, file: str, *, today: dt.date | None = None) -> ImportResult:
    """Draft a case file from an mCODE / FHIR R4 Bundle; raise :class:`FhirImportError` for
    input that is not one."""
    bundle = _parse(raw, file)
    state = _State(today or dt.date.today())
    by_type: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle.get("entry", []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and isinstance(resource.get("resourceType"), str):
            by_type.setdefault(resource["resourceType"], []).append(resource)

    case_id = _case_id(bundle, raw, state)
    _patient(by_type.get("Patient", []), state, file)
    primaries, secondaries, other_conditions = _split_conditions(
        by_type.get("Condition", []), state
    )
    _secondary(secondaries, state)
    _primary(primaries, secondaries, state)
    observations = _observations(by_type.get("Observation", []), state)
    _performance(observations, state)
    _labs(observations, state)
    _summarise_ignored(by_type, other_conditions, observations, state)
    text = _render_case(case_id, state, file)
    return ImportResult(text, tuple(state.lines))


def _case_id(bundle: dict[str, Any], raw: bytes, state: _State) -> str:
    bid = bundle.get("id")
    if isinstance(bid, str) and _FHIR_ID.fullmatch(bid):
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


# --- Patient --------------------------------------------------------------------------------

_SEX = {"female": Sex.FEMALE, "male": Sex.MALE, "other": Sex.OTHER}


def _patient(patients: list[dict[str, Any]], state: _State, file: str) -> None:
    if len(patients) > 1:
        raise _fail(
            file,
            f"the bundle holds {len(patients)} Patient resources; a case describes one patient",
        )
    if not patients:
        state.line(
            "patient",
            "unknown",
            "Bundle",
            "ignored",
            "no Patient resource: age and sex stay unknown",
        )
        return
    patient = patients[0]
    gender = patient.get("gender")
    if isinstance(gender, str) and gender in _SEX:
        state.set("patient.sex", _SEX[gender], "Patient", "Patient.gender", "from Patient.gender")
    elif gender is not None:
        state.line(
            "patient.sex",
            "unknown",
            "Patient",
            "ignored",
            "Patient.gender is 'unknown' or not an R4 code",
        )
    birth = patient.get("birthDate")
    if isinstance(birth, str):
        _age(birth, state)
    name = _name(patient.get("name"))
    if name:
        state.values["patient.name"] = name
        state.comments["patient.name"] = "identifier (PHI) from Patient.name; removed by --redact"
        state.line("patient.name", "(identifier, not shown)", "Patient", "mapped", "Patient.name")
    mrn = _mrn(patient.get("identifier"))
    if mrn:
        state.values["patient.mrn"] = mrn
        state.comments["patient.mrn"] = (
            "identifier (PHI) from Patient.identifier (type MR); removed by --redact"
        )
        state.line(
            "patient.mrn",
            "(identifier, not shown)",
            "Patient",
            "mapped",
            "Patient.identifier of type MR",
        )
    born = _full_date(birth)
    if born is not None and born <= state.today and isinstance(birth, str) and len(birth) == 10:
        state.values["patient.birth_date"] = born
        state.comments["patient.birth_date"] = (
            "identifier (PHI) from Patient.birthDate; removed by --redact"
        )
        state.line(
            "patient.birth_date",
            "(identifier, not shown)",
            "Patient",
            "mapped",
            "Patient.birthDate",
        )


def _age(birth: str, state: _State) -> None:
    match = _PARTIAL_DATE.fullmatch(birth.strip())
    if not match:
        state.line(
            "patient.age", "unknown", "Patient", "ignored", "Patient.birthDate is not a FHIR date"
        )
        return
    year, month, day = int(match[1]), match[2], match[3]
    today = state.today
    if month is None:
        state.line(
            "patient.age",
            "unknown",
            "Patient",
            "ignored",
            "birthDate gives the year only: the age is ambiguous by one year",
        )
        return
    if day is None and int(month) == today.month:
        state.line(
            "patient.age",
            "unknown",
            "Patient",
            "ignored",
            "birthDate gives no day and the birthday month is the current month: "
            "the age is ambiguous",
        )
        return
    try:
        born = dt.date(year, int(month), int(day or 1))
    except ValueError:
        state.line(
            "patient.age", "unknown", "Patient", "ignored", "Patient.birthDate is not a valid date"
        )
        return
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if born > today or not 0 <= age <= 120:
        state.line(
            "patient.age",
            "unknown",
            "Patient",
            "ignored",
            "Patient.birthDate gives an age outside 0-120",
        )
        return
    state.set(
        "patient.age",
        age,
        "Patient",
        f"from Patient.birthDate on {today.isoformat()}",
        f"from Patient.birthDate on {today.isoformat()}",
    )


def _name(names: Any) -> str | None:
    if not isinstance(names, list):
        return None
    usable = [n for n in names if isinstance(n, dict)]
    usable.sort(key=lambda n: n.get("use") != "official")
    for name in usable:
        if isinstance(name.get("text"), str) and name["text"].strip():
            return _one_line(name["text"])
        given = [g for g in _list(name.get("given")) if isinstance(g, str)]
        family = str(name["family"]) if isinstance(name.get("family"), str) else ""
        joined = " ".join([*given, family]).strip()
        if joined:
            return _one_line(joined)
    return None


def _mrn(identifiers: Any) -> str | None:
    if not isinstance(identifiers, list):
        return None
    for ident in identifiers:
        if not isinstance(ident, dict) or not isinstance(ident.get("value"), str):
            continue
        if any(c.get("code") == "MR" for c in _codings(ident.get("type"))):
            return _one_line(ident["value"], 64)
    return None


# --- Conditions -----------------------------------------------------------------------------


def _status_code(concept: Any) -> str | None:
    for coding in _codings(concept):
        return str(coding["code"])
    return None


def _is_secondary_code(coding: dict[str, Any]) -> bool:
    system, code = coding.get("system"), str(coding["code"])
    if system == codes.SNOMED:
        return code in codes.SNOMED_SECONDARY or code == codes.SNOMED_SECONDARY_GENERIC
    if system in (codes.ICD10CM, codes.ICD10):
        return codes.normalise_icd(code).startswith(codes.ICD10_SECONDARY_PREFIXES)
    return False


def _primary_from_coding(coding: dict[str, Any]) -> tuple[Primary, str] | None:
    system, code = coding.get("system"), str(coding["code"])
    if system == codes.SNOMED:
        return codes.SNOMED_PRIMARY.get(code)
    if system in (codes.ICD10CM, codes.ICD10):
        hit = codes.longest_prefix(codes.ICD10_PRIMARY, code)
        return hit[1] if hit else None
    if system == codes.ICDO3 and code.upper().startswith("C"):
        hit = codes.longest_prefix(codes.ICDO3_TOPOGRAPHY_PRIMARY, code)
        return hit[1] if hit else None
    return None


def _split_conditions(
    conditions: list[dict[str, Any]], state: _State
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    primaries: list[dict[str, Any]] = []
    secondaries: list[dict[str, Any]] = []
    other = 0
    for condition in conditions:
        verification = _status_code(condition.get("verificationStatus"))
        profiles = _profiles(condition)
        coding = _codings(condition.get("code"))
        is_secondary = codes.SECONDARY_PROFILE in profiles or any(
            _is_secondary_code(c) for c in coding
        )
        is_primary = not is_secondary and (
            codes.PRIMARY_PROFILE in profiles or any(_primary_from_coding(c) for c in coding)
        )
        if not (is_primary or is_secondary):
            other += 1
            continue
        if verification in ("refuted", "entered-in-error"):
            state.line(
                "cancer" if is_primary else "disease",
                "-",
                _ref(condition),
                "ignored",
                f"verificationStatus is {verification}",
            )
            continue
        (primaries if is_primary else secondaries).append(condition)
    return primaries, secondaries, other


@dataclass(frozen=True, slots=True)
class _PrimaryCandidate:
    primary: Primary | None
    reason: str
    source: str
    condition: dict[str, Any]
    histology: str | None


def _primary(
    primaries: list[dict[str, Any]], secondaries: list[dict[str, Any]], state: _State
) -> None:
    if not primaries:
        state.line(
            "cancer.primary",
            "unknown",
            "Bundle",
            "ignored",
            "no primary cancer Condition in the bundle",
        )
        return
    candidates = [_primary_candidate(c, state) for c in primaries]
    mapped = {c.primary for c in candidates}
    chosen: _PrimaryCandidate | None = None
    if len(candidates) == 1 or len(mapped) == 1:
        chosen = candidates[0] if None not in mapped else None
    else:
        chosen = _primary_by_relation(candidates, secondaries)
        if chosen is None:
            listing = ", ".join(f"{c.source} → {c.primary or 'no mapping'}" for c in candidates)
            state.line(
                "cancer.primary",
                "unknown",
                "; ".join(c.source for c in candidates),
                "conflict",
                f"{len(candidates)} primary cancer conditions disagree ({listing}); "
                "choose the primary of the spinal metastases",
            )
            state.comments["cancer.primary"] = (
                f"CONFLICT: {len(candidates)} primary cancer conditions ({listing}); choose one"
            )
            chosen = None
    if chosen is not None and chosen.primary is not None:
        state.set(
            "cancer.primary",
            chosen.primary,
            chosen.source,
            chosen.reason,
            f"from {chosen.source}: {chosen.reason}",
        )
    elif chosen is None and "cancer.primary" not in state.comments:
        state.comments["cancer.primary"] = (
            "primary cancer code not mapped (see the import report): choose a coded primary"
        )
    source_condition = (
        chosen.condition if chosen else (primaries[0] if len(primaries) == 1 else None)
    )
    if source_condition is None:
        return
    histology = chosen.histology if chosen else None
    if histology:
        state.set(
            "cancer.histology",
            histology,
            _ref(source_condition),
            "histology-morphology-behavior extension",
        )
    _diagnosed_on(source_condition, state)


def _primary_by_relation(
    candidates: list[_PrimaryCandidate], secondaries: list[dict[str, Any]]
) -> _PrimaryCandidate | None:
    """With several primaries, the one the spinal secondaries point to (condition-related)."""
    targets: set[str] = set()
    for secondary in secondaries:
        if not any(_levels_of(secondary)):
            continue
        for ext in _extensions(secondary, codes.RELATED_CONDITION_EXTENSION):
            ref = ext.get("valueReference")
            if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
                targets.add(ref["reference"].split("/")[-1])
    linked = [c for c in candidates if c.condition.get("id") in targets]
    if len(linked) == 1 and linked[0].primary is not None:
        only = linked[0]
        reason = (
            f"{only.reason}; chosen among {len(candidates)} primary conditions because "
            "the vertebral metastases reference it"
        )
        return _PrimaryCandidate(only.primary, reason, only.source, only.condition, only.histology)
    return None


def _primary_candidate(condition: dict[str, Any], state: _State) -> _PrimaryCandidate:
    ref = _ref(condition)
    site: tuple[Primary, str, str] | None = None  # primary, label, code label
    site_conflict: list[str] = []
    for coding in _codings(condition.get("code")):
        hit = _primary_from_coding(coding)
        if hit is None:
            continue
        if site is None or _more_specific(hit[0], site[0]):
            site = (hit[0], hit[1], _code_label(coding))
        elif hit[0] != site[0] and not _more_specific(site[0], hit[0]):
            site_conflict.append(f"{_code_label(coding)} → {hit[0]}")
    if site is None:
        for body in _list(condition.get("bodySite")):
            for coding in _codings(body):
                if coding.get("system") == codes.ICDO3:
                    hit = _primary_from_coding(coding)
                    if hit is not None and site is None:
                        site = (hit[0], hit[1], _code_label(coding) + " (bodySite)")
    histology_text: str | None = None
    histo: tuple[Primary, str, str] | None = None
    lung_type: tuple[Primary, str, str] | None = None
    histo_codes: list[str] = []
    for ext in _extensions(condition, codes.HISTOLOGY_EXTENSION):
        concept = ext.get("valueCodeableConcept")
        histology_text = histology_text or _concept_text(concept)
        for coding in _codings(concept):
            label = _code_label(coding)
            histo_codes.append(label)
            if coding.get("system") == codes.ICDO3:
                found = codes.morphology_lookup(codes.ICDO3_MORPHOLOGY_PRIMARY, str(coding["code"]))
                if found:
                    histo = (found[0], found[1], label)
                lung = codes.morphology_lookup(codes.ICDO3_LUNG_TYPE, str(coding["code"]))
                if lung:
                    lung_type = (lung[0], lung[1], label)
            elif (
                coding.get("system") == codes.SNOMED
                and str(coding["code"]) in codes.SNOMED_LUNG_TYPE
            ):
                primary, name = codes.SNOMED_LUNG_TYPE[str(coding["code"])]
                lung_type = (primary, name, label)
    if site_conflict:
        shown = f"{site[2]} → {site[0]}, " if site else ""
        state.line(
            "cancer.primary",
            "unknown",
            ref,
            "conflict",
            f"the codings of one condition disagree ({shown}{', '.join(site_conflict)})",
        )
        return _PrimaryCandidate(None, "codings disagree", ref, condition, histology_text)
    if site is None and histo is None:
        shown = ", ".join(_code_label(c) for c in _codings(condition.get("code"))) or "no code"
        state.line(
            "cancer.primary",
            "unknown",
            f"{ref} {shown}",
            "ignored",
            "primary cancer code not in the SNOMED / ICD-10 / ICD-O-3 tables",
        )
        return _PrimaryCandidate(None, "not mapped", ref, condition, histology_text)
    if site is not None and lung_type is not None and site[0] in codes.LUNG_PRIMARIES:
        if site[0] in (Primary.LUNG, lung_type[0]):
            reason = f"{site[2]} {site[1]} with histology {lung_type[2]} {lung_type[1]}"
            return _PrimaryCandidate(
                lung_type[0], reason, f"{ref} {site[2]}", condition, histology_text
            )
        state.line(
            "cancer.primary",
            "unknown",
            f"{ref} {site[2]}",
            "conflict",
            f"code says {site[0]} but histology {lung_type[2]} says {lung_type[0]}",
        )
        return _PrimaryCandidate(None, "lung type disagrees", ref, condition, histology_text)
    if histo is not None:
        if site is None:
            return _PrimaryCandidate(
                histo[0],
                f"histology {histo[2]} {histo[1]}",
                f"{ref} {histo[2]}",
                condition,
                histology_text,
            )
        if site[0] == histo[0]:
            reason = f"{site[2]} {site[1]}, agreeing with histology {histo[2]} {histo[1]}"
            return _PrimaryCandidate(site[0], reason, f"{ref} {site[2]}", condition, histology_text)
        if site[0] not in codes.HISTOLOGY_DEFINED:
            reason = (
                f"histology {histo[2]} {histo[1]} defines the primary "
                f"(site code {site[2]} {site[1]})"
            )
            return _PrimaryCandidate(
                histo[0], reason, f"{ref} {histo[2]}", condition, histology_text
            )
        state.line(
            "cancer.primary",
            "unknown",
            f"{ref} {site[2]}",
            "conflict",
            f"code says {site[0]} but histology {histo[2]} says {histo[0]}",
        )
        return _PrimaryCandidate(None, "histology disagrees", ref, condition, histology_text)
    assert site is not None
    reason = f"{site[2]} {site[1]}"
    if histo_codes and site[0] in codes.LUNG_PRIMARIES and site[0] == Primary.LUNG:
        reason += f"; histology {', '.join(histo_codes)} does not give the lung cancer type"
    return _PrimaryCandidate(site[0], reason, f"{ref} {site[2]}", condition, histology_text)


def _more_specific(new: Primary, old: Primary) -> bool:
    return old == Primary.LUNG and new in (Primary.LUNG_NSCLC, Primary.LUNG_SCLC)


def _diagnosed_on(condition: dict[str, Any], state: _State) -> None:
    ref = _ref(condition)
    candidates: list[tuple[str, Any]] = [
        ("assertedDate extension", ext.get("valueDateTime"))
        for ext in _extensions(condition, codes.ASSERTED_DATE_EXTENSION)
    ]
    candidates.append(("onsetDateTime", condition.get("onsetDateTime")))
    for label, value in candidates:
        if value is None:
            continue
        day = _full_date(value)
        if day is None:
            state.line(
                "cancer.diagnosed_on", "unknown", ref, "ignored", f"{label} is not a full date"
            )
            continue
        if day > state.today:
            state.line(
                "cancer.diagnosed_on",
                "unknown",
                ref,
                "ignored",
                f"{label} is after {state.today.isoformat()}",
            )
            continue
        state.set("cancer.diagnosed_on", day, ref, label)
        return


# --- secondary (metastatic) conditions ---------------------------------------------------------


def _levels_of(condition: dict[str, Any]) -> list[str]:
    levels = []
    for body in _list(condition.get("bodySite")):
        for coding in _codings(body):
            if coding.get("system") == codes.SNOMED and coding["code"] in codes.SNOMED_TO_LEVEL:
                levels.append(codes.SNOMED_TO_LEVEL[coding["code"]])
    return levels


def _site_class(condition: dict[str, Any]) -> tuple[str | None, str]:
    """The metastatic site said by the code (bone, spine, visceral, brain, or None if generic)."""
    found: list[tuple[str, str]] = []
    for coding in _codings(condition.get("code")):
        system, code = coding.get("system"), str(coding["code"])
        if system == codes.SNOMED and code in codes.SNOMED_SECONDARY:
            site, label = codes.SNOMED_SECONDARY[code]
            found.append((site, f"{_code_label(coding)} {label}"))
        elif system in (codes.ICD10CM, codes.ICD10):
            hit = codes.longest_prefix(codes.ICD10_SECONDARY, code)
            if hit is not None:
                found.append((hit[1][0], f"{_code_label(coding)} {hit[1][1]}"))
    if not found:
        shown = ", ".join(_code_label(c) for c in _codings(condition.get("code"))) or "no code"
        return None, shown
    sites = {s for s, _ in found}
    if sites <= {codes.SITE_BONE, codes.SITE_SPINE}:
        return (codes.SITE_SPINE if codes.SITE_SPINE in sites else codes.SITE_BONE), found[0][1]
    if len(sites) == 1:
        return found[0]
    return "mixed", ", ".join(label for _, label in found)


def _secondary(secondaries: list[dict[str, Any]], state: _State) -> None:
    for condition in secondaries:
        ref = _ref(condition)
        clinical = _status_code(condition.get("clinicalStatus"))
        if clinical in ("inactive", "resolved", "remission"):
            state.line(
                "disease",
                "-",
                ref,
                "ignored",
                f"clinicalStatus is {clinical}: not an active metastasis",
            )
            continue
        site, label = _site_class(condition)
        levels = _levels_of(condition)
        other_sites: list[tuple[str, str]] = []
        for body in _list(condition.get("bodySite")):
            for coding in _codings(body):
                code = str(coding["code"])
                if coding.get("system") == codes.SNOMED and code in codes.SNOMED_TO_LEVEL:
                    continue
                if coding.get("system") == codes.SNOMED and code in codes.SPINE_REGIONS:
                    state.line(
                        "lesions",
                        "-",
                        f"{ref} bodySite {_code_label(coding)}",
                        "ignored",
                        f"{codes.SPINE_REGIONS[code]} without a vertebral level: "
                        "add the lesion levels by hand",
                    )
                    continue
                if coding.get("system") == codes.SNOMED and code in codes.UNCONFIRMED_SPINE_SITES:
                    state.line(
                        "lesions",
                        "-",
                        f"{ref} bodySite {_code_label(coding)}",
                        "ignored",
                        f"{codes.UNCONFIRMED_SPINE_SITES[code]}: sacral/coccygeal codes "
                        "are not confirmed; add by hand",
                    )
                    continue
                other_sites.append((code, _code_label(coding)))
        if site in (codes.SITE_VISCERAL, codes.SITE_BRAIN, "mixed"):
            if levels:
                state.line(
                    "lesions",
                    "-",
                    f"{ref} {label}",
                    "conflict",
                    f"a {site} metastasis code with vertebral body sites "
                    f"({', '.join(levels)}); not used",
                )
                continue
            if site == codes.SITE_BRAIN:
                state.brain.append(f"{ref} {label}")
            elif site == codes.SITE_VISCERAL:
                state.visceral.append(f"{ref} {label}")
            else:
                state.line(
                    "disease",
                    "-",
                    f"{ref} {label}",
                    "conflict",
                    "the codings name different metastatic sites; not used",
                )
            continue
        if levels:
            for level in levels:
                state.lesion_levels.setdefault(
                    level, f"{ref} bodySite SCT#{codes.LEVEL_TO_SNOMED[level]}"
                )
            if other_sites and site == codes.SITE_BONE:
                for code, shown in other_sites:
                    state.bone_sites.setdefault(code, f"{ref} bodySite {shown}")
            continue
        if site == codes.SITE_BONE and other_sites:
            for code, shown in other_sites:
                state.bone_sites.setdefault(code, f"{ref} bodySite {shown}")
            continue
        if condition.get("bodySite"):
            reason = "no usable vertebra or bone body site (see the lines above)"
        elif site == codes.SITE_BONE:
            reason = "bone metastasis without a body site: cannot tell spine from other bones"
        elif site == codes.SITE_SPINE:
            reason = (
                "vertebral-column metastasis without a vertebra body site: "
                "add the lesion levels by hand"
            )
        else:
            reason = "secondary cancer code without a known site (bone, vertebra, viscera or brain)"
        state.line("disease", "-", f"{ref} {label}", "ignored", reason)
    _disease_values(state)


def _disease_values(state: _State) -> None:
    if state.lesion_levels:
        count = len(state.lesion_levels)
        sources = "; ".join(state.lesion_levels[lv] for lv in _sorted_levels(state.lesion_levels))
        for level in _sorted_levels(state.lesion_levels):
            state.line(
                "lesions[].level",
                level,
                state.lesion_levels[level],
                "mapped",
                "vertebra body site of a secondary cancer condition",
            )
        state.values["disease.vertebral_metastases"] = count
        state.comments["disease.vertebral_metastases"] = (
            f"{count} vertebrae coded as metastatic body sites; verify against imaging"
        )
        state.line(
            "disease.vertebral_metastases",
            count,
            sources,
            "mapped",
            "distinct vertebrae in secondary cancer body sites",
        )
    if state.bone_sites:
        count = len(state.bone_sites)
        state.values["disease.extraspinal_bone_metastases"] = count
        state.comments["disease.extraspinal_bone_metastases"] = (
            f"{count} distinct non-vertebral bone sites coded; the number of foci may be "
            "higher: verify against imaging"
        )
        state.line(
            "disease.extraspinal_bone_metastases",
            count,
            "; ".join(state.bone_sites.values()),
            "mapped",
            "distinct non-vertebral body sites of bone metastases (each counted once)",
        )
    if state.visceral:
        state.comments["disease.visceral_metastases"] = (
            "visceral metastasis present ("
            + "; ".join(state.visceral)
            + "): set removable or unremovable"
        )
        state.line(
            "disease.visceral_metastases",
            "unknown",
            "; ".join(state.visceral),
            "mapped",
            "visceral metastasis present; removable/unremovable is not coded in mCODE: "
            "the clinician sets it",
        )
    if state.brain:
        state.set("disease.brain_metastases", True, "; ".join(state.brain), "brain metastasis code")


def _sorted_levels(levels: Iterable[str]) -> list[str]:
    return sorted(levels, key=level_index)


# --- Observations ---------------------------------------------------------------------------------

_USABLE_STATUS = ("final", "amended", "corrected")


def _observations(
    observations: list[dict[str, Any]], state: _State
) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for obs in observations:
        loinc = {
            str(c["code"]) for c in _codings(obs.get("code")) if c.get("system") == codes.LOINC
        }
        if codes.LOINC_ECOG in loinc:
            key = "ecog"
        elif codes.LOINC_KPS in loinc:
            key = "kps"
        elif codes.LOINC_ALBUMIN in loinc:
            key = "albumin"
        elif loinc & set(codes.LOINC_EGFR):
            key = "egfr"
        else:
            key = "other"
        if key != "other" and obs.get("status") not in _USABLE_STATUS:
            state.line(
                _FIELD[key],
                "-",
                _obs_source(obs, key),
                "ignored",
                f"status is {obs.get('status')!s}, not final/amended/corrected",
            )
            continue
        grouped.setdefault(key, []).append(obs)
    return grouped


_FIELD = {
    "ecog": "performance.ecog",
    "kps": "performance.kps",
    "albumin": "labs.albumin",
    "egfr": "labs.egfr",
}
_LOINC_OF = {"ecog": codes.LOINC_ECOG, "kps": codes.LOINC_KPS, "albumin": codes.LOINC_ALBUMIN}


def _obs_source(obs: dict[str, Any], key: str) -> str:
    code = _LOINC_OF.get(key)
    if code is None:
        code = next(
            (
                str(c["code"])
                for c in _codings(obs.get("code"))
                if str(c["code"]) in codes.LOINC_EGFR
            ),
            "?",
        )
    return f"{_ref(obs)} LOINC#{code}"


def _answer(concept: Any, table: dict[str, int]) -> int | None:
    for coding in _codings(concept):
        if coding.get("system") in (codes.LOINC, None) and coding["code"] in table:
            return table[coding["code"]]
    return None


def _score_reading(obs: dict[str, Any], key: str, state: _State) -> _Reading | None:
    table = codes.ECOG_ANSWERS if key == "ecog" else codes.KPS_ANSWERS
    valid = range(0, 6) if key == "ecog" else range(0, 101, 10)
    source = _obs_source(obs, key)
    value: int | None = None
    how = ""
    raw_int = obs.get("valueInteger")
    if isinstance(raw_int, int) and not isinstance(raw_int, bool):
        if raw_int not in valid:
            state.line(
                _FIELD[key],
                raw_int,
                source,
                "ignored",
                f"valueInteger {raw_int} is not a valid {key.upper()} value",
            )
            return None
        value, how = raw_int, "valueInteger"
    elif "valueCodeableConcept" in obs:
        value = _answer(obs["valueCodeableConcept"], table)
        if value is None:
            state.line(
                _FIELD[key],
                "-",
                source,
                "ignored",
                "valueCodeableConcept is not a LOINC answer code of the list",
            )
            return None
        how = "LOINC answer code in valueCodeableConcept"
    interpretation = None
    for concept in _list(obs.get("interpretation")):
        interpretation = interpretation if interpretation is not None else _answer(concept, table)
    if value is None and interpretation is not None:
        value, how = interpretation, "LOINC answer code in interpretation"
    elif value is not None and interpretation is not None and interpretation != value:
        state.line(
            _FIELD[key],
            "unknown",
            source,
            "conflict",
            f"{how} {value} disagrees with the interpretation answer code ({interpretation})",
        )
        return None
    if value is None:
        state.line(_FIELD[key], "-", source, "ignored", "no valueInteger or LOINC answer code")
        return None
    when, when_text = _effective(obs)
    return _Reading(value, when, when_text, f"{source} ({how})")


def _quantity(obs: dict[str, Any], key: str, state: _State) -> tuple[float, str, str] | None:
    source = _obs_source(obs, key)
    quantity = obs.get("valueQuantity")
    if not isinstance(quantity, dict):
        state.line(_FIELD[key], "-", source, "ignored", "no valueQuantity")
        return None
    number = quantity.get("value")
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        state.line(_FIELD[key], "-", source, "ignored", "valueQuantity has no numeric value")
        return None
    if quantity.get("comparator"):
        state.line(
            _FIELD[key],
            "-",
            source,
            "ignored",
            f"value is a bound ({quantity['comparator']}{number:g}), not a measurement",
        )
        return None
    unit = (
        quantity.get("code")
        if quantity.get("system") == codes.UCUM and isinstance(quantity.get("code"), str)
        else quantity.get("unit")
    )
    if not isinstance(unit, str):
        state.line(_FIELD[key], "-", source, "ignored", "valueQuantity has no unit")
        return None
    return float(number), unit.strip(), source


def _albumin_reading(obs: dict[str, Any], state: _State) -> _Reading | None:
    got = _quantity(obs, "albumin", state)
    if got is None:
        return None
    number, unit, source = got
    factor = {u.lower(): (u, f) for u, f in codes.ALBUMIN_UNITS_TO_G_DL.items()}.get(unit.lower())
    if factor is None:
        state.line("labs.albumin", "-", source, "ignored", f"unit '{unit[:20]}' is not g/dL or g/L")
        return None
    g_dl = round(number * factor[1], 2)
    low, high = ALBUMIN_PLAUSIBLE["g/dL"]
    if not low <= g_dl <= high:
        state.line(
            "labs.albumin",
            "-",
            source,
            "ignored",
            f"{number:g} {factor[0]} is implausible for serum albumin ({low:g}-{high:g} g/dL)",
        )
        return None
    text = f"{g_dl:g} g/dL"
    how = "g/dL" if factor[0] == "g/dL" else f"{number:g} g/L converted to g/dL"
    when, when_text = _effective(obs)
    return _Reading(text, when, when_text, f"{source} ({how})")


def _egfr_reading(obs: dict[str, Any], state: _State) -> _Reading | None:
    got = _quantity(obs, "egfr", state)
    if got is None:
        return None
    number, unit, source = got
    if unit not in codes.EGFR_UNITS:
        state.line("labs.egfr", "-", source, "ignored", f"unit '{unit[:20]}' is not mL/min/1.73 m2")
        return None
    if not 0 <= number <= 200:
        state.line(
            "labs.egfr", "-", source, "ignored", f"{number:g} is outside 0-200 mL/min/1.73 m2"
        )
        return None
    value: int | float = int(number) if number == int(number) else round(number, 1)
    when, when_text = _effective(obs)
    return _Reading(value, when, when_text, source)


def _newest(readings: list[_Reading], path: str, state: _State) -> Any:
    """Use the newest reading; several newest readings that disagree are a conflict."""
    if not readings:
        return None
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    ordered = sorted(readings, key=lambda r: r.when or floor, reverse=True)
    top = ordered[0]
    tied = [r for r in ordered if r.when == top.when]
    values = {str(r.value) for r in tied}
    if len(values) > 1:
        shown = ", ".join(f"{r.value} ({r.source})" for r in tied)
        state.line(
            path,
            "unknown",
            "; ".join(r.source for r in tied),
            "conflict",
            f"{len(tied)} observations of the same date ({top.when_text}) disagree: {shown}",
        )
        state.comments[path] = (
            f"CONFLICT: observations of {top.when_text} disagree "
            f"({', '.join(sorted(values))}); enter the right value"
        )
        for older in ordered[len(tied) :]:
            state.line(
                path,
                older.value,
                older.source,
                "ignored",
                f"older ({older.when_text}) than the conflicting observations",
            )
        return None
    count = len(readings)
    reason = f"newest of {count} observation(s), effective {top.when_text}"
    for older in ordered[len(tied) :]:
        state.line(
            path,
            older.value,
            older.source,
            "ignored",
            f"older ({older.when_text}) than {top.source.split(' (')[0]} ({top.when_text})",
        )
    state.set(
        path, top.value, top.source, reason, f"from {top.source.split(' (')[0]}, {top.when_text}"
    )
    return top.value


def _performance(grouped: dict[str, list[dict[str, Any]]], state: _State) -> None:
    ecog = _newest(
        [r for o in grouped.get("ecog", []) if (r := _score_reading(o, "ecog", state))],
        "performance.ecog",
        state,
    )
    kps = _newest(
        [r for o in grouped.get("kps", []) if (r := _score_reading(o, "kps", state))],
        "performance.kps",
        state,
    )
    if isinstance(ecog, int) and isinstance(kps, int):
        expected = _ecog_for_kps(kps)
        if expected != ecog:
            note = (
                f"ECOG {ecog} and KPS {kps} disagree under the usual mapping "
                "(clinical-reference §4.3: "
                f"KPS {kps} ~ ECOG {expected}); both kept as recorded: verify"
            )
            state.line(
                "performance",
                f"ECOG {ecog} / KPS {kps}",
                "performance.ecog; performance.kps",
                "conflict",
                note,
            )
            state.comments["performance.kps"] += f"; {note}"


def _ecog_for_kps(kps: int) -> int:
    return ecog_from_kps(kps)


def _labs(grouped: dict[str, list[dict[str, Any]]], state: _State) -> None:
    _newest(
        [r for o in grouped.get("albumin", []) if (r := _albumin_reading(o, state))],
        "labs.albumin",
        state,
    )
    _newest(
        [r for o in grouped.get("egfr", []) if (r := _egfr_reading(o, state))], "labs.egfr", state
    )


def _summarise_ignored(
    by_type: dict[str, list[dict[str, Any]]],
    other_conditions: int,
    observations: dict[str, list[dict[str, Any]]],
    state: _State,
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


# --- YAML ---------------------------------------------------------------------------------------

#: (section, key, what to add when unknown). Order is the case-format.md order.
_LAYOUT: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "patient",
        (
            ("name", ""),
            ("mrn", ""),
            ("birth_date", ""),
            ("age", "age in years"),
            ("sex", "female | male | other"),
        ),
    ),
    (
        "cancer",
        (
            ("primary", "coded primary site (case-format.md list), e.g. renal"),
            ("histology", "free text, e.g. clear cell renal cell carcinoma"),
            ("diagnosed_on", "date of the cancer diagnosis, YYYY-MM-DD"),
            (
                "growth",
                "Tomita growth class slow | moderate | rapid "
                "(needed for primaries without a published class)",
            ),
            ("systemic_therapy", "available | limited | none: not coded in mCODE"),
        ),
    ),
    (
        "disease",
        (
            ("vertebral_metastases", "number of vertebral bodies involved"),
            ("extraspinal_bone_metastases", "number of bone metastasis foci outside the spine"),
            ("visceral_metastases", "none | removable | unremovable"),
            ("brain_metastases", "true | false"),
        ),
    ),
    (
        "neurology",
        (
            ("frankel", "Frankel grade A-E (or asia: A-E)"),
            ("ambulatory", "independent | with_aid | non_ambulatory"),
            ("deficit", "none | stable | progressing"),
            ("motor_deficit_days", "days over which a motor deficit developed"),
            ("myelopathy", "true | false"),
            ("radiculopathy", "true | false"),
            ("sphincter_dysfunction", "true | false"),
        ),
    ),
    (
        "performance",
        (
            ("ecog", "ECOG 0-5"),
            ("kps", "Karnofsky 0-100 in steps of 10"),
        ),
    ),
    (
        "labs",
        (
            ("albumin", "serum albumin with unit, e.g. 3.8 g/dL"),
            ("egfr", "eGFR in mL/min/1.73 m2"),
        ),
    ),
    (
        "pain",
        (
            ("nrs", "worst pain in the last 24 h, 0-10"),
            ("neuropathic", "true | false"),
            ("night_pain", "true | false"),
            ("opioid_status", "naive | tolerant"),
            ("current_step", "WHO ladder step of the current regimen, 0-3"),
            ("controlled", "true | false"),
        ),
    ),
    (
        "comorbidities",
        (
            ("anticoagulant", "true | false"),
            ("antiplatelet", "true | false"),
            ("gi_bleed_history", "true | false"),
            ("operable", "yes | no (quoted) or true | false: medical fitness for open surgery"),
        ),
    ),
    ("preferences", (("declines_surgery", "true | false"),)),
)

_LESION_FIELDS: tuple[tuple[str, str], ...] = (
    ("pain", "SINS pain: mechanical | occasional | none (clinician-entered; not in mCODE)"),
    ("bone_lesion", "SINS bone lesion: lytic | mixed | blastic (from imaging)"),
    ("alignment", "SINS alignment: normal | deformity | subluxation (from imaging)"),
    ("collapse", "SINS collapse: none | involvement_gt50 | lt50 | gt50 (from imaging)"),
    (
        "posterolateral",
        "SINS posterolateral involvement: none | unilateral | bilateral (from imaging)",
    ),
    ("escc", 'Bilsky ESCC grade "0" | "1a" | "1b" | "1c" | "2" | "3" (axial T2 MRI; not in mCODE)'),
    ("posterior_wall_retropulsion", "true | false"),
)


def _scalar(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str) -> str:
    return "  # " + _one_line(text, 300) if text else ""


#: Fields that take no ``unknown`` (free text and dates): written as ``null`` when absent.
_NULL_WHEN_ABSENT = frozenset({"cancer.histology", "cancer.diagnosed_on"})


def _lines_for(section: str, fields: tuple[tuple[str, str], ...], state: _State) -> Iterator[str]:
    yield f"{section}:"
    for key, hint in fields:
        path = f"{section}.{key}"
        value = state.values.get(path)
        if value is None and not hint:
            continue  # identifiers: only when present in the Patient resource
        comment = state.comments.get(path) or f"add: {hint}"
        shown = "null" if value is None and path in _NULL_WHEN_ABSENT else _scalar(value)
        yield f"  {key}: {shown}{_comment(comment)}"


def _render_case(case_id: str, state: _State, file: str) -> str:
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    out = [
        SCHEMA_HEADER,
        f"# Drafted by 'spinemets import fhir' from {_one_line(name, 80)} "
        f"on {state.today.isoformat()}.",
        "# Review every value against the record. Fields left 'unknown' need clinician input;",
        "# SINS items and the ESCC grade are never in mCODE and must be entered from imaging.",
        "schema_version: 1",
        f"case_id: {_scalar(case_id)}",
    ]
    for section, fields in _LAYOUT[:3]:
        out.extend(_lines_for(section, fields, state))
    if state.lesion_levels:
        out.append(
            "lesions:  # one entry per vertebra coded as a metastatic site; "
            "merge into ranges if needed"
        )
        for level in _sorted_levels(state.lesion_levels):
            out.append(
                f"  - level: {_scalar(level)}{_comment('from ' + state.lesion_levels[level])}"
            )
            out.extend(
                f"    {key}: unknown{_comment('add: ' + hint)}" for key, hint in _LESION_FIELDS
            )
            out.append(
                "    prior_radiation: null  # or {dose_gy: 20, fractions: 5, "
                "technique: cebrt, date: YYYY-MM-DD}"
            )
    else:
        out.append(
            "lesions: []  # no vertebral level coded: "
            "add one entry per lesion (level, SINS items, escc)"
        )
    for section, fields in _LAYOUT[3:]:
        out.extend(_lines_for(section, fields, state))
    return "\n".join(out) + "\n"
