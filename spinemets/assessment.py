"""The Assessment: everything a report shows, as plain immutable data.

case summary + per-lesion scores + case scores + prognosis panel + triage + options +
warnings + provenance. ``to_dict()`` is the JSON report contract of case-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from spinemets.case.models import Case
from spinemets.scorers.base import ScoreResult

Strength = Literal["recommended", "consider", "not_indicated", "contraindicated", "not_evaluable"]
Tier = Literal["emergency", "urgent", "soon", "routine"]

INTENDED_USE = (
    "Decision support for clinicians: options and their basis for multidisciplinary review, "
    "not a directive. Verify every input and score before acting."
)


@dataclass(frozen=True, slots=True)
class Basis:
    """Why an option or tier was given: the rule that fired and its source."""

    rule: str
    citation: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "citation": self.citation}


@dataclass(frozen=True, slots=True)
class Option:
    """One treatment option with its strength, reasoning and basis."""

    id: str
    strength: Strength
    summary: str
    lesion: str | None = None
    rationale: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    basis: tuple[Basis, ...] = ()
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "lesion": self.lesion,
            "strength": self.strength,
            "summary": self.summary,
            "rationale": list(self.rationale),
            "needs": list(self.needs),
            "basis": [b.to_dict() for b in self.basis],
        }
        if self.details is not None:
            out["details"] = self.details
        return out


@dataclass(frozen=True, slots=True)
class Triage:
    """Urgency tier for suspected cord compression, with the findings and rules behind it."""

    tier: Tier | None
    reasons: tuple[str, ...] = ()
    basis: tuple[Basis, ...] = ()
    actions: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "reasons": list(self.reasons),
            "basis": [b.to_dict() for b in self.basis],
            "actions": list(self.actions),
            "needs": list(self.needs),
        }


@dataclass(frozen=True, slots=True)
class Warning:
    """A consistency or applicability warning about the case (never an error)."""

    code: str
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}


@dataclass(frozen=True, slots=True)
class Provenance:
    """What produced the report: input digest, rules digest and source, tool version."""

    input_sha256: str
    rules_sha256: str | None
    rules_source: str | None
    source_file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_sha256": self.input_sha256,
            "rules_sha256": self.rules_sha256,
            "rules_source": self.rules_source,
        }


@dataclass(frozen=True, slots=True)
class LesionScores:
    """Scores of one lesion (SINS, ESCC)."""

    index: int
    level: str
    scores: dict[str, ScoreResult]


@dataclass(frozen=True, slots=True)
class PrognosisEntry:
    """One prognostic score on the panel, with its coarse group (for disagreement only)."""

    score_id: str
    direction: str
    category: str | None
    group: str | None  # poor | intermediate | good, or None when the range straddles groups


@dataclass(frozen=True, slots=True)
class PrognosisPanel:
    entries: tuple[PrognosisEntry, ...]
    disagreement: bool
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": [
                {
                    "id": e.score_id,
                    "direction": e.direction,
                    "category": e.category,
                    "group": e.group,
                }
                for e in self.entries
            ],
            "disagreement": self.disagreement,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    """The full, explained evaluation of one case."""

    case: Case
    tool_version: str
    lesions: tuple[LesionScores, ...]
    scores: dict[str, ScoreResult]
    prognosis: PrognosisPanel
    triage: Triage
    options: tuple[Option, ...]
    warnings: tuple[Warning, ...]
    provenance: Provenance
    redacted: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def case_id(self) -> str:
        return self.case.case_id

    def patient_summary(self) -> dict[str, Any]:
        """Demographics for reports; identifiers only when not redacted."""
        p = self.case.patient
        out: dict[str, Any] = {"age": p.age, "sex": str(p.sex) if p.sex else None}
        if not self.redacted:
            out |= {
                "name": p.name,
                "mrn": p.mrn,
                "birth_date": p.birth_date.isoformat() if p.birth_date else None,
            }
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON report contract (case-format.md), deterministic for the same input."""
        return {
            "schema_version": 1,
            "case_id": self.case_id,
            "tool": {"name": "spinemets", "version": self.tool_version},
            "intended_use": INTENDED_USE,
            "provenance": self.provenance.to_dict(),
            "patient": self.patient_summary(),
            "triage": self.triage.to_dict(),
            "lesions": [
                {"level": les.level, "scores": {k: v.to_dict() for k, v in les.scores.items()}}
                for les in self.lesions
            ],
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
            "prognosis": self.prognosis.to_dict(),
            "options": [o.to_dict() for o in self.options],
            "warnings": [w.to_dict() for w in self.warnings],
        }
