"""Helpers shared by the safety tests: run the CLI as a user does, read its error lines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: One ``file:line:col: error: message`` line, as printed on stderr when it is not a terminal.
ERROR_LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$", re.MULTILINE
)

#: Generous: these runs prove behaviour, not speed (no timed assertions).
TIMEOUT_S = 300


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``python -m spinemets ARGS`` from the checkout, output captured as bytes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "spinemets", *map(str, args)],
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=TIMEOUT_S,
        check=False,
    )
