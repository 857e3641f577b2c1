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
from typing import TYPE_CHECKING

from spinemets import __version__
from spinemets.assessment import Assessment, LesionScores, Provenance
from spinemets.case.checks import cross_field_warnings
from spinemets.case.loader import LoadedCase, load_case_bytes, load_case_file
from spinemets.render import Format, render_as
from spinemets.scorers import REGISTRY
from spinemets.scorers.base import ScoreResult

if TYPE_CHECKING:
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
    """The bundled rules, from the user cache when a validated copy of these exact bytes is there.

    The cache file is keyed by the sha256 of the rule files' bytes and of the code that builds
    the rule set (models, loader, versions); any cache problem falls back to a normal load.
    """
    from spinemets.rules.loader import bundled_rules_dir, digest
    from spinemets.rules.loader import load_rules as _load

    try:
        base = bundled_rules_dir()
        raw_files = {
            entry.name: entry.read_bytes()
            for entry in base.iterdir()
            if entry.name.endswith(".yaml") and entry.is_file()
        }
        rules_sha = digest(raw_files)
        path = _rules_cache_path(rules_sha)
    except Exception:  # the cache is an optimisation only
        return _load(None)
    cached = _read_rules_cache(path, rules_sha)
    if cached is not None:
        return cached
    ruleset = _load(None)
    if ruleset.sha256 == rules_sha:
        _write_rules_cache(path, ruleset)
    return ruleset


def _rules_cache_path(rules_sha: str) -> Path:
    import os
    import sys

    import pydantic

    from spinemets.rules import loader, models

    key = hashlib.sha256()
    for part in (rules_sha, __version__, sys.version, pydantic.VERSION):
        key.update(part.encode("utf-8") + b"\0")
    for module in (models, loader):
        key.update(Path(module.__file__ or "").read_bytes())
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "spinemets" / f"rules-{key.hexdigest()}.pickle"


def _read_rules_cache(path: Path, rules_sha: str) -> RuleSet | None:
    import os
    import pickle

    from spinemets.rules.models import RuleSet as _RuleSet

    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
                return None
            obj = pickle.load(fh)
    except Exception:  # missing, unreadable or corrupt: rebuild
        return None
    if not isinstance(obj, _RuleSet) or obj.sha256 != rules_sha:
        return None
    return obj


def _write_rules_cache(path: Path, ruleset: RuleSet) -> None:
    import os
    import pickle
    import tempfile

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(ruleset, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # unwritable cache: carry on without it
        return


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
    from spinemets.prognosis import build_panel
    from spinemets.rules.engine import evaluate

    ruleset = rules if rules is not None else _bundled_rules()
    lesions, scores = score_case(loaded)
    triage, options = evaluate(ruleset, loaded.case, lesions, scores)
    provenance = Provenance(
        input_sha256=hashlib.sha256(loaded.raw).hexdigest(),
        rules_sha256=ruleset.sha256,
        rules_source=ruleset.source,
        source_file=loaded.source.file,
    )
    return Assessment(
        case=loaded.case,
        tool_version=__version__,
        lesions=lesions,
        scores=scores,
        prognosis=build_panel(scores),
        triage=triage,
        options=options,
        warnings=tuple(cross_field_warnings(loaded.case)),
        provenance=provenance,
        redacted=redact,
    )


def render(
    assessment: Assessment, fmt: Format | str = Format.TERMINAL, *, detail: bool = False
) -> str:
    """The report as text in ``fmt`` (terminal text without colour, json, markdown, ...);
    ``detail`` adds components, rationale and sources to the terminal and Markdown reports."""
    return render_as(assessment, Format(fmt), detail=detail)
