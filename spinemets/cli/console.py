"""Consoles and issue display. Reports go to stdout; issues, warnings and progress to stderr.

rich is imported only when a console is first used (``console.stdout`` / ``console.stderr``:
the terminal report, tables for people, progress), never for JSON, Markdown or piped output.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from spinemets.errors import Issue

if TYPE_CHECKING:
    from rich.console import Console

    from spinemets.assessment import Warning
    from spinemets.yamlsrc import SourceMap

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
#: Environment variables with which rich treats a stream as a terminal even when it is not one.
_TERMINAL_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


@cache
def _console(name: str) -> Console:
    from rich.console import Console

    if name == "stdout":
        return Console(highlight=False, soft_wrap=False)
    return Console(stderr=True, highlight=False, soft_wrap=True)


def __getattr__(name: str) -> Console:
    """``stdout`` and ``stderr``: the rich consoles, made on first use."""
    if name in ("stdout", "stderr"):
        return _console(name)
    raise AttributeError(name)


def stderr_is_terminal() -> bool:
    """Whether stderr is a terminal (as rich decides), without importing rich for a pipe."""
    if not sys.stderr.isatty() and not any(v in os.environ for v in _TERMINAL_ENV):
        return False
    return _console("stderr").is_terminal


def print_issues(issues: Iterable[Issue], *, parsable: bool = False) -> None:
    """Issues as ``file:line:col: severity: message [path]`` lines, or a table for people."""
    from spinemets.render.text import plain

    items = list(issues)
    if parsable or not stderr_is_terminal():
        for issue in items:
            sys.stderr.write(plain(issue.parsable()) + "\n")
        sys.stderr.flush()
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=None, show_lines=False, header_style="bold")
    table.add_column("location", no_wrap=True)
    table.add_column("field")
    table.add_column("problem")
    for issue in items:
        style = "red" if issue.severity == "error" else "yellow"
        table.add_row(  # Text, never markup: file names and messages are shown as written
            Text(plain(f"{issue.file}:{issue.line}:{issue.col}")),
            Text(plain(issue.path or "-")),
            Text.assemble((issue.severity, style), ": ", plain(issue.message)),
        )
    _console("stderr").print(table)


def say(text: str) -> None:
    """A status line on stderr: control characters shown escaped, no markup interpreted."""
    from rich.text import Text

    from spinemets.render.text import plain

    _console("stderr").print(Text(plain(text)))


def write_text_atomic(path: Path, text: str, inputs: Iterable[Path | str] = ()) -> None:
    """Write ``text`` to ``path`` safely (see :mod:`spinemets.fileio`): never onto an input or
    a non-regular file, fsynced, atomically renamed. Raises ``FileProblem`` (a UserError)."""
    from spinemets.fileio import write_text

    write_text(path, text, inputs)


def parse_path(dotted: str) -> tuple[str | int, ...]:
    """``lesions[0].escc`` → ``("lesions", 0, "escc")``."""
    return tuple(int(index) if index else name for name, index in _PATH_PART.findall(dotted))


def locate_warnings(warnings: Sequence[Warning], source: SourceMap) -> list[Issue]:
    """Case warnings as located issues (severity warning) for stderr."""
    out = []
    for w in warnings:
        issue = source.issue(parse_path(w.path), w.message, code=w.code, severity="warning")
        out.append(Issue(issue.file, issue.line, issue.col, w.path, w.message, "warning", w.code))
    return out
