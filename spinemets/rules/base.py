"""What every rules model shares: the model configuration, values, thresholds and scopes.

A threshold (``total_gte``, ``gte``, ``gte_months``, ...) is a number or ``{param: name}``, the
name of a numeric site parameter. ``lesion.<field>`` case paths name a field of the lesion
being considered; they apply in lesion option rules and inside ``any_lesion`` and
``count_lesions``.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictBool, StrictFloat, StrictInt, StrictStr

__all__ = [
    "LESION_PREFIX",
    "Number",
    "ParamRef",
    "Scalar",
    "Scope",
    "Threshold",
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
