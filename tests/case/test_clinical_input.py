"""Input as a clinician types it: yes/no booleans, the case fields of version 1.1, and clinical
"did you mean" suggestions (abbreviations and synonyms that spelling distance cannot find)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinemets.case.checks import cross_field_warnings
from spinemets.case.loader import LoadedCase, load_case_bytes
from spinemets.case.models import (
    Case,
    GoalsOfCare,
    Procedure,
    assessment_date,
)
from spinemets.errors import CaseError, Issue

TODAY = date(2026, 6, 1)
HEAD = "schema_version: 1\ncase_id: TB-1\n"

#: Every boolean finding, as section.field.
BOOLEAN_FIELDS = (
    "disease.brain_metastases",
    "neurology.myelopathy",
    "neurology.radiculopathy",
    "neurology.sphincter_dysfunction",
    "pain.neuropathic",
    "pain.night_pain",
    "pain.controlled",
    "comorbidities.anticoagulant",
    "comorbidities.antiplatelet",
    "comorbidities.gi_bleed_history",
    "comorbidities.operable",
    "preferences.declines_surgery",
    "imaging.whole_spine",
)


def load(text: str) -> LoadedCase:
    return load_case_bytes(text.encode(), "case.yaml", today=TODAY)


def only_issue(text: str) -> Issue:
    with pytest.raises(CaseError) as info:
        load(text)
    assert len(info.value.issues) == 1, [i.parsable() for i in info.value.issues]
    return info.value.issues[0]


def section_text(dotted: str, value: str) -> str:
    section, field = dotted.split(".")
    return HEAD + f"{section}:\n  {field}: {value}\n"


def read(case: Case, dotted: str) -> object:
    section, field = dotted.split(".")
    return getattr(getattr(case, section), field)


# --- yes / no -------------------------------------------------------------------------------

yes_no_spellings = st.sampled_from(("yes", "no")).flatmap(
    lambda w: st.tuples(*(st.sampled_from((c, c.upper())) for c in w)).map("".join)
)


@given(field=st.sampled_from(BOOLEAN_FIELDS), word=yes_no_spellings, quote=st.sampled_from("'\""))
def test_quoted_yes_no_in_any_case_is_a_boolean_in_every_boolean_field(
    field: str, word: str, quote: str
) -> None:
    case = load(section_text(field, f"{quote}{word}{quote}")).case
    assert read(case, field) is (word.lower() == "yes")


@given(field=st.sampled_from(BOOLEAN_FIELDS), word=yes_no_spellings)
def test_plain_yes_no_in_any_case_is_a_boolean_in_every_boolean_field(
    field: str, word: str
) -> None:
    case = load(section_text(field, word))
    assert read(case.case, field) is (word.lower() == "yes")


@pytest.mark.parametrize(("field", "word"), [("patient.sex", "yes"), ("cancer.histology", "No")])
def test_plain_yes_no_outside_boolean_fields_is_an_error_naming_quotes(
    field: str, word: str
) -> None:
    issue = only_issue(section_text(field, word))
    assert issue.path == field
    assert "ambiguous" in issue.message


@pytest.mark.parametrize("field", ["lesions[0].posterior_wall_retropulsion"])
def test_yes_no_in_a_lesion_boolean(field: str) -> None:
    case = load(HEAD + "lesions:\n  - level: T4\n    posterior_wall_retropulsion: 'No'\n").case
    assert case.lesions[0].posterior_wall_retropulsion is False


@pytest.mark.parametrize("word", ["'y'", "'n'", "'true'", "'si'", "1"])
def test_other_words_in_a_boolean_field_name_what_is_allowed(word: str) -> None:
    issue = only_issue(section_text("comorbidities.anticoagulant", word))
    assert issue.path == "comorbidities.anticoagulant"
    # The advice names yes/no, which the field then accepts: it never loops.
    assert "allowed: true, false, yes, no, unknown" in issue.message


@pytest.mark.parametrize(
    ("field", "value"),
    [("patient.sex", "'yes'"), ("cancer.systemic_therapy", "'no'"), ("performance.kps", "'yes'")],
)
def test_yes_no_stay_errors_outside_boolean_fields(field: str, value: str) -> None:
    issue = only_issue(section_text(field, value))
    assert issue.path == field
    assert "true, false, yes, no" not in issue.message


# --- fields of version 1.1 ------------------------------------------------------------------


def test_new_fields_load() -> None:
    case = load(
        HEAD
        + "assessed_on: 2026-05-30\n"
        + "imaging:\n  mri_date: 2026-05-29\n  whole_spine: true\n"
        + "lesions:\n  - level: T4\n    prior_surgery: stabilization\n"
        + "  - level: T8\n    prior_surgery: {procedure: augmentation, date: 2025-01-02}\n"
        + "neurology:\n  deficit_onset_hours: 30\n"
        + "prognosis:\n  expected_survival_months: 4.5\n"
        + "preferences:\n  goals_of_care: comfort\n"
    ).case
    assert case.assessed_on == date(2026, 5, 30)
    assert case.imaging.mri_date == date(2026, 5, 29)
    assert case.imaging.whole_spine is True
    first, second = (lesion.prior_surgery for lesion in case.lesions)
    assert first is not None and first.procedure is Procedure.STABILIZATION and first.date is None
    assert first.procedure.instrumented
    assert second is not None and second.procedure is Procedure.AUGMENTATION
    assert second.date == date(2025, 1, 2) and not second.procedure.instrumented
    assert case.neurology.deficit_onset_hours == 30
    assert case.prognosis.expected_survival_months == 4.5
    assert case.preferences.goals_of_care is GoalsOfCare.COMFORT


def test_new_fields_default_to_unknown() -> None:
    case = load(HEAD).case
    assert case.assessed_on is None
    assert case.imaging.mri_date is None and case.imaging.whole_spine is None
    assert case.prognosis.expected_survival_months is None
    assert case.preferences.goals_of_care is None
    assert case.neurology.deficit_onset_hours is None


def test_unknown_is_accepted_in_every_new_field() -> None:
    case = load(
        HEAD
        + "assessed_on: unknown\nimaging: {mri_date: unknown, whole_spine: unknown}\n"
        + "lesions:\n  - {level: T4, prior_surgery: unknown}\n"
        + "prognosis: {expected_survival_months: unknown}\n"
        + "preferences: {goals_of_care: unknown}\n"
    ).case
    assert case.lesions[0].prior_surgery is None
    assert case.assessed_on is None and case.imaging.mri_date is None


def test_assessment_date_defaults_to_the_evaluation_day_with_a_note() -> None:
    when, note = assessment_date(load(HEAD).case, TODAY)
    assert when == TODAY
    assert note is not None and "assessed_on is not recorded" in note and "2026-06-01" in note
    recorded = load(HEAD + "assessed_on: 2026-05-02\n").case
    assert assessment_date(recorded, TODAY) == (date(2026, 5, 2), None)


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("imaging:\n  mri_date: 2026-07-01\n", "imaging.mri_date", "in the future"),
        ("prognosis:\n  expected_survival_months: 0\n", "prognosis.expected_survival_months",
         "greater than 0"),
        ("prognosis:\n  expected_survival_months: '6'\n", "prognosis.expected_survival_months",
         "number of months"),
        ("neurology:\n  deficit_onset_hours: -1\n", "neurology.deficit_onset_hours",
         "greater than or equal to 0"),
        ("lesions:\n  - {level: T4, prior_surgery: fusion}\n", "lesions[0].prior_surgery",
         "stabilization"),
        ("lesions:\n  - {level: T4, prior_surgery: {procedure: augmentation, date: 2027-01-01}}\n",
         "lesions[0].prior_surgery.date", "in the future"),
    ],
)  # fmt: skip
def test_new_fields_reject_bad_values(text: str, path: str, words: str) -> None:
    issue = only_issue(HEAD + text)
    assert issue.path == path
    assert words in issue.message


def test_dated_findings_after_the_assessment_are_flagged() -> None:
    case = load(
        HEAD + "assessed_on: 2026-03-01\nimaging: {mri_date: 2026-03-04}\n"
        "cancer: {diagnosed_on: 2025-01-01}\n"
        "lesions:\n  - {level: T4, prior_surgery: {procedure: stabilization, date: 2026-03-02}}\n"
    ).case
    got = [(w.code, w.path) for w in cross_field_warnings(case)]
    assert got == [
        ("dated_after_assessment", "imaging.mri_date"),
        ("dated_after_assessment", "lesions[0].prior_surgery.date"),
    ]


# --- did you mean ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("cancer:\n  primary: NSCLC\n", "lung_nsclc"),
        ("cancer:\n  primary: nsclc\n", "lung_nsclc"),
        ("cancer:\n  primary: SCLC\n", "lung_sclc"),
        ("cancer:\n  primary: RCC\n", "kidney"),
        ("cancer:\n  primary: renal cell carcinoma\n", "kidney"),
        ("cancer:\n  primary: renal cell\n", "kidney"),
        ("cancer:\n  primary: CUP\n", "unknown_primary"),
        ("cancer:\n  primary: multiple myeloma\n", "myeloma"),
        ("cancer:\n  primary: prostrate\n", "prostate"),
        ("patient:\n  sex: M\n", "male"),
        ("patient:\n  sex: F\n", "female"),
        ("lesions:\n  - {level: T4, collapse: '<50%'}\n", "lt50"),
        ("lesions:\n  - {level: T4, collapse: '>50%'}\n", "gt50"),
        ("lesions:\n  - {level: T4, escc: 1A}\n", "1a"),
        ("lesions:\n  - {level: T4, escc: grade 2}\n", "2"),
        ("lesions:\n  - {level: T4, bone_lesion: osteolytic}\n", "lytic"),
        ("lesions:\n  - {level: T4, bone_lesion: sclerotic}\n", "blastic"),
        ("neurology:\n  frankel: d\n", "D"),
        ("preferences:\n  goals_of_care: palliative\n", "comfort"),
    ],
)
def test_clinical_did_you_mean(text: str, meant: str) -> None:
    issue = only_issue(HEAD + text)
    assert f"did you mean '{meant}'?" in issue.message


@pytest.mark.parametrize(
    ("level", "meant"),
    [("Th12", "T12"), ("D12", "T12"), ("th4", "T4"), ("D5-D6", "T5-T6"), ("T11-Th12", "T11-T12")],
)
def test_thoracic_level_aliases_are_named(level: str, meant: str) -> None:
    issue = only_issue(HEAD + f"lesions:\n  - level: {level}\n")
    assert issue.path == "lesions[0].level"
    assert f"did you mean '{meant}'?" in issue.message


@pytest.mark.parametrize("dash", ["\u2013", "\u2014", "\u2212", "\u2010"])
def test_typographic_dashes_in_a_range_are_accepted(dash: str) -> None:
    case = load(HEAD + f"lesions:\n  - level: 'T11{dash}T12'\n  - level: T4 {dash} T5\n").case
    assert [lesion.level for lesion in case.lesions] == ["T11-T12", "T4-T5"]


def test_kps_between_steps_names_both_neighbours() -> None:
    issue = only_issue(HEAD + "performance:\n  kps: 75\n")
    assert "did you mean 70 or 80?" in issue.message


# --- validate warnings about the primary ----------------------------------------------------


def _table(primary: str) -> str | None:
    return {"kidney": "resistant", "lung_sclc": "intermediate"}.get(primary)


def test_lung_without_its_type_is_a_warning_naming_the_types() -> None:
    case = load(HEAD + "cancer:\n  primary: lung\n").case
    (warning,) = cross_field_warnings(case, _table)
    assert warning.code == "lung_type_not_given"
    assert warning.path == "cancer.primary"
    assert "lung_nsclc" in warning.message and "lung_sclc" in warning.message


@pytest.mark.parametrize("primary", ["other", "unknown_primary"])
def test_primary_with_unknown_radiosensitivity_names_the_override(primary: str) -> None:
    case = load(HEAD + f"cancer:\n  primary: {primary}\n").case
    (warning,) = cross_field_warnings(case, _table)
    assert (warning.code, warning.path) == ("radiosensitivity_unknown", "cancer.radiosensitivity")
    assert cross_field_warnings(case) == []  # without the table the check is not made


def test_an_override_silences_the_radiosensitivity_warnings() -> None:
    case = load(
        HEAD + "cancer:\n  primary: lung\n  radiosensitivity: resistant\n"
        "  radiosensitivity_reason: squamous NSCLC on biopsy\n"
    ).case
    assert [w.code for w in cross_field_warnings(case, _table)] == ["radiosensitivity_override"]


def test_known_primary_has_no_radiosensitivity_warning() -> None:
    assert cross_field_warnings(load(HEAD + "cancer:\n  primary: kidney\n").case, _table) == []
