"""``spinemets`` commands. Thin: parse arguments, call the API, print, exit.

Exit codes: 0 ok, 1 invalid input or failed check, 2 usage error, 3 internal error. No
traceback ever reaches the user (tracebacks may hold patient data).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from spinemets import __version__
from spinemets.cli import console
from spinemets.cli.exit_codes import ExitCode
from spinemets.errors import IssuesError, UserError
from spinemets.render.text import plain

app = typer.Typer(
    name="spinemets",
    help="Decision support for metastatic spinal tumours: scores, NOMS options and their basis.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(
    help="Validate a rules directory (clinical policy as data).", no_args_is_help=True
)
import_app = typer.Typer(help="Create case files from other formats.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(import_app, name="import")


class EvaluateFormat(StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    FHIR = "fhir"


class IssueFormat(StrEnum):
    HUMAN = "human"
    PARSABLE = "parsable"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"spinemets {__version__}\n")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Decision support for clinicians, not a directive."""


def _fail(error: UserError, *, parsable: bool = False) -> NoReturn:
    if isinstance(error, IssuesError):
        console.print_issues(error.issues, parsable=parsable)
    else:
        sys.stderr.write(plain(f"error: {error}") + "\n")
    raise typer.Exit(ExitCode.INVALID_INPUT)


def _emit(text: str, output: Path | None, inputs: Sequence[Path] = ()) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        console.write_text_atomic(output, text, inputs)
    except UserError as exc:
        _fail(exc)


def _check_output(output: Path | None, inputs: Sequence[Path]) -> None:
    """Refuse a bad ``--output`` before any work (a folder, a device, one of the inputs)."""
    if output is None:
        return
    from spinemets.fileio import check_output

    try:
        check_output(output, inputs)
    except UserError as exc:
        _fail(exc)


_INPUT = "Input"
_REPORT = "Report"
_PRIVACY = "Privacy"


@app.command()
def evaluate(
    case: Annotated[Path, typer.Argument(help="Case file (YAML).")],
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="A site's rules directory.", rich_help_panel=_INPUT),
    ] = None,
    fmt: Annotated[
        EvaluateFormat,
        typer.Option("--format", "-f", help="Report format.", rich_help_panel=_REPORT),
    ] = EvaluateFormat.TERMINAL,
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            help="Add score components, rationale and sources (terminal and markdown).",
            rich_help_panel=_REPORT,
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write the report here (atomically).", rich_help_panel=_REPORT
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option("--redact", help="Remove name, MRN and birth date.", rich_help_panel=_PRIVACY),
    ] = False,
    fhir_subject: Annotated[
        str | None,
        typer.Option(
            "--fhir-subject",
            metavar="Patient/ID",
            help="FHIR format: the source record's Patient reference (Patient/ID or its URL).",
            rich_help_panel=_REPORT,
        ),
    ] = None,
) -> None:
    """Score a case and print the NOMS summary a tumour board uses (--detail for the basis)."""
    from spinemets import api
    from spinemets.rules.loader import rule_file_paths

    inputs = [case, *rule_file_paths(rules)]
    _check_output(output, inputs)
    if fhir_subject is not None:
        from spinemets.render.fhir import SUBJECT_PATTERN

        if fmt is not EvaluateFormat.FHIR or not SUBJECT_PATTERN.fullmatch(fhir_subject):
            sys.stderr.write(
                "error: --fhir-subject takes Patient/ID, an absolute .../Patient/ID URL or a "
                "urn:uuid, with --format fhir\n"
            )
            raise typer.Exit(ExitCode.USAGE)

    try:
        loaded = api.load_case(case)
        ruleset = api.load_rules(rules) if rules is not None else None
        assessment = api.assess(loaded, ruleset, redact=redact)
    except UserError as exc:
        _fail(exc)
    if fmt is EvaluateFormat.TERMINAL and output is None:
        from spinemets.render.terminal import renderables

        for item in renderables(assessment, detail=detail):
            console.stdout.print(item)
        return
    if fmt is not EvaluateFormat.TERMINAL:
        console.print_issues(
            console.locate_warnings(assessment.warnings, loaded.source), parsable=True
        )
    if fhir_subject is not None:
        from spinemets.render import fhir

        _emit(fhir.render(assessment, subject=fhir_subject), output, inputs)
        return
    _emit(api.render(assessment, fmt.value, detail=detail), output, inputs)


