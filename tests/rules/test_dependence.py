"""Named conditions that do not read the lesion have one result per case (the reference memo
shares it across lesions): proved here by evaluating each one afresh for every lesion."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from strategies import case_dicts, to_yaml

from spinemets.case.loader import load_case_bytes
from spinemets.errors import CaseError
from spinemets.rules import conditions
from spinemets.rules.context import Context
from spinemets.rules.dependence import lesion_bound
from spinemets.rules.loader import load_rules

from .helpers import score

RULES = load_rules(None)
BOUND = lesion_bound(RULES)


def test_lesion_reading_conditions_are_bound_and_case_conditions_are_not() -> None:
    assert {"high_grade_escc", "below_conus", "operated_level", "instrumented"} <= BOUND
    assert not {"surgery_declined", "neuro_symptoms", "limited_intensity"} & BOUND
    assert set(RULES.conditions) >= BOUND


@settings(max_examples=150, deadline=None)
@given(case_dicts())
def test_a_case_level_condition_is_the_same_for_every_lesion(data: dict[str, Any]) -> None:
    try:
        case = load_case_bytes(to_yaml(data).encode("utf-8"), "<generated>").case
    except CaseError:
        return
    lesions, scores = score(case)
    by_index = {ls.index: ls for ls in lesions}

    def fresh(name: str, lesion: int | None) -> tuple[Any, ...]:
        when = RULES.conditions[name].when
        truth = conditions.evaluate(when, Context(RULES, case, by_index, scores), lesion)
        return truth.value, truth.facts, truth.needs

    for name in RULES.conditions:
        if name in BOUND:
            continue
        whole = fresh(name, None)
        for index in range(len(case.lesions)):
            assert fresh(name, index) == whole, (name, index)
