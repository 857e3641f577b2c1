"""Revised Tokuhashi (Spine 2005;30(19):2186; NICE CG75 Appendix 3) against clinical-reference §5.1.

Expected points are written out here from the published table and the v1 decisions of
case-format.md, not read from the module under test.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.case.models import Case, Lesion, Primary
from spinemets.scorers import REGISTRY, tokuhashi
from spinemets.scorers.base import Component, ScoreResult

# --- the published table, written out by hand -------------------------------------------------

# Primary site row, one line per coded primary (case-format.md list).
PRIMARY = {
    "lung": 0,
    "lung_nsclc": 0,
    "lung_sclc": 0,
    "osteosarcoma": 0,
    "stomach": 0,
    "bladder": 0,
    "esophagus": 0,
    "pancreas": 0,
    "liver": 1,
    "gallbladder": 1,
    "unknown_primary": 1,  # "unidentified"
    "kidney": 3,
    "uterus": 3,
    "rectum": 4,
    "thyroid": 5,
    "breast": 5,
    "prostate": 5,
    "carcinoid": 5,
    "colon": 2,  # "others" (v1)
    "melanoma": 2,
    "myeloma": 2,
    "lymphoma": 2,
    "leukemia": 2,
    "germ_cell": 2,
    "sarcoma": 2,
    "ovarian": 2,
    "head_and_neck": 2,
    "neuroendocrine": 2,
    "other": 2,
}
KPS = {10: 0, 20: 0, 30: 0, 40: 0, 50: 1, 60: 1, 70: 1, 80: 2, 90: 2, 100: 2}
EXTRASPINAL = {0: 2, 1: 1, 2: 1, 3: 0, 4: 0, 10: 0}
VERTEBRAL = {1: 2, 2: 1, 3: 0, 4: 0, 17: 0}
VISCERAL = {"unremovable": 0, "removable": 1, "none": 2}
FRANKEL = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}

# Raw values that earn each number of points, for building a case with a chosen total.
BY_POINTS: dict[str, dict[int, Any]] = {
    "kps": {0: 30, 1: 60, 2: 90},
    "extraspinal": {0: 4, 1: 2, 2: 0},
    "vertebral": {0: 5, 1: 2, 2: 1},
    "visceral": {0: "unremovable", 1: "removable", 2: "none"},
    "primary": {0: "stomach", 1: "liver", 2: "colon", 3: "uterus", 4: "rectum", 5: "thyroid"},
    "frankel": {0: "A", 1: "C", 2: "E"},
}
MAX_POINTS = {"kps": 2, "extraspinal": 2, "vertebral": 2, "visceral": 2, "primary": 5, "frankel": 2}


def make(
    *,
    kps: int | None = None,
    ecog: int | None = None,
    extraspinal: int | None = None,
    vertebral: int | None = None,
    visceral: str | None = None,
    brain: bool | None = False,
    primary: str | None = None,
    frankel: str | None = None,
    asia: str | None = None,
) -> Case:
    """A case; ``brain`` defaults to False (no brain metastases) so the organ item is the
    visceral row unless a test says otherwise."""
    return Case.model_validate(
        {
            "schema_version": 1,
            "case_id": "tokuhashi-test",
            "performance": {"kps": kps, "ecog": ecog},
            "disease": {
                "extraspinal_bone_metastases": extraspinal,
                "vertebral_metastases": vertebral,
                "visceral_metastases": visceral,
                "brain_metastases": brain,
            },
            "cancer": {"primary": primary},
            "neurology": {"frankel": frankel, "asia": asia},
        }
    )


COMPLETE: dict[str, Any] = {
    "kps": 90,
    "extraspinal": 0,
    "vertebral": 1,
    "visceral": "none",
    "primary": "breast",
    "frankel": "E",
}


def score(**overrides: Any) -> ScoreResult:
    return tokuhashi.compute(make(**(COMPLETE | overrides)), None)


def points(result: ScoreResult, name: str) -> int | None:
    return next(c.points for c in result.components if c.name == name)


def component(result: ScoreResult, name: str) -> Component:
    return next(c for c in result.components if c.name == name)


def case_with_total(total: int) -> Case:
    remaining = total
    raw: dict[str, Any] = {}
    for item, most in MAX_POINTS.items():
        pts = min(most, remaining)
        raw[item] = BY_POINTS[item][pts]
        remaining -= pts
    assert remaining == 0
    return make(**raw)


# --- registration -----------------------------------------------------------------------------


def test_registered_with_the_contract_strings() -> None:
    scorer = REGISTRY["tokuhashi_revised"]
    assert scorer is tokuhashi.SCORER
    assert scorer.version == "tokuhashi_revised_2005@1"
    assert scorer.direction == "higher_better"
    assert scorer.scope == "case"
    assert "Spine 2005;30(19):2186-2191" in scorer.citation
    assert [(b.low, b.high, b.category) for b in scorer.bands] == [
        (0, 8, "lt_6_months"),
        (9, 11, "gte_6_months"),
        (12, 15, "gte_1_year"),
    ]


def test_band_meanings_carry_the_authors_treatment_column() -> None:
    meanings = {b.category: b.meaning.lower() for b in tokuhashi.BANDS}
    assert "< 6 months" in meanings["lt_6_months"] and "conservative" in meanings["lt_6_months"]
    assert (
        ">= 6 months" in meanings["gte_6_months"]
        and "palliative surgery" in meanings["gte_6_months"]
    )
    assert ">= 1 year" in meanings["gte_1_year"] and "excisional" in meanings["gte_1_year"]
    assert any("overlap" in text for text in tokuhashi.SCORER.limitations)


# --- every coded value ------------------------------------------------------------------------


def test_hand_table_and_module_table_cover_every_primary() -> None:
    assert set(PRIMARY) == {str(p) for p in Primary}
    assert set(tokuhashi.PRIMARY_POINTS) == set(Primary)


@pytest.mark.parametrize("primary", list(Primary), ids=str)
def test_every_primary_code(primary: Primary) -> None:
    result = score(primary=str(primary))
    assert points(result, "primary_site") == PRIMARY[str(primary)]
    assert result.total == 10 + PRIMARY[str(primary)]  # the other five items give 2 each


def test_renal_alias_scores_as_kidney() -> None:
    assert points(score(primary="renal"), "primary_site") == 3


def test_colon_is_others_and_rectum_has_its_own_row() -> None:
    colon, rectum = score(primary="colon"), score(primary="rectum")
    assert (points(colon, "primary_site"), points(rectum, "primary_site")) == (2, 4)
    assert any("others" in n for n in colon.notes)


def test_unknown_primary_is_unidentified() -> None:
    result = score(primary="unknown_primary")
    assert points(result, "primary_site") == 1
    assert any("unidentified" in n for n in result.notes)


@pytest.mark.parametrize(("kps", "expected"), sorted(KPS.items()))
def test_every_kps_value(kps: int, expected: int) -> None:
    result = score(kps=kps)
    assert points(result, "general_condition_kps") == expected
    assert result.status == "complete"


def test_kps_zero_is_outside_the_instrument() -> None:
    result = score(kps=0)
    item = component(result, "general_condition_kps")
    assert item.points is None and item.possible == (0, 1, 2)
    assert result.status == "partial" and result.range == (13, 15)
    assert "performance.kps" in result.missing
    assert any("outside the instrument" in n for n in result.notes)


# ECOG ↔ KPS (clinical-reference §4.3): 0 ↔ 90-100, 1 ↔ 70-80, 2 ↔ 50-60, 3 ↔ 30-40, 4 ↔ 10-20.
@pytest.mark.parametrize(
    ("ecog", "possible"),
    [(0, (2,)), (1, (1, 2)), (2, (1,)), (3, (0,)), (4, (0,)), (5, (0, 1, 2))],
)
def test_ecog_narrows_the_kps_item(ecog: int, possible: tuple[int, ...]) -> None:
    result = score(kps=None, ecog=ecog)
    item = component(result, "general_condition_kps")
    assert item.possible == possible
    assert (item.points is not None) == (len(possible) == 1)
    assert result.range == (13 + min(possible), 13 + max(possible))
    assert any(f"ECOG {ecog}" in n for n in result.notes)


def test_ecog_one_is_partial_and_asks_for_kps() -> None:
    result = score(kps=None, ecog=1)
    assert result.status == "partial" and result.total is None
    assert result.missing == ("performance.kps",)
    assert result.category == "gte_1_year"  # 14-15 are both >= 1 year


def test_kps_wins_over_ecog() -> None:
    result = score(kps=50, ecog=0)
    assert points(result, "general_condition_kps") == 1
    assert component(result, "general_condition_kps").note  # and the disagreement is noted


# Usual KPS → ECOG comparison, clinical-reference §4.3 table, written out by hand.
KPS_AS_ECOG = {100: 0, 90: 0, 80: 1, 70: 1, 60: 2, 50: 2, 40: 3, 30: 3, 20: 4, 10: 4, 0: 5}


@pytest.mark.parametrize(("kps", "ecog"), list(itertools.product(KPS_AS_ECOG, range(0, 6))))
def test_kps_used_and_ecog_disagreement_noted(kps: int, ecog: int) -> None:
    item = component(score(kps=kps, ecog=ecog), "general_condition_kps")
    agrees = KPS_AS_ECOG[kps] == ecog
    disagreement = "disagrees" in item.note and f"ECOG {ecog}" in item.note
    assert disagreement == (not agrees)
    if not agrees:
        assert f"KPS {kps} used" in item.note
    if kps != 0:  # KPS 0 is outside the instrument (unknown item)
        assert item.points == KPS[kps] and item.value == f"KPS {kps}"


def test_disagreement_note_reaches_the_result_notes() -> None:
    """KPS 80 maps to ECOG 1 (§4.3): a recorded ECOG 3 disagrees; KPS 80 still scores 2."""
    result = score(kps=80, ecog=3)
    assert points(result, "general_condition_kps") == 2
    assert any("KPS 80 used" in n and "ECOG 3 disagrees" in n for n in result.notes)
    agree = score(kps=80, ecog=1)
    assert not any("disagrees" in n for n in agree.notes)


@pytest.mark.parametrize(("count", "expected"), sorted(EXTRASPINAL.items()))
def test_every_extraspinal_band(count: int, expected: int) -> None:
    assert points(score(extraspinal=count), "extraspinal_bone_metastases") == expected


@pytest.mark.parametrize(("count", "expected"), sorted(VERTEBRAL.items()))
def test_every_vertebral_band(count: int, expected: int) -> None:
    assert points(score(vertebral=count), "vertebral_metastases") == expected


@pytest.mark.parametrize(
    ("levels", "possible"),
    [
        ([], (0, 1, 2)),  # no lesion listed: 1, 2 or >= 3
        (["T12"], (0, 1, 2)),  # at least 1
        (["T12", "T12"], (0, 1, 2)),  # the same level twice is still one level
        (["occiput-C1"], (0, 1, 2)),  # occiput not counted: 1 level
        (["T11-T12"], (0, 1)),  # at least 2: 2 → 1 or >= 3 → 0
        (["T12", "L2"], (0, 1)),
        (["T11-T12", "L2"], (0,)),  # at least 3 → 0, known
        (["T3-T7"], (0,)),
    ],
)
def test_unknown_vertebral_count_is_at_least_the_levels_covered(
    levels: list[str], possible: tuple[int, ...]
) -> None:
    """NICE CG75 row: vertebral-body metastases >= 3 → 0, 2 → 1, 1 → 2; with the count not
    given, the distinct vertebral levels covered by the listed lesions are a lower bound."""
    case = make(**(COMPLETE | {"vertebral": None}))
    case = case.model_copy(update={"lesions": [Lesion(level=lv) for lv in levels]})
    result = tokuhashi.compute(case, None)
    item = component(result, "vertebral_metastases")
    assert item.possible == possible
    assert ("disease.vertebral_metastases" in result.missing) == (len(possible) > 1)
    if len(possible) == 1:
        # KPS 90 2 + no extraspinal 2 + 0 + no organ metastases 2 + breast 5 + Frankel E 2 = 13
        assert item.points == 0 and result.status == "complete" and result.total == 13
        assert any("at least" in n for n in result.notes)


def test_given_vertebral_count_wins_over_the_lesions() -> None:
    case = make(**COMPLETE).model_copy(update={"lesions": [Lesion(level="T3-T7")]})
    assert points(tokuhashi.compute(case, None), "vertebral_metastases") == 2  # count 1 given


@pytest.mark.parametrize(("visceral", "expected"), sorted(VISCERAL.items()))
def test_every_visceral_value(visceral: str, expected: int) -> None:
    assert points(score(visceral=visceral), "visceral_metastases") == expected


# Organ item "metastases to major internal organs (lung, liver, kidney, brain)" (§5.1): the
# worst organ metastasis decides (unremovable 0, removable 1, none 2). Brain removability is not
# recorded, so brain metastases present may be either removable (1) or unremovable (0).
# (visceral, brain) → possible points, written out by hand.
ORGAN: dict[tuple[str | None, bool | None], tuple[int, ...]] = {
    ("unremovable", True): (0,),
    ("unremovable", False): (0,),
    ("unremovable", None): (0,),
    ("removable", True): (0, 1),
    ("removable", False): (1,),
    ("removable", None): (0, 1),
    ("none", True): (0, 1),
    ("none", False): (2,),
    ("none", None): (0, 1, 2),
    (None, True): (0, 1),
    (None, False): (0, 1, 2),
    (None, None): (0, 1, 2),
}


@pytest.mark.parametrize(("visceral", "brain"), list(ORGAN))
def test_organ_item_counts_brain_metastases(visceral: str | None, brain: bool | None) -> None:
    result = score(visceral=visceral, brain=brain)
    item = component(result, "visceral_metastases")
    assert item.possible == ORGAN[(visceral, brain)]
    # every other item of COMPLETE is known: 13 points besides the organ item
    assert result.range == (13 + min(item.possible), 13 + max(item.possible))
    assert ("disease.brain_metastases" in result.missing) == (
        brain is None and visceral != "unremovable"
    )
    assert ("disease.visceral_metastases" in result.missing) == (visceral is None)


def test_brain_metastases_with_no_visceral_metastases_is_partial_with_a_note() -> None:
    """Breast, KPS 90, no extraspinal, one vertebral, Frankel E (13) with brain metastases and no
    other organ metastases: 13 + 0..1 → 13-14, still >= 1 year; never 15."""
    result = score(visceral="none", brain=True)
    assert result.status == "partial" and result.range == (13, 14)
    assert result.category == "gte_1_year"
    assert any("brain metastases present" in n and "removability" in n for n in result.notes)


def test_brain_unknown_asks_for_it() -> None:
    result = score(visceral="none", brain=None)
    assert result.status == "partial" and result.range == (13, 15)
    assert result.missing == ("disease.brain_metastases",)


def test_brain_metastases_change_the_band() -> None:
    """Kidney 3, KPS 70 → 1, one extraspinal focus 1, two vertebral 1, Frankel E 2, no visceral
    metastases 2 → 10 (>= 6 months); with brain metastases the organ item is 0 or 1 → 8-9,
    spanning < 6 months and >= 6 months."""
    base: dict[str, Any] = dict(
        kps=70, extraspinal=1, vertebral=2, visceral="none", primary="kidney", frankel="E"
    )
    without = tokuhashi.compute(make(**base, brain=False), None)
    with_brain = tokuhashi.compute(make(**base, brain=True), None)
    assert (without.total, without.category) == (10, "gte_6_months")
    assert with_brain.range == (8, 9) and with_brain.category is None


@pytest.mark.parametrize(("grade", "expected"), sorted(FRANKEL.items()))
def test_every_frankel_grade(grade: str, expected: int) -> None:
    assert points(score(frankel=grade), "palsy_frankel") == expected


@pytest.mark.parametrize(("grade", "expected"), sorted(FRANKEL.items()))
def test_asia_is_an_approximate_frankel_grade(grade: str, expected: int) -> None:
    result = score(frankel=None, asia=grade)
    assert points(result, "palsy_frankel") == expected
    assert result.status == "complete"
    assert any("approximate" in n for n in result.notes)


def test_frankel_wins_over_asia() -> None:
    result = score(frankel="E", asia="A")
    assert points(result, "palsy_frankel") == 2
    assert not any("approximate" in n for n in result.notes)


# --- bands ------------------------------------------------------------------------------------

CATEGORY = (
    {t: "lt_6_months" for t in range(0, 9)}
    | {t: "gte_6_months" for t in range(9, 12)}
    | {t: "gte_1_year" for t in range(12, 16)}
)


@pytest.mark.parametrize("total", range(0, 16))
def test_every_total_and_boundary(total: int) -> None:
    result = tokuhashi.compute(case_with_total(total), None)
    assert result.status == "complete"
    assert result.total == total and result.range == (total, total)
    assert result.category == CATEGORY[total]


def test_boundaries_explicitly() -> None:
    def category(total: int) -> str | None:
        return tokuhashi.compute(case_with_total(total), None).category

    assert (category(8), category(9)) == ("lt_6_months", "gte_6_months")
    assert (category(11), category(12)) == ("gte_6_months", "gte_1_year")


# --- worked examples --------------------------------------------------------------------------


def test_worked_example_best_prognosis() -> None:
    """Built by hand from the NICE CG75 Appendix 3 table (clinical-reference §5.1): breast 5,
    KPS 80 → 2, no extraspinal bone metastases 2, one vertebral metastasis 2, no visceral
    metastases 2, Frankel E 2 → 15, >= 1 year."""
    result = tokuhashi.compute(
        make(kps=80, extraspinal=0, vertebral=1, visceral="none", primary="breast", frankel="E"),
        None,
    )
    assert result.total == 15 and result.category == "gte_1_year"
    assert [c.points for c in result.components] == [2, 2, 2, 2, 5, 2]


def test_worked_example_poor_prognosis() -> None:
    """Built by hand from the same table: lung NSCLC 0, KPS 50 → 1, three extraspinal foci 0,
    two vertebral metastases 1, unremovable visceral metastases 0, Frankel C 1 → 3, < 6 months."""
    result = tokuhashi.compute(
        make(
            kps=50,
            extraspinal=3,
            vertebral=2,
            visceral="unremovable",
            primary="lung_nsclc",
            frankel="C",
        ),
        None,
    )
    assert result.total == 3 and result.category == "lt_6_months"


def test_worked_example_renal_intermediate() -> None:
    """Built by hand from the same table: kidney 3, KPS 70 → 1, one extraspinal focus 1, two
    vertebral metastases 1, removable visceral metastases 1, Frankel D 1 → 8; with Frankel E
    → 9 (the 8/9 boundary)."""
    base: dict[str, Any] = dict(
        kps=70, extraspinal=1, vertebral=2, visceral="removable", primary="kidney"
    )
    d = tokuhashi.compute(make(**base, frankel="D"), None)
    e = tokuhashi.compute(make(**base, frankel="E"), None)
    assert (d.total, d.category) == (8, "lt_6_months")
    assert (e.total, e.category) == (9, "gte_6_months")


# --- unknowns ---------------------------------------------------------------------------------


def test_empty_case_spans_the_whole_scale() -> None:
    result = tokuhashi.compute(make(), None)
    assert result.status == "partial" and result.total is None and result.category is None
    assert result.range == (0, 15)
    assert set(result.missing) == {
        "performance.kps",
        "disease.extraspinal_bone_metastases",
        "disease.vertebral_metastases",
        "disease.visceral_metastases",
        "cancer.primary",
        "neurology.frankel",
    }


def test_unknown_primary_site_spans_the_primary_row() -> None:
    result = score(primary=None)
    assert result.range == (10, 15) and result.missing == ("cancer.primary",)
    assert result.category is None


def test_partial_score_keeps_category_when_the_range_fits_one_band() -> None:
    result = score(frankel=None)  # 13-15: every completion is >= 1 year
    assert result.status == "partial" and result.range == (13, 15)
    assert result.category == "gte_1_year"


# --- properties -------------------------------------------------------------------------------

KPS_VALUES = [None, *range(10, 101, 10)]
ECOG_VALUES = [None, 0, 1, 2, 3, 4]
ECOG_AS_KPS = {0: [90, 100], 1: [70, 80], 2: [50, 60], 3: [30, 40], 4: [10, 20]}
GRADES = ["A", "B", "C", "D", "E"]
PRIMARY_CODES = [str(p) for p in Primary]

inputs = st.fixed_dictionaries(
    {
        "kps": st.sampled_from(KPS_VALUES),
        "ecog": st.sampled_from(ECOG_VALUES),
        "extraspinal": st.sampled_from([None, 0, 1, 2, 3, 5]),
        "vertebral": st.sampled_from([None, 1, 2, 3, 4]),
        "visceral": st.sampled_from([None, *VISCERAL]),
        "brain": st.sampled_from([None, True, False]),
        "primary": st.sampled_from([None, *PRIMARY_CODES]),
        "frankel": st.sampled_from([None, *GRADES]),
        "asia": st.sampled_from([None, *GRADES]),
    }
)


def completions(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Every completion of the unknown inputs (primary: one code per points value)."""
    domains: dict[str, list[Any]] = {}
    if raw["kps"] is None:
        ecog = raw["ecog"]
        domains["kps"] = ECOG_AS_KPS[ecog] if ecog is not None else list(KPS)
    if raw["extraspinal"] is None:
        domains["extraspinal"] = [0, 1, 2, 3, 4]
    if raw["vertebral"] is None:
        domains["vertebral"] = [1, 2, 3, 4]
    # organ item: the worst of the visceral and brain metastases; brain metastases may be
    # removable or not. Each reachable points value is completed as (visceral, no brain).
    organ: set[int] = set()
    for visceral in [raw["visceral"]] if raw["visceral"] is not None else list(VISCERAL):
        for brain in [raw["brain"]] if raw["brain"] is not None else [True, False]:
            for brain_points in (0, 1) if brain else (2,):
                organ.add(min(VISCERAL[visceral], brain_points))
    by_points = {pts: name for name, pts in VISCERAL.items()}
    domains["organ"] = [(by_points[p], False) for p in sorted(organ)]
    if raw["primary"] is None:
        domains["primary"] = list({pts: code for code, pts in PRIMARY.items()}.values())
    if raw["frankel"] is None and raw["asia"] is None:
        domains["frankel"] = GRADES
    keys = list(domains)
    out = []
    for values in itertools.product(*domains.values()):
        done = raw | dict(zip(keys, values, strict=True))
        done["visceral"], done["brain"] = done.pop("organ")
        out.append(done)
    return out


