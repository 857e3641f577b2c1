"""Clinical scale tables the case checks and the scorers share (defined once)."""

from __future__ import annotations

__all__ = ["KPS_TO_ECOG"]

#: Usual KPS → ECOG mapping: the comparison table published by ECOG-ACRIN ("one commonly used
#: comparison"; Oken MM, et al. Am J Clin Oncol 1982 for ECOG).
KPS_TO_ECOG: dict[int, int] = {
    100: 0, 90: 0,
    80: 1, 70: 1,
    60: 2, 50: 2,
    40: 3, 30: 3,
    20: 4, 10: 4,
    0: 5,
}  # fmt: skip
