"""``count_lesions: {where: c, gte: n, discrete: bool}`` — at least ``n`` lesions meet ``c``.

With ``discrete`` the count is of separate areas: lesions at adjacent or overlapping levels form
one area (Patchell 2005 excluded "multiple discrete areas of compression"; contiguous levels
were one area). True when the lesions that surely meet ``c`` reach ``n`` whichever way the
unknown ones turn out (an unknown lesion between two areas could join them); false when even
all unknown lesions meeting ``c`` could not reach ``n``; otherwise unknown, needing what the
unknown lesions need. Unknown while no lesion is recorded.

``gte`` is at least 1; ``discrete`` is false unless given. Inside ``where``, as inside
``any_lesion``, lesion paths and lesion scores read each lesion in turn.
"""

import itertools
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, StrictBool, StrictInt

from spinemets.case.levels import level_index
from spinemets.rules import conditions
from spinemets.rules.base import Checker, Scope, YPath, _Model
from spinemets.rules.conditions.any_lesion import NO_LESIONS
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth, uniq

if TYPE_CHECKING:
    from spinemets.rules.conditions import Condition


#: Beyond this many undecided lesions the bounds are not enumerated (the test stays unknown).
MAX_UNDECIDED = 10


class CountLesionsTest(_Model):
    """``count_lesions: {where, gte, discrete}``: at least ``gte`` lesions (with ``discrete``,
    separate areas: lesions at adjacent or overlapping levels count as one) meet ``where``."""

    where: "Condition"
    gte: Annotated[StrictInt, Field(ge=1)]
    discrete: StrictBool = False


class CountLesionsCond(_Model):
    count_lesions: CountLesionsTest


def _areas(spans: list[tuple[int, int]]) -> int:
    """Separate areas among level spans (adjacent or overlapping spans join)."""
    count, reach = 0, -2
    for low, high in sorted(spans):
        if low > reach + 1:
            count += 1
        reach = max(reach, high)
    return count


def check(
    cond: CountLesionsCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    where = (*path, "count_lesions", "where")
    checker.check(cond.count_lesions.where, f, where, "lesion", refs)


def evaluate(cond: CountLesionsCond, ctx: Context, lesion: int | None) -> Truth:
    test = cond.count_lesions
    lesions = ctx.case.lesions
    if not lesions:
        return NO_LESIONS
    handler = conditions.REGISTRY[type(test.where)]
    truths = [handler(test.where, ctx, i) for i in range(len(lesions))]
    spans = [(level_index(les.span.upper), level_index(les.span.lower)) for les in lesions]
    sure = [spans[i] for i, t in enumerate(truths) if t.value is True]
    maybe = [spans[i] for i, t in enumerate(truths) if t.value is None]

    def count(chosen: list[tuple[int, int]]) -> int:
        return _areas(chosen) if test.discrete else len(chosen)

    what = "separate areas" if test.discrete else "lesions"
    facts = uniq(
        [f"{count(sure)} {what} known to qualify"]
        + [f for t in truths if t.value is not False for f in t.facts]
    )
    if not maybe:
        return Truth(count(sure) >= test.gte, facts)
    if len(maybe) > MAX_UNDECIDED:
        return Truth(None, facts, uniq(n for t in truths if t.value is None for n in t.needs))
    counts = [
        count(sure + list(extra))
        for k in range(len(maybe) + 1)
        for extra in itertools.combinations(maybe, k)
    ]
    if min(counts) >= test.gte:
        return Truth(True, facts)
    if max(counts) < test.gte:
        return Truth(False, facts)
    return Truth(None, facts, uniq(n for t in truths if t.value is None for n in t.needs))
