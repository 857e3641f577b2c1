"""The case loader: every rejection class of case loading, each issue at the offending token.

Positions are checked against an independent oracle: ``at(text, token)`` finds the token in
the source text, so a test states *which token* is wrong, not numbers copied from the loader.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from spinemets.case.loader import (
    LoadedCase,
    load_case_bytes,
    load_case_file,
    read_case_bytes,
    yes_no_issues,
)
from spinemets.errors import CaseError, Issue
from spinemets.yamlsrc import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_text, plain_yes_no_paths

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 1, 1)
HEAD = "schema_version: 1\ncase_id: TB-1\n"


def at(text: str, token: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``nth`` occurrence of ``token`` in ``text``."""
    offset = -1
    for _ in range(nth):
        offset = text.index(token, offset + 1)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def last(text: str, token: str) -> tuple[int, int]:
    """Like :func:`at`, for the last occurrence (a value at the end of the text)."""
    offset = text.rindex(token)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load(text: str | bytes, today: date = TODAY) -> LoadedCase:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_case_bytes(raw, "case.yaml", today=today)


def issues(text: str | bytes, today: date = TODAY) -> list[Issue]:
    with pytest.raises(CaseError) as info:
        load(text, today)
    assert info.value.issues, "a CaseError always carries issues"
    return info.value.issues


def only(text: str | bytes, today: date = TODAY) -> Issue:
    found = issues(text, today)
    assert len(found) == 1, [i.parsable() for i in found]
    return found[0]


def where(issue: Issue) -> tuple[int, int]:
    return issue.line, issue.col


# --- the wrong-input fixture: many errors at once, expected issues as data ---


def test_wrong_input_fixture_reports_every_issue_exactly() -> None:
    expected = yaml.safe_load((FIXTURES / "wrong_input.expected.yaml").read_text("utf-8"))
    with pytest.raises(CaseError) as info:
        load_case_file(FIXTURES / "wrong_input.yaml", today=TODAY)
    got = info.value.issues
    assert [(i.line, i.col, i.path) for i in got] == [
        (e["line"], e["col"], e["path"]) for e in expected
    ]
    for issue, exp in zip(got, expected, strict=True):
        assert exp["contains"] in issue.message, (issue.parsable(), exp["contains"])
        assert issue.file.endswith("wrong_input.yaml")
        assert issue.severity == "error"


def test_wrong_input_expected_positions_name_the_offending_tokens() -> None:
    """The fixture's expected positions are themselves checked against the source text."""
    lines = (FIXTURES / "wrong_input.yaml").read_text("utf-8").splitlines()
    expected = yaml.safe_load((FIXTURES / "wrong_input.expected.yaml").read_text("utf-8"))
    tokens = {
        "patient.age": "0100",
        "patient.sex": "mal",
        "patient.birht_date": "birht_date",
        "cancer.primary": "brest",
        "lesions[0].pain": "pain: none",
        "lesions[0].collapse": "1:20",
        "lesions[1].level": "Т9",
        "lesions[1].bone_lesion": "!!python",
        "lesions[2].prior_radiation.dose_gy": ".inf",
        "lesions[2].prior_radiation.technique": "imrt",
        "neurology.ambulatory": "on",
        "performance.kps": "75",
        "labs.albumin": "38 g/dL",
        "labs.egfr": "fifty",
        "comorbidities.operable": "maybe",
    }
    for exp in expected:
        token = tokens.get(exp["path"])
        if token is not None:
            line = lines[exp["line"] - 1]
            assert line[exp["col"] - 1 :].startswith(token), (exp, line)


# --- a valid file ---


def test_minimal_case_loads_and_keeps_source_and_raw_bytes() -> None:
    loaded = load(HEAD)
    assert loaded.case.case_id == "TB-1"
    assert loaded.raw == HEAD.encode()
    assert loaded.source.keys[("case_id",)].line == 2


def test_every_issue_is_reported_at_once_not_the_first_only() -> None:
    text = HEAD + "performance:\n  kps: 75\n  ecog: 9\npain:\n  nrs: 12\n"
    assert [i.path for i in issues(text)] == ["performance.kps", "performance.ecog", "pain.nrs"]


