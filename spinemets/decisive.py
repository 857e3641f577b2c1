"""What to ask next: the missing case fields ranked by how many undecided results need them.

An undecided result is a score whose category is still open (partial or not computable), an
option that is not evaluable, or a provisional triage tier. Each missing field is counted once
per result that names it among its needs; the ranking puts first the field that would help
settle the most results (ties keep the order in which the report meets them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from spinemets.assessment import DecisiveInput, LesionScores, Option, Triage
from spinemets.case.models import Case
from spinemets.rules.context import need_for
from spinemets.scorers.base import ScoreResult

__all__ = ["decisive_inputs"]


def _open_score(result: ScoreResult) -> bool:
    return result.status != "complete" and result.category is None


def _undecided(
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
    triage: Triage,
    options: Iterable[Option],
) -> Iterable[tuple[str, Iterable[str]]]:
    """(result name, the case paths it needs) for every undecided result."""
    if triage.provisional:
        yield f"triage tier ({triage.tier}, provisional)", (n.path for n in triage.needs if n.path)
    for held in lesions:
        for result in held.scores.values():
            if _open_score(result):
                yield f"{result.id} at {held.level}", result.missing
    for result in scores.values():
        if _open_score(result):
            yield result.id, result.missing
    for option in options:
        if option.strength == "not_evaluable":
            where = f" at {option.lesion}" if option.lesion else ""
            yield f"{option.id}{where}", (n.path for n in option.needs if n.path)


def decisive_inputs(
    case: Case,
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
    triage: Triage,
    options: Iterable[Option],
) -> tuple[DecisiveInput, ...]:
    """Missing case fields, most decisive first."""
    needed: dict[str, list[str]] = {}
    for result, paths in _undecided(lesions, scores, triage, options):
        for path in dict.fromkeys(paths):
            held = needed.setdefault(path, [])
            if result not in held:
                held.append(result)
    order = {path: i for i, path in enumerate(needed)}
    ranked = sorted(needed, key=lambda p: (-len(needed[p]), order[p]))
    return tuple(
        DecisiveInput(path, need_for(path, case).text, tuple(needed[path])) for path in ranked
    )
