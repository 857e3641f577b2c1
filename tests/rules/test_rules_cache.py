"""No on-disk rules cache: a report's rules digest is always that of the rule files read.

A cache file in the user's cache folder was one more input that could be stale (keyed on too
little) or tampered with (a pickle runs code when loaded), so there is none: nothing is written
to or read from the cache folder, and the digest in a report is the digest of the bytes of the
bundled rule files. (The bundled rules' compiled form ships inside the package, keyed on those
bytes and the code: tests/rules/test_compiled_rules.py.)
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import pytest

from spinemets.rules.loader import bundled_rules_dir, digest
from tests.safety.support import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "renal-t12-hybrid.yaml"


class _Marker:
    """Unpickling this creates the marker file: proof that a cache file was loaded."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.path, "w"))


def _evaluate(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    result = run_cli("evaluate", EXAMPLE, "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    report: dict[str, object] = json.loads(result.stdout)
    return report


def test_no_cache_file_is_written_and_none_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home = tmp_path / "cache"
    cache_home.mkdir()
    _evaluate(cache_home, monkeypatch)
    marker = tmp_path / "MARKER"
    written = [p for p in cache_home.rglob("*") if p.is_file()]
    for path in written:  # a planted file in place of any cache file must never be loaded
        path.write_bytes(pickle.dumps(_Marker(str(marker))))
    _evaluate(cache_home, monkeypatch)
    assert written == []
    assert not marker.exists()


def test_report_digest_is_that_of_the_bundled_rule_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = bundled_rules_dir()
    raw = {e.name: e.read_bytes() for e in base.iterdir() if e.name.endswith(".yaml")}
    expected = hashlib.sha256()
    for name in sorted(raw):  # the documented digest, computed independently
        expected.update(name.encode() + b"\0" + str(len(raw[name])).encode() + b"\0")
        expected.update(raw[name])
    report = _evaluate(tmp_path, monkeypatch)
    provenance = report["provenance"]
    assert isinstance(provenance, dict)
    assert provenance["rules_sha256"] == expected.hexdigest() == digest(raw)
