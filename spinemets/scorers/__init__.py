"""Published instruments, one module each, registered explicitly.

``REGISTRY`` maps a score id to its :class:`~spinemets.scorers.base.Scorer`; ``get()`` fails
loudly for an unknown id.
"""

from __future__ import annotations

from spinemets.scorers import escc, neurology, performance, sins
from spinemets.scorers.base import Scorer

REGISTRY: dict[str, Scorer] = {
    sins.SCORER.id: sins.SCORER,
    escc.SCORER.id: escc.SCORER,
    neurology.SCORER.id: neurology.SCORER,
    performance.SCORER.id: performance.SCORER,
}


def get(score_id: str) -> Scorer:
    """The scorer registered as ``score_id``."""
    try:
        return REGISTRY[score_id]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"unknown score id '{score_id}' (known: {known})") from None
