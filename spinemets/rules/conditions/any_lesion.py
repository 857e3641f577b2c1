"""``any_lesion: c`` — ``c`` holds for some lesion; unknown while no lesion is recorded.

Inside ``c``, ``lesion.<field>`` paths and the lesion scores (SINS, ESCC) read each lesion in
turn, so a case rule (triage, a case option) can use them here.
"""

from typing import TYPE_CHECKING, Any

from spinemets.assessment import Need
from spinemets.rules import conditions
from spinemets.rules.base import Checker, Scope, YPath, _Model
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth, any_of

if TYPE_CHECKING:
    from spinemets.rules.conditions import Condition


NO_LESIONS = Truth(
    None,
    ("no lesions recorded (imaging findings pending)",),
    (Need("lesions", "imaging findings (lesions)"),),
)


class AnyLesionCond(_Model):
    any_lesion: "Condition"


def check(
    cond: AnyLesionCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    checker.check(cond.any_lesion, f, (*path, "any_lesion"), "lesion", refs)


def evaluate(cond: AnyLesionCond, ctx: Context, lesion: int | None) -> Truth:
    if not ctx.case.lesions:
        return NO_LESIONS
    part = cond.any_lesion
    handler = conditions.REGISTRY[type(part)]
    return any_of([handler(part, ctx, i) for i in range(len(ctx.case.lesions))])
