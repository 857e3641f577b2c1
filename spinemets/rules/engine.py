"""Evaluate a rule set on a scored case: the triage tier and the treatment options.

Three-valued (Kleene) logic throughout (:mod:`spinemets.rules.truth`); each condition kind is
a module of :mod:`spinemets.rules.conditions`; the decisions are in
:mod:`spinemets.rules.options` (outcome sets per option) and :mod:`spinemets.rules.triage`
(the highest tier not excluded, provisional while open). The analgesia option always carries
``details = {ladder_step, avoid, adjuvants, add}`` (:mod:`spinemets.rules.ladder`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from spinemets.assessment import (
    CancerSummary,
    LesionScores,
    Option,
    OptionStrength,
    Radiosensitivity,
    Triage,
)
from spinemets.case.models import Case
from spinemets.rules import conditions
from spinemets.rules.context import Context, eqd2, radiosensitivity
from spinemets.rules.ladder import Ladder, compute_ladder
from spinemets.rules.models import RuleSet
from spinemets.rules.options import decide_options, decide_strengths
from spinemets.rules.triage import decide_triage
from spinemets.rules.truth import Truth
from spinemets.scorers.base import ScoreResult

__all__ = [
    "Ladder",
    "Truth",
    "cancer_summary",
    "compute_ladder",
    "eqd2",
    "evaluate",
    "evaluate_strengths",
    "radiosensitivity",
    "truth_of",
]


def _context(
    rules: RuleSet,
    case: Case,
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
) -> Context:
    return Context(rules, case, {ls.index: ls for ls in lesions}, scores)


def evaluate(
    rules: RuleSet,
    case: Case,
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
) -> tuple[Triage, tuple[Option, ...]]:
    """The triage tier and the options for a scored case (deterministic order)."""
    ctx = _context(rules, case, lesions, scores)
    return decide_triage(ctx), decide_options(ctx)


def evaluate_strengths(
    rules: RuleSet,
    case: Case,
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
) -> tuple[Triage, tuple[OptionStrength, ...]]:
    """The triage tier and each option's strength alone, as :func:`evaluate` decides them."""
    ctx = _context(rules, case, lesions, scores)
    return decide_triage(ctx), decide_strengths(ctx)


def truth_of(
    rules: RuleSet,
    case: Case,
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
    condition: Any,
    lesion: int | None = None,
) -> Truth:
    """Evaluate one condition (a model from :mod:`spinemets.rules.models`) on a scored case."""
    return conditions.evaluate(condition, _context(rules, case, lesions, scores), lesion)


def cancer_summary(rules: RuleSet, case: Case) -> CancerSummary:
    """The O of NOMS as the rules conclude it: primary, histology, radiosensitivity and why."""
    cls, reason, _ = radiosensitivity(rules, case)
    cancer = case.cancer
    source: Literal["rules table", "case override"] | None = None
    if cancer.radiosensitivity is not None:
        source = "case override"
    elif cls is not None or cancer.primary is not None:
        source = "rules table"
    return CancerSummary(
        primary=cancer.primary.value if cancer.primary is not None else None,
        histology=cancer.histology,
        radiosensitivity=Radiosensitivity(
            cls if cls in ("sensitive", "intermediate", "resistant") else "unknown",  # type: ignore[arg-type]
            source,
            reason,
        ),
    )
