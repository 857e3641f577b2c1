"""Outcome sets: an option is decided wherever every completion of the unknowns agrees.

The decision table is checked for every set of possible outcomes; the behaviour cases
(``cases/50_*``, ``cases/51_*``) check it through the bundled rules.
"""

from __future__ import annotations

import itertools

import pytest

from spinemets.rules.options import _decided_strength
from spinemets.vocab import RULE_STRENGTHS

OUTCOMES: tuple[str | None, ...] = (*RULE_STRENGTHS, None)  # None: no rule offers the option
SETS = [
    frozenset(s) for n in range(1, len(OUTCOMES) + 1) for s in itertools.combinations(OUTCOMES, n)
]


def _expected(possible: frozenset[str | None]) -> str | None:
    doing = {"recommended", "consider"}
    if possible == {None}:
        return None  # not listed
    if all(p in doing for p in possible):
        return "recommended" if possible == {"recommended"} else "consider"
    if not any(p in doing for p in possible):
        return "contraindicated" if possible == {"contraindicated"} else "not_indicated"
    return "not_evaluable"


@pytest.mark.parametrize("possible", SETS, ids=lambda s: "+".join(sorted(map(str, s))))
def test_every_outcome_set(possible: frozenset[str | None]) -> None:
    assert _decided_strength(set(possible)) == _expected(possible)


def test_the_table_has_all_thirty_one_sets() -> None:
    assert len(SETS) == 31


def test_only_a_real_split_is_not_evaluable() -> None:
    split = [s for s in SETS if _decided_strength(set(s)) == "not_evaluable"]
    assert split and all(
        s & {"recommended", "consider"} and s - {"recommended", "consider"} for s in split
    )
