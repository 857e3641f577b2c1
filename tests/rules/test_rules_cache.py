"""The digest-keyed cache of the bundled rules: same rule set, silent fallback on any problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinemets import api
from spinemets.rules.loader import load_rules


def _fresh(monkeypatch: pytest.MonkeyPatch, cache_home: Path) -> api.RuleSet:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    api._bundled_rules.cache_clear()
    try:
        return api._bundled_rules()
    finally:
        api._bundled_rules.cache_clear()


def _pickles(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "spinemets").glob("rules-*.pickle"))


def test_cold_then_warm_gives_the_validated_rule_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    reference = load_rules(None)
    cold = _fresh(monkeypatch, tmp_path)
    assert len(_pickles(tmp_path)) == 1
    warm = _fresh(monkeypatch, tmp_path)
    for ruleset in (cold, warm):
        assert ruleset == reference
        assert ruleset.sha256 == reference.sha256
        assert [r.id for r in ruleset.rules] == [r.id for r in reference.rules]


def test_corrupt_cache_is_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _fresh(monkeypatch, tmp_path)
    (path,) = _pickles(tmp_path)
    path.write_bytes(b"not a pickle")
    ruleset = _fresh(monkeypatch, tmp_path)
    assert ruleset == load_rules(None)
    assert path.read_bytes() != b"not a pickle"


def test_wrong_object_in_cache_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import pickle

    _fresh(monkeypatch, tmp_path)
    (path,) = _pickles(tmp_path)
    path.write_bytes(pickle.dumps({"not": "a rule set"}))
    assert _fresh(monkeypatch, tmp_path) == load_rules(None)


def test_unwritable_cache_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    assert _fresh(monkeypatch, blocker) == load_rules(None)
