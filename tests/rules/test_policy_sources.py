"""The bundled policy cites what a clinician can look up: every rule has a citation and an
evidence grade, site policy names its parameter, and no clinician-facing text points at a
document the user does not have or says a fact is unchecked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinemets.case.levels import FIRST_BELOW_CONUS, LEVEL_ORDER, level_index, parse_level
from spinemets.explain import REFERENCE_PAGES, listing
from spinemets.rules.loader import load_rules
from spinemets.vocab import EVIDENCE

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = re.compile(
    r"clinical-reference|case-format|\bverify\b|unconfirmed|not retrieved|§", re.IGNORECASE
)
RULES = load_rules(None)


def clinician_texts() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for rule in RULES.rules:
        for text in (rule.citation, rule.summary, rule.rationale, rule.note, rule.note_false):
            if text:
                out.append((rule.id, text))
        for kind in ("avoid", "add", "adjuvants", "involve"):
            out += [(rule.id, item.reason) for item in getattr(rule, kind) or []]
        if rule.details:
            out.append((rule.id, str(rule.details)))
    for tier in RULES.triage:
        out += [(r.id, r.citation) for r in tier.rules] + [(r.id, r.reason) for r in tier.rules]
        out += [(tier.tier, action) for action in tier.actions]
    out += [(name, p.source) for name, p in RULES.parameters.items()]
    return out


def test_every_rule_has_an_evidence_grade() -> None:
    graded = [(r.id, r.evidence) for r in RULES.rules]
    graded += [(r.id, r.evidence) for tier in RULES.triage for r in tier.rules]
    assert [rid for rid, ev in graded if ev not in EVIDENCE] == []


def test_site_policy_rules_say_so_and_name_a_parameter_where_one_exists() -> None:
    for rule in RULES.rules:
        if rule.evidence == "site_policy":
            assert "site policy" in rule.citation.lower(), rule.id
    for name in ("bone_agent_min_survival_months", "sbrt_available"):
        assert any(name in r.citation for r in RULES.rules), name


@pytest.mark.parametrize(("where", "text"), clinician_texts())
def test_no_clinician_text_points_at_an_internal_document(where: str, text: str) -> None:
    assert not FORBIDDEN.search(text), (where, text)


@pytest.mark.parametrize("path", sorted((ROOT / "rules").glob("*.yaml")), ids=lambda p: p.name)
def test_rule_files_do_not_name_internal_documents(path: Path) -> None:
    assert not FORBIDDEN.search(path.read_text("utf-8")), path.name


def test_below_conus_lists_every_level_and_range_caudal_to_the_conus() -> None:
    below = [lv for lv in LEVEL_ORDER if level_index(lv) >= level_index(FIRST_BELOW_CONUS)]
    expected = set(below) | {
        str(parse_level(f"{a}-{b}")) for i, a in enumerate(below) for b in below[i + 1 :]
    }
    cond = RULES.conditions["below_conus"]
    listed = set(cond.when.field.in_ or [])  # type: ignore[union-attr]
    assert listed == expected


def test_explain_names_every_clinician_reference_page_and_each_exists() -> None:
    text = listing()
    for page in REFERENCE_PAGES.values():
        assert page in text
        assert (ROOT / page).is_file(), page
    pages = {p.name for p in (ROOT / "docs" / "clinical").glob("*.md")} - {"README.md"}
    assert pages == {Path(p).name for p in REFERENCE_PAGES.values()}
