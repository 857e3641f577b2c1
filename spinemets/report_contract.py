"""The JSON report contract (version 1.1) as typed definitions, and its JSON Schema.

These models describe what :meth:`spinemets.assessment.Assessment.to_dict` writes; they are used
only to generate ``schemas/report.schema.json`` (``python -m spinemets.report_contract``) and by
the tests that validate every shipped example's report against it. Keys are added between
contract versions, never renamed; every object here forbids keys it does not list, so a key
added to the report without being added here fails the tests.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinemets.vocab import Evidence, Strength, Tier

SCHEMA_ID = "https://spinemets.org/schemas/report.schema.json"
REPORT_VERSION = "1.1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Tool(_Strict):
    name: Literal["spinemets"]
    version: str


class Provenance(_Strict):
    input_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    rules_sha256: str | None
    rules_source: str | None


class Patient(_Strict):
    """Demographics; the identifiers are absent with ``--redact``."""

    age: int | None
    sex: str | None
    name: str | None = None
    mrn: str | None = None
    birth_date: str | None = None


class Radiosensitivity(_Strict):
    class_: Literal["sensitive", "intermediate", "resistant", "unknown"] = Field(alias="class")
    source: Literal["rules table", "case override"] | None
    reason: str


class Cancer(_Strict):
    primary: str | None
    histology: str | None
    radiosensitivity: Radiosensitivity


class Basis(_Strict):
    rule: str
    citation: str
    evidence: Evidence | None


class Need(_Strict):
    """What would settle an undecided result: a case field, or clinician judgement (no path)."""

    path: str | None
    text: str


class Triage(_Strict):
    tier: Tier
    provisional: bool
    at_least: Tier | None
    reasons: list[str]
    basis: list[Basis]
    actions: list[str]
    needs: list[Need]


class Component(_Strict):
    name: str
    value: str
    points: int | None


class Score(_Strict):
    id: str
    version: str
    status: Literal["complete", "partial", "not_computable"]
    total: int | None
    range: list[int] | None = Field(min_length=2, max_length=2)
    category: str | None
    components: list[Component]
    missing: list[str]
    citation: str
    notes: list[str]


class Lesion(_Strict):
    level: str
    scores: dict[str, Score]


class PrognosisEntry(_Strict):
    id: str
    direction: str
    category: str | None
    group: Literal["poor", "intermediate", "good"] | None


class Prognosis(_Strict):
    entries: list[PrognosisEntry]
    disagreement: bool
    note: str


class Option(_Strict):
    id: str
    lesion: str | None
    strength: Strength
    summary: str
    rationale: list[str]
    needs: list[Need]
    basis: list[Basis]
    details: dict[str, Any] | None = Field(
        default=None,
        description="Option-specific details: analgesia has ladder_step, avoid, adjuvants and "
        "add; mdt_review has involve; radiation options have schedules.",
    )


class DecisiveInput(_Strict):
    """A missing case field and the undecided results it would settle ("what to ask next")."""

    path: str
    text: str
    settles: int = Field(ge=1)
    results: list[str]


class Warning(_Strict):
    code: str
    path: str
    message: str


class Report(_Strict):
    """``spinemets evaluate CASE --format json``: one report per case."""

    schema_version: Literal[1]
    report_version: Literal["1.1"]
    case_id: str
    tool: Tool
    intended_use: str
    provenance: Provenance
    patient: Patient
    cancer: Cancer | None
    triage: Triage
    lesions: list[Lesion]
    scores: dict[str, Score]
    prognosis: Prognosis
    options: list[Option]
    decisive_inputs: list[DecisiveInput]
    warnings: list[Warning]


def report_schema() -> dict[str, Any]:
    """The report JSON Schema (draft 2020-12)."""
    schema = Report.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = f"spinemets report (contract {REPORT_VERSION})"
    return schema


def report_schema_text() -> str:
    """The schema as stable, pretty-printed JSON text."""
    return json.dumps(report_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if (
    __name__ == "__main__"
):  # regenerate: python -m spinemets.report_contract > schemas/report.schema.json
    sys.stdout.write(report_schema_text())
