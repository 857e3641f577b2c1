"""The Python API: what the CLI, scripts and notebooks call.

    from spinemets import api
    loaded = api.load_case("examples/renal-t12-hybrid.yaml")
    assessment = api.assess(loaded)
    print(api.render(assessment, "markdown"))
    report = assessment.to_dict()  # the JSON report contract

Nothing here prints or exits; bad input raises :class:`spinemets.errors.CaseError` (or
``RulesError``) carrying located issues.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from spinemets import __version__
from spinemets.assessment import Assessment, LesionScores, Provenance, Tabulation
from spinemets.case.checks import cross_field_warnings
from spinemets.case.loader import LoadedCase, load_case_bytes, load_case_file
from spinemets.render import Format, render_as
from spinemets.scorers import REGISTRY
from spinemets.scorers.base import ScoreResult

if TYPE_CHECKING:
    from spinemets.identifiers import Masker
    from spinemets.rules.loader import RuleSet

__all__ = [
    "Assessment",
    "Format",
    "LoadedCase",
    "assess",
    "load_case",
    "load_case_text",
    "load_rules",
    "render",
    "tabulate",
]


def load_case(path: str | Path, *, today: date | None = None) -> LoadedCase:
    """Read and validate a case file."""
    return load_case_file(path, today=today)


def load_case_text(
    text: str | bytes, name: str = "<case>", *, today: date | None = None
) -> LoadedCase:
    """Validate case YAML held in memory (``name`` is used in issue locations)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_case_bytes(raw, name, today=today)


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """A site's rules directory, or the bundled clinical policy when ``directory`` is None."""
    if directory is None:
        return _bundled_rules()
    from spinemets.rules.loader import load_rules as _load

    return _load(Path(directory))


@lru_cache(maxsize=1)
def _bundled_rules() -> RuleSet:
    """The bundled rules, once per process: from their compiled form when it was made from
    the same file bytes by the same code (:mod:`spinemets.rules.compiled`), else loaded and
    validated from the files. Nothing is read from or written to a cache folder; the digest in
    every report is that of the rule files' bytes actually read.
    """
    from spinemets.rules.loader import load_rules as _load

    return _load(None)


def score_case(loaded: LoadedCase) -> tuple[tuple[LesionScores, ...], dict[str, ScoreResult]]:
    """Every registered scorer: per lesion for lesion scores, once for case scores."""
    case = loaded.case
    lesion_scorers = [s for s in REGISTRY.values() if s.scope == "lesion"]
    case_scorers = [s for s in REGISTRY.values() if s.scope == "case"]
    lesions = tuple(
        LesionScores(i, lesion.level, {s.id: s.compute(case, i) for s in lesion_scorers})
        for i, lesion in enumerate(case.lesions)
    )
    scores = {s.id: s.compute(case, None) for s in case_scorers}
    return lesions, scores


def assess(loaded: LoadedCase, rules: RuleSet | None = None, *, redact: bool = False) -> Assessment:
    """Score a validated case and evaluate the treatment-option rules on it."""
    from spinemets.decisive import decisive_inputs
    from spinemets.prognosis import build_panel
    from spinemets.rules.engine import cancer_summary, evaluate

    ruleset = rules if rules is not None else _bundled_rules()
    lesions, scores = score_case(loaded)
    triage, options = evaluate(ruleset, loaded.case, lesions, scores)
    cancer = cancer_summary(ruleset, loaded.case)
    decisive = decisive_inputs(loaded.case, lesions, scores, triage, options)
    provenance = _provenance(loaded, ruleset)
    return _protected(
        loaded,
        redact,
        Assessment(
            case=loaded.case,
            tool_version=__version__,
            lesions=lesions,
            scores=scores,
            prognosis=build_panel(scores),
            triage=triage,
            options=options,
            warnings=tuple(cross_field_warnings(loaded.case, ruleset.radiosensitivity_of)),
            provenance=provenance,
            cancer=cancer,
            decisive_inputs=decisive,
            redacted=redact,
        ),
    )


def tabulate(
    loaded: LoadedCase, rules: RuleSet | None = None, *, redact: bool = False
) -> Tabulation:
    """What a table row of the case shows: :func:`assess` without the option rationale, needs,
    basis and details, the decisive inputs or the prognosis panel (the same scores, triage,
    strengths, warnings and provenance; identifiers masked the same way)."""
    from spinemets.rules.engine import evaluate_strengths

    ruleset = rules if rules is not None else _bundled_rules()
    lesions, scores = score_case(loaded)
    triage, strengths = evaluate_strengths(ruleset, loaded.case, lesions, scores)
    return _protected(
        loaded,
        redact,
        Tabulation(
            case=loaded.case,
            lesions=lesions,
            scores=scores,
            triage=triage,
            option_strengths=strengths,
            warnings=tuple(cross_field_warnings(loaded.case, ruleset.radiosensitivity_of)),
            provenance=_provenance(loaded, ruleset),
            redacted=redact,
        ),
    )


def _provenance(loaded: LoadedCase, ruleset: RuleSet) -> Provenance:
    return Provenance(
        input_sha256=hashlib.sha256(loaded.raw).hexdigest(),
        rules_sha256=ruleset.sha256,
        rules_source=ruleset.source,
        source_file=loaded.source.file,
    )


def identifier_masker(loaded: LoadedCase, *, source: bool = True) -> Masker:
    """The case's identifiers (as parsed, and with ``source`` as written in the file)."""
    from spinemets.identifiers import Masker

    p = loaded.case.patient
    parsed = {"patient": {"name": p.name, "mrn": p.mrn, "birth_date": p.birth_date}}
    return Masker.of(loaded.raw if source else None, parsed)


Reported = TypeVar("Reported", Assessment, Tabulation)


def _protected(loaded: LoadedCase, redact: bool, assessment: Reported) -> Reported:
    """Identifiers masked in the warnings (always) and, with ``redact``, removed from every
    text of the assessment (case id, histology, file name, ...): the one place for reports."""
    if not (redact or assessment.warnings):
        return assessment
    from dataclasses import replace

    from spinemets.identifiers import redact_values

    masker = identifier_masker(loaded)
    if not masker:
        return assessment
    warnings = tuple(
        replace(w, path=masker.text(w.path), message=masker.text(w.message))
        for w in assessment.warnings
    )
    assessment = replace(assessment, warnings=warnings)
    return redact_values(assessment, masker) if redact else assessment


def render(
    assessment: Assessment, fmt: Format | str = Format.TERMINAL, *, detail: bool = False
) -> str:
    """The report as text in ``fmt`` (terminal text without colour, json, markdown, ...);
    ``detail`` adds components, rationale and sources to the terminal and Markdown reports."""
    return render_as(assessment, Format(fmt), detail=detail)