# --- duplicate keys ---


def test_duplicate_top_level_key() -> None:
    text = HEAD + "case_id: TB-2\n"
    issue = only(text)
    assert where(issue) == at(text, "case_id", 2)
    assert issue.code == "duplicate_key"
    assert "duplicate key 'case_id' (first defined at line 2)" in issue.message


def test_duplicate_nested_key_in_a_lesion() -> None:
    text = HEAD + "lesions:\n  - level: T4\n    escc: '2'\n    escc: '3'\n"
    issue = only(text)
    assert where(issue) == at(text, "escc", 2)
    assert issue.path == "lesions[0].escc"


def test_duplicate_key_in_flow_mapping() -> None:
    text = HEAD + "performance: {kps: 70, kps: 80}\n"
    assert where(only(text)) == at(text, "kps", 2)


# --- YAML 1.1 surprises ---


@pytest.mark.parametrize("token", ["1:20", "190:20:30", "-1:30"])
def test_sexagesimal_is_an_error(token: str) -> None:
    text = HEAD + f"performance:\n  kps: {token}\n"
    issue = only(text)
    assert where(issue) == last(text, token)
    assert issue.code == "yaml11_number"
    assert "sexagesimal" in issue.message


@pytest.mark.parametrize("token", ["0100", "07", "0o17", "0x1F", "-012"])
def test_leading_zero_and_other_bases_are_errors(token: str) -> None:
    text = HEAD + f"patient:\n  age: {token}\n"
    issue = only(text)
    assert where(issue) == last(text, token)
    assert issue.code == "yaml11_number"


def test_quoted_leading_zero_is_text() -> None:
    assert load(HEAD + "patient:\n  mrn: '0100'\n").case.patient.mrn == "0100"


@pytest.mark.parametrize("token", ["on", "off", "On", "OFF", "y", "n", "Y", "N"])
def test_yaml11_booleans_other_than_yes_no_are_errors_even_in_boolean_fields(token: str) -> None:
    text = HEAD + f"neurology:\n  myelopathy: {token}\n"
    issue = only(text)
    assert where(issue) == last(text, token)
    assert issue.code == "yaml11_bool"
    assert f"'{token}' is ambiguous (YAML 1.1 reads it as a boolean)" in issue.message


YES_NO = ["yes", "no", "Yes", "NO", "yES"]
NOT_BOOLEAN = [
    ("cancer:\n  histology: {}\n", "cancer.histology"),  # text
    ("patient:\n  sex: {}\n", "patient.sex"),  # coded
    ("performance:\n  kps: {}\n", "performance.kps"),  # number
    ("lesions:\n  - level: {}\n", "lesions[0].level"),  # required text
    ("expected:\n  tier: {}\n", "expected.tier"),  # free mapping
]


@pytest.mark.parametrize("token", YES_NO)
@pytest.mark.parametrize(("body", "path"), NOT_BOOLEAN, ids=[p for _, p in NOT_BOOLEAN])
def test_plain_yes_no_outside_boolean_fields_is_the_yaml11_error(
    token: str, body: str, path: str
) -> None:
    text = HEAD + body.format(token)
    issue = only(text)
    assert (issue.code, issue.path) == ("yaml11_bool", path)
    assert where(issue) == last(text, token)
    assert issue.message == (
        f"'{token}' is ambiguous (YAML 1.1 reads it as a boolean); "
        "write true or false, or quote it as text"
    )


@pytest.mark.parametrize("token", YES_NO)
def test_quoted_yes_no_outside_boolean_fields_is_text(token: str) -> None:
    assert load(HEAD + f"cancer:\n  histology: '{token}'\n").case.cancer.histology == token


@pytest.mark.parametrize(("token", "value"), [("yes", True), ("no", False)])
def test_plain_yes_no_reaches_a_boolean_field_that_accepts_it(token: str, value: bool) -> None:
    # comorbidities.operable takes yes/no as true/false; the parser hands the plain word on.
    assert load(HEAD + f"comorbidities:\n  operable: {token}\n").case.comorbidities.operable is (
        value
    )


