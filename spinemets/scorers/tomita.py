"""Tomita score (2001): surgical strategy for spinal metastases.

Tomita K, Kawahara N, Kobayashi T, Yoshida A, Murakami H, Akamaru T. Surgical strategy for
spinal metastases. Spine 2001;26(3):298-306.

Three items, total 2-10, higher = worse:

- primary tumour growth: slow 1, moderate 2, rapid 4;
- visceral metastases: none 0, treatable 2, untreatable 4 (``removable`` = treatable,
  ``unremovable`` = untreatable);
- bone metastases (including the spine): solitary or isolated 1, multiple 2.

Bands (treatment goal; surgical strategy): 2-3 long-term local control, wide or marginal
excision (e.g. en-bloc spondylectomy); 4-5 middle-term local control, marginal or intralesional
excision; 6-7 short-term palliation, palliative surgery; 8-10 terminal care, non-operative
supportive care. Survival per band is not confirmed and is not shown.

v1 decisions where sources conflict: ``cancer.growth`` (the clinician's growth class) always wins.
Otherwise only the paper's examples classify a primary: slow = breast, thyroid, prostate;
moderate = kidney, uterus; rapid = lung (any type), liver, stomach, colon and unknown primary
(the last flagged: one calculator source). Every other primary needs ``cancer.growth``; without
it the growth item is unknown. Bone metastases are solitary when the skeleton holds one
metastasis in all (vertebral + extraspinal = 1), multiple otherwise (``skeletal.py``).

Worked example (built from the table above): kidney primary without ``cancer.growth``
(moderate 2), removable visceral metastases (treatable 2), 2 vertebral + 1 extraspinal bone
metastases (multiple 2) → 6, short-term palliation.
"""

from __future__ import annotations

from spinemets.case.models import Case, Growth, Primary, Visceral
from spinemets.scorers.base import Band, Component, Scorer, ScoreResult, additive
from spinemets.scorers.skeletal import skeletal_count, with_missing

ID = "tomita"
VERSION = "tomita_2001@1"
CITATION = (
    "Tomita K, Kawahara N, Kobayashi T, Yoshida A, Murakami H, Akamaru T. Surgical strategy for "
    "spinal metastases. Spine 2001;26(3):298-306."
)

GROWTH_POINTS: dict[Growth, int] = {Growth.SLOW: 1, Growth.MODERATE: 2, Growth.RAPID: 4}
#: Growth class by coded primary: the published examples only; ``None`` = give cancer.growth.
PRIMARY_GROWTH: dict[Primary, Growth | None] = {
    Primary.BREAST: Growth.SLOW,
    Primary.THYROID: Growth.SLOW,
    Primary.PROSTATE: Growth.SLOW,
    Primary.KIDNEY: Growth.MODERATE,
    Primary.UTERUS: Growth.MODERATE,
    Primary.LUNG: Growth.RAPID,
    Primary.LUNG_NSCLC: Growth.RAPID,
    Primary.LUNG_SCLC: Growth.RAPID,
    Primary.LIVER: Growth.RAPID,
    Primary.STOMACH: Growth.RAPID,
    Primary.COLON: Growth.RAPID,
    Primary.UNKNOWN_PRIMARY: Growth.RAPID,  # flagged: one calculator source (MEDIUM)
    Primary.CARCINOID: None,
    Primary.RECTUM: None,
    Primary.GALLBLADDER: None,
    Primary.ESOPHAGUS: None,
    Primary.PANCREAS: None,
    Primary.BLADDER: None,
    Primary.OSTEOSARCOMA: None,
    Primary.MELANOMA: None,
    Primary.MYELOMA: None,
    Primary.LYMPHOMA: None,
    Primary.LEUKEMIA: None,
    Primary.GERM_CELL: None,
    Primary.SARCOMA: None,
    Primary.OVARIAN: None,
    Primary.HEAD_AND_NECK: None,
    Primary.NEUROENDOCRINE: None,
    Primary.OTHER: None,
}
VISCERAL_POINTS: dict[Visceral, int] = {
    Visceral.NONE: 0,
    Visceral.REMOVABLE: 2,  # treatable
    Visceral.UNREMOVABLE: 4,  # untreatable
}
BONE_POINTS: dict[str, int] = {"solitary": 1, "multiple": 2}

if set(PRIMARY_GROWTH) != set(Primary):  # pragma: no cover - guarded by a test as well
    raise RuntimeError("tomita.PRIMARY_GROWTH must map every coded primary")

