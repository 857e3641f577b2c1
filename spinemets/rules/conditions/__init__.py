"""Condition kinds, one module each: its model, its load-time check and its evaluation, with
its docstring as its documentation.

:data:`KINDS` is the one registry: condition key → the kind's model class, check and
evaluation. The condition keys and models (:data:`CONDITION_TYPES`), the tagged union a rules
file is validated with (:data:`Condition`), the checks the loader dispatches to (:data:`CHECKS`)
and the evaluation registry (:data:`REGISTRY`) are derived from it; adding a kind adds one
module and one registry line. :func:`evaluate` dispatches on the condition's model class;
composite kinds look their parts' evaluations up in :data:`REGISTRY` directly (one call per
node).
"""

import functools
import operator
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeAlias

from pydantic import BaseModel, BeforeValidator, Discriminator, Tag

from spinemets.rules.base import Checker, Scope, YPath
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

if TYPE_CHECKING:
    from spinemets.rules.context import Context
    from spinemets.rules.truth import Truth

__all__ = [
    "CHECKS",
    "CONDITION_TYPES",
    "KINDS",
    "REGISTRY",
    "TAG_PREFIX",
    "Check",
    "Condition",
    "Evaluator",
    "Kind",
    "evaluate",
]

#: A kind's load-time check: (condition, checker, file, path, scope, named conditions expanded).
Check = Callable[[Any, Checker, Any, YPath, Scope | None, tuple[str, ...]], None]
#: A kind's evaluation: (condition, context, lesion index or None for the case) → truth.
Evaluator = Callable[[Any, "Context", int | None], "Truth"]


class Kind(NamedTuple):
    """One condition kind: its model, its load-time check and its evaluation."""

    model: type[BaseModel]
    check: Check
    evaluate: Evaluator


#: Condition key → its kind, in the order the vocabulary lists them.
KINDS: dict[str, Kind] = {
    "all": Kind(logic.AllCond, logic.check_all, logic.evaluate_all),
    "any": Kind(logic.AnyCond, logic.check_any, logic.evaluate_any),
    "not": Kind(logic.NotCond, logic.check_not, logic.evaluate_not),
    "ref": Kind(ref.RefCond, ref.check, ref.evaluate),
    "score": Kind(score.ScoreCond, score.check, score.evaluate),
    "field": Kind(field.FieldCond, field.check, field.evaluate),
    "radiosensitivity": Kind(
        radiosensitivity.RadiosensitivityCond, radiosensitivity.check, radiosensitivity.evaluate
    ),
    "survival": Kind(survival.SurvivalCond, survival.check, survival.evaluate),
    "any_lesion": Kind(any_lesion.AnyLesionCond, any_lesion.check, any_lesion.evaluate),
    "ladder_step": Kind(ladder_step.LadderCond, ladder_step.check, ladder_step.evaluate),
    "param": Kind(param.ParamCond, param.check, param.evaluate),
    "count_lesions": Kind(
        count_lesions.CountLesionsCond, count_lesions.check, count_lesions.evaluate
    ),
}

#: Condition key → its model class.
CONDITION_TYPES: dict[str, type[BaseModel]] = {key: kind.model for key, kind in KINDS.items()}
#: Condition model → its load-time check (:mod:`spinemets.rules.loader`).
CHECKS: dict[type, Check] = {kind.model: kind.check for kind in KINDS.values()}
#: Condition model → its evaluation.
REGISTRY: dict[type, Evaluator] = {kind.model: kind.evaluate for kind in KINDS.values()}
#: Prefix of the union tags in pydantic error locations (the loader drops them).
TAG_PREFIX = "cond:"


def _condition_shape(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"a condition is a mapping with one key ({', '.join(CONDITION_TYPES)})")
    if len(value) != 1:
        keys = ", ".join(map(str, value)) or "none"
        raise ValueError(
            f"a condition has exactly one key ({', '.join(CONDITION_TYPES)}); found: {keys}"
        )
    key = next(iter(value))
    if key not in CONDITION_TYPES:
        import difflib

        close = difflib.get_close_matches(str(key), list(CONDITION_TYPES), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"unknown condition '{key}'{hint} (allowed: {', '.join(CONDITION_TYPES)})")
    return value


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        return TAG_PREFIX + str(next(iter(value)))
    for name, cls in CONDITION_TYPES.items():
        if isinstance(value, cls):
            return TAG_PREFIX + name
    return None


def _union() -> Any:
    """The kinds' models as one tagged union, in registry order."""
    members = [Annotated[kind.model, Tag(TAG_PREFIX + key)] for key, kind in KINDS.items()]
    return Annotated[
        functools.reduce(operator.or_, members),
        Discriminator(_condition_tag),
        BeforeValidator(_condition_shape),
    ]


if TYPE_CHECKING:
    #: Statically, a condition is one of the kinds' models.
    Condition: TypeAlias = BaseModel
else:
    Condition = _union()

# A composite kind's model names its parts "Condition" (quoted: the union holds that model);
# pydantic resolves the name in the model's module when it first builds the model.
for _kind in KINDS.values():
    vars(sys.modules[_kind.model.__module__])["Condition"] = Condition


def evaluate(cond: Any, ctx: "Context", lesion: int | None) -> "Truth":
    """Evaluate one condition for the case (``lesion`` None) or for one lesion."""
    handler = REGISTRY.get(type(cond))
    if handler is None:  # pragma: no cover - the model is closed
        raise TypeError(f"not a condition: {cond!r}")
    return handler(cond, ctx, lesion)
