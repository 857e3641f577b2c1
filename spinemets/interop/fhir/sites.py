"""What a body site of a metastasis says: a vertebral level, the spine without a level, a bone
outside the spine, or a site spinemets cannot place (never guessed to be outside the spine).

Tables: the whole-vertebra codes of :data:`codes.LEVEL_TO_SNOMED`, the TG263 vertebral-body,
spine-region and bone rows of the mCODE IG (:mod:`.mcode_tables`), and ICD-O-3 topography
(C41.2 vertebral column; C41.4 pelvic bones, sacrum and coccyx, which may or may not be the
spine; C40, C41.0, C41.1, C41.3 other bones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from spinemets.interop.fhir import codes, mcode_tables
from spinemets.interop.fhir.elements import code_label

SiteKind = Literal["level", "spine", "bone", "unknown"]


@dataclass(frozen=True, slots=True)
class Site:
    """One body-site coding, placed: ``level`` holds the vertebra for kind ``level``."""

    kind: SiteKind
    label: str
    level: str | None = None


#: Vertebral-body codes (TG263) → level, C1-L5 only: sacral segments stay to be located.
_BODY_LEVELS = {
    code: level
    for code, (level, _display) in mcode_tables.VERTEBRAL_BODY_SNOMED.items()
    if not level.startswith("S")
}
#: SNOMED CT spine sites without a usable level.
_SPINE_SNOMED: dict[str, str] = {
    **codes.SPINE_REGIONS,
    **{c: d.removesuffix(" (body structure)") for c, d in mcode_tables.SPINE_REGION_SNOMED.items()},
    **{
        c: f"{d.removesuffix(' (body structure)')} (sacral level: confirm it)"
        for c, (level, d) in mcode_tables.VERTEBRAL_BODY_SNOMED.items()
        if level.startswith("S")
    },
    **codes.SACRAL_SPINE_SITES,
}
#: ICD-O-3 topography (no dot) of the spine, of bones that may be the spine, and of other bones.
_ICDO3_SPINE = {"C412": "vertebral column"}
_ICDO3_SPINE_OR_NOT = {"C414": "pelvic bones, sacrum or coccyx", "C418": "overlapping bone sites"}
_ICDO3_BONE = {
    **{f"C40{n}": "bone of a limb" for n in range(10)},
    "C410": "bones of skull and face",
    "C411": "mandible",
    "C413": "rib, sternum or clavicle",
}


def place(coding: dict[str, Any]) -> Site:
    """Place one bodySite coding."""
    system, code = coding.get("system"), str(coding["code"])
    shown = code_label(coding)
    if system == codes.SNOMED:
        level = codes.SNOMED_TO_LEVEL.get(code) or _BODY_LEVELS.get(code)
        if level is not None:
            return Site("level", shown, level)
        if code in _SPINE_SNOMED:
            return Site("spine", f"{shown} {_SPINE_SNOMED[code]}")
        if code in mcode_tables.NON_VERTEBRAL_BONE_SNOMED:
            display = mcode_tables.NON_VERTEBRAL_BONE_SNOMED[code]
            return Site("bone", f"{shown} {display.removesuffix(' (body structure)')}")
    if system == codes.ICDO3:
        key = codes.normalise_icd(code)
        if key in _ICDO3_SPINE:
            return Site("spine", f"{shown} {_ICDO3_SPINE[key]}")
        if key in _ICDO3_SPINE_OR_NOT:
            return Site("unknown", f"{shown} {_ICDO3_SPINE_OR_NOT[key]}")
        if key in _ICDO3_BONE:
            return Site("bone", f"{shown} {_ICDO3_BONE[key]}")
    return Site("unknown", shown)
