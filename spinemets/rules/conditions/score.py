"""``score: {id, category | category_in | total_gte | total_lte | grade_in}`` — a score's result.

Lesion scores (SINS, ESCC) read the lesion being considered. A partial score decides a test
when every value its range allows gives the same answer (SINS 13-15 is ``total_gte: 13``
whatever is missing); otherwise the test is unknown and needs the score's missing inputs.

The loader refuses an unknown score id, a category or grade the score cannot report, a
``total_gte``/``total_lte`` on the grade-type scores (ESCC, neurology) and a lesion score in a
case rule outside ``any_lesion`` and ``count_lesions``; a threshold is a number or
``{param: name}`` naming a numeric parameter.
"""

from typing import Any, Literal, Self

from pydantic import Field, StrictStr, model_validator

from spinemets.assessment import Need
from spinemets.rules.base import (
    Checker,
    Scope,
    Threshold,
    YPath,
    _exactly_one,
    _Model,
    check_threshold,
)
from spinemets.rules.context import Context, ScoreRead, score_value
from spinemets.rules.truth import Truth
from spinemets.scorers.base import ScoreResult

__all__ = [
    "GRADE_SCORE_CATEGORIES",
    "KNOWN_SCORE_IDS",
    "SCORE_GRADES",
    "ScoreCond",
    "ScoreTest",
    "check",
    "check_category",
    "evaluate",
    "possible_categories",
    "score_categories",
]

#: Score ids rules may name, with their scope (a test keeps this equal to the scorer registry).
KNOWN_SCORE_IDS: dict[str, Literal["case", "lesion"]] = {
    "sins": "lesion",
    "escc": "lesion",
    "neurology": "case",
    "performance": "case",
    "tokuhashi_revised": "case",
    "tomita": "case",
    "modified_bauer": "case",
    "nesms": "case",
}

#: Categories of the grade-type scores, which have no numeric bands.
GRADE_SCORE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "escc": ("low_grade", "high_grade"),
    "neurology": ("complete", "incomplete", "none"),
}
#: Grades of the grade-type scores.
SCORE_GRADES: dict[str, tuple[str, ...]] = {
    "escc": ("0", "1a", "1b", "1c", "2", "3"),
    "neurology": ("A", "B", "C", "D", "E"),
}


class ScoreTest(_Model):
    """``score: {id, <one test>}``."""

    id: StrictStr
    category: StrictStr | None = None
    category_in: list[StrictStr] | None = Field(None, min_length=1)
    total_gte: Threshold | None = None
    total_lte: Threshold | None = None
    grade_in: list[StrictStr] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        _exactly_one(
            self, ("category", "category_in", "total_gte", "total_lte", "grade_in"), "score"
        )
        return self


class ScoreCond(_Model):
    score: ScoreTest


def score_categories(score_id: str) -> tuple[str, ...]:
    """Every category a score can report (bands of the registered scorer, or grade groups)."""
    if score_id in GRADE_SCORE_CATEGORIES:
        return GRADE_SCORE_CATEGORIES[score_id]
    from spinemets.scorers import REGISTRY

    scorer = REGISTRY.get(score_id)
    return tuple(b.category for b in scorer.bands) if scorer is not None else ()


def check_category(
    checker: Checker, f: Any, id_path: YPath, value_path: YPath, score_id: str, values: list[str]
) -> bool:
    """A known score id, and categories it can report; false when the id is unknown."""
    if score_id not in KNOWN_SCORE_IDS:
        checker.err(
            f,
            id_path,
            checker.unknown("score id", score_id, KNOWN_SCORE_IDS),
            code="unknown_score",
        )
        return False
    allowed = score_categories(score_id)
    for v in values:
        if allowed and v not in allowed:
            checker.err(f, value_path, checker.unknown(f"{score_id} category", v, allowed))
    return True


