"""Evaluate a rule set on a scored case: the triage tier and the treatment options.

Three-valued (Kleene) logic throughout: a condition on an unknown fact is unknown; ``all`` is
false when any part is false, ``any`` true when any part is true, otherwise unknown.

Options. For each option of the catalog (per lesion for lesion options, in catalog then lesion
order) the strength rules are a decision list read in file order; the first rule that holds
decides. An earlier rule that is unknown and would have been *more restrictive*
(contraindicated > not_indicated > consider > recommended) makes the option ``not_evaluable``
with ``needs``; a less restrictive one only adds a "could be" line and its needs. No rule true
and some unknown: ``not_evaluable``. No rule true and none unknown: the option is not listed.
Notes add rationale lines (``note`` when true, ``note_false`` when false, "not known" with needs
when unknown). Details contributions (``avoid``, ``add``, ``adjuvants``, ``involve``) are merged
by id; when their condition is unknown, ``avoid`` and ``involve`` entries are still listed (the
risk cannot be excluded) with the missing input named, ``add`` and ``adjuvants`` are not.

Triage. Tiers are read highest first; the tier is the first whose rules hold. Unknown tiers
above it are reported as "may be" with their needs, except that a tier marked
``if_unknown: undetermined`` (emergency in the bundled rules) leaves the tier ``None`` when it
cannot be excluded, with the lower tier that does hold shown as "at least". When no tier holds
the tier is ``None`` (never silently routine).

The analgesia option always carries ``details = {ladder_step, avoid, adjuvants, add}``; the
ladder step comes from the rules' NRS bands and the move-up rule (move up, not sideways).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from spinemets.assessment import Basis, LesionScores, Option, Strength, Triage
from spinemets.case.models import Case, PriorRadiation
from spinemets.rules.models import (
    KNOWN_SCORE_IDS,
    LESION_PREFIX,
    AllCond,
    AnyCond,
    AnyLesionCond,
    FieldCond,
    Item,
    LadderCond,
    NotCond,
    OptionDef,
    ParamCond,
    ParamRef,
    RadiosensitivityCond,
    RefCond,
    Rule,
    RuleSet,
    ScoreCond,
    SurvivalCond,
)
from spinemets.scorers.base import ScoreResult

__all__ = ["Ladder", "Truth", "compute_ladder", "evaluate", "evaluate_condition", "truth_of"]

#: How restrictive a strength is: an unknown rule that would restrict more blocks a decision.
RESTRICTIVENESS: dict[str, int] = {
    "recommended": 0,
    "consider": 1,
    "not_indicated": 2,
    "contraindicated": 3,
}
#: Contributions still listed when their condition is unknown (a risk that cannot be excluded).
LISTED_WHEN_UNKNOWN = frozenset({"avoid", "involve"})
ANALGESIA = "analgesia"
UNDETERMINED_ACTION = (
    "complete the missing findings now; "
    "until then treat as the highest tier that cannot be excluded"
)


@dataclass(frozen=True, slots=True)
class Truth:
    """A three-valued result with the facts that decided it and the inputs it still needs."""

    value: bool | None
    facts: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


def _uniq(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _all(parts: Sequence[Truth]) -> Truth:
    false = [t for t in parts if t.value is False]
    if false:
        return Truth(False, _uniq(f for t in false for f in t.facts))
    unknown = [t for t in parts if t.value is None]
    if unknown:
        known = [t for t in parts if t.value is True]
        return Truth(
            None,
            _uniq(f for t in (*known, *unknown) for f in t.facts),
            _uniq(n for t in unknown for n in t.needs),
        )
    return Truth(True, _uniq(f for t in parts for f in t.facts))


def _any(parts: Sequence[Truth]) -> Truth:
    true = [t for t in parts if t.value is True]
    if true:
        return Truth(True, _uniq(f for t in true for f in t.facts))
    unknown = [t for t in parts if t.value is None]
    if unknown:
        return Truth(
            None,
            _uniq(f for t in parts for f in t.facts),
            _uniq(n for t in unknown for n in t.needs),
        )
    return Truth(False, _uniq(f for t in parts for f in t.facts))


def _not(t: Truth) -> Truth:
    return Truth(None if t.value is None else not t.value, t.facts, t.needs)


# --- facts ------------------------------------------------------------------------------------


def eqd2(dose_gy: float, fractions: int, alpha_beta: float = 2.0) -> float:
    """Equivalent dose in 2 Gy fractions (linear-quadratic): D (d + a/b) / (2 + a/b)."""
    per_fraction = dose_gy / fractions
    return dose_gy * (per_fraction + alpha_beta) / (2.0 + alpha_beta)


def _shown(value: Any) -> str:
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
            _shown(rt.technique) if rt.technique else "",
            rt.date.isoformat() if rt.date else "",
        )
        if s
    ]
    return text + (f", {', '.join(extra)}" if extra else "")


def _score_value(result: ScoreResult) -> str:
    if result.grade is not None:
        text = f"grade {result.grade}"
    elif result.total is not None:
        text = str(result.total)
    elif result.range is not None:
        text = f"{result.range[0]}-{result.range[1]} ({result.status})"
    else:
        return "not computable"
    return f"{text} ({result.category})" if result.category else text


# --- evaluation context -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ladder:
    """The analgesic ladder step the rules suggest, with how it was reached."""

    step: int | None
    lines: tuple[str, ...]
    needs: tuple[str, ...]


@dataclass(slots=True)
class _Context:
    rules: RuleSet
    case: Case
    lesions: dict[int, LesionScores]
    scores: Mapping[str, ScoreResult]
    _ladder: Ladder | None = None
    _refs: dict[tuple[str, int | None], Truth] = field(default_factory=dict)
    _radio: tuple[str | None, str, tuple[str, ...]] | None = None
    _survival: dict[float, Truth] = field(default_factory=dict)
    _facts: dict[tuple[str, int | None], tuple[bool, Any, str, str]] = field(default_factory=dict)

    @property
    def ladder(self) -> Ladder:
        if self._ladder is None:
            self._ladder = compute_ladder(self.rules, self.case)
        return self._ladder

    def param(self, value: Any) -> Any:
        return self.rules.parameters[value.param].value if isinstance(value, ParamRef) else value

    def level(self, index: int) -> str:
        return self.case.lesions[index].level

    def radiosensitivity(self) -> tuple[str | None, str, tuple[str, ...]]:
        if self._radio is None:
            self._radio = radiosensitivity(self.rules, self.case)
        return self._radio


def compute_ladder(rules: RuleSet, case: Case) -> Ladder:
    """WHO ladder step from the NRS bands and the current step: move up, not sideways."""
    pain = case.pain
    bands = rules.pain_bands
    lines: list[str] = []
    needs: list[str] = []
    band_step: int | None = None
    if pain.nrs is not None:
        band = next(b for b in bands.bands if b.nrs_min <= pain.nrs <= b.nrs_max)
        band_step = band.ladder_step
        lines.append(
            f"pain.nrs = {pain.nrs}: {band.band} pain (NRS {band.nrs_min}-{band.nrs_max}, "
            f"{bands.source}) "
            f"→ step {band.ladder_step}: {band.suggestion}"
        )
    current = pain.current_step
    if current is None:
        if band_step is None:
            needs.append("pain.nrs")
            return Ladder(None, tuple(lines), tuple(needs))
        return Ladder(band_step, tuple(lines), ())
    if band_step is not None and band_step > current:
        lines.append(
            f"pain.current_step = {current}: below the step for this pain level "
            f"→ move up to step {band_step}"
        )
        return Ladder(band_step, tuple(lines), ())
    if pain.controlled is False:
        step = min(current + 1, 3)
        if current == 3:
            lines.append(
                "pain.controlled = false on step 3: no higher drug step — consider radiotherapy "
                "for bone pain and interventional options (nerve blocks, vertebral "
                "augmentation, intrathecal analgesia)"
            )
        else:
            lines.append(
                f"pain.controlled = false on step {current} → move up one step to step {step} "
                "(not sideways)"
            )
        return Ladder(step, tuple(lines), ())
    if band_step is None:
        needs.append("pain.nrs")
        if pain.controlled is None:
            needs.append("pain.controlled")
        return Ladder(None, tuple(lines), tuple(needs))
    if pain.controlled is True:
        lines.append(f"pain.controlled = true on step {current} → continue step {current}")
        return Ladder(current, tuple(lines), ())
    lines.append(
        f"pain.current_step = {current}; if pain is not controlled on it, "
        f"move up to step {min(current + 1, 3)}"
    )
    return Ladder(current, tuple(lines), ("pain.controlled",))


def evaluate_condition(cond: Any, ctx: _Context, lesion: int | None) -> Truth:
    """Evaluate one condition for the case (``lesion`` None) or one lesion."""
    handler = _HANDLERS.get(type(cond))
    if handler is None:  # pragma: no cover - the model is closed
        raise TypeError(f"not a condition: {cond!r}")
    return handler(cond, ctx, lesion)


def _eval_all(cond: AllCond, ctx: _Context, lesion: int | None) -> Truth:
    return _all([evaluate_condition(c, ctx, lesion) for c in cond.all])


def _eval_any(cond: AnyCond, ctx: _Context, lesion: int | None) -> Truth:
    return _any([evaluate_condition(c, ctx, lesion) for c in cond.any])


def _eval_not(cond: NotCond, ctx: _Context, lesion: int | None) -> Truth:
    return _not(evaluate_condition(cond.not_, ctx, lesion))


def _eval_ref(cond: RefCond, ctx: _Context, lesion: int | None) -> Truth:
    key = (cond.ref, lesion)
    refs = ctx._refs
    found = refs.get(key)
    if found is None:
        found = refs[key] = evaluate_condition(ctx.rules.conditions[cond.ref].when, ctx, lesion)
    return found


def _eval_any_lesion(cond: AnyLesionCond, ctx: _Context, lesion: int | None) -> Truth:
    if not ctx.case.lesions:
        return Truth(None, ("no lesions recorded (imaging findings pending)",), ("lesions",))
    return _any([evaluate_condition(cond.any_lesion, ctx, i) for i in range(len(ctx.case.lesions))])


def _eval_survival(cond: SurvivalCond, ctx: _Context, lesion: int | None) -> Truth:
    threshold = float(ctx.param(cond.survival.gte_months))
    memo = ctx._survival
    found = memo.get(threshold)
    if found is None:
        found = memo[threshold] = _survival(threshold, ctx)
    return found


def _eval_ladder(cond: LadderCond, ctx: _Context, lesion: int | None) -> Truth:
    ladder = ctx.ladder
    if ladder.step is None:
        return Truth(None, (), ladder.needs)
    test = cond.ladder_step
    if test.eq is not None:
        ok = ladder.step == test.eq
    elif test.gte is not None:
        ok = ladder.step >= test.gte
    else:
        assert test.lte is not None
        ok = ladder.step <= test.lte
    return Truth(ok, (f"suggested ladder step = {ladder.step}",))


def _eval_param(cond: ParamCond, ctx: _Context, lesion: int | None) -> Truth:
    value = ctx.rules.parameters[cond.param.name].value
    return Truth(value == cond.param.eq, (f"site parameter {cond.param.name} = {_shown(value)}",))


def _score(cond: ScoreCond, ctx: _Context, lesion: int | None) -> Truth:
    test = cond.score
    lesion_scoped = KNOWN_SCORE_IDS[test.id] == "lesion"
    if lesion_scoped:
        assert lesion is not None, "lesion score outside a lesion (the loader rejects this)"
        held = ctx.lesions.get(lesion)
        result = held.scores.get(test.id) if held is not None else None
        name = f"{test.id} at {ctx.level(lesion)}"
    else:
        result = ctx.scores.get(test.id)
        name = test.id
    if result is None:
        return Truth(None, (), (f"{name} (score not computed)",))
    needs = result.missing or (f"{name} inputs",)
    fact = (f"{name} = {_score_value(result)}",)
    if test.grade_in is not None:
        grade = result.grade
        if grade is None:
            return Truth(None, fact, needs)
        return Truth(grade in test.grade_in, fact)
    if test.category is not None or test.category_in is not None:
        wanted = {test.category} if test.category is not None else set(test.category_in or ())
        possible = _possible_categories(result)
        if possible is None:
            return Truth(None, fact, needs)
        if possible <= wanted:
            return Truth(True, fact)
        if not possible & wanted:
            return Truth(False, fact)
        return Truth(None, fact, needs)
    if result.range is None:
        return Truth(None, fact, needs)
    low, high = result.range
    if test.total_gte is not None:
        threshold = float(ctx.param(test.total_gte))
        verdict = True if low >= threshold else False if high < threshold else None
    else:
        threshold = float(ctx.param(test.total_lte))
        verdict = True if high <= threshold else False if low > threshold else None
    return Truth(verdict, fact, () if verdict is not None else needs)


def _possible_categories(result: ScoreResult) -> set[str] | None:
    """The categories a (possibly partial) score could be in; None when nothing is known."""
    if result.category is not None:
        return {result.category}
    if result.range is None:
        return None
    from spinemets.scorers import REGISTRY

    scorer = REGISTRY.get(result.id)
    if scorer is None or not scorer.bands:
        return None
    low, high = result.range
    return {b.category for b in scorer.bands if b.low <= high and b.high >= low}


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


def _fact(ctx: _Context, path: str, lesion: int | None) -> tuple[bool, Any, str, str]:
    """(recorded, value, path shown, fact text) of one case path, read once per evaluation."""
    key = (path, lesion)
    found = ctx._facts.get(key)
    if found is not None:
        return found
    lesion_scoped, parts, suffix = _compiled_path(path)
    if lesion_scoped:
        assert lesion is not None, "lesion path outside a lesion (the loader rejects this)"
        node: Any = ctx.case.lesions[lesion]
        shown = f"lesions[{lesion}].{suffix}"
    else:
        node = ctx.case
        shown = suffix
    for part in parts:
        node = getattr(node, part) if node is not None else None
    if node is None:
        found = (False, None, shown, f"{shown} not recorded")
    else:
        value = node.value if isinstance(node, Enum) else node
        found = (True, value, shown, f"{shown} = {_shown(node)}")
    ctx._facts[key] = found
    return found


def _field(cond: FieldCond, ctx: _Context, lesion: int | None) -> Truth:
    test = cond.field
    present, value, shown, text = _fact(ctx, test.path, lesion)
    if test.known is not None:
        return Truth(present == test.known, (text,))
    if not present:
        return Truth(None, (), (shown,))
    fact = (text,)
    if test.eq is not None:
        return Truth(_same(value, test.eq), fact)
    if test.in_ is not None:
        return Truth(any(_same(value, v) for v in test.in_), fact)
    if test.gte is not None:
        return Truth(float(value) >= float(ctx.param(test.gte)), fact)
    assert test.lte is not None
    return Truth(float(value) <= float(ctx.param(test.lte)), fact)


def _same(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return isinstance(value, bool) and isinstance(expected, bool) and value is expected
    return bool(value == expected)


def radiosensitivity(ctx_rules: RuleSet, case: Case) -> tuple[str | None, str, tuple[str, ...]]:
    """(class or None, explanation, needs): the override wins over the rules' table."""
    cancer = case.cancer
    if cancer.radiosensitivity is not None:
        return (
            cancer.radiosensitivity.value,
            f"cancer.radiosensitivity = {cancer.radiosensitivity.value} (clinician override)",
            (),
        )
    if cancer.primary is None:
        return None, "cancer.primary not recorded", ("cancer.primary",)
    code = cancer.primary.value
    cls = ctx_rules.radiosensitivity_of(code)
    if cls is None:
        return (
            None,
            f"cancer.primary = {code}: radiosensitivity not set by the rules' table "
            "(MDT input needed)",
            ("cancer.radiosensitivity",),
        )
    return cls, f"radiosensitivity = {cls} (cancer.primary = {code}, rules table)", ()


