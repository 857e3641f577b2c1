"""The agenda hides no patient: invalid files named with the reason, duplicate ids flagged,
provisional tiers at their highest possible tier, rows a board can read aloud, the safety
details on each case page, stdout output, and tier badges with WCAG AA contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spinemets import api
from spinemets.render import words
from spinemets.render.html import BODY_PX, PRINT_PT, TIER_COLOURS, _css, contrast_ratio
from tests.workflows.helpers import GOOD_CASE, REPO, RULES, cli, write

#: No neurology at all: an emergency cannot be excluded, so the tier is provisional.
UNDETERMINED = """\
schema_version: 1
case_id: TB-UNKNOWN-9
cancer:
  primary: breast
lesions:
  - level: T7
"""

#: Anticoagulated and opioid-naive, in pain: NSAID and transdermal fentanyl are to be avoided.
SAFETY = GOOD_CASE.replace("case_id: TB-GOOD-1", "case_id: TB-SAFETY-2") + (
    "pain:\n  nrs: 7\n  opioid_status: naive\n  current_step: 1\n  controlled: false\n"
    "comorbidities:\n  anticoagulant: true\n"
)


def _board(tmp_path: Path, *files: Path, fmt: str = "markdown") -> tuple[int, str, str]:
    result = cli("board", *map(str, files), "--rules", str(RULES), "-o", "-", "-f", fmt)
    return result.exit_code, result.stdout, result.stderr


def test_board_writes_to_stdout_and_names_invalid_files(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", GOOD_CASE)
    bad = write(tmp_path / "bad.yaml", "schema_version: 1\ncase_id: B\npatient:\n  age: 300\n")
    code, out, err = _board(tmp_path, good, bad)
    assert code == 1  # an invalid file fails the command, after the agenda is written
    assert out.startswith("# Tumour board agenda")
    box = out.split("## Not on this agenda (1 file(s))", 1)[1].split("## 1.", 1)[0]
    assert f"`{bad}:4:8`" in box and "`patient.age`" in box
    assert "wrote stdout: 1 case(s)" in err and f"invalid: {bad}:4:8: error:" in err


def test_duplicate_case_ids_are_flagged_on_the_page(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", GOOD_CASE)
    b = write(tmp_path / "b.yaml", GOOD_CASE)
    for fmt in ("markdown", "html"):
        code, out, err = _board(tmp_path, a, b, fmt=fmt)
        assert code == 0, err
        assert "Duplicate case ids: TB-GOOD-1 (2 cases)" in out.replace("**", "")
        assert out.count("duplicate id") + out.count("Duplicate case id:") >= 4  # rows + pages
        assert "1 duplicate case id(s)" in err


def test_provisional_tier_sorts_at_its_highest_possible_tier(tmp_path: Path) -> None:
    settled = REPO / "examples" / "breast-t7-sbrt-or-cebrt.yaml"  # EX-BREAST-T7: a settled tier
    tier = api.assess(api.load_case(settled)).triage
    assert not tier.provisional and tier.tier != "emergency"
    unknown = write(tmp_path / "z.yaml", UNDETERMINED)
    code, out, err = _board(tmp_path, settled, unknown)
    assert code == 0, err
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|.*\| \*\*([A-Z?]+)\*\* \|", out, flags=re.M)
    assert rows[0][1].strip() == "TB-UNKNOWN-9"
    assert rows[0][2] == "EMERGENCY?"  # provisional: an emergency is not excluded
    assert rows[1][1].strip() == "EX-BREAST-T7" and rows[1][2] == tier.tier.upper()
    assert "provisional" in out.split("## 1.", 1)[1].split("\n", 1)[0]


def test_agenda_rows_read_aloud(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    _, out, _ = _board(tmp_path, case)
    head, row = [line for line in out.splitlines() if line.startswith("| ")][:2]
    assert [c.strip() for c in head.strip("|").split("|")] == [
        "#",
        "Case",
        "Level(s)",
        "Primary (radiosensitivity)",
        "ESCC",
        "SINS",
        "Prognosis",
        "Tier",
        "Local treatment",
    ]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:3] == ["TB-GOOD-1", "T12"]
    assert cells[3].startswith("kidney (")  # the primary and its radiosensitivity
    assert cells[4:6] == ["T12 1c", "T12 11"]  # ESCC 1c; SINS 11 (Fisher 2010)
    assert cells[8] and "rule" not in cells[8]


def test_case_page_shows_safety_details_not_rule_ids(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", SAFETY)
    for fmt in ("markdown", "html"):
        _, out, _ = _board(tmp_path, case, fmt=fmt)
        page = re.sub(r"<[^>]+>", "", out).replace("**", "")
        assert re.search(r"avoid NSAID: [^\n]*anticoagulant use \(bleeding risk\)", page)
        assert re.search(r"avoid transdermal fentanyl: opioid-naive", page)
        assert "add laxative" in page and "spinal surgery: SINS" in page
        assert not re.search(r"\b(analgesia|surgery|triage|mdt)\.[a-z_]+\.", page)


def test_tier_badges_meet_wcag_aa_contrast() -> None:
    assert set(TIER_COLOURS) == set(words.TIERS)
    for fg, bg in TIER_COLOURS.values():
        assert contrast_ratio(fg, bg) >= 4.5
    css = _css()
    for tier, (fg, bg) in TIER_COLOURS.items():
        assert f".tier-{tier} {{ color: {fg}; background: {bg}; }}" in css
    assert BODY_PX >= 14 and PRINT_PT * 96 / 72 >= 14  # body text >= 14 px on screen and paper


def test_contrast_arithmetic() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG example
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


@given(
    st.from_regex(r"#[0-9a-f]{6}", fullmatch=True), st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)
)
def test_contrast_is_symmetric_and_bounded(a: str, b: str) -> None:
    ratio = contrast_ratio(a, b)
    assert ratio == pytest.approx(contrast_ratio(b, a)) and 1.0 <= ratio <= 21.0
