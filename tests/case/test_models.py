"""The case model through the loader: every coded value, unknown as a value, ranges, units."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from strategies import CODED_FIELDS, TODAY, to_yaml

from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Albumin, Case
from spinemets.errors import CaseError

BASE: dict[str, Any] = {"schema_version": 1, "case_id": "M-1"}


def load(**sections: Any) -> Case:
    raw = to_yaml({**BASE, **sections}).encode()
    return load_case_bytes(raw, "m.yaml", today=TODAY).case


def refused(**sections: Any) -> list[str]:
    raw = to_yaml({**BASE, **sections}).encode()
    with pytest.raises(CaseError) as info:
        load_case_bytes(raw, "m.yaml", today=TODAY)
    return [i.path for i in info.value.issues]


def put(section: str, key: str, value: Any) -> dict[str, Any]:
    if section == "lesions":
        return {"lesions": [{"level": "T5", key: value}]}
    return {section: {key: value}}


def get(case: Case, section: str, key: str) -> Any:
    holder = case.lesions[0] if section == "lesions" else getattr(case, section)
    return getattr(holder, key)


CODED = [(s, k, v) for s, k, values in CODED_FIELDS for v in values]


@pytest.mark.parametrize(("section", "key", "value"), CODED, ids=lambda x: str(x))
def test_every_coded_value_loads(section: str, key: str, value: str) -> None:
    got = get(load(**put(section, key, value)), section, key)
    expected = "kidney" if value == "renal" else value
    assert str(got) == expected


@pytest.mark.parametrize(("section", "key"), sorted({(s, k) for s, k, _ in CODED_FIELDS}))
@pytest.mark.parametrize("unknown", ["unknown", None])
def test_every_coded_finding_may_be_unknown(section: str, key: str, unknown: str | None) -> None:
    assert get(load(**put(section, key, unknown)), section, key) is None


@pytest.mark.parametrize(("section", "key"), sorted({(s, k) for s, k, _ in CODED_FIELDS}))
def test_every_coded_field_rejects_a_typo(section: str, key: str) -> None:
    path = f"lesions[0].{key}" if section == "lesions" else f"{section}.{key}"
    assert refused(**put(section, key, "zzz-typo")) == [path]


def test_coded_values_in_the_model_match_the_format() -> None:
    """The strategies list the coded values of case-format.md; the models hold the same."""
    from spinemets.case import models

    enum_of = {
        ("patient", "sex"): models.Sex,
        ("cancer", "primary"): models.Primary,
        ("cancer", "growth"): models.Growth,
        ("cancer", "systemic_therapy"): models.SystemicTherapy,
        ("disease", "visceral_metastases"): models.Visceral,
        ("lesions", "pain"): models.SinsPain,
        ("lesions", "bone_lesion"): models.BoneLesion,
        ("lesions", "alignment"): models.Alignment,
        ("lesions", "collapse"): models.Collapse,
        ("lesions", "posterolateral"): models.Posterolateral,
        ("lesions", "location_class"): models.LocationClass,
        ("preferences", "goals_of_care"): models.GoalsOfCare,
        ("lesions", "escc"): models.Escc,
        ("neurology", "frankel"): models.NeuroGrade,
        ("neurology", "asia"): models.NeuroGrade,
        ("neurology", "ambulatory"): models.Ambulatory,
        ("neurology", "deficit"): models.Deficit,
        ("pain", "opioid_status"): models.OpioidStatus,
    }
    for section, key, values in CODED_FIELDS:
        members = {str(m) for m in enum_of[(section, key)]}
        assert members == set(values) - {"renal"}, (section, key)


#: Every other clinical finding (not coded): a known value, and "unknown" loads as None.
FINDINGS: list[tuple[str, str, Any]] = [
    ("patient", "age", 60),
    ("disease", "vertebral_metastases", 2),
    ("disease", "extraspinal_bone_metastases", 0),
    ("disease", "brain_metastases", True),
    ("lesions", "posterior_wall_retropulsion", False),
    ("neurology", "motor_deficit_days", 3),
    ("neurology", "myelopathy", True),
    ("neurology", "radiculopathy", False),
    ("neurology", "sphincter_dysfunction", True),
    ("performance", "kps", 70),
    ("performance", "ecog", 1),
    ("labs", "egfr", 55),
    ("pain", "nrs", 7),
    ("pain", "neuropathic", True),
    ("pain", "night_pain", False),
    ("pain", "current_step", 2),
    ("pain", "controlled", False),
    ("comorbidities", "anticoagulant", True),
    ("comorbidities", "antiplatelet", False),
    ("comorbidities", "gi_bleed_history", True),
    ("comorbidities", "operable", True),
    ("preferences", "declines_surgery", False),
    ("cancer", "radiosensitivity", None),
]


@pytest.mark.parametrize(("section", "key", "value"), FINDINGS, ids=lambda x: str(x))
def test_every_finding_loads_its_value_and_unknown_as_none(
    section: str, key: str, value: Any
) -> None:
    if value is not None:
        assert get(load(**put(section, key, value)), section, key) == value
    for unknown in ("unknown", None):
        assert get(load(**put(section, key, unknown)), section, key) is None
    absent = load(lesions=[{"level": "T5"}]) if section == "lesions" else load()
    assert get(absent, section, key) is None


@pytest.mark.parametrize("section", ["patient", "cancer", "disease", "neurology", "performance",
                                     "labs", "pain", "comorbidities", "preferences"])  # fmt: skip
def test_absent_section_means_every_finding_unknown(section: str) -> None:
    holder = getattr(load(), section)
    assert all(value is None for value in holder.model_dump().values())


@pytest.mark.parametrize(
    ("section", "key", "low", "high"),
    [
        ("patient", "age", 0, 120),
        ("disease", "vertebral_metastases", 1, 33),
        ("disease", "extraspinal_bone_metastases", 0, 1000),
        ("neurology", "motor_deficit_days", 0, 3650),
        ("performance", "ecog", 0, 5),
        ("pain", "nrs", 0, 10),
        ("pain", "current_step", 0, 3),
        ("labs", "egfr", 0, 200),
    ],
)
def test_numeric_ranges_boundaries(section: str, key: str, low: int, high: int) -> None:
    for ok in (low, high):
        assert get(load(**put(section, key, ok)), section, key) == ok
    path = f"{section}.{key}"
    assert refused(**put(section, key, low - 1)) == [path]
    assert refused(**put(section, key, high + 1)) == [path]


@pytest.mark.parametrize("kps", range(0, 101, 10))
def test_every_kps_step(kps: int) -> None:
    assert load(performance={"kps": kps}).performance.kps == kps


@pytest.mark.parametrize("kps", [-10, 110, 15, 65])
def test_kps_out_of_range_or_off_step(kps: int) -> None:
    assert refused(performance={"kps": kps}) == ["performance.kps"]


@pytest.mark.parametrize("value", [True, "70", 70.0, [70]])
def test_integers_are_strict(value: Any) -> None:
    assert refused(performance={"kps": value}) == ["performance.kps"]


@pytest.mark.parametrize("value", ["true", 1, 0, "y"])
def test_booleans_are_strict(value: Any) -> None:
    assert refused(neurology={"myelopathy": value}) == ["neurology.myelopathy"]


@pytest.mark.parametrize(("grade", "expected"), [(0, "0"), (2, "2"), (3, "3"), ("1c", "1c")])
def test_escc_integer_grades_are_accepted(grade: Any, expected: str) -> None:
    assert str(load(lesions=[{"level": "T4", "escc": grade}]).lesions[0].escc) == expected


@pytest.mark.parametrize("grade", [1, 4, "1d", "1A "])
def test_escc_invalid_grades(grade: Any) -> None:
    assert refused(lesions=[{"level": "T4", "escc": grade}]) == ["lesions[0].escc"]


@pytest.mark.parametrize(("given", "expected"), [("yes", True), ("no", False)])
def test_operable_accepts_quoted_yes_no(given: str, expected: bool) -> None:
    assert load(comorbidities={"operable": given}).comorbidities.operable is expected


@pytest.mark.parametrize(
    ("text", "value", "unit", "g_dl"),
    [
        ("3.8 g/dL", 3.8, "g/dL", 3.8),
        ("38 g/L", 38.0, "g/L", 3.8),
        ("35 g/l", 35.0, "g/L", 3.5),
        ("3.5G/DL", 3.5, "g/dL", 3.5),
        (" 0.5 g/dL ", 0.5, "g/dL", 0.5),
        ("7.0 g/dL", 7.0, "g/dL", 7.0),
        ("5 g/L", 5.0, "g/L", 0.5),
        ("70 g/L", 70.0, "g/L", 7.0),
    ],
)
def test_albumin_units(text: str, value: float, unit: str, g_dl: float) -> None:
    albumin = load(labs={"albumin": text}).labs.albumin
    assert isinstance(albumin, Albumin)
    assert (albumin.value, albumin.unit) == (value, unit)
    assert albumin.g_dl == pytest.approx(g_dl)
    assert str(albumin) == f"{value:g} {unit}"


@pytest.mark.parametrize(
    "text",
    ["0.4 g/dL", "7.1 g/dL", "4.9 g/L", "71 g/L", "3.8 mg/dL", "3,8 g/dL", "-3 g/dL", "g/dL"],
)
def test_albumin_refused(text: str) -> None:
    assert refused(labs={"albumin": text}) == ["labs.albumin"]


def test_renal_is_an_alias_of_kidney() -> None:
    assert (
        load(cancer={"primary": "renal"}).cancer.primary
        == load(cancer={"primary": "kidney"}).cancer.primary
    )


def test_prior_radiation_fields() -> None:
    radiation = {"dose_gy": 20, "fractions": 5, "technique": "cebrt", "date": "2025-02-01"}
    prior = load(lesions=[{"level": "T4", "prior_radiation": radiation}]).lesions[0].prior_radiation
    assert prior is not None
    assert (prior.dose_gy, prior.fractions, str(prior.technique)) == (20.0, 5, "cebrt")
    assert prior.date == date(2025, 2, 1)


@pytest.mark.parametrize(
    ("key", "value"), [("dose_gy", 0), ("dose_gy", 201), ("dose_gy", "20"), ("fractions", 0),
                       ("fractions", 61), ("technique", "imrt"), ("date", 20250201)],
)  # fmt: skip
def test_prior_radiation_refused(key: str, value: Any) -> None:
    lesions = [{"level": "T4", "prior_radiation": {key: value}}]
    assert refused(lesions=lesions) == [f"lesions[0].prior_radiation.{key}"]


@pytest.mark.parametrize("case_id", ["", "   ", "a\nb", "x" * 129])
def test_case_id_must_be_one_line(case_id: str) -> None:
    raw = to_yaml({"schema_version": 1, "case_id": case_id}).encode()
    with pytest.raises(CaseError) as info:
        load_case_bytes(raw, "m.yaml", today=TODAY)
    assert [i.path for i in info.value.issues] == ["case_id"]


def test_case_is_frozen() -> None:
    case = load(performance={"kps": 70})
    with pytest.raises(ValidationError):
        case.performance.kps = 80  # type: ignore[misc]


def test_future_date_uses_the_context_today() -> None:
    data = {**BASE, "cancer": {"diagnosed_on": "2026-06-01"}}
    assert Case.model_validate(data, context={"today": date(2026, 6, 1)}).cancer.diagnosed_on
    with pytest.raises(ValidationError):
        Case.model_validate(data, context={"today": date(2026, 5, 31)})


def test_json_schema_allows_unknown_for_findings() -> None:
    schema = Case.model_json_schema()
    performance = schema["$defs"]["Performance"]["properties"]["kps"]
    assert {"const": "unknown"} in performance["anyOf"]
    assert schema["additionalProperties"] is False
