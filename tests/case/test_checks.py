"""Cross-field warnings (spinemets/case/checks.py): each check, its code, path and message."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from strategies import TODAY, case_dicts

from spinemets.assessment import Warning
from spinemets.case.checks import CODES, cross_field_warnings
from spinemets.case.models import Case


def case(**sections: Any) -> Case:
    return Case.model_validate(
        {"schema_version": 1, "case_id": "T-1", **sections}, context={"today": TODAY}
    )


def codes(c: Case) -> list[str]:
    return [w.code for w in cross_field_warnings(c)]


def test_empty_case_has_no_warnings() -> None:
    assert cross_field_warnings(case()) == []


# --- neurology: Frankel/ASIA A or B with independent ambulation (clinical-reference §3.1) ----


@pytest.mark.parametrize("scale", ["frankel", "asia"])
@pytest.mark.parametrize("grade", ["A", "B"])
def test_no_motor_grade_with_independent_walking_warns(scale: str, grade: str) -> None:
    warnings = cross_field_warnings(case(neurology={scale: grade, "ambulatory": "independent"}))
    assert len(warnings) == 1
    w = warnings[0]
    assert (w.code, w.path) == ("neuro_grade_vs_ambulation", f"neurology.{scale}")
    label = "Frankel" if scale == "frankel" else "ASIA"
    assert f"{label} grade {grade}" in w.message
    assert "independent" in w.message


@pytest.mark.parametrize("grade", ["C", "D", "E"])
def test_motor_grades_with_independent_walking_do_not_warn(grade: str) -> None:
    assert codes(case(neurology={"frankel": grade, "ambulatory": "independent"})) == []


@pytest.mark.parametrize("ambulatory", ["with_aid", "non_ambulatory", "unknown", None])
@pytest.mark.parametrize("grade", ["A", "B"])
def test_grade_a_b_without_independent_walking_does_not_warn(
    grade: str, ambulatory: str | None
) -> None:
    assert codes(case(neurology={"frankel": grade, "ambulatory": ambulatory})) == []


def test_both_scales_a_b_give_two_warnings_frankel_first() -> None:
    c = case(neurology={"asia": "A", "frankel": "B", "ambulatory": "independent"})
    assert [w.path for w in cross_field_warnings(c)] == ["neurology.frankel", "neurology.asia"]


# --- KPS vs ECOG (clinical-reference §4.3 table, written out independently here) -----------------

SPEC_TABLE = {(100, 90): 0, (80, 70): 1, (60, 50): 2, (40, 30): 3, (20, 10): 4, (0,): 5}
KPS_ECOG = {kps: ecog for group, ecog in SPEC_TABLE.items() for kps in group}


@pytest.mark.parametrize("kps", range(0, 101, 10))
@pytest.mark.parametrize("ecog", range(6))
def test_kps_ecog_every_pair(kps: int, ecog: int) -> None:
    warnings = cross_field_warnings(case(performance={"kps": kps, "ecog": ecog}))
    if KPS_ECOG[kps] == ecog:
        assert warnings == []
        return
    assert len(warnings) == 1
    w = warnings[0]
    assert (w.code, w.path) == ("kps_ecog_mismatch", "performance.ecog")
    assert f"KPS {kps}" in w.message
    assert f"ECOG {ecog}" in w.message
    assert f"maps to ECOG {KPS_ECOG[kps]}" in w.message


def test_one_step_difference_is_still_reported() -> None:
    # KPS 70 maps to ECOG 1; ECOG 2 is one step away, still beyond the table.
    w = cross_field_warnings(case(performance={"kps": 70, "ecog": 2}))
    assert [x.code for x in w] == ["kps_ecog_mismatch"]
    assert "KPS 70 maps to ECOG 1" in w[0].message


@pytest.mark.parametrize("performance", [{"kps": 70}, {"ecog": 3}, {"kps": 70, "ecog": "unknown"}])
def test_kps_or_ecog_alone_does_not_warn(performance: dict[str, Any]) -> None:
    assert codes(case(performance=performance)) == []


# --- vertebral_metastases vs lesion levels ---


@pytest.mark.parametrize(
    ("levels", "covered"),
    [
        (["T12"], 1),
        (["T11-T12"], 2),
        (["T11-T12", "T12"], 2),  # T12 counted once
        (["T12-L1"], 2),  # T13 is not implied by a range through the thoracolumbar junction
        (["L5-S1"], 2),  # nor L6 by a lumbosacral range
        (["occiput-C2"], 2),  # the occiput is not a vertebra
        (["T4", "L2-L4", "S1"], 5),
        (["T13"], 1),
        (["S5-coccyx"], 2),
    ],
)
def test_vertebral_count_against_lesion_levels(levels: list[str], covered: int) -> None:
    lesions = [{"level": lv, "location_class": "junctional"} for lv in levels]
    assert codes(case(disease={"vertebral_metastases": covered}, lesions=lesions)) == []
    if covered > 1:
        low = covered - 1
        w = cross_field_warnings(case(disease={"vertebral_metastases": low}, lesions=lesions))
        assert [x.code for x in w] == ["vertebral_metastases_below_lesions"]
        assert w[0].path == "disease.vertebral_metastases"
        assert f"vertebral_metastases is {low}" in w[0].message
        assert f"cover {covered} vertebral levels" in w[0].message


def test_vertebral_count_message_lists_levels_in_anatomical_order() -> None:
    c = case(disease={"vertebral_metastases": 1}, lesions=[{"level": "L1"}, {"level": "C7-T1"}])
    assert "(C7, T1, L1)" in cross_field_warnings(c)[0].message


def test_unknown_vertebral_count_does_not_warn() -> None:
    lesions = [{"level": "T1"}, {"level": "T5"}]
    assert codes(case(disease={"vertebral_metastases": "unknown"}, lesions=lesions)) == []


def test_more_metastases_than_listed_lesions_is_normal() -> None:
    assert codes(case(disease={"vertebral_metastases": 9}, lesions=[{"level": "T1"}])) == []


# --- ESCC below the conus (clinical-reference §2.4) ---


@pytest.mark.parametrize("level", ["L2", "L3", "L5", "L6", "S1", "S3", "coccyx", "L2-L3", "L4-S1"])
@pytest.mark.parametrize("grade", ["0", "1a", "1b", "1c", "2", "3"])
def test_escc_below_conus_warns(level: str, grade: str) -> None:
    w = cross_field_warnings(case(lesions=[{"level": level, "escc": grade}]))
    below = [x for x in w if x.code == "escc_below_conus"]
    assert len(below) == 1
    assert below[0].path == "lesions[0].escc"
    assert f"ESCC grade {grade}" in below[0].message
    assert "conus" in below[0].message


@pytest.mark.parametrize("level", ["C1", "C7", "T6", "T12", "T13", "L1", "T12-L1", "L1-L2"])
def test_escc_at_or_above_the_conus_does_not_warn(level: str) -> None:
    assert "escc_below_conus" not in codes(case(lesions=[{"level": level, "escc": "2"}]))


def test_no_escc_grade_below_conus_does_not_warn() -> None:
    assert codes(case(lesions=[{"level": "L4", "escc": "unknown"}, {"level": "L3"}])) == []


# --- transitional levels and the coccyx without location_class ---


@pytest.mark.parametrize("level", ["T13", "L6", "T12-T13", "L6-S1", "T13-L2"])
def test_transitional_level_without_location_class(level: str) -> None:
    w = cross_field_warnings(case(lesions=[{"level": "T5"}, {"level": level}]))
    assert [(x.code, x.path) for x in w] == [
        ("transitional_level_without_location_class", "lesions[1].level")
    ]
    assert "location_class" in w[0].message
    name = "T13" if "T13" in level else "L6"
    assert name in w[0].message


@pytest.mark.parametrize("level", ["T13", "L6", "coccyx", "S4-coccyx"])
def test_location_class_silences_anatomy_warnings(level: str) -> None:
    assert codes(case(lesions=[{"level": level, "location_class": "junctional"}])) == []


@pytest.mark.parametrize("level", ["coccyx", "S5-coccyx"])
def test_coccyx_without_location_class(level: str) -> None:
    w = cross_field_warnings(case(lesions=[{"level": level}]))
    assert [(x.code, x.path) for x in w] == [("coccyx_without_location_class", "lesions[0].level")]


@pytest.mark.parametrize("level", ["T12-L1", "L5-S1", "T12", "L5", "S5"])
def test_usual_anatomy_does_not_warn(level: str) -> None:
    assert codes(case(lesions=[{"level": level}])) == []


# --- radiosensitivity override (informational) and expected ---


@pytest.mark.parametrize("value", ["sensitive", "intermediate", "resistant"])
def test_radiosensitivity_override_is_reported(value: str) -> None:
    reason = "MDT: prior durable response to cEBRT"
    c = case(
        cancer={"primary": "breast", "radiosensitivity": value, "radiosensitivity_reason": reason}
    )
    w = cross_field_warnings(c)
    assert [(x.code, x.path) for x in w] == [
        ("radiosensitivity_override", "cancer.radiosensitivity")
    ]
    assert value in w[0].message
    assert reason not in w[0].message  # free text is not echoed


def test_expected_block_is_not_a_warning() -> None:
    assert cross_field_warnings(case(expected={"sins": {"total": 11}})) == []


# --- order, determinism, codes ---


def test_all_checks_together_in_documented_order() -> None:
    c = case(
        cancer={"radiosensitivity": "resistant", "radiosensitivity_reason": "MDT decision"},
        disease={"vertebral_metastases": 1},
        lesions=[
            {"level": "L3", "escc": "1b"},
            {"level": "T13"},
            {"level": "coccyx", "escc": "0"},
        ],
        neurology={"frankel": "A", "asia": "B", "ambulatory": "independent"},
        performance={"kps": 40, "ecog": 1},
        assessed_on="2025-01-01",
        imaging={"mri_date": "2025-01-02"},
    )
    got = [(w.code, w.path) for w in cross_field_warnings(c)]
    lung = case(cancer={"primary": "lung"})
    other = case(cancer={"primary": "other"})
    got += [(w.code, w.path) for w in cross_field_warnings(lung)]
    got += [(w.code, w.path) for w in cross_field_warnings(other, lambda primary: None)]
    assert got == [
        ("neuro_grade_vs_ambulation", "neurology.frankel"),
        ("neuro_grade_vs_ambulation", "neurology.asia"),
        ("kps_ecog_mismatch", "performance.ecog"),
        ("vertebral_metastases_below_lesions", "disease.vertebral_metastases"),
        ("escc_below_conus", "lesions[0].escc"),
        ("transitional_level_without_location_class", "lesions[1].level"),
        ("escc_below_conus", "lesions[2].escc"),
        ("coccyx_without_location_class", "lesions[2].level"),
        ("radiosensitivity_override", "cancer.radiosensitivity"),
        ("dated_after_assessment", "imaging.mri_date"),
        ("lung_type_not_given", "cancer.primary"),
        ("radiosensitivity_unknown", "cancer.radiosensitivity"),
    ]
    assert {code for code, _ in got} == set(CODES)


@given(case_dicts())
def test_warnings_are_deterministic_well_formed_and_never_raise(data: dict[str, Any]) -> None:
    c = Case.model_validate(data, context={"today": TODAY})
    first = cross_field_warnings(c)
    assert first == cross_field_warnings(c)
    for w in first:
        assert isinstance(w, Warning)
        assert w.code in CODES
        assert w.code.isidentifier() and w.code == w.code.lower()
        assert w.path and w.message
        assert "Test Patient" not in w.message and "000000" not in w.message
