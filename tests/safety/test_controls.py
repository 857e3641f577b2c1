"""Risk controls from the hazard log (docs/safety/hazard-log.md) that had no test of their own.

Each test names its hazard. Clinical facts come from the specification
(/work/shared/spec/clinical-reference.md, case-format.md), written out here, never read back
from the code under test. Most run through ``spinemets.api`` (what the CLI calls) so a
rule-engine or renderer change that breaks a control fails here.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import PRIMARY, TODAY, case_dicts, to_yaml

from spinemets import api
from spinemets.errors import CaseError

from .support import ERROR_LINE, ROOT, run_cli

API_EXAMPLES = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

TIER_ORDER = ("emergency", "urgent", "soon", "routine")
NEUROLOGY_FIELDS = (
    "frankel", "asia", "ambulatory", "deficit", "motor_deficit_days",
    "myelopathy", "radiculopathy", "sphincter_dysfunction",
)  # fmt: skip


def load(data: dict[str, Any]) -> Any:
    return api.load_case_text(to_yaml(data), today=TODAY)


def report(data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = api.assess(load(data)).to_dict()
    return result


def analgesia(rep: dict[str, Any]) -> dict[str, Any] | None:
    found = [o for o in rep["options"] if o["id"] == "analgesia"]
    return found[0] if found else None


def avoided(rep: dict[str, Any]) -> set[str]:
    option = analgesia(rep)
    assert option is not None, "no analgesia option in the report"
    return {item["id"] for item in (option.get("details") or {}).get("avoid", [])}


def valid_or_none(data: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return report(data)
    except CaseError:
        return None


# --- HAZ-007 inverted prognosis bands --------------------------------------------------------

# Revised Tokuhashi (clinical-reference §5.1): 0-8 < 6 months, 9-11 >= 6 months, 12-15 >= 1 year.
# Case values per item, by points (KPS; extraspinal foci; vertebral metastases; visceral;
# primary; Frankel).
TOKUHASHI_ITEMS: tuple[tuple[str, str, dict[int, Any]], ...] = (
    ("performance", "kps", {0: 30, 1: 60, 2: 90}),
    ("disease", "extraspinal_bone_metastases", {0: 5, 1: 2, 2: 0}),
    ("disease", "vertebral_metastases", {0: 4, 1: 2, 2: 1}),
    ("disease", "visceral_metastases", {0: "unremovable", 1: "removable", 2: "none"}),
    (
        "cancer",
        "primary",
        {0: "lung", 1: "liver", 2: "melanoma", 3: "kidney", 4: "rectum", 5: "breast"},
    ),
    ("neurology", "frankel", {0: "A", 1: "C", 2: "E"}),
)


def tokuhashi_case(total: int) -> dict[str, Any]:
    """A complete case whose revised Tokuhashi total is ``total`` (greedy over the items)."""
    # the organ item counts the brain (§5.1: lung, liver, kidney, brain), so brain is recorded
    data: dict[str, Any] = {
        "schema_version": 1,
        "case_id": f"TOK-{total}",
        "disease": {"brain_metastases": False},
    }
    left = total
    for section, key, by_points in TOKUHASHI_ITEMS:
        points = min(left, max(by_points))
        left -= points
        data.setdefault(section, {})[key] = by_points[points]
    assert left == 0
    return data


SPEC_TOKUHASHI = {
    **dict.fromkeys(range(0, 9), "lt_6_months"),
    **dict.fromkeys(range(9, 12), "gte_6_months"),
    **dict.fromkeys(range(12, 16), "gte_1_year"),
}


@pytest.mark.parametrize("total", range(16))
def test_tokuhashi_prognosis_bands_are_not_inverted(total: int) -> None:
    """0-8 is the SHORT group (a public notes page prints it inverted, §5.1 pitfall (a))."""
    score = report(tokuhashi_case(total))["scores"]["tokuhashi_revised"]
    assert (score["status"], score["total"]) == ("complete", total)
    assert score["category"] == SPEC_TOKUHASHI[total]


# Tomita (§5.2): higher is worse. growth slow 1 / moderate 2 / rapid 4; visceral none 0 /
# treatable 2 / untreatable 4; bone solitary 1 / multiple 2.
SPEC_TOMITA = {
    2: "long_term_control",
    3: "long_term_control",
    4: "middle_term_control",
    5: "middle_term_control",
    6: "short_term_palliation",
    7: "short_term_palliation",
    8: "terminal_care",
    9: "terminal_care",
    10: "terminal_care",
}


@pytest.mark.parametrize("growth", [("slow", 1), ("moderate", 2), ("rapid", 4)])
@pytest.mark.parametrize("visceral", [("none", 0), ("removable", 2), ("unremovable", 4)])
@pytest.mark.parametrize("bone", [((1, 0), 1), ((2, 3), 2)])
def test_tomita_bands_are_not_inverted(
    growth: tuple[str, int], visceral: tuple[str, int], bone: tuple[tuple[int, int], int]
) -> None:
    (vertebral, extraspinal), bone_points = bone
    data = {
        "schema_version": 1,
        "case_id": "TOM",
        "cancer": {"primary": "melanoma", "growth": growth[0]},
        "disease": {
            "visceral_metastases": visceral[0],
            "vertebral_metastases": vertebral,
            "extraspinal_bone_metastases": extraspinal,
        },
    }
    total = growth[1] + visceral[1] + bone_points
    score = report(data)["scores"]["tomita"]
    assert (score["status"], score["total"], score["category"]) == (
        "complete",
        total,
        SPEC_TOMITA[total],
    )


def test_prognosis_panel_states_each_direction() -> None:
    """Tokuhashi, Bauer and NESMS: higher is better; Tomita: higher is worse (§5)."""
    entries = {e["id"]: e["direction"] for e in report(tokuhashi_case(12))["prognosis"]["entries"]}
    assert entries == {
        "tokuhashi_revised": "higher_better",
        "tomita": "higher_worse",
        "modified_bauer": "higher_better",
        "nesms": "higher_better",
    }


# --- HAZ-008 under-triage when neurology fields are empty ------------------------------------


def _without_neurology(data: dict[str, Any], how: str) -> dict[str, Any]:
    data = dict(data)
    if how == "absent":
        data.pop("neurology", None)
    else:
        data["neurology"] = {
            key: ("unknown" if how == "unknown" else None) for key in NEUROLOGY_FIELDS
        }
    return data


@API_EXAMPLES
@given(case_dicts(), st.sampled_from(("absent", "unknown", "null")))
def test_unknown_neurology_never_yields_routine(data: dict[str, Any], how: str) -> None:
    rep = valid_or_none(_without_neurology(data, how))
    if rep is None:
        return
    assert rep["triage"]["tier"] != "routine"


def test_unknown_neurology_with_everything_else_reassuring_is_not_routine() -> None:
    data = {
        "schema_version": 1,
        "case_id": "NEURO-UNKNOWN",
        "cancer": {"primary": "breast"},
        "lesions": [
            {
                "level": "T7",
                "pain": "none",
                "bone_lesion": "blastic",
                "alignment": "normal",
                "collapse": "none",
                "posterolateral": "none",
                "escc": "0",
            }
        ],
        "neurology": dict.fromkeys(NEUROLOGY_FIELDS, "unknown"),
        "pain": {"nrs": 0, "night_pain": False, "controlled": True},
    }
    triage = report(data)["triage"]
    assert (triage["tier"], triage["provisional"]) == ("emergency", True)
    assert "neurology.deficit" in [n["path"] for n in triage["needs"]]
    # the same case with neurology recorded as normal is routine: the control discriminates
    data["neurology"] = {
        "frankel": "E",
        "ambulatory": "independent",
        "deficit": "none",
        "myelopathy": False,
        "radiculopathy": False,
        "sphincter_dysfunction": False,
    }
    assert report(data)["triage"]["tier"] == "routine"


@API_EXAMPLES
@given(case_dicts(), st.sampled_from(("absent", "unknown")))
@example(
    {"schema_version": 1, "case_id": "PAIN", "pain": {"nrs": 3, "controlled": False}}, "absent"
)
@example(
    {
        "schema_version": 1,
        "case_id": "SINS",
        "lesions": [
            {
                "level": "T12",
                "pain": "mechanical",
                "bone_lesion": "lytic",
                "alignment": "subluxation",
                "collapse": "gt50",
                "posterolateral": "bilateral",
            }
        ],
    },
    "unknown",
)
def test_unknown_neurology_never_reports_a_tier_below_emergency(
    data: dict[str, Any], how: str
) -> None:
    """With neurology unrecorded an emergency (NG234: neurological symptoms or signs) cannot be
    excluded; a definite lower tier ("soon" for uncontrolled pain, say) would under-triage. The
    report must give emergency (provisional while it is not certain) and ask for the findings."""
    rep = valid_or_none(_without_neurology(data, how))
    if rep is None:
        return
    triage = rep["triage"]
    assert triage["tier"] == "emergency", (triage["tier"], triage["reasons"][:2])
    if triage["provisional"]:
        assert any(n["path"] and n["path"].startswith("neurology.") for n in triage["needs"])


# --- HAZ-009 opioid advice to an opioid-naive patient ----------------------------------------

PAINFUL: dict[str, Any] = {"nrs": 8, "controlled": False, "current_step": 1}


def test_opioid_naive_avoids_transdermal_fentanyl() -> None:
    def case(status: str) -> dict[str, Any]:
        pain = {**PAINFUL, "opioid_status": status}
        return {"schema_version": 1, "case_id": "NAIVE", "pain": pain}

    assert "transdermal_fentanyl" in avoided(report(case("naive")))
    # an opioid-tolerant patient may be offered it: the control is specific
    assert "transdermal_fentanyl" not in avoided(report(case("tolerant")))


@API_EXAMPLES
@given(case_dicts())
def test_transdermal_fentanyl_avoided_unless_opioid_tolerant(data: dict[str, Any]) -> None:
    """Unknown opioid status is not tolerance (§11.4: tolerant is a defined state)."""
    rep = valid_or_none(data)
    if rep is None or analgesia(rep) is None:
        return
    if (data.get("pain") or {}).get("opioid_status") != "tolerant":
        assert "transdermal_fentanyl" in avoided(rep)


# --- HAZ-010 NSAID with anticoagulant or renal impairment ------------------------------------

SAFE_FOR_NSAID = {"anticoagulant": False, "antiplatelet": False, "gi_bleed_history": False}


@pytest.mark.parametrize(
    ("comorbidities", "egfr"),
    [
        ({**SAFE_FOR_NSAID, "anticoagulant": True}, 90),
        ({**SAFE_FOR_NSAID, "antiplatelet": True}, 90),
        ({**SAFE_FOR_NSAID, "gi_bleed_history": True}, 90),
        (SAFE_FOR_NSAID, 29),
        (SAFE_FOR_NSAID, 29.9),
        (SAFE_FOR_NSAID, 0),
        (SAFE_FOR_NSAID, "unknown"),
        ({**SAFE_FOR_NSAID, "anticoagulant": "unknown"}, 90),
    ],
    ids=[
        "anticoagulant",
        "antiplatelet",
        "gi_bleed",
        "egfr_29",
        "egfr_29.9",
        "egfr_0",
        "egfr_unknown",
        "anticoagulant_unknown",
    ],
)
def test_nsaid_avoided(comorbidities: dict[str, Any], egfr: Any) -> None:
    data = {
        "schema_version": 1,
        "case_id": "NSAID",
        "pain": PAINFUL,
        "comorbidities": comorbidities,
        "labs": {"egfr": egfr},
    }
    assert "nsaid" in avoided(report(data))


def test_nsaid_not_avoided_when_every_risk_is_recorded_absent() -> None:
    """eGFR exactly 30 is not < 30 (§11.4): the renal control has the right boundary."""
    data = {
        "schema_version": 1,
        "case_id": "NSAID-OK",
        "pain": PAINFUL,
        "comorbidities": SAFE_FOR_NSAID,
        "labs": {"egfr": 30},
    }
    assert "nsaid" not in avoided(report(data))


@API_EXAMPLES
@given(case_dicts())
def test_nsaid_avoided_whenever_a_risk_cannot_be_excluded(data: dict[str, Any]) -> None:
    rep = valid_or_none(data)
    if rep is None or analgesia(rep) is None:
        return
    co = data.get("comorbidities") or {}
    egfr = (data.get("labs") or {}).get("egfr")
    renal_ok = isinstance(egfr, (int, float)) and not isinstance(egfr, bool) and egfr >= 30
    # recorded absent: false, or a plain "no" in any letter case (case format 1.1)
    all_absent = all(
        co.get(k) is False or (isinstance(co.get(k), str) and co[k].lower() == "no")
        for k in ("anticoagulant", "antiplatelet", "gi_bleed_history")
    )
    if not (renal_ok and all_absent):
        assert "nsaid" in avoided(rep)


# --- HAZ-003 albumin unit error ---------------------------------------------------------------


def _albumin_case(albumin: Any) -> dict[str, Any]:
    return {"schema_version": 1, "case_id": "ALB", "labs": {"albumin": albumin}}


@pytest.mark.parametrize("bare", [3.8, 38, "3.8", "38"])
def test_albumin_without_unit_is_rejected(bare: Any) -> None:
    with pytest.raises(CaseError) as info:
        load(_albumin_case(bare))
    assert any(issue.path == "labs.albumin" for issue in info.value.issues)


@pytest.mark.parametrize(("value", "hint"), [("38 g/dL", "38 g/L"), ("3.8 g/L", "3.8 g/dL")])
def test_albumin_in_the_wrong_unit_is_rejected_with_a_hint(value: str, hint: str) -> None:
    with pytest.raises(CaseError) as info:
        load(_albumin_case(value))
    messages = " ".join(i.message for i in info.value.issues if i.path == "labs.albumin")
    assert "implausible" in messages and hint in messages


@pytest.mark.parametrize(
    ("g_dl", "g_l", "point"),
    [
        ("3.5 g/dL", "35 g/L", 1),
        ("3.4 g/dL", "34 g/L", 0),
        ("4.2 g/dL", "42 g/L", 1),
        ("2.0 g/dL", "20 g/L", 0),
    ],
)
def test_albumin_threshold_is_the_same_in_both_units(g_dl: str, g_l: str, point: int) -> None:
    """NESMS albumin item: >= 3.5 g/dL (35 g/L) scores 1 (§5.5)."""
    points = []
    for value in (g_dl, g_l):
        nesms = report(_albumin_case(value))["scores"]["nesms"]
        points.append({c["name"]: c["points"] for c in nesms["components"]}["serum_albumin"])
    assert points == [point, point]


# --- HAZ-004 wrong histology: radiosensitivity or primary-site mapping ------------------------

# case-format.md, "Decisions where sources conflict (v1)", Radiosensitivity; "lung" (type not
# given) is unknown because small-cell lung cancer is intermediate (rules/radiosensitivity.yaml).
SENSITIVE = {"lymphoma", "myeloma", "leukemia", "germ_cell"}
INTERMEDIATE = {"breast", "prostate", "lung_sclc", "ovarian", "neuroendocrine"}
UNKNOWN = {"unknown_primary", "other", "lung"}


def _expected_radiosensitivity(primary: str) -> str | None:
    if primary in SENSITIVE:
        return "sensitive"
    if primary in INTERMEDIATE:
        return "intermediate"
    return None if primary in UNKNOWN else "resistant"


@pytest.mark.parametrize("primary", (*PRIMARY, "renal"))
def test_every_primary_has_the_documented_radiosensitivity(primary: str) -> None:
    from spinemets.rules.engine import radiosensitivity

    loaded = load({"schema_version": 1, "case_id": "RS", "cancer": {"primary": primary}})
    cls, _, needs = radiosensitivity(api.load_rules(), loaded.case)
    assert cls == _expected_radiosensitivity("kidney" if primary == "renal" else primary)
    assert (cls is None) == bool(needs)


RS_CASE = {
    "schema_version": 1,
    "case_id": "HIST",
    "cancer": {"primary": "kidney"},
    "lesions": [
        {
            "level": "T7",
            "escc": "2",
            "pain": "none",
            "bone_lesion": "lytic",
            "alignment": "normal",
            "collapse": "none",
            "posterolateral": "none",
        }
    ],
    "neurology": {
        "frankel": "E",
        "ambulatory": "independent",
        "deficit": "none",
        "myelopathy": False,
        "radiculopathy": False,
        "sphincter_dysfunction": False,
    },
}


def _clinical_part(rep: dict[str, Any]) -> str:
    rep = {k: v for k, v in rep.items() if k not in ("provenance", "case", "cancer", "patient")}
    return json.dumps(rep, sort_keys=True)


@pytest.mark.parametrize(
    "histology",
    [
        "diffuse large B-cell lymphoma",
        "multiple myeloma",
        "seminoma (germ cell)",
        "<b>lymphoma</b>",
    ],
)
def test_free_text_histology_never_changes_scores_or_options(histology: str) -> None:
    """Only the coded primary drives the mapping; histology text is shown, never parsed."""
    plain = report(
        {**RS_CASE, "cancer": {"primary": "kidney", "histology": "clear cell renal cell carcinoma"}}
    )
    other = report({**RS_CASE, "cancer": {"primary": "kidney", "histology": histology}})
    assert _clinical_part(plain) == _clinical_part(other)
    cebrt = [o for o in other["options"] if o["id"] == "cebrt"]
    assert cebrt and cebrt[0]["strength"] != "recommended"  # resistant: cEBRT is not first-line


def test_radiosensitivity_override_needs_a_reason() -> None:
    with pytest.raises(CaseError) as info:
        load(
            {
                "schema_version": 1,
                "case_id": "OVR",
                "cancer": {"primary": "kidney", "radiosensitivity": "sensitive"},
            }
        )
    assert any("radiosensitivity_reason" in issue.message for issue in info.value.issues)


def test_primary_typo_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(
        "schema_version: 1\ncase_id: T\ncancer:\n  primary: lymphona\n", encoding="utf-8"
    )
    result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == b""
    assert "did you mean 'lymphoma'" in result.stderr.decode()


# --- HAZ-002 missing component scored as zero -------------------------------------------------


@API_EXAMPLES
@given(case_dicts())
def test_unknown_inputs_never_complete_a_score(data: dict[str, Any]) -> None:
    rep = valid_or_none(data)
    if rep is None:
        return
    scores = list(rep["scores"].values()) + [
        s for lesion in rep["lesions"] for s in lesion["scores"].values()
    ]
    for score in scores:
        if score["status"] == "complete":
            assert score["total"] is not None or score["category"] is not None, score["id"]
            if score["total"] is not None:
                assert score["range"] == [score["total"], score["total"]]
            if score["missing"]:  # settled although not recorded: said so, never silent
                assert score["range"][0] == score["range"][1], score["id"]
                assert any("cannot change the total" in n for n in score["notes"]), score["id"]
        else:
            assert score["total"] is None, score["id"]
            assert score["missing"], score["id"]
        if score["status"] == "partial":
            low, high = score["range"]
            assert low < high, score["id"]  # an unknown item widens the range


def test_an_empty_case_has_no_complete_score() -> None:
    rep = report({"schema_version": 1, "case_id": "EMPTY", "lesions": [{"level": "T7"}]})
    scores = list(rep["scores"].values()) + list(rep["lesions"][0]["scores"].values())
    assert scores and all(s["status"] != "complete" for s in scores)
    assert all(s["total"] is None for s in scores)


# --- HAZ-005 stale guideline content / HAZ-016 automation bias / HAZ-017 site rules ----------


def test_every_recommendation_carries_its_basis_and_versions() -> None:
    rep = report(RS_CASE)
    assert rep["tool"]["name"] == "spinemets" and rep["tool"]["version"]
    assert re.fullmatch(r"[0-9a-f]{64}", rep["provenance"]["rules_sha256"])
    assert re.fullmatch(r"[0-9a-f]{64}", rep["provenance"]["input_sha256"])
    assert rep["options"]
    for option in rep["options"]:
        assert option["basis"], option["id"]
        assert all(b["rule"] and b["citation"] for b in option["basis"]), option["id"]
    for score in list(rep["scores"].values()) + list(rep["lesions"][0]["scores"].values()):
        assert re.search(r"@\d+$", score["version"]), score["id"]
        assert score["citation"], score["id"]
    if rep["triage"]["tier"] is not None:
        assert rep["triage"]["basis"]


INTENDED_USE_WORDS = re.compile(r"not\s+a\s+directive", re.IGNORECASE)


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json", "fhir"])
def test_intended_use_statement_in_every_format(fmt: str) -> None:
    """FDA CDS criterion 4 / automation bias (§13.1): options for a clinician, not a directive."""
    text = api.render(api.assess(load(RS_CASE)), fmt)
    assert INTENDED_USE_WORDS.search(text), fmt


def test_intended_use_statement_on_the_board(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(to_yaml(RS_CASE), encoding="utf-8")
    for fmt in ("markdown", "html"):
        out = tmp_path / f"board.{fmt}"
        result = run_cli("board", case, "--format", fmt, "--output", out, cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        assert INTENDED_USE_WORDS.search(out.read_text(encoding="utf-8")), fmt


def test_site_rules_are_identified_in_every_report(tmp_path: Path) -> None:
    """A site's edited policy is visible: a different digest and the rules' source."""
    case = tmp_path / "case.yaml"
    case.write_text(to_yaml(RS_CASE), encoding="utf-8")
    bundled = run_cli("evaluate", case, "--format", "json", cwd=tmp_path)
    assert bundled.returncode == 0, bundled.stderr.decode()
    site = tmp_path / "site-rules"
    shutil.copytree(ROOT / "spinemets" / "data" / "rules", site)
    same = run_cli("evaluate", case, "--format", "json", "--rules", site, cwd=tmp_path)
    params = site / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "\n# site edit\n", encoding="utf-8")
    edited = run_cli("evaluate", case, "--format", "json", "--rules", site, cwd=tmp_path)
    reports = [json.loads(r.stdout) for r in (bundled, same, edited)]
    prov = [r["provenance"] for r in reports]
    assert prov[0]["rules_source"] == "bundled"
    assert prov[1]["rules_source"] != "bundled" and prov[2]["rules_source"] != "bundled"
    assert prov[2]["rules_sha256"] != prov[1]["rules_sha256"], (
        "an edited rules file must change the digest"
    )
    check = run_cli("rules", "check", site, cwd=tmp_path)
    assert prov[2]["rules_sha256"] in check.stdout.decode()


# --- HAZ-019 a misspelt field silently ignored ------------------------------------------------


def test_misspelt_field_is_an_error_not_an_unknown(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(
        "schema_version: 1\ncase_id: T\nlesions:\n  - level: T12\n    pian: mechanical\n",
        encoding="utf-8",
    )
    result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == b""
    errors = list(ERROR_LINE.finditer(result.stderr.decode()))
    assert [(m["line"], m["col"]) for m in errors] == [("5", "5")]
    assert "did you mean 'pain'" in errors[0]["message"]
