"""Published instruments, one module each, registered explicitly.

``REGISTRY`` maps a score id to its :class:`~spinemets.scorers.base.Scorer`; ``get()`` fails
loudly for an unknown id.
"""

from __future__ import annotations

from spinemets.scorers import bauer, escc, nesms, neurology, performance, sins, tokuhashi, tomita
from spinemets.scorers.base import Scorer

REGISTRY: dict[str, Scorer] = {
    sins.SCORER.id: sins.SCORER,
    escc.SCORER.id: escc.SCORER,
    neurology.SCORER.id: neurology.SCORER,
    performance.SCORER.id: performance.SCORER,
    tokuhashi.SCORER.id: tokuhashi.SCORER,
    tomita.SCORER.id: tomita.SCORER,
    bauer.SCORER.id: bauer.SCORER,
    nesms.SCORER.id: nesms.SCORER,
}


def get(score_id: str) -> Scorer:
    """The scorer registered as ``score_id``."""
    try:
        return REGISTRY[score_id]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"unknown score id '{score_id}' (known: {known})") from None
