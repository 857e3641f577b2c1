"""Vertebral levels: parsing, ordering and the SINS location class of each level.

A level is ``occiput``, ``C1``-``C7``, ``T1``-``T12``, ``L1``-``L5``, ``S1``-``S5`` or ``coccyx``.
Transitional segments ``T13`` and ``L6`` are accepted (with a warning) but have no SINS
location class of their own: the clinician gives ``location_class``. A range ``T11-T12`` runs
from the upper to the lower level.

SINS location classes (Fisher CG et al., Spine 2010;35:E1221-9): junctional occiput-C2, C7-T2,
T11-L1, L5-S1 (3 points); mobile C3-C6, L2-L4 (2); semi-rigid T3-T10 (1); rigid S2-S5 (0).
The coccyx is not defined by SINS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Protocol


class LocationClass(StrEnum):
    """SINS location category."""

    JUNCTIONAL = "junctional"
    MOBILE = "mobile"
    SEMI_RIGID = "semi_rigid"
    RIGID = "rigid"


LOCATION_POINTS: dict[LocationClass, int] = {
    LocationClass.JUNCTIONAL: 3,
    LocationClass.MOBILE: 2,
    LocationClass.SEMI_RIGID: 1,
    LocationClass.RIGID: 0,
}

_REGION_COUNTS = {"C": 7, "T": 12, "L": 5, "S": 5}
TRANSITIONAL = ("T13", "L6")


def _build_order() -> tuple[str, ...]:
    order = ["occiput"]
    order += [f"C{i}" for i in range(1, 8)]
    order += [f"T{i}" for i in range(1, 13)] + ["T13"]
    order += [f"L{i}" for i in range(1, 6)] + ["L6"]
    order += [f"S{i}" for i in range(1, 6)]
    order.append("coccyx")
    return tuple(order)


#: Every accepted level from cranial to caudal (transitional levels in anatomical order).
LEVEL_ORDER: tuple[str, ...] = _build_order()
_INDEX = {name: i for i, name in enumerate(LEVEL_ORDER)}


def _location_table() -> dict[str, LocationClass]:
    j, m, s, r = (
        LocationClass.JUNCTIONAL,
        LocationClass.MOBILE,
        LocationClass.SEMI_RIGID,
        LocationClass.RIGID,
    )
    table: dict[str, LocationClass] = {"occiput": j, "C1": j, "C2": j}
    table |= {f"C{i}": m for i in range(3, 7)}
    table |= {"C7": j, "T1": j, "T2": j}
    table |= {f"T{i}": s for i in range(3, 11)}
    table |= {"T11": j, "T12": j, "L1": j}
    table |= {"L2": m, "L3": m, "L4": m}
    table |= {"L5": j, "S1": j}
    table |= {f"S{i}": r for i in range(2, 6)}
    return table


#: SINS location class per level; absent for coccyx and transitional levels.
SINS_LOCATION: dict[str, LocationClass] = _location_table()

#: Levels caudal to the conus medullaris (which ends at about L1-L2 in adults): ESCC was
#: validated for cervical and thoracic cord compression only (Bilsky MH et al., J Neurosurg
#: Spine 2010).
FIRST_BELOW_CONUS = "L2"

_LEVEL_RE = re.compile(r"(occiput|coccyx|[CTLS][0-9]{1,2})")


class LevelError(ValueError):
    """A level string that is not a vertebral level or range."""


@dataclass(frozen=True, slots=True)
class LevelSpan:
    """A single level or a cranial-to-caudal range of levels."""

    upper: str
    lower: str

    @property
    def levels(self) -> tuple[str, ...]:
        """Every level from ``upper`` to ``lower`` inclusive.

        A transitional level (T13, L6) is part of the span only when it is named as an end:
        ``T12-L1`` is T12 and L1 in usual anatomy, not T12, T13 and L1.
        """
        inner = LEVEL_ORDER[_INDEX[self.upper] : _INDEX[self.lower] + 1]
        named = (self.upper, self.lower)
        return tuple(lv for lv in inner if lv not in TRANSITIONAL or lv in named)

    @property
    def transitional(self) -> tuple[str, ...]:
        """Transitional levels named by the span (T13, L6), which need ``location_class``."""
        return tuple(lv for lv in dict.fromkeys((self.upper, self.lower)) if lv in TRANSITIONAL)

    @property
    def below_conus(self) -> bool:
        """True when the whole span lies caudal to the conus (L2 or lower)."""
        return _INDEX[self.upper] >= _INDEX[FIRST_BELOW_CONUS]

    def __str__(self) -> str:
        return self.upper if self.upper == self.lower else f"{self.upper}-{self.lower}"


def _canonical(token: str) -> str:
    low = token.lower()
    if low in ("occiput", "c0"):
        return "occiput"
    if low == "coccyx":
        return "coccyx"
    return token.upper()


def _check_single(token: str, whole: str) -> str:
    name = _canonical(token)
    if name in _INDEX:
        return name
    if _LEVEL_RE.fullmatch(name):
        region, number = name[0], name[1:]
        top = _REGION_COUNTS[region]
        raise LevelError(f"'{whole}': {region}{number} does not exist ({region}1-{region}{top})")
    raise LevelError(f"'{whole}' is not a vertebral level")


def _non_ascii_hint(text: str) -> str | None:
    for ch in text:
        if ord(ch) > 127:
            name = unicodedata.name(ch, "unknown character")
            return (
                f"'{text}' contains the non-ASCII character {ch!r} ({name}); "
                "type the level with Latin letters, e.g. T12"
            )
    return None


#: Dashes typed (or pasted from a report) between the two ends of a range: hyphen, en dash,
#: em dash, minus sign, non-breaking hyphen. All read as the range hyphen.
RANGE_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_TO_HYPHEN = str.maketrans({ch: "-" for ch in RANGE_DASHES})


@lru_cache(maxsize=1024)
def parse_level(text: str) -> LevelSpan:
    """Parse ``T12``, ``t12``, ``C7-T1`` (or ``C7–T1`` with an en dash), ``occiput`` or
    ``coccyx`` into a :class:`LevelSpan` (a pure function of the text, so memoised: every
    rule and scorer that reads a lesion's span parses its level once per process)."""
    text = text.translate(_TO_HYPHEN)
    hint = _non_ascii_hint(text)
    if hint:
        raise LevelError(hint)
    raw = text.strip()
    parts = [p.strip() for p in raw.split("-")]
    _thoracic_alias(raw, parts)
    if len(parts) == 1:
        name = _check_single(parts[0], raw)
        return LevelSpan(name, name)
    if len(parts) != 2 or not all(parts):
        raise LevelError(f"'{raw}' is not a level or a range such as T11-T12")
    upper, lower = (_check_single(p, raw) for p in parts)
    if _INDEX[upper] > _INDEX[lower]:
        raise LevelError(
            f"'{raw}': write a range from the upper to the lower level ({lower}-{upper})"
        )
    return LevelSpan(upper, lower)


def _thoracic_alias(raw: str, parts: list[str]) -> None:
    """``Th12`` / ``D12`` (thoracic levels as some reports write them): name the level meant."""
    from spinemets.case.suggest import level_suggestion

    meant = [level_suggestion(p) for p in parts]
    if any(meant):
        fixed = "-".join(m or p for m, p in zip(meant, parts, strict=True))
        raise LevelError(
            f"'{raw}': thoracic levels are written T1-T12 here; did you mean '{fixed}'?"
        )


def level_index(name: str) -> int:
    """Position of a level from cranial (0 = occiput) to caudal."""
    return _INDEX[name]


class HasSpan(Protocol):
    """Anything with a level span (a case lesion)."""

    @property
    def span(self) -> LevelSpan: ...


def covered_levels(lesions: Iterable[HasSpan]) -> set[str]:
    """Distinct vertebral levels covered by ``lesions`` (the occiput is not a vertebra).

    A lower bound for ``disease.vertebral_metastases``: each covered level holds at least one
    metastasis.
    """
    levels: set[str] = set()
    for lesion in lesions:
        levels.update(lv for lv in lesion.span.levels if lv != "occiput")
    return levels
