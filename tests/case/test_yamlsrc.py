"""The safe YAML parser (spinemets/yamlsrc.py): typing of plain scalars, positions, source map,
tags, anchors and limits, independent of the case model."""

from __future__ import annotations

from typing import Any

import pytest

from spinemets.yamlsrc import (
    MAX_BYTES,
    ParseResult,
    PlainYesNo,
    SourceMap,
    Span,
    format_path,
    parse_bytes,
    parse_text,
    plain_yes_no_paths,
)


def value_of(scalar: str) -> tuple[Any, list[str]]:
    result = parse_text(f"v: {scalar}\n", "t.yaml")
    assert result.data is not None
    return result.data["v"], [i.code for i in result.issues]


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        ("0", 0), ("42", 42), ("-7", -7), ("+3", 3),
        ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("1.", 1.0), ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        ("true", True), ("True", True), ("TRUE", True),
        ("false", False), ("False", False), ("FALSE", False),
        ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
        ("T12", "T12"), ("3.8 g/dL", "3.8 g/dL"), ("1c", "1c"), ("2023-05-10", "2023-05-10"),
        ("'0100'", "0100"), ('"yes"', "yes"), ("'1:20'", "1:20"), ("'.nan'", ".nan"),
        ("'true'", "true"), ("'42'", "42"), ("'~'", "~"),
        ("!!str 42", "42"), ("!!int 42", 42), ("!!float 1", 1.0), ("!!bool true", True),
        ("!!null null", None),
    ],
)  # fmt: skip
def test_scalar_typing(scalar: str, expected: Any) -> None:
    value, codes = value_of(scalar)
    assert codes == []
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("scalar", "code"),
    [
        ("yes", "yaml11_bool"), ("No", "yaml11_bool"),
        ("ON", "yaml11_bool"), ("off", "yaml11_bool"),
        ("0100", "yaml11_number"), ("0o14", "yaml11_number"), ("0x1F", "yaml11_number"),
        ("0b101", "yaml11_number"), ("1:20", "yaml11_number"), ("1_000", "yaml11_number"),
        (".nan", "nan_inf"), (".inf", "nan_inf"), ("-.Inf", "nan_inf"),
        ("1e400", "number_range"), ("1" * 40, "number_range"),
        ("!!int abc", "tag"), ("!!bool yes", "yaml11_bool"), ("!!float x", "tag"),
        ("!!python/none ''", "tag"), ("!foo bar", "tag"),
    ],
)  # fmt: skip
def test_scalar_surprises_are_errors_with_no_value(scalar: str, code: str) -> None:
    value, codes = value_of(scalar)
    assert value is None
    assert code in codes


@pytest.mark.parametrize("token", ["yes", "no", "Yes", "NO", "yEs"])
def test_plain_yes_no_can_be_handed_on_as_marked_text(token: str) -> None:
    result = parse_text(f"v: {token}\nq: '{token}'\nl: [{token}]\n", "t.yaml", defer_yes_no=True)
    assert result.issues == []
    assert result.data is not None
    assert result.data["v"] == token and isinstance(result.data["v"], PlainYesNo)
    assert result.data["q"] == token and not isinstance(result.data["q"], PlainYesNo)
    assert plain_yes_no_paths(result.data) == [(("v",), token), (("l", 0), token)]
    assert value_of(token) == (None, ["yaml11_bool"])  # without the option: an error, as before


@pytest.mark.parametrize("scalar", ["on", "OFF", "y", "N", "!!bool yes", "!!bool No"])
def test_other_yaml11_booleans_stay_errors_when_yes_no_is_handed_on(scalar: str) -> None:
    result = parse_text(f"v: {scalar}\n", "t.yaml", defer_yes_no=True)
    assert result.data == {"v": None}
    [issue] = result.issues
    assert issue.code == "yaml11_bool"
    assert "YAML 1.1 reads it as a boolean" in issue.message


