"""Every mapping table of the FHIR reader, enumerated (mCODE STU4, DICOM CID 7603, LOINC)."""

from __future__ import annotations

import itertools
import re

import pytest

from spinemets.case.levels import LEVEL_ORDER, parse_level
from spinemets.case.models import Primary
from spinemets.interop.fhir import codes, primary_codes

ALL_PRIMARY_TABLES = {
    "SNOMED_PRIMARY": primary_codes.SNOMED_PRIMARY,
    "ICD10_PRIMARY": primary_codes.ICD10_PRIMARY,
    "ICDO3_TOPOGRAPHY_PRIMARY": primary_codes.ICDO3_TOPOGRAPHY_PRIMARY,
    "SNOMED_LUNG_TYPE": primary_codes.SNOMED_LUNG_TYPE,
}


@pytest.mark.parametrize(
    ("table", "code"),
    [(name, code) for name, table in ALL_PRIMARY_TABLES.items() for code in table],
)
def test_every_code_table_entry_maps_to_a_primary_member(table: str, code: str) -> None:
    primary, label = ALL_PRIMARY_TABLES[table][code]
    assert isinstance(primary, Primary)
    assert Primary(primary.value) is primary
    assert label.strip()


@pytest.mark.parametrize(
    "entry",
    primary_codes.ICDO3_MORPHOLOGY_PRIMARY + primary_codes.ICDO3_LUNG_TYPE,
    ids=lambda e: f"{e[0]}-{e[1]}",
)
def test_every_morphology_range_maps_to_a_primary_member(
    entry: tuple[int, int, Primary, str],
) -> None:
    low, high, primary, label = entry
    assert 8000 <= low <= high <= 9999
    assert isinstance(primary, Primary) and label


@pytest.mark.parametrize(
    "table", [primary_codes.ICDO3_MORPHOLOGY_PRIMARY, primary_codes.ICDO3_LUNG_TYPE]
)
def test_morphology_ranges_do_not_overlap(table: tuple[tuple[int, int, Primary, str], ...]) -> None:
    ordered = sorted(table)
    for (_, high, _, _), (low, _, _, _) in itertools.pairwise(ordered):
        assert high < low


def test_lung_type_table_only_gives_lung_types() -> None:
    kinds = {p for _, _, p, _ in primary_codes.ICDO3_LUNG_TYPE} | {
        p for p, _ in primary_codes.SNOMED_LUNG_TYPE.values()
    }
    assert kinds == {Primary.LUNG_NSCLC, Primary.LUNG_SCLC}


def test_code_formats() -> None:
    assert all(re.fullmatch(r"[0-9]{6,18}", c) for c in primary_codes.SNOMED_PRIMARY)
    assert all(re.fullmatch(r"C[0-9][0-9A-Z][0-9]*", c) for c in primary_codes.ICD10_PRIMARY)
    assert all(re.fullmatch(r"C[0-9]{2,3}", c) for c in primary_codes.ICDO3_TOPOGRAPHY_PRIMARY)
    # primary tables never hold secondary (metastatic) ICD-10 codes
    assert not any(
        c.startswith(codes.ICD10_SECONDARY_PREFIXES) for c in primary_codes.ICD10_PRIMARY
    )
    assert not set(primary_codes.SNOMED_PRIMARY) & set(codes.SNOMED_SECONDARY)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("C50.911", Primary.BREAST),
        ("C61", Primary.PROSTATE),
        ("C64.1", Primary.KIDNEY),
        ("C34.90", Primary.LUNG),
        ("C18.7", Primary.COLON),
        ("C20", Primary.RECTUM),
        ("C22.0", Primary.LIVER),
        ("C22.1", Primary.OTHER),  # intrahepatic cholangiocarcinoma is not a liver-cell primary
        ("C90.00", Primary.MYELOMA),
        ("C90.10", Primary.LEUKEMIA),  # plasma cell leukaemia
        ("C7A.00", Primary.CARCINOID),
        ("C7A.1", Primary.NEUROENDOCRINE),
        ("C80.1", Primary.UNKNOWN_PRIMARY),
        ("c73", Primary.THYROID),
    ],
)
def test_icd10_longest_prefix(code: str, expected: Primary) -> None:
    hit = codes.longest_prefix(primary_codes.ICD10_PRIMARY, code)
    assert hit is not None and hit[1][0] is expected


