"""Modified Bauer (Leithner 2008, Eur Spine J 17(11):1488) against clinical-reference §5.3.

Expected points are written out here from the published factors and the v1 decisions of
case-format.md, not read from the module under test.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.case.models import Case, Primary
from spinemets.scorers import REGISTRY, bauer
from spinemets.scorers.base import ScoreResult

# (not lung cancer, favourable primary) per coded primary; None = unknown. v1: an unidentified
# primary may prove to be lung, or breast/kidney/lymphoma/myeloma, so both items are unknown.
PRIMARY: dict[str, tuple[int | None, int | None]] = {
    "breast": (1, 1),
    "kidney": (1, 1),
    "lymphoma": (1, 1),
    "myeloma": (1, 1),
    "lung": (0, 0),
    "lung_nsclc": (0, 0),
    "lung_sclc": (0, 0),
    "unknown_primary": (None, None),
    "prostate": (1, 0),
    "thyroid": (1, 0),
    "carcinoid": (1, 0),
    "rectum": (1, 0),
    "colon": (1, 0),
    "uterus": (1, 0),
    "liver": (1, 0),
    "gallbladder": (1, 0),
    "stomach": (1, 0),
    "esophagus": (1, 0),
    "pancreas": (1, 0),
    "bladder": (1, 0),
    "osteosarcoma": (1, 0),
    "melanoma": (1, 0),
    "leukemia": (1, 0),
    "germ_cell": (1, 0),
    "sarcoma": (1, 0),
    "ovarian": (1, 0),
    "head_and_neck": (1, 0),
    "neuroendocrine": (1, 0),
    "other": (1, 0),
}
NO_VISCERAL = {"none": 1, "removable": 0, "unremovable": 0}
CATEGORY = {0: "supportive_care", 1: "supportive_care", 2: "short_term_palliation"} | {
    3: "middle_term_control",
    4: "middle_term_control",
}


def make(
    *,
    primary: str | None = None,
    visceral: str | None = None,
    vertebral: int | None = None,
    extraspinal: int | None = None,
    lesions: int = 0,
) -> Case:
    return Case.model_validate(
        {
            "schema_version": 1,
            "case_id": "bauer-test",
            "cancer": {"primary": primary},
            "disease": {
                "vertebral_metastases": vertebral,
                "extraspinal_bone_metastases": extraspinal,
                "visceral_metastases": visceral,
            },
            "lesions": [{"level": "L2"}] * lesions,
        }
    )


COMPLETE: dict[str, Any] = {
    "primary": "breast",
    "visceral": "none",
    "vertebral": 1,
    "extraspinal": 0,
}


def score(**overrides: Any) -> ScoreResult:
    return bauer.compute(make(**(COMPLETE | overrides)), None)


def points(result: ScoreResult, name: str) -> int | None:
    return next(c.points for c in result.components if c.name == name)


def test_registered_with_the_contract_strings() -> None:
    scorer = REGISTRY["modified_bauer"]
    assert scorer is bauer.SCORER
    assert scorer.version == "modified_bauer_2008@1"
    assert scorer.direction == "higher_better"
    assert "Leithner" in scorer.citation and "Eur Spine J 2008;17(11):1488-1495" in scorer.citation
    assert [(b.low, b.high, b.category) for b in scorer.bands] == [
        (0, 1, "supportive_care"),
        (2, 2, "short_term_palliation"),
        (3, 4, "middle_term_control"),
    ]


def test_no_pathological_fracture_item() -> None:
    names = [c.name for c in score().components]
    assert len(names) == 4 and not any("fracture" in n for n in names)


def test_hand_table_and_module_table_cover_every_primary() -> None:
    assert set(PRIMARY) == {str(p) for p in Primary}
    assert set(bauer.PRIMARY_POINTS) == set(Primary)


@pytest.mark.parametrize("primary", list(Primary), ids=str)
def test_every_primary_code(primary: Primary) -> None:
    result = score(primary=str(primary))
    not_lung, favourable = PRIMARY[str(primary)]
    assert points(result, "not_lung_cancer") == not_lung
    assert points(result, "favourable_primary") == favourable
    if not_lung is None or favourable is None:
        # no visceral 1 + solitary 1 + (lung 0+0 ... favourable 1+1)
        assert result.status == "partial" and result.range == (2, 4)
        assert result.missing == ("cancer.primary",)
    else:
        assert result.total == 2 + not_lung + favourable  # no visceral 1, solitary 1


def test_unknown_primary_makes_both_primary_items_unknown() -> None:
    result = score(primary="unknown_primary")
    assert any("unknown primary" in n for n in result.notes)
    by_name = {c.name: c for c in result.components}
    assert by_name["not_lung_cancer"].possible == (0, 1)
    assert by_name["favourable_primary"].possible == (0, 1)
    # it can straddle every band: visceral (unremovable 0), multiple (0) → 0-2
    worst = score(primary="unknown_primary", visceral="unremovable", vertebral=2)
    assert worst.range == (0, 2) and worst.category is None
    assert bauer.SCORER.tables["favourable_primary"]["unknown_primary"] == "unknown"
    assert any("unknown primary" in c.lower() for c in bauer.SCORER.conflicts)


def test_unknown_primary_site_spans_both_primary_items() -> None:
    result = score(primary=None)
    assert result.range == (2, 4) and result.missing == ("cancer.primary",)


@pytest.mark.parametrize(("visceral", "expected"), sorted(NO_VISCERAL.items()))
def test_every_visceral_value(visceral: str, expected: int) -> None:
    assert points(score(visceral=visceral), "no_visceral_metastases") == expected


@pytest.mark.parametrize(
    ("vertebral", "extraspinal", "lesions", "expected"),
    [
        (1, 0, 0, 1),
        (1, 1, 0, 0),
        (2, 0, 0, 0),
        (2, None, 0, 0),
        (None, 2, 0, 0),
        (None, 1, 1, 0),
        (1, None, 0, None),
        (None, 1, 0, None),
        (None, 0, 1, None),
        (None, None, 0, None),
    ],
)
def test_solitary_skeletal_metastasis_same_count_as_tomita(
    vertebral: int | None, extraspinal: int | None, lesions: int, expected: int | None
) -> None:
    result = score(vertebral=vertebral, extraspinal=extraspinal, lesions=lesions)
    assert points(result, "solitary_skeletal_metastasis") == expected


@pytest.mark.parametrize(
    ("raw", "total"),
    [
        ({"primary": "lung", "visceral": "unremovable", "vertebral": 2}, 0),
        ({"primary": "colon", "visceral": "unremovable", "vertebral": 2}, 1),
        ({"primary": "colon", "visceral": "none", "vertebral": 2}, 2),
        ({"primary": "breast", "visceral": "removable", "vertebral": 2}, 2),
        ({"primary": "kidney", "visceral": "none", "vertebral": 2}, 3),
        ({"primary": "myeloma", "visceral": "none", "vertebral": 1}, 4),
    ],
)
def test_every_total_and_boundary(raw: dict[str, Any], total: int) -> None:
    result = bauer.compute(make(**(raw | {"extraspinal": 0})), None)
    assert result.total == total and result.category == CATEGORY[total]


def test_worked_example_breast_solitary() -> None:
    """Built by hand from the Leithner 2008 factors (clinical-reference §5.3): breast (not lung
    1, favourable 1), no visceral metastases 1, solitary vertebral metastasis 1 → 4, middle-term
    local control."""
    result = bauer.compute(
        make(primary="breast", visceral="none", vertebral=1, extraspinal=0), None
    )
    assert [c.points for c in result.components] == [1, 1, 1, 1]
    assert result.total == 4 and result.category == "middle_term_control"


def test_worked_example_lung_multiple() -> None:
    """Built by hand from the same factors: NSCLC (0, 0), unremovable visceral metastases 0,
    3 vertebral + 2 extraspinal (not solitary 0) → 0, supportive care."""
    result = bauer.compute(
        make(primary="lung_nsclc", visceral="unremovable", vertebral=3, extraspinal=2), None
    )
    assert result.total == 0 and result.category == "supportive_care"


# --- properties -------------------------------------------------------------------------------

PRIMARY_CODES = [str(p) for p in Primary]
inputs = st.fixed_dictionaries(
    {
        "primary": st.sampled_from([None, *PRIMARY_CODES]),
        "visceral": st.sampled_from([None, *NO_VISCERAL]),
        "vertebral": st.sampled_from([None, 1, 2, 3]),
        "extraspinal": st.sampled_from([None, 0, 1, 2]),
        "lesions": st.just(1),
    }
)


def completions(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Every completion of the unknowns; an unidentified primary may be any identified one."""
    domains: dict[str, list[Any]] = {}
    if raw["primary"] in (None, "unknown_primary"):
        domains["primary"] = [p for p in PRIMARY_CODES if p != "unknown_primary"]
    if raw["visceral"] is None:
        domains["visceral"] = list(NO_VISCERAL)
    if raw["vertebral"] is None:
        domains["vertebral"] = [1, 2, 3]
    if raw["extraspinal"] is None:
        domains["extraspinal"] = [0, 1, 2]
    keys = list(domains)
    return [
        raw | dict(zip(keys, values, strict=True))
        for values in itertools.product(*domains.values())
    ]


@settings(max_examples=80, deadline=None)
@given(inputs)
def test_range_is_exactly_the_span_of_every_completion(raw: dict[str, Any]) -> None:
    result = bauer.compute(make(**raw), None)
    ranges = [bauer.compute(make(**c), None).range for c in completions(raw)]
    lows = [r[0] for r in ranges if r is not None]
    highs = [r[1] for r in ranges if r is not None]
    assert result.range == (min(lows), max(highs))
    assert 0 <= result.range[0] <= result.range[1] <= 4
    if result.status == "complete":
        assert result.total == sum(c.points or 0 for c in result.components)
        assert result.missing == ()


@settings(max_examples=60, deadline=None)
@given(inputs)
def test_visceral_metastases_never_raise_the_score(raw: dict[str, Any]) -> None:
    without = bauer.compute(make(**(raw | {"visceral": "none"})), None)
    for visceral in ("removable", "unremovable"):
        with_ = bauer.compute(make(**(raw | {"visceral": visceral})), None)
        assert with_.range is not None and without.range is not None
        assert with_.range[1] <= without.range[1] and with_.range[0] <= without.range[0]
