"""The prognosis panel: coarse groups from each score's range and the disagreement flag.

Group tables are written out here from the task's display convention (documented in
spinemets/prognosis.py), not read from the module under test.
"""

from __future__ import annotations

from typing import Any

import pytest

from spinemets.assessment import PrognosisPanel
from spinemets.case.models import Ambulatory, Case, Labs, Primary, Visceral
from spinemets.prognosis import build_panel
from spinemets.scorers import bauer, nesms, tokuhashi, tomita
from spinemets.scorers.base import ScoreResult

# Total → coarse group, per score.
GROUP_BY_TOTAL: dict[str, dict[int, str]] = {
    "tokuhashi_revised": {t: "poor" for t in range(0, 9)}
    | {t: "intermediate" for t in range(9, 12)}
    | {t: "good" for t in range(12, 16)},
    # long_term_control (2-3) and middle_term_control (4-5) good; short_term_palliation (6-7)
    # intermediate; terminal_care (8-10) poor. Same label → same group as modified Bauer.
    "tomita": {2: "good", 3: "good", 4: "good", 5: "good", 6: "intermediate", 7: "intermediate"}
    | {t: "poor" for t in range(8, 11)},
    "modified_bauer": {0: "poor", 1: "poor", 2: "intermediate", 3: "good", 4: "good"},
    "nesms": {0: "poor", 1: "poor", 2: "intermediate", 3: "good"},
}
BANDS = {
    "tokuhashi_revised": tokuhashi.BANDS,
    "tomita": tomita.BANDS,
    "modified_bauer": bauer.BANDS,
    "nesms": nesms.BANDS,
}
DIRECTION = {
    "tokuhashi_revised": "higher_better",
    "tomita": "higher_worse",
    "modified_bauer": "higher_better",
    "nesms": "higher_better",
}


def fake(score_id: str, low: int | None, high: int | None) -> ScoreResult:
    """A result with the given range and the category the score's own bands give it."""
    rng = None if low is None or high is None else (low, high)
    category = None
    if rng is not None:
        category = next(
            (b.category for b in BANDS[score_id] if b.low <= low <= high <= b.high),  # type: ignore[operator]
            None,
        )
    complete = rng is not None and low == high
    return ScoreResult(
        id=score_id,
        version="test",
        status="complete" if complete else ("partial" if rng else "not_computable"),
        total=low if complete else None,
        range=rng,
        category=category,
        components=(),
        missing=(),
        citation="",
    )


def entry(panel: PrognosisPanel, score_id: str) -> Any:
    return next(e for e in panel.entries if e.score_id == score_id)


@pytest.mark.parametrize(
    ("score_id", "total"),
    [(sid, t) for sid, table in GROUP_BY_TOTAL.items() for t in table],
)
def test_every_total_maps_to_its_group(score_id: str, total: int) -> None:
    panel = build_panel({score_id: fake(score_id, total, total)})
    e = entry(panel, score_id)
    assert e.group == GROUP_BY_TOTAL[score_id][total]
    assert e.direction == DIRECTION[score_id]
    assert e.category is not None
    assert panel.disagreement is False


@pytest.mark.parametrize(
    ("score_id", "low", "high", "group"),
    [
        ("tomita", 8, 10, "poor"),  # terminal_care
        ("tomita", 2, 5, "good"),  # long_term_control + middle_term_control: both good
        ("tomita", 6, 8, None),  # short_term_palliation (intermediate) + terminal_care (poor)
        ("tomita", 6, 7, "intermediate"),
        ("nesms", 0, 1, "poor"),
        ("tokuhashi_revised", 12, 15, "good"),
        ("tokuhashi_revised", 8, 9, None),
        ("tomita", 5, 6, None),  # middle_term_control (good) + short_term_palliation
        ("modified_bauer", 1, 2, None),
        ("nesms", 2, 3, None),
        ("modified_bauer", None, None, None),
    ],
)
def test_group_comes_from_the_whole_range(
    score_id: str, low: int | None, high: int | None, group: str | None
) -> None:
    assert entry(build_panel({score_id: fake(score_id, low, high)}), score_id).group == group


def test_partial_tomita_spanning_two_good_categories_has_a_group_but_no_category() -> None:
    e = entry(build_panel({"tomita": fake("tomita", 3, 4)}), "tomita")
    assert e.category is None and e.group == "good"


@pytest.mark.parametrize("label", ["short_term_palliation", "middle_term_control"])
def test_identical_labels_share_a_group_in_tomita_and_bauer(label: str) -> None:
    """Tomita 6 and Bauer 2 are both short_term_palliation; Tomita 4 and Bauer 3 both
    middle_term_control: the panel must not call these a disagreement."""
    totals = {"short_term_palliation": (6, 2), "middle_term_control": (4, 3)}[label]
    panel = build_panel(
        {
            "tomita": fake("tomita", totals[0], totals[0]),
            "modified_bauer": fake("modified_bauer", totals[1], totals[1]),
        }
    )
    assert [e.category for e in panel.entries] == [label, label]
    assert panel.disagreement is False


