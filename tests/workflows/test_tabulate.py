"""A CSV row's strengths-only evaluation (api.tabulate) says what the full assessment says:
the same triage, option strengths in the same order, scores, warnings and provenance, with
identifiers masked the same way; and it carries no rationale a renderer could show."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import case_dicts, to_yaml

from spinemets import api
from spinemets.assessment import Tabulation
from spinemets.case.loader import load_case_bytes
from spinemets.errors import CaseError
from tests.workflows.helpers import REPO

RULES = api.load_rules()


def _both(raw: bytes, redact: bool) -> tuple[api.Assessment, Tabulation] | None:
    try:
        loaded = load_case_bytes(raw, "<generated>")
    except CaseError:
        return None
    return api.assess(loaded, RULES, redact=redact), api.tabulate(loaded, RULES, redact=redact)


def _same(full: api.Assessment, table: Tabulation) -> None:
    assert table.strengths() == full.strengths()
    assert [(s.id, s.lesion, s.strength) for s in table.strengths()] == [
        (o.id, o.lesion, o.strength) for o in full.options
    ]
    assert table.triage == full.triage
    assert (table.case, table.lesions, table.scores) == (full.case, full.lesions, full.scores)
    assert (table.warnings, table.provenance) == (full.warnings, full.provenance)
    assert table.case_id == full.case_id


@settings(max_examples=150, deadline=None)
@given(case_dicts(), st.booleans())
def test_tabulate_says_what_assess_says(data: dict[str, Any], redact: bool) -> None:
    both = _both(to_yaml(data).encode("utf-8"), redact)
    if both is not None:
        _same(*both)


def test_every_example_with_and_without_redaction() -> None:
    for example in sorted((REPO / "examples").glob("*.yaml")):
        for redact in (False, True):
            both = _both(example.read_bytes(), redact)
            assert both is not None, example.name
            _same(*both)


def test_identifiers_are_masked_as_in_the_full_assessment() -> None:
    example = REPO / "examples" / "breast-t7-sbrt-or-cebrt.yaml"
    loaded = api.load_case(example)
    table = api.tabulate(loaded, RULES, redact=True)
    mrn = loaded.case.patient.mrn
    assert mrn
    assert mrn not in repr(table)
    assert table.redacted


def test_a_tabulation_has_no_rationale_to_render() -> None:
    names = {f.name for f in dataclasses.fields(Tabulation)}
    assert not names & {"options", "decisive_inputs", "prognosis", "cancer"}
