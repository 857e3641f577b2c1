"""``param: {name, eq}`` — a site parameter (e.g. ``sbrt_available``); never unknown."""

from __future__ import annotations

from spinemets.rules.context import Context, shown
from spinemets.rules.models import ParamCond
from spinemets.rules.truth import Truth


def evaluate(cond: ParamCond, ctx: Context, lesion: int | None) -> Truth:
    value = ctx.rules.parameters[cond.param.name].value
    return Truth(value == cond.param.eq, (f"site parameter {cond.param.name} = {shown(value)}",))
