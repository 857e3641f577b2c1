"""Fuzzing the loader (safety case, issue 5 part 4).

Valid cases from ``tests/strategies.py`` are mutated (fields dropped, retyped, renamed; extreme
numbers; random Unicode; lines duplicated, dropped, indented or cut), serialised to YAML text and
loaded. The outcome is a validated Case, or a CaseError whose every issue points at an existing
line and column: never any other exception. ``benchmarks/fuzz_cases.py`` runs the same check
for many more inputs outside CI.
"""

from __future__ import annotations

from hypothesis import example, given
from strategies import TODAY, case_dicts, mutated_case_texts, to_yaml

from spinemets.case.loader import LoadedCase, load_case_bytes
from spinemets.case.models import Case
from spinemets.errors import CaseError


def line_count(text: str) -> int:
    """Lines an editor may show: every line break Python knows counts (a superset of YAML's)."""
    return max(1, len(text.splitlines()))


def check_outcome(text: str) -> LoadedCase | CaseError:
    """Load ``text``; assert the outcome contract and return it."""
    try:
        return load_case_bytes(text.encode("utf-8", "surrogatepass"), "fuzz.yaml", today=TODAY)
    except CaseError as exc:
        assert exc.issues
        last = line_count(text)
        for issue in exc.issues:
            assert issue.file == "fuzz.yaml"
            assert 1 <= issue.line <= last, (issue, last)
            assert issue.col >= 1, issue
            assert issue.message.strip(), issue
            assert issue.severity == "error"
        return exc


@given(mutated_case_texts())
@example("")
@example("\ufeff")
@example("schema_version: 1\ncase_id: x\nlesions:\n- level: T12\n  level: T12\n")
@example("schema_version: 1\ncase_id: x\n\tpatient: {}\n")
@example("schema_version: 1\ncase_id: 1:20\n")
@example("schema_version: 1\ncase_id: [\n")
@example("schema_version: 1\r\ncase_id: x\r\nperformance: {kps: 75}")
@example("schema_version: 1\ncase_id: x\npatient:\u2028  age: 9999999999999999999999999999999999")
def test_mutated_cases_load_or_fail_with_located_issues(text: str) -> None:
    outcome = check_outcome(text)
    if isinstance(outcome, LoadedCase):
        assert isinstance(outcome.case, Case)


@given(case_dicts())
def test_valid_cases_always_load(data: dict[str, object]) -> None:
    for flow in (False, True):
        loaded = load_case_bytes(to_yaml(data, flow=flow).encode(), "valid.yaml", today=TODAY)
        assert loaded.case.case_id == data["case_id"]
        assert len(loaded.case.lesions) == len(data.get("lesions") or [])  # type: ignore[arg-type]
