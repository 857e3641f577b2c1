"""New England Spinal Metastasis Score (NESMS): 1-year survival after treatment.

Developed by Ghori AK, Leonard DA, Schoenfeld AJ, et al. Modeling 1-year survival after surgery
on the metastatic spine. Spine J 2015; prospectively validated by Schoenfeld AJ, Ferrone ML,
Schwab JH, et al. (Spine J 2020) and compared with Tomita, Tokuhashi and SINS (Schoenfeld
2022, c-statistic 0.79 vs 0.69 / 0.67 / 0.54).

Three components, higher = better:

- modified Bauer score (``bauer.py``) >= 3 → 2 points, <= 2 → 0;
- ambulatory status: independent ambulation → 1; with an aid or non-ambulatory → 0;
- pre-treatment serum albumin >= 3.5 g/dL (35 g/L) → 1, below → 0.

Total capped at 3 (v1 decision): the weights sum to 4, yet every source describes NESMS as
0-3 and Ghori 2015 speaks of "a ceiling score of three". The
report shows each component and the cap. Categories ``nesms_0`` .. ``nesms_3``. In the
prospective validation (Schoenfeld 2020, 180 patients), against NESMS 3 the odds ratio of
1-year mortality was 7.04 (95% CI 2.47-20.08) for NESMS 2 and 31.30 (8.82-111.04) for NESMS 1.

When the modified Bauer score is partial and its range straddles 3, the Bauer component is
unknown (0 or 2 points).

Worked example (built from the table above): breast primary, no visceral metastases, one
vertebral and no extraspinal bone metastasis (modified Bauer 4 → 2), independent ambulation
(1), albumin 38 g/L = 3.8 g/dL (1): components sum to 4, capped → NESMS 3.
"""

from __future__ import annotations

from spinemets.case.models import Ambulatory, Case
from spinemets.scorers import bauer
from spinemets.scorers.base import Band, Component, Scorer, ScoreResult, additive
from spinemets.scorers.skeletal import with_missing

ID = "nesms"
VERSION = "nesms_v1_capped@1"
CITATION = (
    "Ghori AK, Leonard DA, Schoenfeld AJ, et al. Modeling 1-year survival after surgery on the "
    "metastatic spine. Spine J 2015;15(11):2345-2350."
)

BAUER_THRESHOLD = 3
BAUER_POINTS: dict[str, int] = {"modified Bauer >= 3": 2, "modified Bauer <= 2": 0}
AMBULATORY_POINTS: dict[Ambulatory, int] = {
    Ambulatory.INDEPENDENT: 1,
    Ambulatory.WITH_AID: 0,
    Ambulatory.NON_AMBULATORY: 0,
}
ALBUMIN_THRESHOLD_G_DL = 3.5
ALBUMIN_POINTS: dict[str, int] = {">= 3.5 g/dL (35 g/L)": 1, "< 3.5 g/dL (35 g/L)": 0}
CAP = 3

CAP_NOTE = (
    "v1 caps the total at 3: the component weights (2 + 1 + 1) sum to 4 but NESMS is published "
    "as 0-3 ('a ceiling score of three', Ghori 2015)"
)

BANDS = (
    Band(0, 0, "nesms_0", "NESMS 0: lowest score group"),
    Band(
        1,
        1,
        "nesms_1",
        "NESMS 1: 1-year mortality OR 31.30 (95% CI 8.82-111.04) vs NESMS 3 (Schoenfeld 2020)",
    ),
    Band(
        2,
        2,
        "nesms_2",
        "NESMS 2: 1-year mortality OR 7.04 (95% CI 2.47-20.08) vs NESMS 3 (Schoenfeld 2020)",
    ),
    Band(3, 3, "nesms_3", "NESMS 3: highest score, reference group (Schoenfeld 2020)"),
)


