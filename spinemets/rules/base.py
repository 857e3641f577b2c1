"""What every rules model shares: the model configuration, values, thresholds and scopes; and
what a condition kind's load-time check may use of the loader (:class:`Checker`).

A threshold (``total_gte``, ``gte``, ``gte_months``, ...) is a number or ``{param: name}``, the
name of a numeric site parameter. ``lesion.<field>`` case paths name a field of the lesion
being considered; they apply in lesion option rules and inside ``any_lesion`` and
``count_lesions``.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, StrictBool, StrictFloat, StrictInt, StrictStr

from spinemets.errors import Issue

if TYPE_CHECKING:
    from spinemets.rules.models import NamedCondition, Parameter

__all__ = [
    "LESION_PREFIX",
    "Checker",
    "Number",
    "ParamRef",
    "Scalar",
    "Scope",
    "Threshold",
    "YPath",
    "check_threshold",
]

#: Case paths in rules that start with this prefix name a field of the lesion being considered.
LESION_PREFIX = "lesion."

Scope = Literal["case", "lesion"]

Scalar = StrictBool | StrictInt | StrictFloat | StrictStr
Number = StrictInt | StrictFloat


class _Model(BaseModel):
    # Validators are built on first validation: a run on the compiled bundled rules
    # (spinemets.rules.compiled) never validates a rules file, so never pays for them.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class ParamRef(_Model):
    """A reference to a named parameter: ``{param: surgery_min_survival_months}``."""

    param: StrictStr


Threshold = Number | ParamRef


def _exactly_one(model: BaseModel, names: tuple[str, ...], what: str) -> None:
    given = [n for n in names if getattr(model, n) is not None]
    if len(given) != 1:
        shown = ", ".join(n.rstrip("_") for n in names)
        found = ", ".join(n.rstrip("_") for n in given) or "none"
        raise ValueError(f"{what} needs exactly one of {shown} (found: {found})")


# --- load-time checks ---------------------------------------------------------------------------

#: A position in a rules file: keys and list indexes from the top of the file.
YPath = tuple[str | int, ...]


class Checker(Protocol):
    """What a condition kind's load-time check uses of the loader's cross-file checker.

    A check gets the condition, this checker, the file it is in (``f``, handed back to
    :meth:`err`), its path, the scope it is used in and the named conditions being expanded
    (``refs``). ``scope`` None: a named condition, checked where it is used (and once as
    case-level syntax where it is defined, for ids and paths)."""

    @property
    def parameters(self) -> Mapping[str, "Parameter"]:
        """The rule set's parameters by name."""

    @property
    def conditions(self) -> Mapping[str, tuple["NamedCondition", Any, YPath]]:
        """The named conditions: (definition, its file, the path of its ``when``)."""

    def err(
        self, f: Any, path: YPath, message: str, *, key: bool = False, code: str = "invalid"
    ) -> None:
        """Report a problem at ``path`` in ``f`` (``key``: at the mapping key)."""

    def unknown(self, what: str, value: str, known: Iterable[str]) -> str:
        """The message for an unknown name, with the closest known one and the known names."""

    def check(
        self, cond: Any, f: Any, path: YPath, scope: Scope | None, refs: tuple[str, ...]
    ) -> None:
        """Check one condition (a composite kind's part) with its kind's check."""

    def named_issues(self, name: str, scope: Scope | None, refs: tuple[str, ...]) -> list[Issue]:
        """What checking a named condition in one scope finds (checked once per scope)."""

    def adopt(self, issue: Issue) -> None:
        """Report an issue found while checking a named condition, unless already reported."""


def check_threshold(checker: Checker, value: Any, f: Any, path: YPath) -> None:
    """A ``{param: name}`` threshold names a numeric parameter."""
    if isinstance(value, ParamRef):
        param = checker.parameters.get(value.param)
        if param is None:
            checker.err(
                f,
                (*path, "param"),
                checker.unknown("parameter", value.param, checker.parameters),
                code="unknown_param",
            )
        elif isinstance(param.value, bool) or not isinstance(param.value, (int, float)):
            checker.err(f, (*path, "param"), f"parameter '{value.param}' is not a number")
