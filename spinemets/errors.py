"""Error types and the Issue record shared by every loader.

``SpinemetsError`` > ``UserError`` > ``CaseError`` / ``RulesError``. A ``UserError`` is bad input
and is shown to the user as a list of issues (exit code 1); any other exception is a bug.

Issue messages never carry protected health information: loaders only echo values that are
not identifiers (see ``PHI_FIELDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: Case paths holding identifiers. Their values are never echoed in messages or logs.
PHI_FIELDS: frozenset[str] = frozenset({"patient.name", "patient.mrn", "patient.birth_date"})


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an input file, located at ``file:line:col`` (1-based)."""

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: Severity = "error"
    code: str = "invalid"

    def parsable(self) -> str:
        """``file:line:col: severity: message [path]`` — the format editors and CI understand."""
        where = f" [{self.path}]" if self.path else ""
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}{where}"


class SpinemetsError(Exception):
    """Base of every error the library raises on purpose."""


class UserError(SpinemetsError):
    """Bad input: reported to the user, never as a traceback."""


class IssuesError(UserError):
    """Bad input described by one or more located issues."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues, key=lambda i: (i.file, i.line, i.col))
        first = self.issues[0].parsable() if self.issues else "invalid input"
        more = f" (+{len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(first + more)


class CaseError(IssuesError):
    """A case file failed to load or validate."""


class RulesError(IssuesError):
    """A rules directory failed to load or validate."""