BANDS = (
    Band(
        2,
        3,
        "long_term_control",
        "Long-term local control: wide or marginal excision (e.g. en-bloc spondylectomy)",
    ),
    Band(
        4, 5, "middle_term_control", "Middle-term local control: marginal or intralesional excision"
    ),
    Band(6, 7, "short_term_palliation", "Short-term palliation: palliative surgery"),
    Band(8, 10, "terminal_care", "Terminal care: non-operative supportive care"),
)


def _growth(case: Case) -> Component:
    name = "primary_growth"
    growth, primary = case.cancer.growth, case.cancer.primary
    if growth is not None:
        note = "growth class given by the clinician (cancer.growth); it overrides the primary site"
        return Component.known(
            name, f"{growth} (cancer.growth)", GROWTH_POINTS[growth], "cancer.growth", note
        )
    if primary is None:
        return Component.unknown(name, tuple(GROWTH_POINTS.values()), "cancer.primary")
    mapped = PRIMARY_GROWTH[primary]
    if mapped is None:
        note = (
            f"primary '{primary}' has no growth class among the published Tomita examples; "
            "give cancer.growth (slow, moderate or rapid) to complete the score"
        )
        return Component.unknown(name, tuple(GROWTH_POINTS.values()), "cancer.growth", note)
    note = ""
    if primary is Primary.UNKNOWN_PRIMARY:
        note = (
            "unknown primary placed in the rapid-growth class (one calculator source, not the "
            "paper); give cancer.growth to override"
        )
    return Component.known(
        name, f"{mapped} ({primary})", GROWTH_POINTS[mapped], "cancer.primary", note
    )


def _visceral(case: Case) -> Component:
    name, path = "visceral_metastases", "disease.visceral_metastases"
    visceral = case.disease.visceral_metastases
    if visceral is None:
        return Component.unknown(name, tuple(VISCERAL_POINTS.values()), path)
    label = {
        Visceral.NONE: "none",
        Visceral.REMOVABLE: "treatable (removable)",
        Visceral.UNREMOVABLE: "untreatable (unremovable)",
    }[visceral]
    return Component.known(name, label, VISCERAL_POINTS[visceral], path)


def compute(case: Case, index: int | None = None) -> ScoreResult:
    """Tomita score of the case (``index`` is unused: a case-level score)."""
    count = skeletal_count(case)
    if count.solitary is None:
        bone = Component.unknown(
            "bone_metastases", tuple(BONE_POINTS.values()), count.path, count.note
        )
    else:
        kind = "solitary" if count.solitary else "multiple"
        bone = Component.known(
            "bone_metastases", count.value, BONE_POINTS[kind], count.path, count.note
        )
    components = [_growth(case), _visceral(case), bone]
    notes = [c.note for c in components if c.note]
    result = additive(ID, VERSION, CITATION, components, BANDS, notes=notes)
    return with_missing(result, count.missing)


SCORER = Scorer(
    id=ID,
    title="Tomita score",
    version=VERSION,
    citation=CITATION,
    scope="case",
    direction="higher_worse",
    requires=(
        "cancer.primary",
        "cancer.growth",
        "disease.visceral_metastases",
        "disease.vertebral_metastases",
        "disease.extraspinal_bone_metastases",
    ),
    compute=compute,
    bands=BANDS,
    tables={
        "primary_growth": {str(k): v for k, v in GROWTH_POINTS.items()},
        "growth_class_by_primary": {
            str(k): (str(v) if v is not None else "needs cancer.growth")
            for k, v in PRIMARY_GROWTH.items()
        },
        "visceral_metastases": {str(k): v for k, v in VISCERAL_POINTS.items()},
        "bone_metastases": dict(BONE_POINTS),
    },
    limitations=(
        "Predicts groups, not individuals (Tokuhashi et al., World J Orthop 2014;5(3):262-271).",
        "Survival per band in the original paper is not confirmed and is not shown.",
        "Prospective comparison: c-statistic 0.69 for 1-year survival (Schoenfeld 2022); a 2007 "
        "evaluation (Onkologie 2007;30:414-418) found the original groups unreliable.",
    ),
    conflicts=(
        "Growth class from the published examples only (v1); every other primary needs "
        "cancer.growth.",
        "Unknown primary = rapid growth per one calculator source (flagged in notes).",
        "Bone metastases: solitary when vertebral + extraspinal = 1, multiple otherwise (v1).",
    ),
    doc=__doc__ or "",
)
