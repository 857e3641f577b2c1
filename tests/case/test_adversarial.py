"""Adversarial inputs at the loader (safety case, issue 5 part 3).

Each hostile input is rejected with a CaseError whose issues are located and readable, never
another exception, and in bounded time and memory (each test runs in well under a second: the
limits are enforced while streaming, before anything large is built).
"""

from __future__ import annotations

import os
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinemets import yamlsrc
from spinemets.case.loader import LoadedCase, load_case_bytes, load_case_file
from spinemets.errors import CaseError, Issue
from spinemets.yamlsrc import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_text

TODAY = date(2026, 1, 1)
HEAD = b"schema_version: 1\ncase_id: ADV-1\n"


@pytest.fixture(autouse=True, params=["fast-parse", "positions-only"])
def parse_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every adversarial input, with the fast walk tried first and with positions only."""
    mode = str(request.param)
    monkeypatch.setenv(yamlsrc.FAST_PARSE_ENV, "1" if mode == "fast-parse" else "0")
    return mode


def rejected(raw: bytes) -> list[Issue]:
    with pytest.raises(CaseError) as info:
        load_case_bytes(raw, "hostile.yaml", today=TODAY)
    found = info.value.issues
    assert found
    lines = max(1, raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1))
    for issue in found:
        assert issue.file == "hostile.yaml"
        assert 1 <= issue.line <= lines, issue
        assert issue.col >= 1
        assert issue.message and "Traceback" not in issue.message
    return found


def accepted(raw: bytes) -> LoadedCase:
    return load_case_bytes(raw, "ok.yaml", today=TODAY)


# --- alias bombs -----------------------------------------------------------------------------


def billion_laughs(levels: int = 9, fan: int = 10) -> bytes:
    lines = [b'lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        refs = b", ".join([b"*lol%d" % (i - 1)] * fan)
        lines.append(b"lol%d: &lol%d [%s]" % (i, i, refs))
    return HEAD + b"\n".join(lines) + b"\n"


def test_billion_laughs_is_refused_by_node_budget() -> None:
    raw = billion_laughs()  # 10**9 strings if expanded
    assert len(raw) < 2_000
    found = rejected(raw)
    assert [i.code for i in found] == ["too_many_nodes"]
    assert f"{MAX_NODES:,}" in found[0].message


def test_alias_bomb_inside_a_case_field_is_refused() -> None:
    raw = billion_laughs(levels=6) + b"lesions: *lol6\n"
    assert [i.code for i in rejected(raw)] == ["too_many_nodes"]


def test_wide_alias_fan_out_on_one_line_is_refused() -> None:
    raw = HEAD + b"a: &a [" + b"x, " * 500 + b"x]\nb: [" + b"*a, " * 500 + b"*a]\n"
    assert [i.code for i in rejected(raw)] == ["too_many_nodes"]


# --- size ------------------------------------------------------------------------------------


def test_100_mb_file_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(HEAD)
        handle.truncate(100 * 1024 * 1024)  # sparse: no 100 MB is written or read
    with pytest.raises(CaseError) as info:
        load_case_file(path, today=TODAY)
    [issue] = info.value.issues
    assert (issue.code, issue.line, issue.col) == ("too_large", 1, 1)
    assert "104,857,600 bytes" in issue.message


def test_10_mb_string_is_refused() -> None:
    raw = HEAD + b"cancer:\n  histology: " + b"A" * (10 * 1024 * 1024) + b"\n"
    [issue] = rejected(raw)
    assert issue.code == "too_large"


def test_long_string_under_the_limit_loads() -> None:
    raw = HEAD + b"cancer:\n  histology: " + b"A" * (MAX_BYTES // 2) + b"\n"
    assert accepted(raw).case.cancer.histology == "A" * (MAX_BYTES // 2)


# --- deep nesting ----------------------------------------------------------------------------

DEPTH = 10_000


@pytest.mark.parametrize(
    "body",
    [
        b"x: " + b"[" * DEPTH + b"]" * DEPTH + b"\n",
        b"x: " + b"{a: " * DEPTH + b"1" + b"}" * DEPTH + b"\n",
        b"x: " + b"[" * DEPTH + b"\n",  # unterminated as well
    ],
    ids=["flow-seq", "flow-map", "flow-unterminated"],
)
def test_10000_deep_flow_nesting(body: bytes) -> None:
    found = rejected(HEAD + body)
    assert [i.code for i in found] == ["too_deep"]
    assert found[0].line == 3
    # the 33rd collection: the root mapping is the first, x's value the second
    assert found[0].col == len(b"x: ") + (MAX_DEPTH - 1) * (1 if b"[" in body else 4) + 1


def test_10000_deep_block_sequence_nesting() -> None:
    body = b"x:\n" + b"".join(b"  " * i + b"-\n" for i in range(1, 200)) + b"- " * DEPTH + b"a\n"
    found = rejected(HEAD + body)
    assert [i.code for i in found] == ["too_deep"]


def test_10000_deep_block_mapping_nesting_within_the_size_limit() -> None:
    # 10,000 levels of indented mappings do not fit in 1 MiB; 1,000 do, and are refused at 33.
    body = b"x:\n" + b"".join(b" " * i + b"k:\n" for i in range(1, 1000))
    found = rejected(HEAD + body)
    assert [i.code for i in found] == ["too_deep"]
    # the root mapping is depth 1; the mapping starting on line 4 is depth 2, so the first one
    # beyond the limit (depth MAX_DEPTH + 1) starts on line 4 + MAX_DEPTH - 1.
    assert found[0].line == 4 + MAX_DEPTH - 1


def test_10000_deep_block_sequence_at_the_root() -> None:
    found = rejected(b"- " * DEPTH + b"x\n")
    assert [i.code for i in found] == ["too_deep"]


def test_deep_nesting_is_refused_by_the_parser_itself() -> None:
    result = parse_text("x: " + "[" * DEPTH + "]" * DEPTH + "\n", "deep.yaml")
    assert result.data is None
    assert [i.code for i in result.issues] == ["too_deep"]


# libyaml 0.2.6 (bundled from PyYAML 6.0.3) stops at 1,000 levels, and in flow collections it
# does so while scanning ahead, before the parser has delivered the 33rd collection. The fake
# loader below behaves like that whichever PyYAML is installed, so both paths are tested here.
LIBYAML_LIMIT = 1000
_INSTALLED_LOADER = yamlsrc._Loader


class _LimitedLoader:
    """The installed event loader, refusing like libyaml >= 0.2.6 as soon as the text holds a
    flow collection nested beyond its limit (it scans ahead) or a block one on reaching it."""

    def __init__(self, text: str) -> None:
        self._inner = _INSTALLED_LOADER(text)
        self._text = text
        self._depth = 0
        self._too_deep_at: int | None = None
        opened = 0
        for offset, char in enumerate(text):
            opened += {"[": 1, "{": 1, "]": -1, "}": -1}.get(char, 0)
            if opened > LIBYAML_LIMIT:
                self._too_deep_at = offset
                break

    def _fail(self, offset: int) -> None:
        line = self._text.count("\n", 0, offset)
        col = offset - (self._text.rfind("\n", 0, offset) + 1)
        mark = yaml.Mark("<unicode string>", offset, line, col, None, None)
        raise yaml.scanner.ScannerError(
            "while increasing flow level", mark, "exceeded maximum nesting depth", mark
        )

    def check_event(self) -> bool:
        if self._too_deep_at is not None:
            self._fail(self._too_deep_at)
        return bool(self._inner.check_event())

    def get_event(self) -> Any:
        event = self._inner.get_event()
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._depth += 1
            if self._depth > LIBYAML_LIMIT:
                self._fail(event.start_mark.index)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._depth -= 1
        return event

    def dispose(self) -> None:
        self._inner.dispose()


DEEP_DOCUMENTS = {
    "flow-seq": "x: " + "[" * DEPTH + "]" * DEPTH + "\n",
    "flow-map": "x: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n",
    "flow-unterminated": "x: " + "[" * DEPTH + "\n",
    "flow-after-block": "x:\n"
    + "".join("  " * i + "-\n" for i in range(1, 20))
    + "  " * 20
    + "[" * DEPTH,
    "block-seq": "- " * DEPTH + "x\n",
}


@pytest.mark.parametrize("text", DEEP_DOCUMENTS.values(), ids=DEEP_DOCUMENTS.keys())
def test_libyaml_nesting_limit_is_reported_like_the_depth_check(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = parse_text(text, "deep.yaml").issues
    assert [i.code for i in expected] == ["too_deep"]
    monkeypatch.setattr(yamlsrc, "_Loader", _LimitedLoader)
    with pytest.raises(yaml.MarkedYAMLError, match="maximum nesting depth"):
        _drain(text)  # the fake really refuses the text
    result = parse_text(text, "deep.yaml")
    assert result.data is None
    assert result.issues == expected
    assert result.issues[0].message == f"nesting deeper than {MAX_DEPTH} levels"


def _drain(text: str) -> None:
    loader = _LimitedLoader(text)
    while loader.check_event():
        loader.get_event()


def test_libyaml_nesting_limit_is_too_deep_even_beyond_the_depth_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Were the project's own limit above libyaml's, libyaml's refusal is still ``too_deep``
    (same message, at libyaml's position), never a syntax error or a valid document."""
    monkeypatch.setattr(yamlsrc, "_Loader", _LimitedLoader)
    monkeypatch.setattr(yamlsrc, "MAX_DEPTH", 5000)
    levels = LIBYAML_LIMIT + 10
    result = parse_text("x: " + "[" * levels + "]" * levels + "\n", "deep.yaml")
    assert result.data is None
    [issue] = result.issues
    assert (issue.code, issue.line, issue.col) == ("too_deep", 1, len("x: ") + LIBYAML_LIMIT + 1)
    assert issue.message == "nesting deeper than 5000 levels"


