"""Triage is never missing: the highest tier not excluded, provisional while it is open."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from strategies import case_dicts

from spinemets.rules import conditions
from spinemets.rules.context import Context
from spinemets.rules.loader import load_rules
from spinemets.vocab import TIERS

from .helpers import case_from, score

RULES = load_rules(None)


def _tier_truths(data: dict[str, Any]) -> list[tuple[str, bool | None]] | None:
    from spinemets.errors import CaseError

    try:
        case = case_from(data)
    except CaseError:
        return None
    lesions, scores = score(case)
    ctx = Context(RULES, case, {ls.index: ls for ls in lesions}, scores)
    out: list[tuple[str, bool | None]] = []
    for tier in RULES.triage:
        values = [conditions.evaluate(r.when, ctx, None).value for r in tier.rules]
        out.append((tier.tier, True if True in values else None if None in values else False))
    return out


@settings(max_examples=60, deadline=None)
@given(case_dicts())
def test_tier_is_the_highest_not_excluded(data: dict[str, Any]) -> None:
    from spinemets.rules.engine import evaluate

    truths = _tier_truths(data)
    if truths is None:
        return
    case = case_from(data)
    lesions, scores = score(case)
    triage, _ = evaluate(RULES, case, lesions, scores)
    assert triage.tier in TIERS
    first_open = next((t for t, v in truths if v is not False), TIERS[-1])
    holds = next((t for t, v in truths if v is True), None)
    assert triage.tier == first_open
    assert triage.provisional == (first_open != holds)
    if triage.provisional:
        assert triage.needs
        assert triage.at_least == holds
    else:
        assert triage.at_least is None
