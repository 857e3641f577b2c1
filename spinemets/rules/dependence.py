"""Which named conditions read the lesion being considered.

A named condition that reads no ``lesion.`` field and no lesion score (``any_lesion`` and
``count_lesions`` range over every lesion themselves) has the same truth, facts and needs for
every lesion, so the reference memo keeps one result for the case instead of one per lesion.
Condition kinds not listed here count as reading the lesion (the safe side).
"""

from __future__ import annotations

from typing import Any

from spinemets.rules import models as m

__all__ = ["lesion_bound"]

#: Kinds that never read the lesion being considered.
_CASE_ONLY = (
    m.RadiosensitivityCond,
    m.SurvivalCond,
    m.LadderCond,
    m.ParamCond,
    m.AnyLesionCond,
    m.CountLesionsCond,
)

#: Per rule set (held, so its id cannot be reused while cached).
_CACHE: dict[int, tuple[m.RuleSet, frozenset[str]]] = {}


def lesion_bound(rules: m.RuleSet) -> frozenset[str]:
    """The names of the rule set's named conditions whose result depends on the lesion."""
    held = _CACHE.get(id(rules))
    if held is not None and held[0] is rules:
        return held[1]
    memo: dict[str, bool] = {}

    def named(name: str) -> bool:
        if name not in memo:
            memo[name] = True  # the loader refuses cycles; this only guards the recursion
            memo[name] = reads_lesion(rules.conditions[name].when)
        return memo[name]

    def reads_lesion(cond: Any) -> bool:
        if isinstance(cond, m.AllCond):
            return any(reads_lesion(c) for c in cond.all)
        if isinstance(cond, m.AnyCond):
            return any(reads_lesion(c) for c in cond.any)
        if isinstance(cond, m.NotCond):
            return reads_lesion(cond.not_)
        if isinstance(cond, m.RefCond):
            return named(cond.ref)
        if isinstance(cond, m.FieldCond):
            return cond.field.path.startswith(m.LESION_PREFIX)
        if isinstance(cond, m.ScoreCond):
            return m.KNOWN_SCORE_IDS.get(cond.score.id) != "case"
        return not isinstance(cond, _CASE_ONLY)

    bound = frozenset(name for name in rules.conditions if named(name))
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[id(rules)] = (rules, bound)
    return bound