def check(
    cond: ScoreCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    test = cond.score
    path = (*path, "score")
    values = [test.category] if test.category is not None else list(test.category_in or [])
    which = "category" if test.category is not None else "category_in"
    if not check_category(checker, f, (*path, "id"), (*path, which), test.id, values):
        return
    if KNOWN_SCORE_IDS[test.id] == "lesion" and scope == "case":
        checker.err(
            f,
            (*path, "id"),
            f"'{test.id}' is scored per lesion; "
            "use it in a lesion option rule or inside any_lesion",
            code="scope",
        )
    if test.grade_in is not None:
        grades = SCORE_GRADES.get(test.id)
        if grades is None:
            checker.err(
                f,
                (*path, "grade_in"),
                f"score '{test.id}' has no grade; grade_in applies to {', '.join(SCORE_GRADES)}",
            )
        else:
            for g in test.grade_in:
                if g not in grades:
                    checker.err(
                        f, (*path, "grade_in"), checker.unknown(f"{test.id} grade", g, grades)
                    )
    for name in ("total_gte", "total_lte"):
        value = getattr(test, name)
        if value is None:
            continue
        if test.id in GRADE_SCORE_CATEGORIES:
            checker.err(f, (*path, name), f"score '{test.id}' has no numeric total")
        check_threshold(checker, value, f, (*path, name))


def _read(score_id: str, ctx: Context, lesion: int | None) -> ScoreRead:
    """What the tests of one score read, built once per evaluation (and lesion)."""
    lesion_scoped = KNOWN_SCORE_IDS[score_id] == "lesion"
    key = (score_id, lesion if lesion_scoped else None)
    found = ctx.score_reads.get(key)
    if found is not None:
        return found
    if lesion_scoped:
        assert lesion is not None, "lesion score outside a lesion (the loader rejects this)"
        held = ctx.lesions.get(lesion)
        result = held.scores.get(score_id) if held is not None else None
        name = f"{score_id} at {ctx.level(lesion)}"
    else:
        result = ctx.scores.get(score_id)
        name = score_id
    if result is None:
        found = (None, (), (Need(None, f"{name} (score not computed)"),), None)
    else:
        found = (
            result,
            (f"{name} = {score_value(result)}",),
            tuple(ctx.need(p) for p in result.missing) or (Need(None, f"{name} inputs"),),
            possible_categories(result),
        )
    ctx.score_reads[key] = found
    return found


def evaluate(cond: ScoreCond, ctx: Context, lesion: int | None) -> Truth:
    test = cond.score
    result, fact, needs, possible = _read(test.id, ctx, lesion)
    if result is None:
        return Truth(None, fact, needs)
    if test.grade_in is not None:
        if result.grade is None:
            return Truth(None, fact, needs)
        return Truth(result.grade in test.grade_in, fact)
    if test.category is not None or test.category_in is not None:
        wanted = {test.category} if test.category is not None else set(test.category_in or ())
        if possible is None:
            return Truth(None, fact, needs)
        if possible <= wanted:
            return Truth(True, fact)
        if not possible & wanted:
            return Truth(False, fact)
        return Truth(None, fact, needs)
    if result.range is None:
        return Truth(None, fact, needs)
    low, high = result.range
    verdict: bool | None
    if test.total_gte is not None:
        threshold = float(ctx.param(test.total_gte))
        verdict = True if low >= threshold else False if high < threshold else None
    else:
        threshold = float(ctx.param(test.total_lte))
        verdict = True if high <= threshold else False if low > threshold else None
    return Truth(verdict, fact, () if verdict is not None else needs)


def possible_categories(result: ScoreResult) -> set[str] | None:
    """The categories a (possibly partial) score could be in; None when nothing is known."""
    if result.category is not None:
        return {result.category}
    if result.range is None:
        return None
    from spinemets.scorers import REGISTRY

    scorer = REGISTRY.get(result.id)
    if scorer is None or not scorer.bands:
        return None
    low, high = result.range
    return {b.category for b in scorer.bands if b.low <= high and b.high >= low}