def test_positions_of_keys_and_values() -> None:
    text = "a: 1\nb:\n  c: [x, {d: y}]\n  e:\n    - f: 2\n"
    result = parse_text(text, "p.yaml")
    src = result.source
    assert src.keys[("a",)] == Span(1, 1)
    assert src.values[("a",)] == Span(1, 4)
    assert src.keys[("b", "c")] == Span(3, 3)
    assert src.values[("b", "c")] == Span(3, 6)
    assert src.values[("b", "c", 0)] == Span(3, 7)
    assert src.keys[("b", "c", 1, "d")] == Span(3, 11)
    assert src.values[("b", "c", 1, "d")] == Span(3, 14)
    assert src.values[("b", "e", 0, "f")] == Span(5, 10)


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    src = parse_text("a:\n  b: 1\n", "p.yaml").source
    assert src.locate(("a", "b", "missing")) == Span(2, 6)
    assert src.locate(("a", "zz"), key=True) == Span(2, 3)  # the mapping under a
    assert src.locate(("nothing",)) == Span(1, 1)


def test_issue_helper_formats_the_path() -> None:
    src = parse_text("lesions:\n  - pain: x\n", "p.yaml").source
    issue = src.issue(("lesions", 0, "pain"), "bad", code="c")
    assert (issue.line, issue.col, issue.path, issue.code) == (2, 11, "lesions[0].pain", "c")
    assert issue.parsable() == "p.yaml:2:11: error: bad [lesions[0].pain]"


@pytest.mark.parametrize(
    ("path", "text"),
    [((), ""), (("a",), "a"), (("lesions", 0, "escc"), "lesions[0].escc"), ((0, 1), "[0][1]")],
)
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


def test_small_aliases_are_expanded() -> None:
    result = parse_text("a: &x {k: 1}\nb: *x\nc: &s text\nd: *s\n", "p.yaml")
    assert result.issues == []
    assert result.data == {"a": {"k": 1}, "b": {"k": 1}, "c": "text", "d": "text"}


def test_duplicate_key_keeps_the_first_value_and_reports_the_second() -> None:
    result = parse_text("a: 1\nb: 2\na: 3\n", "p.yaml")
    assert result.data == {"a": 1, "b": 2}
    [issue] = result.issues
    assert (issue.line, issue.col, issue.code) == (3, 1, "duplicate_key")


def test_keys_are_always_text() -> None:
    result = parse_text("1: a\ntrue: b\nnull: c\n", "p.yaml")
    assert result.data == {"1": "a", "true": "b", "null": "c"}


def test_complex_keys_are_refused() -> None:
    result = parse_text("? [a, b]\n: c\n", "p.yaml")
    assert result.data is None
    assert [i.code for i in result.issues] == ["complex_key"]


def test_bom_is_stripped_and_crlf_accepted() -> None:
    result = parse_bytes(b"\xef\xbb\xbfa: 1\r\nb: x\r\n", "p.yaml")
    assert (result.data, result.issues) == ({"a": 1, "b": "x"}, [])
    assert result.source.values[("b",)] == Span(2, 4)


def test_size_limit_is_checked_before_decoding() -> None:
    result = parse_bytes(b"\xff" * (MAX_BYTES + 1), "p.yaml")
    assert [i.code for i in result.issues] == ["too_large"]


def test_invalid_utf8_position_in_a_later_line() -> None:
    result: ParseResult = parse_bytes(b"a: 1\nbb: \xc0\n", "p.yaml")
    [issue] = result.issues
    assert (issue.line, issue.col, issue.code) == (2, 5, "encoding")


def test_syntax_error_at_end_of_input_points_at_the_last_line() -> None:
    for text in ("a: [\n", "a: [", "a: {b: 1\n\n"):
        [issue] = parse_text(text, "p.yaml").issues
        assert issue.code == "syntax"
        assert 1 <= issue.line <= len(text.splitlines()), (text, issue)


def test_source_map_file_name() -> None:
    assert SourceMap("x.yaml").issue((), "m").file == "x.yaml"
