"""Behaviour tests as data (sqlfluff style): each ``cases/*.yaml`` holds a case and the triage
tier and options the bundled rules must (and must not) produce. One parametrised test runs them.

A case file::

    description: ...
    basis: the clinical source of the expectations
    case: {schema_version: 1, case_id: ..., ...}     # inline, validated like a case file
    triage: emergency | urgent | soon | routine       # never missing
    triage_provisional: true                          # optional: a higher tier is not excluded
    triage_at_least: soon                             # optional: the tier that holds regardless
    triage_needs: [paths the tier needs]              # optional, each must be listed
    expect:
      - {id: sbrt, lesion: T12, strength: recommended,
         needs: [...], rationale: [substrings], basis: [rule ids],
         ladder_step: 3, avoid: [ids], add: [ids], adjuvants: [ids], involve: [ids]}
    not_expected:
      - {id: separation_surgery, lesion: T12}         # no such option at all
      - {id: sbrt, lesion: T12, strength: recommended}  # present, but not with this strength
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinemets.rules.loader import load_rules
from spinemets.rules.models import RuleSet

from .helpers import CASES_DIR, case_from, find, named, run

CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))
DETAIL_LISTS = ("avoid", "add", "adjuvants", "involve")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    allowed = {
        "description",
        "basis",
        "case",
        "parameters",
        "triage",
        "triage_needs",
        "triage_provisional",
        "triage_at_least",
        "expect",
        "not_expected",
    }
    assert set(data) <= allowed, set(data) - allowed
    assert data.get("description") and data.get("basis"), (
        f"{path.name}: description and basis are required"
    )
    return data


def rules_for(data: dict[str, Any]) -> RuleSet:
    """The bundled rules, with the case file's ``parameters`` overrides (site policy) applied."""
    rules = load_rules(None)
    overrides = data.get("parameters") or {}
    if not overrides:
        return rules
    params = dict(rules.parameters)
    for name, value in overrides.items():
        assert name in params, name
        params[name] = params[name].model_copy(update={"value": value})
    return replace(rules, parameters=params)


def test_there_are_behaviour_cases() -> None:
    assert len(CASE_FILES) >= 20


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_behaviour_case(path: Path) -> None:
    data = load(path)
    case = case_from(data["case"])
    triage, options = run(case, rules_for(data))
    assert triage.tier == data["triage"], (triage.tier, triage.reasons)
    assert triage.provisional == data.get("triage_provisional", False), triage.reasons
    assert triage.at_least == data.get("triage_at_least"), (triage.at_least, triage.reasons)
    for need in data.get("triage_needs", []):
        assert need in named(triage.needs), (need, triage.needs)
    for exp in data.get("expect", []):
        found = find(options, exp["id"], exp.get("lesion"))
        assert len(found) == 1, f"{exp['id']} at {exp.get('lesion')}: found {len(found)}"
        option = found[0]
        shown = (option.strength, option.summary, option.rationale, option.needs)
        assert option.strength == exp["strength"], shown
        for need in exp.get("needs", []):
            assert need in named(option.needs), (need, option.needs)
        for text in exp.get("rationale", []):
            assert any(text in line for line in option.rationale), (text, option.rationale)
        for rule_id in exp.get("basis", []):
            assert rule_id in {b.rule for b in option.basis}, (rule_id, option.basis)
        details = option.details or {}
        if "ladder_step" in exp:
            assert details.get("ladder_step") == exp["ladder_step"], details
        for key in DETAIL_LISTS:
            if key in exp:
                ids = [entry["id"] for entry in details.get(key, [])]
                assert sorted(ids) == sorted(exp[key]), (key, ids, exp[key])
    for absent in data.get("not_expected", []):
        found = find(options, absent["id"], absent.get("lesion"))
        if "strength" in absent:
            assert all(o.strength != absent["strength"] for o in found), (absent, found)
        else:
            assert not found, (absent, [(o.strength, o.summary) for o in found])


def fired_rule_ids() -> Iterator[str]:
    """Every rule id named in a basis (triage or option) over all behaviour cases."""
    for path in CASE_FILES:
        data = load(path)
        triage, options = run(case_from(data["case"]), rules_for(data))
        yield from (b.rule for b in triage.basis)
        for option in options:
            yield from (b.rule for b in option.basis)
            for line in option.rationale:  # rules shown as "not known" / "could be" lines
                if "[" in line and line.endswith("]"):
                    yield line.rsplit("[", 1)[1].rstrip("]")


def test_every_rule_is_exercised() -> None:
    rules = load_rules(None)
    all_ids = {r.id for r in rules.rules} | {r.id for t in rules.triage for r in t.rules}
    missing = sorted(all_ids - set(fired_rule_ids()))
    assert not missing, f"rules no behaviour case exercises: {missing}"


#: Options whose last strength rule always decides (``all: []`` or a ``known: false`` fallback):
#: they are never not evaluable, which test_fallback_options_always_decide checks.
FALLBACK_OPTIONS = {
    "bone_modifying_agent",
    "rehabilitation",
    "psychosocial_support",
    "complementary_therapies",
    "systemic_therapy_review",
    "mdt_review",
}


def test_every_option_strength_path_is_expected() -> None:
    """Every strength an option's rules can give, and not_evaluable, is asserted by some case."""
    rules = load_rules(None)
    asserted = {(e["id"], e["strength"]) for p in CASE_FILES for e in load(p).get("expect", [])}
    missing = []
    for option in rules.options:
        wanted = {r.strength for r in rules.rules_for(option.id) if r.strength}
        if option.id not in FALLBACK_OPTIONS:
            wanted.add("not_evaluable")
        missing += [(option.id, s) for s in sorted(wanted) if (option.id, s) not in asserted]
    assert not missing, f"option strengths no behaviour case asserts: {missing}"


def test_fallback_options_always_decide() -> None:
    """With nothing known but the lesion level, the fallback options still decide."""
    case = case_from({"schema_version": 1, "case_id": "EMPTY", "lesions": [{"level": "T8"}]})
    _, options = run(case)
    for option_id in FALLBACK_OPTIONS:
        found = find(options, option_id)
        assert len(found) == 1 and found[0].strength != "not_evaluable", (option_id, found)


def test_provisional_tier_shows_the_lower_tier_that_holds() -> None:
    data = load(CASES_DIR / "28_unknown_neurology_with_red_flag.yaml")
    triage, _ = run(case_from(data["case"]), rules_for(data))
    assert (triage.tier, triage.provisional, triage.at_least) == ("emergency", True, "urgent")
    assert any(r.startswith("at least urgent:") for r in triage.reasons), triage.reasons
    assert any(r.startswith("may be emergency:") for r in triage.reasons), triage.reasons
    assert [b.rule for b in triage.basis] == [
        "triage.emergency.neurology",
        "triage.urgent.red_flag_pain",
        "triage.urgent.high_grade_escc",  # no MRI read yet: high-grade ESCC not excluded
    ]
    assert "neurology.deficit" in named(triage.needs)
