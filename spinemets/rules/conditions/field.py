"""``field: {path, eq | in | gte | lte | known}`` — one case field.

``lesion.<field>`` names a field of the lesion being considered. A field that is not recorded
makes the test unknown (needing that field), except ``known``, which is never unknown.
"""

from typing import Any, Self

from pydantic import Field, StrictBool, StrictStr, model_validator

from spinemets.rules.base import Scalar, Threshold, _exactly_one, _Model
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth


class FieldTest(_Model):
    """``field: {path, <one test>}``."""

    path: StrictStr
    eq: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in", min_length=1)
    gte: Threshold | None = None
    lte: Threshold | None = None
    known: StrictBool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        _exactly_one(self, ("eq", "in_", "gte", "lte", "known"), "field")
        return self


class FieldCond(_Model):
    field: FieldTest


def evaluate(cond: FieldCond, ctx: Context, lesion: int | None) -> Truth:
    test = cond.field
    present, value, fact, needs = ctx.fact(test.path, lesion)
    if test.known is not None:
        return Truth(present == test.known, fact)
    if not present:
        return Truth(None, (), needs)
    if test.eq is not None:
        return Truth(_same(value, test.eq), fact)
    if test.in_ is not None:
        return Truth(any(_same(value, v) for v in test.in_), fact)
    if test.gte is not None:
        return Truth(float(value) >= float(ctx.param(test.gte)), fact)
    assert test.lte is not None
    return Truth(float(value) <= float(ctx.param(test.lte)), fact)


def _same(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return isinstance(value, bool) and isinstance(expected, bool) and value is expected
    return bool(value == expected)
