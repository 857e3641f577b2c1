"""``all: [c, ...]``, ``any: [c, ...]``, ``not: c`` — Kleene three-valued logic.

``all`` is false as soon as one part is false (whatever the others are), ``any`` true as soon
as one part is true; only otherwise does an unknown part make the whole unknown.
"""

from typing import TYPE_CHECKING, Any

from pydantic import Field

from spinemets.rules import conditions
from spinemets.rules.base import Checker, Scope, YPath, _Model
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth, all_of, any_of, negate

if TYPE_CHECKING:
    from spinemets.rules.conditions import Condition


class AllCond(_Model):
    all: "list[Condition]"


class AnyCond(_Model):
    any: "list[Condition]" = Field(min_length=1)


class NotCond(_Model):
    not_: "Condition" = Field(alias="not")


def check_all(
    cond: AllCond, checker: Checker, f: Any, path: YPath, scope: Scope | None, refs: tuple[str, ...]
) -> None:
    for i, sub in enumerate(cond.all):
        checker.check(sub, f, (*path, "all", i), scope, refs)


def check_any(
    cond: AnyCond, checker: Checker, f: Any, path: YPath, scope: Scope | None, refs: tuple[str, ...]
) -> None:
    for i, sub in enumerate(cond.any):
        checker.check(sub, f, (*path, "any", i), scope, refs)


def check_not(
    cond: NotCond, checker: Checker, f: Any, path: YPath, scope: Scope | None, refs: tuple[str, ...]
) -> None:
    checker.check(cond.not_, f, (*path, "not"), scope, refs)


def evaluate_all(cond: AllCond, ctx: Context, lesion: int | None) -> Truth:
    handlers = conditions.REGISTRY
    return all_of([handlers[type(c)](c, ctx, lesion) for c in cond.all])


def evaluate_any(cond: AnyCond, ctx: Context, lesion: int | None) -> Truth:
    handlers = conditions.REGISTRY
    return any_of([handlers[type(c)](c, ctx, lesion) for c in cond.any])


def evaluate_not(cond: NotCond, ctx: Context, lesion: int | None) -> Truth:
    part = cond.not_
    return negate(conditions.REGISTRY[type(part)](part, ctx, lesion))
