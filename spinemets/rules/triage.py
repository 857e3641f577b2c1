"""The urgency tier: the highest tier the findings do not exclude.

Tiers are read highest first. A tier holds when one of its rules is true, is excluded when
every rule is false, and is open when a rule is unknown. The tier reported is the highest tier
not excluded; when that tier is open (not certain) the tier is ``provisional``, its needs say
what would settle it and ``at_least`` names the highest tier that holds whatever the missing
findings are. So unknown neurology gives a provisional emergency, never a lower tier silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinemets.assessment import Basis, Need, Triage
from spinemets.rules import conditions
from spinemets.rules.context import Context
from spinemets.rules.models import TriageRule, TriageTier
from spinemets.rules.truth import Truth, needs_text, uniq

__all__ = ["decide_triage"]

PROVISIONAL_ACTION = (
    "complete the missing findings now; until then treat as this tier, the highest that "
    "cannot be excluded"
)
UNCOVERED = Need(None, "clinician triage: no triage rule covers the recorded findings")


@dataclass(frozen=True, slots=True)
class _TierState:
    tier: TriageTier
    fired: tuple[tuple[TriageRule, Truth], ...]
    unknown: tuple[tuple[TriageRule, Truth], ...]


def _reason(rule: TriageRule, truth: Truth) -> str:
    facts = f" ({'; '.join(truth.facts)})" if truth.facts else ""
    return f"{rule.reason}{facts} [{rule.id}]"


def _basis(rule: TriageRule) -> Basis:
    return Basis(rule.id, rule.citation, rule.evidence)


def _states(ctx: Context) -> list[_TierState]:
    """Tiers from the highest down to the first that holds (inclusive)."""
    states: list[_TierState] = []
    for tier in ctx.rules.triage:
        fired: list[tuple[TriageRule, Truth]] = []
        unknown: list[tuple[TriageRule, Truth]] = []
        for rule in tier.rules:
            truth = conditions.evaluate(rule.when, ctx, None)
            if truth.value is True:
                fired.append((rule, truth))
            elif truth.value is None:
                unknown.append((rule, truth))
        states.append(_TierState(tier, tuple(fired), tuple(unknown)))
        if fired:
            break
    return states


def decide_triage(ctx: Context) -> Triage:
    states = _states(ctx)
    holds = states[-1] if states and states[-1].fired else None
    open_above = [s for s in states if not s.fired and s.unknown]
    maybe = [
        f"may be {s.tier.tier}: {r.reason} — needs {needs_text(t.needs)} [{r.id}]"
        for s in open_above
        for r, t in s.unknown
    ]
    needs = uniq(n for s in open_above for _, t in s.unknown for n in t.needs)
    basis = [
        _basis(r)
        for s in (*open_above, *([holds] if holds else []))
        for r, _ in (*s.fired, *s.unknown)
    ]
    if holds is not None and not open_above:
        return Triage(
            tier=holds.tier.tier,
            reasons=uniq(_reason(r, t) for r, t in holds.fired),
            basis=uniq(_basis(r) for r, _ in holds.fired),
            actions=tuple(holds.tier.actions),
        )
    if not open_above:
        lowest = ctx.rules.triage[-1]
        return Triage(
            tier=lowest.tier,
            reasons=("no triage rule holds for the recorded findings: triage by the clinician",),
            actions=tuple(lowest.actions),
            needs=(UNCOVERED,),
            provisional=True,
        )
    top = open_above[0]
    at_least = (
        [f"at least {holds.tier.tier}: {_reason(r, t)}" for r, t in holds.fired]
        if holds is not None
        else []
    )
    return Triage(
        tier=top.tier.tier,
        reasons=uniq([*maybe, *at_least]),
        basis=uniq(basis),
        actions=(PROVISIONAL_ACTION, *top.tier.actions),
        needs=needs,
        provisional=True,
        at_least=holds.tier.tier if holds is not None else None,
    )
