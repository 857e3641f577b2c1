"""The bundled rules, compiled: the validated rule set as plain JSON data shipped in the package.

Loading and validating the nine bundled YAML files costs about a fifth of a one-case run
(pydantic building the rules validators, the position-keeping parse, the cross-file checks).
The compiled file holds the result of that work, so a run that uses the bundled rules reads
the YAML bytes, checks them against the file's key and rebuilds the rule set from plain data
without validating it again.

It is safe because it is never trusted beyond what it was made from:

* its **key** is a sha256 over the digest of the rules files' bytes, the package version and
  the source of the modules that decide what a valid rule set is (the rules models, loader and
  this module, the condition kinds, the vocabulary, the case model whose paths rules name, the
  scorers whose categories they test); a run whose bytes or code differ, or that cannot read
  that source, loads and validates the YAML as before;
* its **body** carries its own sha256, so a truncated or corrupted file is never used;
* it is **plain data** (JSON): no code is run to read it, only the rules model classes named
  in it are instantiated, with the field values that validation produced;
* ``SPINEMETS_COMPILED_RULES=0`` turns it off, and the test suite proves both paths give the
  same rule set and byte-identical reports.

Regenerate it after editing the bundled rules or their models:
``python scripts/compile_rules.py`` (a test fails while it is stale).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from importlib import resources
from typing import Any

from pydantic import BaseModel

from spinemets import __version__
from spinemets.rules import base, conditions, models

__all__ = [
    "COMPILED_RULES_ENV",
    "compile_bundled",
    "dumps",
    "enabled",
    "key",
    "load",
    "loads",
    "write",
]

#: Set to ``0`` to always load and validate the bundled YAML.
COMPILED_RULES_ENV = "SPINEMETS_COMPILED_RULES"
FILE_NAME = "rules.compiled.json"
FORMAT = 1
#: Markers no rules key can hold (a rules file with a NUL character is refused).
_MODEL, _FIELDS_SET, _TUPLE, _RULESET = "\0m", "\0s", "\0t", "\0r"
#: Modules (relative to the package) whose source is part of the key; and every module of the
#: folders (every scorer and every condition kind).
_CODE = ("rules/models.py", "rules/loader.py", "rules/compiled.py", "vocab.py", "case/models.py")
_CODE_FOLDERS = ("scorers", "rules/conditions")

#: The modules that define the rules models: the sections, the shared pieces, every kind's.
_MODULES = (
    models,
    base,
    *dict.fromkeys(sys.modules[t.__module__] for t in conditions.CONDITION_TYPES.values()),
)
_CLASSES: dict[str, type[BaseModel]] = {
    name: cls
    for module in _MODULES
    for name, cls in vars(module).items()
    if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__
}


def enabled() -> bool:
    """Whether the compiled rules may be used (``SPINEMETS_COMPILED_RULES=0`` turns them off)."""
    return os.environ.get(COMPILED_RULES_ENV, "1") != "0"


def key(rules_digest: str) -> str | None:
    """The key a compiled file must carry for these rules bytes and this code (None when the
    code's source cannot be read, e.g. a build without ``.py`` files)."""
    h = hashlib.sha256(f"format {FORMAT}\0{__version__}\0{rules_digest}\0".encode())
    package = resources.files("spinemets")
    try:
        names = list(_CODE)
        for folder in _CODE_FOLDERS:
            found = package.joinpath(folder).iterdir()
            names += sorted(f"{folder}/{e.name}" for e in found if e.name.endswith(".py"))
        for name in names:
            h.update(name.encode() + b"\0" + package.joinpath(name).read_bytes())
    except OSError:
        return None
    return h.hexdigest()


def _path() -> Any:
    return resources.files("spinemets").joinpath("data", FILE_NAME)


# --- writing ------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, BaseModel):
        cls = type(value)
        if _CLASSES.get(cls.__name__) is not cls:
            raise TypeError(f"not a rules model: {cls.__name__}")
        out: dict[str, Any] = {_MODEL: cls.__name__}
        for name in cls.model_fields:
            out[name] = _encode(getattr(value, name))
        if value.model_fields_set != set(cls.model_fields):
            out[_FIELDS_SET] = sorted(value.model_fields_set)
        return out
    if isinstance(value, models.RuleSet):
        fields = {
            f.name: _encode(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "_by_option"  # rebuilt from ``options`` and ``rules``
        }
        return {_RULESET: FORMAT, **fields}
    if isinstance(value, tuple):
        return {_TUPLE: [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        for k in value:
            if not isinstance(k, str) or k.startswith("\0"):
                raise TypeError(f"rules mapping key {k!r} cannot be compiled")
        return {k: _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"rules value of type {type(value).__name__} cannot be compiled")


def dumps(ruleset: models.RuleSet, rules_digest: str) -> bytes:
    """The compiled file's bytes: the key line, the body's sha256 line, the body."""
    found = key(rules_digest)
    if found is None:
        raise RuntimeError("the rules code's source cannot be read; nothing to key on")
    body = json.dumps(_encode(ruleset), ensure_ascii=True, separators=(",", ":")).encode()
    return b"%s\n%s\n%s\n" % (found.encode(), hashlib.sha256(body).hexdigest().encode(), body)


def compile_bundled() -> tuple[models.RuleSet, bytes]:
    """Load and validate the bundled YAML (never the compiled file) and compile it."""
    from spinemets.rules.loader import bundled_raw_files, digest, load_rules

    raw = bundled_raw_files()
    ruleset = load_rules(None, compiled=False)
    return ruleset, dumps(ruleset, digest(raw))


def write() -> str:
    """Regenerate the compiled file in the package's data folder; returns its path."""
    _, data = compile_bundled()
    target = str(_path())
    with open(target, "wb") as handle:
        handle.write(data)
    return target


# --- reading ------------------------------------------------------------------------------------

_new = object.__new__
_set = object.__setattr__


def _hook(value: dict[str, Any]) -> Any:
    """Rebuild one JSON object: a rules model, a tuple, the rule set, or a plain mapping."""
    name = value.get(_MODEL)
    if name is not None:
        del value[_MODEL]
        fields_set = value.pop(_FIELDS_SET, None)
        cls = _CLASSES[name]
        if value.keys() != cls.model_fields.keys():
            raise ValueError(f"{name}: fields do not match the model")
        obj = _new(cls)
        # What ``model_construct`` does, without revisiting defaults: every field is present.
        _set(obj, "__dict__", value)
        _set(obj, "__pydantic_fields_set__", set(value if fields_set is None else fields_set))
        _set(obj, "__pydantic_extra__", None)
        _set(obj, "__pydantic_private__", None)
        return obj
    items = value.get(_TUPLE)
    if items is not None:
        return tuple(items)
    if _RULESET in value:
        if value.pop(_RULESET) != FORMAT:
            raise ValueError("compiled rules of another format")
        ruleset = models.RuleSet(**value)
        index = models.RuleSet.index(ruleset.options, ruleset.rules)
        return dataclasses.replace(ruleset, _by_option=index)
    return value


def load(rules_digest: str) -> models.RuleSet | None:
    """The compiled bundled rules when they were made from these bytes by this code, else None
    (the caller then loads and validates the YAML)."""
    try:
        data = _path().read_bytes()
    except OSError:
        return None
    return loads(data, rules_digest)


def loads(data: bytes, rules_digest: str) -> models.RuleSet | None:
    """The rule set a compiled file's bytes hold, or None unless its key matches these rules
    bytes and this code, its body matches its sha256 and it rebuilds into a rule set."""
    expected = key(rules_digest)
    if expected is None:
        return None
    head, _, rest = data.partition(b"\n")
    body_sha, _, body = rest.partition(b"\n")
    if head != expected.encode():
        return None
    body = body.removesuffix(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != body_sha:
        return None
    try:
        ruleset = json.loads(body, object_hook=_hook)
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(ruleset, models.RuleSet):
        return None
    if ruleset.sha256 != rules_digest or ruleset.source != "bundled":
        return None
    return ruleset