@app.command()
def validate(
    cases: Annotated[list[Path], typer.Argument(help="Case files to check.")],
    fmt: Annotated[
        IssueFormat,
        typer.Option("--format", "-f", help="human (table) or parsable (file:line:col)."),
    ] = IssueFormat.HUMAN,
) -> None:
    """Check case files without scoring them. Exit 0 when all are valid, 1 otherwise."""
    from spinemets import api
    from spinemets.case.checks import cross_field_warnings
    from spinemets.errors import CaseError

    parsable = fmt is IssueFormat.PARSABLE
    failed = 0
    table = api.load_rules().radiosensitivity_of
    for path in cases:
        try:
            loaded = api.load_case(path)
        except CaseError as exc:
            failed += 1
            console.print_issues(exc.issues, parsable=parsable)
            continue
        warnings = console.locate_warnings(
            tuple(cross_field_warnings(loaded.case, table)), loaded.source
        )
        if warnings:
            console.print_issues(warnings, parsable=parsable)
        if not parsable:
            console.say(f"{path}: valid" + (f" ({len(warnings)} warning(s))" if warnings else ""))
    if failed:
        if not parsable:
            console.say(f"{failed} of {len(cases)} file(s) invalid")
        raise typer.Exit(ExitCode.INVALID_INPUT)


#: The schema's file name beside a user's cases: the template's header points at it
#: (``$schema=case.schema.json`` is resolved relative to the case file by editors).
SCHEMA_FILE = "case.schema.json"


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the schema here (atomically); put it beside your case files.",
        ),
    ] = None,
) -> None:
    """Print the case file JSON Schema, or write it beside your case files (--output)."""
    from spinemets.schema import case_schema_text

    if output is None:
        sys.stdout.write(case_schema_text())
        return
    _check_output(output, [])
    _emit(case_schema_text(), output)
    sys.stderr.write(
        plain(
            f"wrote {output}; case files in {output.parent} validate in editors with the first "
            f"line: # yaml-language-server: $schema={output.name}"
        )
        + "\n"
    )


