"""covered_levels: distinct vertebral levels covered by the listed lesions (a lower bound for
``disease.vertebral_metastases`` used by the skeletal count and revised Tokuhashi)."""

from __future__ import annotations

import pytest

from spinemets.case.levels import covered_levels
from spinemets.case.models import Lesion


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], set()),
        (["T12"], {"T12"}),
        (["T12", "T12"], {"T12"}),
        (["T11-T12", "T12-L1"], {"T11", "T12", "L1"}),
        (["occiput-C2"], {"C1", "C2"}),  # the occiput is not a vertebra
        (["T12-L1"], {"T12", "L1"}),  # usual anatomy: no T13 in between
        (["T12-T13"], {"T12", "T13"}),  # a named transitional level counts
        (["S5-coccyx"], {"S5", "coccyx"}),
    ],
)
def test_covered_levels(levels: list[str], expected: set[str]) -> None:
    assert covered_levels([Lesion(level=lv) for lv in levels]) == expected
