"""The report view-model: what every human-readable report of one case says, as plain data.

Terminal, Markdown, HTML and the board lay out a :class:`Report` and never read the Assessment
themselves, so one case reads the same everywhere. The summary is the NOMS picture a tumour
board uses (triage, N, O, M, S, options grouped by what they treat, what to ask next); the
detail adds score components, rationale and sources, each source numbered once and referenced.

Every string taken from the case, the rules or a file name passes through
:func:`spinemets.render.text.plain` here (control characters shown escaped); each format
escapes its own syntax on top.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spinemets.assessment import INTENDED_USE
from spinemets.render import words
from spinemets.render.text import plain

if TYPE_CHECKING:
    from spinemets.assessment import Assessment, Basis, Need, Option
    from spinemets.scorers.base import ScoreResult

#: Option groups by what they treat, in report order; an option id not listed goes last.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Local control: imaging, radiation and surgery",
        (
            "urgent_mri",
            "cebrt",
            "sbrt",
            "separation_surgery",
            "decompression",
            "stabilization",
            "vertebral_augmentation",
        ),
    ),
    (
        "Pain and medicines",
        ("dexamethasone", "analgesia", "bone_modifying_agent", "systemic_therapy_review"),
    ),
    (
        "Supportive care and the team",
        (
            "rehabilitation",
            "psychosocial_support",
            "complementary_therapies",
            "palliative_care",
            "mdt_review",
        ),
    ),
)
OTHER_GROUP = "Other options"
LOCAL_OPTIONS = frozenset(GROUPS[0][1]) - {"urgent_mri"}
#: Strengths shown in the summary; the others are listed in one line.
DECIDE = ("recommended", "consider")
#: Details kinds shown as safety lines (drug or specialty id with its reason).
SAFETY_KINDS = ("avoid", "adjuvants", "add", "involve")
PROGNOSTIC = ("tokuhashi_revised", "tomita", "modified_bauer", "nesms")

_RULE_PREFIX = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+: ")
_RULE_SUFFIX = re.compile(r" \[[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\]$")
_DOSE = re.compile(r"\bdose[- ]adjust|\bdose[- ]reduc|\breduce the dose", re.I)


_CATEGORY = re.compile(r"\(([a-z]+(?:_[a-z0-9]+)+)\)")


def sentence(line: str) -> str:
    """A rationale or reason line without the rule id it carries (sources are referenced),
    with score categories as words (``(gte_6_months)`` → ``(≥ 6 months)``)."""
    text = _RULE_SUFFIX.sub("", _RULE_PREFIX.sub("", plain(line)))
    return _CATEGORY.sub(lambda m: f"({words.category(m.group(1))})", text)


@dataclass(frozen=True, slots=True)
class Source:
    """A citation, numbered once per report, with the rules that cite it."""

    ref: int
    citation: str
    evidence: str | None
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Item:
    """A drug, class, check or specialty with the reason it is listed."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Safety:
    """The safety lines of an option: what to avoid and why, what to add, doses, the team."""

    avoid: tuple[Item, ...] = ()
    adjuvants: tuple[Item, ...] = ()
    add: tuple[Item, ...] = ()
    dose: tuple[str, ...] = ()
    involve: tuple[Item, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.avoid or self.adjuvants or self.add or self.dose or self.involve)


@dataclass(frozen=True, slots=True)
class OptionView:
    option_id: str
    strength: str
    label: str  # "Recommended"
    lesion: str | None
    summary: str
    rationale: tuple[str, ...]
    needs: tuple[str, ...]
    details: tuple[str, ...]  # sentences
    safety: Safety
    refs: tuple[int, ...]

    @property
    def name(self) -> str:
        """``sbrt [T12]`` or ``analgesia``."""
        return f"{self.option_id} [{self.lesion}]" if self.lesion else self.option_id


@dataclass(frozen=True, slots=True)
class OptionGroup:
    title: str
    options: tuple[OptionView, ...]


