"""SINS — Spinal Instability Neoplastic Score (per lesion).

Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability in
neoplastic disease: an evidence-based approach and expert consensus from the Spine Oncology
Study Group. Spine 2010;35(22):E1221-E1229. doi:10.1097/BRS.0b013e3181e16ae2.

Six items, total 0-18: location (junctional 3, mobile 2, semi-rigid 1, rigid 0), pain
(mechanical 3, occasional non-mechanical 1, pain-free 0), bone lesion (lytic 2, mixed 1,
blastic 0), alignment (subluxation/translation 4, de novo deformity 2, normal 0), vertebral
body collapse (>50% 3, <50% 2, no collapse with >50% of the body involved 1, none 0),
posterolateral involvement (bilateral 3, unilateral 1, none 0).

Bands: 0-6 stable; 7-12 potentially unstable (indeterminate); 13-18 unstable. SINS >= 7:
surgical consultation recommended. Scored per lesion; never summed across lesions.

Edge cases (v1 decisions): a range spanning two location classes takes the
higher-scoring class (flagged); the coccyx and transitional levels (T13, L6) leave location
unknown unless ``location_class`` is given. A range joining such a level to levels with a
class is at least the best known class: possible points {max(best known, p) for p in 0..3}
(T12-T13 → junctional 3, known, with a note; S5-coccyx → 0-3); a lone T13, L6 or coccyx stays
fully unknown (0-3).

Worked example: T12 (junctional 3), mechanical pain 3, lytic 2, normal alignment 0, <50%
collapse 2, unilateral posterolateral 1 → 11, potentially unstable.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from spinemets.case.levels import LOCATION_POINTS, SINS_LOCATION
from spinemets.case.models import Alignment, BoneLesion, Case, Collapse, Posterolateral, SinsPain
from spinemets.scorers.base import Band, Component, Scorer, ScoreResult, additive

ID = "sins"
VERSION = "sins_2010@1"
CITATION = (
    "Fisher CG, DiPaola CP, Ryken TC, et al. A novel classification system for spinal instability "
    "in neoplastic disease. Spine 2010;35(22):E1221-E1229."
)

PAIN_POINTS: dict[SinsPain, int] = {
    SinsPain.MECHANICAL: 3,
    SinsPain.OCCASIONAL: 1,
    SinsPain.NONE: 0,
}
BONE_LESION_POINTS: dict[BoneLesion, int] = {
    BoneLesion.LYTIC: 2,
    BoneLesion.MIXED: 1,
    BoneLesion.BLASTIC: 0,
}
ALIGNMENT_POINTS: dict[Alignment, int] = {
    Alignment.SUBLUXATION: 4,
    Alignment.DEFORMITY: 2,
    Alignment.NORMAL: 0,
}
COLLAPSE_POINTS: dict[Collapse, int] = {
    Collapse.GT50: 3,
    Collapse.LT50: 2,
    Collapse.INVOLVEMENT_GT50: 1,
    Collapse.NONE: 0,
}
POSTEROLATERAL_POINTS: dict[Posterolateral, int] = {
    Posterolateral.BILATERAL: 3,
    Posterolateral.UNILATERAL: 1,
    Posterolateral.NONE: 0,
}

BANDS = (
    Band(0, 6, "stable", "Stable: no surgical consultation needed for instability"),
    Band(7, 12, "potentially_unstable", "Potentially unstable: surgical consultation recommended"),
    Band(13, 18, "unstable", "Unstable: surgical consultation recommended"),
)

SURGICAL_CONSULTATION_THRESHOLD = 7


E = TypeVar("E", bound=StrEnum)


def _item(name: str, value: E | None, table: dict[E, int], path: str) -> Component:
    if value is None:
        return Component.unknown(name, table.values(), path)
    return Component.known(name, str(value), table[value], path)


def _location(case: Case, index: int) -> tuple[Component, list[str]]:
    lesion = case.lesions[index]
    path = f"lesions[{index}].location_class"
    notes: list[str] = []
    if lesion.location_class is not None:
        cls = lesion.location_class
        notes.append(f"location class '{cls}' given by the clinician (location_class)")
        return Component.known("location", str(cls), LOCATION_POINTS[cls], path), notes
    span = lesion.span
    classes = {SINS_LOCATION.get(level) for level in span.levels}
    known = {c for c in classes if c is not None}
    if None in classes:
        undefined = ", ".join(lv for lv in span.levels if lv not in SINS_LOCATION)
        if not known:
            notes.append(
                f"level {undefined} has no SINS location class (coccyx or transitional "
                "anatomy); give location_class to complete the score"
            )
            return Component.unknown("location", LOCATION_POINTS.values(), path), notes
        # The span takes its highest class: at least the best known level's class.
        best = max(known, key=LOCATION_POINTS.__getitem__)
        floor = LOCATION_POINTS[best]
        possible = {max(floor, p) for p in LOCATION_POINTS.values()}
        if len(possible) == 1:
            notes.append(
                f"{span}: {undefined} has no SINS location class, but the known level class "
                f"'{best}' ({floor}) is already the highest, so location is {floor}"
            )
            value = f"{best} ({span})"
            return Component.known("location", value, floor, f"lesions[{index}].level"), notes
        notes.append(
            f"{span}: {undefined} has no SINS location class; the known levels make location "
            f"at least '{best}' ({floor}); give location_class to complete the score"
        )
        return Component.unknown("location", possible, path), notes
    best = max(known, key=LOCATION_POINTS.__getitem__)
    if len(classes) > 1:
        names = ", ".join(sorted(str(c) for c in classes if c is not None))
        notes.append(
            f"{span} spans location classes ({names}); the higher-scoring class '{best}' is used"
        )
    level_path = f"lesions[{index}].level"
    return Component.known("location", f"{best} ({span})", LOCATION_POINTS[best], level_path), notes


def compute(case: Case, index: int | None) -> ScoreResult:
    """SINS for lesion ``index``."""
    assert index is not None, "SINS is scored per lesion"
    lesion = case.lesions[index]
    prefix = f"lesions[{index}]"
    location, notes = _location(case, index)
    components = [
        location,
        _item("pain", lesion.pain, PAIN_POINTS, f"{prefix}.pain"),
        _item("bone_lesion", lesion.bone_lesion, BONE_LESION_POINTS, f"{prefix}.bone_lesion"),
        _item("alignment", lesion.alignment, ALIGNMENT_POINTS, f"{prefix}.alignment"),
        _item("collapse", lesion.collapse, COLLAPSE_POINTS, f"{prefix}.collapse"),
        _item(
            "posterolateral",
            lesion.posterolateral,
            POSTEROLATERAL_POINTS,
            f"{prefix}.posterolateral",
        ),
    ]
    return additive(ID, VERSION, CITATION, components, BANDS, notes=notes)


SCORER = Scorer(
    id=ID,
    title="Spinal Instability Neoplastic Score (SINS)",
    version=VERSION,
    citation=CITATION,
    scope="lesion",
    direction="higher_worse",
    requires=(
        "lesions[].level",
        "lesions[].pain",
        "lesions[].bone_lesion",
        "lesions[].alignment",
        "lesions[].collapse",
        "lesions[].posterolateral",
    ),
    compute=compute,
    bands=BANDS,
    tables={
        "location": {str(k): v for k, v in LOCATION_POINTS.items()},
        "pain": {str(k): v for k, v in PAIN_POINTS.items()},
        "bone_lesion": {str(k): v for k, v in BONE_LESION_POINTS.items()},
        "alignment": {str(k): v for k, v in ALIGNMENT_POINTS.items()},
        "collapse": {str(k): v for k, v in COLLAPSE_POINTS.items()},
        "posterolateral": {str(k): v for k, v in POSTEROLATERAL_POINTS.items()},
    },
    limitations=(
        "Flags lesions needing a surgical opinion; it does not by itself mandate surgery.",
        "Scored per lesion; never summed across lesions.",
        "Bone-lesion item has only fair inter-observer reliability (kappa 0.244, Fourney 2011).",
    ),
    conflicts=(
        "Lesion spanning two location classes: not defined in the source; v1 takes the "
        "higher-scoring class.",
        "Coccyx and transitional levels: not defined by SINS; location is unknown unless "
        "location_class is given.",
        "Range joining T13, L6 or the coccyx to classified levels: v1 takes at least the best "
        "known class (higher-class rule), e.g. T12-T13 is junctional 3.",
    ),
    doc=__doc__ or "",
)
