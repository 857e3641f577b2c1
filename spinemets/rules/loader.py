"""Load and validate a rules directory; every problem is reported as ``file:line:col``.

``load_rules(None)`` loads the bundled policy (``spinemets/data/rules``, the top-level
``rules/`` directory shipped in the wheel); ``load_rules(path)`` a site's own copy. Files are
parsed with the same safe parser as case files (:mod:`spinemets.yamlsrc`), validated with the
models in :mod:`spinemets.rules.models`, then checked as a whole: unknown score ids, case paths,
option ids, parameters or named conditions, duplicate ids, lesion-scoped facts outside a lesion,
values a case field can never take, incomplete tables (each condition kind's checks are in its
module of :mod:`spinemets.rules.conditions`). The digest covers the sorted file names and their
bytes.
"""

from __future__ import annotations

import difflib
import hashlib
import typing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from spinemets.case.models import Primary
from spinemets.errors import Issue, RulesError
from spinemets.locator import Schema
from spinemets.locator import validation_issues as locate
from spinemets.rules.base import Scope as Scope
from spinemets.rules.base import YPath as YPath
from spinemets.rules.conditions import CHECKS, CONDITION_TYPES, TAG_PREFIX
from spinemets.rules.conditions.ref import MAX_REF_DEPTH as MAX_REF_DEPTH
from spinemets.rules.conditions.score import check_category, score_categories
from spinemets.rules.models import (
    KNOWN_OPTION_IDS,
    TIERS,
    NamedCondition,
    OptionDef,
    Parameter,
    Rule,
    RuleSet,
    RulesFile,
    SurvivalEvidence,
    TriageTier,
)
from spinemets.yamlsrc import MAX_BYTES, SourceMap, format_path, parse_bytes

__all__ = [
    "RuleSet",
    "bundled_raw_files",
    "bundled_rules_dir",
    "load_rules",
    "rule_file_paths",
    "score_categories",
]


def bundled_rules_dir() -> Any:
    """The bundled rules directory as an importlib.resources Traversable."""
    return resources.files("spinemets").joinpath("data", "rules")


def bundled_raw_files() -> dict[str, bytes]:
    """The bundled rules files' bytes by file name."""
    return {
        entry.name: entry.read_bytes()
        for entry in bundled_rules_dir().iterdir()
        if entry.name.endswith(".yaml") and entry.is_file()
    }


def load_rules(directory: Path | None = None, *, compiled: bool = True) -> RuleSet:
    """Load, validate and merge a rules directory (``None``: the bundled rules).

    The bundled rules come from their compiled form (:mod:`spinemets.rules.compiled`) when it
    was made from the same bytes by the same code and ``compiled`` is true; otherwise, and
    for every site directory, the YAML is parsed and validated."""
    if directory is None:
        raw_files = bundled_raw_files()
        if compiled:
            from spinemets.rules import compiled as compiled_rules

            if compiled_rules.enabled():
                found = compiled_rules.load(digest(raw_files))
                if found is not None:
                    return found
        return _build(raw_files, "bundled", lambda name: f"rules/{name}")
    where = str(directory)
    if not directory.is_dir():
        raise RulesError([Issue(where, 1, 1, "", "not a directory of rules files", code="io")])
    from spinemets.fileio import FileProblem, read_limited

    raw_files = {}
    for path in rule_file_paths(directory):
        try:
            raw_files[path.name] = read_limited(path, MAX_BYTES, what="rules file (1 MiB)")
        except FileProblem as exc:
            raise RulesError([Issue(str(path), 1, 1, "", exc.reason, code=exc.code)]) from None
    return _build(raw_files, where, lambda name: str(directory / name))


def rule_file_paths(directory: Path | None) -> list[Path]:
    """The rules files a site directory holds (``*.yaml``, sorted); none for the bundled set."""
    if directory is None or not directory.is_dir():
        return []
    return sorted(directory.glob("*.yaml"))


