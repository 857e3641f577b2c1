"""Case ids that occur in more than one file of a run (``batch``, ``check``, ``board``).

Two files with one case id are usually the same patient twice (an edited copy) or two patients
given one id; either way a reader must be told. Only the first file per id is kept, plus the
files of the ids that repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DuplicateIds"]


@dataclass(slots=True)
class DuplicateIds:
    """Collects ``(case id, file)`` pairs; :attr:`repeated` maps each repeated id to its files."""

    first: dict[str, str] = field(default_factory=dict)
    repeated: dict[str, list[str]] = field(default_factory=dict)

    def add(self, case_id: str | None, file: str) -> None:
        if case_id is None:
            return
        if case_id in self.first:
            self.repeated.setdefault(case_id, [self.first[case_id]]).append(file)
        else:
            self.first[case_id] = file

    def __len__(self) -> int:
        return len(self.repeated)

    def lines(self) -> list[str]:
        """One ``duplicate case id 'X' in N files: a, b`` line per repeated id (for stderr)."""
        return [
            f"duplicate case id {case_id!r} in {len(files)} files: {', '.join(files)}"
            for case_id, files in self.repeated.items()
        ]