@dataclass(frozen=True, slots=True)
class TierView:
    tier: str
    label: str  # "EMERGENCY", or "URGENT (provisional)"
    provisional: bool
    at_least: str | None
    reasons: tuple[str, ...]
    actions: tuple[str, ...]
    settles: tuple[str, ...]  # the case fields (or judgement) that would settle a provisional tier
    refs: tuple[int, ...]

    @property
    def line(self) -> str:
        """The tier line every format prints: ``Triage: URGENT (provisional; at least SOON)``."""
        if not self.provisional:
            return f"Triage: {self.label}"
        tier = words.TIER_LABEL[self.tier]
        if self.at_least:
            return f"Triage: {tier} (provisional: not yet excluded; at least {self.at_least})"
        return f"Triage: {tier} (provisional: not yet excluded)"


@dataclass(frozen=True, slots=True)
class ScoreView:
    label: str  # "SINS T12"
    score_id: str
    value: str  # "11", "range 6-12", "grade 1c"
    band: str  # "potentially unstable (7-12)" or ""
    direction: str
    rows: tuple[tuple[str, ...], ...]  # (component, value[, points])
    has_points: bool
    notes: tuple[str, ...]
    missing: tuple[str, ...]
    version: str
    ref: int


@dataclass(frozen=True, slots=True)
class AskNext:
    path: str
    text: str
    settles: int
    results: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a human-readable report of one case shows."""

    case_id: str
    patient: str
    intended_use: str
    warnings: tuple[tuple[str, str, str], ...]  # (code, path, message)
    tier: TierView
    noms: tuple[tuple[str, tuple[str, ...]], ...]  # ("Neurologic", lines), ...
    primary: str
    histology: str
    radiosensitivity: str  # "resistant"
    radiosensitivity_why: str
    levels: tuple[str, ...]
    escc: str  # "T12 1c"
    sins: str  # "T12 11"
    prognosis_group: str
    prognosis_note: str
    prognosis_disagreement: bool
    local_treatment: str  # the recommended local treatment, read aloud
    groups: tuple[OptionGroup, ...]
    others: tuple[OptionView, ...]
    ask_next: tuple[AskNext, ...]
    missing: tuple[str, ...]
    scores: tuple[ScoreView, ...]
    sources: tuple[Source, ...]
    footer: str
    redacted: bool


class _Sources:
    """Numbers citations in first-seen order so each is printed once and referenced."""

    def __init__(self) -> None:
        self._refs: dict[str, int] = {}
        self._rules: dict[str, list[str]] = {}
        self._evidence: dict[str, str | None] = {}

    def ref(self, citation: str, rule: str | None = None, evidence: str | None = None) -> int:
        text = plain(citation)
        if text not in self._refs:
            self._refs[text] = len(self._refs) + 1
            self._rules[text] = []
            self._evidence[text] = evidence
        if rule and rule not in self._rules[text]:
            self._rules[text].append(plain(rule))
        return self._refs[text]

    def refs(self, basis: Iterable[Basis]) -> tuple[int, ...]:
        out = [self.ref(b.citation, b.rule, b.evidence) for b in basis]
        return tuple(dict.fromkeys(out))

    def all(self) -> tuple[Source, ...]:
        return tuple(
            Source(n, c, self._evidence[c], tuple(self._rules[c])) for c, n in self._refs.items()
        )


def need_text(need: Need) -> str:
    """A need as words: its text, with the case field that settles it."""
    path, text = need.path, need.text
    return plain(f"{text} ({path})" if path and path not in text else text)


def _items(value: Any) -> tuple[Item, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        Item(words.term(str(v.get("id", ""))), sentence(str(v.get("reason", ""))))
        for v in value
        if isinstance(v, dict)
    )


def _detail_sentence(key: str, value: Any) -> str:
    """One details entry as a sentence: ``Schedules: 8 Gy x 1 (single fraction ...); ...``."""
    if isinstance(value, list):
        body = "; ".join(_entry_text(v) for v in value) or "none"
    else:
        body = _entry_text(value)
    return plain(f"{words.label(key)}: {body}.")


def _entry_text(value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    head_key = next((k for k in ("id", "schedule", "name") if k in value), None)
    head = words.term(str(value[head_key])) if head_key else ""
    rest = [
        str(v) if k in ("reason", "note") else f"{words.label(k).lower()} {v}"
        for k, v in value.items()
        if k != head_key
    ]
    return f"{head} ({', '.join(rest)})" if head and rest else head or ", ".join(rest)


def _option(o: Option, sources: _Sources) -> OptionView:
    details = dict(o.details or {})
    rationale = tuple(sentence(r) for r in o.rationale)
    safety = Safety(
        avoid=_items(details.get("avoid")),
        adjuvants=_items(details.get("adjuvants")),
        add=_items(details.get("add")),
        dose=tuple(r for r in rationale if _DOSE.search(r)),
        involve=_items(details.get("involve")),
    )
    return OptionView(
        option_id=plain(o.id),
        strength=o.strength,
        label=words.STRENGTH_LABEL.get(o.strength, plain(o.strength)),
        lesion=plain(o.lesion) if o.lesion else None,
        summary=plain(o.summary),
        rationale=rationale,
        needs=tuple(need_text(n) for n in o.needs),
        details=tuple(_detail_sentence(k, v) for k, v in details.items() if k not in SAFETY_KINDS),
        safety=safety,
        refs=sources.refs(o.basis),
    )


def _group_of(option_id: str) -> int:
    for n, (_, ids) in enumerate(GROUPS):
        if option_id in ids:
            return n
    return len(GROUPS)


def _option_order(a: Assessment) -> list[Option]:
    """By group; within a group case-level first, then lesions in case order; then strength,
    then the option's place in the vocabulary (never alphabetical)."""
    lesion_rank = {les.level: les.index for les in a.lesions}

    def key(o: Option) -> tuple[int, int, int, int, str]:
        place = words.OPTION_IDS.index(o.id) if o.id in words.OPTION_IDS else len(words.OPTION_IDS)
        where = -1 if o.lesion is None else lesion_rank.get(o.lesion, len(lesion_rank))
        return (_group_of(o.id), where, words.strength_rank(o.strength), place, o.id)

    return sorted(a.options, key=key)