def digest(raw_files: dict[str, bytes]) -> str:
    """sha256 over the sorted file names and their bytes."""
    h = hashlib.sha256()
    for name in sorted(raw_files):
        data = raw_files[name]
        h.update(name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return h.hexdigest()


# --- parse and validate each file ---------------------------------------------------------------


@dataclass(slots=True)
class _File:
    name: str
    display: str
    model: RulesFile
    data: dict[str, Any]
    source: SourceMap


def _build(
    raw_files: dict[str, bytes], source: str, display: typing.Callable[[str], str]
) -> RuleSet:
    if not raw_files:
        raise RulesError([Issue(source, 1, 1, "", "no rules files (*.yaml) found", code="empty")])
    issues: list[Issue] = []
    files: list[_File] = []
    for name in sorted(raw_files):
        shown = display(name)
        parsed = parse_bytes(raw_files[name], shown)
        errors = [i for i in parsed.issues if i.severity == "error"]
        if parsed.data is None:
            issues += errors or parsed.issues
            continue
        issues += errors
        try:
            model = RulesFile.model_validate(parsed.data)
        except ValidationError as exc:
            issues += validation_issues(exc, parsed.data, parsed.source)
            continue
        files.append(_File(name, shown, model, parsed.data, parsed.source))
    if issues:
        raise RulesError(issues)
    checker = _Checker(files, source)
    ruleset = checker.merge(digest(raw_files), tuple(sorted(raw_files)))
    if checker.issues:
        raise RulesError(checker.issues)
    assert ruleset is not None
    return ruleset


def _schema() -> Schema:
    return Schema(RulesFile, tag_prefix=TAG_PREFIX, tag_models=CONDITION_TYPES)


def validation_issues(exc: ValidationError, data: Any, source: SourceMap) -> list[Issue]:
    """Map each pydantic error to an issue at the best-matching position (the one locator of
    :mod:`spinemets.locator`, dropping the condition union tags)."""
    return locate(exc, data, source, _schema())


# --- whole-directory checks ---------------------------------------------------------------------


#: Sections exactly one file defines.
_SINGLE_SECTIONS = ("pain_bands", "radiosensitivity", "triage")


class _Checker:
    """Cross-file validation and merging, collecting located issues."""

    def __init__(self, files: list[_File], source: str) -> None:
        self.files = files
        self.source = source
        self.issues: list[Issue] = []
        self.parameters: dict[str, Parameter] = {}
        self.conditions: dict[str, tuple[NamedCondition, _File, YPath]] = {}
        self.option_ids: dict[str, OptionDef] = {}
        # what the files hold, gathered in file order by merge
        self.options: list[OptionDef] = []
        self.singles: dict[str, tuple[Any, _File]] = {}
        self.evidence: list[tuple[SurvivalEvidence, _File, YPath]] = []
        self.rules: list[tuple[Rule, _File, YPath]] = []
        self.rule_ids: dict[str, str] = {}  # rule id -> the file that first defines it
        #: What checking a named condition in one scope found, so a diamond of references is
        #: checked once per condition and scope (not once per path through the diamond).
        self.ref_issues: dict[tuple[str, Scope | None], list[Issue]] = {}

    def err(
        self, f: _File, path: YPath, message: str, *, key: bool = False, code: str = "invalid"
    ) -> None:
        issue = f.source.issue(path, message, key=key)
        self.issues.append(
            Issue(issue.file, issue.line, issue.col, format_path(path), message, code=code)
        )

    def duplicate(self, f: _File, path: YPath, message: str, *, key: bool = False) -> None:
        self.err(f, path, message, key=key, code="duplicate")

    def top(self, message: str, code: str = "missing_section") -> None:
        self.issues.append(Issue(self.source, 1, 1, "", message, code=code))

    def merge(self, sha256: str, names: tuple[str, ...]) -> RuleSet | None:
        for f in self.files:
            self._collect(f)
        for section in _SINGLE_SECTIONS:
            if section not in self.singles:
                self.top(f"no file defines the '{section}' section")
        if not self.options:
            self.top("no file defines the 'options' catalog")
        self._check_sections()
        self._check_rules()
        if self.issues or len(self.singles) < 3 or not self.options:
            return None
        options, rules = tuple(self.options), tuple(r for r, _, _ in self.rules)
        return RuleSet(
            source=self.source,
            sha256=sha256,
            files=names,
            options=options,
            parameters=dict(self.parameters),
            pain_bands=self.singles["pain_bands"][0],
            radiosensitivity=self.singles["radiosensitivity"][0],
            survival_evidence=tuple(e for e, _, _ in self.evidence),
            conditions={n: c for n, (c, _, _) in self.conditions.items()},
            triage=tuple(self.singles["triage"][0]),
            rules=rules,
            _by_option=RuleSet.index(options, rules),
        )

    def _collect(self, f: _File) -> None:
        """One file's sections, in file order; duplicates across files are reported."""
        m = f.model
        for i, opt in enumerate(m.options or []):
            if opt.id in self.option_ids:
                self.duplicate(f, ("options", i, "id"), f"duplicate option id '{opt.id}'")
            elif opt.id not in KNOWN_OPTION_IDS:
                self.err(
                    f,
                    ("options", i, "id"),
                    self.unknown("option id", opt.id, KNOWN_OPTION_IDS),
                    code="unknown_option",
                )
            else:
                self.option_ids[opt.id] = opt
                self.options.append(opt)
        for name, param in (m.parameters or {}).items():
            if name in self.parameters:
                self.duplicate(f, ("parameters", name), f"duplicate parameter '{name}'", key=True)
            self.parameters[name] = param
        for name, cond in (m.conditions or {}).items():
            if name in self.conditions:
                message = f"duplicate condition name '{name}'"
                self.duplicate(f, ("conditions", name), message, key=True)
            self.conditions[name] = (cond, f, ("conditions", name, "when"))
        for section in _SINGLE_SECTIONS:
            value = getattr(m, section)
            if value is None:
                continue
            if section in self.singles:
                other = self.singles[section][1].display
                message = f"section '{section}' is already defined in {other}"
                self.duplicate(f, (section,), message, key=True)
            self.singles[section] = (value, f)
        self.evidence += [
            (e, f, ("survival_evidence", i)) for i, e in enumerate(m.survival_evidence or [])
        ]
        for i, rule in enumerate(m.rules or []):
            if rule.id in self.rule_ids:
                message = f"duplicate rule id '{rule.id}' (first in {self.rule_ids[rule.id]})"
                self.duplicate(f, ("rules", i, "id"), message)
            self.rule_ids[rule.id] = f.display
            self.rules.append((rule, f, ("rules", i)))

    def _check_sections(self) -> None:
        """The tables, triage, survival evidence and named conditions."""
        if "radiosensitivity" in self.singles:
            self._check_radiosensitivity(*self.singles["radiosensitivity"])
        if "pain_bands" in self.singles:
            self._check_pain_bands(*self.singles["pain_bands"])
        if "triage" in self.singles:
            self._check_triage(*self.singles["triage"])
        for e, f, path in self.evidence:
            check_category(self, f, (*path, "score"), (*path, "category"), e.score, [e.category])
        for name, (cond, f, path) in self.conditions.items():
            self.check(cond.when, f, path, None, (name,))

    def _check_rules(self) -> None:
        """Option rules (ids, option, condition); then each option has a strength rule."""
        triage: list[TriageTier] = self.singles.get("triage", ([], None))[0] or []
        triage_ids = {r.id for tier in triage for r in tier.rules}
        for rule, f, path in self.rules:
            if rule.id in triage_ids:
                self.duplicate(f, (*path, "id"), f"rule id '{rule.id}' is also a triage rule id")
            found = self.option_ids.get(rule.option)
            if found is None:
                known = tuple(self.option_ids) or KNOWN_OPTION_IDS
                self.err(
                    f,
                    (*path, "option"),
                    self.unknown("option id", rule.option, known),
                    code="unknown_option",
                )
                continue
            self.check(rule.when, f, (*path, "when"), found.scope, ())
        for opt in self.options:
            if not any(r.option == opt.id and r.strength is not None for r, _, _ in self.rules):
                f = next(f for f in self.files if opt in (f.model.options or []))
                i = (f.model.options or []).index(opt)
                message = f"option '{opt.id}' has no strength rule"
                self.err(f, ("options", i, "id"), message, code="no_rules")

    @staticmethod
    def unknown(what: str, value: str, known: typing.Iterable[str]) -> str:
        known = list(known)
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown {what} '{value}'{hint} (known: {', '.join(known)})"

    # -- sections --------------------------------------------------------------------------------
    def _check_radiosensitivity(self, table: Any, f: _File) -> None:
        seen: dict[str, str] = {}
        codes = [p.value for p in Primary]
        for row in ("sensitive", "intermediate", "resistant", "unknown"):
            for i, code in enumerate(getattr(table, row)):
                path: YPath = ("radiosensitivity", row, i)
                if code not in codes:
                    self.err(
                        f,
                        path,
                        self.unknown("primary site code", code, codes),
                        code="unknown_primary",
                    )
                elif code in seen:
                    self.duplicate(
                        f, path, f"primary '{code}' is already listed under '{seen[code]}'"
                    )
                else:
                    seen[code] = row
        missing = [c for c in codes if c not in seen]
        if missing:
            self.err(
                f,
                ("radiosensitivity",),
                f"every coded primary needs a row; missing: {', '.join(missing)}",
                key=True,
            )

    def _check_pain_bands(self, bands: Any, f: _File) -> None:
        covered: dict[int, str] = {}
        for i, band in enumerate(bands.bands):
            if band.nrs_min > band.nrs_max:
                self.err(f, ("pain_bands", "bands", i, "nrs_min"), "nrs_min is above nrs_max")
            for nrs in range(band.nrs_min, band.nrs_max + 1):
                if nrs in covered:
                    self.err(
                        f,
                        ("pain_bands", "bands", i),
                        f"NRS {nrs} is already in band '{covered[nrs]}'",
                    )
                    break
                covered[nrs] = band.band
        gaps = [n for n in range(11) if n not in covered]
        if gaps:
            self.err(
                f,
                ("pain_bands", "bands"),
                f"bands must cover NRS 0-10; not covered: {', '.join(map(str, gaps))}",
            )

    def _check_triage(self, tiers: list[TriageTier], f: _File) -> None:
        names = [t.tier for t in tiers]
        if tuple(names) != TIERS:
            self.err(
                f,
                ("triage",),
                f"triage lists the tiers {', '.join(TIERS)} once each, in that order "
                f"(found: {', '.join(names)})",
                key=True,
            )
        seen: set[str] = set()
        for i, tier in enumerate(tiers):
            for j, rule in enumerate(tier.rules):
                path: YPath = ("triage", i, "rules", j)
                if rule.id in seen:
                    self.duplicate(f, (*path, "id"), f"duplicate rule id '{rule.id}'")
                seen.add(rule.id)
                self.check(rule.when, f, (*path, "when"), "case", ())

    # -- conditions: each kind's own check (spinemets.rules.conditions) -------------------------
    def check(
        self, cond: Any, f: _File, path: YPath, scope: Scope | None, refs: tuple[str, ...]
    ) -> None:
        CHECKS[type(cond)](cond, self, f, path, scope, refs)

    def named_issues(self, name: str, scope: Scope | None, refs: tuple[str, ...]) -> list[Issue]:
        found = self.ref_issues.get((name, scope))
        if found is None:
            sub = _Checker(self.files, self.source)
            sub.parameters, sub.conditions, sub.option_ids, sub.ref_issues = (
                self.parameters,
                self.conditions,
                self.option_ids,
                self.ref_issues,
            )
            body, nf, npath = self.conditions[name]
            sub.check(body.when, nf, npath, scope, refs)
            found = self.ref_issues[(name, scope)] = sub.issues
        return found

    def adopt(self, issue: Issue) -> None:
        if issue not in self.issues:
            self.issues.append(issue)
