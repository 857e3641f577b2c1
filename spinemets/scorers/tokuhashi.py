"""Revised Tokuhashi score (2005): preoperative prognosis of metastatic spine tumours.

Tokuhashi Y, Matsuzaki H, Oda H, Oshima M, Ryu J. A revised scoring system for preoperative
evaluation of metastatic spine tumor prognosis. Spine 2005;30(19):2186-2191. Table as
reproduced with the authors' corrections in NICE CG75 (2008), Appendix 3.

Six items, total 0-15, higher = better prognosis:

- general condition (KPS): 10-40 → 0, 50-70 → 1, 80-100 → 2;
- extraspinal bone metastasis foci: >= 3 → 0, 1-2 → 1, 0 → 2;
- metastases in the vertebral bodies: >= 3 → 0, 2 → 1, 1 → 2 (v1 decision, NICE CG75 table);
  when ``disease.vertebral_metastases`` is unknown, the distinct vertebral levels covered by the
  listed lesions are a lower bound (2 levels → 0 or 1; 3 or more → 0, with a note);
- metastases to major internal organs (lung, liver, kidney, brain): unremovable 0, removable 1,
  none 2. The case records ``disease.visceral_metastases`` and, separately,
  ``disease.brain_metastases`` (present or not; its removability is not recorded). Unremovable
  visceral metastases → 0 whatever the brain. Otherwise brain metastases present → 0 or 1
  (removable or not, unknown: the item stays partial, with a note); brain metastases absent →
  the visceral points; brain unknown → none 0-2, removable 0-1, with
  ``disease.brain_metastases`` in ``missing``. An unknown visceral state is 0-1 with brain
  metastases present and 0-2 otherwise;
- primary site: lung, osteosarcoma, stomach, bladder, oesophagus, pancreas 0; liver,
  gallbladder, unidentified 1; others 2; kidney, uterus 3; rectum 4; thyroid, breast,
  prostate, carcinoid 5 (``PRIMARY_POINTS`` maps every coded primary; colon is "others" 2,
  ``unknown_primary`` is "unidentified" 1);
- palsy (Frankel): complete A/B 0, incomplete C/D 1, none E 2.

Bands (predicted prognosis; treatment suggested by the authors): 0-8 < 6 months, conservative
or palliative treatment; 9-11 >= 6 months, palliative surgery (excisional surgery only for a
single lesion without major-organ metastases); 12-15 >= 1 year, excisional surgery. The groups
overlap (>= 6 months vs >= 1 year); some validators recode 9-11 as 6-12 months.

Inputs and fall-backs: KPS is the instrument's scale. When only ECOG is given it is mapped with
the usual ECOG-KPS comparison (ECOG 0 ↔ KPS 90-100, 1 ↔ 70-80, 2 ↔ 50-60, 3 ↔ 30-40,
4 ↔ 10-20; Oken 1982 / ECOG-ACRIN comparison): ECOG 1 leaves the item at 1 or 2 points. KPS 0 (and
ECOG 5) is outside the instrument and leaves the item unknown. When both are recorded KPS is
used; if ECOG disagrees with the KPS per the §4.3 table, the item carries a note saying so.
Without a Frankel grade an ASIA grade is used as an approximate Frankel grade (A→A ... E→E),
with a note.

Worked example (built from the table above): breast primary (5), KPS 80 (2), no extraspinal
bone metastases (2), one vertebral metastasis (2), no visceral and no brain metastases (2),
Frankel E (2) → 15, ">= 1 year". With brain metastases instead: 13-14 (partial), still
">= 1 year".
"""

from __future__ import annotations

from spinemets.case.levels import covered_levels
from spinemets.case.models import Case, NeuroGrade, Primary, Visceral
from spinemets.scorers.base import Band, Component, Scorer, ScoreResult, additive
from spinemets.scorers.performance import ecog_from_kps
from spinemets.scorers.skeletal import with_missing

ID = "tokuhashi_revised"
VERSION = "tokuhashi_revised_2005@1"
CITATION = (
    "Tokuhashi Y, Matsuzaki H, Oda H, Oshima M, Ryu J. A revised scoring system for preoperative "
    "evaluation of metastatic spine tumor prognosis. Spine 2005;30(19):2186-2191 "
    "(table as in NICE CG75 (2008) Appendix 3)."
)

