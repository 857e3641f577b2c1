"""Exit codes of every spinemets command."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    INVALID_INPUT = 1  # invalid case or rules, failed check
    USAGE = 2  # wrong command line (typer's own code)
    INTERNAL = 3  # a bug: reported without a traceback
