"""NESMS (Ghori 2015; Schoenfeld 2016/2020) against clinical-reference §5.5 and the v1 decision
(total capped at 3). Expected points are written out here, not read from the module under test.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.case.models import Case
from spinemets.scorers import REGISTRY, nesms
from spinemets.scorers.base import ScoreResult

AMBULATORY = {"independent": 1, "with_aid": 0, "non_ambulatory": 0}

# Disease pictures with a known modified Bauer total (Leithner 2008 factors, worked by hand):
# (primary, visceral, vertebral, extraspinal) → Bauer total.
BAUER_CASES: dict[int, tuple[str, str, int, int]] = {
    0: ("lung", "unremovable", 2, 0),  # 0 + 0 + 0 + 0
    1: ("colon", "unremovable", 2, 0),  # not lung 1
    2: ("colon", "none", 2, 0),  # not lung 1, no visceral 1
    3: ("kidney", "none", 2, 0),  # not lung 1, favourable 1, no visceral 1
    4: ("breast", "none", 1, 0),  # all four
}


def make(
    *,
    bauer_total: int | None = 4,
    primary: str | None = None,
    visceral: str | None = None,
    vertebral: int | None = None,
    extraspinal: int | None = None,
    ambulatory: str | None = "independent",
    albumin: str | None = "4.0 g/dL",
) -> Case:
    if bauer_total is not None:
        primary, visceral, vertebral, extraspinal = BAUER_CASES[bauer_total]
    return Case.model_validate(
        {
            "schema_version": 1,
            "case_id": "nesms-test",
            "cancer": {"primary": primary},
            "disease": {
                "vertebral_metastases": vertebral,
                "extraspinal_bone_metastases": extraspinal,
                "visceral_metastases": visceral,
            },
            "neurology": {"ambulatory": ambulatory},
            "labs": {"albumin": albumin},
        }
    )


def score(**kw: Any) -> ScoreResult:
    return nesms.compute(make(**kw), None)


def points(result: ScoreResult, name: str) -> int | None:
    return next(c.points for c in result.components if c.name == name)


def test_registered_with_the_contract_strings() -> None:
    scorer = REGISTRY["nesms"]
    assert scorer is nesms.SCORER
    assert scorer.version == "nesms_v1_capped@1"
    assert scorer.direction == "higher_better"
    assert [(b.low, b.high, b.category) for b in scorer.bands] == [
        (0, 0, "nesms_0"),
        (1, 1, "nesms_1"),
        (2, 2, "nesms_2"),
        (3, 3, "nesms_3"),
    ]
    conflicts = " ".join(scorer.conflicts)
    assert "caps the total at 3" in conflicts and "0-3" in conflicts and "Ghori 2015" in conflicts
    # a clinician reads this text: an unconfirmed claim is left out, never shown as a caveat
    shown = " ".join((*scorer.conflicts, *scorer.limitations, scorer.citation)).lower()
    assert not any(word in shown for word in ("unconfirmed", "verify", "not retrieved"))
    assert "unconfirmed" not in scorer.doc.lower()


@pytest.mark.parametrize(("bauer_total", "expected"), [(0, 0), (1, 0), (2, 0), (3, 2), (4, 2)])
def test_modified_bauer_threshold(bauer_total: int, expected: int) -> None:
    assert points(score(bauer_total=bauer_total), "modified_bauer") == expected


@pytest.mark.parametrize(("status", "expected"), sorted(AMBULATORY.items()))
def test_every_ambulatory_status(status: str, expected: int) -> None:
    assert points(score(ambulatory=status), "ambulatory_status") == expected


@pytest.mark.parametrize(
    ("albumin", "expected"),
    [
        ("3.4 g/dL", 0),
        ("3.49 g/dL", 0),
        ("3.5 g/dL", 1),
        ("4.1 g/dL", 1),
        ("34 g/L", 0),
        ("34.9 g/L", 0),
        ("35 g/L", 1),
        ("35.0 g/L", 1),
        ("42 g/L", 1),
    ],
)
def test_albumin_threshold_in_either_unit(albumin: str, expected: int) -> None:
    result = score(albumin=albumin)
    assert points(result, "serum_albumin") == expected


def test_albumin_in_g_per_l_shows_the_conversion() -> None:
    item = next(c for c in score(albumin="35 g/L").components if c.name == "serum_albumin")
    assert item.value is not None and "35 g/L" in item.value and "3.5 g/dL" in item.value


def test_cap_components_two_plus_one_plus_one_is_three() -> None:
    result = score(bauer_total=4, ambulatory="independent", albumin="3.8 g/dL")
    assert [c.points for c in result.components] == [2, 1, 1]
    assert result.total == 3 and result.category == "nesms_3" and result.range == (3, 3)
    assert any("capped at 3" in n for n in result.notes)
    assert any("ceiling" in n for n in result.notes)


def test_cap_is_stated_even_when_not_applied() -> None:
    result = score(bauer_total=0, ambulatory="with_aid", albumin="3.0 g/dL")
    assert result.total == 0 and result.category == "nesms_0"
    assert any("caps the total at 3" in n for n in result.notes)
    assert not any("components sum to" in n for n in result.notes)


# Every total 0-3 from hand-worked components (Bauer points + ambulation + albumin).
@pytest.mark.parametrize(
    ("bauer_total", "ambulatory", "albumin", "total"),
    [
        (2, "non_ambulatory", "3.0 g/dL", 0),
        (2, "independent", "3.0 g/dL", 1),
        (1, "with_aid", "36 g/L", 1),
        (2, "independent", "3.9 g/dL", 2),
        (3, "with_aid", "3.0 g/dL", 2),
        (3, "independent", "3.0 g/dL", 3),
        (3, "with_aid", "3.5 g/dL", 3),
        (4, "independent", "40 g/L", 3),
    ],
)
def test_every_total_and_category(
    bauer_total: int, ambulatory: str, albumin: str, total: int
) -> None:
    result = score(bauer_total=bauer_total, ambulatory=ambulatory, albumin=albumin)
    assert result.total == total and result.category == f"nesms_{total}"


def test_worked_example() -> None:
    """Built by hand from clinical-reference §5.3 and §5.5: breast, no visceral metastases,
    solitary vertebral metastasis (modified Bauer 4 → 2), independent ambulation 1, albumin
    38 g/L = 3.8 g/dL 1 → 4, capped → NESMS 3."""
    result = nesms.compute(
        Case.model_validate(
            {
                "schema_version": 1,
                "case_id": "nesms-example",
                "cancer": {"primary": "breast"},
                "disease": {
                    "vertebral_metastases": 1,
                    "extraspinal_bone_metastases": 0,
                    "visceral_metastases": "none",
                },
                "neurology": {"ambulatory": "independent"},
                "labs": {"albumin": "38 g/L"},
            }
        ),
        None,
    )
    assert result.total == 3 and result.category == "nesms_3"


# --- partial Bauer ----------------------------------------------------------------------------


def test_partial_bauer_straddling_three_leaves_the_item_unknown() -> None:
    # colon, no visceral, unknown skeletal count: Bauer 2-3
    result = score(bauer_total=None, primary="colon", visceral="none", vertebral=1)
    item = next(c for c in result.components if c.name == "modified_bauer")
    assert item.points is None and item.possible == (0, 2)
    assert result.status == "partial" and result.range == (2, 3)
    assert "disease.extraspinal_bone_metastases" in result.missing


def test_partial_bauer_entirely_at_or_above_three_is_known() -> None:
    # breast, no visceral, unknown skeletal count: Bauer 3-4 → 2 points either way
    result = score(bauer_total=None, primary="breast", visceral="none", vertebral=1)
    assert points(result, "modified_bauer") == 2
    assert result.status == "complete" and result.total == 3 and result.missing == ()


def test_partial_bauer_entirely_below_three_is_known() -> None:
    # lung, visceral unknown, skeletal unknown: Bauer 0-2 → 0 points either way
    result = score(bauer_total=None, primary="lung")
    assert points(result, "modified_bauer") == 0
    assert result.status == "complete" and result.total == 2


def test_unknown_everything() -> None:
    result = score(bauer_total=None, ambulatory=None, albumin=None)
    assert result.status == "partial" and result.range == (0, 3) and result.category is None
    assert {"neurology.ambulatory", "labs.albumin", "cancer.primary"} <= set(result.missing)
    assert len(result.missing) == len(set(result.missing))


# --- properties -------------------------------------------------------------------------------

inputs = st.fixed_dictionaries(
    {
        "bauer_total": st.sampled_from([None, 0, 1, 2, 3, 4]),
        "ambulatory": st.sampled_from([None, *AMBULATORY]),
        "albumin": st.sampled_from([None, "3.2 g/dL", "3.5 g/dL", "34 g/L", "41 g/L"]),
    }
)


def completions(raw: dict[str, Any]) -> list[dict[str, Any]]:
    domains: dict[str, list[Any]] = {}
    if raw["ambulatory"] is None:
        domains["ambulatory"] = list(AMBULATORY)
    if raw["albumin"] is None:
        domains["albumin"] = ["3.0 g/dL", "4.0 g/dL"]
    if raw["bauer_total"] is None:  # no disease findings at all: any Bauer total
        domains["bauer_total"] = [0, 1, 2, 3, 4]
    keys = list(domains)
    return [
        raw | dict(zip(keys, values, strict=True))
        for values in itertools.product(*domains.values())
    ]


@settings(max_examples=60, deadline=None)
@given(inputs)
def test_range_is_exactly_the_span_of_every_completion(raw: dict[str, Any]) -> None:
    result = score(**raw)
    totals = [score(**c).total for c in completions(raw)]
    known = [t for t in totals if t is not None]
    assert len(known) == len(totals)
    assert result.range == (min(known), max(known))
    assert 0 <= result.range[0] <= result.range[1] <= 3
    if result.status == "complete":
        assert result.total == min(3, sum(c.points or 0 for c in result.components))


@settings(max_examples=60, deadline=None)
@given(inputs)
def test_better_inputs_never_lower_the_score(raw: dict[str, Any]) -> None:
    base = score(**raw)
    for better in ({"ambulatory": "independent"}, {"albumin": "4.5 g/dL"}, {"bauer_total": 4}):
        improved = score(**(raw | better))
        assert base.range is not None and improved.range is not None
        assert improved.range[0] >= base.range[0] and improved.range[1] >= base.range[1]


def test_unknowns_that_cannot_move_the_capped_total_leave_it_complete() -> None:
    """Bauer >= 3 (2 points) and independent walking (1) reach the cap of 3: the albumin item
    cannot change the total, so the score is complete at 3 and says albumin was not recorded."""
    from spinemets import api

    loaded = api.load_case_text(
        "schema_version: 1\ncase_id: NESMS-CAP\n"
        "cancer: {primary: breast}\n"
        "disease: {vertebral_metastases: 1, extraspinal_bone_metastases: 0,"
        " visceral_metastases: none}\n"
        "neurology: {ambulatory: independent}\n"
        "lesions: [{level: T8}]\n"
    )
    result = api.assess(loaded).scores["nesms"]
    assert (result.status, result.total, result.range) == ("complete", 3, (3, 3))
    assert "labs.albumin" in result.missing
    assert any("cannot change the total" in n for n in result.notes)
