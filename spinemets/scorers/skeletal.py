"""Solitary or multiple skeletal metastases: the bone count shared by Tomita and modified Bauer.

v1 decision where sources conflict: the skeleton holds a
*solitary* metastasis when ``vertebral_metastases + extraspinal_bone_metastases == 1``, and
*multiple* metastases otherwise. The same count serves Tomita's bone item ("solitary or
isolated" 1 / "multiple" 2) and modified Bauer's "solitary skeletal metastasis" item.

With a count unknown, the answer is given only when it is certain. When
``vertebral_metastases`` is unknown, the number of distinct vertebral levels covered by the
listed lesions (``covered_levels``; the occiput is not counted) is a lower bound for it:

- ``vertebral_metastases >= 2``, or it is unknown and the lesions cover 2 or more levels →
  multiple;
- ``extraspinal_bone_metastases >= 2`` → multiple;
- ``extraspinal_bone_metastases >= 1`` and at least one vertebral metastasis known (the count
  is given, or a listed lesion covers a vertebral level) → multiple;
- otherwise unknown (e.g. one vertebral metastasis with the extraspinal count unknown).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from spinemets.case.levels import covered_levels
from spinemets.case.models import Case
from spinemets.scorers.base import ScoreResult

VERTEBRAL_PATH = "disease.vertebral_metastases"
EXTRASPINAL_PATH = "disease.extraspinal_bone_metastases"


@dataclass(frozen=True, slots=True)
class SkeletalCount:
    """Whether the skeleton holds one metastasis in all (``None`` when not certain)."""

    solitary: bool | None
    value: str
    missing: tuple[str, ...] = ()
    note: str = ""

    @property
    def path(self) -> str:
        """The case path to report for the item (the first unknown count, if any)."""
        return self.missing[0] if self.missing else VERTEBRAL_PATH


def skeletal_count(case: Case) -> SkeletalCount:
    """Solitary (one skeletal metastasis in all) or multiple, decided only when certain."""
    vertebral = case.disease.vertebral_metastases
    extraspinal = case.disease.extraspinal_bone_metastases
    if vertebral is not None and extraspinal is not None:
        total = vertebral + extraspinal
        kind = "solitary" if total == 1 else "multiple"
        return SkeletalCount(
            total == 1, f"{kind} ({vertebral} vertebral + {extraspinal} extraspinal)"
        )
    if vertebral is not None and vertebral >= 2:
        return SkeletalCount(
            False,
            f"multiple ({vertebral} vertebral; extraspinal count unknown)",
            note="extraspinal bone count unknown, but 2 or more vertebral metastases are multiple",
        )
    if extraspinal is not None and extraspinal >= 2:
        return SkeletalCount(
            False,
            f"multiple ({extraspinal} extraspinal; vertebral count unknown)",
            note="vertebral count unknown, but 2 or more extraspinal bone metastases are multiple",
        )
    covered = len(covered_levels(case.lesions)) if vertebral is None else 0
    if covered >= 2:
        extra_text = (
            "extraspinal count unknown" if extraspinal is None else f"{extraspinal} extraspinal"
        )
        return SkeletalCount(
            False,
            f"multiple (lesions listed cover {covered} vertebral levels; {extra_text})",
            note=(
                f"vertebral count unknown, but the listed lesions cover {covered} vertebral "
                "levels: the skeletal metastases are multiple"
            ),
        )
    if extraspinal is not None and extraspinal >= 1 and covered >= 1:
        return SkeletalCount(
            False,
            f"multiple ({extraspinal} extraspinal + at least 1 spinal lesion listed)",
            note=(
                "vertebral count unknown, but a listed spinal lesion plus an extraspinal bone "
                "metastasis make the skeletal metastases multiple"
            ),
        )
    missing = tuple(
        path
        for path, count in ((VERTEBRAL_PATH, vertebral), (EXTRASPINAL_PATH, extraspinal))
        if count is None
    )
    return SkeletalCount(
        None,
        "unknown",
        missing,
        note="solitary or multiple skeletal metastases is not certain: give "
        + " and ".join(missing),
    )


def with_missing(result: ScoreResult, paths: Iterable[str] = ()) -> ScoreResult:
    """``result`` with ``paths`` added to ``missing``, in order and without duplicates.

    Used where one item depends on several case fields (``additive`` records one path per item)
    or several items depend on one field.
    """
    merged: list[str] = []
    for path in (*result.missing, *paths):
        if path and path not in merged:
            merged.append(path)
    if tuple(merged) == result.missing:
        return result
    return replace(result, missing=tuple(merged))
