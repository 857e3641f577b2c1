"""Option decisions: each option's strength over every completion of the unknown findings.

An option's strength rules are a decision list read in file order: the first rule that holds
decides. With unknown findings several outcomes are possible: each unknown rule before the
first true one may hold (and decide), and when no rule is true, none may hold (the option is
not offered). The outcome set is decided like this:

- one outcome: that outcome;
- only doing outcomes (``recommended``, ``consider``): ``consider`` when both are possible,
  with a "could be recommended — needs ..." line;
- only not-doing outcomes (``not_indicated``, ``contraindicated``, not offered):
  ``not_indicated`` (``contraindicated`` only when that is the one outcome), with a "could be
  contraindicated — needs ..." line; not offered alone means the option is not listed;
- a real split between doing and not doing: ``not_evaluable``, needing what the unknown rules
  need.

Notes add rationale lines (``note`` when true, ``note_false`` when false, "not known" when
unknown); they never change the strength, so their unknown inputs are not the option's needs.
Details contributions (``avoid``, ``add``, ``adjuvants``, ``involve``) are merged by id; with an
unknown condition ``avoid`` and ``involve`` entries are still listed (the risk cannot be
excluded) with the missing input named, ``add`` and ``adjuvants`` are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spinemets.assessment import Basis, Need, Option, OptionStrength
from spinemets.rules import conditions
from spinemets.rules.context import Context
from spinemets.rules.models import Item, OptionDef, Rule, RuleSet
from spinemets.rules.truth import Truth, needs_text, uniq
from spinemets.vocab import POSITIVE, Strength

__all__ = ["decide_options", "decide_strengths"]

#: Contributions still listed when their condition is unknown (a risk that cannot be excluded).
LISTED_WHEN_UNKNOWN = frozenset({"avoid", "involve"})
ANALGESIA = "analgesia"


@dataclass(frozen=True, slots=True)
class _Plan:
    """An option's rules split by kind once per rule set (file order kept)."""

    strength: tuple[Rule, ...]
    #: (kind, rule, non-empty contributions in the order avoid, add, adjuvants, involve)
    effects: tuple[tuple[str, Rule, tuple[tuple[str, tuple[Item, ...]], ...]], ...]


#: Plans per rule set; the rule set is held so its id cannot be reused while cached.
_PLANS: dict[int, tuple[RuleSet, dict[str, _Plan]]] = {}


def _contributions(rule: Rule) -> tuple[tuple[str, tuple[Item, ...]], ...]:
    out: list[tuple[str, tuple[Item, ...]]] = []
    for kind in ("avoid", "add", "adjuvants", "involve"):
        items: list[Item] | None = getattr(rule, kind)
        if items:
            out.append((kind, tuple(items)))
    return tuple(out)


def _plans(rules: RuleSet) -> dict[str, _Plan]:
    held = _PLANS.get(id(rules))
    if held is not None and held[0] is rules:
        return held[1]
    plans: dict[str, _Plan] = {}
    for option in rules.options:
        kinds = [(r.kind, r) for r in rules.rules_for(option.id)]
        plans[option.id] = _Plan(
            tuple(r for k, r in kinds if k == "strength"),
            tuple((k, r, _contributions(r)) for k, r in kinds if k != "strength"),
        )
    if len(_PLANS) >= 8:
        _PLANS.clear()
    _PLANS[id(rules)] = (rules, plans)
    return plans


def _basis(rule: Rule) -> Basis:
    return Basis(rule.id, rule.citation, rule.evidence)


def _facts(truth: Truth) -> str:
    return f" ({'; '.join(truth.facts)})" if truth.facts else ""


@dataclass(slots=True)
class _Draft:
    """The option being built: strength line first, then effects."""

    strength: Strength
    summary: str
    rationale: list[str] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    basis: list[Basis] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def _outcomes(
    plan: _Plan, ctx: Context, lesion: int | None
) -> tuple[list[tuple[Rule, Truth]], tuple[Rule, Truth] | None]:
    """The unknown rules before the first true one, and the first true one (or None)."""
    pending: list[tuple[Rule, Truth]] = []
    for rule in plan.strength:
        truth = conditions.evaluate(rule.when, ctx, lesion)
        if truth.value is True:
            return pending, (rule, truth)
        if truth.value is None:
            pending.append((rule, truth))
    return pending, None


