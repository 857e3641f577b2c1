"""``survival: {gte_months: n}`` — expected survival at or above a threshold.

The MDT's own estimate (``prognosis.expected_survival_months``, clinician judgement) decides
when it is recorded; the prognostic scores' categories are shown beside it, and a score that
points the other way is named. Without an estimate the scores decide when every score that can
say something agrees (per ``survival_evidence``: a category with at least, or below, so many
months); disagreement or an undecided range leaves it unknown, needing the MDT's estimate.
``gte_months`` is a number or ``{param: name}`` naming a numeric parameter.
"""

from typing import Any

from spinemets.assessment import Need
from spinemets.rules.base import Checker, Scope, Threshold, YPath, _Model, check_threshold
from spinemets.rules.conditions.score import possible_categories
from spinemets.rules.context import Context, score_value
from spinemets.rules.truth import Truth, uniq

ESTIMATE_PATH = "prognosis.expected_survival_months"


class SurvivalTest(_Model):
    gte_months: Threshold


class SurvivalCond(_Model):
    survival: SurvivalTest


def check(
    cond: SurvivalCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    check_threshold(checker, cond.survival.gte_months, f, (*path, "survival", "gte_months"))


def evaluate(cond: SurvivalCond, ctx: Context, lesion: int | None) -> Truth:
    threshold = float(ctx.param(cond.survival.gte_months))
    found = ctx.survival.get(threshold)
    if found is None:
        found = ctx.survival[threshold] = _survival(threshold, ctx)
    return found


def mdt_estimate(ctx: Context) -> float | None:
    """The MDT's estimate of expected survival in months, when recorded."""
    value = ctx.case.prognosis.expected_survival_months
    return float(value) if value is not None else None


def _score_verdicts(
    threshold: float, ctx: Context
) -> tuple[list[tuple[bool, str]], list[str], list[Need]]:
    by_score: dict[str, dict[str, Any]] = {}
    for e in ctx.rules.survival_evidence:
        by_score.setdefault(e.score, {})[e.category] = e
    verdicts: list[tuple[bool, str]] = []
    facts: list[str] = []
    needs: list[Need] = []
    for score_id, table in by_score.items():
        result = ctx.scores.get(score_id)
        if result is None:
            needs.append(Need(None, f"{score_id} (score not computed)"))
            continue
        possible = possible_categories(result)
        if possible is None:
            needs += [ctx.need(p) for p in result.missing]
            continue
        facts.append(f"{score_id} = {score_value(result)}")
        entries = [table.get(c) for c in possible]
        if all(
            e is not None and e.at_least_months is not None and e.at_least_months >= threshold
            for e in entries
        ):
            months = min(e.at_least_months for e in entries if e)
            verdicts.append((True, f"{score_id}: expected survival at least {months} months"))
        elif all(
            e is not None and e.below_months is not None and e.below_months <= threshold
            for e in entries
        ):
            months = max(e.below_months for e in entries if e)
            verdicts.append((False, f"{score_id}: expected survival below {months} months"))
        elif len(possible) > 1:
            needs += [ctx.need(p) for p in result.missing]
    return verdicts, facts, needs


def _survival(threshold: float, ctx: Context) -> Truth:
    verdicts, facts, needs = _score_verdicts(threshold, ctx)
    decided = {v for v, _ in verdicts}
    reasons = [r for _, r in verdicts]
    estimate = mdt_estimate(ctx)
    if estimate is not None:
        verdict = estimate >= threshold
        lines = [f"MDT estimate of expected survival: {estimate:g} months (clinician judgement)"]
        against = [r for v, r in verdicts if v is not verdict]
        if against:
            lines.append("prognostic scores point the other way: " + "; ".join(against))
        return Truth(verdict, uniq([*lines, *facts, *reasons]))
    if decided == {True}:
        return Truth(True, uniq([*facts, *reasons]))
    if decided == {False}:
        return Truth(False, uniq([*facts, *reasons]))
    note = f"expected survival >= {threshold:g} months not decided by the prognostic scores"
    if len(decided) > 1:
        note = "prognostic scores disagree on expected survival"
    estimate_need = Need(
        ESTIMATE_PATH, f"MDT estimate of expected survival (>= {threshold:g} months?)"
    )
    return Truth(None, uniq([*facts, *reasons, note]), uniq([estimate_need, *needs]))
