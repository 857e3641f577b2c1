"""Primary cancer conditions: cancer.primary, cancer.histology, cancer.diagnosed_on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spinemets.case.models import Primary
from spinemets.interop.fhir import codes, mcode_tables, primary_codes
from spinemets.interop.fhir.elements import (
    as_list,
    code_label,
    codings_of,
    concept_text,
    extensions_of,
    full_date,
    profiles_of,
    ref_of,
    status_code,
)
from spinemets.interop.fhir.metastases import levels_of
from spinemets.interop.fhir.state import State, Status
from spinemets.interop.fhir.windows import too_new


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
        return primary_codes.SNOMED_PRIMARY.get(code)
    if system in (codes.ICD10CM, codes.ICD10):
        hit = codes.longest_prefix(primary_codes.ICD10_PRIMARY, code)
        return hit[1] if hit else None
    if system == codes.ICDO3 and code.upper().startswith("C"):
        hit = codes.longest_prefix(primary_codes.ICDO3_TOPOGRAPHY_PRIMARY, code)
        return hit[1] if hit else None
    return None


def _body_site_primary(coding: dict[str, Any]) -> tuple[Primary, str] | None:
    """The primary a cancer at this body site is (SNOMED CT organ, or ICD-O-3 topography)."""
    system, code = coding.get("system"), str(coding["code"])
    if system == codes.SNOMED:
        if code in primary_codes.EXTRA_SITE_PRIMARY:
            return primary_codes.EXTRA_SITE_PRIMARY[code]
        organ = mcode_tables.ORGAN_SITE_SNOMED.get(code)
        if organ is not None and organ[0] in primary_codes.ORGAN_PRIMARY:
            return primary_codes.ORGAN_PRIMARY[organ[0]], organ[1].removesuffix(" (body structure)")
        return None
    if system == codes.ICDO3:
        return _primary_from_coding(coding)
    return None


def split_conditions(
    conditions: list[dict[str, Any]], state: State
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    primaries: list[dict[str, Any]] = []
    secondaries: list[dict[str, Any]] = []
    other = 0
    for condition in conditions:
        verification = status_code(condition.get("verificationStatus"))
        profiles = profiles_of(condition)
        coding = codings_of(condition.get("code"))
        # the mCODE profile decides; the code only when no cancer profile is claimed
        if codes.PRIMARY_PROFILE in profiles or codes.SECONDARY_PROFILE in profiles:
            is_primary = codes.PRIMARY_PROFILE in profiles
            is_secondary = not is_primary
        else:
            is_secondary = any(_is_secondary_code(c) for c in coding)
            is_primary = not is_secondary and any(_primary_from_coding(c) for c in coding)
        if not (is_primary or is_secondary):
            other += 1
            continue
        if verification in ("refuted", "entered-in-error"):
            state.line(
                "cancer" if is_primary else "disease",
                "-",
                ref_of(condition),
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


def read_primary(
    primaries: list[dict[str, Any]], secondaries: list[dict[str, Any]], state: State
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
    histology = chosen.histology if chosen else candidates[0].histology
    if histology:
        unmapped = chosen is None or chosen.primary is None
        state.set(
            "cancer.histology",
            histology,
            ref_of(source_condition),
            "histology-morphology-behavior extension"
            + ("; kept for the clinician to code the primary" if unmapped else ""),
        )
    _diagnosed_on(source_condition, state)


def _primary_by_relation(
    candidates: list[_PrimaryCandidate], secondaries: list[dict[str, Any]]
) -> _PrimaryCandidate | None:
    """With several primaries, the one the spinal secondaries point to (condition-related)."""
    targets: set[str] = set()
    for secondary in secondaries:
        if not any(levels_of(secondary)):
            continue
        for ext in extensions_of(secondary, codes.RELATED_CONDITION_EXTENSION):
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


_Hit = tuple[Primary, str, str]  # primary, what it is, the code label


@dataclass(frozen=True, slots=True)
class _Histology:
    """What the histology-morphology-behavior extension says."""

    text: str | None
    primary: _Hit | None  # a histology that defines the primary (ICD-O-3 morphology)
    lung_type: _Hit | None  # a histology that refines a lung primary
    labels: tuple[str, ...]


def _site_of(condition: dict[str, Any]) -> tuple[_Hit | None, list[str]]:
    """The primary said by the condition's codes (else its body site), and disagreeing codes."""
    site: _Hit | None = None
    conflicts: list[str] = []
    for coding in codings_of(condition.get("code")):
        hit = _primary_from_coding(coding)
        if hit is None:
            continue
        if site is None or _more_specific(hit[0], site[0]):
            site = (hit[0], hit[1], code_label(coding))
        elif hit[0] != site[0] and not _more_specific(site[0], hit[0]):
            conflicts.append(f"{code_label(coding)} → {hit[0]}")
    if site is None:
        for body in as_list(condition.get("bodySite")):
            for coding in codings_of(body):
                hit = _body_site_primary(coding)
                if hit is not None and site is None:
                    site = (hit[0], hit[1], code_label(coding) + " (bodySite)")
    return site, conflicts


