"""``ladder_step: {eq | gte | lte}`` — the analgesic ladder step the rules suggest."""

from __future__ import annotations

from spinemets.rules.context import Context
from spinemets.rules.models import LadderCond
from spinemets.rules.truth import Truth


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
