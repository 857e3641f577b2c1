"""Modified Bauer score (2008): prognosis before surgery for spinal metastases.

Leithner A, Radl R, Gruber G, et al. Predictive value of seven preoperative prognostic scoring
systems for spinal metastases. Eur Spine J 2008;17(11):1488-1495. (Modifies Bauer HCF, Wedin R,
Acta Orthop Scand 1995;66(2):143-146 by removing the pathological-fracture item.)

Four favourable factors, 1 point each, total 0-4, higher = better:

- no visceral metastases;
- primary is not lung cancer;
- primary is breast, kidney, lymphoma or multiple myeloma;
- solitary skeletal metastasis.

Bands (suggested approach as summarised from Leithner 2008): 0-1 supportive care, no surgery;
2 short-term palliation, posterior (dorsal) surgery; 3-4 middle-term local control, combined
anterior-posterior surgery. Survival per group is not confirmed and is not shown.

v1 decisions where sources conflict: favourable primaries are breast, kidney, lymphoma and myeloma
only; with ``unknown_primary`` the "not lung" item is unknown (the score is partial). The
favourable-primary item is unknown (0 or 1) too: an unidentified primary may yet prove to be
breast, kidney, lymphoma or myeloma (v1 reading, consistent with the "not lung" item).
"Solitary skeletal metastasis" uses the same count as Tomita (vertebral + extraspinal = 1,
``skeletal.py``).

Worked example (built from the table above): breast primary (not lung 1, favourable 1), no
visceral metastases (1), one vertebral and no extraspinal bone metastasis (solitary 1) → 4,
middle-term local control.
"""

from __future__ import annotations

from spinemets.case.models import Case, Primary, Visceral
from spinemets.scorers.base import Band, Component, Scorer, ScoreResult, additive
from spinemets.scorers.skeletal import skeletal_count, with_missing

ID = "modified_bauer"
VERSION = "modified_bauer_2008@1"
CITATION = (
    "Leithner A, Radl R, Gruber G, et al. Predictive value of seven preoperative prognostic "
    "scoring systems for spinal metastases. Eur Spine J 2008;17(11):1488-1495."
)

#: Every coded primary: (points for "not lung cancer", points for "favourable primary").
#: ``None`` = the item is unknown for that code.
PRIMARY_POINTS: dict[Primary, tuple[int | None, int | None]] = {
    Primary.BREAST: (1, 1),
    Primary.KIDNEY: (1, 1),
    Primary.LYMPHOMA: (1, 1),
    Primary.MYELOMA: (1, 1),
    Primary.LUNG: (0, 0),
    Primary.LUNG_NSCLC: (0, 0),
    Primary.LUNG_SCLC: (0, 0),
    Primary.UNKNOWN_PRIMARY: (None, None),  # v1: both items unknown
    Primary.PROSTATE: (1, 0),
    Primary.THYROID: (1, 0),
    Primary.CARCINOID: (1, 0),
    Primary.RECTUM: (1, 0),
    Primary.COLON: (1, 0),
    Primary.UTERUS: (1, 0),
    Primary.LIVER: (1, 0),
    Primary.GALLBLADDER: (1, 0),
    Primary.STOMACH: (1, 0),
    Primary.ESOPHAGUS: (1, 0),
    Primary.PANCREAS: (1, 0),
    Primary.BLADDER: (1, 0),
    Primary.OSTEOSARCOMA: (1, 0),
    Primary.MELANOMA: (1, 0),
    Primary.LEUKEMIA: (1, 0),
    Primary.GERM_CELL: (1, 0),
    Primary.SARCOMA: (1, 0),
    Primary.OVARIAN: (1, 0),
    Primary.HEAD_AND_NECK: (1, 0),
    Primary.NEUROENDOCRINE: (1, 0),
    Primary.OTHER: (1, 0),
}
VISCERAL_POINTS: dict[Visceral, int] = {
    Visceral.NONE: 1,
    Visceral.REMOVABLE: 0,
    Visceral.UNREMOVABLE: 0,
}
SOLITARY_POINTS: dict[bool, int] = {True: 1, False: 0}

if set(PRIMARY_POINTS) != set(Primary):  # pragma: no cover - guarded by a test as well
    raise RuntimeError("bauer.PRIMARY_POINTS must map every coded primary")

