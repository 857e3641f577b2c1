"""schemas/report.schema.json: generated from spinemets.report_contract, never stale, and every
shipped example's JSON report (plain and redacted) validates against it with an independent
JSON Schema validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from spinemets import api
from spinemets.report_contract import report_schema_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "report.schema.json"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def test_report_schema_is_not_stale() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == report_schema_text(), (
        "regenerate: python -m spinemets.report_contract > schemas/report.schema.json"
    )


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(VALIDATOR.schema)


@pytest.mark.parametrize("redact", [False, True])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_report_validates(example: Path, redact: bool) -> None:
    report = json.loads(api.render(api.assess(api.load_case(example), redact=redact), "json"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(report)]
    assert errors == []
    assert report["report_version"] == "1.1"


def test_schema_rejects_an_undocumented_key_and_a_wrong_tier() -> None:
    report = api.assess(api.load_case(EXAMPLES[0])).to_dict()
    assert VALIDATOR.is_valid(report)
    assert not VALIDATOR.is_valid({**report, "surprise": 1})
    assert not VALIDATOR.is_valid({**report, "triage": {**report["triage"], "tier": None}})
    cancer = report["cancer"]
    odd = {**cancer, "radiosensitivity": {**cancer["radiosensitivity"], "class": "high"}}
    assert not VALIDATOR.is_valid({**report, "cancer": odd})
