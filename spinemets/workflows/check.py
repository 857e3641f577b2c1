"""``check``: compare a case's ``expected:`` block with what spinemets computes (regression in CI).

The block (every part optional; only what is written is compared)::

    expected:
      triage: urgent          # emergency | urgent | soon | routine | null (not determined)
      scores:
        tokuhashi_revised: 9              # shorthand for {total: 9}
        nesms: {total: 2, category: nesms_2, status: complete}
        tomita: {range: [4, 6], category: null}   # null: expect no category (range straddles bands)
      lesions:
        T12:                              # by level as written in lesions[].level
          sins: {total: 11, category: potentially_unstable}
          escc: {grade: 1c, category: low_grade}
      options:
        dexamethasone: not_indicated      # a case-level option
        sbrt/T12: recommended             # a per-lesion option: id/LEVEL

Each mismatch is an :class:`~spinemets.errors.Issue` located at the expectation itself
(``file:line:col`` of the value in ``expected:``), saying what was expected and what was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal
from xml.etree import ElementTree as ET

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetJsonSchemaHandler,
    StrictInt,
    StrictStr,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import CoreSchema

from spinemets.errors import Issue
from spinemets.vocab import Tier

if TYPE_CHECKING:
    from spinemets.assessment import Assessment
    from spinemets.case.loader import LoadedCase
    from spinemets.identifiers import Masker
    from spinemets.scorers.base import ScoreResult

Path = tuple[str | int, ...]
TierName = Tier
StrengthName = Literal[
    "recommended", "consider", "not_indicated", "contraindicated", "not_evaluable"
]


def _total_shorthand(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"total": value}
    return value


def _grade_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class _OrInteger:
    """JSON Schema: a bare integer (the ``total`` shorthand) is accepted beside the mapping."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"anyOf": [{"type": "integer"}, handler(core_schema)]}


class ScoreExpectation(BaseModel):
    """Expected values of one score; only the fields written are compared (``null`` included)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    total: StrictInt | None = None
    range: tuple[StrictInt, StrictInt] | None = None
    category: StrictStr | None = None
    status: Literal["complete", "partial", "not_computable"] | None = None
    grade: Annotated[
        StrictStr | None,
        BeforeValidator(_grade_text),
        WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
    ] = None


ScoreField = Annotated[ScoreExpectation, BeforeValidator(_total_shorthand), _OrInteger()]


class Expected(BaseModel):
    """The ``expected:`` block of a case file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    triage: TierName | None = None
    scores: dict[str, ScoreField] = {}
    lesions: dict[str, dict[str, ScoreField]] = {}
    options: dict[str, StrengthName] = {}


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation that does not hold; ``path`` is relative to ``expected``."""

    path: Path
    expected: str
    actual: str
    at_key: bool = False  # locate at the key (the value is a mapping)


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _compare_score(
    path: Path, want: ScoreExpectation, got: ScoreResult | None
) -> Iterator[Mismatch]:
    if got is None:
        yield Mismatch(path, "a score", "no such score in the report")
        return
    actual: dict[str, object] = {
        "total": got.total,
        "range": tuple(got.range) if got.range is not None else None,
        "category": got.category,
        "status": got.status,
        "grade": got.grade,
    }
    for name in ScoreExpectation.model_fields:
        if name not in want.model_fields_set:
            continue
        expected: object = getattr(want, name)
        if expected != actual[name]:
            shown = _show(actual[name])
            if name == "total" and got.total is None:
                span = f", range {got.range[0]}-{got.range[1]}" if got.range is not None else ""
                shown = f"null ({got.status}{span})"
            yield Mismatch((*path, name), _show(expected), shown)


def _level_key(key: str) -> str:
    from spinemets.case.levels import LevelError, parse_level

    try:
        return str(parse_level(key))
    except LevelError:
        return key


def compare(expected: Expected, assessment: Assessment) -> list[Mismatch]:
    """Every expectation of ``expected`` that ``assessment`` does not meet, in block order."""
    out: list[Mismatch] = []
    if "triage" in expected.model_fields_set and expected.triage != assessment.triage.tier:
        out.append(Mismatch(("triage",), _show(expected.triage), _show(assessment.triage.tier)))
    for score_id, want in expected.scores.items():
        out += _compare_score(("scores", score_id), want, assessment.scores.get(score_id))
    for level, scores in expected.lesions.items():
        matches = [les for les in assessment.lesions if les.level == _level_key(level)]
        if len(matches) != 1:
            found = (
                "no lesion at this level"
                if not matches
                else f"{len(matches)} lesions at this level"
            )
            out.append(Mismatch(("lesions", level), f"one lesion at {level}", found, at_key=True))
            continue
        for score_id, want in scores.items():
            out += _compare_score(
                ("lesions", level, score_id), want, matches[0].scores.get(score_id)
            )
    for key, strength in expected.options.items():
        option_id, _, lesion = key.partition("/")
        lesion_level = _level_key(lesion) if lesion else None
        candidates = [
            o for o in assessment.options if o.id == option_id and o.lesion == lesion_level
        ]
        if not candidates and lesion_level is None:
            per_lesion = [o for o in assessment.options if o.id == option_id]
            if len(per_lesion) > 1:
                levels = ", ".join(f"{option_id}/{o.lesion}" for o in per_lesion)
                out.append(
                    Mismatch(
                        ("options", key),
                        strength,
                        f"one strength per lesion; name the lesion ({levels})",
                    )
                )
                continue
            candidates = per_lesion
        if not candidates:
            out.append(Mismatch(("options", key), strength, "option not in the report"))
        elif candidates[0].strength != strength:
            out.append(Mismatch(("options", key), strength, candidates[0].strength))
    return out


# --- one file ------------------------------------------------------------------------------------

Status = Literal["pass", "fail", "no_expectations", "invalid"]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of checking one file: its status and located issues (mismatches or errors)."""

    file: str
    status: Status
    case_id: str | None = None
    issues: tuple[Issue, ...] = ()
    checked: int = 0  # number of expectations compared