def _groups(views: list[OptionView]) -> tuple[OptionGroup, ...]:
    titles = [t for t, _ in GROUPS] + [OTHER_GROUP]
    out = []
    for n, title in enumerate(titles):
        members = tuple(v for v in views if _group_of(v.option_id) == n)
        if members:
            out.append(OptionGroup(title, members))
    return tuple(out)


def _tier(a: Assessment, sources: _Sources) -> TierView:
    t = a.triage
    label = words.TIER_LABEL[t.tier] + (" (provisional)" if t.provisional else "")
    return TierView(
        tier=t.tier,
        label=label,
        provisional=t.provisional,
        at_least=t.at_least,
        reasons=tuple(sentence(r) for r in t.reasons),
        actions=tuple(plain(x) for x in t.actions),
        settles=tuple(dict.fromkeys(plain(n.path or n.text) for n in t.needs)),
        refs=sources.refs(t.basis),
    )


def _score(label: str, result: ScoreResult, sources: _Sources) -> ScoreView:
    rows = words.component_rows(result)
    has_points = any(r[2] for r in rows)
    return ScoreView(
        label=plain(label),
        score_id=result.id,
        value=words.value(result),
        band=words.band(result),
        direction=words.direction(result.id),
        rows=tuple(r if has_points else r[:2] for r in rows),
        has_points=has_points,
        notes=tuple(sentence(n) for n in result.notes),
        missing=tuple(plain(m) for m in result.missing),
        version=plain(result.version),
        ref=sources.ref(result.citation),
    )