#: General condition: (lowest KPS, highest KPS, points).
KPS_POINTS: tuple[tuple[int, int, int], ...] = ((10, 40, 0), (50, 70, 1), (80, 100, 2))
#: Usual ECOG ↔ KPS comparison (ECOG-ACRIN), used only when KPS is not given.
ECOG_TO_KPS: dict[int, tuple[int, ...]] = {
    0: (90, 100),
    1: (70, 80),
    2: (50, 60),
    3: (30, 40),
    4: (10, 20),
    5: (0,),
}
#: Count items: (lowest count, highest count or None for "or more", points).
EXTRASPINAL_POINTS: tuple[tuple[int, int | None, int], ...] = ((0, 0, 2), (1, 2, 1), (3, None, 0))
VERTEBRAL_POINTS: tuple[tuple[int, int | None, int], ...] = ((1, 1, 2), (2, 2, 1), (3, None, 0))
VISCERAL_POINTS: dict[Visceral, int] = {
    Visceral.UNREMOVABLE: 0,
    Visceral.REMOVABLE: 1,
    Visceral.NONE: 2,
}
#: Every coded primary, explicitly (Tokuhashi 2005; the v1 decisions: colon "others", rectum 4).
PRIMARY_POINTS: dict[Primary, int] = {
    Primary.LUNG: 0,
    Primary.LUNG_NSCLC: 0,
    Primary.LUNG_SCLC: 0,
    Primary.OSTEOSARCOMA: 0,
    Primary.STOMACH: 0,
    Primary.BLADDER: 0,
    Primary.ESOPHAGUS: 0,
    Primary.PANCREAS: 0,
    Primary.LIVER: 1,
    Primary.GALLBLADDER: 1,
    Primary.UNKNOWN_PRIMARY: 1,  # "unidentified"
    Primary.COLON: 2,  # "others" (v1 decision; rectum is listed separately)
    Primary.MELANOMA: 2,
    Primary.MYELOMA: 2,
    Primary.LYMPHOMA: 2,
    Primary.LEUKEMIA: 2,
    Primary.GERM_CELL: 2,
    Primary.SARCOMA: 2,
    Primary.OVARIAN: 2,
    Primary.HEAD_AND_NECK: 2,
    Primary.NEUROENDOCRINE: 2,
    Primary.OTHER: 2,
    Primary.KIDNEY: 3,
    Primary.UTERUS: 3,
    Primary.RECTUM: 4,
    Primary.THYROID: 5,
    Primary.BREAST: 5,
    Primary.PROSTATE: 5,
    Primary.CARCINOID: 5,
}
PRIMARY_GROUP: dict[int, str] = {
    0: "lung, osteosarcoma, stomach, bladder, oesophagus, pancreas",
    1: "liver, gallbladder, unidentified",
    2: "others",
    3: "kidney, uterus",
    4: "rectum",
    5: "thyroid, breast, prostate, carcinoid",
}
PALSY_POINTS: dict[NeuroGrade, int] = {
    NeuroGrade.A: 0,
    NeuroGrade.B: 0,
    NeuroGrade.C: 1,
    NeuroGrade.D: 1,
    NeuroGrade.E: 2,
}

if set(PRIMARY_POINTS) != set(Primary):  # pragma: no cover - guarded by a test as well
    raise RuntimeError("tokuhashi.PRIMARY_POINTS must map every coded primary")

BANDS = (
    Band(
        0,
        8,
        "lt_6_months",
        "Predicted prognosis < 6 months; authors suggest conservative or palliative treatment",
    ),
    Band(
        9,
        11,
        "gte_6_months",
        "Predicted prognosis >= 6 months; authors suggest palliative "
        "surgery (excisional surgery only for a single lesion without major-organ metastases)",
    ),
    Band(12, 15, "gte_1_year", "Predicted prognosis >= 1 year; authors suggest excisional surgery"),
)


def _band_points(count: int, table: tuple[tuple[int, int | None, int], ...]) -> int:
    for low, high, points in table:
        if count >= low and (high is None or count <= high):
            return points
    raise ValueError(f"count {count} is outside the table")


def kps_points(kps: int) -> int | None:
    """Points for a KPS value, or ``None`` when it is outside the instrument (KPS 0)."""
    for low, high, points in KPS_POINTS:
        if low <= kps <= high:
            return points
    return None


