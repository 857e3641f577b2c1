"""Load a case file: parse (yamlsrc), validate (pydantic), map every error to file:line:col.

Every problem is reported at once as an :class:`~spinemets.errors.Issue` (located by
:mod:`spinemets.locator`); the case's identifiers are masked in every message and path, found
by their source text (:mod:`spinemets.identifiers`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from spinemets.case.models import PRIMARY_ALIASES, UNKNOWN, Case
from spinemets.case.suggest import clinical_suggestion, kps_suggestion
from spinemets.errors import CaseError, Issue
from spinemets.identifiers import Masker
from spinemets.locator import Schema, shown, submodel
from spinemets.locator import validation_issues as locate
from spinemets.yamlsrc import (
    MAX_BYTES,
    Path,
    PlainYesNo,
    SourceMap,
    format_path,
    parse_bytes,
    plain_yes_no_paths,
    yes_no_message,
)


@dataclass(frozen=True, slots=True)
class LoadedCase:
    """A validated case with the source map its issues and warnings point into."""

    case: Case
    source: SourceMap
    raw: bytes


def read_case_bytes(path: FsPath) -> bytes:
    """Read a case file: a regular file of at most the size limit, checked before reading."""
    from spinemets.fileio import FileProblem, read_limited

    try:
        return read_limited(path, MAX_BYTES, what="case file (1 MiB)")
    except FileProblem as exc:
        raise CaseError([Issue(str(path), 1, 1, "", exc.reason, code=exc.code)]) from None


def load_case_file(path: str | FsPath, *, today: date | None = None) -> LoadedCase:
    """Read, parse and validate one case file; raise :class:`CaseError` with every issue."""
    fs_path = FsPath(path)
    return load_case_bytes(read_case_bytes(fs_path), str(path), today=today)


def load_case_bytes(raw: bytes, file: str = "<case>", *, today: date | None = None) -> LoadedCase:
    """Parse and validate case bytes; ``file`` names the source in issues."""
    parsed = parse_bytes(raw, file, defer_yes_no=True)
    issues = [i for i in parsed.issues if i.severity == "error"]
    if parsed.data is None:
        raise CaseError(scrub_identifiers(issues or parsed.issues, None, raw))
    yes_no = plain_yes_no_paths(parsed.data) if parsed.has_yes_no else []
    try:
        case = Case.model_validate(parsed.data, context={"today": today or date.today()})
    except ValidationError as exc:
        model_issues = validation_issues(exc, parsed.data, parsed.source)
        issues += yes_no_issues(yes_no, parsed.source, model_issues)
        raise CaseError(scrub_identifiers(issues, parsed.data, raw)) from None
    issues += yes_no_issues(yes_no, parsed.source, [])
    if issues:
        raise CaseError(scrub_identifiers(issues, parsed.data, raw))
    return LoadedCase(case, parsed.source, raw)


def yes_no_issues(
    yes_no: list[tuple[Path, PlainYesNo]], source: SourceMap, model_issues: list[Issue]
) -> list[Issue]:
    """Plain ``yes``/``no`` is accepted in boolean fields only (where the model took it);
    anywhere else it is the YAML 1.1 error, in place of what the model said of it.
    Returns those errors (document order) followed by the remaining model issues."""
    # An unknown field stays reported as such; any other model error at a plain yes/no is the
    # model refusing it as a value.
    refused = {i.path for i in model_issues if i.code != "extra_forbidden"}
    issues = [
        source.issue(path, yes_no_message(str(text)), code="yaml11_bool")
        for path, text in yes_no
        if format_path(path) in refused or not _is_boolean_field(path)
    ]
    replaced = {i.path for i in issues}
    return issues + [
        i for i in model_issues if i.path not in replaced or i.code == "extra_forbidden"
    ]


def _is_boolean_field(path: Path) -> bool:
    """Whether the case model declares ``path`` as a boolean field."""
    model: type[BaseModel] | None = Case
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if model is not None else None
        model = submodel(info.annotation) if info is not None else None
    name = path[-1] if path else None
    info = model.model_fields.get(name) if model is not None and isinstance(name, str) else None
    return info is not None and _admits_bool(info.annotation)


def _admits_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    return any(_admits_bool(arg) for arg in get_args(annotation))


def scrub_identifiers(issues: list[Issue], data: Any, raw: bytes | None = None) -> list[Issue]:
    """Issues with the case's identifiers masked (message and path), found by source text."""
    return Masker.of(raw, data).issues(issues)


# --- pydantic error → Issue: spinemets.locator, with the case's own coded-value messages -------

_QUOTED = re.compile(r"'([^']*)'")


def _coded_value_message(err: Mapping[str, Any], path: Path, dotted: str) -> str | None:
    """The case's own messages: a coded value outside its list (what was found, what is
    allowed, a clinical synonym or the closest spelling), booleans, KPS steps."""
    kind = err["type"]
    value = err.get("input")
    if kind == "bool_type":
        return f"found {shown(value, dotted)}; allowed: true, false, yes, no, unknown"
    if kind == "multiple_of" and path[-1:] == ("kps",) and isinstance(value, int):
        return (
            f"found {shown(value, dotted)}: KPS is a multiple of 10 (steps of 10); "
            f"did you mean {kps_suggestion(value)}?"
        )
    if kind not in ("enum", "literal_error"):
        return None
    expected = str(err.get("ctx", {}).get("expected", ""))
    options = _QUOTED.findall(expected) or [
        p.strip() for p in re.split(r",| or ", expected) if p.strip()
    ]
    if kind == "enum":
        options.append(UNKNOWN)
    return f"found {shown(value, dotted)}; allowed: {', '.join(options)}" + _coded_hint(
        path, value, options
    )


def _coded_hint(path: Path, value: Any, options: list[str]) -> str:
    """A clinical synonym first (``NSCLC`` → ``lung_nsclc``), else the closest spelling."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    name = str(path[-1]) if path else ""
    meant = clinical_suggestion(name, str(value), options)
    if meant is None and isinstance(value, str):
        candidates = options + (list(PRIMARY_ALIASES) if name == "primary" else [])
        close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
        meant = close[0] if close else None
    return f"; did you mean '{meant}'?" if meant else ""


CASE_SCHEMA = Schema(Case, message=_coded_value_message, one_per_path=True)


def validation_issues(
    exc: ValidationError, data: Any, source: SourceMap, masker: Masker | None = None
) -> list[Issue]:
    """Map each pydantic error of a case to an issue at the best-matching position."""
    return locate(exc, data, source, CASE_SCHEMA, masker)