def _radiosensitivity(cond: RadiosensitivityCond, ctx: _Context, lesion: int | None) -> Truth:
    cls, text, needs = ctx.radiosensitivity()
    if cls is None:
        return Truth(None, (text,), needs)
    return Truth(cls in cond.radiosensitivity.in_, (text,))


def _survival(threshold: float, ctx: _Context) -> Truth:
    by_score: dict[str, dict[str, Any]] = {}
    for e in ctx.rules.survival_evidence:
        by_score.setdefault(e.score, {})[e.category] = e
    verdicts: list[tuple[bool, str]] = []
    needs: list[str] = []
    facts: list[str] = []
    for score_id, table in by_score.items():
        result = ctx.scores.get(score_id)
        if result is None:
            needs.append(f"{score_id} (score not computed)")
            continue
        possible = _possible_categories(result)
        if possible is None:
            needs += list(result.missing)
            continue
        facts.append(f"{score_id} = {_score_value(result)}")
        entries = [table.get(c) for c in possible]
        if all(
            e is not None and e.at_least_months is not None and e.at_least_months >= threshold
            for e in entries
        ):
            verdicts.append(
                (
                    True,
                    f"{score_id}: expected survival at least "
                    f"{min(e.at_least_months for e in entries if e)} months",
                )
            )
        elif all(
            e is not None and e.below_months is not None and e.below_months <= threshold
            for e in entries
        ):
            verdicts.append(
                (
                    False,
                    f"{score_id}: expected survival below "
                    f"{max(e.below_months for e in entries if e)} months",
                )
            )
        elif len(possible) > 1:
            needs += list(result.missing)
    decided = {v for v, _ in verdicts}
    reasons = [r for _, r in verdicts]
    if decided == {True}:
        return Truth(True, _uniq([*facts, *reasons]))
    if decided == {False}:
        return Truth(False, _uniq([*facts, *reasons]))
    note = f"expected survival >= {threshold:g} months not decided by the prognostic scores"
    if len(decided) > 1:
        note = "prognostic scores disagree on expected survival"
    needs.append(f"expected survival >= {threshold:g} months (MDT estimate)")
    return Truth(None, _uniq([*facts, *reasons, note]), _uniq(needs))


