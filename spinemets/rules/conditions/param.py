"""``param: {name, eq}`` — a site parameter (e.g. ``sbrt_available``); never unknown."""

from pydantic import StrictStr

from spinemets.rules.base import Scalar, _Model
from spinemets.rules.context import Context, shown
from spinemets.rules.truth import Truth


class ParamTest(_Model):
    name: StrictStr
    eq: Scalar


class ParamCond(_Model):
    param: ParamTest


def evaluate(cond: ParamCond, ctx: Context, lesion: int | None) -> Truth:
    value = ctx.rules.parameters[cond.param.name].value
    return Truth(value == cond.param.eq, (f"site parameter {cond.param.name} = {shown(value)}",))
