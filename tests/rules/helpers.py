"""Shared helpers for the rules tests: run a case through the scorers and the rule engine."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from spinemets.assessment import LesionScores, Need, Option, Triage
from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Case
from spinemets.rules.engine import evaluate
from spinemets.rules.loader import load_rules
from spinemets.rules.models import RuleSet
from spinemets.scorers import REGISTRY
from spinemets.scorers.base import ScoreResult

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "rules"
CASES_DIR = Path(__file__).resolve().parent / "cases"
TODAY = "2026-06-01"


def case_from(mapping: dict[str, Any]) -> Case:
    """Validate an inline case mapping exactly as a case file is validated."""
    from datetime import date

    raw = yaml.safe_dump(mapping, sort_keys=False).encode("utf-8")
    return load_case_bytes(raw, "<inline case>", today=date.fromisoformat(TODAY)).case


def score(case: Case) -> tuple[tuple[LesionScores, ...], dict[str, ScoreResult]]:
    """Every registered scorer: lesion scorers per lesion (compute(case, i)), case scorers once."""
    lesion_scorers = [s for s in REGISTRY.values() if s.scope == "lesion"]
    lesions = tuple(
        LesionScores(i, lesion.level, {s.id: s.compute(case, i) for s in lesion_scorers})
        for i, lesion in enumerate(case.lesions)
    )
    scores = {s.id: s.compute(case, None) for s in REGISTRY.values() if s.scope == "case"}
    return lesions, scores


def run(case: Case, rules: RuleSet | None = None) -> tuple[Triage, tuple[Option, ...]]:
    lesions, scores = score(case)
    return evaluate(rules or load_rules(None), case, lesions, scores)


def find(options: tuple[Option, ...], option_id: str, lesion: str | None = None) -> list[Option]:
    return [o for o in options if o.id == option_id and (lesion is None or o.lesion == lesion)]


def one(options: tuple[Option, ...], option_id: str, lesion: str | None = None) -> Option:
    found = find(options, option_id, lesion)
    assert len(found) == 1, f"expected one {option_id} option for {lesion}, found {len(found)}"
    return found[0]


def named(needs: Iterable[Need]) -> tuple[str, ...]:
    """Needs as their case paths (their text where clinician judgement settles them)."""
    return tuple(n.path or n.text for n in needs)
