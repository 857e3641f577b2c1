"""Renderers: each turns an Assessment into text and does no I/O.

``Format`` lists every output format; ``RENDERERS`` maps each one to the module that renders
it (imported lazily, so only the chosen format pays for its imports).
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinemets.assessment import Assessment


class Format(StrEnum):
    """Report formats of ``spinemets evaluate``."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    FHIR = "fhir"


#: Module (under spinemets.render) that renders each format. A test checks it is exhaustive.
RENDERERS: dict[Format, str] = {
    Format.TERMINAL: "terminal",
    Format.JSON: "json",
    Format.MARKDOWN: "markdown",
    Format.FHIR: "fhir",
}


#: Formats with a summary and a ``detail`` view (the others always carry everything).
DETAILED = frozenset({Format.TERMINAL, Format.MARKDOWN})


def render_as(assessment: Assessment, fmt: Format, *, detail: bool = False) -> str:
    """Render ``assessment`` in ``fmt`` (``detail`` for the terminal and Markdown reports)."""
    module = importlib.import_module(f"spinemets.render.{RENDERERS[fmt]}")
    text: str = (
        module.render(assessment, detail=detail) if fmt in DETAILED else module.render(assessment)
    )
    return text