def _settled(
    pending: list[tuple[Rule, Truth]], fired: tuple[Rule, Truth] | None
) -> Strength | None:
    """The strength the outcomes of :func:`_outcomes` settle on (None: not offered)."""
    possible: set[str | None] = {r.strength for r, _ in pending}
    possible.add(fired[0].strength if fired is not None else None)
    return _decided_strength(possible)


def _decided_strength(possible: set[str | None]) -> Strength | None:
    """The strength the outcome set settles on; None when only "not offered" is possible."""
    named = possible - {None}
    if not named:
        return None
    doing = named & POSITIVE
    if doing and (possible - POSITIVE):
        return "not_evaluable"
    if doing:
        return "recommended" if doing == {"recommended"} else "consider"
    return "contraindicated" if possible == {"contraindicated"} else "not_indicated"


def _strength_draft(
    option: OptionDef,
    pending: list[tuple[Rule, Truth]],
    fired: tuple[Rule, Truth] | None,
) -> _Draft | None:
    strength = _settled(pending, fired)
    if strength is None:
        return None
    unknown_needs = [n for _, t in pending for n in t.needs]
    if strength == "not_evaluable":
        return _undecided(option, pending, fired, unknown_needs)
    candidates = [(r, t) for r, t in pending if r.strength == strength]
    chosen = fired if fired is not None and fired[0].strength == strength else None
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is None:
        draft = _Draft(strength, f"{option.title}: not indicated")
        draft.rationale.append("no rule offers it on the recorded findings")
    else:
        rule, truth = chosen
        assert rule.summary is not None
        draft = _Draft(strength, rule.summary, details=dict(rule.details or {}))
        if truth.value is True:
            draft.rationale.append(f"{rule.id}: {rule.rationale}{_facts(truth)}")
        else:
            draft.rationale.append(
                f"{rule.id}: {rule.rationale} — if it holds (needs {needs_text(truth.needs)})"
            )
        draft.basis.append(_basis(rule))
    for rule, truth in pending:
        if chosen is not None and rule is chosen[0]:
            continue
        draft.rationale.append(
            f"could be {rule.strength} — needs {needs_text(truth.needs)}: "
            f"{rule.id} ({rule.rationale})"
        )
        draft.basis.append(_basis(rule))
    if fired is not None and (chosen is None or fired[0] is not chosen[0]):
        rule, truth = fired
        pre_empting = ", ".join(r.id for r, _ in pending)
        draft.rationale.append(
            f"could be {rule.strength} unless {pre_empting} holds: "
            f"{rule.id} ({rule.rationale}){_facts(truth)}"
        )
        draft.basis.append(_basis(rule))
    draft.needs += unknown_needs
    return draft


def _undecided(
    option: OptionDef,
    pending: list[tuple[Rule, Truth]],
    fired: tuple[Rule, Truth] | None,
    needs: list[Need],
) -> _Draft:
    draft = _Draft("not_evaluable", f"{option.title}: not evaluable — needs {needs_text(needs)}")
    for rule, truth in pending:
        known = f" (known: {'; '.join(truth.facts)})" if truth.facts else ""
        draft.rationale.append(
            f"{rule.strength} if {rule.id} holds: {rule.rationale} "
            f"— needs {needs_text(truth.needs)}{known}"
        )
        draft.basis.append(_basis(rule))
    if fired is not None:
        rule, truth = fired
        draft.rationale.append(
            f"otherwise {rule.strength}: {rule.id} ({rule.rationale}){_facts(truth)}"
        )
        draft.basis.append(_basis(rule))
    else:
        draft.rationale.append("otherwise not offered")
    draft.needs += needs
    return draft