def _bauer_component(case: Case) -> tuple[Component, tuple[str, ...]]:
    name = "modified_bauer"
    result = bauer.compute(case, None)
    low, high = result.range if result.range is not None else (0, 4)
    shown = f"{low}" if low == high else f"{low}-{high} (partial)"
    if low >= BAUER_THRESHOLD:
        return Component.known(name, f"modified Bauer {shown} (>= 3)", 2), ()
    if high < BAUER_THRESHOLD:
        return Component.known(name, f"modified Bauer {shown} (<= 2)", 0), ()
    note = (
        f"modified Bauer is partial ({low}-{high}) and may or may not reach 3; "
        "complete it to score this component"
    )
    path = result.missing[0] if result.missing else "cancer.primary"
    return Component.unknown(name, tuple(BAUER_POINTS.values()), path, note), result.missing


def _ambulatory(case: Case) -> Component:
    name, path = "ambulatory_status", "neurology.ambulatory"
    status = case.neurology.ambulatory
    if status is None:
        return Component.unknown(name, tuple(AMBULATORY_POINTS.values()), path)
    return Component.known(name, str(status), AMBULATORY_POINTS[status], path)


def albumin_points(g_dl: float) -> int:
    """1 point for serum albumin >= 3.5 g/dL (rounded to 6 decimals against float noise)."""
    return 1 if round(g_dl, 6) >= ALBUMIN_THRESHOLD_G_DL else 0


def _albumin(case: Case) -> Component:
    name, path = "serum_albumin", "labs.albumin"
    albumin = case.labs.albumin
    if albumin is None:
        return Component.unknown(name, tuple(ALBUMIN_POINTS.values()), path)
    g_dl = albumin.g_dl
    value = str(albumin) if albumin.unit == "g/dL" else f"{albumin} (= {g_dl:g} g/dL)"
    return Component.known(name, value, albumin_points(g_dl), path)


def compute(case: Case, index: int | None = None) -> ScoreResult:
    """NESMS of the case (``index`` is unused: a case-level score)."""
    bauer_item, bauer_missing = _bauer_component(case)
    components = [bauer_item, _ambulatory(case), _albumin(case)]
    notes = [c.note for c in components if c.note]
    uncapped_high = sum(max(c.possible) for c in components)
    if uncapped_high > CAP:
        uncapped_low = sum(min(c.possible) for c in components)
        shown = (
            f"{uncapped_low}"
            if uncapped_low == uncapped_high
            else (f"{uncapped_low}-{uncapped_high}")
        )
        notes.append(f"components sum to {shown}; the total is capped at {CAP} (v1)")
    notes.append(CAP_NOTE)
    result = additive(ID, VERSION, CITATION, components, BANDS, notes=notes, cap=CAP)
    return with_missing(result, bauer_missing)


SCORER = Scorer(
    id=ID,
    title="New England Spinal Metastasis Score (NESMS)",
    version=VERSION,
    citation=CITATION,
    scope="case",
    direction="higher_better",
    requires=(
        *bauer.SCORER.requires,
        "neurology.ambulatory",
        "labs.albumin",
    ),
    compute=compute,
    bands=BANDS,
    tables={
        "modified_bauer": dict(BAUER_POINTS),
        "ambulatory_status": {str(k): v for k, v in AMBULATORY_POINTS.items()},
        "serum_albumin": dict(ALBUMIN_POINTS),
        "cap": {"total capped at": CAP},
    },
    limitations=(
        "Predicts groups, not individuals (Tokuhashi et al., World J Orthop 2014;5(3):262-271).",
        "Developed in surgical patients (Ghori 2015: 318 patients, 1-year survival 48%); also "
        "validated in radiotherapy-alone and UK MSCC cohorts.",
        "Prospective comparison (Schoenfeld 2022, 202 patients): 1-year survival c-statistic "
        "NESMS 0.79, Tomita 0.69, Tokuhashi 0.67, SINS 0.54.",
    ),
    conflicts=(
        "Total range: the weights 2 + 1 + 1 sum to 4 but NESMS is published as 0-3; v1 caps the "
        "total at 3 (Ghori 2015 'ceiling score of three').",
        "Ambulation with an aid is not independent (v1).",
    ),
    doc=__doc__ or "",
)