@settings(max_examples=60, deadline=None)
@given(inputs)
def test_range_is_exactly_the_span_of_every_completion(raw: dict[str, Any]) -> None:
    result = tokuhashi.compute(make(**raw), None)
    totals = [tokuhashi.compute(make(**c), None).total for c in completions(raw)]
    assert None not in totals
    assert result.range == (min(totals), max(totals))  # type: ignore[type-var]
    assert 0 <= result.range[0] <= result.range[1] <= 15
    if result.status == "complete":
        assert result.total == sum(c.points for c in result.components)  # type: ignore[misc]
        assert result.missing == ()
    else:
        # brain metastases of unrecorded removability: no field completes the item
        unfillable = raw["brain"] is True and raw["visceral"] in ("none", "removable")
        assert result.total is None and (result.missing or unfillable)


@settings(max_examples=60, deadline=None)
@given(inputs, st.sampled_from(list(KPS)), st.sampled_from(list(KPS)))
def test_better_general_condition_never_lowers_the_score(
    raw: dict[str, Any], kps_a: int, kps_b: int
) -> None:
    low, high = sorted((kps_a, kps_b))
    worse = tokuhashi.compute(make(**(raw | {"kps": low})), None)
    better = tokuhashi.compute(make(**(raw | {"kps": high})), None)
    assert worse.range is not None and better.range is not None
    assert worse.range[0] <= better.range[0] and worse.range[1] <= better.range[1]


