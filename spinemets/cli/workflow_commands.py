"""``spinemets batch``, ``check`` and ``board``: commands over many case files.

Registered on :data:`spinemets.cli.app.app`; heavy imports stay inside the command functions so
the other commands do not pay for them.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from enum import StrEnum
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from spinemets.cli import console
from spinemets.cli.app import app
from spinemets.cli.exit_codes import ExitCode
from spinemets.errors import UserError
from spinemets.render.text import plain

if TYPE_CHECKING:
    from rich.progress import Progress

    from spinemets.rules.loader import RuleSet
    from spinemets.workflows.discovery import Discovery


class BatchFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


class BoardFormat(StrEnum):
    MARKDOWN = "markdown"
    HTML = "html"


PathsArg = Annotated[
    list[str], typer.Argument(help="Case files, folders (searched for *.yaml, *.yml) or globs.")
]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="A site's rules directory.")]


def _load_rules(rules: Path | None) -> RuleSet:
    from spinemets import api

    try:
        return api.load_rules(rules)
    except UserError as exc:
        _fail(exc)


def _fail(error: UserError) -> NoReturn:
    from spinemets.errors import IssuesError

    if isinstance(error, IssuesError):
        console.print_issues(error.issues)
    else:
        sys.stderr.write(plain(f"error: {error}") + "\n")
    raise typer.Exit(ExitCode.INVALID_INPUT)


def _show_progress() -> bool:
    """A progress bar only on an interactive terminal (never in pipes or CI logs)."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty() and console.stderr_is_terminal()


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _check_outputs(outputs: list[Path | None], inputs: list[str], rules: Path | None) -> None:
    """Refuse a bad output (a folder, a device, an input, each other) before any work."""
    from spinemets.fileio import FileProblem, check_output, same_file
    from spinemets.rules.loader import rule_file_paths

    given = [o for o in outputs if o is not None]
    sources = [*inputs, *map(str, rule_file_paths(rules))]
    try:
        for n, out in enumerate(given):
            check_output(out, sources)
            for other in given[n + 1 :]:
                if os.path.abspath(out) == os.path.abspath(other) or same_file(out, other):
                    raise FileProblem(other, f"is also given as another output ({out})")
    except UserError as exc:
        _fail(exc)


def _discover(paths: list[str]) -> Discovery:
    from spinemets.workflows.discovery import discover

    return discover(paths)