def _general_condition(case: Case) -> Component:
    name, path = "general_condition_kps", "performance.kps"
    every = sorted({p for _, _, p in KPS_POINTS})
    kps, ecog = case.performance.kps, case.performance.ecog
    if kps is not None:
        disagree = ""
        if ecog is not None and (mapped_ecog := ecog_from_kps(kps)) != ecog:
            disagree = (
                f"KPS {kps} used; the recorded ECOG {ecog} disagrees (KPS {kps} maps to "
                f"ECOG {mapped_ecog}, ECOG-ACRIN comparison)"
            )
        points = kps_points(kps)
        if points is None:
            note = f"KPS {kps} is outside the instrument (KPS 10-100); the item is left unknown"
            note = f"{note}; {disagree}" if disagree else note
            return Component.unknown(name, every, path, note)
        return Component.known(name, f"KPS {kps}", points, path, disagree)
    if ecog is not None:
        mapped = ECOG_TO_KPS[ecog]
        possible = sorted({p for k in mapped if (p := kps_points(k)) is not None})
        if not possible:
            note = f"ECOG {ecog} maps to KPS 0, outside the instrument; the item is left unknown"
            return Component.unknown(name, every, path, note)
        kps_text = "/".join(str(k) for k in mapped)
        note = (
            f"KPS not given: ECOG {ecog} mapped to KPS {kps_text} with the usual ECOG-KPS "
            "comparison (ECOG-ACRIN)"
        )
        if len(possible) == 1:
            value = f"ECOG {ecog} (mapped to KPS {kps_text})"
            return Component.known(name, value, possible[0], "performance.ecog", note)
        return Component.unknown(name, possible, path, note + "; give KPS to complete the item")
    return Component.unknown(name, every, path)


def _count(
    name: str, count: int | None, table: tuple[tuple[int, int | None, int], ...], path: str
) -> Component:
    if count is None:
        return Component.unknown(name, [p for _, _, p in table], path)
    return Component.known(name, str(count), _band_points(count, table), path)


def _vertebral(case: Case) -> Component:
    """Vertebral-body metastases; an unknown count is at least the levels the lesions cover."""
    name, path = "vertebral_metastases", "disease.vertebral_metastases"
    count = case.disease.vertebral_metastases
    if count is not None:
        return _count(name, count, VERTEBRAL_POINTS, path)
    covered = len(covered_levels(case.lesions))
    possible = {p for low, high, p in VERTEBRAL_POINTS if high is None or high >= covered}
    if covered < 2:
        return Component.unknown(name, possible, path)
    note = (
        f"vertebral_metastases not given: the listed lesions cover {covered} vertebral levels, "
        f"so there are at least {covered}"
    )
    if len(possible) == 1:
        value = f"at least {covered} (levels covered by the listed lesions)"
        return Component.known(name, value, possible.pop(), "lesions", note)
    return Component.unknown(name, possible, path, note)


def _visceral(case: Case) -> tuple[Component, tuple[str, ...]]:
    """The organ item (lung, liver, kidney, brain) and any extra missing path."""
    name, path, brain_path = (
        "visceral_metastases",
        "disease.visceral_metastases",
        "disease.brain_metastases",
    )
    visceral, brain = case.disease.visceral_metastases, case.disease.brain_metastases
    if visceral is Visceral.UNREMOVABLE:
        return Component.known(name, str(visceral), VISCERAL_POINTS[visceral], path), ()
    present = (
        "brain metastases present but their removability is not recorded: the organ item "
        "is 0 (unremovable) or 1 (removable)"
    )
    if visceral is None:
        if brain is True:
            return Component.unknown(name, (0, 1), path, present), ()
        extra = (brain_path,) if brain is None else ()
        return Component.unknown(name, tuple(VISCERAL_POINTS.values()), path), extra
    points = VISCERAL_POINTS[visceral]
    if brain is True:
        return Component.unknown(name, (0, 1), "", f"visceral {visceral}, {present}"), ()
    if brain is False:
        return Component.known(name, str(visceral), points, path), ()
    note = (
        f"visceral {visceral} but brain metastases unknown: the organ item counts the brain "
        "(give disease.brain_metastases)"
    )
    return Component.unknown(name, range(0, points + 1), brain_path, note), ()


def _primary(case: Case) -> Component:
    name, path = "primary_site", "cancer.primary"
    primary = case.cancer.primary
    if primary is None:
        return Component.unknown(name, tuple(PRIMARY_POINTS.values()), path)
    points = PRIMARY_POINTS[primary]
    note = ""
    if primary is Primary.UNKNOWN_PRIMARY:
        note = "unknown primary scored as 'unidentified' (1)"
    elif primary is Primary.COLON:
        note = "colon scored as 'others' (2); only rectum has its own row (4) (v1 decision)"
    return Component.known(name, f"{primary} ({PRIMARY_GROUP[points]})", points, path, note)