@pytest.mark.parametrize("code", ["C19", "C53.9", "C62.90", "C79.51", "C41.2", "D48.6", "Z85.3"])
def test_icd10_codes_left_to_the_clinician(code: str) -> None:
    assert codes.longest_prefix(primary_codes.ICD10_PRIMARY, code) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("9732/3", Primary.MYELOMA),
        ("9680/3", Primary.LYMPHOMA),
        ("9861/3", Primary.LEUKEMIA),
        ("9061/3", Primary.GERM_CELL),
        ("8720/3", Primary.MELANOMA),
        ("9180/3", Primary.OSTEOSARCOMA),
        ("8312/3", Primary.KIDNEY),
        ("8312/6", Primary.KIDNEY),  # metastatic-site behaviour still names the histology
        ("8140/3", None),  # adenocarcinoma does not define a primary by itself
        ("8720/0", None),  # benign behaviour is never read
        ("8720/2", None),
        ("87203", None),
        ("garbage", None),
    ],
)
def test_morphology_lookup(code: str, expected: Primary | None) -> None:
    hit = primary_codes.morphology_lookup(primary_codes.ICDO3_MORPHOLOGY_PRIMARY, code)
    assert (hit[0] if hit else None) is expected


def test_vertebra_table_is_the_24_confirmed_codes() -> None:
    # DICOM CID 7603: C1-C7, T1-T12, L1-L5 ; sacrum/coccyx deliberately absent
    expected = [lv for lv in LEVEL_ORDER if lv[0] in "CTL" and lv not in ("T13", "L6")]
    assert list(codes.LEVEL_TO_SNOMED) == expected
    assert len(set(codes.LEVEL_TO_SNOMED.values())) == 24
    assert codes.LEVEL_TO_SNOMED["T12"] == "23215003"
    assert codes.LEVEL_TO_SNOMED["L1"] == "66794005"
    assert codes.LEVEL_TO_SNOMED["C1"] == "14806007"
    for code, level in codes.SNOMED_TO_LEVEL.items():
        assert codes.LEVEL_TO_SNOMED[level] == code
        assert str(parse_level(level)) == level
    assert not set(codes.SNOMED_TO_LEVEL) & set(codes.SPINE_REGIONS)
    assert not set(codes.SNOMED_TO_LEVEL) & set(codes.SACRAL_SPINE_SITES)


def test_answer_lists_match_interop_spec() -> None:
    # LOINC answer lists LL529-9 and LL4986-7
    assert codes.ECOG_ANSWERS == {
        "LA9622-7": 0, "LA9623-5": 1, "LA9624-3": 2, "LA9625-0": 3, "LA9626-8": 4, "LA9627-6": 5,
    }  # fmt: skip
    assert sorted(codes.KPS_ANSWERS.values()) == list(range(0, 101, 10))
    assert codes.KPS_ANSWERS["LA29175-9"] == 100
    assert codes.KPS_ANSWERS["LA29184-1"] == 10
    assert codes.KPS_ANSWERS["LA9627-6"] == 0


def test_loinc_codes() -> None:
    # LOINC
    assert (codes.LOINC_ECOG, codes.LOINC_KPS, codes.LOINC_ALBUMIN) == (
        "89247-1",
        "89243-0",
        "1751-7",
    )
    assert "98979-8" in codes.LOINC_EGFR
    assert all(re.fullmatch(r"[0-9]{4,5}-[0-9]", c) for c in codes.LOINC_EGFR)
    assert codes.LOINC_ALBUMIN not in codes.LOINC_EGFR


def test_secondary_tables() -> None:
    sites = {codes.SITE_BONE, codes.SITE_SPINE, codes.SITE_VISCERAL, codes.SITE_BRAIN}
    for site, label in [*codes.SNOMED_SECONDARY.values(), *codes.ICD10_SECONDARY.values()]:
        assert site in sites and label
    assert codes.SNOMED_SECONDARY["94222008"][0] == codes.SITE_BONE
    assert codes.ICD10_SECONDARY["C7951"][0] == codes.SITE_BONE
    assert codes.ICD10_SECONDARY["C7931"][0] == codes.SITE_BRAIN  # C79.31 is brain, not spine
    assert all(c.startswith(codes.ICD10_SECONDARY_PREFIXES) for c in codes.ICD10_SECONDARY)