def test_plain_yes_no_in_an_unknown_field_reports_both_problems() -> None:
    text = HEAD + "neurology:\n  myelopathyy: yes\n"
    found = issues(text)
    assert sorted(i.code for i in found) == ["extra_forbidden", "yaml11_bool"]
    assert all(i.path == "neurology.myelopathyy" for i in found)


def test_plain_yes_no_refused_by_a_boolean_field_is_the_yaml11_error() -> None:
    """Whatever a boolean field refuses of a plain yes/no is reported as the YAML 1.1 error,
    at the value, in place of the model's own wording; other model issues stay."""
    text = HEAD + "neurology:\n  myelopathy: Yes\n  ambulatory: walking\n"
    parsed = parse_text(text, "case.yaml", defer_yes_no=True)
    assert parsed.data is not None
    refused = Issue("case.yaml", 4, 15, "neurology.myelopathy", "not a boolean", code="bool_type")
    other = Issue("case.yaml", 5, 15, "neurology.ambulatory", "bad", code="enum")
    found = yes_no_issues(plain_yes_no_paths(parsed.data), parsed.source, [refused, other])
    assert [(i.code, i.path) for i in found] == [
        ("yaml11_bool", "neurology.myelopathy"),
        ("enum", "neurology.ambulatory"),
    ]
    assert where(found[0]) == last(text, "Yes")
    # accepted by the boolean field: nothing to report
    assert yes_no_issues(plain_yes_no_paths(parsed.data), parsed.source, []) == []


@pytest.mark.parametrize("token", [".nan", ".NaN", ".inf", "-.inf", "+.INF", ".Inf"])
def test_nan_and_infinity_are_errors(token: str) -> None:
    text = HEAD + f"labs:\n  egfr: {token}\n"
    issue = only(text)
    assert where(issue) == last(text, token)
    assert issue.code == "nan_inf"


@pytest.mark.parametrize("token", ["1e999", "-1e400", "9" * 40])
def test_numbers_too_large_are_errors_not_crashes(token: str) -> None:
    text = HEAD + f"labs:\n  egfr: {token}\n"
    issue = only(text)
    assert where(issue) == last(text, token)
    assert issue.code == "number_range"


@pytest.mark.parametrize("token", ["1_000", "1__0"])
def test_digit_separators_are_errors(token: str) -> None:
    text = HEAD + f"disease:\n  extraspinal_bone_metastases: {token}\n"
    assert where(only(text)) == last(text, token)


def test_true_false_null_and_decimals_are_the_only_typed_plain_scalars() -> None:
    text = HEAD + (
        "neurology:\n  myelopathy: true\n  radiculopathy: False\n  motor_deficit_days: ~\n"
        "labs:\n  egfr: 55.5\n"
    )
    case = load(text).case
    assert case.neurology.myelopathy is True
    assert case.neurology.radiculopathy is False
    assert case.neurology.motor_deficit_days is None
    assert case.labs.egfr == 55.5


# --- tags construct nothing ---


def test_python_object_tag_constructs_nothing(tmp_path: Path) -> None:
    target = tmp_path / "constructed"
    payload = f'!!python/object/apply:os.mkdir ["{target}"]'
    text = HEAD + f"cancer:\n  histology: {payload}\n"
    issue = only(text)
    assert where(issue) == at(text, "!!python")
    assert issue.code == "tag"
    assert "!!python/object/apply:os.mkdir is not allowed" in issue.message
    assert not target.exists()
    # Control: the same payload is live under an unsafe loader, so the test above can fail.
    control = tmp_path / "control"
    yaml.unsafe_load(f'x: !!python/object/apply:os.mkdir ["{control}"]')
    assert control.is_dir()


@pytest.mark.parametrize(
    "tag",
    ["!!python/name:os.system", "!!python/object:builtins.dict", "!custom", "!!binary", "!!set"],
)
def test_non_standard_tags_are_errors(tag: str) -> None:
    text = HEAD + f"cancer:\n  histology: {tag} x\n"
    issue = only(text)
    assert where(issue) == at(text, tag)
    assert issue.code == "tag"


