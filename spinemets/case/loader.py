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
from typing import Any

from pydantic import ValidationError

from spinemets.case.models import PRIMARY_ALIASES, UNKNOWN, Case
from spinemets.case.suggest import clinical_suggestion, kps_suggestion
from spinemets.errors import CaseError, Issue
from spinemets.identifiers import Masker
from spinemets.locator import Schema, shown
from spinemets.locator import validation_issues as locate
from spinemets.yamlsrc import MAX_BYTES, Path, SourceMap, parse_bytes


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
    parsed = parse_bytes(raw, file)
    issues = [i for i in parsed.issues if i.severity == "error"]
    if parsed.data is None:
        raise CaseError(scrub_identifiers(issues or parsed.issues, None, raw))
    try:
        case = Case.model_validate(parsed.data, context={"today": today or date.today()})
    except ValidationError as exc:
        issues += validation_issues(exc, parsed.data, parsed.source)
        raise CaseError(scrub_identifiers(issues, parsed.data, raw)) from None
    if issues:
        raise CaseError(scrub_identifiers(issues, parsed.data, raw))
    return LoadedCase(case, parsed.source, raw)


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
