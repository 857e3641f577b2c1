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
    """Read a case file, refusing anything over the size limit before reading it whole."""
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            msg = f"file is {size:,} bytes; case files are limited to {MAX_BYTES:,} bytes (1 MiB)"
            raise CaseError([Issue(file, 1, 1, "", msg, code="too_large")])
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise CaseError([Issue(file, 1, 1, "", "file not found", code="io")]) from None
    except IsADirectoryError:
        raise CaseError(
            [Issue(file, 1, 1, "", "is a directory, not a case file", code="io")]
        ) from None
    except PermissionError:
        raise CaseError([Issue(file, 1, 1, "", "permission denied", code="io")]) from None
    except OSError as exc:
        raise CaseError(
            [Issue(file, 1, 1, "", f"cannot read file: {exc.strerror}", code="io")]
        ) from None


def load_case_file(path: str | FsPath, *, today: date | None = None) -> LoadedCase:
    """Read, parse and validate one case file; raise :class:`CaseError` with every issue."""
    fs_path = FsPath(path)
    return load_case_bytes(read_case_bytes(fs_path), str(path), today=today)


def load_case_bytes(raw: bytes, file: str = "<case>", *, today: date | None = None) -> LoadedCase:
    """Parse and validate case bytes; ``file`` names the source in issues."""
    parsed = parse_bytes(raw, file, defer_yes_no=True)
    issues = [i for i in parsed.issues if i.severity == "error"]
    if parsed.data is None:
        raise CaseError(issues or parsed.issues)
    yes_no = plain_yes_no_paths(parsed.data) if parsed.has_yes_no else []
    try:
        case = Case.model_validate(parsed.data, context={"today": today or date.today()})
    except ValidationError as exc:
        model_issues = validation_issues(exc, parsed.data, parsed.source)
        issues += yes_no_issues(yes_no, parsed.source, model_issues)
        raise CaseError(scrub_identifiers(issues, parsed.data)) from None
    issues += yes_no_issues(yes_no, parsed.source, [])
    if issues:
        raise CaseError(scrub_identifiers(issues, parsed.data))
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
    if not path or not isinstance(path[-1], str):
        return False
    model = _model_at(path[:-1])
    field = model.model_fields.get(path[-1]) if model is not None else None
    return field is not None and _admits_bool(field.annotation)


def _admits_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    return any(_admits_bool(arg) for arg in get_args(annotation))


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
