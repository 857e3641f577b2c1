"""``radiosensitivity: {in: [...]}`` — the histology's class to conventional EBRT.

The clinician's ``cancer.radiosensitivity`` (with its reason) overrides the rules' table; a
primary the table leaves open (``unknown``) needs the MDT's class. ``in`` lists classes among
``sensitive``, ``intermediate`` and ``resistant``.
"""

from typing import Any, Literal

from pydantic import Field

from spinemets.rules.base import Checker, Scope, YPath, _Model
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth

RadioClass = Literal["sensitive", "intermediate", "resistant"]


class RadiosensitivityTest(_Model):
    in_: list[RadioClass] = Field(alias="in", min_length=1)


class RadiosensitivityCond(_Model):
    radiosensitivity: RadiosensitivityTest


def check(
    cond: RadiosensitivityCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    """Fully checked by the model."""


def evaluate(cond: RadiosensitivityCond, ctx: Context, lesion: int | None) -> Truth:
    cls, text, needs = ctx.radiosensitivity()
    fact = (f"radiosensitivity: {text}",)
    if cls is None:
        return Truth(None, fact, needs)
    return Truth(cls in cond.radiosensitivity.in_, fact)
