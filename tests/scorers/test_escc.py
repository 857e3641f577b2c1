"""ESCC / Bilsky grade (Bilsky 2010, J Neurosurg Spine 13(3):324) against clinical-reference §2."""

from __future__ import annotations

from typing import Any

import pytest

from spinemets.case.levels import LEVEL_ORDER
from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Case
from spinemets.errors import CaseError
from spinemets.scorers import REGISTRY, escc

# Group per grade, from the published table (§2.2): 0-1c low grade, 2-3 high grade.
GROUPS = {
    "0": "low_grade",
    "1a": "low_grade",
    "1b": "low_grade",
    "1c": "low_grade",
    "2": "high_grade",
    "3": "high_grade",
}

# Levels caudal to the conus (L2 and lower), written out; cord levels above it.
BELOW_CONUS = ["L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4", "S5", "coccyx"]
CORD_LEVELS = ["occiput", *[f"C{i}" for i in range(1, 8)], *[f"T{i}" for i in range(1, 13)], "L1"]


def case_with(*lesions: dict[str, Any]) -> Case:
    return Case.model_validate({"schema_version": 1, "case_id": "t", "lesions": list(lesions)})


def grade(level: str, escc_grade: Any) -> Any:
    return escc.compute(case_with({"level": level, "escc": escc_grade}), 0)


def has_conus_note(notes: tuple[str, ...]) -> bool:
    return any("conus" in n for n in notes)


@pytest.mark.parametrize(("g", "group"), sorted(GROUPS.items()))
def test_every_grade_category(g: str, group: str) -> None:
    result = grade("T6", g)
    assert result.status == "complete"
    assert result.category == group
    assert result.grade == g
    assert result.total is None and result.range is None
    assert result.missing == ()
    assert len(result.components) == 1
    comp = result.components[0]
    assert (comp.name, comp.value, comp.points, comp.possible) == ("grade", g, None, ())
    assert escc.is_high_grade(result) is (group == "high_grade")
    as_dict = result.to_dict()
    assert as_dict["components"] == [{"name": "grade", "value": g, "points": None}]
    assert as_dict["category"] == group


def test_only_1c_is_borderline() -> None:
    for g in GROUPS:
        notes = grade("T6", g).notes
        assert any("borderline" in n and "controversial" in n for n in notes) is (g == "1c")


@pytest.mark.parametrize("value", [None, "unknown"])
def test_unknown_grade_not_computable(value: Any) -> None:
    c = case_with({"level": "T4"}, {"level": "T8", "escc": value})
    for index in (0, 1):
        result = escc.compute(c, index)
        assert result.status == "not_computable"
        assert result.missing == (f"lesions[{index}].escc",)
        assert result.category is None and result.grade is None
        assert escc.is_high_grade(result) is None


@pytest.mark.parametrize("level", BELOW_CONUS)
@pytest.mark.parametrize("g", ["1b", "2"])
def test_below_conus_note(level: str, g: str) -> None:
    notes = grade(level, g).notes
    assert has_conus_note(notes)
    text = " ".join(notes)
    assert "thecal-sac" in text and "cauda equina" in text
    assert "cervical and thoracic" in text
    assert "clinical" in text
    assert grade(level, g).components[0].note.startswith("thecal-sac (cauda equina)")


@pytest.mark.parametrize("span", ["L2-L3", "L3-L5", "L4-S1", "L5-S2", "S1-S5", "S3-coccyx", "L6"])
def test_below_conus_note_for_ranges(span: str) -> None:
    result = grade(span, "3")
    assert result.category == "high_grade"
    assert has_conus_note(result.notes)


@pytest.mark.parametrize("level", [*CORD_LEVELS, "C1-C2", "C7-T1", "T11-T12", "T12-L1", "T13"])
def test_no_conus_note_at_cord_levels(level: str) -> None:
    result = grade(level, "2")
    assert not has_conus_note(result.notes)
    assert "thecal-sac" not in result.components[0].note


@pytest.mark.parametrize("span", ["T12-L2", "L1-L3", "T10-S1"])
def test_span_crossing_the_conus_is_flagged(span: str) -> None:
    notes = grade(span, "2").notes
    assert has_conus_note(notes)
    assert any("extends below the conus" in n for n in notes)


@pytest.mark.parametrize("span", ["L2", "L2-L3", "L2-S1"])
def test_lesion_starting_at_l2_notes_the_conus_may_reach_l2(span: str) -> None:
    """The conus ends at about L1-L2 in adults (§3.3): an L2 lesion may still face the conus."""
    notes = grade(span, "2").notes
    assert any("the conus may extend to L2 in some adults" in n for n in notes)
    assert any("thecal-sac" in n for n in notes)


@pytest.mark.parametrize("span", ["L3", "L3-L4", "S1", "T12-L2", "L1-L2"])
def test_conus_at_l2_caveat_only_when_the_upper_level_is_l2(span: str) -> None:
    notes = grade(span, "2").notes
    assert not any("may extend to L2" in n for n in notes)


def test_1c_category_stays_low_grade() -> None:
    result = grade("T9", "1c")
    assert result.category == "low_grade" and escc.is_high_grade(result) is False


def test_level_lists_cover_every_level() -> None:
    assert set(BELOW_CONUS) | set(CORD_LEVELS) | {"T13", "L6"} == set(LEVEL_ORDER)


def test_unknown_grade_below_conus_still_notes_conus() -> None:
    result = grade("L4", None)
    assert result.status == "not_computable"
    assert has_conus_note(result.notes)


@pytest.mark.parametrize(
    ("yaml_value", "expected"), [("0", "0"), ("2", "2"), ("3", "3"), ('"1a"', "1a"), ('"2"', "2")]
)
def test_yaml_int_grade_coerces(yaml_value: str, expected: str) -> None:
    raw = (
        f"schema_version: 1\ncase_id: t\nlesions:\n  - level: T9\n    escc: {yaml_value}\n".encode()
    )
    case = load_case_bytes(raw).case
    result = escc.compute(case, 0)
    assert result.grade == expected
    assert result.category == GROUPS[expected]


@pytest.mark.parametrize("bad", ["1", "4", "1d", "true"])
def test_invalid_grades_rejected(bad: str) -> None:
    raw = f"schema_version: 1\ncase_id: t\nlesions:\n  - level: T9\n    escc: {bad}\n".encode()
    with pytest.raises(CaseError):
        load_case_bytes(raw)


def test_scorer_metadata() -> None:
    s = REGISTRY["escc"]
    assert s is escc.SCORER
    assert (s.id, s.scope, s.version, s.direction) == (
        "escc",
        "lesion",
        "escc_bilsky_2010@1",
        "higher_worse",
    )
    assert "J Neurosurg Spine" in s.citation and "2010" in s.citation and "324" in s.citation
    # explain table: 1c shown as borderline (§2.2 "Borderline — management controversial")
    assert s.tables["group"] == GROUPS | {"1c": "low_grade (borderline)"}
    assert "low_grade (borderline)" in s.doc
    assert "lesions[].escc" in s.requires
    assert s.doc
