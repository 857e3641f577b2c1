"""The one pydantic error → :class:`~spinemets.errors.Issue` locator (case, rules, ``check``).

Each pydantic error's ``loc`` is walked through the parsed data to a path of real keys (union
tags and other parts that name no key are skipped) and through the source map to
``file:line:col``: a missing field points at its parent mapping, an unknown key at the key
itself with a "did you mean" from the fields allowed there. Values of identifier fields are
never quoted, and every issue goes through the case's :class:`~spinemets.identifiers.Masker`
(message and ``[path]``), so no copy of this logic can leak what another masks.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from spinemets.errors import PHI_FIELDS, Issue
from spinemets.identifiers import Masker
from spinemets.yamlsrc import SourceMap, format_path

__all__ = ["Schema", "shown", "validation_issues"]

Path = tuple[str | int, ...]
#: A model family's own message for an error (coded values, ...); None: the generic one.
MessageHook = Callable[[Mapping[str, Any], Path, str], str | None]
_CONTAINERS = (list, tuple, dict, typing.Union, types.UnionType, typing.Annotated)
_TYPE_TAGS = frozenset({"int", "str", "bool", "float", "none", "date", "list", "dict"})


@dataclass(frozen=True, slots=True)
class Schema:
    """How to read the errors of one model family.

    ``tag_prefix``/``tag_models``: discriminated-union tags in ``loc`` and the model each names;
    ``message``: the family's own messages; ``prefix``: where the validated block sits in the
    file (``("expected",)`` for a case's expectations)."""

    root: type[BaseModel]
    tag_prefix: str | None = None
    tag_models: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    message: MessageHook | None = None
    prefix: Path = ()
    protected: frozenset[str] = PHI_FIELDS
    one_per_path: bool = False  # keep only the first error at each path (union branches)


def shown(value: Any, dotted: str = "", protected: frozenset[str] = PHI_FIELDS) -> str:
    """A value as quoted in a message (short; an identifier field's value never)."""
    if dotted in protected:
        return "a value (identifier not shown)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = (
        repr(value)
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
    return text if len(text) <= 60 else text[:57] + "..."


def validation_issues(
    exc: ValidationError,
    data: Any,
    source: SourceMap,
    schema: Schema,
    masker: Masker | None = None,
    *,
    code: str | None = None,
) -> list[Issue]:
    """Every error of ``exc`` as an issue at the best-matching position, masked."""
    issues: list[Issue] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors():
        loc = tuple(err["loc"])
        path, found = data_path(loc, data, schema.tag_prefix)
        dotted = format_path(path)
        kind = err["type"]
        message = _message(err, loc, path, dotted, schema)
        key = (dotted, "" if schema.one_per_path else message)
        if key in seen:
            continue
        seen.add(key)
        if kind == "missing":
            span_path, at_key = path[:-1], True
        elif kind == "extra_forbidden":
            span_path, at_key = path, True
        else:
            span_path, at_key = path, not found
        full = (*schema.prefix, *path)
        where = source.issue((*schema.prefix, *span_path), message, key=at_key)
        issue = Issue(
            where.file, where.line, where.col, format_path(full), message, code=code or kind
        )
        issues.append(masker.issue(issue) if masker else issue)
    return issues


def data_path(loc: Path, data: Any, tag_prefix: str | None = None) -> tuple[Path, bool]:
    """Walk ``loc`` through ``data``, dropping parts that name no key (union tags); returns the
    path and whether all of ``loc`` exists (a missing or unknown key ends the path)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(part, str) and tag_prefix and part.startswith(tag_prefix):
            continue
        in_map = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_map or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _is_union_tag(part):
            path.append(part)
            return tuple(path), False
    return tuple(path), True


def _is_union_tag(part: str) -> bool:
    return "[" in part or part in _TYPE_TAGS


def model_at(loc: Path, schema: Schema) -> type[BaseModel] | None:
    """The model that holds the mapping at a pydantic ``loc`` (for "did you mean")."""
    model: type[BaseModel] | None = schema.root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        if schema.tag_prefix and part.startswith(schema.tag_prefix):
            model = schema.tag_models.get(part[len(schema.tag_prefix) :])
            continue
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        info = fields.get(part)
        if info is None:
            continue  # a union tag or a dict key: still in the same model
        model = submodel(info.annotation)
    return model


def submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (
        list,
        tuple,
        dict,
        typing.Union,
        types.UnionType,
        typing.Annotated,
    ):
        for arg in get_args(annotation):
            sub = submodel(arg)
            if sub is not None:
                return sub
    return None


def allowed_fields(model: type[BaseModel] | None) -> list[str]:
    return sorted((f.alias or n) for n, f in model.model_fields.items()) if model else []


def _affix_match(key: str, allowed: list[str]) -> list[str]:
    """``escc_grade`` → ``escc``: an allowed name that starts or ends the unknown key."""
    low = key.lower()
    hits = [a for a in allowed if len(a) >= 3 and (low.startswith(a) or low.endswith(a))]
    return sorted(hits, key=len, reverse=True)[:1]


def _message(err: Any, loc: Path, path: Path, dotted: str, schema: Schema) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"required field '{path[-1]}' is missing"
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else str(loc[-1])
        allowed = allowed_fields(model_at(loc[:-1], schema))
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6) or _affix_match(
            key, allowed
        )
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = f" (allowed here: {', '.join(allowed)})" if allowed and not close else ""
        return f"unknown field '{key}'{hint}{listing}"
    if schema.message is not None:
        own = schema.message(err, path, dotted)
        if own is not None:
            return own
    msg = str(err["msg"]).removeprefix("Value error, ")
    value = err.get("input")
    if kind == "value_error":
        if dotted in schema.protected and value is not None and str(value) and str(value) in msg:
            return msg.replace(str(value), "(identifier not shown)")
        return msg
    found = shown(value, dotted, schema.protected)
    return f"found {found}: {msg[0].lower() + msg[1:]}" if msg else f"found {found}"
