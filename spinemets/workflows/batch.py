"""Batch evaluation of a cohort: discover case files, evaluate them (optionally in worker
processes, :mod:`spinemets.workflows.runner`), stream one JSON report per line (jsonl) or one
CSV row per case.

* **Discovery**: :mod:`spinemets.workflows.discovery` (files, folders, globs; links, device
  and inode identity, every skipped path with its reason).
* **Order**: outcomes come back in discovery order whatever ``jobs`` is (a bounded window of
  chunks is kept in flight and drained in submission order).
* **Memory**: reports are serialised in the worker, which writes its chunk's output to a file
  of its own; the parent appends the chunk files in order (``sendfile``) and holds only a
  bounded window of outcomes and the summary counts (plus one line per invalid file).
* **Worker death** stops the batch with the cases not evaluated named, no partial output file,
  and exit 1 (never a hang).
* **Failures**: an invalid file becomes an outcome carrying its issues (file:line:col) and an
  error record in the output (jsonl: ``{"record": "error", "file", "issues"}``, while a report
  line is the report with its source ``file`` first; csv: a row with
  ``status`` invalid and its ``issues``), so downstream never loses a case silently; it never
  stops the others; an unexpected exception in one case is an ``internal`` outcome
  (no traceback, no case content).

The CSV table (columns, rows, data dictionary) is :mod:`spinemets.render.table`; a CSV row is
built from :func:`spinemets.api.tabulate` (triage and option strengths, no rationale), the same
row as from the full assessment (``SPINEMETS_FAST_CSV=0``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from spinemets.errors import Issue, IssuesError, UserError
from spinemets.render.json import error_record
from spinemets.render.table import CsvLayout, csv_layout, csv_line
from spinemets.vocab import TIERS
from spinemets.workflows.discovery import Skipped, Target
from spinemets.workflows.discovery import discover as find_cases
from spinemets.workflows.duplicates import DuplicateIds

if TYPE_CHECKING:
    from spinemets.assessment import Assessment, Tabulation
    from spinemets.rules.loader import RuleSet

BatchFormat = Literal["jsonl", "csv"]


# --- discovery (spinemets.workflows.discovery) ------------------------------------------------


def discover(inputs: Iterable[str | os.PathLike[str]]) -> list[Target]:
    """The targets of :func:`spinemets.workflows.discovery.discover` (skipped paths aside)."""
    return find_cases(inputs).targets


# --- evaluation (in this process or in a worker) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """What every worker needs to evaluate a case the same way."""

    fmt: BatchFormat = "jsonl"
    rules_dir: str | None = None
    redact: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one target: its serialised output line, or its first issue."""

    index: int
    file: str
    text: str | None = None
    case_id: str | None = None
    tier: str | None = None
    provisional: bool = False
    warnings: int = 0
    error: Issue | None = None
    error_count: int = 0
    internal: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class _State:
    settings: Settings
    ruleset: RuleSet
    layout: CsvLayout | None


_STATE: _State | None = None


def prepare(settings: Settings) -> CsvLayout | None:
    """Load the rules (raises ``RulesError``) and the CSV layout for this process."""
    global _STATE
    if _STATE is None or _STATE.settings != settings:
        from spinemets import api

        ruleset = api.load_rules(settings.rules_dir)
        layout = csv_layout(ruleset) if settings.fmt == "csv" else None
        _STATE = _State(settings, ruleset, layout)
    return _STATE.layout


#: Set to ``0`` to build every CSV row from the full assessment (rationale and all).
FAST_CSV_ENV = "SPINEMETS_FAST_CSV"


def fast_csv_enabled() -> bool:
    """Whether CSV rows come from :func:`spinemets.api.tabulate` (strengths only, the same
    row); ``SPINEMETS_FAST_CSV=0`` builds them from the full assessment."""
    return os.environ.get(FAST_CSV_ENV, "1") != "0"


def evaluate_target(index: int, target: Target) -> Outcome:
    """Evaluate one target with the prepared settings; never raises for a bad case."""
    from spinemets import api
    from spinemets.assessment import Tabulation
    from spinemets.render.json import dumps_line

    state = _STATE
    if state is None:  # pragma: no cover - prepare() is always called first
        raise RuntimeError("prepare() was not called")
    if target.problem is not None:
        return _failed(index, target.file, [target.problem], state)
    file = target.file
    try:
        loaded = api.load_case(file)
        # CSV promises no identifiers: identifier values pasted elsewhere are removed there too.
        redact = state.settings.redact or state.layout is not None
        assessment: Assessment | Tabulation
        if state.layout is not None and fast_csv_enabled():
            assessment = api.tabulate(loaded, state.ruleset, redact=redact)
        else:
            assessment = api.assess(loaded, state.ruleset, redact=redact)
        shown = (assessment.provenance.source_file or file) if redact else file
        if state.layout is not None:
            text = csv_line(state.layout.row(assessment, shown))
        else:
            assert not isinstance(assessment, Tabulation)
            text = dumps_line({"file": shown, **assessment.to_dict()}) + "\n"
        case_id = api.identifier_masker(loaded, source=False).text(assessment.case_id)
    except IssuesError as exc:
        issues = exc.issues or [Issue(file, 1, 1, "", "invalid case file")]
        return _failed(index, file, issues, state)
    except UserError as exc:
        return _failed(index, file, [Issue(file, 1, 1, "", str(exc))], state)
    except Exception as exc:  # a bug in one case must not stop (or hide) the others
        message = (
            f"internal error ({type(exc).__name__}) while evaluating this case; "
            "this is a bug in spinemets"
        )
        issue = Issue(file, 1, 1, "", message, code="internal")
        return _failed(index, file, [issue], state, internal=True)
    return Outcome(
        index,
        file,
        text=text,
        case_id=case_id,
        tier=assessment.triage.tier,
        provisional=assessment.triage.provisional,
        warnings=len(assessment.warnings),
    )


