"""``field: {path, eq | in | gte | lte | known}`` — one case field.

``lesion.<field>`` names a field of the lesion being considered. A field that is not recorded
makes the test unknown (needing that field), except ``known``, which is never unknown.

The loader refuses a path that is not a case path (naming the closest field, or the fields
there), a ``lesion.`` path outside a lesion option rule, ``any_lesion`` or ``count_lesions``,
a section tested with anything but ``known``, a value the field can never take (a code outside
its list, a number for a true/false field, text for a number), and ``gte``/``lte`` on a field
that is not a number; a threshold is a number or ``{param: name}`` naming a numeric parameter.
"""

import difflib
import types
import typing
from enum import Enum
from typing import Any, Self, get_args, get_origin

from pydantic import BaseModel, Field, StrictBool, StrictStr, model_validator

from spinemets.case.models import Case, Lesion
from spinemets.rules.base import (
    LESION_PREFIX,
    Checker,
    Scalar,
    Scope,
    Threshold,
    YPath,
    _exactly_one,
    _Model,
    check_threshold,
)
from spinemets.rules.context import Context
from spinemets.rules.truth import Truth


class FieldTest(_Model):
    """``field: {path, <one test>}``."""

    path: StrictStr
    eq: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in", min_length=1)
    gte: Threshold | None = None
    lte: Threshold | None = None
    known: StrictBool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        _exactly_one(self, ("eq", "in_", "gte", "lte", "known"), "field")
        return self


class FieldCond(_Model):
    field: FieldTest


def check(
    cond: FieldCond,
    checker: Checker,
    f: Any,
    path: YPath,
    scope: Scope | None,
    refs: tuple[str, ...],
) -> None:
    test = cond.field
    path = (*path, "field")
    annotation, problem = _case_field(test.path, scope or "lesion")
    if problem is not None:
        checker.err(
            f,
            (*path, "path"),
            problem,
            code="scope" if "lesion being considered" in problem else "unknown_path",
        )
        return
    enum_values, is_bool, is_number, is_model = _leaf_kinds(annotation)
    if is_model and test.known is None:
        checker.err(f, (*path, "path"), f"'{test.path}' is a section; only 'known' applies to it")
        return
    values: list[Any] = []
    if test.eq is not None:
        values = [test.eq]
    elif test.in_ is not None:
        values = list(test.in_)
    key = "eq" if test.eq is not None else "in"
    for v in values:
        if enum_values is not None:
            if not isinstance(v, str) or v not in enum_values:
                checker.err(
                    f,
                    (*path, key),
                    checker.unknown(f"value for {test.path}", str(v), sorted(enum_values)),
                )
        elif is_bool and not isinstance(v, bool):
            checker.err(f, (*path, key), f"'{test.path}' is true or false, not {v!r}")
        elif is_number and (isinstance(v, bool) or not isinstance(v, (int, float))):
            checker.err(f, (*path, key), f"'{test.path}' is a number, not {v!r}")
    for name in ("gte", "lte"):
        value = getattr(test, name)
        if value is None:
            continue
        if not is_number:
            checker.err(f, (*path, name), f"'{test.path}' is not a number; {name} does not apply")
        check_threshold(checker, value, f, (*path, name))


def _case_field(path: str, scope: Scope) -> tuple[Any, str | None]:
    """The annotation of a case path, or an error message."""
    from spinemets.locator import submodel

    if path.startswith(LESION_PREFIX):
        if scope != "lesion":
            return (
                None,
                f"'{path}' names the lesion being considered; "
                "use it in a lesion option rule or inside any_lesion",
            )
        model: type[BaseModel] = Lesion
        parts = path[len(LESION_PREFIX) :].split(".")
    else:
        model = Case
        parts = path.split(".")
    annotation: Any = model
    walked: list[str] = []
    for part in parts:
        sub = submodel(annotation) if walked else model
        if sub is None:
            return None, f"'{'.'.join(walked)}' has no fields; '{path}' is not a case path"
        fields = sub.model_fields
        if part not in fields or part in {"lesions", "expected"}:
            allowed = [n for n in fields if n not in {"lesions", "expected"}]
            close = difflib.get_close_matches(part, allowed, n=1, cutoff=0.6)
            hint = (
                f"; did you mean '{close[0]}'?"
                if close
                else f" (fields here: {', '.join(allowed)})"
            )
            if part == "lesions":
                hint = "; use lesion.<field> in a lesion rule or inside any_lesion"
            return None, f"unknown case path '{path}'{hint}"
        annotation = fields[part].annotation
        walked.append(part)
    return annotation, None


def _leaf_kinds(annotation: Any) -> tuple[set[str] | None, bool, bool, bool]:
    """(enum values or None, is bool, is number, is model) of a field annotation."""
    enum_values: set[str] | None = None
    is_bool = is_number = is_model = False
    args = (
        get_args(annotation)
        if get_origin(annotation) in (typing.Union, types.UnionType)
        else (annotation,)
    )
    for arg in args:
        if get_origin(arg) is typing.Annotated:
            arg = get_args(arg)[0]
        if isinstance(arg, type):
            if issubclass(arg, Enum):
                enum_values = {str(e.value) for e in arg}
            elif arg is bool:
                is_bool = True
            elif arg in (int, float):
                is_number = True
            elif issubclass(arg, BaseModel):
                is_model = True
    return enum_values, is_bool, is_number, is_model


def evaluate(cond: FieldCond, ctx: Context, lesion: int | None) -> Truth:
    test = cond.field
    present, value, fact, needs = ctx.fact(test.path, lesion)
    if test.known is not None:
        return Truth(present == test.known, fact)
    if not present:
        return Truth(None, (), needs)
    if test.eq is not None:
        return Truth(_same(value, test.eq), fact)
    if test.in_ is not None:
        return Truth(any(_same(value, v) for v in test.in_), fact)
    if test.gte is not None:
        return Truth(float(value) >= float(ctx.param(test.gte)), fact)
    assert test.lte is not None
    return Truth(float(value) <= float(ctx.param(test.lte)), fact)


def _same(value: Any, expected: Any) -> bool:
    if isinstance(value, bool) or isinstance(expected, bool):
        return isinstance(value, bool) and isinstance(expected, bool) and value is expected
    return bool(value == expected)
