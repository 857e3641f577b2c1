"""Unit tests of the condition vocabulary and its three-valued (Kleene) logic."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from spinemets.assessment import LesionScores
from spinemets.case.models import Case
from spinemets.rules.engine import Truth, compute_ladder, eqd2, truth_of
from spinemets.rules.loader import load_rules
from spinemets.rules.models import Condition, RuleSet
from spinemets.scorers.base import ScoreResult

from .helpers import case_from, named, score

RULES = load_rules(None)
COND: TypeAdapter[Any] = TypeAdapter(Condition)

# Three atoms over booleans of the case: T is true, F is false, U is not recorded.
ATOM_CASE = case_from(
    {
        "schema_version": 1,
        "case_id": "LOGIC",
        "neurology": {"myelopathy": True, "radiculopathy": False},
        "lesions": [{"level": "T12", "escc": "2"}],
    }
)
T = {"field": {"path": "neurology.myelopathy", "eq": True}}
F = {"field": {"path": "neurology.radiculopathy", "eq": True}}
U = {"field": {"path": "neurology.sphincter_dysfunction", "eq": True}}
VALUE = {"T": True, "F": False, "U": None}
ATOMS = {"T": T, "F": F, "U": U}


def truth(
    cond: dict[str, Any], case: Case = ATOM_CASE, lesion: int | None = None, rules: RuleSet = RULES
) -> Truth:
    lesions, scores = score(case)
    return truth_of(rules, case, lesions, scores, COND.validate_python(cond), lesion)


def truth_with(
    cond: dict[str, Any],
    scores: dict[str, ScoreResult],
    case: Case = ATOM_CASE,
    lesion_scores: dict[str, ScoreResult] | None = None,
    lesion: int | None = None,
) -> Truth:
    lesions = tuple(
        LesionScores(i, les.level, lesion_scores or {}) for i, les in enumerate(case.lesions)
    )
    return truth_of(RULES, case, lesions, scores, COND.validate_python(cond), lesion)


# --- Kleene truth tables (strong Kleene logic: F < U < T; and = min, or = max, not = flip) ------

ORDER = {"F": 0, "U": 1, "T": 2}
NAMES = {0: "F", 1: "U", 2: "T"}
AND_TABLE = {
    ("T", "T"): "T", ("T", "U"): "U", ("T", "F"): "F",
    ("U", "T"): "U", ("U", "U"): "U", ("U", "F"): "F",
    ("F", "T"): "F", ("F", "U"): "F", ("F", "F"): "F",
}  # fmt: skip
OR_TABLE = {
    ("T", "T"): "T", ("T", "U"): "T", ("T", "F"): "T",
    ("U", "T"): "T", ("U", "U"): "U", ("U", "F"): "U",
    ("F", "T"): "T", ("F", "U"): "U", ("F", "F"): "F",
}  # fmt: skip


@pytest.mark.parametrize("pair", list(AND_TABLE))
def test_all_is_kleene_and(pair: tuple[str, str]) -> None:
    got = truth({"all": [ATOMS[pair[0]], ATOMS[pair[1]]]})
    assert got.value is VALUE[AND_TABLE[pair]]


@pytest.mark.parametrize("pair", list(OR_TABLE))
def test_any_is_kleene_or(pair: tuple[str, str]) -> None:
    got = truth({"any": [ATOMS[pair[0]], ATOMS[pair[1]]]})
    assert got.value is VALUE[OR_TABLE[pair]]


@pytest.mark.parametrize(("atom", "expected"), [("T", False), ("F", True), ("U", None)])
def test_not_flips_and_keeps_unknown(atom: str, expected: bool | None) -> None:
    assert truth({"not": ATOMS[atom]}).value is expected


def test_unknown_names_what_it_needs() -> None:
    got = truth({"all": [T, U]})
    assert got.value is None
    assert named(got.needs) == ("neurology.sphincter_dysfunction",)
    assert named(truth({"all": [F, U]}).needs) == ()  # decided false: nothing needed


def test_empty_all_is_true() -> None:
    assert truth({"all": []}).value is True


# Random condition trees over the three atoms agree with the reference Kleene evaluation, and a
# known result never changes when the unknown atom is completed either way.
trees: st.SearchStrategy[Any] = st.recursive(
    st.sampled_from(["T", "F", "U"]),
    lambda sub: st.one_of(
        st.tuples(st.just("all"), st.lists(sub, min_size=1, max_size=3)),
        st.tuples(st.just("any"), st.lists(sub, min_size=1, max_size=3)),
        st.tuples(st.just("not"), sub),
    ),
    max_leaves=8,
)


def to_condition(tree: Any, atoms: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if isinstance(tree, str):
        return atoms[tree]
    op, arg = tree
    if op == "not":
        return {"not": to_condition(arg, atoms)}
    return {op: [to_condition(a, atoms) for a in arg]}


def reference(tree: Any, u: str = "U") -> str:
    if isinstance(tree, str):
        return u if tree == "U" else tree
    op, arg = tree
    if op == "not":
        return {"T": "F", "F": "T", "U": "U"}[reference(arg, u)]
    values = [ORDER[reference(a, u)] for a in arg]
    return NAMES[min(values) if op == "all" else max(values)]


@given(trees)
def test_random_trees_follow_kleene_logic(tree: Any) -> None:
    got = truth(to_condition(tree, ATOMS))
    assert got.value is VALUE[reference(tree)]
    if got.value is not None:  # completing the unknown (U := T or U := F) keeps the result
        assert reference(tree, "T") == reference(tree, "F") == reference(tree)
    else:
        assert named(got.needs) == ("neurology.sphincter_dysfunction",)


# --- score conditions ----------------------------------------------------------------------------


def sins(
    low: int, high: int, category: str | None = None, missing: tuple[str, ...] = ()
) -> ScoreResult:
    complete = low == high
    return ScoreResult(
        "sins", "t", "complete" if complete else "partial", low if complete else None, (low, high),
        category, (), missing, "c",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rng", "expected"),
    [
        ((7, 9), True),
        ((13, 13), True),
        ((5, 6), False),
        ((0, 0), False),
        ((6, 7), None),
        ((1, 16), None),
    ],
)
def test_total_gte_decides_only_when_the_whole_range_is_on_one_side(
    rng: tuple[int, int], expected: bool | None
) -> None:
    got = truth_with(
        {"score": {"id": "sins", "total_gte": 7}},
        {},
        lesion_scores={"sins": sins(*rng, missing=("lesions[0].pain",))},
        lesion=0,
    )
    assert got.value is expected
    assert named(got.needs) == (("lesions[0].pain",) if expected is None else ())


@pytest.mark.parametrize(("rng", "expected"), [((4, 6), True), ((7, 7), False), ((6, 7), None)])
def test_total_lte(rng: tuple[int, int], expected: bool | None) -> None:
    got = truth_with(
        {"score": {"id": "sins", "total_lte": 6}}, {}, lesion_scores={"sins": sins(*rng)}, lesion=0
    )
    assert got.value is expected


@pytest.mark.parametrize(
    ("rng", "wanted", "expected"),
    [
        ((8, 14), ["potentially_unstable", "unstable"], True),  # straddles two bands, both wanted
        ((8, 14), ["unstable"], None),
        ((0, 5), ["unstable"], False),
        ((13, 18), ["unstable"], True),
    ],
)
def test_category_in_uses_the_bands_a_partial_range_can_reach(
    rng: tuple[int, int], wanted: list[str], expected: bool | None
) -> None:
    got = truth_with(
        {"score": {"id": "sins", "category_in": wanted}},
        {},
        lesion_scores={"sins": sins(*rng)},
        lesion=0,
    )
    assert got.value is expected


def test_grade_in_reads_the_lesion_being_considered() -> None:
    assert truth({"score": {"id": "escc", "grade_in": ["2", "3"]}}, lesion=0).value is True
    assert truth({"score": {"id": "escc", "grade_in": ["0"]}}, lesion=0).value is False
    unknown = case_from({"schema_version": 1, "case_id": "X", "lesions": [{"level": "T3"}]})
    got = truth({"score": {"id": "escc", "grade_in": ["2"]}}, unknown, lesion=0)
    assert got.value is None and named(got.needs) == ("lesions[0].escc",)


def test_missing_score_is_unknown_never_false() -> None:
    got = truth_with({"score": {"id": "tomita", "category": "terminal_care"}}, {})
    assert got.value is None and named(got.needs) == ("tomita (score not computed)",)


def test_case_score_category() -> None:
    case = case_from({"schema_version": 1, "case_id": "X", "neurology": {"frankel": "B"}})
    assert truth({"score": {"id": "neurology", "category": "complete"}}, case).value is True
    assert truth({"score": {"id": "neurology", "category": "none"}}, case).value is False


# --- field conditions ----------------------------------------------------------------------------

FIELD_CASE = case_from(
    {
        "schema_version": 1,
        "case_id": "FIELDS",
        "cancer": {"primary": "breast"},
        "labs": {"egfr": 30},
        "neurology": {"deficit": "stable"},
        "lesions": [
            {"level": "T4", "collapse": "lt50", "prior_radiation": {"dose_gy": 8, "fractions": 1}}
        ],
    }
)


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        ({"path": "labs.egfr", "gte": 30}, True),  # boundary: 30 is >= 30
        ({"path": "labs.egfr", "lte": 29.9}, False),
        ({"path": "labs.egfr", "lte": 30}, True),
        ({"path": "neurology.deficit", "eq": "stable"}, True),
        ({"path": "neurology.deficit", "in": ["none", "progressing"]}, False),
        ({"path": "cancer.primary", "eq": "breast"}, True),
        ({"path": "pain.nrs", "gte": 7}, None),
        ({"path": "pain.nrs", "known": True}, False),  # known is never unknown
        ({"path": "pain.nrs", "known": False}, True),
        ({"path": "labs.egfr", "known": True}, True),
    ],
)
def test_field_tests(test: dict[str, Any], expected: bool | None) -> None:
    assert truth({"field": test}, FIELD_CASE).value is expected


def test_lesion_paths_and_sections() -> None:
    assert (
        truth(
            {"field": {"path": "lesion.collapse", "in": ["lt50", "gt50"]}}, FIELD_CASE, lesion=0
        ).value
        is True
    )
    got = truth({"field": {"path": "lesion.prior_radiation", "known": True}}, FIELD_CASE, lesion=0)
    assert got.value is True
    assert "8 Gy in 1 fraction (prescription EQD2, alpha/beta 2: 20.0 Gy)" in got.facts[0]
    got = truth({"field": {"path": "lesion.escc", "eq": "2"}}, FIELD_CASE, lesion=0)
    assert got.value is None and named(got.needs) == ("lesions[0].escc",)


def test_threshold_from_a_parameter() -> None:
    cond = {"field": {"path": "labs.egfr", "gte": {"param": "surgery_min_survival_months"}}}
    assert truth(cond, FIELD_CASE).value is True  # 30 >= 3
    params = dict(RULES.parameters)
    params["surgery_min_survival_months"] = params["surgery_min_survival_months"].model_copy(
        update={"value": 31}
    )
    assert truth(cond, FIELD_CASE, rules=replace(RULES, parameters=params)).value is False


def test_param_condition() -> None:
    assert truth({"param": {"name": "sbrt_available", "eq": True}}).value is True
    assert truth({"param": {"name": "sbrt_available", "eq": False}}).value is False


# --- radiosensitivity, survival, any_lesion, ladder -------------------------------------------


def radio_case(**cancer: Any) -> Case:
    return case_from({"schema_version": 1, "case_id": "R", "cancer": cancer})


@pytest.mark.parametrize(
    ("primary", "cls"),
    [
        ("lymphoma", "sensitive"),
        ("myeloma", "sensitive"),
        ("breast", "intermediate"),
        ("prostate", "intermediate"),
        ("kidney", "resistant"),
        ("renal", "resistant"),
        ("lung_nsclc", "resistant"),
        ("melanoma", "resistant"),
    ],
)
def test_radiosensitivity_table(primary: str, cls: str) -> None:
    """case-format.md v1 decision: the table rows."""
    for candidate in ("sensitive", "intermediate", "resistant"):
        got = truth({"radiosensitivity": {"in": [candidate]}}, radio_case(primary=primary))
        assert got.value is (candidate == cls)


@pytest.mark.parametrize("primary", ["unknown_primary", "other", "lung"])
def test_radiosensitivity_unknown_rows_ask_the_mdt(primary: str) -> None:
    got = truth({"radiosensitivity": {"in": ["resistant"]}}, radio_case(primary=primary))
    assert got.value is None and named(got.needs) == ("cancer.radiosensitivity",)


def test_radiosensitivity_override_wins_and_missing_primary_is_unknown() -> None:
    case = radio_case(
        primary="kidney", radiosensitivity="sensitive", radiosensitivity_reason="histology review"
    )
    assert truth({"radiosensitivity": {"in": ["sensitive"]}}, case).value is True
    got = truth({"radiosensitivity": {"in": ["sensitive"]}}, radio_case())
    assert got.value is None and named(got.needs) == ("cancer.primary",)


def tokuhashi(category: str | None, rng: tuple[int, int] | None = None) -> ScoreResult:
    return ScoreResult(
        "tokuhashi_revised", "t", "complete", None, rng, category, (), ("performance.kps",), "c"
    )


@pytest.mark.parametrize(
    ("category", "months", "expected"),
    [
        ("gte_1_year", 3, True),
        ("gte_1_year", 12, True),
        ("gte_1_year", 13, None),
        ("gte_6_months", 6, True),
        ("gte_6_months", 7, None),
        ("lt_6_months", 3, None),  # "< 6 months" cannot decide ">= 3 months"
        ("lt_6_months", 6, False),
        ("lt_6_months", 12, False),
    ],
)
def test_survival_from_tokuhashi_groups(category: str, months: int, expected: bool | None) -> None:
    """Tokuhashi 2005 groups: 0-8 < 6 months, 9-11 >= 6 months, 12-15 >= 1 year."""
    got = truth_with(
        {"survival": {"gte_months": months}}, {"tokuhashi_revised": tokuhashi(category)}
    )
    assert got.value is expected
    if expected is None:
        assert "prognosis.expected_survival_months" in named(got.needs)


def test_survival_from_a_partial_score_range() -> None:
    both_long = tokuhashi(None, (9, 15))  # >= 6 months or >= 1 year: >= 6 either way
    assert (
        truth_with({"survival": {"gte_months": 3}}, {"tokuhashi_revised": both_long}).value is True
    )
    straddling = tokuhashi(None, (7, 10))
    got = truth_with({"survival": {"gte_months": 3}}, {"tokuhashi_revised": straddling})
    assert got.value is None and "performance.kps" in named(got.needs)


def test_any_lesion() -> None:
    two = case_from(
        {
            "schema_version": 1,
            "case_id": "X",
            "lesions": [{"level": "T2", "escc": "0"}, {"level": "T9", "escc": "3"}],
        }
    )
    assert truth({"any_lesion": {"score": {"id": "escc", "grade_in": ["3"]}}}, two).value is True
    assert truth({"any_lesion": {"score": {"id": "escc", "grade_in": ["1c"]}}}, two).value is False
    none = case_from({"schema_version": 1, "case_id": "X"})
    got = truth({"any_lesion": {"score": {"id": "escc", "grade_in": ["3"]}}}, none)
    assert got.value is None and named(got.needs) == ("lesions",)


def test_ref_evaluates_the_named_condition() -> None:
    assert truth({"ref": "neuro_symptoms"}).value is True  # myelopathy true


def ladder_case(**pain: Any) -> Case:
    return case_from({"schema_version": 1, "case_id": "L", "pain": pain})


@pytest.mark.parametrize(
    ("nrs", "step"),
    [(0, 0), (1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (10, 3)],
)
def test_ladder_step_from_every_nrs_band_boundary(nrs: int, step: int) -> None:
    """NCCN bands 1-3 mild, 4-6 moderate, 7-10 severe (case-format v1); 0 no pain."""
    assert compute_ladder(RULES, ladder_case(nrs=nrs)).step == step


@pytest.mark.parametrize(
    ("pain", "step", "needs"),
    [
        ({"nrs": 5, "current_step": 1, "controlled": True}, 2, ()),  # band above the current step
        ({"nrs": 2, "current_step": 2, "controlled": True}, 2, ()),  # controlled: stay, never down
        ({"nrs": 2, "current_step": 1, "controlled": False}, 2, ()),  # not controlled: up one
        ({"nrs": 5, "current_step": 2, "controlled": False}, 3, ()),
        ({"nrs": 9, "current_step": 3, "controlled": False}, 3, ()),  # no step above 3
        ({"current_step": 1, "controlled": False}, 2, ()),  # decided without the NRS
        ({"nrs": 2, "current_step": 2}, 2, ("pain.controlled",)),
        ({"current_step": 2}, None, ("pain.nrs", "pain.controlled")),
        ({}, None, ("pain.nrs",)),
    ],
)
def test_ladder_moves_up_not_sideways(
    pain: dict[str, Any], step: int | None, needs: tuple[str, ...]
) -> None:
    got = compute_ladder(RULES, ladder_case(**pain))
    assert got.step == step and named(got.needs) == needs


def test_ladder_step_condition() -> None:
    case = ladder_case(nrs=5)
    assert truth({"ladder_step": {"gte": 2}}, case).value is True
    assert truth({"ladder_step": {"eq": 3}}, case).value is False
    got = truth({"ladder_step": {"lte": 1}}, ladder_case())
    assert got.value is None and named(got.needs) == ("pain.nrs",)


@pytest.mark.parametrize(
    ("dose", "fractions", "expected"), [(8, 1, 20.0), (20, 5, 30.0), (30, 10, 37.5), (24, 2, 84.0)]
)
def test_eqd2_linear_quadratic(dose: float, fractions: int, expected: float) -> None:
    """EQD2 = D (d + a/b) / (2 + a/b) with a/b = 2 (cord): e.g. 30 Gy/10 → 30 x 5 / 4 = 37.5 Gy."""
    assert eqd2(dose, fractions) == pytest.approx(expected)
