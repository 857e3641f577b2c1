"""SINS (Fisher 2010, Spine 35(22):E1221) against clinical-reference §1.2-1.3.

Expected points and location classes are written out here from the published table, not read
from the module under test.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.case.models import Case
from spinemets.scorers import REGISTRY, sins

# --- the published table, written out by hand (clinical-reference §1.2) ----------------------

PAIN = {"mechanical": 3, "occasional": 1, "none": 0}
BONE = {"lytic": 2, "mixed": 1, "blastic": 0}
ALIGN = {"subluxation": 4, "deformity": 2, "normal": 0}
COLLAPSE = {"gt50": 3, "lt50": 2, "involvement_gt50": 1, "none": 0}
POSTEROLATERAL = {"bilateral": 3, "unilateral": 1, "none": 0}
CLASS_POINTS = {"junctional": 3, "mobile": 2, "semi_rigid": 1, "rigid": 0}

ITEMS: dict[str, dict[str, int]] = {
    "pain": PAIN,
    "bone_lesion": BONE,
    "alignment": ALIGN,
    "collapse": COLLAPSE,
    "posterolateral": POSTEROLATERAL,
}

# Per-vertebra location class, one line per level (clinical-reference §1.2 lookup table).
LEVEL_CLASS = {
    "occiput": "junctional",
    "C1": "junctional",
    "C2": "junctional",
    "C3": "mobile",
    "C4": "mobile",
    "C5": "mobile",
    "C6": "mobile",
    "C7": "junctional",
    "T1": "junctional",
    "T2": "junctional",
    "T3": "semi_rigid",
    "T4": "semi_rigid",
    "T5": "semi_rigid",
    "T6": "semi_rigid",
    "T7": "semi_rigid",
    "T8": "semi_rigid",
    "T9": "semi_rigid",
    "T10": "semi_rigid",
    "T11": "junctional",
    "T12": "junctional",
    "L1": "junctional",
    "L2": "mobile",
    "L3": "mobile",
    "L4": "mobile",
    "L5": "junctional",
    "S1": "junctional",
    "S2": "rigid",
    "S3": "rigid",
    "S4": "rigid",
    "S5": "rigid",
}


def band(total: int) -> str:
    if 0 <= total <= 6:
        return "stable"
    if 7 <= total <= 12:
        return "potentially_unstable"
    assert 13 <= total <= 18
    return "unstable"


def case_with(**lesion: Any) -> Case:
    return Case.model_validate({"schema_version": 1, "case_id": "t", "lesions": [dict(lesion)]})


def full(level: str = "T5", **over: str) -> dict[str, str]:
    """A fully known lesion with every item at 0 points unless overridden."""
    base = {
        "level": level,
        "pain": "none",
        "bone_lesion": "blastic",
        "alignment": "normal",
        "collapse": "none",
        "posterolateral": "none",
    }
    base.update(over)
    return base


def score(**lesion: Any) -> Any:
    return sins.compute(case_with(**lesion), 0)


# --- every point of every item ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "value", "points"),
    [(item, value, pts) for item, table in ITEMS.items() for value, pts in table.items()],
)
def test_every_item_point(item: str, value: str, points: int) -> None:
    # S3 is rigid (0 points) and every other item is at 0: the total is the item's points.
    result = score(**full("S3", **{item: value}))
    assert result.status == "complete"
    assert result.total == points
    comp = {c.name: c for c in result.components}[item]
    assert comp.points == points
    assert comp.value == value


def test_pain_row_is_not_the_misprinted_one() -> None:
    # clinical-reference §1.3 warns of a misprint "No = 2, pain-free = 1"; correct is 3/1/0.
    assert score(**full("S3", pain="mechanical")).total == 3
    assert score(**full("S3", pain="occasional")).total == 1
    assert score(**full("S3", pain="none")).total == 0


# --- location lookup, every level -------------------------------------------------------------


@pytest.mark.parametrize(("level", "cls"), sorted(LEVEL_CLASS.items()))
def test_every_level_location(level: str, cls: str) -> None:
    result = score(**full(level))
    loc = result.components[0]
    assert loc.name == "location"
    assert loc.points == CLASS_POINTS[cls]
    assert result.total == CLASS_POINTS[cls]
    assert result.status == "complete"


def test_location_lookup_covers_thirty_levels() -> None:
    assert len(LEVEL_CLASS) == 1 + 7 + 12 + 5 + 5


@pytest.mark.parametrize("level", ["coccyx", "T13", "L6"])
def test_undefined_levels_leave_location_unknown(level: str) -> None:
    result = score(**full(level))
    assert result.status == "partial"
    assert result.total is None
    assert result.range == (0, 3)
    assert result.components[0].points is None
    assert "lesions[0].location_class" in result.missing
    assert any("location_class" in n for n in result.notes)


@pytest.mark.parametrize("level", ["coccyx", "T13", "L6"])
@pytest.mark.parametrize("cls", sorted(CLASS_POINTS))
def test_location_class_completes_undefined_levels(level: str, cls: str) -> None:
    result = score(**full(level), location_class=cls)
    assert result.status == "complete"
    assert result.total == CLASS_POINTS[cls]


def test_location_class_overrides_level_lookup() -> None:
    # T5 would be semi-rigid (1); the clinician's class wins.
    assert score(**full("T5"), location_class="rigid").total == 0
    assert score(**full("T5"), location_class="junctional").total == 3


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("C2-C3", "junctional"),  # junctional + mobile
        ("C6-C7", "junctional"),  # mobile + junctional
        ("T2-T3", "junctional"),  # junctional + semi-rigid
        ("T10-T11", "junctional"),  # semi-rigid + junctional
        ("L1-L2", "junctional"),  # junctional + mobile
        ("L4-L5", "junctional"),  # mobile + junctional
        ("S1-S2", "junctional"),  # junctional + rigid
        ("C5-T5", "junctional"),  # mobile + junctional + semi-rigid
        ("T9-T10", "semi_rigid"),  # one class only
        ("S2-S5", "rigid"),
        ("L2-L4", "mobile"),
    ],
)
def test_ranges_take_the_higher_class(span: str, expected: str) -> None:
    result = score(**full(span))
    assert result.total == CLASS_POINTS[expected]
    levels_classes = {LEVEL_CLASS[lv] for lv in LEVEL_CLASS if lv in _levels_of(span)}
    spans_classes = len(levels_classes) > 1
    assert any("spans location classes" in n for n in result.notes) is spans_classes


def test_range_reaching_coccyx_leaves_location_unknown() -> None:
    result = score(**full("S4-coccyx"))
    assert result.status == "partial"
    assert result.components[0].points is None
    # S4 is rigid (0): the span is at least rigid, which still allows 0-3
    assert result.components[0].possible == (0, 1, 2, 3)
    assert result.missing == ("lesions[0].location_class",)


# Spans joining T13, L6 or the coccyx to classified levels: location is the higher-scoring
# class over the span, so at least the best known class (Fisher 2010 level lists; v1 rule).
# span → possible location points, written out by hand.
MIXED_SPANS = {
    "T12-T13": (3,),  # T12 junctional 3: nothing can be higher
    "T11-T13": (3,),
    "T10-T13": (3,),  # T10 semi-rigid 1, T11-T12 junctional 3
    "T13-L1": (3,),  # L1 junctional
    "L5-L6": (3,),  # L5 junctional
    "L6-S1": (3,),  # S1 junctional
    "S5-coccyx": (0, 1, 2, 3),  # S5 rigid 0
    "S2-coccyx": (0, 1, 2, 3),
    "S1-coccyx": (3,),  # S1 junctional
}


@pytest.mark.parametrize(("span", "possible"), sorted(MIXED_SPANS.items()))
def test_span_with_an_undefined_level_is_at_least_the_best_known_class(
    span: str, possible: tuple[int, ...]
) -> None:
    result = score(**full(span))  # every other item 0
    location = result.components[0]
    assert location.possible == possible
    assert result.range == (min(possible), max(possible))
    if len(possible) == 1:
        assert result.status == "complete" and result.total == possible[0]
        assert location.value is not None and location.value.startswith("junctional")
        assert result.missing == ()
        assert any("no SINS location class" in n and "junctional" in n for n in result.notes)
    else:
        assert result.status == "partial" and result.missing == ("lesions[0].location_class",)


def test_t12_t13_worked_example() -> None:
    """T12-T13 with mechanical pain 3, lytic 2, normal alignment 0, <50% collapse 2, unilateral
    posterolateral 1: junctional 3 → 11, potentially unstable (clinical-reference §1.2-1.3)."""
    result = score(
        **full(
            "T12-T13",
            pain="mechanical",
            bone_lesion="lytic",
            collapse="lt50",
            posterolateral="unilateral",
        )
    )
    assert (result.total, result.category) == (11, "potentially_unstable")


def test_location_class_still_wins_over_a_mixed_span() -> None:
    assert score(**full("T12-T13"), location_class="semi_rigid").total == 1


def _levels_of(span: str) -> list[str]:
    order = list(LEVEL_CLASS)
    upper, lower = span.split("-")
    return order[order.index(upper) : order.index(lower) + 1]


# --- bands -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lesion", "total", "category"),
    [
        (full("S3"), 0, "stable"),
        (full("T5", pain="mechanical", bone_lesion="lytic"), 6, "stable"),
        (
            full("T5", pain="mechanical", bone_lesion="lytic", posterolateral="unilateral"),
            7,
            "potentially_unstable",
        ),
        (
            full("T12", pain="mechanical", bone_lesion="lytic", alignment="subluxation"),
            12,
            "potentially_unstable",
        ),
        (
            full(
                "T12",
                pain="mechanical",
                bone_lesion="lytic",
                alignment="subluxation",
                posterolateral="unilateral",
            ),
            13,
            "unstable",
        ),
        (
            full(
                "T12",
                pain="mechanical",
                bone_lesion="lytic",
                alignment="subluxation",
                collapse="gt50",
                posterolateral="bilateral",
            ),
            18,
            "unstable",
        ),
    ],
)
def test_band_boundaries(lesion: dict[str, str], total: int, category: str) -> None:
    result = score(**lesion)
    assert result.total == total
    assert result.range == (total, total)
    assert result.category == category


def test_surgical_consultation_threshold_is_seven() -> None:
    assert sins.SURGICAL_CONSULTATION_THRESHOLD == 7
    assert [b.low for b in sins.BANDS] == [0, 7, 13]
    assert [b.high for b in sins.BANDS] == [6, 12, 18]


def test_worked_example_from_module_docstring() -> None:
    # sins.py docstring: T12 3, mechanical 3, lytic 2, normal 0, <50% collapse 2, unilateral 1 = 11.
    result = score(
        level="T12",
        pain="mechanical",
        bone_lesion="lytic",
        alignment="normal",
        collapse="lt50",
        posterolateral="unilateral",
    )
    assert result.total == 11
    assert result.category == "potentially_unstable"
    assert result.to_dict()["range"] == [11, 11]


def test_partial_with_category_when_range_in_one_band() -> None:
    # Only bone lesion unknown: 3+3+0+4+3+3 = 16, range 16..18, entirely "unstable".
    result = score(
        level="T12",
        pain="mechanical",
        alignment="subluxation",
        collapse="gt50",
        posterolateral="bilateral",
    )
    assert result.status == "partial"
    assert result.range == (16, 18)
    assert result.category == "unstable"
    assert result.missing == ("lesions[0].bone_lesion",)


def test_all_unknown_spans_whole_scale() -> None:
    result = score(level="coccyx")
    assert result.status == "partial"
    assert result.range == (0, 18)
    assert result.category is None
    assert len(result.missing) == 6


def test_registered() -> None:
    assert REGISTRY["sins"] is sins.SCORER
    assert sins.SCORER.scope == "lesion"
    assert sins.SCORER.direction == "higher_worse"


# --- properties --------------------------------------------------------------------------------

UNKNOWN = "unknown"
LOCATION_CHOICES = {"T12": 3, "L3": 2, "T6": 1, "S3": 0}  # one representative level per class


def _completions(choice: dict[str, str]) -> list[int]:
    """Every total reachable by filling in the unknown items (brute force)."""
    per_item: list[list[int]] = []
    loc = choice["level"]
    per_item.append(list(CLASS_POINTS.values()) if loc == "coccyx" else [LOCATION_CHOICES[loc]])
    for item, table in ITEMS.items():
        value = choice[item]
        per_item.append(list(table.values()) if value == UNKNOWN else [table[value]])
    return [sum(combo) for combo in itertools.product(*per_item)]


lesion_choice = st.fixed_dictionaries(
    {
        "level": st.sampled_from([*LOCATION_CHOICES, "coccyx"]),
        **{item: st.sampled_from([*table, UNKNOWN]) for item, table in ITEMS.items()},
    }
)


@settings(max_examples=300, deadline=None)
@given(lesion_choice)
def test_partial_range_is_min_max_over_completions(choice: dict[str, str]) -> None:
    totals = _completions(choice)
    result = score(**choice)
    assert result.range == (min(totals), max(totals))
    has_unknown = choice["level"] == "coccyx" or UNKNOWN in choice.values()
    assert result.status == ("partial" if has_unknown else "complete")
    if not has_unknown:
        assert result.total == totals[0]
    else:
        assert result.total is None
    categories = {band(t) for t in totals}
    assert result.category == (categories.pop() if len(categories) == 1 else None)


@settings(max_examples=300, deadline=None)
@given(lesion_choice.filter(lambda c: c["level"] != "coccyx" and UNKNOWN not in c.values()))
def test_components_sum_to_total_within_scale(choice: dict[str, str]) -> None:
    result = score(**choice)
    assert result.total is not None
    assert result.total == sum(c.points or 0 for c in result.components)
    assert all(c.points is not None for c in result.components)
    assert 0 <= result.total <= 18
    assert result.category == band(result.total)


@settings(max_examples=300, deadline=None)
@given(
    lesion_choice.filter(lambda c: c["level"] != "coccyx" and UNKNOWN not in c.values()),
    st.sampled_from([*ITEMS, "level"]),
    st.data(),
)
def test_worsening_an_item_never_lowers_total(
    choice: dict[str, str], item: str, data: st.DataObject
) -> None:
    before = score(**choice).total
    assert before is not None
    table = LOCATION_CHOICES if item == "level" else ITEMS[item]
    worse = [v for v, pts in table.items() if pts > table[choice[item]]]
    if not worse:
        return  # already the worst option of this item
    after = score(**{**choice, item: data.draw(st.sampled_from(worse))}).total
    assert after is not None
    assert after > before
