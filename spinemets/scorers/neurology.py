"""Neurological status — Frankel grade (or ASIA impairment grade) and clinical findings.

Frankel HL, Hancock DO, Hyslop G, et al. The value of postural reduction in the initial
management of closed injuries of the spine with paraplegia and tetraplegia. Paraplegia
1969;7:179-192. ASIA Impairment Scale (AIS): International Standards for Neurological
Classification of Spinal Cord Injury (ISNCSCI), ASIA/ISCoS.

Inputs: ``neurology.frankel`` or ``neurology.asia`` (A-E); shown alongside: ``ambulatory``,
``deficit``, ``motor_deficit_days``, ``myelopathy``, ``radiculopathy``,
``sphincter_dysfunction``.

Frankel grades (Frankel HL, et al. Paraplegia 1969;7:179-192): A complete (no motor or
sensory function below the lesion); B sensory only; C motor useless; D motor useful (can
walk, with or without aids); E normal motor and sensory function.

Category, as the revised Tokuhashi palsy item groups Frankel grades (§5.1): ``complete``
(A, B), ``incomplete`` (C, D), ``none`` (E). ``grade`` holds the letter used; there is no
numeric total.

Frankel and AIS are not a 1:1 mapping (AIS C/D use the half-of-key-muscles rule, Frankel C/D
functional usefulness). When only ASIA is given it is used as an approximate Frankel grade
(A→A … E→E) and flagged (§3.2); when both are given Frankel is used, and a disagreement is
noted. Neither given: not computable, needs ``neurology.frankel`` (or ``neurology.asia``).

Limitations: the definitions follow the grades as used by the revised Tokuhashi score. AIS E
applies only to a patient who previously had deficits.

Worked example: frankel D, ambulatory with_aid → grade D, category incomplete.
"""

from __future__ import annotations

from spinemets.case.models import Case, NeuroGrade
from spinemets.scorers.base import Component, Scorer, ScoreResult

ID = "neurology"
VERSION = "neurology_frankel_asia@1"
CITATION = (
    "Frankel HL, Hancock DO, Hyslop G, et al. Paraplegia 1969;7:179-192; "
    "ASIA Impairment Scale (ISNCSCI, ASIA/ISCoS)."
)

COMPLETE = "complete"
INCOMPLETE = "incomplete"
NONE = "none"

#: Frankel grade → palsy category (revised Tokuhashi palsy item, Tokuhashi 2005).
PALSY_CATEGORY: dict[NeuroGrade, str] = {
    NeuroGrade.A: COMPLETE,
    NeuroGrade.B: COMPLETE,
    NeuroGrade.C: INCOMPLETE,
    NeuroGrade.D: INCOMPLETE,
    NeuroGrade.E: NONE,
}

#: Frankel grade meanings (Frankel 1969).
FRANKEL_DEFINITION: dict[NeuroGrade, str] = {
    NeuroGrade.A: "Complete: no motor or sensory function below the lesion",
    NeuroGrade.B: "Sensory only: some sensation below the lesion, no motor function",
    NeuroGrade.C: "Motor useless: some motor function below the lesion, of no practical use",
    NeuroGrade.D: (
        "Motor useful: useful motor function below the lesion; can walk (with or without aids)"
    ),
    NeuroGrade.E: "Normal motor and sensory function (abnormal reflexes may persist)",
}

#: ASIA → Frankel when only ASIA is recorded: letter for letter, approximate (§3.2).
ASIA_TO_FRANKEL: dict[NeuroGrade, NeuroGrade] = {g: g for g in NeuroGrade}

MISSING_NOTE = "neither Frankel nor ASIA grade given: record neurology.frankel (or neurology.asia)"


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _components(case: Case) -> tuple[Component, ...]:
    n = case.neurology
    fields: list[tuple[str, object]] = [
        ("frankel", n.frankel),
        ("asia", n.asia),
        ("ambulatory", n.ambulatory),
        ("deficit", n.deficit),
        ("motor_deficit_days", n.motor_deficit_days),
        ("myelopathy", n.myelopathy),
        ("radiculopathy", n.radiculopathy),
        ("sphincter_dysfunction", n.sphincter_dysfunction),
    ]
    return tuple(
        Component(name, _text(value), None, (), f"neurology.{name}") for name, value in fields
    )


def compute(case: Case, index: int | None = None) -> ScoreResult:
    """Neurological status of the case (``index`` is ignored: a case-level score)."""
    n = case.neurology
    components = _components(case)
    notes: list[str] = []
    if n.frankel is not None:
        grade = n.frankel
        if n.asia is not None and n.asia != n.frankel:
            notes.append(
                f"Frankel {n.frankel} and ASIA {n.asia} differ (the scales are not a 1:1 mapping); "
                f"Frankel {n.frankel} is used"
            )
    elif n.asia is not None:
        grade = ASIA_TO_FRANKEL[n.asia]
        notes.append(
            f"only ASIA given: ASIA {n.asia} is used as an approximate Frankel grade {grade} "
            "(AIS and Frankel are not a 1:1 mapping)"
        )
    else:
        return ScoreResult(
            id=ID,
            version=VERSION,
            status="not_computable",
            total=None,
            range=None,
            category=None,
            components=components,
            missing=("neurology.frankel",),
            citation=CITATION,
            notes=(MISSING_NOTE,),
        )
    return ScoreResult(
        id=ID,
        version=VERSION,
        status="complete",
        total=None,
        range=None,
        category=PALSY_CATEGORY[grade],
        components=components,
        missing=(),
        citation=CITATION,
        notes=tuple(notes),
        grade=str(grade),
    )


SCORER = Scorer(
    id=ID,
    title="Neurological status (Frankel / ASIA grade)",
    version=VERSION,
    citation=CITATION,
    scope="case",
    direction="none",
    requires=("neurology.frankel",),
    compute=compute,
    bands=(),
    tables={
        "palsy_category": {str(k): v for k, v in PALSY_CATEGORY.items()},
        "frankel": {str(k): v for k, v in FRANKEL_DEFINITION.items()},
        "asia_to_frankel (approximate)": {str(k): str(v) for k, v in ASIA_TO_FRANKEL.items()},
    },
    limitations=(
        "Frankel and ASIA (AIS) are not a 1:1 mapping; ASIA used alone is an approximation.",
        "Definitions follow the Frankel grades as used by the revised Tokuhashi score.",
    ),
    conflicts=(
        "ASIA-only cases: v1 maps AIS A-E letter for letter to Frankel A-E, flagged approximate.",
    ),
    doc=__doc__ or "",
)
