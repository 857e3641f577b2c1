"""How old a dated value may be, relative to the assessment date, before it is flagged.

Project policy (a value this old no longer describes the patient at the board; the clinician
confirms or updates it): performance status and laboratory values 30 days, the coded sites of
metastatic disease 90 days. A stale value is still drafted, with a ``warning`` line in the
report and a comment beside it; a value dated after the assessment date, or after today, is
never used.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from spinemets.interop.fhir.state import State

STALE_AFTER_DAYS: Final[dict[str, int]] = {
    "performance.ecog": 30,
    "performance.kps": 30,
    "labs.albumin": 30,
    "labs.egfr": 30,
    "disease": 90,
}


def too_new(when: dt.date, state: State) -> str | None:
    """Why a value dated ``when`` is not used, or None when its date is acceptable."""
    if when > state.today:
        return f"dated {when.isoformat()}, in the future (today is {state.today.isoformat()})"
    if when > state.assessed_on:
        return (
            f"dated {when.isoformat()}, after the assessment date {state.assessed_on.isoformat()}"
        )
    return None


def check_stale(path: str, when: dt.date | None, source: str, state: State) -> None:
    """Add a warning (report line and draft comment) when ``when`` is older than the window."""
    window = STALE_AFTER_DAYS.get(path, STALE_AFTER_DAYS.get(path.split(".")[0]))
    if window is None or when is None:
        return
    age = (state.assessed_on - when).days
    if age <= window:
        return
    note = (
        f"STALE: dated {when.isoformat()}, {age} days before the assessment date "
        f"{state.assessed_on.isoformat()} (window {window} days); confirm or update"
    )
    state.line(path, "-", source, "warning", note)
    state.comments[path] = f"{state.comments.get(path, '')}; {note}".lstrip("; ")
