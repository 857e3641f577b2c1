"""What one evaluation reads: the case, its scores and the rule set, each fact read once.

The context memoises what several rules read (case fields, named conditions, the analgesic
ladder, the radiosensitivity class, expected survival), so an evaluation costs one reading of
each fact however often the rules name it, and a diamond of named conditions is evaluated once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

from spinemets.assessment import LesionScores, Need
from spinemets.case.models import Case, PriorRadiation
from spinemets.rules.base import LESION_PREFIX, ParamRef
from spinemets.rules.ladder import Ladder, compute_ladder
from spinemets.rules.truth import Truth
from spinemets.scorers.base import ScoreResult

if TYPE_CHECKING:
    from spinemets.rules.models import RuleSet

__all__ = ["Context", "FieldRead", "ScoreRead", "eqd2", "need_for", "score_value", "shown"]

_LESION_PATH = re.compile(r"^lesions\[(\d+)\]\.(.+)$")

#: A score as its tests read it: (result or None, facts, needs while undecided, categories
#: the result could be in or None when nothing is known).
ScoreRead = tuple[ScoreResult | None, tuple[str, ...], tuple[Need, ...], set[str] | None]
#: A case path as field tests read it: (recorded, value, its fact, its needs when not recorded).
FieldRead = tuple[bool, Any, tuple[str], tuple[Need, ...]]


def eqd2(dose_gy: float, fractions: int, alpha_beta: float = 2.0) -> float:
    """Equivalent dose in 2 Gy fractions (linear-quadratic): D (d + a/b) / (2 + a/b)."""
    per_fraction = dose_gy / fractions
    return dose_gy * (per_fraction + alpha_beta) / (2.0 + alpha_beta)


def shown(value: Any) -> str:
    """A case value as the report writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PriorRadiation):
        return _prior_radiation(value)
    return str(value)


def _prior_radiation(rt: PriorRadiation) -> str:
    if rt.dose_gy is None:
        text = "dose not recorded"
    elif rt.fractions is None:
        text = f"{rt.dose_gy:g} Gy (fractions not recorded)"
    else:
        text = (
            f"{rt.dose_gy:g} Gy in {rt.fractions} fraction{'s' if rt.fractions != 1 else ''}"
            f" (prescription EQD2, alpha/beta 2: {eqd2(rt.dose_gy, rt.fractions):.1f} Gy)"
        )
    extra = [
        s
        for s in (
            shown(rt.technique) if rt.technique else "",
            rt.date.isoformat() if rt.date else "",
        )
        if s
    ]
    return text + (f", {', '.join(extra)}" if extra else "")


def score_value(result: ScoreResult) -> str:
    """A score's value as a fact: grade, total, or range with its status."""
    if result.grade is not None:
        text = f"grade {result.grade}"
    elif result.total is not None:
        text = str(result.total)
    elif result.range is not None:
        text = f"{result.range[0]}-{result.range[1]} ({result.status})"
    else:
        return "not computable"
    return f"{text} ({result.category})" if result.category else text


def need_for(path: str, case: Case) -> Need:
    """The need for one case path, with a label a clinician reads ("T12: pain")."""
    match = _LESION_PATH.match(path)
    if match is not None:
        index, rest = int(match.group(1)), match.group(2)
        level = case.lesions[index].level if index < len(case.lesions) else f"lesion {index + 1}"
        return Need(path, f"{level}: {_words(rest)}")
    return Need(path, _words(path))


def _words(path: str) -> str:
    return path.replace("_", " ").replace(".", ": ", 1).replace(".", " ")