def _failed(
    index: int, file: str, issues: Sequence[Issue], state: _State, *, internal: bool = False
) -> Outcome:
    """The outcome of a file that could not be evaluated, with its error record as text."""
    from spinemets.render.json import dumps_line

    if state.layout is not None:
        text = csv_line(state.layout.error_row(file, issues))
    else:
        text = dumps_line(error_record(file, issues)) + "\n"
    return Outcome(
        index, file, text=text, error=issues[0], error_count=len(issues), internal=internal
    )


# --- the run and its summary ------------------------------------------------------------------


@dataclass(slots=True)
class Summary:
    """Counts of a batch run; invalid files keep their first issue (one line each)."""

    total: int = 0
    evaluated: int = 0
    with_warnings: int = 0
    tiers: Counter[str] = field(default_factory=Counter)
    provisional: int = 0
    invalid: list[tuple[Issue, int]] = field(default_factory=list)
    internal: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: DuplicateIds = field(default_factory=DuplicateIds)

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        if outcome.error is not None:
            self.invalid.append((outcome.error, outcome.error_count))
            self.internal += outcome.internal
            return
        self.evaluated += 1
        self.duplicates.add(outcome.case_id, outcome.file)
        self.with_warnings += outcome.warnings > 0
        self.tiers[outcome.tier or ""] += 1
        self.provisional += outcome.provisional

    @property
    def failed(self) -> int:
        return len(self.invalid)

    def lines(self) -> list[str]:
        """The closing summary as text lines (for stderr)."""
        out = [
            f"{self.total} case file(s): {self.evaluated} evaluated, {self.failed} invalid, "
            f"{len(self.skipped)} path(s) skipped, {len(self.duplicates)} duplicate case id(s)"
        ]
        if self.evaluated:
            tiers = (
                ", ".join(f"{t} {self.tiers.get(t, 0)}" for t in TIERS)
                + f" ({self.provisional} provisional)"
            )
            out.append(f"triage: {tiers}")
            if self.with_warnings:
                out.append(f"{self.with_warnings} case(s) with warnings (see the reports)")
        for issue, count in self.invalid:
            more = f" (+{count - 1} more)" if count > 1 else ""
            out.append(f"invalid: {issue.parsable()}{more}")
        out += [f"skipped: {s.path}: {s.reason}" for s in self.skipped]
        out += self.duplicates.lines()
        return out


def write_batch(
    targets: Sequence[Target],
    settings: Settings,
    out: TextIO,
    *,
    jobs: int = 1,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Summary:
    """Evaluate ``targets`` and stream the output to ``out``; return the summary.

    With ``jobs`` > 1 the cases are evaluated in worker processes that write their own chunks
    of output (:mod:`spinemets.workflows.runner`); the output is the same, byte for byte.
    Raises :class:`~spinemets.workflows.runner.WorkerDied` if a worker process dies."""
    layout = prepare(settings)
    if layout is not None:
        out.write(csv_line(layout.header))
    summary = Summary()

    def take(outcome: Outcome) -> None:
        summary.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    if jobs <= 1 or len(targets) <= 1:
        for index, target in enumerate(targets):
            outcome = evaluate_target(index, target)
            if outcome.text is not None:
                out.write(outcome.text)
            take(outcome)
    else:
        from spinemets.workflows.runner import run_chunks

        for chunk in run_chunks(targets, settings, jobs=jobs):
            append_file(out, chunk.path)
            for outcome in chunk.outcomes:
                take(outcome)
    out.flush()
    return summary


def append_file(out: TextIO, path: str) -> None:
    """Append the UTF-8 file ``path`` to ``out``: in the kernel (``sendfile``) when ``out`` is
    a UTF-8 stream on a file descriptor, else through ``out.write``."""
    with open(path, "rb") as chunk:
        fd = _utf8_fd(out)
        if fd is not None:
            out.flush()
            size = os.fstat(chunk.fileno()).st_size
            offset = 0
            try:
                while offset < size:
                    sent = os.sendfile(fd, chunk.fileno(), offset, size - offset)
                    if sent == 0:  # pragma: no cover - a regular file does not shrink here
                        break
                    offset += sent
                return
            except OSError:
                if offset:
                    raise
                chunk.seek(0)  # this descriptor takes no sendfile: write it instead
        out.write(chunk.read().decode("utf-8"))


def _utf8_fd(out: TextIO) -> int | None:
    import codecs

    try:
        fd = out.fileno()
        encoding = codecs.lookup(out.encoding or "").name
    except (AttributeError, OSError, LookupError, ValueError):
        return None
    return fd if encoding == "utf-8" else None


@contextmanager
def atomic_output(path: Path, inputs: Iterable[str | os.PathLike[str]] = ()) -> Iterator[TextIO]:
    """A text file written via a temporary file in the same folder, fsynced and renamed at the
    end (:func:`spinemets.fileio.open_output`: never onto an input or a non-regular file). Any
    exception (including Ctrl-C) removes the temporary file: no partial output, ever."""
    from spinemets.fileio import open_output

    with open_output(path, inputs) as handle:
        yield handle
