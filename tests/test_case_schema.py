"""schemas/case.schema.json checked with an independent validator (``jsonschema``): every shipped
example and the template validate, and the schema accepts what the loader accepts (and rejects
what it rejects) where JSON Schema can say it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from strategies import TODAY, case_dicts, to_yaml

from spinemets.case.loader import load_case_bytes
from spinemets.case.template import TEMPLATE
from spinemets.errors import CaseError
from spinemets.yamlsrc import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "schemas" / "case.schema.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
HEAD = "schema_version: 1\ncase_id: TB-1\n"


def data_of(text: str) -> Any:
    parsed = parse_bytes(text.encode(), "case.yaml")
    assert parsed.data is not None, [i.parsable() for i in parsed.issues]
    return parsed.data


def schema_errors(data: Any) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(data)]


def loader_accepts(text: str) -> bool:
    try:
        load_case_bytes(text.encode(), "case.yaml", today=TODAY)
    except CaseError:
        return False
    return True


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_validates_against_the_schema(path: Path) -> None:
    assert schema_errors(data_of(path.read_text("utf-8"))) == []


def test_the_template_validates_against_the_schema() -> None:
    assert schema_errors(data_of(TEMPLATE)) == []


@pytest.mark.parametrize(
    "body",
    [
        "cancer: {primary: renal}\n",  # alias of kidney
        "lesions:\n  - {level: T4, escc: 2}\n",  # unquoted grades load as numbers
        "lesions:\n  - {level: T4, escc: 0}\n",
        "lesions:\n  - {level: T4, escc: '1c'}\n",
        "labs: {albumin: 38 G/L}\n",  # the unit in any letter case
        "labs: {albumin: 3.8 g/dl}\n",
        "comorbidities: {operable: 'yes'}\n",
        "comorbidities: {operable: yes, anticoagulant: No}\n",  # plain yes/no in boolean fields
        "comorbidities: {operable: 'No', anticoagulant: 'YES'}\n",
        "lesions:\n  - {level: T4, prior_surgery: stabilization}\n",
        "lesions:\n  - {level: T4, prior_surgery: {procedure: augmentation, date: 2025-01-01}}\n",
        "prognosis: {expected_survival_months: 2.5}\n",
        "preferences: {goals_of_care: comfort}\n",
        "imaging: {mri_date: 2025-01-01, whole_spine: 'yes'}\n",
        "expected: {triage: urgent, scores: {tomita: 4, nesms: {total: 2}}}\n",
        "expected:\n  lesions: {T12: {escc: {grade: 2}}}\n  options: {sbrt/T12: consider}\n",
    ],
)
def test_schema_accepts_what_the_loader_accepts(body: str) -> None:
    text = HEAD + body
    assert loader_accepts(text)
    assert schema_errors(data_of(text)) == []


@pytest.mark.parametrize(
    "body",
    [
        "cancer: {primry: kidney}\n",
        "cancer: {primary: kidneys}\n",
        "lesions:\n  - {level: T4, escc: 1}\n",  # 1 alone is not a grade (1a, 1b or 1c)
        "labs: {albumin: 38}\n",
        "labs: {albumin: 38 mg/L}\n",
        "comorbidities: {operable: 'y'}\n",
        "patient: {sex: 'yes'}\n",
        "performance: {kps: 75}\n",
        "lesions:\n  - {level: T4, prior_surgery: fusion}\n",
        "prognosis: {expected_survival_months: 0}\n",
        "preferences: {goals_of_care: palliative}\n",
    ],
)
def test_schema_rejects_what_the_loader_rejects(body: str) -> None:
    text = HEAD + body
    assert not loader_accepts(text)
    assert schema_errors(data_of(text)) != []


def test_schema_types_the_expected_block() -> None:
    bad = data_of(HEAD + "expected: {triage: soonish}\n")
    assert schema_errors(bad) != []
    assert schema_errors(data_of(HEAD + "expected: {options: {sbrt/T4: maybe}}\n")) != []
    assert schema_errors(data_of(HEAD + "expected: {sins: {total: 3}}\n")) != []


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(case=case_dicts())
def test_every_valid_generated_case_validates_against_the_schema(case: dict[str, Any]) -> None:
    text = to_yaml(case)
    assert loader_accepts(text)
    assert schema_errors(data_of(text)) == []
