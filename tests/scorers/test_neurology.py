"""Neurology (Frankel / ASIA) against clinical-reference §3.1-3.2 and Tokuhashi palsy (§5.1)."""

from __future__ import annotations

from typing import Any

import pytest

from spinemets.case.models import Case
from spinemets.scorers import REGISTRY, neurology

# Revised Tokuhashi palsy item: complete = Frankel A, B; incomplete = C, D; none = E.
PALSY = {"A": "complete", "B": "complete", "C": "incomplete", "D": "incomplete", "E": "none"}
COMPONENTS = [
    "frankel",
    "asia",
    "ambulatory",
    "deficit",
    "motor_deficit_days",
    "myelopathy",
    "radiculopathy",
    "sphincter_dysfunction",
]


def run(**neuro: Any) -> Any:
    case = Case.model_validate({"schema_version": 1, "case_id": "t", "neurology": neuro})
    return neurology.compute(case, None)


@pytest.mark.parametrize(("letter", "category"), sorted(PALSY.items()))
def test_every_frankel_grade(letter: str, category: str) -> None:
    result = run(frankel=letter)
    assert result.status == "complete"
    assert result.grade == letter
    assert result.category == category
    assert result.total is None and result.range is None
    assert result.notes == ()
    assert result.missing == ()


@pytest.mark.parametrize(("letter", "category"), sorted(PALSY.items()))
def test_every_asia_grade_alone_is_approximate(letter: str, category: str) -> None:
    result = run(asia=letter)
    assert result.status == "complete"
    assert result.grade == letter  # A->A ... E->E (§3.2)
    assert result.category == category
    assert any("approximate" in n for n in result.notes)


@pytest.mark.parametrize("letter", sorted(PALSY))
def test_both_given_and_equal(letter: str) -> None:
    result = run(frankel=letter, asia=letter)
    assert result.grade == letter
    assert result.notes == ()


@pytest.mark.parametrize(("frankel", "asia"), [(f, a) for f in PALSY for a in PALSY if f != a])
def test_both_given_and_different_uses_frankel(frankel: str, asia: str) -> None:
    result = run(frankel=frankel, asia=asia)
    assert result.grade == frankel
    assert result.category == PALSY[frankel]
    assert len(result.notes) == 1
    assert f"Frankel {frankel}" in result.notes[0] and f"ASIA {asia}" in result.notes[0]


@pytest.mark.parametrize(
    "neuro", [{}, {"frankel": "unknown", "asia": None}, {"ambulatory": "with_aid"}]
)
def test_none_given_not_computable(neuro: dict[str, Any]) -> None:
    result = run(**neuro)
    assert result.status == "not_computable"
    assert result.missing == ("neurology.frankel",)
    assert result.category is None and result.grade is None
    assert any("asia" in n for n in result.notes)


def test_components_carry_clinical_findings() -> None:
    result = run(
        frankel="D",
        ambulatory="with_aid",
        deficit="progressing",
        motor_deficit_days=3,
        myelopathy=True,
        radiculopathy=False,
    )
    values = {c["name"]: c["value"] for c in result.to_dict()["components"]}
    assert list(values) == COMPONENTS
    assert values == {
        "frankel": "D",
        "asia": "unknown",
        "ambulatory": "with_aid",
        "deficit": "progressing",
        "motor_deficit_days": "3",
        "myelopathy": "true",
        "radiculopathy": "false",
        "sphincter_dysfunction": "unknown",
    }
    assert all(c.points is None and c.possible == () for c in result.components)


def test_not_computable_still_lists_components() -> None:
    result = run(sphincter_dysfunction=True)
    values = {c["name"]: c["value"] for c in result.to_dict()["components"]}
    assert values["sphincter_dysfunction"] == "true"
    assert values["frankel"] == "unknown"


def test_scorer_metadata() -> None:
    s = REGISTRY["neurology"]
    assert s is neurology.SCORER
    assert (s.id, s.scope, s.version, s.direction) == (
        "neurology",
        "case",
        "neurology_frankel_asia@1",
        "none",
    )
    assert s.tables["palsy_category"] == PALSY
    assert "Paraplegia" in s.citation
    assert s.doc
