"""The import's working state and its results: mapping lines, readings, errors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from spinemets.errors import UserError

#: ``warning``: mapped, but the clinician should look again (for example a stale value).
Status = Literal["mapped", "ignored", "conflict", "warning"]

#: What replaces a patient identifier found in report text or free text of the draft.
MASK = "[identifier]"


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


def _variants(value: str) -> set[str]:
    """The forms of an identifier to mask: as written, and a number without leading zeros."""
    text = value.strip()
    out = {text} if len(text) >= 3 else set()
    stripped = text.lstrip("0")
    if text.isdigit() and len(stripped) >= 4:
        out.add(stripped)
    return out


@dataclass(slots=True)
class State:
    """Everything the import has found so far (one per import).

    ``today`` is the clock date (nothing dated after it is used); ``assessed_on`` is the
    reference date for staleness, and ``cutoff`` the last date a value may carry.
    """

    today: dt.date
    assessed_on: dt.date
    assessed_source: str
    with_identifiers: bool = False
    identifiers: set[str] = field(default_factory=set)
    lines: list[MappingLine] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    lesion_levels: dict[str, str] = field(default_factory=dict)  # level -> source
    bone_sites: dict[str, str] = field(default_factory=dict)  # site code -> source
    spine_unplaced: list[str] = field(default_factory=list)  # spinal sites without a level
    bone_unplaced: list[str] = field(default_factory=list)  # bone sites spinemets cannot place
    visceral: list[str] = field(default_factory=list)
    brain: list[str] = field(default_factory=list)

    @property
    def cutoff(self) -> dt.date:
        """The last date a value may carry: the assessment date, never after today."""
        return min(self.assessed_on, self.today)

    def add_identifier(self, value: str) -> None:
        """Remember a patient identifier (its text is masked in the report and free text)."""
        self.identifiers |= _variants(value)

    def mask(self, text: str) -> str:
        """``text`` with every known identifier (case-insensitive) replaced by :data:`MASK`."""
        if not self.identifiers or not text:
            return text
        lowered = text.casefold()
        if not any(i.casefold() in lowered for i in self.identifiers):
            return text
        pattern = "|".join(re.escape(i) for i in sorted(self.identifiers, key=len, reverse=True))
        return re.sub(pattern, MASK, text, flags=re.IGNORECASE)

    def line(self, path: str, value: Any, source: str, status: Status, reason: str) -> None:
        """Add a report line; identifiers in any of its parts are masked."""
        self.lines.append(
            MappingLine(path, self.mask(str(value)), self.mask(source), status, self.mask(reason))
        )

    def set(
        self, path: str, value: Any, source: str, reason: str, comment: str | None = None
    ) -> None:
        self.values[path] = value
        self.comments[path] = comment or f"from {source}"
        self.line(path, value, source, "mapped", reason)