def _histology_of(condition: dict[str, Any]) -> _Histology:
    text: str | None = None
    primary: _Hit | None = None
    lung_type: _Hit | None = None
    labels: list[str] = []
    for ext in extensions_of(condition, codes.HISTOLOGY_EXTENSION):
        concept = ext.get("valueCodeableConcept")
        text = text or concept_text(concept)
        for coding in codings_of(concept):
            label, code = code_label(coding), str(coding["code"])
            labels.append(label)
            if coding.get("system") == codes.ICDO3:
                found = primary_codes.morphology_lookup(
                    primary_codes.ICDO3_MORPHOLOGY_PRIMARY, code
                )
                primary = (found[0], found[1], label) if found else primary
                lung = primary_codes.morphology_lookup(primary_codes.ICDO3_LUNG_TYPE, code)
                lung_type = (lung[0], lung[1], label) if lung else lung_type
            elif coding.get("system") == codes.SNOMED and code in primary_codes.SNOMED_LUNG_TYPE:
                kind, name = primary_codes.SNOMED_LUNG_TYPE[code]
                lung_type = (kind, name, label)
    return _Histology(text, primary, lung_type, tuple(labels))


def _unmapped_reason(condition: dict[str, Any]) -> tuple[str, str]:
    given = codings_of(condition.get("code"))
    shown = ", ".join(code_label(c) for c in given) or "no code"
    nonspecific = bool(given) and all(
        c.get("system") == codes.SNOMED and c["code"] in primary_codes.SNOMED_PRIMARY_NONSPECIFIC
        for c in given
    )
    if nonspecific:
        return shown, (
            "a primary cancer code that does not name the site, and no body site or histology "
            "that does: choose the primary"
        )
    return shown, "primary cancer code not in the SNOMED / ICD-10 / ICD-O-3 tables"


def _primary_candidate(condition: dict[str, Any], state: State) -> _PrimaryCandidate:
    """The primary one condition says, from its codes, body site and histology."""
    ref = ref_of(condition)
    site, conflicts = _site_of(condition)
    histology = _histology_of(condition)

    def unknown(source: str, status: Status, reason: str, why: str) -> _PrimaryCandidate:
        state.line("cancer.primary", "unknown", source, status, reason)
        return _PrimaryCandidate(None, why, ref, condition, histology.text)

    def known(primary: Primary, reason: str, label: str) -> _PrimaryCandidate:
        return _PrimaryCandidate(primary, reason, f"{ref} {label}", condition, histology.text)

    if conflicts:
        shown = f"{site[2]} → {site[0]}, " if site else ""
        reason = f"the codings of one condition disagree ({shown}{', '.join(conflicts)})"
        return unknown(ref, "conflict", reason, "codings disagree")
    histo, lung = histology.primary, histology.lung_type
    if site is None and histo is None:
        shown, reason = _unmapped_reason(condition)
        return unknown(f"{ref} {shown}", "ignored", reason, "not mapped")
    if site is not None and lung is not None and site[0] in primary_codes.LUNG_PRIMARIES:
        if site[0] in (Primary.LUNG, lung[0]):
            return known(
                lung[0], f"{site[2]} {site[1]} with histology {lung[2]} {lung[1]}", site[2]
            )
        reason = f"code says {site[0]} but histology {lung[2]} says {lung[0]}"
        return unknown(f"{ref} {site[2]}", "conflict", reason, "lung type disagrees")
    if histo is not None and site is None:
        return known(histo[0], f"histology {histo[2]} {histo[1]}", histo[2])
    if histo is not None and site is not None:
        if site[0] == histo[0]:
            reason = f"{site[2]} {site[1]}, agreeing with histology {histo[2]} {histo[1]}"
            return known(site[0], reason, site[2])
        if site[0] not in primary_codes.HISTOLOGY_DEFINED:
            reason = (
                f"histology {histo[2]} {histo[1]} defines the primary "
                f"(site code {site[2]} {site[1]})"
            )
            return known(histo[0], reason, histo[2])
        reason = f"code says {site[0]} but histology {histo[2]} says {histo[0]}"
        return unknown(f"{ref} {site[2]}", "conflict", reason, "histology disagrees")
    assert site is not None
    reason = f"{site[2]} {site[1]}"
    if histology.labels and site[0] == Primary.LUNG:
        reason += f"; histology {', '.join(histology.labels)} does not give the lung cancer type"
    return known(site[0], reason, site[2])


def _more_specific(new: Primary, old: Primary) -> bool:
    return old == Primary.LUNG and new in (Primary.LUNG_NSCLC, Primary.LUNG_SCLC)


def _diagnosed_on(condition: dict[str, Any], state: State) -> None:
    ref = ref_of(condition)
    candidates: list[tuple[str, Any]] = [
        ("assertedDate extension", ext.get("valueDateTime"))
        for ext in extensions_of(condition, codes.ASSERTED_DATE_EXTENSION)
    ]
    candidates.append(("onsetDateTime", condition.get("onsetDateTime")))
    for label, value in candidates:
        if value is None:
            continue
        day = full_date(value)
        if day is None:
            state.line(
                "cancer.diagnosed_on", "unknown", ref, "ignored", f"{label} is not a full date"
            )
            continue
        why = too_new(day, state)
        if why is not None:
            state.line("cancer.diagnosed_on", "unknown", ref, "ignored", f"{label} is {why}")
            continue
        state.set("cancer.diagnosed_on", day, ref, label)
        return
