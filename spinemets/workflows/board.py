"""The tumour-board agenda: cases sorted by triage tier (emergency, urgent, soon, routine, then
not determined), then case id; per case the facts of a one-page NOMS summary.

The renderers (``spinemets.render.board_markdown`` and ``spinemets.render.html``) only lay out
these facts, so both formats say the same thing. Identifiers follow ``--redact`` through
:meth:`Assessment.patient_summary`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spinemets.errors import Issue
from spinemets.render import view

if TYPE_CHECKING:
    from spinemets.assessment import Assessment, Basis, Option
    from spinemets.rules.loader import RuleSet
    from spinemets.scorers.base import ScoreResult

TIER_ORDER = ("emergency", "urgent", "soon", "routine")
#: Options worth deciding between at the board (the rest are listed in one line).
DECIDE = ("recommended", "consider")
#: Case scores shown, in NOMS order (those not in the report are skipped).
KEY_CASE_SCORES = (
    "neurology",
    "performance",
    "tokuhashi_revised",
    "tomita",
    "modified_bauer",
    "nesms",
)


#: (rule ids joined by ", ", citation): the basis grouped by citation.
Cited = tuple[str, str]


def cited(basis: Iterable[Basis]) -> tuple[Cited, ...]:
    """The basis grouped by citation (first-seen order), so a page names each source once."""
    groups: dict[str, list[str]] = {}
    for b in basis:
        groups.setdefault(b.citation, []).append(b.rule)
    return tuple((", ".join(rules), citation) for citation, rules in groups.items())


def tier_rank(tier: str | None) -> int:
    """Sort key of a triage tier: emergency first, not determined last."""
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER)


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One key score: label (``SINS T12``), value with category, and its band."""

    label: str
    value: str
    band: str
    direction: str


@dataclass(frozen=True, slots=True)
class OptionLine:
    strength: str
    option_id: str
    lesion: str | None
    summary: str
    rationale: tuple[str, ...]
    needs: tuple[str, ...]
    basis: tuple[Cited, ...]


@dataclass(frozen=True, slots=True)
class CasePage:
    """Everything one agenda page shows."""

    case_id: str
    tier: str | None
    tier_label: str
    patient: str
    primary: str
    histology: str
    radiosensitivity: str
    reasons: tuple[str, ...]
    actions: tuple[str, ...]
    triage_basis: tuple[Cited, ...]
    scores: tuple[ScoreLine, ...]
    prognosis_note: str
    prognosis_disagreement: bool
    decide: tuple[OptionLine, ...]
    others: tuple[OptionLine, ...]
    missing: tuple[str, ...]
    warnings: tuple[tuple[str, str, str], ...]  # (code, path, message)


@dataclass(frozen=True, slots=True)
class Agenda:
    """Sorted pages, plus the inputs that could not be put on the agenda."""

    pages: tuple[CasePage, ...]
    invalid: tuple[Issue, ...] = ()
    redacted: bool = False
    tier_counts: dict[str, int] = field(default_factory=dict)


def _band(result: ScoreResult) -> str:
    from spinemets.scorers import REGISTRY

    scorer = REGISTRY.get(result.id)
    if scorer is None or result.category is None:
        return ""
    for band in scorer.bands:
        if band.category == result.category:
            return (
                f"{band.low}-{band.high}: {band.meaning}"
                if band.meaning
                else f"{band.low}-{band.high}"
            )
    return ""


def _score_line(label: str, result: ScoreResult) -> ScoreLine:
    return ScoreLine(label, view.headline(result), _band(result), view.direction(result.id))


def _option_line(o: Option) -> OptionLine:
    return OptionLine(
        o.strength,
        o.id,
        o.lesion,
        o.summary,
        o.rationale,
        tuple(n.text for n in o.needs),
        cited(o.basis),
    )


def case_page(assessment: Assessment) -> CasePage:
    """The one-page NOMS summary of an assessment."""
    a = assessment
    scores: list[ScoreLine] = []
    for les in a.lesions:
        for sid, label in (("escc", "ESCC"), ("sins", "SINS")):
            if sid in les.scores:
                scores.append(_score_line(f"{label} {les.level}", les.scores[sid]))
    for sid in KEY_CASE_SCORES:
        if sid in a.scores:
            scores.append(_score_line(view.title(sid), a.scores[sid]))
    for sid, result in a.scores.items():  # any other registered case score, after the key ones
        if sid not in KEY_CASE_SCORES:
            scores.append(_score_line(view.title(sid), result))

    options = view.sorted_options(a)
    decide = tuple(_option_line(o) for o in options if o.strength in DECIDE)
    others = tuple(_option_line(o) for o in options if o.strength not in DECIDE)

    missing: dict[str, None] = {}
    for les in a.lesions:
        for result in les.scores.values():
            missing |= dict.fromkeys(result.missing)
    for result in a.scores.values():
        missing |= dict.fromkeys(result.missing)
    missing |= dict.fromkeys(n.path or n.text for n in a.triage.needs)
    for o in a.options:
        missing |= dict.fromkeys(n.path or n.text for n in o.needs)

    facts = view.case_facts(a)
    return CasePage(
        case_id=a.case_id,
        tier=a.triage.tier,
        tier_label=view.TIER_LABEL.get(a.triage.tier, str(a.triage.tier)),
        patient=view.patient_line(a),
        primary=facts.primary,
        histology=facts.histology,
        radiosensitivity=facts.radiosensitivity,
        reasons=a.triage.reasons,
        actions=a.triage.actions,
        triage_basis=cited(a.triage.basis),
        scores=tuple(scores),
        prognosis_note=a.prognosis.note,
        prognosis_disagreement=a.prognosis.disagreement,
        decide=decide,
        others=others,
        missing=tuple(sorted(missing)),
        warnings=tuple((w.code, w.path, w.message) for w in a.warnings),
    )


def agenda_from(
    assessments: Iterable[Assessment], invalid: Sequence[Issue] = (), *, redacted: bool = False
) -> Agenda:
    """Pages sorted by tier, then case id (then input order, for equal ids)."""
    pages = sorted(
        (case_page(a) for a in assessments), key=lambda p: (tier_rank(p.tier), p.case_id)
    )
    counts: dict[str, int] = {}
    for page in pages:
        key = page.tier or "not_determined"
        counts[key] = counts.get(key, 0) + 1
    return Agenda(tuple(pages), tuple(invalid), redacted, counts)


def build_agenda(
    files: Iterable[str], rules: RuleSet | None = None, *, redact: bool = False
) -> Agenda:
    """Load and evaluate ``files``; invalid ones are kept aside with their first issue."""
    from spinemets import api
    from spinemets.errors import IssuesError, UserError

    assessments: list[Assessment] = []
    invalid: list[Issue] = []
    for file in files:
        try:
            loaded = api.load_case(file)
            assessments.append(api.assess(loaded, rules, redact=redact))
        except IssuesError as exc:
            invalid.append(
                exc.issues[0] if exc.issues else Issue(file, 1, 1, "", "invalid case file")
            )
        except UserError as exc:
            invalid.append(Issue(file, 1, 1, "", str(exc)))
    return agenda_from(assessments, invalid, redacted=redact)
