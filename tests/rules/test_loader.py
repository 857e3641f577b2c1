"""Loading rules: the bundled policy, located errors in a broken copy, a site override."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from spinemets.case.models import Primary
from spinemets.errors import Issue, RulesError
from spinemets.rules.loader import bundled_rules_dir, load_rules
from spinemets.rules.models import KNOWN_OPTION_IDS, KNOWN_SCORE_IDS, rules_schema_text
from spinemets.scorers import REGISTRY

from .helpers import ROOT, RULES_DIR, case_from, one, run

CASE_FORMAT_OPTION_IDS = {
    "cebrt", "sbrt", "separation_surgery", "decompression", "stabilization",
    "vertebral_augmentation", "urgent_mri", "dexamethasone", "analgesia", "bone_modifying_agent",
    "systemic_therapy_review",
    "rehabilitation", "psychosocial_support", "complementary_therapies", "palliative_care",
}  # fmt: skip


def test_known_score_ids_match_the_registry() -> None:
    assert set(KNOWN_SCORE_IDS) == set(REGISTRY)
    assert {k: v.scope for k, v in REGISTRY.items()} == KNOWN_SCORE_IDS


def test_option_catalog_is_the_report_contract() -> None:
    rules = load_rules(None)
    assert set(KNOWN_OPTION_IDS) >= CASE_FORMAT_OPTION_IDS
    assert [o.id for o in rules.options] == list(KNOWN_OPTION_IDS)


def test_bundled_rules_load_with_digest_and_source() -> None:
    rules = load_rules(None)
    assert rules.source == "bundled"
    h = hashlib.sha256()
    names = sorted(p.name for p in RULES_DIR.glob("*.yaml"))
    for name in names:
        data = (RULES_DIR / name).read_bytes()
        h.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    assert rules.sha256 == h.hexdigest()
    assert rules.files == tuple(names)
    same = load_rules(RULES_DIR)
    assert same.sha256 == rules.sha256 and same.source == str(RULES_DIR)


def test_bundled_resource_is_the_top_level_rules_directory() -> None:
    """The wheel ships rules/ as spinemets/data/rules (a symlink in the source tree)."""
    shipped = {
        e.name: e.read_bytes() for e in bundled_rules_dir().iterdir() if e.name.endswith(".yaml")
    }
    assert shipped == {p.name: p.read_bytes() for p in RULES_DIR.glob("*.yaml")}


def test_rules_schema_file_is_current() -> None:
    shipped = (ROOT / "schemas" / "rules.schema.json").read_text(encoding="utf-8")
    assert shipped == rules_schema_text(), (
        "schemas/rules.schema.json is stale: regenerate from rules_schema_text()"
    )


def test_radiosensitivity_table_maps_every_coded_primary_once() -> None:
    table = load_rules(None).radiosensitivity
    rows = table.sensitive + table.intermediate + table.resistant + table.unknown
    assert sorted(rows) == sorted(p.value for p in Primary)


# --- a broken copy: every problem at file:line:col ------------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> tuple[int, int]:
    """Replace the first ``old`` and return the 1-based line and column where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text[:index] + new + text[index + len(old) :], encoding="utf-8")
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def issues_of(directory: Path) -> list[Issue]:
    with pytest.raises(RulesError) as info:
        load_rules(directory)
    return info.value.issues


def at(issues: list[Issue], file: Path, line: int) -> Issue:
    found = [i for i in issues if i.file == str(file) and i.line == line]
    assert found, [i.parsable() for i in issues]
    return found[0]


def test_unknown_score_id(copy: Path) -> None:
    f = copy / "conditions.yaml"
    line, col = edit(f, "{id: tomita,", "{id: tomitta,")
    issue = at(issues_of(copy), f, line)
    assert "unknown score id 'tomitta'; did you mean 'tomita'?" in issue.message
    assert issue.col == col + len("{id: ")
    assert issue.path == "conditions.poor_score_group.when.any[1].score.id"