def test_standard_str_tag_is_allowed() -> None:
    assert load(HEAD + "cancer:\n  histology: !!str 0100\n").case.cancer.histology == "0100"


# --- document shape ---


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- a\n- b\n", "a list"), ("just text\n", "a str value"), ("42\n", "a int value")],
)
def test_non_mapping_root(text: str, kind: str) -> None:
    issue = only(text)
    assert (issue.line, issue.col, issue.code) == (1, 1, "root")
    assert f"the document is {kind}" in issue.message


@pytest.mark.parametrize("text", ["", "# only a comment\n", "~\n", "---\n...\n"])
def test_empty_document(text: str) -> None:
    issue = only(text)
    assert (issue.line, issue.col, issue.code) == (1, 1, "empty")


@pytest.mark.parametrize(
    "text", [HEAD + "---\ncase_id: B\n", "---\n" + HEAD + "---\n", HEAD + "...\n---\na: 1\n"]
)
def test_multiple_documents(text: str) -> None:
    issue = only(text)
    assert where(issue) == at(text, "---", text.count("---"))
    assert issue.code == "multi_document"


# --- limits ---


def test_bytes_over_one_mib_are_refused() -> None:
    raw = (HEAD + "cancer:\n  histology: " + "x" * MAX_BYTES + "\n").encode()
    issue = only(raw)
    assert (issue.line, issue.col, issue.code) == (1, 1, "too_large")
    assert "1 MiB" in issue.message


def test_exactly_one_mib_is_not_refused_for_size() -> None:
    body = HEAD + "cancer:\n  histology: "
    raw = (body + "x" * (MAX_BYTES - len(body) - 1) + "\n").encode()
    assert len(raw) == MAX_BYTES
    assert load(raw).case.cancer.histology is not None


def test_file_over_one_mib_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:  # sparse: the size is there, the bytes are not written
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(CaseError) as info:
        load_case_file(path, today=TODAY)
    assert [(i.code, i.line, i.col) for i in info.value.issues] == [("too_large", 1, 1)]


def _nested(depth: int) -> str:
    """A block mapping ``x`` holding ``depth - 1`` nested mappings below the root."""
    lines = [HEAD.rstrip("\n"), "x:"]
    lines += ["  " * i + "k:" for i in range(1, depth - 1)]
    lines.append("  " * (depth - 1) + "k: 1")
    return "\n".join(lines) + "\n"


def test_nesting_deeper_than_the_limit_is_refused_at_the_first_too_deep_node() -> None:
    text = _nested(MAX_DEPTH + 1)
    found = issues(text)
    assert [i.code for i in found] == ["too_deep"]
    # the root mapping is level 1; the mapping that would be level 33 starts on this line:
    line = MAX_DEPTH + 2 + 1
    assert found[0].line == line
    assert f"deeper than {MAX_DEPTH}" in found[0].message


def test_nesting_at_the_limit_is_parsed() -> None:
    found = issues(_nested(MAX_DEPTH))
    assert [i.code for i in found] == ["extra_forbidden"]  # only the unknown key 'x'


def test_alias_bomb_is_bounded() -> None:
    text = HEAD + "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefgh", "abcdefg", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    found = issues(text)
    assert [i.code for i in found] == ["too_many_nodes"]
    assert f"more than {MAX_NODES:,} nodes" in found[0].message
    assert 1 <= found[0].line <= text.count("\n")


def test_recursive_alias_is_an_error() -> None:
    text = HEAD + "x: &a [1, *a]\n"
    issue = only(text)
    assert where(issue) == at(text, "*a")
    assert issue.code == "alias"


def test_undefined_alias_is_an_error() -> None:
    text = HEAD + "x: *nowhere\n"
    issue = only(text)
    assert issue.code == "syntax" or issue.code == "alias"
    assert where(issue) == at(text, "*nowhere")


def test_merge_key_is_an_error() -> None:
    text = HEAD + "base: &b {kps: 70}\nperformance:\n  <<: *b\n"
    found = issues(text)
    assert ("merge_key", at(text, "<<")) in [(i.code, where(i)) for i in found]


# --- encoding ---


