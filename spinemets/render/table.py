"""The batch CSV table: its fixed columns, one row per case, and its data dictionary.

One row per case file (invalid ones with ``status`` invalid); identifiers (name, MRN, birth
date) never appear. A row is built from :func:`spinemets.api.tabulate` (triage and option
strengths, no rationale) or from a full assessment: the same row. Lesions fill ``lesion1_*`` ..
``lesion5_*`` in case order; lesions past the fifth are counted in ``lesions_omitted`` (the
jsonl report has them all). Each score gives ``_status``, ``_total``, ``_min``, ``_max``,
``_category`` and ``_grade``. Each option id gives ``option_<id>`` (for per-lesion options, the
strongest strength across lesions) and ``option_<id>_lesions`` (``LEVEL=strength`` pairs
joined by ``;``). Free text a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinemets.errors import Issue
from spinemets.vocab import OPTION_IDS, STRONGEST_FIRST, TIERS

if TYPE_CHECKING:
    from spinemets.assessment import Assessment, Tabulation
    from spinemets.rules.models import RuleSet
    from spinemets.scorers.base import Scorer, ScoreResult

__all__ = ["LESION_SLOTS", "Column", "CsvLayout", "csv_layout", "csv_line", "data_dictionary"]

#: Lesions given their own CSV columns; later lesions are counted in ``lesions_omitted``.
LESION_SLOTS = 5
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    """One CSV column as documented in the data dictionary."""

    name: str
    type: str  # string | integer | enum
    allowed: str
    meaning: str


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _safe_text(text: str) -> str:
    """Free text that a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _score_columns(prefix: str, scorer: Scorer, where: str) -> list[Column]:
    categories = sorted({b.category for b in scorer.bands})
    allowed = "|".join(categories) if categories else f"see `spinemets explain {scorer.id}`"
    name = f"{prefix}{scorer.id}"
    return [
        Column(
            f"{name}_status",
            "enum",
            "complete|partial|not_computable",
            f"{scorer.title}{where}: status",
        ),
        Column(
            f"{name}_total",
            "integer",
            "",
            f"{scorer.title}{where}: total when complete; empty otherwise",
        ),
        Column(
            f"{name}_min",
            "integer",
            "",
            f"{scorer.title}{where}: lowest total the unknown inputs allow "
            "(= total when complete; empty when not computable or graded)",
        ),
        Column(
            f"{name}_max",
            "integer",
            "",
            f"{scorer.title}{where}: highest total the unknown inputs allow "
            "(= total when complete; empty when not computable or graded)",
        ),
        Column(
            f"{name}_category",
            "enum",
            allowed,
            f"{scorer.title}{where}: band holding the whole range; "
            "empty when the range straddles bands or the score is not computable",
        ),
        Column(
            f"{name}_grade",
            "string",
            "",
            f"{scorer.title}{where}: grade of a graded scale (e.g. ESCC 1c); empty otherwise",
        ),
    ]


def _score_cells(result: ScoreResult | None) -> list[str]:
    if result is None:
        return [""] * 6
    low, high = result.range if result.range is not None else (None, None)
    return [
        _cell(result.status),
        _cell(result.total),
        _cell(low),
        _cell(high),
        _cell(result.category),
        _cell(result.grade),
    ]


