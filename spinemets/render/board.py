"""The tumour-board agenda as data: case reports sorted by tier, the files that could not be put
on it, and the case ids that occur more than once.

Each case is the same :class:`~spinemets.render.report.Report` the terminal and Markdown reports
show. A provisional tier sorts at its highest possible tier (a case that may be an emergency is
discussed first). ``board_markdown`` and ``html`` lay the agenda out; neither hides a patient:
invalid files are named on the page with the reason, and duplicate ids are flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spinemets.render import report as rv
from spinemets.render import words
from spinemets.render.text import plain

if TYPE_CHECKING:
    from spinemets.assessment import Assessment
    from spinemets.errors import Issue


@dataclass(frozen=True, slots=True)
class InvalidFile:
    """A file that is not on the agenda, with where and why."""

    file: str
    line: int
    col: int
    field: str
    reason: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Agenda:
    """Sorted case reports, the files not on the agenda, and duplicate case ids (id → count)."""

    reports: tuple[rv.Report, ...]
    invalid: tuple[InvalidFile, ...] = ()
    duplicates: dict[str, int] = field(default_factory=dict)
    redacted: bool = False

    @property
    def tier_counts(self) -> dict[str, int]:
        counts = Counter(r.tier.tier for r in self.reports)
        return {t: counts[t] for t in words.TIERS if counts[t]}

    def duplicate(self, report: rv.Report) -> int:
        """How many cases on the agenda share this report's case id (0 when it is unique)."""
        return self.duplicates.get(report.case_id, 0)


def invalid_file(issue: Issue) -> InvalidFile:
    return InvalidFile(
        plain(issue.file), issue.line, issue.col, plain(issue.path), plain(issue.message)
    )


def agenda_from(
    assessments: Iterable[Assessment],
    invalid: Sequence[Issue] = (),
    *,
    redacted: bool = False,
) -> Agenda:
    """The agenda: by tier (provisional at its highest possible tier), then case id, then
    input order."""
    reports = sorted((rv.build(a) for a in assessments), key=rv.sort_key)
    counts = Counter(r.case_id for r in reports)
    duplicates = {cid: n for cid, n in counts.items() if n > 1}
    return Agenda(tuple(reports), tuple(invalid_file(i) for i in invalid), duplicates, redacted)


def tier_badge(report: rv.Report) -> str:
    """The tier as a badge reads it: ``URGENT`` or ``URGENT?`` (provisional)."""
    t = report.tier
    return words.TIER_LABEL[t.tier] + ("?" if t.provisional else "")


def primary_line(report: rv.Report) -> str:
    """``kidney (resistant)`` for the agenda row."""
    return f"{words.term(report.primary)} ({report.radiosensitivity})"