def _radiosensitivity(a: Assessment) -> tuple[str, str]:
    cancer = a.cancer
    if cancer is not None:
        r = cancer.radiosensitivity
        why = r.reason.removeprefix(f"{r.cls} ")
        if why.startswith("(") and why.endswith(")"):
            why = why[1:-1]
        if r.source == "case override":
            why = f"case override: {why}"
        return plain(r.cls), sentence(why)
    c = a.case.cancer
    if c.radiosensitivity is not None:
        return plain(c.radiosensitivity), plain(f"case override: {c.radiosensitivity_reason}")
    return "from the rules table", "the rules' histology table (see the options' rationale)"


def _noms(a: Assessment, radio: str, why: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    case = a.case
    n_lines = [
        f"{les.level}: ESCC {words.value(les.scores['escc'])}"
        + (f" ({words.band(les.scores['escc'])})" if words.band(les.scores["escc"]) else "")
        for les in a.lesions
        if "escc" in les.scores
    ]
    n_lines.append(words.neurology(case))
    histology = f" — {case.cancer.histology}" if case.cancer.histology else ""
    primary = words.term(words.show(case.cancer.primary))
    o_lines = [
        f"{primary}{histology}; radiosensitivity {radio} ({why})",
        f"systemic therapy: {words.show(case.cancer.systemic_therapy)}",
    ]
    m_lines = [
        f"{les.level}: SINS {words.value(les.scores['sins'])}"
        + (f" {words.band(les.scores['sins'])}" if words.band(les.scores["sins"]) else "")
        for les in a.lesions
        if "sins" in les.scores
    ] or ["no lesions entered yet (imaging pending?)"]
    s_lines = [
        f"{words.performance(a)}; {words.metastases(case)}",
        "prognosis: " + words.prognosis_line(a),
    ]
    estimate = words.mdt_estimate(case)
    if estimate:
        s_lines.append(estimate)
    return tuple(
        (letter, tuple(plain(x) for x in lines))
        for letter, lines in (
            ("Neurologic", n_lines),
            ("Oncologic", o_lines),
            ("Mechanical", m_lines),
            ("Systemic", s_lines),
        )
    )


def _local_treatment(decide: list[OptionView]) -> str:
    local = [v for v in decide if v.option_id in LOCAL_OPTIONS]
    chosen = [v.name for v in local if v.strength == "recommended"]
    if chosen:
        return ", ".join(chosen)
    weighed = [v.name for v in local]
    return f"none recommended; consider {', '.join(weighed)}" if weighed else "none"


def _missing(a: Assessment) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for les in a.lesions:
        for result in les.scores.values():
            found |= dict.fromkeys(plain(m) for m in result.missing)
    for result in a.scores.values():
        found |= dict.fromkeys(plain(m) for m in result.missing)
    for need in a.triage.needs:
        found[plain(need.path or need.text)] = None
    for o in a.options:
        for need in o.needs:
            found[plain(need.path or need.text)] = None
    return tuple(sorted(found))


def _ask_next(a: Assessment) -> tuple[AskNext, ...]:
    out = []
    for d in a.decisive_inputs:
        results = tuple(plain(r) for r in d.results)
        out.append(AskNext(plain(d.path), plain(d.text), len(results), results))
    return tuple(out)


def others_line(others: Iterable[OptionView]) -> str:
    """``not evaluable: cebrt [L6, T11], palliative_care · not indicated: ...`` in one line."""
    by_label: dict[str, dict[str, list[str]]] = {}
    for o in others:
        lesions = by_label.setdefault(o.label.lower(), {}).setdefault(o.option_id, [])
        if o.lesion:
            lesions.append(o.lesion)
    parts = []
    for label, by_id in by_label.items():
        names = [i + (f" [{', '.join(ls)}]" if ls else "") for i, ls in by_id.items()]
        parts.append(f"{label}: {', '.join(names)}")
    return " · ".join(parts)


def results_line(ask: AskNext, shown: int = 3) -> str:
    """The first results an input settles, and how many more."""
    more = len(ask.results) - shown
    return ", ".join(ask.results[:shown]) + (f" and {more} more" if more > 0 else "")


def short_reason(reason: str) -> str:
    """The first clause of a reason (``opioid-naive``), and how many other reasons it has."""
    head = reason.split(" (", 1)[0].split(": ", 1)[0].split("; ", 1)[0].split(" — ", 1)[0]
    others = max(reason.count("cannot be excluded"), reason.count("); ") + 1) - 1
    return head + (f" and {others} other reason(s)" if others > 0 else "")


def avoid_line(items: Iterable[Item]) -> str:
    """What to avoid in one line: each drug with its first reason; drugs sharing a reason named
    together; those whose reason is not yet excluded listed after "until excluded"."""
    known: dict[str, list[str]] = {}
    open_: dict[str, list[str]] = {}
    for item in items:
        group = open_ if "cannot be excluded" in item.reason else known
        group.setdefault(short_reason(item.reason), []).append(item.name)
    parts = [f"{', '.join(names)} — {why}" for why, names in known.items()]
    pending = "; ".join(f"{', '.join(names)} ({why})" for why, names in open_.items())
    return "; ".join(parts + ([f"until excluded: {pending}"] if pending else []))


def brief_options(group: OptionGroup) -> list[OptionView]:
    """Options the summary names in one line per strength: supportive care without safety
    lines (the detail gives their summaries)."""
    if group.title != GROUPS[2][0]:
        return []
    return [o for o in group.options if not o.safety]


def build(assessment: Assessment) -> Report:
    """The report of one assessment."""
    a = assessment
    sources = _Sources()
    tier = _tier(a, sources)
    options = [_option(o, sources) for o in _option_order(a)]
    decide = [v for v in options if v.strength in DECIDE]
    others = tuple(v for v in options if v.strength not in DECIDE)
    scores: list[ScoreView] = []
    for les in a.lesions:
        for sid, label in (("escc", "ESCC"), ("sins", "SINS")):
            if sid in les.scores:
                scores.append(_score(f"{label} {les.level}", les.scores[sid], sources))
    for sid in ("neurology", "performance", *PROGNOSTIC):
        if sid in a.scores:
            scores.append(_score(words.title(sid), a.scores[sid], sources))
    for sid, result in a.scores.items():
        if sid not in ("neurology", "performance", *PROGNOSTIC):
            scores.append(_score(words.title(sid), result, sources))
    radio, why = _radiosensitivity(a)
    p = a.provenance
    return Report(
        case_id=plain(a.case_id),
        patient=plain(words.patient_line(a)),
        intended_use=INTENDED_USE,
        warnings=tuple((plain(w.code), plain(w.path), plain(w.message)) for w in a.warnings),
        tier=tier,
        noms=_noms(a, radio, why),
        primary=plain(words.show(a.case.cancer.primary)),
        histology=plain(a.case.cancer.histology or "not given"),
        radiosensitivity=radio,
        radiosensitivity_why=why,
        levels=tuple(plain(les.level) for les in a.lesions),
        escc=plain(words.per_lesion(a, "escc")),
        sins=plain(words.per_lesion(a, "sins")),
        prognosis_group=words.prognosis_group(a),
        prognosis_note=plain(a.prognosis.note),
        prognosis_disagreement=a.prognosis.disagreement,
        local_treatment=_local_treatment(decide),
        groups=_groups(decide),
        others=others,
        ask_next=_ask_next(a),
        missing=_missing(a),
        scores=tuple(scores),
        sources=sources.all(),
        footer=plain(
            f"spinemets {a.tool_version} · input {p.input_sha256[:12]}… · "
            f"rules {p.rules_source} {(p.rules_sha256 or '')[:12]}…"
        ),
        redacted=a.redacted,
    )


def sort_key(report: Report) -> tuple[int, str]:
    """Agenda order: tier (a provisional tier at its highest possible tier), then case id."""
    return (words.tier_rank(report.tier.tier), report.case_id)
