"""The prognosis panel: the four prognostic scores side by side, and whether they disagree.

Every survival score predicts *groups*, not individuals: a Tokuhashi-authored review found that
no scoring system reached 90% agreement between predicted and actual survival (Tokuhashi Y et
al., World J Orthop 2014;5(3):262-271). The panel therefore shows each
score's own category and never a single predicted survival.

Coarse groups — a display convention of this tool, not part of any instrument, used ONLY to
flag when the scores point different ways:

=================  =====================  ======================  ==============================
score              poor                   intermediate            good
=================  =====================  ======================  ==============================
tokuhashi_revised  lt_6_months (0-8)      gte_6_months (9-11)     gte_1_year (12-15)
tomita             terminal_care (8-10)   short_term_palliation   long_term_control (2-3) and
                                          (6-7)                   middle_term_control (4-5)
modified_bauer     supportive_care (0-1)  short_term_palliation   middle_term_control (3-4)
                                          (2)
nesms              nesms_0, nesms_1       nesms_2                 nesms_3
=================  =====================  ======================  ==============================

Identical labels share a group across scores: Tomita's and modified Bauer's
``short_term_palliation`` are both intermediate and their ``middle_term_control`` both good.
The groups are a display convention only, used to flag disagreement; they are not survival
estimates and no instrument defines them.

A score's group comes from its whole *range*: a partial score whose every possible total maps to
one group still has a group; otherwise (and for a score that cannot be bounded) the group is
``None`` and the score does not take part in the disagreement check. ``disagreement`` is true
when the known groups are not all equal.
"""

from __future__ import annotations

from collections.abc import Mapping

from spinemets.assessment import PrognosisEntry, PrognosisPanel
from spinemets.scorers import bauer, nesms, tokuhashi, tomita
from spinemets.scorers.base import Scorer, ScoreResult, category_for

POOR, INTERMEDIATE, GOOD = "poor", "intermediate", "good"

#: Panel order and the coarse group of each category (display convention, see module doc).
GROUPS: dict[str, dict[str, str]] = {
    tokuhashi.ID: {
        "lt_6_months": POOR,
        "gte_6_months": INTERMEDIATE,
        "gte_1_year": GOOD,
    },
    tomita.ID: {
        "long_term_control": GOOD,
        "middle_term_control": GOOD,
        "short_term_palliation": INTERMEDIATE,
        "terminal_care": POOR,
    },
    bauer.ID: {
        "supportive_care": POOR,
        "short_term_palliation": INTERMEDIATE,
        "middle_term_control": GOOD,
    },
    nesms.ID: {
        "nesms_0": POOR,
        "nesms_1": POOR,
        "nesms_2": INTERMEDIATE,
        "nesms_3": GOOD,
    },
}

SCORERS: dict[str, Scorer] = {
    tokuhashi.ID: tokuhashi.SCORER,
    tomita.ID: tomita.SCORER,
    bauer.ID: bauer.SCORER,
    nesms.ID: nesms.SCORER,
}

CAUTION = (
    "Prognostic scores predict groups, not individuals: no scoring system reached 90% agreement "
    "between predicted and actual survival (Tokuhashi et al., World J Orthop 2014;5(3):262-271)."
)


def group_of(score_id: str, result: ScoreResult) -> str | None:
    """The coarse group of ``result``'s whole range, or ``None`` when it straddles groups."""
    if result.range is None:
        return None
    scorer, table = SCORERS[score_id], GROUPS[score_id]
    low, high = result.range
    groups = set()
    for total in range(low, high + 1):
        category = category_for(scorer.bands, total, total)
        if category is None:
            return None
        groups.add(table[category])
    return groups.pop() if len(groups) == 1 else None


def build_panel(scores: Mapping[str, ScoreResult]) -> PrognosisPanel:
    """The prognosis panel of whichever of the four prognostic scores are in ``scores``."""
    entries = tuple(
        PrognosisEntry(
            score_id=score_id,
            direction=SCORERS[score_id].direction,
            category=scores[score_id].category,
            group=group_of(score_id, scores[score_id]),
        )
        for score_id in GROUPS
        if score_id in scores
    )
    known = [e for e in entries if e.group is not None]
    disagreement = len({e.group for e in known}) > 1
    return PrognosisPanel(entries=entries, disagreement=disagreement, note=_note(entries, known))


def _describe(entry: PrognosisEntry) -> str:
    return f"{entry.score_id} {entry.group} ({entry.category or 'range spans categories'})"


def _note(entries: tuple[PrognosisEntry, ...], known: list[PrognosisEntry]) -> str:
    undecided = [e.score_id for e in entries if e.group is None]
    parts: list[str] = []
    if not entries:
        parts.append("No prognostic score was computed.")
    elif len({e.group for e in known}) > 1:
        by_group: dict[str, list[str]] = {}
        for entry in known:
            by_group.setdefault(entry.group or "", []).append(_describe(entry))
        detail = "; ".join(", ".join(items) for items in by_group.values())
        parts.append(f"The prognostic scores disagree: {detail}.")
    elif known:
        group = known[0].group
        names = ", ".join(e.score_id for e in known)
        parts.append(f"The prognostic scores with a known group agree ({group}: {names}).")
    if undecided:
        parts.append(
            "No group (incomplete inputs, range spans groups): " + ", ".join(undecided) + "."
        )
    parts.append(
        "Groups (poor / intermediate / good) are a display convention of this tool, used only "
        "to flag disagreement; read each score's own category."
    )
    parts.append(CAUTION)
    return " ".join(parts)
