"""``ref: name`` — a named condition of ``conditions.yaml``, evaluated once per lesion when
it reads the lesion (:mod:`spinemets.rules.dependence`), else once per case.

The memo makes a diamond of references cost one evaluation per named condition; the loader
refuses cycles and chains deeper than its limit.
"""

from pydantic import StrictStr

from spinemets.rules import conditions
from spinemets.rules.base import _Model
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth


class RefCond(_Model):
    ref: StrictStr


def evaluate(cond: RefCond, ctx: Context, lesion: int | None) -> Truth:
    key = (cond.ref, lesion if lesion is None or cond.ref in ctx.lesion_bound else None)
    found = ctx.refs.get(key)
    if found is None:
        when = ctx.rules.conditions[cond.ref].when
        found = conditions.REGISTRY[type(when)](when, ctx, lesion)
        ctx.refs[key] = found
    return found
