"""Secondary cancer conditions: vertebral lesions, bone, visceral and brain metastases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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


def read_secondaries(secondaries: list[dict[str, Any]], state: State) -> None:
    """Lesion levels and metastasis counts from the active secondary cancer conditions."""
    newest: tuple[dt.date, str] | None = None
    for condition in secondaries:
        ref = ref_of(condition)
        day = _recorded(condition)
        why = too_new(day, state) if day is not None else None
        if why is not None:
            state.line("disease", "-", ref, "ignored", f"{why}: not used")
            continue
        if day is not None and (newest is None or day > newest[0]):
            newest = (day, ref)
        clinical = status_code(condition.get("clinicalStatus"))
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
        levels = levels_of(condition)
        other_sites: list[tuple[str, str]] = []
        for body in as_list(condition.get("bodySite")):
            for coding in codings_of(body):
                code = str(coding["code"])
                if coding.get("system") == codes.SNOMED and code in codes.SNOMED_TO_LEVEL:
                    continue
                if coding.get("system") == codes.SNOMED and code in codes.SPINE_REGIONS:
                    state.line(
                        "lesions",
                        "-",
                        f"{ref} bodySite {code_label(coding)}",
                        "ignored",
                        f"{codes.SPINE_REGIONS[code]} without a vertebral level: "
                        "add the lesion levels by hand",
                    )
                    continue
                if coding.get("system") == codes.SNOMED and code in codes.UNCONFIRMED_SPINE_SITES:
                    state.line(
                        "lesions",
                        "-",
                        f"{ref} bodySite {code_label(coding)}",
                        "ignored",
                        f"{codes.UNCONFIRMED_SPINE_SITES[code]}: sacral/coccygeal codes "
                        "are not confirmed; add by hand",
                    )
                    continue
                other_sites.append((code, code_label(coding)))
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
    if newest is not None and (state.lesion_levels or state.bone_sites):
        check_stale("disease", newest[0], newest[1], state)


def _disease_values(state: State) -> None:
    if state.lesion_levels:
        count = len(state.lesion_levels)
        sources = "; ".join(state.lesion_levels[lv] for lv in sorted_levels(state.lesion_levels))
        for level in sorted_levels(state.lesion_levels):
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


def sorted_levels(levels: Iterable[str]) -> list[str]:
    return sorted(levels, key=level_index)
