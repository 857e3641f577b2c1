"""Vertebral levels (spinemets/case/levels.py) against the SINS location table of
clinical-reference §1.2 (Fisher 2010), written out independently here."""

from __future__ import annotations

import pytest

from spinemets.case.levels import (
    LEVEL_ORDER,
    SINS_LOCATION,
    TRANSITIONAL,
    LevelError,
    LocationClass,
    level_index,
    parse_level,
)

J, M, S, R = "junctional", "mobile", "semi_rigid", "rigid"
SPEC_LOCATION = {
    "occiput": J, "C1": J, "C2": J,
    "C3": M, "C4": M, "C5": M, "C6": M,
    "C7": J, "T1": J, "T2": J,
    **{f"T{i}": S for i in range(3, 11)},
    "T11": J, "T12": J, "L1": J,
    "L2": M, "L3": M, "L4": M,
    "L5": J, "S1": J,
    "S2": R, "S3": R, "S4": R, "S5": R,
}  # fmt: skip

ALL = (
    ["occiput"]
    + [f"C{i}" for i in range(1, 8)]
    + [f"T{i}" for i in range(1, 14)]
    + [f"L{i}" for i in range(1, 7)]
    + [f"S{i}" for i in range(1, 6)]
    + ["coccyx"]
)


def test_level_order_is_cranial_to_caudal_with_transitional_levels() -> None:
    assert list(LEVEL_ORDER) == ALL
    assert [level_index(lv) for lv in ALL] == list(range(len(ALL)))
    assert TRANSITIONAL == ("T13", "L6")


@pytest.mark.parametrize("level", ALL)
def test_every_level_parses_to_itself(level: str) -> None:
    span = parse_level(level)
    assert (span.upper, span.lower, str(span), span.levels) == (level, level, level, (level,))


@pytest.mark.parametrize("level", ALL)
def test_sins_location_of_every_level(level: str) -> None:
    expected = SPEC_LOCATION.get(level)
    got = SINS_LOCATION.get(level)
    assert (str(got) if got else None) == expected
    if level in ("T13", "L6", "coccyx"):
        assert got is None  # not defined by SINS: location_class is needed


def test_location_classes() -> None:
    assert {str(c) for c in LocationClass} == {J, M, S, R}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("t12", "T12"), (" T12 ", "T12"), ("Occiput", "occiput"), ("C0", "occiput"),
     ("COCCYX", "coccyx"), ("l5-s1", "L5-S1"), ("T11 - T12", "T11-T12")],
)  # fmt: skip
def test_spellings(text: str, canonical: str) -> None:
    assert str(parse_level(text)) == canonical


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("T11-T12", ("T11", "T12")),
        ("T12-L1", ("T12", "L1")),  # usual anatomy: no T13 implied
        ("L5-S1", ("L5", "S1")),  # no L6 implied
        ("T12-T13", ("T12", "T13")),
        ("T13-L1", ("T13", "L1")),
        ("L4-L6", ("L4", "L5", "L6")),
        ("C7-T2", ("C7", "T1", "T2")),
        ("occiput-C1", ("occiput", "C1")),
        ("S4-coccyx", ("S4", "S5", "coccyx")),
    ],
)
def test_range_levels(text: str, levels: tuple[str, ...]) -> None:
    assert parse_level(text).levels == levels


@pytest.mark.parametrize(
    ("text", "transitional"),
    [("T13", ("T13",)), ("L6", ("L6",)), ("T12-T13", ("T13",)), ("T13-L6", ("T13", "L6")),
     ("T12-L1", ()), ("L5-S1", ())],
)  # fmt: skip
def test_transitional(text: str, transitional: tuple[str, ...]) -> None:
    assert parse_level(text).transitional == transitional


@pytest.mark.parametrize("level", ALL)
def test_below_conus_from_l2(level: str) -> None:
    # clinical-reference §3.3: the cord ends about L1-L2; v1 counts L2 and below as below.
    assert parse_level(level).below_conus == (ALL.index(level) >= ALL.index("L2"))


@pytest.mark.parametrize(("text", "below"), [("L1-L2", False), ("T12-L1", False), ("L2-L3", True)])
def test_range_is_below_conus_only_when_wholly_below(text: str, below: bool) -> None:
    assert parse_level(text).below_conus is below


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("C8", "C8 does not exist (C1-C7)"),
        ("T14", "T14 does not exist (T1-T12)"),
        ("L7", "L7 does not exist (L1-L5)"),
        ("S6", "S6 does not exist (S1-S5)"),
        ("T12-T11", "write a range from the upper to the lower level (T11-T12)"),
        ("T1-T2-T3", "is not a level or a range"),
        ("T1-", "is not a level or a range"),
        ("X1", "is not a vertebral level"),
        ("", "is not a vertebral level"),
        ("Т12", "CYRILLIC CAPITAL LETTER TE"),
        ("T１2", "FULLWIDTH DIGIT ONE"),
    ],
)
def test_invalid_levels(text: str, phrase: str) -> None:
    with pytest.raises(LevelError) as info:
        parse_level(text)
    assert phrase in str(info.value)
