"""The fast strict parse (spinemets/yamlfast.py) changes nothing but speed.

Every document is parsed twice, with the fast walk and with positions only, and the two
results must be identical: the data (values, types, key order), the issues (messages and
positions), the source map and the yes/no flag. Inputs: the shipped examples and rules, a
generated cohort, the same cohort half corrupted in every way the parser knows, and arbitrary
documents from hypothesis. The adversarial tests run under both settings as well
(``test_adversarial.py``).
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinemets import yamlfast, yamlsrc
from spinemets.case.loader import load_case_bytes
from spinemets.errors import CaseError
from spinemets.workflows.synthetic import case_yaml
from spinemets.yamlsrc import ParseResult, PlainYesNo, parse_bytes, parse_text
from tests.strategies import TODAY, mutated_case_texts

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
RULES = sorted((REPO / "spinemets" / "data" / "rules").glob("*.yaml"))


def typed(value: Any) -> Any:
    """``value`` with every type and the key order made part of what is compared."""
    if isinstance(value, dict):
        return ("dict", [(k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


def same(fast: ParseResult, slow: ParseResult) -> None:
    assert typed(fast.data) == typed(slow.data)
    assert fast.issues == slow.issues
    assert fast.has_yes_no == slow.has_yes_no
    assert fast.source == slow.source  # positions, built on demand for a fast parse


def both(raw: bytes, *, defer_yes_no: bool = True) -> tuple[ParseResult, ParseResult]:
    fast = parse_bytes(raw, "f.yaml", defer_yes_no=defer_yes_no, fast=True)
    slow = parse_bytes(raw, "f.yaml", defer_yes_no=defer_yes_no, fast=False)
    same(fast, slow)
    return fast, slow


def used_fast_walk(text: str, defer_yes_no: bool = True) -> bool:
    walked = yamlfast.walk(
        text, defer_yes_no=defer_yes_no, max_depth=yamlsrc.MAX_DEPTH, max_nodes=yamlsrc.MAX_NODES
    )
    return walked is not None


@pytest.mark.parametrize("path", EXAMPLES + RULES, ids=lambda p: p.name)
@pytest.mark.parametrize("defer_yes_no", [True, False])
def test_examples_and_rules_parse_the_same(path: Path, defer_yes_no: bool) -> None:
    raw = path.read_bytes()
    fast, _ = both(raw, defer_yes_no=defer_yes_no)
    assert fast.data is not None and fast.issues == []
    if path in EXAMPLES:  # rules files use anchors: those always keep positions
        assert used_fast_walk(raw.decode("utf-8"), defer_yes_no)


def _cohort(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [case_yaml(rng, f"FAST-{seed}-{i:04d}") for i in range(n)]


def test_a_generated_cohort_parses_the_same_and_loads_the_same() -> None:
    texts = _cohort(150, seed=7)
    for text in texts:
        assert used_fast_walk(text)
        raw = text.encode("utf-8")
        both(raw)
        assert _load(raw, fast=True) == _load(raw, fast=False)


def _load(raw: bytes, *, fast: bool) -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(yamlsrc.FAST_PARSE_ENV, "1" if fast else "0")
        try:
            loaded = load_case_bytes(raw, "c.yaml", today=TODAY)
        except CaseError as exc:
            return ("invalid", exc.issues)
        return ("valid", loaded.case, loaded.source)


#: Every way the fast walk must give up, each a small edit of a valid case. The seeded
#: random choice below corrupts half of a cohort with them.
CORRUPTIONS: tuple[tuple[str, Any], ...] = (
    ("duplicate key", lambda t, r: t + "case_id: again\n"),
    ("merge key", lambda t, r: t + "extra:\n  <<: {a: 1}\n"),
    ("anchor and alias", lambda t, r: t + "x: &a [1]\ny: *a\n"),
    ("scalar anchor", lambda t, r: t.replace("schema_version: 1", "schema_version: &v 1")),
    ("undefined alias", lambda t, r: t + "x: *nothing\n"),
    ("standard tag", lambda t, r: t + "x: !!str 12\n"),
    ("custom tag", lambda t, r: t + "x: !python/object {}\n"),
    ("tagged mapping", lambda t, r: t + "x: !!map {a: 1}\n"),
    ("yes", lambda t, r: t + "comorbidities_note: yes\n"),
    ("Yes in a boolean", lambda t, r: re.sub(r": (true|false)\n", ": Yes\n", t, count=1)),
    ("on", lambda t, r: t + "x: on\n"),
    ("octal", lambda t, r: t + "x: 0100\n"),
    ("hex", lambda t, r: t + "x: 0x1F\n"),
    ("sexagesimal", lambda t, r: t + "x: 1:20\n"),
    ("underscore", lambda t, r: t + "x: 1_000\n"),
    ("nan", lambda t, r: t + "x: .nan\n"),
    ("huge float", lambda t, r: t + "x: 1e999\n"),
    ("long number", lambda t, r: t + "x: " + "9" * 40 + "\n"),
    ("complex key", lambda t, r: t + "? [a, b]\n: 1\n"),
    ("mapping key", lambda t, r: t + "{a: 1}: 2\n"),
    ("second document", lambda t, r: t + "---\nb: 1\n"),
    ("list root", lambda t, r: "- " + t.replace("\n", "\n  ")),
    ("scalar root", lambda t, r: "just text\n"),
    ("empty", lambda t, r: ""),
    ("comment only", lambda t, r: "# nothing\n"),
    ("tab indentation", lambda t, r: t.replace("\n  ", "\n\t", 1)),
    ("control character", lambda t, r: t + "x: a\x07b\n"),
    ("deep", lambda t, r: t + "x: " + "[" * 40 + "]" * 40 + "\n"),
    ("very deep", lambda t, r: t + "x: " + "[" * 2000 + "]" * 2000 + "\n"),
    ("unterminated flow", lambda t, r: t + "x: [1, 2\n"),
    ("unterminated quote", lambda t, r: t + "x: 'abc\n"),
    ("truncated", lambda t, r: t[: r.randrange(1, len(t))]),
    ("byte flipped", lambda t, r: _flip(t, r)),
    ("line dropped", lambda t, r: _drop_line(t, r)),
)


#: Plain yes/no is handed on (the fast walk takes it, the case model decides).
HANDED_ON = frozenset({"yes", "Yes in a boolean"})
#: Valid YAML that the fast walk leaves to the position-keeping parser all the same.
UNUSUAL = frozenset({"anchor and alias", "scalar anchor", "standard tag", "tagged mapping"})
#: A random cut, byte or dropped line may land in a comment or leave valid YAML.
RANDOM = frozenset({"truncated", "byte flipped", "line dropped"})
MAY_STAY_VALID = HANDED_ON | RANDOM


def _flip(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text))
    return text[:at] + rng.choice(":-[]{}&*!|>'\"#%@` \t\n") + text[at + 1 :]


def _drop_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    del lines[rng.randrange(1, len(lines))]
    return "".join(lines)


def test_a_half_corrupted_cohort_parses_the_same() -> None:
    rng = random.Random(11)
    texts = _cohort(2 * len(CORRUPTIONS) * 3, seed=11)
    gave_up = 0
    for index, text in enumerate(texts):
        if index % 2:
            _, corrupt = CORRUPTIONS[(index // 2) % len(CORRUPTIONS)]
            text = corrupt(text, rng)
        raw = text.encode("utf-8")
        both(raw)
        both(raw, defer_yes_no=False)
        gave_up += not used_fast_walk(text)
        assert _load(raw, fast=True) == _load(raw, fast=False)
    assert gave_up >= 3 * (len(CORRUPTIONS) - len(MAY_STAY_VALID))


@pytest.mark.parametrize(("name", "corrupt"), CORRUPTIONS, ids=[n for n, _ in CORRUPTIONS])
def test_each_corruption_is_left_to_the_position_keeping_parser(name: str, corrupt: Any) -> None:
    text = corrupt(case_yaml(random.Random(3), "FAST-1"), random.Random(5))
    result = parse_text(text, "f.yaml", defer_yes_no=True)
    if name in RANDOM:
        return  # compared in the cohort test above
    assert used_fast_walk(text) is (name in HANDED_ON), name
    assert bool(result.issues) is (name not in HANDED_ON | UNUSUAL), name


def test_plain_yes_no_is_handed_on_by_the_fast_walk_too() -> None:
    text = "a: yes\nb: [No, 'yes']\n"
    fast, _ = both(text.encode("utf-8"))
    assert fast.data is not None and fast.has_yes_no
    assert isinstance(fast.data["a"], PlainYesNo)
    assert [type(v) for v in fast.data["b"]] == [PlainYesNo, str]
    assert used_fast_walk(text)
    assert not used_fast_walk(text, defer_yes_no=False)  # then it is an error: slow path


def test_the_switch_turns_the_fast_walk_off(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = yamlfast.walk

    def spy(text: str, **kwargs: Any) -> Any:
        calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(yamlfast, "walk", spy)
    parse_text("a: 1\n", "f.yaml")
    assert calls == ["a: 1\n"]
    monkeypatch.setenv(yamlsrc.FAST_PARSE_ENV, "0")
    assert not yamlsrc.fast_parse_enabled()
    parse_text("a: 1\n", "f.yaml")
    assert calls == ["a: 1\n"]


def test_positions_of_a_fast_parse_are_built_only_when_asked() -> None:
    result = parse_text("a: 1\nb:\n  c: x\n", "f.yaml", fast=True)
    assert result.source._pending is not None
    assert result.source.locate(("b", "c")) == yamlsrc.Span(3, 6)
    assert result.source._pending is None


@settings(max_examples=300, deadline=None)
@given(mutated_case_texts())
def test_arbitrary_mutated_documents_parse_the_same(text: str) -> None:
    both(text.encode("utf-8", "surrogatepass"))


YAML_BITS = st.sampled_from(
    [
        "a", "b", ":", ": ", "- ", "\n", "  ", "[", "]", "{", "}", ",", "&x ", "*x", "!!str ",
        "'q'", '"d"', "yes", "No", "on", "1", "-2.5", "0100", "1:2", ".inf", "~", "null",
        "true", "---\n", "? ", "<<", "#c", "\t", "|\n  t\n", ">\n  f\n",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(YAML_BITS, max_size=30).map("".join))
def test_arbitrary_token_soup_parses_the_same(text: str) -> None:
    both(text.encode("utf-8"))
    both(text.encode("utf-8"), defer_yes_no=False)