@settings(max_examples=60, deadline=None)
@given(inputs, st.integers(0, 8), st.integers(0, 8))
def test_more_extraspinal_foci_never_raise_the_score(raw: dict[str, Any], a: int, b: int) -> None:
    few, many = sorted((a, b))
    r_few = tokuhashi.compute(make(**(raw | {"extraspinal": few})), None)
    r_many = tokuhashi.compute(make(**(raw | {"extraspinal": many})), None)
    assert r_few.range is not None and r_many.range is not None
    assert r_many.range[0] <= r_few.range[0] and r_many.range[1] <= r_few.range[1]


@settings(max_examples=60, deadline=None)
@given(inputs, st.integers(1, 8), st.integers(1, 8))
def test_more_vertebral_metastases_never_raise_the_score(
    raw: dict[str, Any], a: int, b: int
) -> None:
    few, many = sorted((a, b))
    r_few = tokuhashi.compute(make(**(raw | {"vertebral": few})), None)
    r_many = tokuhashi.compute(make(**(raw | {"vertebral": many})), None)
    assert r_few.range is not None and r_many.range is not None
    assert r_many.range[0] <= r_few.range[0] and r_many.range[1] <= r_few.range[1]


@settings(max_examples=40, deadline=None)
@given(inputs)
def test_unknown_never_raises_and_to_dict_is_the_contract(raw: dict[str, Any]) -> None:
    out = tokuhashi.compute(make(**raw), None).to_dict()
    assert out["id"] == "tokuhashi_revised" and out["version"] == "tokuhashi_revised_2005@1"
    assert out["status"] in ("complete", "partial")
    assert len(out["components"]) == 6
