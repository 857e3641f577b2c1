"""The shipped examples: each loads without error, has the editor schema header, and carries
exactly the cross-field warnings listed here. SINS totals and ESCC groups are checked against
hand calculations from the SINS point table (Fisher 2010, clinical-reference §1.2) and the ESCC
grade groups (Bilsky 2010, §2.2), so an edit that changes an example's clinical meaning fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spinemets import api
from spinemets.case.checks import cross_field_warnings
from spinemets.case.loader import load_case_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADER = "# yaml-language-server: $schema=../schemas/case.schema.json"

#: example → expected cross-field warnings as (code, path).
WARNINGS: dict[str, list[tuple[str, str]]] = {
    "breast-t7-sbrt-or-cebrt": [],
    "prostate-blastic-t10-l3": [],
    "lung-nsclc-t4-escc3-emergency": [],
    "renal-t12-hybrid": [],
    "myeloma-t8-escc2-cebrt": [],
    "unknown-primary-partial": [
        ("transitional_level_without_location_class", "lesions[0].level"),
        ("radiosensitivity_unknown", "cancer.radiosensitivity"),
    ],
    "thyroid-l1-unstable": [],
}

#: example → per lesion (SINS total or None when partial, ESCC group or None), by hand:
#: location + pain + bone + alignment + collapse + posterolateral.
LESIONS: dict[str, list[tuple[int | None, str | None]]] = {
    # T7 semi-rigid 1, occasional 1, lytic 2, normal 0, no collapse 0, unilateral 1 = 5; 1b low
    "breast-t7-sbrt-or-cebrt": [(5, "low_grade")],
    # T10: 1 + 1 + blastic 0 + 0 + 0 + 0 = 2, grade 0; L3 mobile 2 + mechanical 3 + 0 + 0 + 0 + 1
    "prostate-blastic-t10-l3": [(2, "low_grade"), (6, None)],
    # T4: 1 + 3 + 2 + 0 + lt50 2 + bilateral 3 = 11, grade 3; T6: 1 + 1 + 2 + 0 + 0 + 0 = 4, 1a
    "lung-nsclc-t4-escc3-emergency": [(11, "high_grade"), (4, "low_grade")],
    # T12 junctional 3 + 3 + 2 + 0 + 2 + 1 = 11, grade 1c (low-grade group)
    "renal-t12-hybrid": [(11, "low_grade")],
    # T8: 1 + 1 + 2 + 0 + 2 + 1 = 7, grade 2
    "myeloma-t8-escc2-cebrt": [(7, "high_grade")],
    # L6: location and four items unknown (partial); T11: 3 + ? + 2 + 0 + 0 + 1, grade 1a
    "unknown-primary-partial": [(None, None), (None, "low_grade")],
    # L1 junctional 3 + 3 + 2 + deformity 2 + lt50 2 + bilateral 3 = 15 (unstable)
    "thyroid-l1-unstable": [(15, "low_grade")],
}

FILES = sorted(EXAMPLES.glob("*.yaml"))


def test_the_examples_listed_here_are_the_shipped_ones() -> None:
    assert sorted(p.stem for p in FILES) == sorted(WARNINGS) == sorted(LESIONS)
    assert len(FILES) >= 7


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_loads_with_exactly_its_warnings(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.splitlines()[0] == HEADER
    loaded = load_case_file(path)
    assert loaded.case.schema_version == 1
    assert loaded.case.case_id
    table = api.load_rules().radiosensitivity_of
    got = [(w.code, w.path) for w in cross_field_warnings(loaded.case, table)]
    assert got == WARNINGS[path.stem]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_example_is_assessed_with_the_intended_lesion_findings(path: Path) -> None:
    assessment = api.assess(api.load_case(path))
    found = [(les.scores["sins"].total, les.scores["escc"].category) for les in assessment.lesions]
    assert found == LESIONS[path.stem]
    assert [(w.code, w.path) for w in assessment.warnings] == WARNINGS[path.stem]


def test_case_ids_are_unique() -> None:
    ids = [load_case_file(p).case.case_id for p in FILES]
    assert len(ids) == len(set(ids))


def test_renal_example_is_the_case_format_example() -> None:
    case = load_case_file(EXAMPLES / "renal-t12-hybrid.yaml").case
    assert case.case_id == "TB-2026-041"
    assert str(case.cancer.primary) == "kidney"  # 'renal' is the alias


def test_only_placeholder_identifiers_in_at_most_one_example() -> None:
    with_ids = []
    for path in FILES:
        patient = load_case_file(path).case.patient
        if patient.name or patient.mrn or patient.birth_date:
            with_ids.append(path.stem)
            assert patient.name == "Test Patient"
            assert patient.mrn is None or patient.mrn.startswith("TEST-")
            assert patient.birth_date is None
    assert len(with_ids) <= 1


def test_thyroid_example_is_unstable_and_the_unknown_primary_is_partial() -> None:
    thyroid = api.assess(api.load_case(EXAMPLES / "thyroid-l1-unstable.yaml"))
    sins = thyroid.lesions[0].scores["sins"]
    assert sins.total is not None and sins.total >= 13
    cup = api.assess(api.load_case(EXAMPLES / "unknown-primary-partial.yaml"))
    assert {les.scores["sins"].status for les in cup.lesions} == {"partial"}
