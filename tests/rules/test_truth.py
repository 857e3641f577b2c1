"""Lazily merged facts and needs equal merging them at every node (the former eager engine)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from spinemets.assessment import Need
from spinemets.rules.truth import Truth, all_of, any_of, negate, uniq


@dataclass(frozen=True)
class Eager:
    value: bool | None
    facts: tuple[str, ...] = ()
    needs: tuple[Need, ...] = ()


def eager_all(parts: Sequence[Eager]) -> Eager:
    false = [t for t in parts if t.value is False]
    if false:
        return Eager(False, uniq(f for t in false for f in t.facts))
    unknown = [t for t in parts if t.value is None]
    if unknown:
        known = [t for t in parts if t.value is True]
        return Eager(
            None,
            uniq(f for t in (*known, *unknown) for f in t.facts),
            uniq(n for t in unknown for n in t.needs),
        )
    return Eager(True, uniq(f for t in parts for f in t.facts))


def eager_any(parts: Sequence[Eager]) -> Eager:
    true = [t for t in parts if t.value is True]
    if true:
        return Eager(True, uniq(f for t in true for f in t.facts))
    unknown = [t for t in parts if t.value is None]
    if unknown:
        return Eager(
            None,
            uniq(f for t in parts for f in t.facts),
            uniq(n for t in unknown for n in t.needs),
        )
    return Eager(False, uniq(f for t in parts for f in t.facts))


def eager_not(t: Eager) -> Eager:
    return Eager(None if t.value is None else not t.value, t.facts, t.needs)


# Small alphabets so that facts and needs repeat across (and within) leaves.
FACTS = st.lists(st.sampled_from("abcde"), max_size=3).map(tuple)
NEEDS = st.lists(
    st.builds(Need, st.sampled_from([None, "p", "q"]), st.sampled_from(["x", "y"])), max_size=3
).map(tuple)
LEAF = st.tuples(st.sampled_from([True, False, None]), FACTS, NEEDS)

#: A program building a DAG: leaves, then nodes over earlier entries (so parts are shared).
STEP = st.tuples(
    st.sampled_from(["all", "any", "not"]),
    st.lists(st.integers(min_value=0), min_size=1, max_size=4),
)


@given(
    st.lists(LEAF, min_size=1, max_size=6),
    st.lists(STEP, max_size=12),
    st.lists(st.tuples(st.integers(min_value=0), st.booleans())),
)
def test_lazy_merge_equals_eager(
    leaves: list[tuple[bool | None, tuple[str, ...], tuple[Need, ...]]],
    steps: list[tuple[str, list[int]]],
    early_reads: list[tuple[int, bool]],
) -> None:
    lazy = [Truth(v, f, n) for v, f, n in leaves]
    eager = [Eager(v, f, n) for v, f, n in leaves]
    for op, picks in steps:
        chosen = [p % len(lazy) for p in picks]
        if op == "not":
            lazy.append(negate(lazy[chosen[0]]))
            eager.append(eager_not(eager[chosen[0]]))
        elif op == "all":
            lazy.append(all_of([lazy[i] for i in chosen]))
            eager.append(eager_all([eager[i] for i in chosen]))
        else:
            lazy.append(any_of([lazy[i] for i in chosen]))
            eager.append(eager_any([eager[i] for i in chosen]))
    # read some nodes first (a memoised part read before the whole), then every node
    for index, facts_first in early_reads:
        got, want = lazy[index % len(lazy)], eager[index % len(eager)]
        if facts_first:
            assert got.facts == want.facts
        else:
            assert got.needs == want.needs
    for got, want in zip(reversed(lazy), reversed(eager), strict=True):
        assert (got.value, got.facts, got.needs) == (want.value, want.facts, want.needs)
        assert (got.value, got.facts, got.needs) == (want.value, want.facts, want.needs)


def test_leaf_keeps_its_tuples_and_compares_by_content() -> None:
    need = Need("p", "x")
    leaf = Truth(None, ("a", "a"), (need, need))
    assert leaf.facts == ("a", "a") and leaf.needs == (need, need)  # as given
    assert negate(leaf) == Truth(None, ("a", "a"), (need, need))
    merged = all_of([Truth(True, ("a",)), Truth(None, ("a", "b"), (need,))])
    assert merged == Truth(None, ("a", "b"), (need,))
    assert hash(merged) == hash(Truth(None, ("a", "b"), (need,)))
    assert repr(merged) == f"Truth(value=None, facts=('a', 'b'), needs=({need!r},))"


def test_every_small_combination_merges_in_the_eager_order() -> None:
    values: list[bool | None] = [True, False, None]
    for size in range(1, 4):
        for combo in itertools.product(values, repeat=size):
            leaves = [
                (v, (f"f{i}", "shared"), (Need(f"p{i}", f"n{i}"), Need(None, "shared")))
                for i, v in enumerate(combo)
            ]
            lazy = [Truth(*leaf) for leaf in leaves]
            eager = [Eager(*leaf) for leaf in leaves]
            pairs = [
                (all_of(lazy), eager_all(eager)),
                (any_of(lazy), eager_any(eager)),
                (negate(all_of(lazy)), eager_not(eager_all(eager))),
                (
                    any_of([all_of(lazy), negate(lazy[0])]),
                    eager_any([eager_all(eager), eager_not(eager[0])]),
                ),
            ]
            for got, want in pairs:
                assert (got.value, got.facts, got.needs) == (want.value, want.facts, want.needs)
