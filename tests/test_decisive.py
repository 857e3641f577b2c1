"""What to ask next: decisive inputs rank missing fields by the undecided results they settle."""

from __future__ import annotations

from pathlib import Path

from spinemets import api

ROOT = Path(__file__).resolve().parents[1]


def _assess(text: str) -> api.Assessment:
    return api.assess(api.load_case_text(text, "case.yaml"))


UNKNOWN_NEUROLOGY = """\
schema_version: 1
case_id: ASK-1
cancer: {primary: kidney}
lesions:
  - {level: T12, pain: mechanical, bone_lesion: lytic, alignment: normal, collapse: lt50,
     posterolateral: unilateral, escc: "2", posterior_wall_retropulsion: false}
pain: {nrs: 3, controlled: true, night_pain: false}
"""


def test_every_decisive_input_is_a_need_of_an_undecided_result() -> None:
    a = _assess(UNKNOWN_NEUROLOGY)
    assert a.triage.provisional
    undecided_paths = {n.path for n in a.triage.needs} | {
        n.path for o in a.options if o.strength == "not_evaluable" for n in o.needs
    }
    for les in a.lesions:
        undecided_paths |= {p for s in les.scores.values() if s.category is None for p in s.missing}
    undecided_paths |= {p for s in a.scores.values() if s.category is None for p in s.missing}
    assert a.decisive_inputs
    assert {d.path for d in a.decisive_inputs} == undecided_paths - {None}


def test_ranked_by_how_many_results_each_settles() -> None:
    a = _assess(UNKNOWN_NEUROLOGY)
    counts = [d.settles for d in a.decisive_inputs]
    assert counts == sorted(counts, reverse=True)
    top = a.decisive_inputs[0]
    assert top.settles == len(top.results) and top.settles >= 2
    # the neurology that keeps the emergency provisional is among what to ask next
    assert "triage tier (emergency, provisional)" in {
        r for d in a.decisive_inputs for r in d.results
    }


def test_a_settled_case_asks_nothing() -> None:
    a = api.assess(api.load_case(ROOT / "examples" / "renal-t12-hybrid.yaml"))
    assert not a.triage.provisional
    assert all(d.path for d in a.decisive_inputs)
    report = a.to_dict()
    assert report["decisive_inputs"] == [d.to_dict() for d in a.decisive_inputs]
