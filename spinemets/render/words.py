"""Scores, bands, tiers and case facts as the words a clinician reads ("< 6 months", "ECOG 1").

Used by the report view-model (:mod:`spinemets.render.report`) only; renderers read the
view-model.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spinemets.scorers import REGISTRY
from spinemets.vocab import OPTION_IDS, TIERS, strength_rank, tier_rank

__all__ = ["OPTION_IDS", "TIERS", "strength_rank", "tier_rank"]  # re-exported for renderers

if TYPE_CHECKING:
    from spinemets.assessment import Assessment
    from spinemets.case.models import Case
    from spinemets.scorers.base import ScoreResult

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
}
DIRECTION_LABEL = {"higher_better": "higher = better", "higher_worse": "higher = worse", "none": ""}
#: Short names for the one-line prognosis panel.
SHORT = {
    "tokuhashi_revised": "Tokuhashi",
    "tomita": "Tomita",
    "modified_bauer": "Bauer",
    "nesms": "NESMS",
}
_ACRONYMS = {
    "mscc": "MSCC",
    "mdt": "MDT",
    "nsaid": "NSAID",
    "ecog": "ECOG",
    "kps": "KPS",
    "nesms": "NESMS",
    "sbrt": "SBRT",
    "cebrt": "cEBRT",
    "ppi": "PPI",
    "asia": "ASIA",
    "d": "D",
}
_WALKING = {
    "independent": "walks independently",
    "with_aid": "walks with aid",
    "non_ambulatory": "not ambulatory",
}
_COMPARE = re.compile(r"^(lt|lte|gt|gte)_(\d+)_(\w+)$")
_SIGN = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


def term(identifier: str) -> str:
    """An id as words: ``transdermal_fentanyl`` → ``transdermal fentanyl``."""
    return " ".join(_ACRONYMS.get(w, w) for w in identifier.split("_"))


def label(key: str) -> str:
    """A details key as a label: ``ladder_step`` → ``Ladder step``."""
    text = term(key)
    return text[:1].upper() + text[1:]


def category(name: str) -> str:
    """A score category as words: ``lt_6_months`` → ``< 6 months``, ``ecog_1`` → ``ECOG 1``."""
    match = _COMPARE.match(name)
    if match:
        sign, number, unit = match.groups()
        return f"{_SIGN[sign]} {number} {unit.replace('_', ' ')}"
    return term(name)


def title(score_id: str) -> str:
    """The registered title of a score, or its id."""
    scorer = REGISTRY.get(score_id)
    return scorer.title if scorer else score_id


def direction(score_id: str) -> str:
    scorer = REGISTRY.get(score_id)
    return DIRECTION_LABEL.get(scorer.direction, "") if scorer else ""


def value(result: ScoreResult) -> str:
    """The value of a score: ``11``, ``grade 1c``, ``6-12 (partial)``, ``not computable``."""
    if result.status == "not_computable":
        return "not computable"
    if result.grade is not None:
        return f"grade {result.grade}"
    if result.total is not None:
        return str(result.total)
    if result.range is not None:
        return f"{result.range[0]}-{result.range[1]} (partial)"
    return result.status.replace("_", " ")


def band(result: ScoreResult) -> str:
    """The category in words with its band of totals: ``potentially unstable (7-12)``."""
    if result.category is None:
        return "category not determined" if result.status == "partial" else ""
    words = category(result.category)
    scorer = REGISTRY.get(result.id)
    for b in scorer.bands if scorer else ():
        if b.category == result.category:
            span = str(b.low) if b.low == b.high else f"{b.low}-{b.high}"
            return words if words.endswith(span) else f"{words} ({span})"
    return words


def component_rows(result: ScoreResult) -> list[tuple[str, str, str]]:
    """(component, value, points) rows; unknown values and points shown as such."""
    rows = []
    for c in result.components:
        if c.points is not None:
            points = str(c.points)
        elif c.possible:
            points = f"? ({min(c.possible)}-{max(c.possible)})"
        else:
            points = ""
        rows.append((term(c.name), c.value if c.value is not None else "unknown", points))
    return rows


def show(value: object) -> str:
    return "unknown" if value is None else str(value)


def neurology(case: Case) -> str:
    """Frankel, walking and the tempo of any deficit, in one line."""
    n = case.neurology
    walking = _WALKING.get(show(n.ambulatory), "walking unknown")
    parts = [f"Frankel {show(n.frankel)}", walking]
    deficit = show(n.deficit)
    tempo = f"deficit {deficit}"
    hours = getattr(n, "deficit_onset_hours", None)
    if hours is not None:
        tempo += f" (onset {hours} h ago)"
    elif n.motor_deficit_days is not None:
        tempo += f" (motor deficit for {n.motor_deficit_days} days)"
    parts.append(tempo)
    signs = [
        name
        for name, present in (
            ("myelopathy", n.myelopathy),
            ("radiculopathy", n.radiculopathy),
            ("sphincter dysfunction", n.sphincter_dysfunction),
        )
        if present
    ]
    if signs:
        parts.append(", ".join(signs))
    return "; ".join(parts)


def performance(a: Assessment) -> str:
    """``ECOG 1 (KPS 70)``, or what is missing."""
    p = a.case.performance
    result = a.scores.get("performance")
    ecog = p.ecog
    if ecog is None and result is not None and result.total is not None:
        ecog = result.total
    kps = f" (KPS {p.kps})" if p.kps is not None else ""
    return f"ECOG {show(ecog)}{kps}"


def metastases(case: Case) -> str:
    """``visceral metastases removable; bone: 2 vertebral + 1 extraspinal``."""
    d = case.disease
    return (
        f"visceral metastases {show(d.visceral_metastases)}; bone: "
        f"{show(d.vertebral_metastases)} vertebral + {show(d.extraspinal_bone_metastases)} "
        "extraspinal"
    )


def prognosis_line(a: Assessment) -> str:
    """The prognosis panel in one line, with whether the scores agree."""
    parts = []
    for sid, short in SHORT.items():
        result = a.scores.get(sid)
        if result is None:
            continue
        words = band(result) if result.category is not None else ""
        shown = f"{short} {value(result)}"
        parts.append(f"{shown} {words}" if words and not words.startswith(shown) else shown)
    agree = prognosis_group(a)
    return " · ".join(parts) + f"; {agree}" if parts else agree


def prognosis_group(a: Assessment) -> str:
    """The coarse prognosis group of the panel, or that the scores disagree."""
    groups = sorted({e.group for e in a.prognosis.entries if e.group is not None})
    if a.prognosis.disagreement:
        return "scores disagree (" + " / ".join(groups) + ")"
    if not groups:
        return "group not determined"
    return f"scores agree: {groups[0]} group"


def mdt_estimate(case: Case) -> str:
    """The MDT's own survival estimate when the case gives one (clinician judgement)."""
    block = getattr(case, "prognosis", None)
    months = getattr(block, "expected_survival_months", None)
    return f"MDT estimate: {months} months (clinician judgement)" if months is not None else ""


def per_lesion(a: Assessment, score_id: str) -> str:
    """``T12 11; L3 7`` for a lesion score (``-`` when no lesion has it)."""
    parts = [
        f"{les.level} {value(les.scores[score_id]).removeprefix('grade ')}"
        for les in a.lesions
        if score_id in les.scores
    ]
    return "; ".join(parts) or "-"


def patient_line(a: Assessment) -> str:
    """Demographics (identifiers only when not redacted)."""
    p = a.patient_summary()
    parts = [
        f"age {p['age'] if p['age'] is not None else 'unknown'}",
        f"sex {p['sex'] or 'unknown'}",
    ]
    for key in ("name", "mrn", "birth_date"):
        if p.get(key):
            parts.append(f"{key.replace('_', ' ')} {p[key]}")
    return ", ".join(parts)