_HANDLERS: dict[type, Callable[[Any, _Context, int | None], Truth]] = {
    AllCond: _eval_all,
    AnyCond: _eval_any,
    NotCond: _eval_not,
    RefCond: _eval_ref,
    AnyLesionCond: _eval_any_lesion,
    ScoreCond: _score,
    FieldCond: _field,
    RadiosensitivityCond: _radiosensitivity,
    SurvivalCond: _eval_survival,
    LadderCond: _eval_ladder,
    ParamCond: _eval_param,
}


# --- options ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _OptionPlan:
    """An option's rules split by kind once per rule set (file order kept)."""

    strength: tuple[Rule, ...]
    #: (kind, rule, non-empty contributions in the order avoid, add, adjuvants, involve)
    effects: tuple[tuple[str, Rule, tuple[tuple[str, tuple[Item, ...]], ...]], ...]


#: Plans per rule set; the rule set is held so its id cannot be reused while cached.
_PLANS: dict[int, tuple[RuleSet, dict[str, _OptionPlan]]] = {}


def _contributions(rule: Rule) -> tuple[tuple[str, tuple[Item, ...]], ...]:
    out: list[tuple[str, tuple[Item, ...]]] = []
    for kind in ("avoid", "add", "adjuvants", "involve"):
        items: list[Item] | None = getattr(rule, kind)
        if items:
            out.append((kind, tuple(items)))
    return tuple(out)