def test_unknown_case_path(copy: Path) -> None:
    f = copy / "conditions.yaml"
    line, _ = edit(f, "path: neurology.myelopathy", "path: neurology.myelopaty")
    issue = at(issues_of(copy), f, line)
    assert "unknown case path 'neurology.myelopaty'; did you mean 'myelopathy'?" in issue.message


def test_unknown_option_id(copy: Path) -> None:
    f = copy / "radiation.yaml"
    line, col = edit(f, "option: sbrt\n", "option: sbrtt\n")
    issue = at(issues_of(copy), f, line)
    assert "unknown option id 'sbrtt'; did you mean 'sbrt'?" in issue.message
    assert issue.col == col + len("option: ")


def test_duplicate_rule_id(copy: Path) -> None:
    f = copy / "radiation.yaml"
    line, _ = edit(f, "id: radiation.cebrt.intermediate", "id: radiation.cebrt.radiosensitive")
    issue = at(issues_of(copy), f, line)
    assert "duplicate rule id 'radiation.cebrt.radiosensitive'" in issue.message


def test_bad_yaml(copy: Path) -> None:
    f = copy / "triage.yaml"
    line, _ = edit(f, "  - tier: urgent\n", "  - tier: urgent\n\tbad: tab\n")
    issue = at(issues_of(copy), f, line + 1)
    assert "tab" in issue.message


def test_yaml_11_boolean_is_an_error(copy: Path) -> None:
    f = copy / "parameters.yaml"
    line, col = edit(f, "    value: true\n", "    value: yes\n")
    issue = at(issues_of(copy), f, line)
    assert issue.col == col + len("    value: ")


def test_unknown_condition_key_and_field(copy: Path) -> None:
    f = copy / "conditions.yaml"
    line, _ = edit(f, "- score: {id: tomita,", "- scor: {id: tomita,")
    edit(f, "path: pain.night_pain, eq: true", "path: pain.night_pain, equals: true")
    issues = issues_of(copy)
    assert "unknown condition 'scor'; did you mean 'score'?" in at(issues, f, line).message
    assert any("unknown field 'equals'" in i.message for i in issues), [
        i.parsable() for i in issues
    ]


def test_lesion_facts_outside_a_lesion(copy: Path) -> None:
    f = copy / "triage.yaml"
    line, _ = edit(
        f, "any_lesion: {score: {id: sins, total_gte: 13}}", "score: {id: sins, total_gte: 13}"
    )
    issue = at(issues_of(copy), f, line)
    assert "'sins' is scored per lesion" in issue.message


def test_lesion_ref_in_a_case_rule_is_reported_at_the_use(copy: Path) -> None:
    f = copy / "triage.yaml"
    line, _ = edit(f, "any_lesion: {ref: high_grade_escc}", "ref: high_grade_escc")
    issue = at(issues_of(copy), f, line)
    assert "condition 'high_grade_escc'" in issue.message and "per lesion" in issue.message


def test_value_a_field_can_never_take(copy: Path) -> None:
    f = copy / "conditions.yaml"
    line, _ = edit(f, "in: [stable, progressing]", "in: [stable, progresing]")
    issue = at(issues_of(copy), f, line)
    assert "'progresing'; did you mean 'progressing'?" in issue.message


def test_unknown_parameter_and_condition_refs(copy: Path) -> None:
    f = copy / "conditions.yaml"
    line1, _ = edit(
        f, "{param: surgery_min_survival_months}", "{param: surgery_min_survival_month}"
    )
    g = copy / "radiation.yaml"
    line3, _ = edit(g, "ref: high_grade_escc", "ref: high_grade_esc")
    issues = issues_of(copy)
    assert "unknown parameter 'surgery_min_survival_month'" in at(issues, f, line1).message
    assert (
        "unknown condition 'high_grade_esc'; did you mean 'high_grade_escc'?"
        in at(issues, g, line3).message
    )


def test_condition_cycle(copy: Path) -> None:
    f = copy / "conditions.yaml"
    line, _ = edit(
        f,
        "    when:\n      field: {path: pain.controlled, eq: false}",
        "    when:\n      ref: uncontrolled_pain",
    )
    issue = at(issues_of(copy), f, line + 1)
    assert "refers to itself (uncontrolled_pain -> uncontrolled_pain)" in issue.message


