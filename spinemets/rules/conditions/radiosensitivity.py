"""``radiosensitivity: {in: [...]}`` — the histology's class to conventional EBRT.

The clinician's ``cancer.radiosensitivity`` (with its reason) overrides the rules' table; a
primary the table leaves open (``unknown``) needs the MDT's class.
"""

from __future__ import annotations

from spinemets.rules.context import Context
from spinemets.rules.models import RadiosensitivityCond
from spinemets.rules.truth import Truth


def evaluate(cond: RadiosensitivityCond, ctx: Context, lesion: int | None) -> Truth:
    cls, text, needs = ctx.radiosensitivity()
    fact = (f"radiosensitivity: {text}",)
    if cls is None:
        return Truth(None, fact, needs)
    return Truth(cls in cond.radiosensitivity.in_, fact)