def _plans(rules: RuleSet) -> dict[str, _OptionPlan]:
    held = _PLANS.get(id(rules))
    if held is not None and held[0] is rules:
        return held[1]
    plans: dict[str, _OptionPlan] = {}
    for option in rules.options:
        option_rules = rules.rules_for(option.id)
        kinds = [(r.kind, r) for r in option_rules]
        plans[option.id] = _OptionPlan(
            tuple(r for k, r in kinds if k == "strength"),
            tuple((k, r, _contributions(r)) for k, r in kinds if k != "strength"),
        )
    if len(_PLANS) >= 8:
        _PLANS.clear()
    _PLANS[id(rules)] = (rules, plans)
    return plans


def _fired(rule: Rule, truth: Truth) -> str:
    facts = f" ({'; '.join(truth.facts)})" if truth.facts else ""
    return f"{rule.id}: {rule.rationale}{facts}"


def _needs_text(needs: Sequence[str]) -> str:
    return ", ".join(needs) if needs else "more information"


def _decide(
    option: OptionDef, ctx: _Context, lesion: int | None, plan: _OptionPlan
) -> Option | None:
    strength_rules = plan.strength
    pending: list[tuple[Rule, Truth]] = []
    decided: tuple[Rule, Truth] | None = None
    for rule in strength_rules:
        truth = evaluate_condition(rule.when, ctx, lesion)
        if truth.value is True:
            decided = (rule, truth)
            break
        if truth.value is None:
            pending.append((rule, truth))
    level = ctx.level(lesion) if lesion is not None else None
    rationale: list[str] = []
    needs: list[str] = []
    basis: list[Basis] = []
    strength: Strength
    details: dict[str, Any] = {}
    if decided is not None:
        rule, truth = decided
        assert rule.strength is not None and rule.summary is not None
        blockers = [
            (r, t)
            for r, t in pending
            if RESTRICTIVENESS[r.strength or ""] > RESTRICTIVENESS[rule.strength]
        ]
        if blockers:
            strength = "not_evaluable"
            needs += [n for _, t in blockers for n in t.needs]
            summary = f"{option.title}: not evaluable — needs {_needs_text(_uniq(needs))}"
            rationale.append(f"would be {rule.strength} by {_fired(rule, truth)}")
            for r, t in blockers:
                rationale.append(
                    f"but {r.id} ({r.strength}) cannot be excluded: {r.rationale} "
                    f"— needs {_needs_text(t.needs)}"
                )
                basis.append(Basis(r.id, r.citation))
        else:
            strength = rule.strength
            summary = rule.summary
            rationale.append(_fired(rule, truth))
            details = dict(rule.details or {})
            for r, t in pending:
                if r.strength != rule.strength:
                    rationale.append(
                        f"could be {r.strength} by {r.id} ({r.rationale}) "
                        f"— needs {_needs_text(t.needs)}"
                    )
                    needs += t.needs
        basis.insert(0, Basis(rule.id, rule.citation))
    elif pending:
        strength = "not_evaluable"
        needs += [n for _, t in pending for n in t.needs]
        summary = f"{option.title}: not evaluable — needs {_needs_text(_uniq(needs))}"
        for r, t in pending:
            known = f" (known: {'; '.join(t.facts)})" if t.facts else ""
            rationale.append(
                f"{r.strength} if {r.id} holds: {r.rationale} — needs {_needs_text(t.needs)}{known}"
            )
            basis.append(Basis(r.id, r.citation))
    else:
        return None

    contributions: dict[str, dict[str, list[str]]] = {}
    for kind_of_rule, rule, contributed in plan.effects:
        if kind_of_rule == "note":
            truth = evaluate_condition(rule.when, ctx, lesion)
            facts = f" ({'; '.join(truth.facts)})" if truth.facts else ""
            if truth.value is True:
                rationale.append(f"{rule.note}{facts} [{rule.id}]")
                basis.append(Basis(rule.id, rule.citation))
            elif truth.value is False and rule.note_false is not None:
                rationale.append(f"{rule.note_false}{facts} [{rule.id}]")
                basis.append(Basis(rule.id, rule.citation))
            elif truth.value is None:
                rationale.append(
                    f"not known: {rule.note} — needs {_needs_text(truth.needs)} [{rule.id}]"
                )
                needs += truth.needs
        else:
            truth = evaluate_condition(rule.when, ctx, lesion)
            if truth.value is False:
                continue
            for kind, items in contributed:
                if truth.value is None and kind not in LISTED_WHEN_UNKNOWN:
                    names = ", ".join(i.id for i in items)
                    rationale.append(
                        f"not assessed: {kind} {names} "
                        f"— needs {_needs_text(truth.needs)} [{rule.id}]"
                    )
                    needs += truth.needs
                    continue
                facts = "; ".join(truth.facts)
                for item in items:
                    if truth.value is None:
                        reason = (
                            f"{item.reason} (cannot be excluded: needs {_needs_text(truth.needs)})"
                        )
                    else:
                        reason = f"{item.reason} ({facts})" if facts else item.reason
                    contributions.setdefault(kind, {}).setdefault(item.id, []).append(reason)
                if truth.value is None:
                    needs += truth.needs
                basis.append(Basis(rule.id, rule.citation))

    if option.id == ANALGESIA:
        ladder = ctx.ladder
        rationale[1:1] = list(ladder.lines)
        needs += ladder.needs
        details = {"ladder_step": ladder.step, **details}
        for kind in ("avoid", "adjuvants", "add"):
            details.setdefault(kind, [])
    for kind, entries in contributions.items():
        details[kind] = [
            {"id": i, "reason": "; ".join(_uniq(reasons))} for i, reasons in entries.items()
        ]
    return Option(
        id=option.id,
        strength=strength,
        summary=summary,
        lesion=level,
        rationale=_uniq(rationale),
        needs=_uniq(needs),
        basis=tuple(dict.fromkeys(basis)),
        details=details or None,
    )


