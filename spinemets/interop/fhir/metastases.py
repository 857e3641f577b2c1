"""Secondary cancer conditions: vertebral lesions, bone, visceral and brain metastases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from spinemets.case.levels import level_index
from spinemets.interop.fhir import codes
from spinemets.interop.fhir.elements import (
    as_list,
    code_label,
    codings_of,
    extensions_of,
    full_date,
    ref_of,
    status_code,
)
from spinemets.interop.fhir.sites import place
from spinemets.interop.fhir.state import State
from spinemets.interop.fhir.windows import check_stale, too_new


def levels_of(condition: dict[str, Any]) -> list[str]:
    levels = []
    for body in as_list(condition.get("bodySite")):
        for coding in codings_of(body):
            if coding.get("system") == codes.SNOMED and coding["code"] in codes.SNOMED_TO_LEVEL:
                levels.append(codes.SNOMED_TO_LEVEL[coding["code"]])
    return levels


def _site_class(condition: dict[str, Any]) -> tuple[str | None, str]:
    """The metastatic site said by the code (bone, spine, visceral, brain, or None if generic)."""
    found: list[tuple[str, str]] = []
    for coding in codings_of(condition.get("code")):
        system, code = coding.get("system"), str(coding["code"])
        if system == codes.SNOMED and code in codes.SNOMED_SECONDARY:
            site, label = codes.SNOMED_SECONDARY[code]
            found.append((site, f"{code_label(coding)} {label}"))
        elif system in (codes.ICD10CM, codes.ICD10):
            hit = codes.longest_prefix(codes.ICD10_SECONDARY, code)
            if hit is not None:
                found.append((hit[1][0], f"{code_label(coding)} {hit[1][1]}"))
    if not found:
        shown = ", ".join(code_label(c) for c in codings_of(condition.get("code"))) or "no code"
        return None, shown
    sites = {s for s, _ in found}
    if sites <= {codes.SITE_BONE, codes.SITE_SPINE}:
        return (codes.SITE_SPINE if codes.SITE_SPINE in sites else codes.SITE_BONE), found[0][1]
    if len(sites) == 1:
        return found[0]
    return "mixed", ", ".join(label for _, label in found)


def _recorded(condition: dict[str, Any]) -> dt.date | None:
    """When the metastasis was coded: recordedDate, else onset, else assertedDate."""
    values: list[Any] = [condition.get("recordedDate"), condition.get("onsetDateTime")]
    values += [
        e.get("valueDateTime") for e in extensions_of(condition, codes.ASSERTED_DATE_EXTENSION)
    ]
    for value in values:
        day = full_date(value)
        if day is not None:
            return day
    return None


_NOT_ACTIVE = ("inactive", "resolved", "remission")
_NOT_BONE = (codes.SITE_VISCERAL, codes.SITE_BRAIN, "mixed")


def read_secondaries(secondaries: list[dict[str, Any]], state: State) -> None:
    """Lesion levels and metastasis counts from the active secondary cancer conditions."""
    newest: tuple[dt.date, str] | None = None
    for condition in secondaries:
        ref = ref_of(condition)
        day = _recorded(condition)
        why = too_new(day, state) if day is not None else None
        clinical = status_code(condition.get("clinicalStatus"))
        if why is not None:
            state.line("disease", "-", ref, "ignored", f"{why}: not used")
            continue
        if clinical in _NOT_ACTIVE:
            reason = f"clinicalStatus is {clinical}: not an active metastasis"
            state.line("disease", "-", ref, "ignored", reason)
            continue
        if day is not None and (newest is None or day > newest[0]):
            newest = (day, ref)
        _read_one(condition, ref, state)
    _disease_values(state)
    if newest is not None and (state.lesion_levels or state.bone_sites):
        check_stale("disease", newest[0], newest[1], state)


def _read_one(condition: dict[str, Any], ref: str, state: State) -> None:
    site, label = _site_class(condition)
    placed = [place(c) for body in as_list(condition.get("bodySite")) for c in codings_of(body)]
    levels = [p for p in placed if p.level is not None]
    other_sites = [(p.label, p.kind) for p in placed if p.kind in ("bone", "unknown")]
    spine = [p.label for p in placed if p.kind == "spine"]
    if site in _NOT_BONE:
        _distant(site, label, ref, bool(levels), state)
        return
    for shown in spine:
        state.spine_unplaced.append(f"{ref} bodySite {shown}")
        state.line(
            "lesions",
            "-",
            f"{ref} bodySite {shown}",
            "ignored",
            "a spinal site without a vertebral level: a lesion to locate "
            "(never counted outside the spine); add its level by hand",
        )
    for found in levels:
        assert found.level is not None
        state.lesion_levels.setdefault(found.level, f"{ref} bodySite {found.label}")
    # a bone code, or a generic secondary code at a known bone: bone sites
    known_bone = any(kind == "bone" for _, kind in other_sites)
    if levels or (other_sites and (site == codes.SITE_BONE or (site is None and known_bone))):
        _bone_sites(other_sites, ref, state)
        return
    if not spine:
        state.line("disease", "-", f"{ref} {label}", "ignored", _unused_reason(condition, site))


def _distant(site: str | None, label: str, ref: str, with_levels: bool, state: State) -> None:
    """A visceral or brain metastasis (never with vertebral body sites)."""
    if with_levels:
        state.line(
            "lesions",
            "-",
            f"{ref} {label}",
            "conflict",
            f"a {site} metastasis code with vertebral body sites; not used",
        )
    elif site == codes.SITE_BRAIN:
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


def _unused_reason(condition: dict[str, Any], site: str | None) -> str:
    if condition.get("bodySite"):
        return "no usable vertebra or bone body site (see the lines above)"
    if site == codes.SITE_BONE:
        return "bone metastasis without a body site: cannot tell spine from other bones"
    if site == codes.SITE_SPINE:
        return (
            "vertebral-column metastasis without a vertebra body site: "
            "add the lesion levels by hand"
        )
    return "secondary cancer code without a known site (bone, vertebra, viscera or brain)"


def _bone_sites(sites: Sequence[tuple[str, str]], ref: str, state: State) -> None:
    """Count known non-vertebral bones; a bone site spinemets cannot place makes the counts
    unknown (it may be a vertebra), never an extraspinal guess."""
    for shown, kind in sites:
        source = f"{ref} bodySite {shown}"
        if kind == "bone":
            state.bone_sites.setdefault(shown.split(" ", 1)[0], source)
            continue
        state.bone_unplaced.append(source)
        state.line(
            "disease",
            "-",
            source,
            "ignored",
            "a bone metastasis site spinemets cannot place (it may be a vertebra): "
            "the bone metastasis counts stay unknown",
        )


def _count(
    path: str, count: int, sources: str, what: str, unplaced: list[str], state: State
) -> None:
    """Set a metastasis count, or leave it unknown (with the lower bound) when some sites
    could not be placed."""
    if unplaced:
        note = (
            f"at least {count} {what}; {len(unplaced)} site(s) not placed "
            f"({'; '.join(unplaced)}): count from imaging"
        )
        state.comments[path] = note
        state.line(path, "unknown", sources or "-", "ignored", note)
        return
    state.values[path] = count
    state.comments[path] = f"{count} {what}; check against imaging"
    state.line(path, count, sources, "mapped", f"{what} (each counted once)")


def _disease_values(state: State) -> None:
    for level in sorted_levels(state.lesion_levels):
        state.line(
            "lesions[].level",
            level,
            state.lesion_levels[level],
            "mapped",
            "vertebra body site of a secondary cancer condition",
        )
    if state.lesion_levels or state.spine_unplaced:
        _count(
            "disease.vertebral_metastases",
            len(state.lesion_levels),
            "; ".join(state.lesion_levels[lv] for lv in sorted_levels(state.lesion_levels)),
            "vertebrae coded as metastatic body sites",
            state.spine_unplaced + state.bone_unplaced,
            state,
        )
    if state.bone_sites or state.bone_unplaced:
        _count(
            "disease.extraspinal_bone_metastases",
            len(state.bone_sites),
            "; ".join(state.bone_sites.values()),
            "distinct non-vertebral bone sites coded (the number of foci may be higher)",
            state.bone_unplaced,
            state,
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


def sorted_levels(levels: Iterable[str]) -> list[str]:
    return sorted(levels, key=level_index)
