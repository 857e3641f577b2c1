"""``ladder_step: {eq | gte | lte}`` — the analgesic ladder step the rules suggest.

Exactly one test, a step from 0 to 3 (the ``pain_bands`` table and the current step decide the
suggestion, :mod:`spinemets.rules.ladder`); unknown while that step cannot be suggested.
"""

from typing import Annotated, Any, Self

from pydantic import Field, StrictInt, model_validator

from spinemets.rules.base import Checker, Scope, YPath, _exactly_one, _Model
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth


class LadderTest(_Model):
    eq: Annotated[StrictInt, Field(ge=0, le=3)] | None = None
    gte: Annotated[StrictInt, Field(ge=0, le=3)] | None = None
    lte: Annotated[StrictInt, Field(ge=0, le=3)] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        _exactly_one(self, ("eq", "gte", "lte"), "ladder_step")
        return self


class LadderCond(_Model):
    ladder_step: LadderTest


def check(
    cond: LadderCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    """Fully checked by the model."""


def evaluate(cond: LadderCond, ctx: Context, lesion: int | None) -> Truth:
    ladder = ctx.ladder
    if ladder.step is None:
        return Truth(None, (), ladder.needs)
    test = cond.ladder_step
    if test.eq is not None:
        ok = ladder.step == test.eq
    elif test.gte is not None:
        ok = ladder.step >= test.gte
    else:
        assert test.lte is not None
        ok = ladder.step <= test.lte
    return Truth(ok, (f"suggested ladder step = {ladder.step}",))