# --- encoding and garbage --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        HEAD + b"cancer:\n  histology: \xff\xfe\n",
        HEAD + b"cancer:\n  histology: \xc3\x28\n",  # bad continuation byte
        HEAD + b"cancer:\n  histology: \xed\xa0\x80\n",  # encoded surrogate
        b"\xfe\xff\x00s\x00c",  # UTF-16 with BOM
    ],
    ids=["ff-fe", "bad-continuation", "surrogate", "utf16"],
)
def test_invalid_utf8(raw: bytes) -> None:
    [issue] = rejected(raw)
    assert issue.code == "encoding"
    assert "UTF-8" in issue.message or "NUL" in issue.message


@pytest.mark.parametrize("seed", range(20))
def test_random_binary_garbage(seed: int) -> None:
    rng = random.Random(seed)
    raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4096)))
    found = rejected(raw)
    assert {i.code for i in found} <= {"encoding", "syntax", "root", "empty", "tag"}


def test_os_random_bytes_with_a_valid_header() -> None:
    found = rejected(HEAD + os.urandom(2048))
    assert found[0].line >= 3 or found[0].code == "encoding"


def test_bom_and_crlf_are_accepted() -> None:
    raw = b"\xef\xbb\xbf" + HEAD.replace(b"\n", b"\r\n") + b"performance:\r\n  kps: 70\r\n"
    case = accepted(raw).case
    assert (case.case_id, case.performance.kps) == ("ADV-1", 70)


