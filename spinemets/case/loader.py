"""Load a case file: parse (yamlsrc), validate (pydantic), map every error to file:line:col.

Every problem is reported at once as an :class:`~spinemets.errors.Issue`. Values of PHI
fields are never echoed.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path as FsPath
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from spinemets.case.models import PRIMARY_ALIASES, UNKNOWN, Case
from spinemets.errors import PHI_FIELDS, CaseError, Issue
from spinemets.yamlsrc import MAX_BYTES, Path, SourceMap, format_path, parse_bytes


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
        raise CaseError(issues or parsed.issues)
    try:
        case = Case.model_validate(parsed.data, context={"today": today or date.today()})
    except ValidationError as exc:
        issues += validation_issues(exc, parsed.data, parsed.source)
        raise CaseError(scrub_identifiers(issues, parsed.data)) from None
    if issues:
        raise CaseError(scrub_identifiers(issues, parsed.data))
    return LoadedCase(case, parsed.source, raw)


_WORD = re.compile(r"[^\W_]{3,}")
_MASK = "[identifier]"


def identifier_needles(data: Any) -> list[str]:
    """The case's own identifiers (name, MRN, birth date) and their words of 3+ characters,
    longest first, so that a value pasted into another field is never echoed either."""
    patient = data.get("patient") if isinstance(data, dict) else None
    if not isinstance(patient, dict):
        return []
    needles: set[str] = set()
    for key in ("name", "mrn", "birth_date"):
        value = patient.get(key)
        if value is None or isinstance(value, (dict, list)):
            continue
        text = str(value).strip()
        if text:
            needles.add(text)
            needles.update(_WORD.findall(text))
    return sorted(needles, key=len, reverse=True)


def scrub_identifiers(issues: list[Issue], data: Any) -> list[Issue]:
    """Issues with every occurrence of the case's identifiers masked."""
    needles = identifier_needles(data)
    if not needles:
        return issues
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    return [replace(i, message=pattern.sub(_MASK, i.message)) for i in issues]


# --- pydantic error → Issue -------------------------------------------------------------------

_QUOTED = re.compile(r"'([^']*)'")


def _data_path(loc: tuple[int | str, ...], data: Any) -> tuple[Path, bool]:
    """Walk ``loc`` through the data; drop parts that are not keys (union tags). Returns the
    path and whether the full location exists in the data."""
    path: list[str | int] = []
    node = data
    found = True
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:  # noqa: SIM114
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _is_union_tag(part):
            path.append(part)
            found = False
            break
        else:
            continue
    return tuple(path), found


def _is_union_tag(part: str) -> bool:
    return "[" in part or part in {"int", "str", "bool", "float", "none", "date", "list", "dict"}


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class that holds the mapping at ``path`` (for "did you mean")."""
    model: type[BaseModel] = Case
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        sub = _submodel(field.annotation)
        if sub is None:
            return None
        model = sub
    return model


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in get_args(annotation):
            sub = _submodel(arg)
            if sub is not None:
                return sub
    return None


def _shown(value: Any, path: str) -> str:
    if path in PHI_FIELDS:
        return "a value (identifier not shown)"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = (
        repr(value)
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
    return text if len(text) <= 60 else text[:57] + "..."


def _affix_match(key: str, allowed: list[str]) -> list[str]:
    """``escc_grade`` → ``escc``: an allowed name that starts or ends the unknown key."""
    low = key.lower()
    hits = [a for a in allowed if len(a) >= 3 and (low.startswith(a) or low.endswith(a))]
    return sorted(hits, key=len, reverse=True)[:1]


def _scrub(message: str, value: Any, path: str) -> str:
    """Remove an identifier's value from a message (PHI never appears in issues)."""
    if path in PHI_FIELDS and value is not None and str(value) and str(value) in message:
        return message.replace(str(value), "(identifier not shown)")
    return message


def _message(err: Any, path: Path, dotted: str) -> str:
    kind = err["type"]
    msg = str(err["msg"]).removeprefix("Value error, ")
    found = _shown(err.get("input"), dotted)
    if kind == "missing":
        return f"required field '{path[-1]}' is missing"
    if kind == "extra_forbidden":
        key = str(path[-1])
        model = _model_at(path[:-1])
        allowed = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6) or _affix_match(
            key, allowed
        )
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = f" (allowed here: {', '.join(allowed)})" if allowed and not close else ""
        return f"unknown field '{key}'{hint}{listing}"
    if kind in ("enum", "literal_error"):
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
        return f"found {found}; allowed: {', '.join(options)}{hint}"
    if kind == "value_error":
        return _scrub(msg, err.get("input"), dotted)
    return f"found {found}: {msg[0].lower() + msg[1:]}"


def validation_issues(exc: ValidationError, data: Any, source: SourceMap) -> list[Issue]:
    """Map each pydantic error to an issue at the best-matching position."""
    issues: list[Issue] = []
    seen: set[str] = set()
    for err in exc.errors():
        path, found = _data_path(tuple(err["loc"]), data)
        dotted = format_path(path)
        if dotted in seen:
            continue
        seen.add(dotted)
        kind = err["type"]
        if kind == "missing":
            span_path, at_key = path[:-1], True
        elif kind == "extra_forbidden":
            span_path, at_key = path, True
        else:
            span_path, at_key = path, not found
        issue = source.issue(span_path, _message(err, path, dotted), key=at_key)
        issues.append(Issue(issue.file, issue.line, issue.col, dotted, issue.message, code=kind))
    return issues
