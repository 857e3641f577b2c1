"""Golden reports: every example rendered as JSON, Markdown and terminal text.

Regenerate after an intended change with ``SPINEMETS_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py`` and review the diff like code: it is the clinical output.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from spinemets import __version__, api

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
UPDATE = os.environ.get("SPINEMETS_UPDATE_GOLDEN") == "1"
SUFFIX = {"json": "json", "markdown": "md", "terminal": "txt"}


def _normalise(text: str) -> str:
    """Mask what changes without a clinical change: tool version and rules digest."""
    text = text.replace(__version__, "<version>")
    return re.sub(r"[0-9a-f]{64}|[0-9a-f]{12,16}…", "<digest>", text)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden_report(example: Path, fmt: str) -> None:
    assessment = api.assess(api.load_case(example), redact=True)
    actual = _normalise(api.render(assessment, fmt))
    golden = GOLDEN / f"{example.stem}.{SUFFIX[fmt]}"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with SPINEMETS_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["markdown", "terminal"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_golden_detail_report(example: Path, fmt: str) -> None:
    assessment = api.assess(api.load_case(example), redact=True)
    actual = _normalise(api.render(assessment, fmt, detail=True))
    golden = GOLDEN / f"{example.stem}.detail.{SUFFIX[fmt]}"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with SPINEMETS_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")