class CsvLayout:
    """The fixed CSV columns for a registry of scorers and a set of option ids."""

    def __init__(
        self,
        case_scorers: Sequence[Scorer],
        lesion_scorers: Sequence[Scorer],
        option_ids: Sequence[str],
    ) -> None:
        self.case_scorers = tuple(case_scorers)
        self.lesion_scorers = tuple(lesion_scorers)
        self.option_ids = tuple(option_ids)
        strengths = "|".join(STRONGEST_FIRST)
        cols = [
            Column(
                "case_id",
                "string",
                "",
                "case_id of the case file "
                "(a leading = + - @ is prefixed with ' so spreadsheets do not run it)",
            ),
            Column("file", "string", "", "case file path as discovered"),
            Column("age", "integer", "0-120", "patient.age; empty when unknown"),
            Column("sex", "enum", "female|male|other", "patient.sex; empty when unknown"),
            Column(
                "primary",
                "enum",
                "see docs/report-contract.md",
                "cancer.primary (coded primary site); empty when unknown",
            ),
            Column(
                "triage_tier",
                "enum",
                "|".join(TIERS),
                "triage tier: the highest tier the findings do not exclude",
            ),
            Column(
                "triage_provisional",
                "enum",
                "true|false",
                "true when a higher tier than the one that holds cannot be excluded yet "
                "(the report's triage.needs say what would settle it)",
            ),
            Column(
                "warning_count", "integer", ">=0", "number of consistency warnings in the report"
            ),
            Column("warning_codes", "string", "", "warning codes joined by ';' in report order"),
        ]
        for scorer in self.case_scorers:
            cols += _score_columns("", scorer, "")
        cols += [
            Column("lesion_count", "integer", ">=0", "number of lesions in the case"),
            Column(
                "lesions_omitted",
                "integer",
                ">=0",
                f"lesions after the {LESION_SLOTS}th, not in lesion columns (see the jsonl report)",
            ),
        ]
        for slot in range(1, LESION_SLOTS + 1):
            cols.append(
                Column(
                    f"lesion{slot}_level",
                    "string",
                    "",
                    f"level of lesion {slot} (case order); empty when the case has fewer lesions",
                )
            )
            for scorer in self.lesion_scorers:
                cols += _score_columns(f"lesion{slot}_", scorer, f" of lesion {slot}")
        for option in self.option_ids:
            cols += [
                Column(
                    f"option_{option}",
                    "enum",
                    strengths,
                    f"strength of option {option}; "
                    "for a per-lesion option the strongest across lesions "
                    "(order: " + " > ".join(STRONGEST_FIRST) + "); empty when not in the report",
                ),
                Column(
                    f"option_{option}_lesions",
                    "string",
                    "",
                    f"per-lesion strengths of {option} as LEVEL=strength joined by ';'; "
                    "empty for a case-level option",
                ),
            ]
        cols += [
            Column(
                "options_other",
                "string",
                "",
                "options without their own column (site rules) "
                "as id[/LEVEL]=strength joined by ';'",
            ),
            Column("rules_sha256", "string", "", "digest of the rules the case was evaluated with"),
            Column("input_sha256", "string", "", "digest of the case file"),
            Column(
                "status",
                "enum",
                "evaluated|invalid",
                "evaluated: a report row; invalid: the file could not be evaluated (one row per "
                "invalid file, only case_id, file, status and issues filled)",
            ),
            Column(
                "issues",
                "string",
                "",
                "for an invalid file, its issues as line:col: message [path] joined by ' | '",
            ),
        ]
        self.columns: tuple[Column, ...] = tuple(cols)

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def row(self, assessment: Assessment | Tabulation, file: str) -> list[str]:
        """The CSV row of one assessment (same order as :attr:`columns`)."""
        a = assessment
        case = a.case
        out = [
            _safe_text(a.case_id),
            _safe_text(file),
            _cell(case.patient.age),
            _cell(case.patient.sex),
            _cell(case.cancer.primary),
            _cell(a.triage.tier),
            _cell(a.triage.provisional),
            _cell(len(a.warnings)),
            ";".join(w.code for w in a.warnings),
        ]
        for scorer in self.case_scorers:
            out += _score_cells(a.scores.get(scorer.id))
        out += [_cell(len(a.lesions)), _cell(max(0, len(a.lesions) - LESION_SLOTS))]
        for slot in range(LESION_SLOTS):
            lesion = a.lesions[slot] if slot < len(a.lesions) else None
            out.append(lesion.level if lesion is not None else "")
            for scorer in self.lesion_scorers:
                out += _score_cells(lesion.scores.get(scorer.id) if lesion is not None else None)
        rank: dict[str, int] = {s: i for i, s in enumerate(STRONGEST_FIRST)}
        by_id: dict[str, list[tuple[str | None, str]]] = {}
        for option in a.strengths():
            by_id.setdefault(option.id, []).append((option.lesion, option.strength))
        for option_id in self.option_ids:
            found = by_id.pop(option_id, [])
            best = min((s for _, s in found), key=lambda s: rank.get(s, len(rank)), default=None)
            per_lesion = ";".join(f"{lesion}={s}" for lesion, s in found if lesion is not None)
            out += [_cell(best), per_lesion]
        other = [
            f"{oid}/{lesion}={s}" if lesion is not None else f"{oid}={s}"
            for oid, found in by_id.items()
            for lesion, s in found
        ]
        out += [";".join(other), _cell(a.provenance.rules_sha256), a.provenance.input_sha256]
        return [*out, "evaluated", ""]

    def error_row(self, file: str, issues: Sequence[Issue]) -> list[str]:
        """The CSV row of a file that could not be evaluated (same columns, mostly empty)."""
        text = " | ".join(
            f"{i.line}:{i.col}: {i.message}" + (f" [{i.path}]" if i.path else "") for i in issues
        )
        cells = [""] * len(self.columns)
        cells[1], cells[-2], cells[-1] = _safe_text(file), "invalid", _safe_text(text)
        return cells


def csv_layout(ruleset: RuleSet | None = None) -> CsvLayout:
    """The CSV layout: the registered scorers, and the option catalogue of ``ruleset`` (in
    catalogue order) followed by any contract option id it lacks."""
    from spinemets.scorers import REGISTRY

    option_ids = [o.id for o in ruleset.options] if ruleset is not None else []
    option_ids += [o for o in OPTION_IDS if o not in option_ids]
    return CsvLayout(
        [s for s in REGISTRY.values() if s.scope == "case"],
        [s for s in REGISTRY.values() if s.scope == "lesion"],
        option_ids,
    )


def data_dictionary(layout: CsvLayout) -> str:
    """The CSV data dictionary: one row per column (column, type, allowed_values, meaning)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["column", "type", "allowed_values", "meaning"])
    for col in layout.columns:
        writer.writerow([col.name, col.type, col.allowed, col.meaning])
    return buffer.getvalue()


def csv_line(cells: Sequence[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()
