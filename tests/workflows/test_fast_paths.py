"""Every fast path gives byte-identical results: batch output (jsonl and csv) with the fast
parse, orjson lines and strengths-only CSV rows, against the position-keeping parse, the
standard library and rows built from the full assessment, on the
examples and on a generated cohort with invalid files; and the JSON line writer on data where
orjson and the standard library differ or refuse."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets.render.json import FAST_JSON_ENV, dumps, dumps_line
from spinemets.workflows import batch as wb
from spinemets.workflows.synthetic import write_cohort
from spinemets.yamlsrc import FAST_PARSE_ENV
from tests.workflows.helpers import REPO, RULES


def _batch(targets: list[Any], fmt: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(FAST_PARSE_ENV, "1" if fast else "0")
    monkeypatch.setenv(FAST_JSON_ENV, "1" if fast else "0")
    monkeypatch.setenv(wb.FAST_CSV_ENV, "1" if fast else "0")
    buffer = io.StringIO()
    settings_ = wb.Settings(fmt="csv" if fmt == "csv" else "jsonl", rules_dir=str(RULES))
    wb.write_batch(targets, settings_, buffer, jobs=1)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_batch_output_is_byte_identical_with_and_without_the_fast_paths(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_cohort(tmp_path / "c", 150, seed=13, corrupt_every=5)
    targets = wb.discover([REPO / "examples", tmp_path / "c"])
    fast = _batch(targets, fmt, True, monkeypatch)
    slow = _batch(targets, fmt, False, monkeypatch)
    assert fast == slow
    assert len(fast.splitlines()) >= len(targets)


TRICKY: list[Any] = [
    1e-05,
    [1e-05],
    {"a": 1e-05},
    {"b": 0.0001, "c": 1e16, "d": 1.5e300, "e": -0.0, "f": 5e-324},
    {"digest": "3e5a0000e9", "t": "x:0.00001 1e-5 re-irradiation"},
    {"big": 1e300, "neg": -2.5e-300, "mid": 12345.678},
    {"big": 2**70, "neg": -(2**64)},
    {1: "int key"},
    {"text": 'é \u2028 \x00 \x1f " \\ \U0001f600 1e5 T12'},
    {"lone": "\ud800"},
    [True, False, None, 0, -1, 3.25, "x"],
]


@pytest.mark.parametrize("data", TRICKY)
def test_json_line_matches_the_standard_library(data: Any) -> None:
    assert dumps_line(data) == dumps(data, indent=None)


# Report data holds finite numbers only (the case parser refuses .nan, .inf and out-of-range
# numbers, and computed results are integers), so non-finite floats are not drawn here.
json_data = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_json_line_matches_the_standard_library_on_any_float(value: float) -> None:
    for data in (value, [value], {"k": value}, [1, value, "x"]):
        assert dumps_line(data) == dumps(data, indent=None)


@settings(max_examples=300, deadline=None)
@given(json_data)
def test_json_line_matches_the_standard_library_on_any_data(data: Any) -> None:
    expected = dumps(data, indent=None)
    assert dumps_line(data) == expected


@pytest.mark.parametrize("path", sorted((REPO / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_report_lines_take_the_fast_writer(path: Path) -> None:
    """A report (digests and all) never needs the standard library's fallback."""
    import orjson

    from spinemets import api
    from spinemets.render.json import _may_differ

    report = api.assess(api.load_case(path)).to_dict()
    assert not _may_differ(orjson.dumps(report))
    assert dumps_line(report) == dumps(report, indent=None)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_batch_on_the_bundled_rules_is_byte_identical_with_and_without_compiled_rules(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spinemets import api
    from spinemets.rules.compiled import COMPILED_RULES_ENV

    write_cohort(tmp_path / "c", 60, seed=17, corrupt_every=7)
    targets = wb.discover([REPO / "examples", tmp_path / "c"])
    outputs = []
    for compiled in ("1", "0"):
        monkeypatch.setenv(COMPILED_RULES_ENV, compiled)
        monkeypatch.setattr(wb, "_STATE", None)  # load the rules again in this mode
        api._bundled_rules.cache_clear()
        buffer = io.StringIO()
        wb.write_batch(targets, wb.Settings(fmt="csv" if fmt == "csv" else "jsonl"), buffer, jobs=1)
        outputs.append(buffer.getvalue())
    api._bundled_rules.cache_clear()
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) >= len(targets)