def _add_effects(draft: _Draft, plan: _Plan, ctx: Context, lesion: int | None) -> None:
    contributions: dict[str, dict[str, list[str]]] = {}
    for kind_of_rule, rule, contributed in plan.effects:
        truth = conditions.evaluate(rule.when, ctx, lesion)
        if kind_of_rule == "note":
            if truth.value is True:
                draft.rationale.append(f"{rule.note}{_facts(truth)} [{rule.id}]")
                draft.basis.append(_basis(rule))
            elif truth.value is False and rule.note_false is not None:
                draft.rationale.append(f"{rule.note_false}{_facts(truth)} [{rule.id}]")
                draft.basis.append(_basis(rule))
            elif truth.value is None:
                draft.rationale.append(
                    f"not known: {rule.note} — needs {needs_text(truth.needs)} [{rule.id}]"
                )
            continue
        if truth.value is False:
            continue
        for kind, items in contributed:
            if truth.value is None and kind not in LISTED_WHEN_UNKNOWN:
                names = ", ".join(i.id for i in items)
                draft.rationale.append(
                    f"not assessed: {kind} {names} — needs {needs_text(truth.needs)} [{rule.id}]"
                )
                draft.needs += truth.needs
                continue
            facts = "; ".join(truth.facts)
            for item in items:
                if truth.value is None:
                    reason = f"{item.reason} (cannot be excluded: needs {needs_text(truth.needs)})"
                else:
                    reason = f"{item.reason} ({facts})" if facts else item.reason
                contributions.setdefault(kind, {}).setdefault(item.id, []).append(reason)
            if truth.value is None:
                draft.needs += truth.needs
            draft.basis.append(_basis(rule))
    for kind, entries in contributions.items():
        draft.details[kind] = [
            {"id": i, "reason": "; ".join(uniq(reasons))} for i, reasons in entries.items()
        ]


def _decide(option: OptionDef, ctx: Context, lesion: int | None, plan: _Plan) -> Option | None:
    pending, fired = _outcomes(plan, ctx, lesion)
    draft = _strength_draft(option, pending, fired)
    if draft is None:
        return None
    _add_effects(draft, plan, ctx, lesion)
    if option.id == ANALGESIA:
        ladder = ctx.ladder
        draft.rationale[1:1] = list(ladder.lines)
        draft.needs += ladder.needs
        details = {"ladder_step": ladder.step, **draft.details}
        for kind in ("avoid", "adjuvants", "add"):
            details.setdefault(kind, [])
        draft.details = details
    return Option(
        id=option.id,
        strength=draft.strength,
        summary=draft.summary,
        lesion=ctx.level(lesion) if lesion is not None else None,
        rationale=uniq(draft.rationale),
        needs=uniq(draft.needs),
        basis=uniq(draft.basis),
        details=draft.details or None,
    )


#: A slot of the catalog: an option and the lesion it is decided for (None: the case), or
#: ``NO_LESIONS`` for a per-lesion option while no lesion is recorded.
NO_LESIONS = -1


def _slots(ctx: Context) -> list[tuple[OptionDef, _Plan, int | None]]:
    """Every (option, plan, lesion) to decide, in catalog then lesion order."""
    plans = _plans(ctx.rules)
    out: list[tuple[OptionDef, _Plan, int | None]] = []
    for option in ctx.rules.options:
        plan = plans[option.id]
        if option.scope == "case":
            out.append((option, plan, None))
        elif not ctx.case.lesions:
            out.append((option, plan, NO_LESIONS))
        else:
            out += [(option, plan, index) for index in range(len(ctx.case.lesions))]
    return out


def _no_lesions(option: OptionDef) -> Option:
    return Option(
        id=option.id,
        strength="not_evaluable",
        summary=f"{option.title}: not evaluable — needs imaging findings (lesions)",
        rationale=("decided per lesion; no lesion recorded yet",),
        needs=(Need("lesions", "imaging findings (lesions)"),),
    )


def decide_options(ctx: Context) -> tuple[Option, ...]:
    """Every option of the catalog, in catalog then lesion order (options not offered omitted)."""
    out: list[Option] = []
    for option, plan, lesion in _slots(ctx):
        decided = (
            _no_lesions(option) if lesion == NO_LESIONS else _decide(option, ctx, lesion, plan)
        )
        if decided is not None:
            out.append(decided)
    return tuple(out)


def decide_strengths(ctx: Context) -> tuple[OptionStrength, ...]:
    """The strength of every option :func:`decide_options` lists, in the same order, decided
    by the same outcome sets but without rationale, needs, basis or details (a table needs
    only the strengths; effect rules never change a strength, so they are not evaluated)."""
    out: list[OptionStrength] = []
    for option, plan, lesion in _slots(ctx):
        if lesion == NO_LESIONS:
            out.append(OptionStrength(option.id, None, "not_evaluable"))
            continue
        pending, fired = _outcomes(plan, ctx, lesion)
        strength = _settled(pending, fired)
        if strength is not None:
            level = ctx.level(lesion) if lesion is not None else None
            out.append(OptionStrength(option.id, level, strength))
    return tuple(out)
