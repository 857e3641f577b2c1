"""Shared helpers of the workflow tests (no conftest: plain functions)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner, Result

from spinemets.cli.app import app

REPO = Path(__file__).resolve().parents[2]
#: The repository's rules directory (passed explicitly, so the tests also cover --rules).
RULES = REPO / "rules"

#: T12 lesion: SINS = junctional 3 + mechanical pain 3 + lytic 2 + normal alignment 0
#: + collapse <50% 2 + unilateral posterolateral 1 = 11, "potentially unstable" 7-12
#: (Fisher CG et al., Spine 2010;35(22):E1221-9); ESCC 1c = low grade (Bilsky 2010).
GOOD_CASE = """\
schema_version: 1
case_id: TB-GOOD-1
patient:
  age: 64
  sex: male
  name: Alice Example
  mrn: MRN-778899
cancer:
  primary: renal
  histology: clear cell renal cell carcinoma
  systemic_therapy: available
lesions:
  - level: T12
    pain: mechanical
    bone_lesion: lytic
    alignment: normal
    collapse: lt50
    posterolateral: unilateral
    escc: "1c"
neurology:
  frankel: E
  ambulatory: independent
  deficit: none
performance:
  kps: 70
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def cli(*args: str) -> Result:
    """Run ``spinemets ARGS`` in-process (stdout and stderr kept apart)."""
    return CliRunner().invoke(app, list(args))
