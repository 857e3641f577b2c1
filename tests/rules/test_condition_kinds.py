"""The condition kinds' registry: one module per kind (model, load-time check, evaluation), from
which the condition types, the union rules files are validated with and the dispatch tables are
derived."""

from __future__ import annotations

import subprocess
import sys
import typing

import pytest
from pydantic import Tag, TypeAdapter

from spinemets.rules import compiled, conditions, models
from spinemets.rules.conditions import CHECKS, CONDITION_TYPES, KINDS, REGISTRY, TAG_PREFIX

from .helpers import ROOT


def _union_members() -> list[tuple[type, str]]:
    union, *_ = typing.get_args(models.Condition)
    members = []
    for member in typing.get_args(union):
        model, *metadata = typing.get_args(member)
        (tag,) = [m for m in metadata if isinstance(m, Tag)]
        members.append((model, tag.tag))
    return members


def test_the_registry_is_the_union_and_the_condition_types() -> None:
    assert list(KINDS) == list(CONDITION_TYPES)
    assert [kind.model for kind in KINDS.values()] == list(CONDITION_TYPES.values())
    assert _union_members() == [(kind.model, TAG_PREFIX + key) for key, kind in KINDS.items()]
    assert list(REGISTRY) == list(CHECKS) == list(CONDITION_TYPES.values())
    assert all(
        REGISTRY[k.model] is k.evaluate and CHECKS[k.model] is k.check for k in KINDS.values()
    )


def test_rules_models_re_exports_the_vocabulary() -> None:
    assert models.CONDITION_TYPES is CONDITION_TYPES
    assert models.Condition is conditions.Condition
    assert models.TAG_PREFIX == TAG_PREFIX
    for model in CONDITION_TYPES.values():
        assert getattr(models, model.__name__) is model


@pytest.mark.parametrize("key", list(KINDS))
def test_each_kind_lives_in_a_module_that_documents_it(key: str) -> None:
    module = sys.modules[KINDS[key].model.__module__]
    assert module.__name__.startswith("spinemets.rules.conditions.")
    assert KINDS[key].check.__module__ == KINDS[key].evaluate.__module__ == module.__name__
    assert f"``{key}:" in (module.__doc__ or "").split("\n\n")[0]


@pytest.mark.parametrize(
    "data",
    [
        {"all": [{"ref": "a"}, {"any": [{"not": {"ref": "b"}}]}]},
        {"any_lesion": {"count_lesions": {"where": {"ref": "a"}, "gte": 2}}},
    ],
)
def test_composite_kinds_resolve_their_parts(data: dict[str, typing.Any]) -> None:
    cond = TypeAdapter(models.Condition).validate_python(data)
    assert type(cond) is CONDITION_TYPES[next(iter(data))]
    assert type(cond).model_validate(data) == cond  # each model builds on its own too


def test_the_compiled_rules_rebuild_every_kind_model() -> None:
    for model in CONDITION_TYPES.values():
        assert compiled._CLASSES[model.__name__] is model


@pytest.mark.parametrize(
    "first",
    [
        "spinemets.rules.context",
        "spinemets.rules.conditions.logic",
        "spinemets.rules.conditions.field",
        "spinemets.rules.models",
        "spinemets.rules.loader",
    ],
)
def test_the_rules_modules_import_in_any_order(first: str) -> None:
    code = f"import {first}; from spinemets.rules import engine, loader; loader.load_rules(None)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