@dataclass(slots=True)
class Context:
    """One evaluation of a rule set on a scored case."""

    rules: RuleSet
    case: Case
    lesions: dict[int, LesionScores]
    scores: Mapping[str, ScoreResult]
    refs: dict[tuple[str, int | None], Truth] = field(default_factory=dict)
    survival: dict[float, Truth] = field(default_factory=dict)
    _ladder: Ladder | None = None
    _radio: tuple[str | None, str, tuple[Need, ...]] | None = None
    _facts: dict[tuple[str, int | None], FieldRead] = field(default_factory=dict)
    #: (score id, lesion or None) → what a score test reads (:mod:`.conditions.score`).
    score_reads: dict[tuple[str, int | None], ScoreRead] = field(default_factory=dict)

    _lesion_bound: frozenset[str] | None = None

    @property
    def lesion_bound(self) -> frozenset[str]:
        """Named conditions that read the lesion being considered (the others are memoised
        once per case)."""
        if self._lesion_bound is None:
            from spinemets.rules.dependence import lesion_bound

            self._lesion_bound = lesion_bound(self.rules)
        return self._lesion_bound

    @property
    def ladder(self) -> Ladder:
        if self._ladder is None:
            self._ladder = compute_ladder(self.rules, self.case)
        return self._ladder

    def param(self, value: Any) -> Any:
        """A threshold's value: a number, or the named site parameter's value."""
        return self.rules.parameters[value.param].value if isinstance(value, ParamRef) else value

    def level(self, index: int) -> str:
        return self.case.lesions[index].level

    def need(self, path: str) -> Need:
        return need_for(path, self.case)

    def radiosensitivity(self) -> tuple[str | None, str, tuple[Need, ...]]:
        """(class or None, explanation, needs): the case override wins over the rules' table."""
        if self._radio is None:
            self._radio = radiosensitivity(self.rules, self.case)
        return self._radio

    def fact(self, path: str, lesion: int | None) -> FieldRead:
        """(recorded, value, its fact, its need when not recorded) of one case path, read once."""
        key = (path, lesion)
        found = self._facts.get(key)
        if found is not None:
            return found
        lesion_scoped, parts, suffix = _compiled_path(path)
        node: Any
        if lesion_scoped:
            assert lesion is not None, "lesion path outside a lesion (the loader rejects this)"
            node = self.case.lesions[lesion]
            where = f"lesions[{lesion}].{suffix}"
        else:
            node = self.case
            where = suffix
        for part in parts:
            node = getattr(node, part) if node is not None else None
        if node is None:
            found = (False, None, (f"{where} not recorded",), (self.need(where),))
        else:
            value = node.value if isinstance(node, Enum) else node
            found = (True, value, (f"{where} = {shown(node)}",), ())
        self._facts[key] = found
        return found


#: A field path compiled once: (lesion-scoped, attribute names, the path shown after the lesion).
_PATHS: dict[str, tuple[bool, tuple[str, ...], str]] = {}


def _compiled_path(path: str) -> tuple[bool, tuple[str, ...], str]:
    compiled = _PATHS.get(path)
    if compiled is None:
        if path.startswith(LESION_PREFIX):
            rest = path[len(LESION_PREFIX) :]
            compiled = (True, tuple(rest.split(".")), rest)
        else:
            compiled = (False, tuple(path.split(".")), path)
        _PATHS[path] = compiled
    return compiled


def radiosensitivity(rules: RuleSet, case: Case) -> tuple[str | None, str, tuple[Need, ...]]:
    """(class or None, explanation, needs): the case override wins over the rules' table."""
    cancer = case.cancer
    if cancer.radiosensitivity is not None:
        reason = f": {cancer.radiosensitivity_reason}" if cancer.radiosensitivity_reason else ""
        return (
            cancer.radiosensitivity.value,
            f"{cancer.radiosensitivity.value} (clinician override{reason})",
            (),
        )
    if cancer.primary is None:
        return (
            None,
            "primary not recorded",
            (Need("cancer.primary", "primary cancer (cancer.primary)"),),
        )
    code = cancer.primary.value
    cls = rules.radiosensitivity_of(code)
    if cls is None:
        return (
            None,
            f"primary {code}: no class in the rules' table (MDT input needed)",
            (Need("cancer.radiosensitivity", "radiosensitivity class (MDT judgement)"),),
        )
    return cls, f"{cls} (primary {code}, rules' radiosensitivity table)", ()
