"""Every SINS input combination, unknowns included, against an independent formulation.

Six items with their options plus ``unknown``: location 4 classes + unknown (5), pain 3 + 1,
bone lesion 3 + 1, alignment 3 + 1, collapse 4 + 1, posterolateral 3 + 1 → 5*4*4*4*5*4 = 6400
combinations, checked twice: location from a representative level, and location from
``location_class``; then every other-item combination with spans holding T13, L6 or the coccyx
(alone or next to classified levels). The reference below is written from clinical-reference
§1.2-1.3, as lists of (option, points) per item, and brute-forces every completion of the
unknowns.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from spinemets.case.models import Case
from spinemets.scorers import sins

U = "unknown"

# (option, points) per item, from the published table.
REFERENCE: dict[str, list[tuple[str, int]]] = {
    "location": [("junctional", 3), ("mobile", 2), ("semi_rigid", 1), ("rigid", 0)],
    "pain": [("mechanical", 3), ("occasional", 1), ("none", 0)],
    "bone_lesion": [("lytic", 2), ("mixed", 1), ("blastic", 0)],
    "alignment": [("subluxation", 4), ("deformity", 2), ("normal", 0)],
    "collapse": [("gt50", 3), ("lt50", 2), ("involvement_gt50", 1), ("none", 0)],
    "posterolateral": [("bilateral", 3), ("unilateral", 1), ("none", 0)],
}

# A level whose location class is the key (Fisher 2010 level lists); coccyx has none.
LEVEL_FOR_CLASS = {
    "junctional": "C7",
    "mobile": "C4",
    "semi_rigid": "T8",
    "rigid": "S4",
    U: "coccyx",
}
# With location_class: T13 (transitional) has no class of its own, so unknown stays unknown.
CLASS_MODE_LEVEL = "T13"

# Category as a list of (lowest total, name), highest first.
THRESHOLDS = [(13, "unstable"), (7, "potentially_unstable"), (0, "stable")]


def reference_category(total: int) -> str:
    for low, name in THRESHOLDS:
        if total >= low:
            return name
    raise AssertionError(total)


def reference(
    choice: dict[str, str], location: list[int] | None = None
) -> tuple[str, int | None, tuple[int, int], str | None, set[str]]:
    """(status, total, range, category, unknown items) by enumerating every completion.

    ``location``, when given, is the set of points the location item could take (spans with
    an unclassified level); ``choice["location"]`` is then ignored."""
    options_per_item = []
    unknown = set()
    for item, options in REFERENCE.items():
        if item == "location" and location is not None:
            if len(location) > 1:
                unknown.add(item)
            options_per_item.append(location)
        elif choice[item] == U:
            unknown.add(item)
            options_per_item.append([pts for _, pts in options])
        else:
            options_per_item.append([dict(options)[choice[item]]])
    totals = {sum(combo) for combo in itertools.product(*options_per_item)}
    low, high = min(totals), max(totals)
    cats = {reference_category(t) for t in totals}
    category = next(iter(cats)) if len(cats) == 1 else None
    if unknown:
        return "partial", None, (low, high), category, unknown
    return "complete", low, (low, low), category, unknown


def all_choices() -> list[dict[str, str]]:
    names = list(REFERENCE)
    values = [[opt for opt, _ in REFERENCE[item]] + [U] for item in names]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*values)]


def lesion_for(choice: dict[str, str], mode: str) -> dict[str, Any]:
    lesion: dict[str, Any] = {k: v for k, v in choice.items() if k != "location"}
    if mode == "level":
        lesion["level"] = LEVEL_FOR_CLASS[choice["location"]]
    else:
        lesion["level"] = CLASS_MODE_LEVEL
        lesion["location_class"] = choice["location"]
    return lesion


@pytest.mark.parametrize("mode", ["level", "location_class"])
def test_every_combination(mode: str) -> None:
    choices = all_choices()
    assert len(choices) == 5 * 4 * 4 * 4 * 5 * 4 == 6400
    # One case holding all 6400 lesions: one validation, then score each lesion.
    case = Case.model_validate(
        {
            "schema_version": 1,
            "case_id": "exhaustive",
            "lesions": [lesion_for(c, mode) for c in choices],
        }
    )
    checked = 0
    for index, choice in enumerate(choices):
        status, total, rng, category, unknown = reference(choice)
        result = sins.compute(case, index)
        assert (result.status, result.total, result.range, result.category) == (
            status,
            total,
            rng,
            category,
        ), choice
        missing_items = {path.split(".")[-1] for path in result.missing}
        expected_missing = {"location_class" if i == "location" else i for i in unknown}
        assert missing_items == expected_missing, choice
        if total is not None:
            assert sum(c.points or 0 for c in result.components) == total
        checked += 1
    print(f"\nSINS exhaustive ({mode}): {checked} combinations checked")
    assert checked == 6400


# Spans holding T13, L6 or the coccyx, with the classes of their other levels (Fisher 2010
# lists). The span takes its highest class, so each completion of the unclassified level gives
# max(best known points, p) for p in 0..3; with no classified level, location is fully unknown.
SPAN_KNOWN_CLASSES: dict[str, list[str]] = {
    "T12-T13": ["junctional"],
    "T10-T13": ["semi_rigid", "junctional"],
    "L5-L6": ["junctional"],
    "S5-coccyx": ["rigid"],
    "T13": [],
    "L6": [],
    "coccyx": [],
}


def span_location_points(span: str) -> list[int]:
    points = dict(REFERENCE["location"])
    every = sorted(points.values())
    known = [points[c] for c in SPAN_KNOWN_CLASSES[span]]
    if not known:
        return every
    return sorted({max([*known, p]) for p in every})


def test_every_combination_with_unclassified_levels_in_the_span() -> None:
    others = [c for c in all_choices() if c["location"] == "junctional"]  # location ignored
    assert len(others) == 4 * 4 * 4 * 5 * 4
    pairs = [(span, c) for span in SPAN_KNOWN_CLASSES for c in others]
    lesions = []
    for span, choice in pairs:
        lesion: dict[str, Any] = {k: v for k, v in choice.items() if k != "location"}
        lesion["level"] = span
        lesions.append(lesion)
    case = Case.model_validate({"schema_version": 1, "case_id": "exhaustive", "lesions": lesions})
    for index, (span, choice) in enumerate(pairs):
        status, total, rng, category, unknown = reference(choice, span_location_points(span))
        result = sins.compute(case, index)
        got = (result.status, result.total, result.range, result.category)
        assert got == (status, total, rng, category), (span, choice)
        missing_items = {path.split(".")[-1] for path in result.missing}
        expected_missing = {"location_class" if i == "location" else i for i in unknown}
        assert missing_items == expected_missing, (span, choice)
    assert len(pairs) == 7 * 1280
