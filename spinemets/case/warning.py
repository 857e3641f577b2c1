"""A warning about a case: a consistency or applicability finding, never an error."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Warning"]


@dataclass(frozen=True, slots=True)
class Warning:
    """A consistency or applicability warning about the case (never an error)."""

    code: str
    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "path": self.path, "message": self.message}