def expectation_issues(
    exc: ValidationError, block: Mapping[str, Any], loaded: LoadedCase
) -> list[Issue]:
    """Errors in the ``expected:`` block itself, located in the case file (the one locator),
    with the case's identifiers masked."""
    from spinemets.identifiers import Masker
    from spinemets.locator import Schema, validation_issues

    schema = Schema(Expected, prefix=("expected",))
    return validation_issues(
        exc, block, loaded.source, schema, Masker.of(loaded.raw), code="invalid_expectation"
    )


def count_expectations(expected: Expected) -> int:
    n = int("triage" in expected.model_fields_set) + len(expected.options)
    n += sum(len(s.model_fields_set) for s in expected.scores.values())
    n += sum(
        len(s.model_fields_set) for scores in expected.lesions.values() for s in scores.values()
    )
    return n


def check_loaded(loaded: LoadedCase, assessment: Assessment) -> CheckResult:
    """Compare the loaded case's ``expected:`` block with its assessment."""
    file = loaded.source.file
    block = loaded.case.expected
    case_id = _masker(loaded).text(loaded.case.case_id)  # JUnit names and summaries
    if not block:
        return CheckResult(file, "no_expectations", case_id)
    try:
        expected = Expected.model_validate(block)
    except ValidationError as exc:
        return CheckResult(file, "invalid", case_id, tuple(expectation_issues(exc, block, loaded)))
    mismatches = compare(expected, assessment)
    masker = _masker(loaded)
    issues = tuple(
        masker.issue(
            loaded.source.issue(
                ("expected", *m.path),
                f"expected {m.expected}, got {m.actual}",
                key=m.at_key,
                code="mismatch",
            )
        )
        for m in mismatches
    )
    return CheckResult(
        file, "fail" if issues else "pass", case_id, issues, count_expectations(expected)
    )


def _masker(loaded: LoadedCase) -> Masker:
    from spinemets.identifiers import Masker

    return Masker.of(loaded.raw)


def check_file(path: str, rules: Any = None) -> CheckResult:
    """Load, evaluate and check one case file; invalid input gives an ``invalid`` result."""
    from spinemets import api
    from spinemets.errors import IssuesError, UserError

    try:
        loaded = api.load_case(path)
        assessment = api.assess(loaded, rules)
    except IssuesError as exc:
        return CheckResult(path, "invalid", None, tuple(exc.issues))
    except UserError as exc:
        return CheckResult(path, "invalid", None, (Issue(path, 1, 1, "", str(exc)),))
    return check_loaded(loaded, assessment)


# --- JUnit XML ---------------------------------------------------------------------------------


@dataclass(slots=True)
class CheckSummary:
    results: list[CheckResult] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        return self.count("fail") == 0 and self.count("invalid") == 0


#: Characters XML 1.0 cannot carry (C0 controls except tab, newline and carriage return; lone
#: surrogates; U+FFFE, U+FFFF). They are written as visible ``\xNN`` / ``\uNNNN`` escapes.
_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids shown as an escape (never dropped)."""

    def shown(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _XML_FORBIDDEN.sub(shown, text)


def junit_xml(results: Sequence[CheckResult], suite: str = "spinemets check") -> str:
    """A JUnit XML report valid against the common JUnit schema (Jenkins xUnit ``junit-10.xsd``):
    one testcase per file, named by case id and file path so that names stay unique when case
    ids repeat; mismatches are failures, invalid files errors, files without expectations
    skipped (with the reason). No durations are measured, so every ``time`` is ``0``."""
    failures = sum(r.status == "fail" for r in results)
    errors = sum(r.status == "invalid" for r in results)
    skipped = sum(r.status == "no_expectations" for r in results)
    counts = {
        "tests": str(len(results)),
        "failures": str(failures),
        "errors": str(errors),
        "time": "0",
    }
    root = ET.Element("testsuites", {"name": suite, **counts})
    ts = ET.SubElement(root, "testsuite", {"name": suite, **counts, "skipped": str(skipped)})
    for r in results:
        name = f"{r.case_id} ({r.file})" if r.case_id else r.file
        tc = ET.SubElement(
            ts,
            "testcase",
            {"classname": "spinemets.check", "name": xml_text(name), "time": "0"},
        )
        text = xml_text("\n".join(i.parsable() for i in r.issues))
        if r.status == "fail":
            el = ET.SubElement(
                tc,
                "failure",
                {"type": "mismatch", "message": f"{len(r.issues)} expectation(s) not met"},
            )
            el.text = text
        elif r.status == "invalid":
            first = r.issues[0].parsable() if r.issues else "invalid"
            el = ET.SubElement(tc, "error", {"type": "invalid", "message": xml_text(first)})
            el.text = text
        elif r.status == "no_expectations":
            ET.SubElement(
                tc, "skipped", {"message": "no expectations (the case has no expected: block)"}
            )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
