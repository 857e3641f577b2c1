"""``count_lesions``: separate areas, and the bounds over the unknown lesions."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from spinemets.rules.conditions.count_lesions import _areas
from spinemets.rules.engine import truth_of
from spinemets.rules.loader import load_rules
from spinemets.rules.models import Condition

from .helpers import case_from, named, score

RULES = load_rules(None)
HIGH_GRADE_AREAS = TypeAdapter(Condition).validate_python(
    {"count_lesions": {"where": {"ref": "high_grade_escc"}, "gte": 2, "discrete": True}}
)


def _truth(escc_by_level: dict[str, str | None]) -> Any:
    lesions = [
        {"level": lv, **({"escc": g} if g is not None else {})} for lv, g in escc_by_level.items()
    ]
    case = case_from({"schema_version": 1, "case_id": "COUNT", "lesions": lesions})
    lesions_scored, scores = score(case)
    return truth_of(RULES, case, lesions_scored, scores, HIGH_GRADE_AREAS)


@pytest.mark.parametrize(
    ("spans", "areas"),
    [([], 0), ([(3, 3)], 1), ([(3, 3), (4, 4)], 1), ([(3, 3), (5, 5)], 2), ([(3, 6), (5, 9)], 1)],
)
def test_adjacent_or_overlapping_levels_are_one_area(
    spans: list[tuple[int, int]], areas: int
) -> None:
    assert _areas(spans) == areas


def test_two_separate_high_grade_lesions_are_two_areas() -> None:
    assert _truth({"T4": "2", "T9": "3"}).value is True
    assert _truth({"T8": "2", "T9": "3"}).value is False  # contiguous: one area
    assert _truth({"T4": "2", "T9": "1a"}).value is False


def test_an_unknown_grade_that_could_decide_is_named() -> None:
    got = _truth({"T4": "2", "T9": None})
    assert got.value is None and named(got.needs) == ("lesions[1].escc",)


def test_an_unknown_lesion_that_could_join_two_areas_keeps_it_open() -> None:
    # T4 and T6 are separate areas unless T5 (grade unknown) is high grade and joins them
    assert _truth({"T4": "2", "T6": "2"}).value is True
    assert _truth({"T4": "2", "T5": None, "T6": "2"}).value is None