BANDS = (
    Band(0, 1, "supportive_care", "Supportive care, no surgery"),
    Band(2, 2, "short_term_palliation", "Short-term palliation: posterior (dorsal) surgery"),
    Band(
        3,
        4,
        "middle_term_control",
        "Middle-term local control: combined anterior-posterior (ventral-dorsal) surgery",
    ),
)


def _primary_items(case: Case) -> tuple[Component, Component]:
    primary = case.cancer.primary
    path = "cancer.primary"
    if primary is None:
        return (
            Component.unknown("not_lung_cancer", (0, 1), path),
            Component.unknown("favourable_primary", (0, 1), path),
        )
    not_lung, favourable = PRIMARY_POINTS[primary]
    if not_lung is None:
        note = (
            "unknown primary: whether it is lung cancer, or breast, kidney, lymphoma or myeloma, "
            "is unknown, so the 'not lung' and favourable-primary items are both unknown (v1)"
        )
        lung_item = Component.unknown("not_lung_cancer", (0, 1), path, note)
    else:
        lung_item = Component.known(
            "not_lung_cancer", f"{primary} ({'not lung' if not_lung else 'lung'})", not_lung, path
        )
    if favourable is None:
        return lung_item, Component.unknown("favourable_primary", (0, 1), path)
    label = "breast, kidney, lymphoma or myeloma" if favourable else "not a favourable primary"
    return lung_item, Component.known(
        "favourable_primary", f"{primary} ({label})", favourable, path
    )


def compute(case: Case, index: int | None = None) -> ScoreResult:
    """Modified Bauer score of the case (``index`` is unused: a case-level score)."""
    visceral = case.disease.visceral_metastases
    v_path = "disease.visceral_metastases"
    if visceral is None:
        no_visceral = Component.unknown("no_visceral_metastases", (0, 1), v_path)
    else:
        no_visceral = Component.known(
            "no_visceral_metastases", str(visceral), VISCERAL_POINTS[visceral], v_path
        )
    count = skeletal_count(case)
    if count.solitary is None:
        solitary = Component.unknown("solitary_skeletal_metastasis", (0, 1), count.path, count.note)
    else:
        solitary = Component.known(
            "solitary_skeletal_metastasis",
            count.value,
            SOLITARY_POINTS[count.solitary],
            count.path,
            count.note,
        )
    lung_item, favourable = _primary_items(case)
    components = [no_visceral, lung_item, favourable, solitary]
    notes = [c.note for c in components if c.note]
    result = additive(ID, VERSION, CITATION, components, BANDS, notes=notes)
    return with_missing(result, count.missing)


SCORER = Scorer(
    id=ID,
    title="Modified Bauer score",
    version=VERSION,
    citation=CITATION,
    scope="case",
    direction="higher_better",
    requires=(
        "disease.visceral_metastases",
        "cancer.primary",
        "disease.vertebral_metastases",
        "disease.extraspinal_bone_metastases",
    ),
    compute=compute,
    bands=BANDS,
    tables={
        "no_visceral_metastases": {str(k): v for k, v in VISCERAL_POINTS.items()},
        "not_lung_cancer": {
            str(k): (v[0] if v[0] is not None else "unknown") for k, v in PRIMARY_POINTS.items()
        },
        "favourable_primary": {
            str(k): (v[1] if v[1] is not None else "unknown") for k, v in PRIMARY_POINTS.items()
        },
        "solitary_skeletal_metastasis": {"solitary": 1, "multiple": 0},
    },
    limitations=(
        "Predicts groups, not individuals (Tokuhashi et al., World J Orthop 2014;5(3):262-271).",
        "Median survival per group (often quoted 4.8 / 18.2 / 28.4 months) is not confirmed and "
        "is not shown.",
        "Leithner 2008 (69 patients) found the original and modified Bauer the most practicable "
        "and predictive of seven systems.",
    ),
    conflicts=(
        "Favourable primaries are breast, kidney, lymphoma and myeloma only (v1).",
        "Unknown primary: the 'not lung' item is unknown (v1); the favourable-primary item is "
        "read as unknown (0 or 1) too, since the primary may prove favourable (v1 reading).",
        "Solitary skeletal metastasis: vertebral + extraspinal = 1, same count as Tomita (v1).",
    ),
    doc=__doc__ or "",
)
