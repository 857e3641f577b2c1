"""The scorer contract: ``Scorer``, ``ScoreResult``, ``Component`` and the range arithmetic.

A scorer is a published instrument encoded as data plus one pure function. Each component is
either known (one points value) or unknown (the set of points it could take). Unknown is never
zero: the result carries the range over every completion of the unknowns, and a category only
when that whole range falls in one band.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from spinemets.case.models import Case

Status = Literal["complete", "partial", "not_computable"]
Direction = Literal["higher_better", "higher_worse", "none"]
Scope = Literal["case", "lesion"]


@dataclass(frozen=True, slots=True)
class Component:
    """One item of a score: the value it was given and the points it earned.

    ``points`` is ``None`` when the input is unknown; ``possible`` then lists every points value
    the item could take (for a known item it is ``(points,)``).
    """

    name: str
    value: str | None
    points: int | None
    possible: tuple[int, ...]
    path: str = ""
    note: str = ""

    @staticmethod
    def known(name: str, value: str, points: int, path: str = "", note: str = "") -> Component:
        return Component(name, value, points, (points,), path, note)

    @staticmethod
    def unknown(name: str, possible: Iterable[int], path: str = "", note: str = "") -> Component:
        return Component(name, None, None, tuple(sorted(set(possible))), path, note)


@dataclass(frozen=True, slots=True)
class Band:
    """A category of a score's total, inclusive at both ends."""

    low: int
    high: int
    category: str
    meaning: str

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The outcome of one scorer on one case (or lesion)."""

    id: str
    version: str
    status: Status
    total: int | None
    range: tuple[int, int] | None
    category: str | None
    components: tuple[Component, ...]
    missing: tuple[str, ...]
    citation: str
    notes: tuple[str, ...] = ()
    grade: str | None = None  # grade-type results (ESCC, Frankel) carry their grade here

    def to_dict(self) -> dict[str, Any]:
        """The report contract's SCORE object."""
        return {
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "total": self.total,
            "range": list(self.range) if self.range is not None else None,
            "category": self.category,
            "components": [
                {
                    "name": c.name,
                    "value": c.value if c.value is not None else "unknown",
                    "points": c.points,
                }
                for c in self.components
            ],
            "missing": list(self.missing),
            "citation": self.citation,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Scorer:
    """A registered instrument. ``compute(case, lesion_index)`` is pure and never raises for
    missing clinical input; ``lesion_index`` is ``None`` for case-level scores."""

    id: str
    title: str
    version: str
    citation: str
    scope: Scope
    direction: Direction
    requires: tuple[str, ...]
    compute: Callable[[Case, int | None], ScoreResult]
    bands: tuple[Band, ...] = ()
    tables: dict[str, Any] = field(default_factory=dict)
    limitations: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    doc: str = ""


def category_for(bands: Sequence[Band], low: int, high: int) -> str | None:
    """The band holding the whole range ``[low, high]``, or ``None`` when it straddles bands."""
    for band in bands:
        if band.contains(low) and band.contains(high):
            return band.category
    return None


def additive(
    scorer_id: str,
    version: str,
    citation: str,
    components: Sequence[Component],
    bands: Sequence[Band],
    *,
    notes: Sequence[str] = (),
    cap: int | None = None,
) -> ScoreResult:
    """Sum independent components; unknown ones widen the range. ``cap`` clips the total
    (monotone, so the range clips the same way). When the unknowns cannot move the total (a
    range of one value, e.g. at the cap) the score is complete with that total; ``missing``
    still lists what was not recorded, and a note says it cannot change the result."""
    low = sum(min(c.possible) for c in components)
    high = sum(max(c.possible) for c in components)
    if cap is not None:
        low, high = min(low, cap), min(high, cap)
    missing = tuple(c.path for c in components if c.points is None and c.path)
    complete = all(c.points is not None for c in components) or low == high
    notes = tuple(notes)
    if complete and missing:
        notes += (f"not recorded: {', '.join(missing)}; it cannot change the total",)
    return ScoreResult(
        id=scorer_id,
        version=version,
        status="complete" if complete else "partial",
        total=low if complete else None,
        range=(low, high),
        category=category_for(bands, low, high),
        components=tuple(components),
        missing=missing,
        citation=citation,
        notes=notes,
    )


def not_computable(
    scorer_id: str, version: str, citation: str, missing: Sequence[str], notes: Sequence[str] = ()
) -> ScoreResult:
    """A score that cannot even be bounded (e.g. no grade given)."""
    return ScoreResult(
        scorer_id,
        version,
        "not_computable",
        None,
        None,
        None,
        (),
        tuple(missing),
        citation,
        tuple(notes),
    )
