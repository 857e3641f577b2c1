"""The compiled bundled rules (spinemets.rules.compiled): fresh, equal to the validated YAML,
byte-identical reports, and never used when its key, body or shape does not match."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from spinemets import api
from spinemets.rules import compiled
from spinemets.rules.loader import bundled_raw_files, digest, load_rules
from spinemets.rules.models import RuleSet
from tests.rules.helpers import RULES_DIR

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
REGENERATE = "python scripts/compile_rules.py"


@pytest.fixture(scope="module")
def validated() -> RuleSet:
    return load_rules(None, compiled=False)


@pytest.fixture(scope="module")
def rules_digest() -> str:
    return digest(bundled_raw_files())


def _with_body(body: bytes, rules_digest: str) -> bytes:
    """A compiled file with this body, a correct key and a correct body digest."""
    found = compiled.key(rules_digest)
    assert found is not None
    return b"%s\n%s\n%s\n" % (found.encode(), hashlib.sha256(body).hexdigest().encode(), body)


def _body(data: bytes) -> bytes:
    return data.split(b"\n", 2)[2].removesuffix(b"\n")


def test_the_shipped_compiled_rules_are_fresh(validated: RuleSet, rules_digest: str) -> None:
    loaded = compiled.load(rules_digest)
    assert loaded is not None, f"compiled rules are stale: run `{REGENERATE}`"
    assert loaded == validated
    assert loaded.sha256 == validated.sha256 == rules_digest
    assert loaded.source == "bundled"


def test_the_shipped_file_is_what_compiling_gives_now(rules_digest: str) -> None:
    _, data = compiled.compile_bundled()
    shipped = (ROOT / "spinemets" / "data" / compiled.FILE_NAME).read_bytes()
    assert shipped == data, f"compiled rules are stale: run `{REGENERATE}`"


def test_every_option_index_matches(validated: RuleSet, rules_digest: str) -> None:
    loaded = compiled.load(rules_digest)
    assert loaded is not None
    for option in validated.options:
        assert loaded.rules_for(option.id) == validated.rules_for(option.id)
        assert all(r in loaded.rules for r in loaded.rules_for(option.id))


def test_the_bundled_load_uses_it_unless_turned_off(
    validated: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = compiled.load

    def spy(rules_digest: str) -> RuleSet | None:
        calls.append(rules_digest)
        return real(rules_digest)

    monkeypatch.setattr(compiled, "load", spy)
    assert load_rules(None) == validated
    assert len(calls) == 1
    monkeypatch.setenv(compiled.COMPILED_RULES_ENV, "0")
    assert load_rules(None) == validated
    assert len(calls) == 1


def test_a_site_directory_is_always_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(rules_digest: str) -> RuleSet | None:
        raise AssertionError("the compiled bundled rules were read for a site directory")

    monkeypatch.setattr(compiled, "load", refuse)
    site = load_rules(RULES_DIR)
    assert site.source == str(RULES_DIR)


@pytest.mark.parametrize("fmt", ["json", "markdown", "terminal"])
def test_reports_are_byte_identical_with_and_without_it(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_compiled = load_rules(None)
    monkeypatch.setenv(compiled.COMPILED_RULES_ENV, "0")
    without = load_rules(None)
    assert with_compiled is not without
    for example in EXAMPLES:
        loaded = api.load_case(example)
        a = api.render(api.assess(loaded, with_compiled), fmt, detail=True)
        b = api.render(api.assess(loaded, without), fmt, detail=True)
        assert a == b, example.name


def test_a_stale_key_is_refused(rules_digest: str) -> None:
    data = (ROOT / "spinemets" / "data" / compiled.FILE_NAME).read_bytes()
    assert compiled.loads(data, rules_digest) is not None
    assert compiled.loads(data, "0" * 64) is None  # other rules bytes
    stale = b"0" * 64 + data[64:]
    assert compiled.loads(stale, rules_digest) is None  # other code


def test_a_key_covers_the_code_that_defines_valid_rules(
    rules_digest: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = compiled.key(rules_digest)
    assert {"rules/models.py", "rules/loader.py", "vocab.py", "case/models.py"} <= set(
        compiled._CODE
    )
    monkeypatch.setattr(compiled, "_CODE_FOLDERS", ())
    assert compiled.key(rules_digest) != before  # the scorers' source is part of the key
    monkeypatch.setattr(compiled, "_CODE_FOLDERS", ("scorers",))
    assert compiled.key(rules_digest) != before  # and every condition kind's module
    monkeypatch.undo()
    assert compiled.key(rules_digest) == before
    monkeypatch.setattr(compiled, "_CODE", (*compiled._CODE[:-1], "rules/engine.py"))
    assert compiled.key(rules_digest) != before
    monkeypatch.setattr(compiled, "_CODE", ("rules/no-such-module.py",))
    assert compiled.key(rules_digest) is None


def test_a_corrupted_body_is_refused(rules_digest: str) -> None:
    data = (ROOT / "spinemets" / "data" / compiled.FILE_NAME).read_bytes()
    flipped = data.replace(b'"bundled"', b'"bundlex"', 1)
    assert flipped != data
    assert compiled.loads(flipped, rules_digest) is None  # the body digest no longer matches
    assert compiled.loads(data[: len(data) // 2], rules_digest) is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"\\u0000m":"Rule"', b'"\\u0000m":"NoSuchModel"'),  # a class that is not a rules model
        (b'"citation":', b'"citaton":'),  # a field the model does not have
        (b'"\\u0000r":1', b'"\\u0000r":2'),  # another format
    ],
)
def test_a_body_that_does_not_rebuild_is_refused(old: bytes, new: bytes, rules_digest: str) -> None:
    body = _body((ROOT / "spinemets" / "data" / compiled.FILE_NAME).read_bytes())
    assert old in body
    assert compiled.loads(_with_body(body.replace(old, new, 1), rules_digest), rules_digest) is None


def test_a_body_of_other_rules_is_refused(validated: RuleSet, rules_digest: str) -> None:
    other = compiled.dumps(load_rules(RULES_DIR), rules_digest)
    assert compiled.loads(_with_body(_body(other), rules_digest), rules_digest) is None


def test_only_plain_data_compiles(validated: RuleSet) -> None:
    with pytest.raises(TypeError):
        compiled._encode({1: "a non-text key"})
    with pytest.raises(TypeError):
        compiled._encode({"\0m": "a marker key"})
    with pytest.raises(TypeError):
        compiled._encode(object())