def test_crlf_positions_are_still_correct() -> None:
    raw = HEAD.replace(b"\n", b"\r\n") + b"performance:\r\n  kps: 75\r\n"
    [issue] = rejected(raw)
    assert (issue.line, issue.col) == (4, 8)


def test_tab_indentation_gets_a_clear_message() -> None:
    [issue] = rejected(HEAD + b"patient:\n\tage: 60\n")
    assert issue.code == "syntax"
    assert issue.line == 4
    assert "tab character" in issue.message and "use spaces" in issue.message


def test_tab_after_a_value_is_harmless() -> None:
    assert accepted(HEAD + b"patient:\n  age: 60\t# comment\n").case.patient.age == 60


# --- look-alike characters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "char", "name"),
    [
        ("Т12", "Т", "CYRILLIC CAPITAL LETTER TE"),
        ("С7", "С", "CYRILLIC CAPITAL LETTER ES"),
        ("L４", "４", "FULLWIDTH DIGIT FOUR"),
        ("Τ3", "Τ", "GREEK CAPITAL LETTER TAU"),
    ],
)
def test_look_alike_level_names_the_character(level: str, char: str, name: str) -> None:
    raw = HEAD + f"lesions:\n  - level: {level}\n".encode()
    [issue] = rejected(raw)
    assert (issue.line, issue.col, issue.path) == (4, 12, "lesions[0].level")
    assert name in issue.message
    assert repr(char) in issue.message


def test_zero_width_space_in_a_key_is_an_unknown_field() -> None:
    raw = HEAD + "performance:\n  k\u200bps: 70\n".encode()
    [issue] = rejected(raw)
    assert issue.code == "extra_forbidden"
    assert "did you mean 'kps'?" in issue.message


# --- document shape ---------------------------------------------------------------------------


def test_multiple_documents() -> None:
    [issue] = rejected(HEAD + b"---\n" + HEAD)
    assert (issue.code, issue.line, issue.col) == ("multi_document", 3, 1)


def test_many_documents_stop_at_the_second() -> None:
    [issue] = rejected(b"---\na: 1\n" * 10_000)
    assert (issue.code, issue.line) == ("multi_document", 3)


def test_list_root() -> None:
    [issue] = rejected(b"- schema_version: 1\n- case_id: X\n")
    assert (issue.code, issue.line, issue.col) == ("root", 1, 1)


@pytest.mark.parametrize(
    "payload",
    [
        b"!!python/object/apply:os.system ['echo owned']",
        b"!!python/object/new:subprocess.Popen [['true']]",
        b"!!python/name:builtins.eval",
        b"!!python/module:os",
    ],
)
def test_python_tags_are_refused(payload: bytes) -> None:
    raw = HEAD + b"cancer:\n  histology: " + payload + b"\n"
    [issue] = rejected(raw)
    assert (issue.code, issue.line, issue.col) == ("tag", 4, 14)


def test_python_tag_on_the_root_is_refused() -> None:
    found = rejected(b"!!python/object:builtins.dict\nschema_version: 1\n")
    assert [i.code for i in found] == ["tag"]