def test_invalid_utf8_points_at_the_bad_byte() -> None:
    raw = HEAD.encode() + b"cancer:\n  histology: caf\xe9 au lait\n"
    issue = only(raw)
    assert (issue.line, issue.col) == (4, len("  histology: caf") + 1)
    assert issue.code == "encoding"
    assert "0xe9" in issue.message


def test_nul_byte_is_refused() -> None:
    issue = only(HEAD.encode() + b"x: a\x00b\n")
    assert (issue.line, issue.col, issue.code) == (3, 5, "encoding")


def test_control_character_is_located() -> None:
    text = HEAD + "cancer:\n  histology: a\x07b\n"
    issue = only(text)
    assert where(issue) == at(text, "\x07")
    assert "U+0007" in issue.message


# --- values ---


def test_albumin_without_unit() -> None:
    text = HEAD + "labs:\n  albumin: 3.8\n"
    issue = only(text)
    assert where(issue) == at(text, "3.8")
    assert "albumin 3.8 has no unit" in issue.message
    assert "did you mean '3.8 g/dL'?" in issue.message


@pytest.mark.parametrize(
    ("number", "advice"),
    [
        ("38", "did you mean '38 g/L'?"),
        ("3.5", "did you mean '3.5 g/dL'?"),
        ("6", "'6 g/dL' or '6 g/L'"),
        ("300", "'300 g/dL' or '300 g/L'"),
    ],
)
def test_albumin_without_unit_suggests_the_plausible_unit(number: str, advice: str) -> None:
    # 6 is plausible in both units (0.5-7 g/dL, 5-70 g/L), 300 in neither: both are named.
    issue = only(HEAD + f"labs:\n  albumin: {number}\n")
    assert advice in issue.message


@pytest.mark.parametrize(
    ("given", "hint"),
    [("38 g/dL", "did you mean 38 g/L?"), ("3.8 g/L", "did you mean 3.8 g/dL?")],
)
def test_albumin_in_the_wrong_unit_gets_a_hint(given: str, hint: str) -> None:
    text = HEAD + f"labs:\n  albumin: {given}\n"
    issue = only(text)
    assert where(issue) == at(text, given)
    assert "implausible" in issue.message
    assert hint in issue.message


def test_albumin_implausible_in_both_units_has_no_hint() -> None:
    issue = only(HEAD + "labs:\n  albumin: 900 g/L\n")
    assert "implausible (expected 5-70 g/L)" in issue.message
    assert "did you mean" not in issue.message


@pytest.mark.parametrize("kps", [5, 75, 99, 1])
def test_kps_not_a_multiple_of_ten(kps: int) -> None:
    text = HEAD + f"performance:\n  kps: {kps}\n"
    issue = only(text)
    assert where(issue) == last(text, str(kps))
    assert "multiple of 10" in issue.message
    low = kps // 10 * 10
    assert f"did you mean {low} or {low + 10}?" in issue.message


@pytest.mark.parametrize(
    ("section", "field"),
    [("cancer:\n  diagnosed_on", "cancer.diagnosed_on")],
)
def test_future_date(section: str, field: str) -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    text = HEAD + f"{section}: {tomorrow}\n"
    issue = only(text)
    assert where(issue) == at(text, tomorrow)
    assert issue.path == field
    assert f"{tomorrow} is in the future" in issue.message


def test_today_is_not_in_the_future() -> None:
    text = HEAD + f"cancer:\n  diagnosed_on: {TODAY.isoformat()}\n"
    assert load(text).case.cancer.diagnosed_on == TODAY


def test_future_prior_radiation_date() -> None:
    text = HEAD + "lesions:\n  - level: T4\n    prior_radiation: {dose_gy: 8, date: 2026-01-02}\n"
    issue = only(text)
    assert where(issue) == at(text, "2026-01-02")
    assert issue.path == "lesions[0].prior_radiation.date"


def test_future_birth_date_never_echoes_the_identifier() -> None:
    text = HEAD + "patient:\n  birth_date: 2031-07-19\n"
    issue = only(text)
    assert where(issue) == at(text, "2031-07-19")
    assert "2031" not in issue.message and "07-19" not in issue.message
    assert "birth_date is in the future" in issue.message


