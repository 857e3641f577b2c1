"""Three-valued (Kleene) truth with the facts that decided it and what it still needs.

A condition on a finding that is not recorded is unknown, never false. ``all`` is false when
any part is false (and then needs nothing: no missing input can change it), ``any`` is true
when any part is true; otherwise unknown, needing what its unknown parts need. So a rule's
unknown inputs are named only where they can still change its truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from spinemets.assessment import Need

__all__ = ["Truth", "all_of", "any_of", "needs_text", "negate", "uniq"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Truth:
    """A three-valued result with the facts that decided it and the inputs it still needs."""

    value: bool | None
    facts: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()


def uniq(items: Iterable[T]) -> tuple[T, ...]:
    """Items in first-seen order, each once."""
    return tuple(dict.fromkeys(items))


def all_of(parts: Sequence[Truth]) -> Truth:
    false = [t for t in parts if t.value is False]
    if false:
        return Truth(False, uniq(f for t in false for f in t.facts))
    unknown = [t for t in parts if t.value is None]
    if unknown:
        known = [t for t in parts if t.value is True]
        return Truth(
            None,
            uniq(f for t in (*known, *unknown) for f in t.facts),
            uniq(n for t in unknown for n in t.needs),
        )
    return Truth(True, uniq(f for t in parts for f in t.facts))


def any_of(parts: Sequence[Truth]) -> Truth:
    true = [t for t in parts if t.value is True]
    if true:
        return Truth(True, uniq(f for t in true for f in t.facts))
    unknown = [t for t in parts if t.value is None]
    if unknown:
        return Truth(
            None,
            uniq(f for t in parts for f in t.facts),
            uniq(n for t in unknown for n in t.needs),
        )
    return Truth(False, uniq(f for t in parts for f in t.facts))


def negate(t: Truth) -> Truth:
    return Truth(None if t.value is None else not t.value, t.facts, t.needs)


def needs_text(needs: Sequence[Need]) -> str:
    """Needs as one readable list ("more information" when none is named)."""
    return ", ".join(uniq(n.text for n in needs)) if needs else "more information"
