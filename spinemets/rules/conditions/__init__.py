"""Condition kinds, one module each: its evaluation and its docstring as its documentation.

The rules vocabulary (the models) lives in :mod:`spinemets.rules.models`; the load-time checks
in :mod:`spinemets.rules.loader`. :func:`evaluate` dispatches on the condition's model class
through the explicit registry below; adding a kind adds one module and one registry line.
Composite kinds look their parts' evaluations up in the registry directly (one call per node).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spinemets.rules import models as m
from spinemets.rules.conditions import (
    any_lesion,
    count_lesions,
    field,
    ladder_step,
    logic,
    param,
    radiosensitivity,
    ref,
    score,
    survival,
)
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth

__all__ = ["REGISTRY", "evaluate"]

Evaluator = Callable[[Any, Context, int | None], Truth]

#: Condition model → its evaluation (a test keeps this equal to the models' condition types).
REGISTRY: dict[type, Evaluator] = {
    m.AllCond: logic.evaluate_all,
    m.AnyCond: logic.evaluate_any,
    m.NotCond: logic.evaluate_not,
    m.RefCond: ref.evaluate,
    m.AnyLesionCond: any_lesion.evaluate,
    m.ScoreCond: score.evaluate,
    m.FieldCond: field.evaluate,
    m.RadiosensitivityCond: radiosensitivity.evaluate,
    m.SurvivalCond: survival.evaluate,
    m.LadderCond: ladder_step.evaluate,
    m.ParamCond: param.evaluate,
    m.CountLesionsCond: count_lesions.evaluate,
}


def evaluate(cond: Any, ctx: Context, lesion: int | None) -> Truth:
    """Evaluate one condition for the case (``lesion`` None) or for one lesion."""
    handler = REGISTRY.get(type(cond))
    if handler is None:  # pragma: no cover - the model is closed
        raise TypeError(f"not a condition: {cond!r}")
    return handler(cond, ctx, lesion)