@app.command()
def batch(
    paths: PathsArg,
    fmt: Annotated[
        BatchFormat,
        typer.Option(
            "--format", "-f", help="jsonl (one report per line) or csv (one row per case)."
        ),
    ] = BatchFormat.JSONL,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here, atomically (default: stdout)."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=256, help="Worker processes.")
    ] = 1,
    dictionary: Annotated[
        Path | None, typer.Option("--dictionary", help="Write the CSV data dictionary here.")
    ] = None,
    redact: Annotated[
        bool, typer.Option("--redact", help="Remove name, MRN and birth date from jsonl reports.")
    ] = False,
    rules: RulesOpt = None,
) -> None:
    """Evaluate many cases: one JSON report per line, or one CSV row per case.

    Output order follows the inputs whatever --jobs is. Invalid files are reported (file:line:col)
    and counted, never stop the others, and make the exit code 1."""
    from spinemets.render.table import csv_layout, data_dictionary
    from spinemets.workflows import batch as wb
    from spinemets.workflows.runner import WorkerDied

    found = _discover(paths)
    targets = found.targets
    _check_outputs([output, dictionary], [t.file for t in targets], rules)
    settings = wb.Settings(
        fmt=fmt.value, rules_dir=str(rules) if rules is not None else None, redact=redact
    )
    try:
        layout = wb.prepare(settings)
    except UserError as exc:
        _fail(exc)
    if dictionary is not None:
        try:
            console.write_text_atomic(
                dictionary, data_dictionary(layout or csv_layout(_load_rules(rules)))
            )
        except UserError as exc:
            _fail(exc)
    previous = signal.signal(signal.SIGTERM, _terminate)
    progress: Progress | None = None
    try:
        if _show_progress():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            progress = Progress(
                TextColumn("evaluating"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console.stderr,
                transient=True,
                auto_refresh=False,
            )
            progress.start()
        task = progress.add_task("batch", total=len(targets)) if progress is not None else None

        last = [0.0]

        def tick(_outcome: wb.Outcome) -> None:
            if progress is not None and task is not None:
                progress.advance(task)
                now = time.monotonic()
                if now - last[0] >= 0.1:  # redraw at most ten times a second
                    last[0] = now
                    progress.refresh()

        if output is None:
            summary = wb.write_batch(targets, settings, sys.stdout, jobs=jobs, on_outcome=tick)
        else:
            with wb.atomic_output(output, [t.file for t in targets]) as handle:
                summary = wb.write_batch(targets, settings, handle, jobs=jobs, on_outcome=tick)
    except WorkerDied as exc:  # the partial output file is gone already
        for line in exc.lines():
            sys.stderr.write(line + "\n")
        if output is not None:
            sys.stderr.write(f"no output written: {output} was left as it was\n")
        raise typer.Exit(ExitCode.INVALID_INPUT) from None
    except UserError as exc:
        _fail(exc)
    finally:
        if progress is not None:
            progress.stop()
        signal.signal(signal.SIGTERM, previous)
    summary.skipped = found.skipped
    for line in summary.lines():
        sys.stderr.write(line + "\n")
    if summary.internal:
        raise typer.Exit(ExitCode.INTERNAL)
    if summary.failed:
        raise typer.Exit(ExitCode.INVALID_INPUT)


@app.command()
def check(
    paths: PathsArg,
    junit: Annotated[
        Path | None, typer.Option("--junit", help="Also write a JUnit XML report here.")
    ] = None,
    require: Annotated[
        bool,
        typer.Option("--require-expectations", help="Fail for a case without an expected: block."),
    ] = False,
    rules: RulesOpt = None,
) -> None:
    """Compare each case's expected: block with what spinemets computes.

    Each mismatch is reported at the expectation's file:line:col with expected and actual
    values. Exit 1 on any mismatch or invalid file."""
    from spinemets.workflows.check import CheckResult, check_file, junit_xml
    from spinemets.workflows.duplicates import DuplicateIds

    found = _discover(paths)
    _check_outputs([junit], [t.file for t in found.targets], rules)
    ruleset = _load_rules(rules)
    results: list[CheckResult] = []
    duplicates = DuplicateIds()
    for target in found.targets:
        if target.problem is not None:
            result = CheckResult(target.file, "invalid", None, (target.problem,))
        else:
            result = check_file(target.file, ruleset)
        results.append(result)
        duplicates.add(result.case_id, result.file)
        label = f"{result.file}" + (f" ({result.case_id})" if result.case_id else "")
        if result.issues:
            console.print_issues(result.issues)
        status = {
            "pass": "PASS",
            "fail": "FAIL",
            "no_expectations": "NO EXPECTATIONS",
            "invalid": "INVALID",
        }[result.status]
        detail = f" ({result.checked} expectation(s))" if result.status == "pass" else ""
        detail = f" ({len(result.issues)} mismatch(es))" if result.status == "fail" else detail
        sys.stdout.write(plain(f"{status:15} {label}{detail}") + "\n")
    counts = {
        s: sum(r.status == s for r in results)
        for s in ("pass", "fail", "no_expectations", "invalid")
    }
    sys.stderr.write(
        f"{len(results)} case file(s): {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['invalid']} invalid, {counts['no_expectations']} with no expectations, "
        f"{len(found.skipped)} path(s) skipped, {len(duplicates)} duplicate case id(s)\n"
    )
    for line in [*found.lines(), *duplicates.lines()]:
        sys.stderr.write(line + "\n")
    if junit is not None:
        try:
            console.write_text_atomic(junit, junit_xml(results), [r.file for r in results])
        except UserError as exc:
            _fail(exc)
    if counts["fail"] or counts["invalid"] or (require and counts["no_expectations"]):
        raise typer.Exit(ExitCode.INVALID_INPUT)


@app.command()
def board(
    paths: PathsArg,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Write the agenda here (atomically); - for stdout."),
    ],
    fmt: Annotated[
        BoardFormat,
        typer.Option("--format", "-f", help="markdown or html (self-contained, printable)."),
    ] = BoardFormat.MARKDOWN,
    redact: Annotated[
        bool, typer.Option("--redact", help="Remove name, MRN and birth date.")
    ] = False,
    rules: RulesOpt = None,
) -> None:
    """The tumour-board agenda: cases by triage tier (a provisional tier at its highest possible
    tier), then case id; files that could not be read are named on the agenda."""
    from spinemets.workflows.board import build_agenda

    to_stdout = str(output) == "-"
    found = _discover(paths)
    targets = found.targets
    inputs = [t.file for t in targets]
    if not to_stdout:
        _check_outputs([output], inputs, rules)
    ruleset = _load_rules(rules)
    agenda = build_agenda(
        [t.file for t in targets if t.problem is None],
        ruleset,
        redact=redact,
        skipped=[t.problem for t in targets if t.problem is not None],
    )
    if fmt is BoardFormat.HTML:
        from spinemets.render.html import render_board
    else:
        from spinemets.render.board_markdown import render_board
    text = render_board(agenda)
    if to_stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            console.write_text_atomic(output, text, inputs)
        except UserError as exc:
            _fail(exc)
    for item in agenda.invalid:
        field = f" [{item.field}]" if item.field else ""
        sys.stderr.write(plain(f"invalid: {item.where}: error: {item.reason}{field}") + "\n")
    for line in found.lines():
        sys.stderr.write(plain(line) + "\n")
    for case_id, count in agenda.duplicates.items():
        sys.stderr.write(plain(f"duplicate case id: {case_id} ({count} cases)") + "\n")
    tiers = ", ".join(f"{k} {v}" for k, v in agenda.tier_counts.items())
    where = "stdout" if to_stdout else plain(output)
    sys.stderr.write(
        f"wrote {where}: {len(agenda.reports)} case(s)"
        + (f" ({tiers})" if tiers else "")
        + f", {len(agenda.invalid)} invalid, {len(found.skipped)} path(s) skipped, "
        f"{len(agenda.duplicates)} duplicate case id(s)\n"
    )
    if agenda.invalid:
        raise typer.Exit(ExitCode.INVALID_INPUT)
