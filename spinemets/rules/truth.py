"""Three-valued (Kleene) truth with the facts that decided it and what it still needs.

A condition on a finding that is not recorded is unknown, never false. ``all`` is false when
any part is false (and then needs nothing: no missing input can change it), ``any`` is true
when any part is true; otherwise unknown, needing what its unknown parts need. So a rule's
unknown inputs are named only where they can still change its truth.

Values are decided eagerly; the facts and needs of ``all``, ``any`` and ``not`` are flattened
only when read (most are never read: a false rule before the deciding one, a false
contribution) and then kept. Reading gives the same tuples as flattening at every node would:
first-seen order, each once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from spinemets.assessment import Need

__all__ = ["Truth", "all_of", "any_of", "needs_text", "negate", "uniq"]

T = TypeVar("T")


class Truth:
    """A three-valued result with the facts that decided it and the inputs it still needs.

    Immutable by contract. ``Truth(value, facts, needs)`` holds the given tuples as they are;
    the results of :func:`all_of`, :func:`any_of` and :func:`negate` hold the parts they are
    made of and flatten their facts and needs on first reading.
    """

    __slots__ = ("_fact_parts", "_facts", "_need_parts", "_needs", "value")

    value: bool | None
    _facts: tuple[str, ...]
    _needs: tuple[Need, ...]
    #: Parts whose facts (needs), flattened and de-duplicated, are this truth's; None once done.
    _fact_parts: Sequence[Truth] | None
    _need_parts: Sequence[Truth] | None

    def __init__(
        self,
        value: bool | None,
        facts: tuple[str, ...] = (),
        needs: tuple[Need, ...] = (),
    ) -> None:
        self.value = value
        self._facts = facts
        self._needs = needs
        self._fact_parts = None
        self._need_parts = None

    @property
    def facts(self) -> tuple[str, ...]:
        parts = self._fact_parts
        if parts is not None:
            self._facts = uniq(f for t in parts for f in t.facts)
            self._fact_parts = None
        return self._facts

    @property
    def needs(self) -> tuple[Need, ...]:
        parts = self._need_parts
        if parts is not None:
            self._needs = uniq(n for t in parts for n in t.needs)
            self._need_parts = None
        return self._needs

    def _key(self) -> tuple[bool | None, tuple[str, ...], tuple[Need, ...]]:
        return (self.value, self.facts, self.needs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Truth):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Truth(value={self.value!r}, facts={self.facts!r}, needs={self.needs!r})"


def _joined(
    value: bool | None,
    fact_parts: Sequence[Truth],
    need_parts: Sequence[Truth] | None,
) -> Truth:
    """A truth whose facts (and needs, when ``need_parts`` is given) are its parts', merged."""
    t = Truth.__new__(Truth)
    t.value = value
    t._facts = ()
    t._needs = ()
    t._fact_parts = fact_parts
    t._need_parts = need_parts
    return t


def uniq(items: Iterable[T]) -> tuple[T, ...]:
    """Items in first-seen order, each once."""
    return tuple(dict.fromkeys(items))


def all_of(parts: Sequence[Truth]) -> Truth:
    false = [t for t in parts if t.value is False]
    if false:
        return _joined(False, false, None)
    unknown = [t for t in parts if t.value is None]
    if unknown:
        known = [t for t in parts if t.value is True]
        return _joined(None, known + unknown, unknown)
    return _joined(True, parts, None)


def any_of(parts: Sequence[Truth]) -> Truth:
    true = [t for t in parts if t.value is True]
    if true:
        return _joined(True, true, None)
    unknown = [t for t in parts if t.value is None]
    if unknown:
        return _joined(None, parts, unknown)
    return _joined(False, parts, None)


def negate(t: Truth) -> Truth:
    value = None if t.value is None else not t.value
    if t._fact_parts is None and t._need_parts is None:
        return Truth(value, t._facts, t._needs)
    # t merges its parts: its facts and needs are already de-duplicated, so merging t alone
    # gives them unchanged.
    return _joined(value, (t,), (t,))


def needs_text(needs: Sequence[Need]) -> str:
    """Needs as one readable list ("more information" when none is named)."""
    return ", ".join(uniq(n.text for n in needs)) if needs else "more information"
