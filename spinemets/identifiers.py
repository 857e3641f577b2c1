"""Patient identifiers (name, MRN, birth date): found by their source text, masked everywhere.

A :class:`Masker` knows a case's identifiers as written in the file (the text of every scalar,
key or value, under ``patient.name``, ``patient.mrn`` and ``patient.birth_date``) and as parsed.
The source text matters: ``mrn: 0012345678`` is refused by the parser, so its parsed value is
``None``, yet the message about it quotes ``0012345678``.

* :meth:`Masker.issue` masks an issue's message and its ``[path]`` (a name used as a key) with
  the values and their words of three or more characters (a part of a name is still a name).
* :func:`redact_values` removes the whole values from every text of a finished object (an
  assessment: case id, histology, reasons, the file name, ...) for ``--redact``; coded values,
  numbers and digests are left alone, and a value only matches where it is not part of a
  longer word.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from enum import Enum
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel

from spinemets.errors import PHI_FIELDS, Issue

__all__ = ["MASK", "Masker", "redact_values"]

MASK = "[identifier]"
_WORD = re.compile(r"[^\W_]{3,}")
_PHI_PATHS = tuple(tuple(p.split(".")) for p in sorted(PHI_FIELDS))
T = TypeVar("T")


@dataclasses.dataclass(frozen=True, slots=True)
class Masker:
    """The identifiers of one case, and the masking built from them."""

    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, raw: bytes | str | None, data: Any = None) -> Masker:
        """From the source text ``raw`` (any parse problems tolerated) and the parsed ``data``."""
        found: dict[str, None] = {}
        if raw is not None:
            found |= dict.fromkeys(_source_values(raw))
        patient = data.get("patient") if isinstance(data, dict) else None
        if isinstance(patient, dict):
            for key in ("name", "mrn", "birth_date"):
                found |= dict.fromkeys(_scalars(patient.get(key)))
        values = sorted({v.strip() for v in found if v and v.strip()}, key=len, reverse=True)
        return cls(tuple(values))

    def __bool__(self) -> bool:
        return bool(self.values)

    @property
    def words(self) -> tuple[str, ...]:
        stop = _field_names()
        words = {w for v in self.values for w in _WORD.findall(v) if w.lower() not in stop}
        return tuple(sorted(words | set(self.values), key=len, reverse=True))

    def text(self, text: str) -> str:
        """``text`` with every value and every word of a value masked (any letter case)."""
        pattern = _loose(self.words)
        return pattern.sub(MASK, text) if pattern is not None else text

    def issue(self, issue: Issue) -> Issue:
        """The issue with its message and its path masked."""
        if not self.values:
            return issue
        return dataclasses.replace(
            issue, message=self.text(issue.message), path=self.text(issue.path)
        )

    def issues(self, issues: Iterable[Issue]) -> list[Issue]:
        return [self.issue(i) for i in issues]

    def whole(self, text: str) -> str:
        """``text`` with each whole value masked where it is not part of a longer word."""
        pattern = _strict(self.values)
        return pattern.sub(MASK, text) if pattern is not None else text


@lru_cache(maxsize=64)
def _loose(needles: tuple[str, ...]) -> re.Pattern[str] | None:
    if not needles:
        return None
    return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)


@lru_cache(maxsize=64)
def _strict(needles: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for n in needles:
        if len(n) < 3:
            continue
        head = r"(?<![^\W_])" if n[0].isalnum() else ""
        tail = r"(?![^\W_])" if n[-1].isalnum() else ""
        parts.append(head + re.escape(n) + tail)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _scalars(value: Any) -> Iterator[str]:
    """Every scalar (and key) inside a parsed value, as text."""
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _scalars(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _scalars(item)
    else:
        yield str(value)


@lru_cache(maxsize=1)
def _field_names() -> frozenset[str]:
    """Field names of the case model: words that identify no one (``mrn`` in ``MRN-123``)."""
    from spinemets.case.models import Case

    names: set[str] = set()
    todo: list[type[BaseModel]] = [Case]
    while todo:
        model = todo.pop()
        for name, info in model.model_fields.items():
            names.add(name.lower())
            names.update(w.lower() for w in name.split("_") if len(w) >= 3)
            todo += [m for m in _models_in(info.annotation) if m not in todo]
    return frozenset(names)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        out += _models_in(arg)
    return out


def _source_values(raw: bytes | str) -> list[str]:
    """The text of every scalar (value or key) under an identifier field, from the YAML events
    (so values the parser refuses are found too); a broken document is read up to the break."""
    import yaml

    text = raw if isinstance(raw, str) else raw.decode("utf-8", "replace")
    if not _may_name_phi(text):
        return []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: list[str] = []
    stack: list[_Frame] = []
    try:
        for event in yaml.parse(text, Loader=loader):
            top = stack[-1] if stack else None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                path = top.child() if top is not None else ()
                if top is not None and top.wants_key():
                    top.key, path = "?", None  # a complex key: nothing below it is a field
                stack.append(_Frame(path, isinstance(event, yaml.MappingStartEvent)))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                if stack:
                    stack[-1].advance()
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                value = event.value if isinstance(event, yaml.ScalarEvent) else None
                if top is not None and top.wants_key():
                    top.key = value if value is not None else "*"
                    if value is not None and _under_phi(top.path):
                        found.append(value)
                    continue
                if value is not None and _under_phi(top.child() if top is not None else ()):
                    found.append(value)
                if top is not None:
                    top.advance()
    except Exception:  # a broken document: keep what was read before the break
        pass
    return found


def _may_name_phi(text: str) -> bool:
    """Whether the text could hold a key path to an identifier field: each key of some such
    path written out, or an escape (a double-quoted key can spell a word without writing it;
    folding a quoted or explicit key adds a space, so it cannot join parts of one)."""
    return "\\" in text or any(all(part in text for part in p) for p in _PHI_PATHS)


class _Frame:
    """One open mapping or sequence while walking YAML events."""

    __slots__ = ("index", "is_map", "key", "path")

    def __init__(self, path: tuple[str | int, ...] | None, is_map: bool) -> None:
        self.path = path
        self.is_map = is_map
        self.key: str | None = None
        self.index = 0

    def wants_key(self) -> bool:
        return self.is_map and self.key is None

    def child(self) -> tuple[str | int, ...] | None:
        if self.path is None:
            return None
        return (*self.path, self.key if self.is_map else self.index)  # type: ignore[arg-type]

    def advance(self) -> None:
        if self.is_map:
            self.key = None
        else:
            self.index += 1


def _under_phi(path: tuple[str | int, ...] | None) -> bool:
    return path is not None and any(path[: len(p)] == p for p in _PHI_PATHS)


def redact_values(obj: T, masker: Masker) -> T:
    """``obj`` (dataclasses, pydantic models, containers) with every identifier value removed
    from its texts; coded values (enums), numbers and ``*sha256`` digests are kept."""
    if not masker:
        return obj
    return _scrub(obj, masker)  # type: ignore[no-any-return]


def _scrub(obj: Any, masker: Masker) -> Any:
    if isinstance(obj, Enum) or obj is None or isinstance(obj, (bool, int, float)):
        return obj
    if isinstance(obj, str):
        return masker.whole(obj)
    if isinstance(obj, BaseModel):
        changes = {}
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            new = value if name.endswith("sha256") else _scrub(value, masker)
            if new is not value and new != value:
                changes[name] = new
        return obj.model_copy(update=changes) if changes else obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {}
        for f in dataclasses.fields(obj):
            if not f.init:
                continue
            value = getattr(obj, f.name)
            new = value if f.name.endswith("sha256") else _scrub(value, masker)
            if new is not value and new != value:
                changes[f.name] = new
        return dataclasses.replace(obj, **changes) if changes else obj
    if isinstance(obj, tuple):
        items = tuple(_scrub(v, masker) for v in obj)
        return items if items != obj else obj
    if isinstance(obj, list):
        return [_scrub(v, masker) for v in obj]
    if isinstance(obj, dict):
        return {_scrub(k, masker): _scrub(v, masker) for k, v in obj.items()}
    if isinstance(obj, frozenset):
        return frozenset(_scrub(v, masker) for v in obj)
    return obj
