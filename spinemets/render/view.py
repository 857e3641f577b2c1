"""What every human-readable report shows, in NOMS order, as plain text pieces.

Markdown, terminal and HTML renderers share these helpers so that they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinemets.scorers import REGISTRY

if TYPE_CHECKING:
    from spinemets.assessment import Assessment, Option
    from spinemets.scorers.base import ScoreResult

STRENGTH_ORDER = ("recommended", "consider", "not_evaluable", "not_indicated", "contraindicated")
STRENGTH_LABEL = {
    "recommended": "Recommended",
    "consider": "Consider",
    "not_evaluable": "Not evaluable",
    "not_indicated": "Not indicated",
    "contraindicated": "Contraindicated",
}
TIER_LABEL = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT",
    "soon": "SOON",
    "routine": "ROUTINE",
    None: "NOT DETERMINED",
}
DIRECTION_LABEL = {"higher_better": "higher = better", "higher_worse": "higher = worse", "none": ""}


def title(score_id: str) -> str:
    """The registered title of a score, or its id."""
    scorer = REGISTRY.get(score_id)
    return scorer.title if scorer else score_id


def headline(result: ScoreResult) -> str:
    """One-line value of a score: ``11 — potentially unstable``, ``range 6-18``, ``grade 2 …``."""
    category = result.category.replace("_", " ") if result.category else None
    if result.status == "not_computable":
        return "not computable"
    if result.grade is not None:
        value = f"grade {result.grade}"
    elif result.total is not None:
        value = str(result.total)
    elif result.range is not None:
        value = f"range {result.range[0]}-{result.range[1]} (partial)"
    else:
        value = result.status
    return f"{value} — {category}" if category else value


def component_text(result: ScoreResult) -> list[tuple[str, str, str]]:
    """(component, value, points) rows; unknown values and points shown as such."""
    rows = []
    for c in result.components:
        if c.points is not None:
            points = str(c.points)
        elif c.possible:
            points = f"? ({min(c.possible)}-{max(c.possible)})"
        else:
            points = ""
        rows.append(
            (c.name.replace("_", " "), c.value if c.value is not None else "unknown", points)
        )
    return rows


def score_footer(result: ScoreResult) -> list[str]:
    """Notes, missing inputs, version and citation lines of a score."""
    lines = [f"note: {n}" for n in result.notes]
    if result.missing:
        lines.append("missing: " + ", ".join(result.missing))
    lines.append(f"{result.version} · {result.citation}")
    return lines


def direction(score_id: str) -> str:
    scorer = REGISTRY.get(score_id)
    return DIRECTION_LABEL.get(scorer.direction, "") if scorer else ""


def sorted_options(assessment: Assessment) -> list[Option]:
    """Options by strength (recommended first), then id and lesion; order is stable."""
    rank = {s: i for i, s in enumerate(STRENGTH_ORDER)}
    return sorted(
        assessment.options, key=lambda o: (rank.get(o.strength, 99), o.id, o.lesion or "")
    )


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """Case facts quoted in the O and S sections."""

    primary: str
    histology: str
    systemic_therapy: str
    radiosensitivity: str
    visceral: str
    bone: str


def case_facts(assessment: Assessment) -> CaseFacts:
    case = assessment.case

    def show(value: object) -> str:
        return "unknown" if value is None else str(value)

    override = case.cancer.radiosensitivity
    radio = (
        f"{override} (override: {case.cancer.radiosensitivity_reason})"
        if override
        else "from the rules' histology table"
    )
    d = case.disease
    return CaseFacts(
        primary=show(case.cancer.primary),
        histology=case.cancer.histology or "not given",
        systemic_therapy=show(case.cancer.systemic_therapy),
        radiosensitivity=radio,
        visceral=show(d.visceral_metastases),
        bone=(
            f"vertebral {show(d.vertebral_metastases)}, "
            f"extraspinal bone {show(d.extraspinal_bone_metastases)}"
        ),
    )


def patient_line(assessment: Assessment) -> str:
    """Demographics (identifiers only when not redacted)."""
    p = assessment.patient_summary()
    parts = [
        f"age {p['age'] if p['age'] is not None else 'unknown'}",
        f"sex {p['sex'] or 'unknown'}",
    ]
    for key in ("name", "mrn", "birth_date"):
        if p.get(key):
            parts.append(f"{key.replace('_', ' ')} {p[key]}")
    return ", ".join(parts)


def detail_text(value: object) -> str:
    """An option's details value as one readable line (lists joined by '; ')."""
    if isinstance(value, list):
        return "; ".join(detail_text(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {detail_text(v)}" for k, v in value.items())
    return str(value)
