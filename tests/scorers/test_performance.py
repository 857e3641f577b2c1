"""Performance status (ECOG, KPS) against clinical-reference §4.1-4.3."""

from __future__ import annotations

from typing import Any

import pytest

from spinemets.case.models import Case
from spinemets.scorers import REGISTRY, performance
from spinemets.scorers.performance import ecog_from_kps, kps_for_ecog

# §4.3 "usual ECOG <-> KPS mapping" (ECOG-ACRIN, one commonly used comparison), column by column.
KPS_COLUMNS = [
    ((100, 90), 0),
    ((80, 70), 1),
    ((60, 50), 2),
    ((40, 30), 3),
    ((20, 10), 4),
    ((0,), 5),
]
EXPECTED_ECOG = {kps: ecog for column, ecog in KPS_COLUMNS for kps in column}


def run(**perf: Any) -> Any:
    case = Case.model_validate({"schema_version": 1, "case_id": "t", "performance": perf})
    return performance.compute(case, None)


def test_table_covers_every_kps_step() -> None:
    assert sorted(EXPECTED_ECOG) == list(range(0, 101, 10))


@pytest.mark.parametrize("kps", range(0, 101, 10))
def test_every_kps_maps(kps: int) -> None:
    ecog = EXPECTED_ECOG[kps]
    assert ecog_from_kps(kps) == ecog
    result = run(kps=kps)
    assert result.status == "complete"
    assert result.total == ecog
    assert result.range == (ecog, ecog)
    assert result.category == f"ecog_{ecog}"
    assert result.notes == (
        f"ECOG mapped from KPS {kps} (one commonly used comparison, ECOG-ACRIN)",
    )
    values = {c["name"]: c["value"] for c in result.to_dict()["components"]}
    assert values == {"kps": str(kps), "ecog": "unknown"}


@pytest.mark.parametrize("ecog", range(6))
def test_every_ecog(ecog: int) -> None:
    result = run(ecog=ecog)
    assert result.status == "complete"
    assert result.total == ecog
    assert result.range == (ecog, ecog)
    assert result.category == f"ecog_{ecog}"
    assert result.notes == ()
    assert all(c.points is None for c in result.components)


@pytest.mark.parametrize("ecog", range(6))
def test_kps_for_ecog(ecog: int) -> None:
    expected = next(column for column, e in KPS_COLUMNS if e == ecog)
    assert kps_for_ecog(ecog) == tuple(sorted(expected))
    assert all(ecog_from_kps(k) == ecog for k in kps_for_ecog(ecog))


@pytest.mark.parametrize("bad", [-10, 5, 95, 110])
def test_ecog_from_invalid_kps(bad: int) -> None:
    with pytest.raises(ValueError):
        ecog_from_kps(bad)


@pytest.mark.parametrize("bad", [-1, 6])
def test_kps_for_invalid_ecog(bad: int) -> None:
    with pytest.raises(ValueError):
        kps_for_ecog(bad)


@pytest.mark.parametrize(("kps", "ecog"), [(k, e) for k in range(0, 101, 10) for e in range(6)])
def test_both_given_recorded_ecog_wins(kps: int, ecog: int) -> None:
    result = run(kps=kps, ecog=ecog)
    assert result.total == ecog
    assert result.category == f"ecog_{ecog}"
    agree = EXPECTED_ECOG[kps] == ecog
    if agree:
        assert result.notes == ()
    else:
        assert len(result.notes) == 1
        assert "disagree" in result.notes[0] and f"KPS {kps}" in result.notes[0]
        assert "mapped" not in result.notes[0]


@pytest.mark.parametrize("perf", [{}, {"kps": None, "ecog": "unknown"}])
def test_neither_given(perf: dict[str, Any]) -> None:
    result = run(**perf)
    assert result.status == "not_computable"
    assert result.total is None and result.range is None and result.category is None
    assert result.missing == ("performance.kps", "performance.ecog")


def test_worked_example_from_module_docstring() -> None:
    # performance.py docstring: KPS 60 -> ECOG 2 (§4.3 column "60, 50").
    result = run(kps=60)
    assert (result.total, result.category) == (2, "ecog_2")


def test_scorer_metadata() -> None:
    s = REGISTRY["performance"]
    assert s is performance.SCORER
    assert (s.id, s.scope, s.version, s.direction) == (
        "performance",
        "case",
        "performance_ecog_kps@1",
        "higher_worse",
    )
    assert s.tables["kps_to_ecog"] == {str(k): v for k, v in EXPECTED_ECOG.items()}
    assert [b.category for b in s.bands] == [f"ecog_{e}" for e in range(6)]
    assert s.doc
