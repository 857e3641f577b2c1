"""Exported Bundles: validated with fhir.resources, the claimed mCODE profile constraints
checked with a FHIRPath engine, dates and provenance, on cases drafted from real examples."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhirpathpy import evaluate
from fhirpathpy.models import models
from typer.testing import CliRunner

from spinemets.case.loader import load_case_bytes
from spinemets.case.models import Case
from spinemets.cli.app import app
from spinemets.interop.fhir import codes, import_bundle
from spinemets.render import fhir
from tests.interop.test_fhir_render import CASE_YAML, assess, case_from

IG = Path(__file__).parent / "fixtures" / "mcode-ig"
R4 = models["r4"]

#: Constraints of the profiles the export claims (mCODE 4.0.0 ECOG / Karnofsky, on US Core
#: Observation Clinical Result 6.1.0), as FHIRPath. Each must be true for a claiming resource.
PROFILE_RULES: dict[str, dict[str, str]] = {
    codes.ECOG_PROFILE: {
        "code fixed to LOINC 89247-1": (
            "code.coding.where(system='http://loinc.org' and code='89247-1').exists()"
        ),
        "value is an integer 0-5": "value.ofType(integer).exists() and value <= 5 and value >= 0",
        "interpretation from LL529-9": (
            "interpretation.coding.where(system='http://loinc.org' and "
            "code in ('LA9622-7'|'LA9623-5'|'LA9624-3'|'LA9625-0'|'LA9626-8'|'LA9627-6'))"
            ".exists()"
        ),
    },
    codes.KPS_PROFILE: {
        "code fixed to LOINC 89243-0": (
            "code.coding.where(system='http://loinc.org' and code='89243-0').exists()"
        ),
        "value is an integer 0-100 in steps of 10": (
            "value.ofType(integer).exists() and (value mod 10) = 0 and value <= 100"
        ),
        "interpretation from LL4986-7": (
            "interpretation.coding.where(system='http://loinc.org' and "
            "(code.startsWith('LA2917') or code.startsWith('LA2918') or code = 'LA9627-6'))"
            ".exists()"
        ),
    },
}
#: US Core / mCODE rules shared by both profiles.
COMMON_RULES = {
    "status present": "status.exists()",
    "category present": "category.exists()",
    "subject 1..1, a real reference": "subject.reference.exists() or subject.identifier.exists()",
    "us-core-1: a dateTime has at least a day": (
        "effective.ofType(dateTime).empty() or effective.ofType(dateTime).toString().length() >= 10"
    ),
    "us-core-2: a value or a data-absent reason": (
        "(component.empty() and hasMember.empty()) implies "
        "(dataAbsentReason.exists() or value.exists())"
    ),
    "mCODE: no bodySite, component or hasMember": (
        "bodySite.empty() and component.empty() and hasMember.empty()"
    ),
}


def ig_case(name: str, **options: Any) -> Case:
    result = import_bundle((IG / name).read_bytes(), name, today=dt.date(2026, 3, 1), **options)
    return load_case_bytes(result.case_yaml.encode()).case


def with_scores(case: Case, *, assessed_on: dt.date | None = None) -> Case:
    """The drafted case with the clinician's additions (performance, a scored lesion)."""
    extra = case_from(CASE_YAML)
    update: dict[str, Any] = {"performance": extra.performance, "lesions": extra.lesions}
    if assessed_on is not None:
        update["assessed_on"] = assessed_on  # the assessment date field of the case
    return case.model_copy(update=update)


CASES = {
    "worked": lambda: case_from(CASE_YAML),
    "jenny-m": lambda: with_scores(ig_case("Bundle-mcode-patient-bundle-jenny-m.json")),
    "jenny-m-with-identifiers": lambda: with_scores(
        ig_case("Bundle-mcode-patient-bundle-jenny-m.json", with_identifiers=True),
        assessed_on=dt.date(2026, 2, 3),
    ),
}
SUBJECTS = [None, "Patient/cancer-patient-jenny-m"]


