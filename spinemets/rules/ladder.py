"""The WHO analgesic ladder step the rules suggest: from the NRS band and the current step,
moving up, never sideways."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spinemets.assessment import Need
from spinemets.case.models import Case

if TYPE_CHECKING:
    from spinemets.rules.models import RuleSet

__all__ = ["Ladder", "compute_ladder"]

_NRS = Need("pain.nrs", "pain: worst pain score (NRS 0-10)")
_CONTROLLED = Need("pain.controlled", "pain: controlled on the current regimen")


@dataclass(frozen=True, slots=True)
class Ladder:
    """The analgesic ladder step the rules suggest, with how it was reached."""

    step: int | None
    lines: tuple[str, ...]
    needs: tuple[Need, ...]


def compute_ladder(rules: RuleSet, case: Case) -> Ladder:
    """WHO ladder step from the NRS bands and the current step: move up, not sideways."""
    pain = case.pain
    bands = rules.pain_bands
    lines: list[str] = []
    band_step: int | None = None
    if pain.nrs is not None:
        band = next(b for b in bands.bands if b.nrs_min <= pain.nrs <= b.nrs_max)
        band_step = band.ladder_step
        lines.append(
            f"pain.nrs = {pain.nrs}: {band.band} pain (NRS {band.nrs_min}-{band.nrs_max}, "
            f"{bands.source}) → step {band.ladder_step}: {band.suggestion}"
        )
    current = pain.current_step
    if current is None:
        if band_step is None:
            return Ladder(None, tuple(lines), (_NRS,))
        return Ladder(band_step, tuple(lines), ())
    if band_step is not None and band_step > current:
        lines.append(
            f"pain.current_step = {current}: below the step for this pain level "
            f"→ move up to step {band_step}"
        )
        return Ladder(band_step, tuple(lines), ())
    if pain.controlled is False:
        step = min(current + 1, 3)
        if current == 3:
            lines.append(
                "pain.controlled = false on step 3: no higher drug step — consider radiotherapy "
                "for bone pain and interventional options (nerve blocks, vertebral "
                "augmentation, intrathecal analgesia)"
            )
        else:
            lines.append(
                f"pain.controlled = false on step {current} → move up one step to step {step} "
                "(not sideways)"
            )
        return Ladder(step, tuple(lines), ())
    if band_step is None:
        return Ladder(
            None, tuple(lines), (_NRS,) if pain.controlled is not None else (_NRS, _CONTROLLED)
        )
    if pain.controlled is True:
        lines.append(f"pain.controlled = true on step {current} → continue step {current}")
        return Ladder(current, tuple(lines), ())
    lines.append(
        f"pain.current_step = {current}; if pain is not controlled on it, "
        f"move up to step {min(current + 1, 3)}"
    )
    return Ladder(current, tuple(lines), (_CONTROLLED,))
