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
    """A coded value outside its list: what was found, what is allowed, the closest one."""
    kind = err["type"]
    if kind not in ("enum", "literal_error"):
        return None
    expected = str(err.get("ctx", {}).get("expected", ""))
    options = _QUOTED.findall(expected) or [
        p.strip() for p in re.split(r",| or ", expected) if p.strip()
    ]
    if kind == "enum":
        options.append(UNKNOWN)
    candidates = options + (list(PRIMARY_ALIASES) if path[-1:] == ("primary",) else [])
    value = err.get("input")
    close = (
        difflib.get_close_matches(str(value), candidates, n=1, cutoff=0.6)
        if isinstance(value, str)
        else []
    )
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"found {shown(value, dotted)}; allowed: {', '.join(options)}{hint}"


CASE_SCHEMA = Schema(Case, message=_coded_value_message, one_per_path=True)


def validation_issues(
    exc: ValidationError, data: Any, source: SourceMap, masker: Masker | None = None
) -> list[Issue]:
    """Map each pydantic error of a case to an issue at the best-matching position."""
    return locate(exc, data, source, CASE_SCHEMA, masker)