def _palsy(case: Case) -> Component:
    name = "palsy_frankel"
    frankel, asia = case.neurology.frankel, case.neurology.asia
    if frankel is not None:
        return Component.known(
            name, f"Frankel {frankel}", PALSY_POINTS[frankel], "neurology.frankel"
        )
    if asia is not None:
        note = (
            f"no Frankel grade: ASIA {asia} used as an approximate Frankel {asia} "
            "(the scales are not identical: Frankel 1969 vs ASIA/ISNCSCI)"
        )
        value = f"ASIA {asia} (approximate Frankel {asia})"
        return Component.known(name, value, PALSY_POINTS[asia], "neurology.asia", note)
    return Component.unknown(name, tuple(PALSY_POINTS.values()), "neurology.frankel")


def compute(case: Case, index: int | None = None) -> ScoreResult:
    """Revised Tokuhashi score of the case (``index`` is unused: a case-level score)."""
    d = case.disease
    organs, organ_missing = _visceral(case)
    components = [
        _general_condition(case),
        _count(
            "extraspinal_bone_metastases",
            d.extraspinal_bone_metastases,
            EXTRASPINAL_POINTS,
            "disease.extraspinal_bone_metastases",
        ),
        _vertebral(case),
        organs,
        _primary(case),
        _palsy(case),
    ]
    notes = [c.note for c in components if c.note]
    result = additive(ID, VERSION, CITATION, components, BANDS, notes=notes)
    return with_missing(result, organ_missing)


def _count_table(table: tuple[tuple[int, int | None, int], ...]) -> dict[str, int]:
    def label(low: int, high: int | None) -> str:
        if high is None:
            return f">={low}"
        return str(low) if low == high else f"{low}-{high}"

    return {label(low, high): points for low, high, points in table}


SCORER = Scorer(
    id=ID,
    title="Revised Tokuhashi score",
    version=VERSION,
    citation=CITATION,
    scope="case",
    direction="higher_better",
    requires=(
        "performance.kps",
        "disease.extraspinal_bone_metastases",
        "disease.vertebral_metastases",
        "disease.visceral_metastases",
        "disease.brain_metastases",
        "cancer.primary",
        "neurology.frankel",
    ),
    compute=compute,
    bands=BANDS,
    tables={
        "general_condition_kps": {f"{lo}-{hi}": p for lo, hi, p in KPS_POINTS},
        "ecog_to_kps (mapping used only without KPS)": {
            str(e): "/".join(str(k) for k in ks) for e, ks in ECOG_TO_KPS.items()
        },
        "extraspinal_bone_metastases": _count_table(EXTRASPINAL_POINTS),
        "vertebral_metastases": _count_table(VERTEBRAL_POINTS),
        "visceral_metastases": {str(k): v for k, v in VISCERAL_POINTS.items()},
        "primary_site": {str(k): v for k, v in PRIMARY_POINTS.items()},
        "palsy_frankel": {str(k): v for k, v in PALSY_POINTS.items()},
    },
    limitations=(
        "Predicts groups, not individuals: no scoring system reached 90% agreement between "
        "predicted and actual survival (Tokuhashi et al., World J Orthop 2014;5(3):262-271).",
        "Prognosis groups overlap (>= 6 months vs >= 1 year).",
        "Validation: Zeng 2007 (447 patients) median survival 4, 10 and 29 months for 0-8, 9-11 "
        "and 12-15; prospective comparison c-statistic 0.67 for 1-year survival "
        "(Schoenfeld 2022).",
        "ECOG-to-KPS mapping and ASIA-as-Frankel are approximations and are flagged in notes.",
    ),
    conflicts=(
        "Vertebral-body metastases >= 3 → 0, 2 → 1, 1 → 2 (NICE CG75 appendix table, v1).",
        "Colon scores 'others' (2), rectum 4; unknown primary = 'unidentified' (1) (v1).",
        "Organ item counts brain metastases (lung, liver, kidney, brain, §5.1); the case does not "
        "record whether brain metastases are removable, so with brain metastases present and "
        "visceral none/removable the item is 0 or 1 (partial).",
        "The ~86% 'consistency rate' often quoted for the 2005 paper is not confirmed.",
    ),
    doc=__doc__ or "",
)