@pytest.mark.parametrize("token", ["20230510", "0", "2023-5-1", "10/05/2023", "true"])
def test_dates_must_be_iso_text(token: str) -> None:
    text = HEAD + f"cancer:\n  diagnosed_on: {token}\n"
    issue = only(text)
    assert where(issue) == last(text, token)
    assert "YYYY-MM-DD" in issue.message


def test_invalid_calendar_date() -> None:
    text = HEAD + "cancer:\n  diagnosed_on: 2023-02-30\n"
    assert where(only(text)) == at(text, "2023-02-30")


def test_radiosensitivity_override_needs_a_reason() -> None:
    text = HEAD + "cancer:\n  primary: breast\n  radiosensitivity: sensitive\n"
    issue = only(text)
    assert issue.path == "cancer.radiosensitivity_reason"
    assert where(issue) == at(text, "primary")  # a missing field points at its mapping
    assert "needs radiosensitivity_reason" in issue.message


def test_override_reason_reported_together_with_other_errors() -> None:
    text = HEAD + "cancer:\n  primary: brest\n  radiosensitivity: sensitive\n"
    # the missing reason points at the start of the cancer mapping, before 'brest'
    assert [i.path for i in issues(text)] == ["cancer.radiosensitivity_reason", "cancer.primary"]


# --- unknown keys ---


@pytest.mark.parametrize(
    ("text", "token", "hint"),
    [
        (HEAD + "lesion:\n  - level: T1\n", "lesion", "did you mean 'lesions'?"),
        (HEAD + "performance:\n  kpss: 70\n", "kpss", "did you mean 'kps'?"),
        (HEAD + "lesions:\n  - level: T1\n    escc_grade: '2'\n", "escc_grade", "'escc'?"),
        (HEAD + "neurology:\n  frankle: E\n", "frankle", "did you mean 'frankel'?"),
    ],
)
def test_unknown_key_did_you_mean(text: str, token: str, hint: str) -> None:
    issue = only(text)
    assert where(issue) == last(text, token)
    assert issue.code == "extra_forbidden"
    assert f"unknown field '{token}'" in issue.message
    assert hint in issue.message


def test_unknown_key_without_close_match_lists_what_is_allowed() -> None:
    issue = only(HEAD + "pain:\n  zzz: 1\n")
    assert "allowed here: controlled, current_step, neuropathic, night_pain" in issue.message


def test_unknown_coded_value_did_you_mean() -> None:
    text = HEAD + "cancer:\n  primary: prostrate\n"
    issue = only(text)
    assert where(issue) == at(text, "prostrate")
    assert "did you mean 'prostate'?" in issue.message


def test_missing_required_fields_point_at_the_root() -> None:
    found = issues("patient: {age: 60}\n")
    assert [(i.path, i.line, i.col) for i in found] == [
        ("schema_version", 1, 1),
        ("case_id", 1, 1),
    ]


def test_wrong_schema_version_names_the_allowed_value() -> None:
    text = "schema_version: 2\ncase_id: A\n"
    issue = only(text)
    assert where(issue) == at(text, "2")
    assert "allowed: 1" in issue.message


def test_phi_values_are_never_echoed() -> None:
    text = HEAD + "patient:\n  name: 4242\n  mrn: [998877]\n  birth_date: 1960-13-45\n"
    found = issues(text)
    assert [i.path for i in found] == ["patient.name", "patient.mrn", "patient.birth_date"]
    for issue in found:
        assert "4242" not in issue.message
        assert "998877" not in issue.message
        assert "1960" not in issue.message


# --- reading files ---


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as info:
        load_case_file(tmp_path / "nope.yaml")
    assert info.value.issues[0].message == "file not found"


def test_directory_is_not_a_case_file(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as info:
        read_case_bytes(tmp_path)
    assert "directory" in info.value.issues[0].message


def test_loaded_file_issues_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + "performance: {kps: 75}\n")
    with pytest.raises(CaseError) as info:
        load_case_file(path, today=TODAY)
    assert info.value.issues[0].parsable().startswith(f"{path}:3:")