def test_indirect_condition_cycle(copy: Path) -> None:
    f = copy / "conditions.yaml"
    edit(
        f,
        "    when:\n      field: {path: pain.controlled, eq: false}",
        "    when:\n      ref: red_flag_pain",
    )
    edit(f, "- field: {path: pain.controlled, eq: false}", "- ref: uncontrolled_pain")
    issues = issues_of(copy)
    assert any("refers to itself" in i.message for i in issues), [i.parsable() for i in issues]


def test_radiosensitivity_table_gaps_and_typos(copy: Path) -> None:
    f = copy / "radiosensitivity.yaml"
    line, _ = edit(f, "    - melanoma\n", "    - melanomma\n")
    issues = issues_of(copy)
    assert (
        "unknown primary site code 'melanomma'; did you mean 'melanoma'?"
        in at(issues, f, line).message
    )
    assert any("missing: melanoma" in i.message for i in issues)


def test_pain_bands_must_cover_0_to_10(copy: Path) -> None:
    f = copy / "parameters.yaml"
    edit(f, "      nrs_max: 6\n", "      nrs_max: 5\n")
    issues = issues_of(copy)
    assert any("not covered: 6" in i.message for i in issues), [i.parsable() for i in issues]


def test_all_issues_are_reported_together(copy: Path) -> None:
    edit(copy / "conditions.yaml", "{id: tomita,", "{id: tomitta,")
    edit(copy / "radiation.yaml", "option: sbrt\n", "option: sbrtt\n")
    files = {Path(i.file).name for i in issues_of(copy)}
    assert files == {"conditions.yaml", "radiation.yaml"}


def test_missing_section_and_empty_directory(tmp_path: Path, copy: Path) -> None:
    (copy / "triage.yaml").unlink()
    assert any("'triage'" in i.message for i in issues_of(copy))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no rules files" in issues_of(empty)[0].message


# --- a site's own rules: a different outcome and a different digest ------------------------------

RENAL_CASE = {
    "schema_version": 1,
    "case_id": "SITE",
    "cancer": {"primary": "kidney"},
    "performance": {"kps": 80, "ecog": 1},
    "prognosis": {"expected_survival_months": 12},
    "lesions": [
        {
            "level": "T12",
            "pain": "occasional",
            "bone_lesion": "blastic",
            "alignment": "normal",
            "collapse": "none",
            "posterolateral": "none",
            "escc": "1a",
            "posterior_wall_retropulsion": False,
        }
    ],
}


def test_site_radiosensitivity_table_changes_the_outcome_and_digest(copy: Path) -> None:
    edit(copy / "radiosensitivity.yaml", "  sensitive: [lymphoma, myeloma, leukemia, germ_cell]",
         "  sensitive: [lymphoma, myeloma, leukemia, germ_cell, kidney]")  # fmt: skip
    edit(copy / "radiosensitivity.yaml", "    - kidney\n", "")
    bundled, site = load_rules(None), load_rules(copy)
    case = case_from(RENAL_CASE)
    _, before = run(case, bundled)
    _, after = run(case, site)
    assert one(before, "cebrt", "T12").strength == "consider"
    assert one(before, "sbrt", "T12").strength == "recommended"
    assert one(after, "cebrt", "T12").strength == "recommended"
    assert one(after, "sbrt", "T12").strength == "not_indicated"
    assert site.sha256 != bundled.sha256
    assert site.source == str(copy)


def test_site_without_sbrt(copy: Path) -> None:
    edit(
        copy / "parameters.yaml",
        "  sbrt_available:\n    value: true",
        "  sbrt_available:\n    value: false",
    )
    site = load_rules(copy)
    _, options = run(case_from(RENAL_CASE), site)
    sbrt = one(options, "sbrt", "T12")
    assert sbrt.strength == "not_indicated" and sbrt.basis[0].rule == "radiation.sbrt.not_available"
    assert site.sha256 != load_rules(None).sha256
