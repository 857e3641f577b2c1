"""The import's working state and its results: mapping lines, readings, errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from spinemets.errors import UserError

Status = Literal["mapped", "ignored", "conflict"]


class FhirImportError(UserError):
    """The input is not a readable FHIR R4 Bundle."""


def fail(file: str, message: str) -> FhirImportError:
    """An import error located at ``file``."""
    return FhirImportError(f"{file}: {message}")


@dataclass(frozen=True, slots=True)
class MappingLine:
    """One line of the mapping report (never holds a patient identifier)."""

    field: str
    value: str
    source: str
    status: Status
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The drafted case file text and the mapping report."""

    case_yaml: str
    report: tuple[MappingLine, ...]


@dataclass(slots=True)
class Reading:
    """A value read from one Observation, with its date and source."""

    value: Any
    when: dt.datetime | None
    when_text: str
    source: str


@dataclass(slots=True)
class State:
    today: dt.date
    lines: list[MappingLine] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    lesion_levels: dict[str, str] = field(default_factory=dict)  # level -> source
    bone_sites: dict[str, str] = field(default_factory=dict)  # site code -> source
    visceral: list[str] = field(default_factory=list)
    brain: list[str] = field(default_factory=list)

    def line(self, path: str, value: Any, source: str, status: Status, reason: str) -> None:
        self.lines.append(MappingLine(path, str(value), source, status, reason))

    def set(
        self, path: str, value: Any, source: str, reason: str, comment: str | None = None
    ) -> None:
        self.values[path] = value
        self.comments[path] = comment or f"from {source}"
        self.line(path, value, source, "mapped", reason)
