"""ESCC — epidural spinal cord compression scale ("Bilsky grade"), per lesion.

Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural spinal cord
compression scale. J Neurosurg Spine 2010;13(3):324-328. doi:10.3171/2010.3.SPINE09459.

Input: ``lesions[i].escc``, the grade read by the clinician on axial T2-weighted MRI at the level
of worst compression (the tool never reads images); ``lesions[i].level`` for the conus check.

Grades (Bilsky MH, et al. J Neurosurg Spine 2010;13(3):324-328):

- 0: tumour confined to bone (low grade)
- 1a: epidural extension, thecal sac not deformed (low grade)
- 1b: thecal sac deformed, spinal cord not touched (low grade)
- 1c: thecal sac deformed and tumour abuts the cord, cord not compressed — shown as
  "low_grade (borderline)": management is controversial (category ``low_grade``)
- 2: cord compressed, CSF still visible around the cord (high grade)
- 3: cord compressed, no CSF visible around the cord (high grade)

Result: no numeric total; ``category`` is ``low_grade`` (0, 1a, 1b, 1c) or ``high_grade``
(2, 3), ``grade`` holds the grade and the single component ``grade`` carries it in the report.
An unknown grade makes the score not computable.

Limitations: validated by 7 SOSG spine surgeons on 25 cervical or thoracic tumours ("good to
excellent" reliability on axial T2). Below the conus (L2 and
lower) there is no cord: the grade is then a thecal-sac (cauda equina) compression grade, an
extrapolation the scale was not validated for, and urgency must be driven by clinical cauda
equina / radicular findings (v1 decision: no validated standard below the conus). A lesion
whose upper level is exactly L2 also gets "the conus may extend to L2 in some adults" (the
conus ends at about L1-L2, §3.3).

Worked example: T12 lesion graded "1c" → low_grade, with the borderline note; L3 lesion graded
"2" → high_grade, with the below-conus note.
"""

from __future__ import annotations

from spinemets.case.levels import FIRST_BELOW_CONUS, level_index
from spinemets.case.models import Case, Escc
from spinemets.scorers.base import Component, Scorer, ScoreResult, not_computable

ID = "escc"
VERSION = "escc_bilsky_2010@1"
CITATION = (
    "Bilsky MH, Laufer I, Fourney DR, et al. Reliability analysis of the epidural spinal cord "
    "compression scale. J Neurosurg Spine 2010;13(3):324-328."
)

LOW_GRADE = "low_grade"
HIGH_GRADE = "high_grade"

#: Grade → group (Bilsky 2010).
GRADE_GROUP: dict[Escc, str] = {
    Escc.G0: LOW_GRADE,
    Escc.G1A: LOW_GRADE,
    Escc.G1B: LOW_GRADE,
    Escc.G1C: LOW_GRADE,
    Escc.G2: HIGH_GRADE,
    Escc.G3: HIGH_GRADE,
}

#: Grade definitions (paraphrased), read on axial T2 MRI at the level of worst compression.
GRADE_DEFINITION: dict[Escc, str] = {
    Escc.G0: "Tumour confined to bone",
    Escc.G1A: "Epidural extension; thecal sac not deformed",
    Escc.G1B: "Thecal sac deformed; spinal cord not touched",
    Escc.G1C: "Thecal sac deformed and tumour abuts the cord; cord not compressed",
    Escc.G2: "Cord compressed; CSF still visible around the cord",
    Escc.G3: "Cord compressed; no CSF visible around the cord",
}

BORDERLINE_NOTE = "borderline: thecal sac deformed and cord abutted; management controversial"
BELOW_CONUS_NOTE = (
    "below the conus: this is a thecal-sac (cauda equina) compression grade — the ESCC scale "
    "was validated in the cervical and thoracic spine only; drive urgency from clinical cauda "
    "equina / radicular findings, not from the grade"
)
SPANS_CONUS_NOTE = (
    "the lesion extends below the conus (L2 and lower): if the worst compression is there, the "
    "grade is a thecal-sac (cauda equina) compression grade, for which the ESCC scale was not "
    "validated; drive urgency from clinical findings"
)
CONUS_AT_L2 = "the conus may extend to L2 in some adults"
#: Group labels for the explain table: 1c is shown as borderline (its category stays low_grade).
GROUP_LABEL: dict[Escc, str] = {
    g: f"{group} (borderline)" if g is Escc.G1C else group for g, group in GRADE_GROUP.items()
}
UNKNOWN_NOTE = "ESCC grade not given: read it on axial T2 MRI at the level of worst compression"


def _conus_note(case: Case, index: int) -> str | None:
    span = case.lesions[index].span
    if span.below_conus:
        if span.upper == FIRST_BELOW_CONUS:
            return f"{BELOW_CONUS_NOTE}; {CONUS_AT_L2}"
        return BELOW_CONUS_NOTE
    if level_index(span.lower) >= level_index(FIRST_BELOW_CONUS):
        return SPANS_CONUS_NOTE
    return None


def compute(case: Case, index: int | None) -> ScoreResult:
    """ESCC grade of lesion ``index``."""
    assert index is not None, "ESCC is graded per lesion"
    lesion = case.lesions[index]
    path = f"lesions[{index}].escc"
    notes: list[str] = []
    conus = _conus_note(case, index)
    if lesion.escc is None:
        notes.append(UNKNOWN_NOTE)
        if conus:
            notes.append(conus)
        return not_computable(ID, VERSION, CITATION, [path], notes)
    grade = lesion.escc
    if grade is Escc.G1C:
        notes.append(BORDERLINE_NOTE)
    if conus:
        notes.append(conus)
    meaning = GRADE_DEFINITION[grade]
    if conus is not None and conus.startswith(BELOW_CONUS_NOTE):
        meaning = f"thecal-sac (cauda equina) compression grade, extrapolated: {meaning}"
    component = Component("grade", str(grade), None, (), path, meaning)
    return ScoreResult(
        id=ID,
        version=VERSION,
        status="complete",
        total=None,
        range=None,
        category=GRADE_GROUP[grade],
        components=(component,),
        missing=(),
        citation=CITATION,
        notes=tuple(notes),
        grade=str(grade),
    )


def is_high_grade(result: ScoreResult) -> bool | None:
    """True for grade 2 or 3, False for 0-1c, None when the grade is unknown."""
    if result.status != "complete" or result.category is None:
        return None
    return result.category == HIGH_GRADE


SCORER = Scorer(
    id=ID,
    title="Epidural spinal cord compression (ESCC) scale — Bilsky grade",
    version=VERSION,
    citation=CITATION,
    scope="lesion",
    direction="higher_worse",
    requires=("lesions[].escc", "lesions[].level"),
    compute=compute,
    bands=(),
    tables={
        "group": {str(k): v for k, v in GROUP_LABEL.items()},
        "definition": {str(k): v for k, v in GRADE_DEFINITION.items()},
    },
    limitations=(
        "Graded by the clinician on axial T2-weighted MRI at the level of worst compression.",
        "Validated on 25 cervical or thoracic tumours by 7 spine surgeons.",
        "Grade 1c is borderline; its management is controversial.",
    ),
    conflicts=(
        "Below the conus (L2 and lower) no validated standard exists; v1 reports the grade as a "
        "thecal-sac (cauda equina) compression grade with a note and leaves urgency to "
        "clinical findings.",
    ),
    doc=__doc__ or "",
)