@app.command()
def new(
    path: Annotated[
        Path | None, typer.Argument(help="Where to write the template (default: stdout).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented template case file, with the case schema beside it for editors."""
    from spinemets.case.template import TEMPLATE
    from spinemets.schema import case_schema_text

    if path is None:
        sys.stdout.write(TEMPLATE)
        return
    if path.exists() and not force:
        sys.stderr.write(plain(f"error: {path} exists; use --force to overwrite") + "\n")
        raise typer.Exit(ExitCode.INVALID_INPUT)
    _emit(TEMPLATE, path)
    sys.stderr.write(plain(f"wrote {path}") + "\n")
    beside = path.parent / SCHEMA_FILE
    if not beside.exists():
        _emit(case_schema_text(), beside)
        sys.stderr.write(plain(f"wrote {beside} (the $schema header of {path.name})") + "\n")
    elif beside.read_text(encoding="utf-8", errors="replace") != case_schema_text():
        sys.stderr.write(
            plain(
                f"kept {beside}, which differs from this version's schema; refresh it with: "
                f"spinemets schema --output {beside}"
            )
            + "\n"
        )


@app.command()
def explain(
    score: Annotated[
        str | None, typer.Argument(help="Score id (omit to list every score).")
    ] = None,
) -> None:
    """List the scores, or print one score's point table, bands, citation and known conflicts."""
    from spinemets.explain import describe, listing

    if score is None:
        sys.stdout.write(listing())
        return
    try:
        sys.stdout.write(describe(score))
    except KeyError as exc:
        sys.stderr.write(f"error: {exc.args[0]}\n")
        raise typer.Exit(ExitCode.INVALID_INPUT) from None


@rules_app.command("check")
def rules_check(
    directory: Annotated[
        Path | None, typer.Argument(help="Rules directory (default: the bundled rules).")
    ] = None,
    fmt: Annotated[IssueFormat, typer.Option("--format", "-f")] = IssueFormat.HUMAN,
) -> None:
    """Validate a rules directory; report problems as file:line:col."""
    from spinemets import api

    try:
        ruleset = api.load_rules(directory)
    except UserError as exc:
        _fail(exc, parsable=fmt is IssueFormat.PARSABLE)
    sys.stdout.write(f"rules OK: {ruleset.source} (sha256 {ruleset.sha256})\n")


@import_app.command("fhir")
def import_fhir(
    bundles: Annotated[
        list[Path],
        typer.Argument(
            help="FHIR R4 JSON Bundle(s) or Bulk Data NDJSON of one patient (merged), e.g. mCODE."
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the case file here.")
    ] = None,
    assessed_on: Annotated[
        str | None,
        typer.Option(
            "--assessed-on",
            metavar="YYYY-MM-DD",
            help="Assessment date (default: newest encounter or record date, else today).",
        ),
    ] = None,
    with_identifiers: Annotated[
        bool,
        typer.Option("--with-identifiers", help="Copy name, MRN and birth date into the draft."),
    ] = False,
    patient: Annotated[
        str | None,
        typer.Option("--patient", metavar="ID", help="The Patient id to import (Bulk Data)."),
    ] = None,
) -> None:
    """Create a case file from an mCODE / FHIR R4 record and print what was mapped."""
    import datetime as dt

    from spinemets.interop.fhir import import_sources, read_source

    _check_output(output, bundles)
    try:
        day = dt.date.fromisoformat(assessed_on) if assessed_on is not None else None
    except ValueError:
        sys.stderr.write(f"error: --assessed-on {assessed_on!r} is not a date (YYYY-MM-DD)\n")
        raise typer.Exit(ExitCode.USAGE) from None
    try:
        sources = [(read_source(path), str(path)) for path in bundles]
        result = import_sources(
            sources, assessed_on=day, with_identifiers=with_identifiers, patient_id=patient
        )
    except UserError as exc:
        _fail(exc)
    for line in result.report:
        sys.stderr.write(
            f"{line.status:9} {line.field}: {line.value} <- {line.source} ({line.reason})\n"
        )
    _emit(result.case_yaml, output, bundles)


def command_name(info: Any) -> str:
    """The name a registered command or group is called by (typer's own rule)."""
    from typer.main import get_command_name

    if info.name:
        return str(info.name)
    callback = getattr(info, "callback", None)
    return get_command_name(callback.__name__) if callback is not None else ""


def only_command(root: typer.Typer, argv: list[str]) -> typer.Typer:
    """``root`` narrowed to the one command (or group) that ``argv`` names, so that start-up
    builds only that command; ``root`` itself when ``argv`` names none (help, a typo, options
    of the root: then every command is listed or suggested, as usual)."""
    name = argv[0] if argv else ""
    commands = [c for c in root.registered_commands if command_name(c) == name]
    groups = [g for g in root.registered_groups if command_name(g) == name]
    if not commands and not groups:
        return root
    slim = typer.Typer()
    vars(slim).update(vars(root))  # same settings, callback and help
    slim.registered_commands = commands
    slim.registered_groups = groups
    return slim


#: Pydantic calls installed plugins with every validated input; for the command line they are
#: off unless the user sets the variable, so no third-party hook sees case data (identifiers
#: included) and start-up does not scan every installed package's entry points for them.
PYDANTIC_PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"


def main() -> None:
    """Entry point: run the app; never let a traceback reach the user."""
    os.environ.setdefault(PYDANTIC_PLUGINS_ENV, "__all__")
    try:
        only_command(app, sys.argv[1:])()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except UserError as exc:  # bad input or environment that a command did not catch itself
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(ExitCode.INVALID_INPUT)
    except OSError as exc:  # the environment (disk full, permissions), not a bug
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"error: {where}{exc.strerror or type(exc).__name__}\n")
        sys.exit(ExitCode.INVALID_INPUT)
    except Exception as exc:  # a bug: no traceback (it may hold patient data)
        sys.stderr.write(
            f"internal error ({type(exc).__name__}); this is a bug in spinemets. "
            "Please report it with the command you ran (not the case file).\n"
        )
        sys.exit(ExitCode.INTERNAL)


from spinemets.cli import workflow_commands as _workflow_commands  # noqa: E402,F401