def _options(ctx: _Context) -> tuple[Option, ...]:
    out: list[Option] = []
    plans = _plans(ctx.rules)
    for option in ctx.rules.options:
        plan = plans[option.id]
        if option.scope == "case":
            decided = _decide(option, ctx, None, plan)
            if decided is not None:
                out.append(decided)
            continue
        if not ctx.case.lesions:
            out.append(
                Option(
                    id=option.id,
                    strength="not_evaluable",
                    summary=f"{option.title}: not evaluable — needs imaging findings (lesions)",
                    rationale=("decided per lesion; no lesion recorded yet",),
                    needs=("lesions",),
                )
            )
            continue
        for index in range(len(ctx.case.lesions)):
            decided = _decide(option, ctx, index, plan)
            if decided is not None:
                out.append(decided)
    return tuple(out)


# --- triage -------------------------------------------------------------------------------------


def _triage(ctx: _Context) -> Triage:
    maybe: list[str] = []
    maybe_needs: list[str] = []
    undetermined = False
    for tier in ctx.rules.triage:
        fired: list[tuple[Any, Truth]] = []
        unknown: list[tuple[Any, Truth]] = []
        for rule in tier.rules:
            truth = evaluate_condition(rule.when, ctx, None)
            if truth.value is True:
                fired.append((rule, truth))
            elif truth.value is None:
                unknown.append((rule, truth))
        if fired:
            reasons = [
                f"{r.reason} ({'; '.join(t.facts)}) [{r.id}]" if t.facts else f"{r.reason} [{r.id}]"
                for r, t in fired
            ]
            basis = tuple(dict.fromkeys(Basis(r.id, r.citation) for r, _ in fired))
            if undetermined:
                return Triage(
                    tier=None,
                    reasons=_uniq([*maybe, *(f"at least {tier.tier}: {r}" for r in reasons)]),
                    basis=basis,
                    actions=(UNDETERMINED_ACTION, *tier.actions),
                    needs=_uniq(maybe_needs),
                )
            return Triage(
                tier=tier.tier,
                reasons=_uniq([*reasons, *maybe]),
                basis=basis,
                actions=tuple(tier.actions),
                needs=_uniq(maybe_needs),
            )
        for rule, truth in unknown:
            maybe.append(
                f"may be {tier.tier}: {rule.reason} — needs {_needs_text(truth.needs)} [{rule.id}]"
            )
            maybe_needs += truth.needs
        if unknown and tier.if_unknown == "undetermined":
            undetermined = True
    return Triage(
        tier=None,
        reasons=_uniq(["tier not evaluable: higher tiers cannot be excluded", *maybe]),
        basis=(),
        actions=(UNDETERMINED_ACTION,),
        needs=_uniq(maybe_needs),
    )


def evaluate(
    rules: RuleSet,
    case: Case,
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
) -> tuple[Triage, tuple[Option, ...]]:
    """The triage tier and the options for a scored case (deterministic order)."""
    ctx = _Context(rules, case, {ls.index: ls for ls in lesions}, scores)
    return _triage(ctx), _options(ctx)


def truth_of(
    rules: RuleSet,
    case: Case,
    lesions: Sequence[LesionScores],
    scores: Mapping[str, ScoreResult],
    condition: Any,
    lesion: int | None = None,
) -> Truth:
    """Evaluate one condition (a model from :mod:`spinemets.rules.models`) on a scored case."""
    ctx = _Context(rules, case, {ls.index: ls for ls in lesions}, scores)
    return evaluate_condition(condition, ctx, lesion)
