"""The Assessment: everything a report shows, as plain immutable data.

case summary + per-lesion scores + case scores + prognosis panel + triage + options +
warnings + provenance. ``to_dict()`` is the JSON report contract (docs/report-contract.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from spinemets.case.models import Case
from spinemets.case.warning import Warning
from spinemets.scorers.base import ScoreResult
from spinemets.vocab import Strength, Tier

__all__ = [
    "Assessment",
    "Basis",
    "CancerSummary",
    "DecisiveInput",
    "LesionScores",
    "Need",
    "Option",
    "OptionStrength",
    "Provenance",
    "Radiosensitivity",
    "Strength",
    "Tabulation",
    "Tier",
    "Triage",
    "Warning",
]

#: Version of the JSON report contract (keys are added between versions, never renamed).
REPORT_VERSION = "1.1"

INTENDED_USE = (
    "Decision support for clinicians: options and their basis for multidisciplinary review, "
    "not a directive. Verify every input and score before acting."
)


@dataclass(frozen=True, slots=True)
class Basis:
    """Why an option or tier was given: the rule that fired and its source."""

    rule: str
    citation: str
    evidence: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"rule": self.rule, "citation": self.citation, "evidence": self.evidence}


@dataclass(frozen=True, slots=True, order=True)
class Need:
    """What would settle an undecided result: a case field (``path``) or clinician judgement."""

    path: str | None
    text: str

    def to_dict(self) -> dict[str, str | None]:
        return {"path": self.path, "text": self.text}


@dataclass(frozen=True, slots=True)
class Option:
    """One treatment option with its strength, reasoning and basis."""

    id: str
    strength: Strength
    summary: str
    lesion: str | None = None
    rationale: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()
    basis: tuple[Basis, ...] = ()
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "lesion": self.lesion,
            "strength": self.strength,
            "summary": self.summary,
            "rationale": list(self.rationale),
            "needs": [n.to_dict() for n in self.needs],
            "basis": [b.to_dict() for b in self.basis],
        }
        if self.details is not None:
            out["details"] = self.details
        return out


@dataclass(frozen=True, slots=True)
class OptionStrength:
    """An option's strength alone (for tables): what :class:`Option` says, without its basis."""

    id: str
    lesion: str | None
    strength: Strength


@dataclass(frozen=True, slots=True)
class Triage:
    """Urgency tier for suspected cord compression, with the findings and rules behind it.

    ``tier`` is never missing: when a higher tier cannot be excluded it is that highest tier
    not excluded, ``provisional`` is true, ``needs`` says what would settle it and ``at_least``
    names the tier that holds whatever the missing findings are (None when none holds yet).
    """

    tier: Tier
    reasons: tuple[str, ...] = ()
    basis: tuple[Basis, ...] = ()
    actions: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()
    provisional: bool = False
    at_least: Tier | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "provisional": self.provisional,
            "at_least": self.at_least,
            "reasons": list(self.reasons),
            "basis": [b.to_dict() for b in self.basis],
            "actions": list(self.actions),
            "needs": [n.to_dict() for n in self.needs],
        }


@dataclass(frozen=True, slots=True)
class Radiosensitivity:
    """The O of NOMS: the histology's radiosensitivity to conventional EBRT, and why."""

    cls: Literal["sensitive", "intermediate", "resistant", "unknown"]
    source: Literal["rules table", "case override"] | None
    reason: str

    def to_dict(self) -> dict[str, str | None]:
        return {"class": self.cls, "source": self.source, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class CancerSummary:
    """The primary, its histology and its radiosensitivity as concluded for this report."""

    primary: str | None
    histology: str | None
    radiosensitivity: Radiosensitivity

    def to_dict(self) -> dict[str, Any]:
        return {
            "primary": self.primary,
            "histology": self.histology,
            "radiosensitivity": self.radiosensitivity.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class DecisiveInput:
    """A missing case field and the undecided results it is needed to settle."""

    path: str
    text: str
    results: tuple[str, ...]

    @property
    def settles(self) -> int:
        return len(self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "text": self.text,
            "settles": self.settles,
            "results": list(self.results),
        }


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
class Tabulation:
    """What one row of a table of cases shows (CSV): scores, triage and option strengths, with
    the same warnings and provenance as the full :class:`Assessment`, but no option rationale,
    needs, basis or details. It is never a report: no renderer takes it."""

    case: Case
    lesions: tuple[LesionScores, ...]
    scores: dict[str, ScoreResult]
    triage: Triage
    option_strengths: tuple[OptionStrength, ...]
    warnings: tuple[Warning, ...]
    provenance: Provenance
    redacted: bool = False

    @property
    def case_id(self) -> str:
        return self.case.case_id

    def strengths(self) -> tuple[OptionStrength, ...]:
        return self.option_strengths


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
    cancer: CancerSummary | None = None
    decisive_inputs: tuple[DecisiveInput, ...] = ()
    redacted: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def case_id(self) -> str:
        return self.case.case_id

    def strengths(self) -> tuple[OptionStrength, ...]:
        """Each option's strength, in report order (what a table row shows)."""
        return tuple(OptionStrength(o.id, o.lesion, o.strength) for o in self.options)

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
        """The JSON report contract (docs/report-contract.md), deterministic for the same input."""
        return {
            "schema_version": 1,
            "report_version": REPORT_VERSION,
            "case_id": self.case_id,
            "tool": {"name": "spinemets", "version": self.tool_version},
            "intended_use": INTENDED_USE,
            "provenance": self.provenance.to_dict(),
            "patient": self.patient_summary(),
            "cancer": self.cancer.to_dict() if self.cancer is not None else None,
            "triage": self.triage.to_dict(),
            "lesions": [
                {"level": les.level, "scores": {k: v.to_dict() for k, v in les.scores.items()}}
                for les in self.lesions
            ],
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
            "prognosis": self.prognosis.to_dict(),
            "options": [o.to_dict() for o in self.options],
            "decisive_inputs": [d.to_dict() for d in self.decisive_inputs],
            "warnings": [w.to_dict() for w in self.warnings],
        }