def test_entries_in_fixed_order_and_only_present_scores() -> None:
    scores = {sid: fake(sid, 2, 2) for sid in ("nesms", "tomita")}
    panel = build_panel(scores)
    assert [e.score_id for e in panel.entries] == ["tomita", "nesms"]


def test_other_scores_are_ignored() -> None:
    panel = build_panel({"sins": fake("tomita", 2, 2), "tomita": fake("tomita", 2, 2)})
    assert [e.score_id for e in panel.entries] == ["tomita"]


def test_agreement() -> None:
    scores = {
        "tokuhashi_revised": fake("tokuhashi_revised", 15, 15),
        "tomita": fake("tomita", 2, 2),
        "modified_bauer": fake("modified_bauer", 4, 4),
        "nesms": fake("nesms", 3, 3),
    }
    panel = build_panel(scores)
    assert panel.disagreement is False
    assert {e.group for e in panel.entries} == {"good"}
    assert "groups, not individuals" in panel.note


def test_disagreement_names_the_scores() -> None:
    scores = {
        "tokuhashi_revised": fake("tokuhashi_revised", 5, 5),  # poor
        "tomita": fake("tomita", 2, 2),  # good
        "modified_bauer": fake("modified_bauer", 1, 2),  # no group
        "nesms": fake("nesms", 3, 3),  # good
    }
    panel = build_panel(scores)
    assert panel.disagreement is True
    assert "disagree" in panel.note
    for fragment in ("tokuhashi_revised poor", "tomita good", "nesms good"):
        assert fragment in panel.note
    assert "modified_bauer" in panel.note  # listed as without a group
    assert "groups, not individuals" in panel.note
    assert "World J Orthop 2014" in panel.note


def test_unknown_groups_do_not_count_as_disagreement() -> None:
    scores = {
        "tokuhashi_revised": fake("tokuhashi_revised", 0, 15),
        "tomita": fake("tomita", 8, 8),
    }
    panel = build_panel(scores)
    assert panel.disagreement is False
    assert entry(panel, "tokuhashi_revised").group is None


def test_empty_panel() -> None:
    panel = build_panel({})
    assert panel.entries == () and panel.disagreement is False
    assert "groups, not individuals" in panel.note


def test_to_dict_contract() -> None:
    panel = build_panel({"tomita": fake("tomita", 6, 6)})
    assert panel.to_dict() == {
        "entries": [
            {
                "id": "tomita",
                "direction": "higher_worse",
                "category": "short_term_palliation",
                "group": "intermediate",
            }
        ],
        "disagreement": False,
        "note": panel.note,
    }


def test_real_case_end_to_end() -> None:
    """Breast, KPS 80, one vertebral metastasis, no visceral or extraspinal metastases,
    Frankel E, independent, albumin 38 g/L: Tokuhashi 15, Tomita 2, Bauer 4, NESMS 3 — all good.
    Then lung NSCLC, KPS 40, multiple and unremovable visceral metastases, non-ambulatory,
    albumin 3.0 g/dL: Tokuhashi 2, Tomita 10, Bauer 0, NESMS 0 — all poor."""
    good = Case.model_validate(
        {
            "schema_version": 1,
            "case_id": "panel-good",
            "cancer": {"primary": "breast"},
            "performance": {"kps": 80},
            "disease": {
                "vertebral_metastases": 1,
                "extraspinal_bone_metastases": 0,
                "visceral_metastases": "none",
            },
            "neurology": {"frankel": "E", "ambulatory": "independent"},
            "labs": {"albumin": "38 g/L"},
        }
    )
    poor = good.model_copy(
        update={
            "cancer": good.cancer.model_copy(update={"primary": Primary.LUNG_NSCLC}),
            "disease": good.disease.model_copy(
                update={
                    "vertebral_metastases": 3,
                    "extraspinal_bone_metastases": 3,
                    "visceral_metastases": Visceral.UNREMOVABLE,
                }
            ),
            "performance": good.performance.model_copy(update={"kps": 40}),
            "neurology": good.neurology.model_copy(
                update={"ambulatory": Ambulatory.NON_AMBULATORY}
            ),
            "labs": Labs.model_validate({"albumin": "3.0 g/dL"}),
        }
    )
    modules = (tokuhashi, tomita, bauer, nesms)
    for case, group in ((good, "good"), (poor, "poor")):
        panel = build_panel({m.ID: m.compute(case, None) for m in modules})
        assert [e.group for e in panel.entries] == [group] * 4
        assert panel.disagreement is False
