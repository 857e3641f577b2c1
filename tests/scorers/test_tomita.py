"""Tomita score (Spine 2001;26(3):298) against clinical-reference §5.2 and the v1 decisions.

Expected points are written out here from the published table and case-format.md, not read
from the module under test.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.case.models import Case, Lesion, Primary
from spinemets.scorers import REGISTRY, tomita
from spinemets.scorers.base import ScoreResult

GROWTH = {"slow": 1, "moderate": 2, "rapid": 4}
VISCERAL = {"none": 0, "removable": 2, "unremovable": 4}  # treatable 2, untreatable 4

# Growth class per coded primary: the published examples only (v1); None = needs cancer.growth.
PRIMARY_CLASS: dict[str, str | None] = {
    "breast": "slow",
    "thyroid": "slow",
    "prostate": "slow",
    "kidney": "moderate",
    "uterus": "moderate",
    "lung": "rapid",
    "lung_nsclc": "rapid",
    "lung_sclc": "rapid",
    "liver": "rapid",
    "stomach": "rapid",
    "colon": "rapid",
    "unknown_primary": "rapid",  # flagged
    "carcinoid": None,
    "rectum": None,
    "gallbladder": None,
    "esophagus": None,
    "pancreas": None,
    "bladder": None,
    "osteosarcoma": None,
    "melanoma": None,
    "myeloma": None,
    "lymphoma": None,
    "leukemia": None,
    "germ_cell": None,
    "sarcoma": None,
    "ovarian": None,
    "head_and_neck": None,
    "neuroendocrine": None,
    "other": None,
}
CATEGORY = (
    {t: "long_term_control" for t in (2, 3)}
    | {t: "middle_term_control" for t in (4, 5)}
    | {t: "short_term_palliation" for t in (6, 7)}
    | {t: "terminal_care" for t in (8, 9, 10)}
)


def make(
    *,
    primary: str | None = None,
    growth: str | None = None,
    visceral: str | None = None,
    vertebral: int | None = None,
    extraspinal: int | None = None,
    lesions: int = 0,
) -> Case:
    return Case.model_validate(
        {
            "schema_version": 1,
            "case_id": "tomita-test",
            "cancer": {"primary": primary, "growth": growth},
            "disease": {
                "vertebral_metastases": vertebral,
                "extraspinal_bone_metastases": extraspinal,
                "visceral_metastases": visceral,
            },
            "lesions": [{"level": "T12"}] * lesions,
        }
    )


COMPLETE: dict[str, Any] = {
    "primary": "breast",
    "visceral": "none",
    "vertebral": 1,
    "extraspinal": 0,
}


def score(**overrides: Any) -> ScoreResult:
    return tomita.compute(make(**(COMPLETE | overrides)), None)


def points(result: ScoreResult, name: str) -> int | None:
    return next(c.points for c in result.components if c.name == name)


def test_registered_with_the_contract_strings() -> None:
    scorer = REGISTRY["tomita"]
    assert scorer is tomita.SCORER
    assert scorer.version == "tomita_2001@1"
    assert scorer.direction == "higher_worse"
    assert "Spine 2001;26(3):298-306" in scorer.citation
    assert [(b.low, b.high, b.category) for b in scorer.bands] == [
        (2, 3, "long_term_control"),
        (4, 5, "middle_term_control"),
        (6, 7, "short_term_palliation"),
        (8, 10, "terminal_care"),
    ]


def test_no_survival_months_are_displayed() -> None:
    for band in tomita.BANDS:
        assert "month" not in band.meaning.lower()


# --- every coded value ------------------------------------------------------------------------


def test_hand_table_and_module_table_cover_every_primary() -> None:
    assert set(PRIMARY_CLASS) == {str(p) for p in Primary}
    assert set(tomita.PRIMARY_GROWTH) == set(Primary)


@pytest.mark.parametrize("primary", list(Primary), ids=str)
def test_every_primary_code(primary: Primary) -> None:
    result = score(primary=str(primary))
    cls = PRIMARY_CLASS[str(primary)]
    if cls is None:
        assert points(result, "primary_growth") is None
        assert result.status == "partial" and result.range == (2, 5)
        assert result.missing == ("cancer.growth",)
        assert any("cancer.growth" in n for n in result.notes)
    else:
        assert points(result, "primary_growth") == GROWTH[cls]
        assert result.total == GROWTH[cls] + 1  # no visceral 0, solitary 1


@pytest.mark.parametrize("primary", list(Primary), ids=str)
@pytest.mark.parametrize("growth", sorted(GROWTH))
def test_growth_class_always_wins(primary: Primary, growth: str) -> None:
    result = score(primary=str(primary), growth=growth)
    assert points(result, "primary_growth") == GROWTH[growth]
    assert result.status == "complete"


def test_unknown_primary_is_rapid_and_flagged() -> None:
    result = score(primary="unknown_primary")
    assert points(result, "primary_growth") == 4
    assert any("unknown primary" in n for n in result.notes)


def test_unknown_primary_site_spans_the_growth_row() -> None:
    result = score(primary=None)
    assert result.range == (2, 5) and result.missing == ("cancer.primary",)


@pytest.mark.parametrize(("visceral", "expected"), sorted(VISCERAL.items()))
def test_every_visceral_value(visceral: str, expected: int) -> None:
    assert points(score(visceral=visceral), "visceral_metastases") == expected


# --- bone metastases: solitary when vertebral + extraspinal = 1 -------------------------------


@pytest.mark.parametrize(
    ("vertebral", "extraspinal", "expected"),
    [(1, 0, 1), (1, 1, 2), (2, 0, 2), (1, 5, 2), (3, 2, 2)],
)
def test_solitary_or_multiple(vertebral: int, extraspinal: int, expected: int) -> None:
    result = score(vertebral=vertebral, extraspinal=extraspinal)
    assert points(result, "bone_metastases") == expected


@pytest.mark.parametrize(
    ("vertebral", "extraspinal", "lesions", "expected", "missing"),
    [
        (2, None, 0, 2, ()),  # two vertebral: multiple whatever the extraspinal count
        (None, 2, 0, 2, ()),  # two extraspinal: multiple
        (None, 1, 1, 2, ()),  # a listed spinal lesion + one extraspinal: multiple
        (1, None, 0, None, ("disease.extraspinal_bone_metastases",)),
        (None, 1, 0, None, ("disease.vertebral_metastases",)),
        (None, 0, 1, None, ("disease.vertebral_metastases",)),
        (
            None,
            None,
            1,
            None,
            ("disease.vertebral_metastases", "disease.extraspinal_bone_metastases"),
        ),
    ],
)
def test_partly_unknown_counts_decide_only_when_certain(
    vertebral: int | None,
    extraspinal: int | None,
    lesions: int,
    expected: int | None,
    missing: tuple[str, ...],
) -> None:
    result = score(vertebral=vertebral, extraspinal=extraspinal, lesions=lesions)
    assert points(result, "bone_metastases") == expected
    assert result.missing == missing
    if expected is None:
        assert result.range == (2, 3)


@pytest.mark.parametrize(
    ("levels", "extraspinal", "expected"),
    [
        (["T11-T12"], None, 2),  # two covered levels: at least 2 vertebral → multiple
        (["T12", "L2"], 0, 2),  # two lesions, two levels: multiple even with no extraspinal
        (["T12", "T12"], 0, None),  # one level twice: 1 vertebral (solitary) or more
        (["T12"], None, None),  # one level, extraspinal unknown: not certain
        (["T12"], 1, 2),  # one vertebral level + one extraspinal: multiple
        (["occiput"], 1, None),  # the occiput is not a vertebral level
    ],
)
def test_unknown_vertebral_count_is_at_least_the_levels_covered(
    levels: list[str], extraspinal: int | None, expected: int | None
) -> None:
    """Tomita bone item (solitary 1, multiple 2; clinical-reference §5.2) with
    ``vertebral_metastases`` unknown: the distinct levels the lesions cover are a lower bound."""
    case = make(**(COMPLETE | {"vertebral": None, "extraspinal": extraspinal}))
    case = case.model_copy(update={"lesions": [Lesion(level=lv) for lv in levels]})
    result = tomita.compute(case, None)
    assert points(result, "bone_metastases") == expected
    assert ("disease.vertebral_metastases" in result.missing) == (expected is None)


# --- bands ------------------------------------------------------------------------------------

# (growth, visceral, bone count as (vertebral, extraspinal)) for each total 2-10.
BY_TOTAL = {
    2: ("slow", "none", (1, 0)),
    3: ("slow", "none", (2, 0)),
    4: ("moderate", "none", (2, 0)),
    5: ("slow", "removable", (2, 0)),
    6: ("moderate", "removable", (2, 0)),
    7: ("rapid", "removable", (1, 0)),
    8: ("rapid", "removable", (2, 0)),
    9: ("rapid", "unremovable", (1, 0)),
    10: ("rapid", "unremovable", (3, 4)),
}


@pytest.mark.parametrize("total", range(2, 11))
def test_every_total_and_boundary(total: int) -> None:
    growth, visceral, (vert, extra) = BY_TOTAL[total]
    result = tomita.compute(
        make(growth=growth, visceral=visceral, vertebral=vert, extraspinal=extra), None
    )
    assert result.total == total and result.category == CATEGORY[total]


# --- worked examples --------------------------------------------------------------------------


def test_worked_example_kidney() -> None:
    """Built by hand from the Tomita 2001 table (clinical-reference §5.2): kidney (moderate 2),
    removable = treatable visceral metastases 2, 2 vertebral + 1 extraspinal (multiple 2) → 6,
    short-term palliation."""
    result = tomita.compute(
        make(primary="kidney", visceral="removable", vertebral=2, extraspinal=1), None
    )
    assert [c.points for c in result.components] == [2, 2, 2]
    assert result.total == 6 and result.category == "short_term_palliation"


def test_worked_example_solitary_breast() -> None:
    """Built by hand from the same table: breast (slow 1), no visceral metastases 0, a solitary
    vertebral metastasis 1 → 2, long-term local control (en-bloc candidate)."""
    result = tomita.compute(
        make(primary="breast", visceral="none", vertebral=1, extraspinal=0), None
    )
    assert result.total == 2 and result.category == "long_term_control"


def test_worked_example_melanoma_needs_growth() -> None:
    """Melanoma has no published Tomita class (v1): untreatable visceral 4, multiple 2 → 7-10,
    category unknown until cancer.growth is given; with growth rapid → 10, terminal care."""
    base: dict[str, Any] = dict(primary="melanoma", visceral="unremovable", vertebral=3)
    partial = tomita.compute(make(**base, extraspinal=2), None)
    assert partial.range == (7, 10) and partial.category is None
    complete = tomita.compute(make(**base, extraspinal=2, growth="rapid"), None)
    assert complete.total == 10 and complete.category == "terminal_care"


# --- properties -------------------------------------------------------------------------------

PRIMARY_CODES = [str(p) for p in Primary]
inputs = st.fixed_dictionaries(
    {
        "primary": st.sampled_from([None, *PRIMARY_CODES]),
        "growth": st.sampled_from([None, *GROWTH]),
        "visceral": st.sampled_from([None, *VISCERAL]),
        "vertebral": st.sampled_from([None, 1, 2, 3]),
        "extraspinal": st.sampled_from([None, 0, 1, 2, 3]),
        "lesions": st.just(1),  # a spinal lesion is listed: the vertebral count is >= 1
    }
)


def completions(raw: dict[str, Any]) -> list[dict[str, Any]]:
    domains: dict[str, list[Any]] = {}
    if raw["growth"] is None and (raw["primary"] is None or PRIMARY_CLASS[raw["primary"]] is None):
        domains["growth"] = list(GROWTH)
    if raw["visceral"] is None:
        domains["visceral"] = list(VISCERAL)
    if raw["vertebral"] is None:
        domains["vertebral"] = [1, 2, 3]
    if raw["extraspinal"] is None:
        domains["extraspinal"] = [0, 1, 2, 3]
    keys = list(domains)
    return [
        raw | dict(zip(keys, values, strict=True))
        for values in itertools.product(*domains.values())
    ]


@settings(max_examples=80, deadline=None)
@given(inputs)
def test_range_is_exactly_the_span_of_every_completion(raw: dict[str, Any]) -> None:
    result = tomita.compute(make(**raw), None)
    totals = [tomita.compute(make(**c), None).total for c in completions(raw)]
    known = [t for t in totals if t is not None]
    assert len(known) == len(totals)
    assert result.range == (min(known), max(known))
    assert 2 <= result.range[0] <= result.range[1] <= 10
    if result.status == "complete":
        assert result.total == sum(c.points or 0 for c in result.components)
        assert result.missing == ()


@settings(max_examples=60, deadline=None)
@given(inputs, st.sampled_from(list(GROWTH)), st.sampled_from(list(GROWTH)))
def test_faster_growth_never_lowers_the_score(raw: dict[str, Any], a: str, b: str) -> None:
    slower, faster = sorted((a, b), key=GROWTH.__getitem__)
    r_slow = tomita.compute(make(**(raw | {"growth": slower})), None)
    r_fast = tomita.compute(make(**(raw | {"growth": faster})), None)
    assert r_slow.range is not None and r_fast.range is not None
    assert r_slow.range[0] <= r_fast.range[0] and r_slow.range[1] <= r_fast.range[1]
