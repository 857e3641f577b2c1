"""``param: {name, eq}`` — a site parameter (e.g. ``sbrt_available``); never unknown.

``name`` is one of the rule set's ``parameters`` (the loader refuses any other).
"""

from typing import Any

from pydantic import StrictStr

from spinemets.rules.base import Checker, Scalar, Scope, YPath, _Model
from spinemets.rules.context import Context, shown
from spinemets.rules.truth import Truth


class ParamTest(_Model):
    name: StrictStr
    eq: Scalar


class ParamCond(_Model):
    param: ParamTest


def check(
    cond: ParamCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    if cond.param.name not in checker.parameters:
        checker.err(
            f,
            (*path, "param", "name"),
            checker.unknown("parameter", cond.param.name, checker.parameters),
            code="unknown_param",
        )


def evaluate(cond: ParamCond, ctx: Context, lesion: int | None) -> Truth:
    value = ctx.rules.parameters[cond.param.name].value
    return Truth(value == cond.param.eq, (f"site parameter {cond.param.name} = {shown(value)}",))