def claimed(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (profile, e["resource"])
        for e in data["entry"]
        for profile in e["resource"].get("meta", {}).get("profile", [])
    ]


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("redacted", [False, True])
def test_every_claimed_profile_holds(name: str, subject: str | None, redacted: bool) -> None:
    text = fhir.render(assess(CASES[name](), redacted=redacted), subject=subject)
    Bundle.model_validate_json(text)
    data = json.loads(text)
    for profile, resource in claimed(data):
        assert profile in PROFILE_RULES, f"claims an unchecked profile {profile}"
        for rule, expression in {**COMMON_RULES, **PROFILE_RULES[profile]}.items():
            assert evaluate(resource, expression, [], R4) == [True], (profile, rule)
    performance = [
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation"
        if e["resource"]["code"]["coding"][0]["system"] == codes.LOINC
    ]
    attached = subject is not None or not redacted  # the cases carry an MRN only unredacted
    if name == "jenny-m" and subject is None:
        attached = False  # drafted without identifiers: no MRN
    assert performance and all(("meta" in r) == attached for r in performance)


def test_effective_dates_and_provenance() -> None:
    case = CASES["jenny-m-with-identifiers"]()
    data = json.loads(fhir.render(assess(case), subject="Patient/cancer-patient-jenny-m"))
    observations = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    assert observations and {o["effectiveDateTime"] for o in observations} == {"2026-02-03"}
    (provenance,) = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Provenance"
    ]
    (device,) = [e for e in data["entry"] if e["resource"]["resourceType"] == "Device"]
    assert provenance["recorded"] == "2026-02-03T00:00:00Z"
    assert provenance["agent"][0]["who"]["reference"] == device["fullUrl"]
    assert device["resource"]["version"] == [{"value": "0.1.0"}]
    targets = {t["reference"] for t in provenance["target"]}
    others = {e["fullUrl"] for e in data["entry"]}
    kinds = {e["fullUrl"]: e["resource"]["resourceType"] for e in data["entry"]}
    assert targets == {u for u in others if kinds[u] not in ("Provenance", "CodeSystem")}
    digests = [ent["what"]["identifier"]["value"] for ent in provenance["entity"]]
    assert digests[0] == "0" * 64  # the input digest of the assessment


def test_without_an_assessment_date_no_effective_date_is_claimed() -> None:
    data = json.loads(fhir.render(assess(case_from(CASE_YAML))))  # the case has no assessed_on
    assert not [e for e in data["entry"] if "effectiveDateTime" in e["resource"]]
    (risk,) = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "RiskAssessment"
    ]
    assert "occurrenceDateTime" not in risk


def test_the_code_system_lists_every_project_code_used() -> None:
    data = json.loads(fhir.render(assess(case_from(CASE_YAML))))
    (code_system,) = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "CodeSystem"
    ]
    assert code_system["url"] == fhir.SCORE_SYSTEM and code_system["content"] == "fragment"
    listed = {c["code"] for c in code_system["concept"]}
    used = evaluate(
        data,
        f"Bundle.entry.resource.descendants().where(system = '{fhir.SCORE_SYSTEM}').code",
        [],
        R4,
    )
    assert used and set(used) == listed
    assert "sins" in listed and "sins.pain" in listed


def test_cli_fhir_subject(tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    case_file.write_text(CASE_YAML, encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(
        app, ["evaluate", str(case_file), "-f", "fhir", "--fhir-subject", "Patient/src-9"]
    )
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout[ok.stdout.index("{") :])
    assert data["entry"][1]["resource"]["subject"] == {"reference": "Patient/src-9"}
    bad = runner.invoke(
        app, ["evaluate", str(case_file), "-f", "fhir", "--fhir-subject", "Patient/a b"]
    )
    assert bad.exit_code == 2
