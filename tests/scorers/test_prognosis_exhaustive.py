"""Every input combination of the four prognostic scores against an independent formulation.

The reference below is written from clinical-reference §5.1-5.5 and the v1 decisions of
case-format.md, in a different shape from the modules under test: each raw input is turned into
the *set of points it could earn* (hand-written tables; an unknown input is every completion
of it), and the range is brute-forced with ``itertools.product`` over those sets. Counts use
representative values that hit every band (vertebral 1, 2, 3, unknown; extraspinal 0, 1, 2, 3,
unknown); every coded primary is enumerated, plus unknown.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from spinemets.case.models import Cancer, Case, Disease, Labs, Lesion, Neurology, Performance
from spinemets.scorers import bauer, nesms, tokuhashi, tomita
from spinemets.scorers.base import ScoreResult

U = "unknown"

# --- coded primaries, written out (case-format.md) --------------------------------------------
PRIMARIES = [
    "breast", "prostate", "thyroid", "carcinoid", "rectum", "colon", "kidney", "uterus",
    "lung_nsclc", "lung_sclc", "lung", "liver", "gallbladder", "stomach", "esophagus",
    "pancreas", "bladder", "osteosarcoma", "melanoma", "myeloma", "lymphoma", "leukemia",
    "germ_cell", "sarcoma", "ovarian", "head_and_neck", "neuroendocrine", "other",
    "unknown_primary",
]  # fmt: skip

# --- revised Tokuhashi (clinical-reference §5.1; v1 decisions) --------------------------------
TOK_KPS = {10: 0, 20: 0, 30: 0, 40: 0, 50: 1, 60: 1, 70: 1, 80: 2, 90: 2, 100: 2}
TOK_ECOG_AS_KPS = {0: [90, 100], 1: [70, 80], 2: [50, 60], 3: [30, 40], 4: [10, 20], 5: []}
TOK_PRIMARY_GROUPS = {
    0: ["lung", "lung_nsclc", "lung_sclc", "osteosarcoma", "stomach", "bladder", "esophagus",
        "pancreas"],
    1: ["liver", "gallbladder", "unknown_primary"],
    3: ["kidney", "uterus"],
    4: ["rectum"],
    5: ["thyroid", "breast", "prostate", "carcinoid"],
}  # fmt: skip
TOK_PRIMARY = {p: 2 for p in PRIMARIES} | {
    p: pts for pts, ps in TOK_PRIMARY_GROUPS.items() for p in ps
}
TOK_VISCERAL = {"unremovable": 0, "removable": 1, "none": 2}
# Organ item = major internal organs incl. brain (§5.1): the worst organ metastasis decides.
# Brain metastases present: removable (1) or unremovable (0), not recorded; absent: none (2).
TOK_BRAIN = {True: (0, 1), False: (2,)}
TOK_PALSY = {"A": 0, "B": 0, "C": 1, "D": 1, "E": 2}
TOK_CATEGORIES = [(0, 8, "lt_6_months"), (9, 11, "gte_6_months"), (12, 15, "gte_1_year")]


def tok_extraspinal(n: int) -> int:
    return 2 if n == 0 else 1 if n <= 2 else 0


def tok_vertebral(n: int) -> int:
    return 2 if n == 1 else 1 if n == 2 else 0


# --- Tomita (clinical-reference §5.2; v1 decisions) -------------------------------------------
TOM_GROWTH = {"slow": 1, "moderate": 2, "rapid": 4}
TOM_CLASS = {
    "breast": "slow", "thyroid": "slow", "prostate": "slow",
    "kidney": "moderate", "uterus": "moderate",
    "lung": "rapid", "lung_nsclc": "rapid", "lung_sclc": "rapid", "liver": "rapid",
    "stomach": "rapid", "colon": "rapid", "unknown_primary": "rapid",
}  # fmt: skip
TOM_VISCERAL = {"none": 0, "removable": 2, "unremovable": 4}
TOM_CATEGORIES = [
    (2, 3, "long_term_control"),
    (4, 5, "middle_term_control"),
    (6, 7, "short_term_palliation"),
    (8, 10, "terminal_care"),
]

# --- modified Bauer (Leithner 2008; v1 decisions) ---------------------------------------------
BAU_LUNG = {"lung", "lung_nsclc", "lung_sclc"}
BAU_FAVOURABLE = {"breast", "kidney", "lymphoma", "myeloma"}
BAU_CATEGORIES = [(0, 1, "supportive_care"), (2, 2, "short_term_palliation"),
                  (3, 4, "middle_term_control")]  # fmt: skip

# --- NESMS (clinical-reference §5.5; v1: capped at 3) -----------------------------------------
NES_AMBULATORY = {"independent": 1, "with_aid": 0, "non_ambulatory": 0}
NES_CATEGORIES = [(t, t, f"nesms_{t}") for t in range(4)]

# --- representative inputs --------------------------------------------------------------------
VERTEBRAL = [1, 2, 3, U]
EXTRASPINAL = [0, 1, 2, 3, U]
VISCERAL = ["none", "removable", "unremovable", U]
BRAIN = [True, False, U]
GRADES = ["A", "B", "C", "D", "E"]


def options(value: Any, domain: Iterable[Any]) -> list[Any]:
    """Every completion of ``value``: itself when known, the whole domain when unknown."""
    return list(domain) if value == U else [value]


@cache
def brute_force(point_sets: tuple[frozenset[int], ...], cap: int | None = None) -> frozenset[int]:
    """Every total reachable by one choice from each item's set of possible points."""
    totals = {sum(choice) for choice in itertools.product(*point_sets)}
    return frozenset(min(t, cap) if cap is not None else t for t in totals)


def expected(
    point_sets: tuple[frozenset[int], ...],
    categories: list[tuple[int, int, str]],
    cap: int | None = None,
) -> tuple[str, int | None, tuple[int, int], str | None]:
    totals = brute_force(point_sets, cap)
    low, high = min(totals), max(totals)
    # every completion giving one total settles the score, known items or not
    complete = len(totals) == 1
    category = next((c for lo, hi, c in categories if lo <= low and high <= hi), None)
    return ("complete" if complete else "partial", low if complete else None, (low, high), category)


def observed(result: ScoreResult) -> tuple[str, int | None, tuple[int, int] | None, str | None]:
    return (result.status, result.total, result.range, result.category)


BASE = Case.model_validate({"schema_version": 1, "case_id": "exhaustive"})
# Listed lesions by the number of distinct vertebral levels they cover (occiput not counted).
# With the vertebral count unknown, that number is a lower bound for it.
LESIONS: dict[int, list[Lesion]] = {
    0: [],
    1: [Lesion(level="T12")],
    2: [Lesion(level="T11-T12")],
    3: [Lesion(level="T11-T12"), Lesion(level="L2")],
}


def build(**sections: Any) -> Case:
    return BASE.model_copy(update=sections)


def check(label: str, combos: Iterator[tuple[Any, Case, tuple[Any, ...]]], compute: Any) -> int:
    failures: list[str] = []
    count = 0
    for inputs, case, want in combos:
        count += 1
        got = observed(compute(case, None))
        if got != want:
            failures.append(f"{inputs}: got {got}, expected {want}")
    print(f"{label}: {count} combinations checked")
    assert not failures, f"{len(failures)} mismatches, first: {failures[:5]}"
    return count


# --- revised Tokuhashi ------------------------------------------------------------------------


def tok_kps_points(kps: Any, ecog: Any) -> frozenset[int]:
    every = set(TOK_KPS.values())
    if kps != U:
        return frozenset({TOK_KPS[kps]} if kps in TOK_KPS else every)  # KPS 0: outside
    if ecog != U:
        mapped = TOK_ECOG_AS_KPS[ecog]
        return frozenset({TOK_KPS[k] for k in mapped} if mapped else every)  # ECOG 5: outside
    return frozenset(every)


def tok_organ_points(visceral: Any, brain: Any) -> frozenset[int]:
    return frozenset(
        min(TOK_VISCERAL[v], b)
        for v in options(visceral, TOK_VISCERAL)
        for present in options(brain, (True, False))
        for b in TOK_BRAIN[present]
    )


def tok_palsy_points(frankel: Any, asia: Any) -> frozenset[int]:
    grade = frankel if frankel != U else asia  # ASIA only as an approximate Frankel grade
    return frozenset(TOK_PALSY[g] for g in options(grade, GRADES))


PERFORMANCE: list[tuple[Any, Any]] = [(k, U) for k in (0, 10, 40, 50, 70, 80, 100)]
PERFORMANCE += [(U, e) for e in (U, 0, 1, 2, 3, 4, 5)]
PERFORMANCE.append((50, 0))  # both given: KPS wins
PALSY: list[tuple[Any, Any]] = (
    [(g, U) for g in GRADES] + [(U, a) for a in [U, *GRADES]] + [("E", "A")]
)  # both: Frankel


def lesion_choices(vert: Any, full: bool) -> list[int]:
    """Covered-level counts to try. ``full``: 0-3 levels with an unknown vertebral count, and a
    known count with none or 3 levels (the given count wins). Otherwise (to bound the run
    time of the widest product) 0 or 2 levels with an unknown count, none with a known one."""
    if vert == U:
        return list(LESIONS) if full else [0, 2]
    return [0, 3] if full else [0]


def tokuhashi_combinations(
    performance: list[tuple[Any, Any]],
    primaries: list[Any],
    palsy: list[tuple[Any, Any]],
    full: bool = False,
) -> Iterator[tuple[Any, Case, tuple[Any, ...]]]:
    perf_obj = {p: Performance.model_validate({"kps": p[0], "ecog": p[1]}) for p in performance}
    neuro_obj = {n: Neurology.model_validate({"frankel": n[0], "asia": n[1]}) for n in palsy}
    cancer_obj = {p: Cancer.model_validate({"primary": p}) for p in primaries}
    disease_obj = {
        d: Disease.model_validate(
            {
                "extraspinal_bone_metastases": d[0],
                "vertebral_metastases": d[1],
                "visceral_metastases": d[2],
                "brain_metastases": d[3],
            }
        )
        for d in itertools.product(EXTRASPINAL, VERTEBRAL, VISCERAL, BRAIN)
    }
    # the set of points each raw input could earn (every completion of an unknown)
    perf_set = {p: tok_kps_points(*p) for p in performance}
    palsy_set = {n: tok_palsy_points(*n) for n in palsy}
    primary_set = {p: frozenset(TOK_PRIMARY[x] for x in options(p, PRIMARIES)) for p in primaries}
    disease_sets = {
        (extra, vert, visc, brain, covered): (
            frozenset(tok_extraspinal(n) for n in options(extra, range(0, 6))),
            # an unknown count is at least 1 and at least the levels the lesions cover
            frozenset(tok_vertebral(n) for n in options(vert, range(max(1, covered), 6))),
            tok_organ_points(visc, brain),
        )
        for extra, vert, visc, brain in disease_obj
        for covered in lesion_choices(vert, full)
    }
    for perf, dis, primary, neuro in itertools.product(performance, disease_sets, primaries, palsy):
        sets = (perf_set[perf], *disease_sets[dis], primary_set[primary], palsy_set[neuro])
        case = build(
            performance=perf_obj[perf],
            disease=disease_obj[dis[:4]],
            lesions=LESIONS[dis[4]],
            cancer=cancer_obj[primary],
            neurology=neuro_obj[neuro],
        )
        yield (perf, dis, primary, neuro), case, expected(sets, TOK_CATEGORIES)


def test_tokuhashi_every_combination() -> None:
    """Every performance x count x visceral x brain x palsy input, with one primary per points
    group (and unknown); an unknown vertebral count with 0 or 2 covered levels (5 vertebral x
    lesion inputs): 15 * 5 * 5 * 4 * 3 * 7 * 12."""
    primaries = ["stomach", "liver", "colon", "kidney", "rectum", "breast", U]
    combos = tokuhashi_combinations(PERFORMANCE, primaries, PALSY)
    n = check("tokuhashi_revised", combos, tokuhashi.compute)
    assert n == 15 * 5 * 5 * 4 * 3 * 7 * 12


def test_tokuhashi_every_primary_code() -> None:
    """Every coded primary (and unknown) x every count and visceral input x performance and
    palsy inputs covering known, mapped, approximate and unknown; an unknown vertebral count
    with 0-3 covered levels, known counts also with 3 (10 vertebral x lesion inputs):
    4 * 5 * 10 * 4 * 3 * 30 * 4."""
    performance = [(40, U), (80, U), (U, 1), (U, U)]
    palsy = [("A", U), ("E", U), (U, "C"), (U, U)]
    combos = tokuhashi_combinations(performance, [*PRIMARIES, U], palsy, full=True)
    n = check("tokuhashi_revised (every primary)", combos, tokuhashi.compute)
    assert n == 4 * 5 * 10 * 4 * 3 * 30 * 4


# --- skeletal count (Tomita, Bauer) -----------------------------------------------------------


def solitary_options(vert: Any, extra: Any, covered: int) -> frozenset[bool]:
    """Solitary (True) / multiple (False) over every completion of the two counts.

    An unknown vertebral count is at least the number of vertebral levels the listed lesions
    cover (0 with no lesion listed); a completion with no skeletal metastasis at all is not a
    case of these scores.
    """
    vert_domain = range(covered, 5)
    outcomes = set()
    for v, e in itertools.product(options(vert, vert_domain), options(extra, range(0, 5))):
        if v + e >= 1:
            outcomes.add(v + e == 1)
    return frozenset(outcomes)


def skeletal_inputs() -> list[tuple[Any, Any, Any, int]]:
    return list(itertools.product(VERTEBRAL, EXTRASPINAL, VISCERAL, LESIONS))


def disease_case(vert: Any, extra: Any, visc: Any, covered: int, **more: Any) -> Case:
    disease = Disease.model_validate(
        {
            "vertebral_metastases": vert,
            "extraspinal_bone_metastases": extra,
            "visceral_metastases": visc,
        }
    )
    return build(disease=disease, lesions=LESIONS[covered], **more)


# --- Tomita -----------------------------------------------------------------------------------


def test_tomita_every_combination() -> None:
    growths = [U, "slow", "moderate", "rapid"]
    primaries = [*PRIMARIES, U]

    def combos() -> Iterator[tuple[Any, Case, tuple[Any, ...]]]:
        for growth, primary, (vert, extra, visc, lesion) in itertools.product(
            growths, primaries, skeletal_inputs()
        ):
            if growth != U:
                growth_set = frozenset({TOM_GROWTH[growth]})
            elif primary != U and primary in TOM_CLASS:
                growth_set = frozenset({TOM_GROWTH[TOM_CLASS[primary]]})
            else:  # unknown primary site, or a primary without a published class
                growth_set = frozenset(TOM_GROWTH.values())
            sets = (
                growth_set,
                frozenset(TOM_VISCERAL[v] for v in options(visc, TOM_VISCERAL)),
                frozenset(1 if s else 2 for s in solitary_options(vert, extra, lesion)),
            )
            cancer = Cancer.model_validate({"primary": primary, "growth": growth})
            case = disease_case(vert, extra, visc, lesion, cancer=cancer)
            yield (growth, primary, vert, extra, visc, lesion), case, expected(sets, TOM_CATEGORIES)

    n = check("tomita", combos(), tomita.compute)
    assert n == 4 * 30 * 4 * 5 * 4 * 4


# --- modified Bauer ---------------------------------------------------------------------------


def bauer_primary_points(primary: Any) -> frozenset[int]:
    """'Not lung' + 'favourable primary' together, over every completion of the primary."""
    identified = [p for p in PRIMARIES if p != "unknown_primary"]
    if primary in (U, "unknown_primary"):
        # unknown site, or unidentified primary (v1): it may prove to be any identified primary,
        # so 'not lung' and 'favourable primary' are both unknown
        return frozenset().union(*(bauer_primary_points(p) for p in identified))
    return frozenset({(primary not in BAU_LUNG) + (primary in BAU_FAVOURABLE)})


def bauer_sets(
    primary: Any, vert: Any, extra: Any, visc: Any, lesion: int
) -> tuple[frozenset[int], ...]:
    return (
        frozenset(
            1 if v == "none" else 0 for v in options(visc, ("none", "removable", "unremovable"))
        ),
        bauer_primary_points(primary),
        frozenset(1 if s else 0 for s in solitary_options(vert, extra, lesion)),
    )


def test_bauer_every_combination() -> None:
    primaries = [*PRIMARIES, U]

    def combos() -> Iterator[tuple[Any, Case, tuple[Any, ...]]]:
        for primary, (vert, extra, visc, lesion) in itertools.product(primaries, skeletal_inputs()):
            sets = bauer_sets(primary, vert, extra, visc, lesion)
            cancer = Cancer.model_validate({"primary": primary})
            case = disease_case(vert, extra, visc, lesion, cancer=cancer)
            yield (primary, vert, extra, visc, lesion), case, expected(sets, BAU_CATEGORIES)

    n = check("modified_bauer", combos(), bauer.compute)
    assert n == 30 * 4 * 5 * 4 * 4


# --- NESMS ------------------------------------------------------------------------------------


def test_nesms_every_combination() -> None:
    # Bauer inputs with one primary per Bauer class (lung, favourable, other, unidentified,
    # unknown): every primary code is covered by the Bauer test above.
    primaries = ["lung_sclc", "breast", "colon", "unknown_primary", U]
    ambulatory = ["independent", "with_aid", "non_ambulatory", U]
    albumin = ["3.4 g/dL", "3.5 g/dL", "34 g/L", "35 g/L", "4.2 g/dL", U]
    albumin_points = {"3.4 g/dL": 0, "3.5 g/dL": 1, "34 g/L": 0, "35 g/L": 1, "4.2 g/dL": 1}

    def combos() -> Iterator[tuple[Any, Case, tuple[Any, ...]]]:
        for primary, (vert, extra, visc, lesion), amb, alb in itertools.product(
            primaries, skeletal_inputs(), ambulatory, albumin
        ):
            bauer_totals = brute_force(bauer_sets(primary, vert, extra, visc, lesion))
            sets = (
                frozenset(2 if t >= 3 else 0 for t in bauer_totals),
                frozenset(NES_AMBULATORY[a] for a in options(amb, NES_AMBULATORY)),
                frozenset({0, 1} if alb == U else {albumin_points[alb]}),
            )
            case = disease_case(
                vert,
                extra,
                visc,
                lesion,
                cancer=Cancer.model_validate({"primary": primary}),
                neurology=Neurology.model_validate({"ambulatory": amb}),
                labs=Labs.model_validate({"albumin": alb}),
            )
            yield (
                (primary, vert, extra, visc, lesion, amb, alb),
                case,
                expected(sets, NES_CATEGORIES, cap=3),
            )

    n = check("nesms", combos(), nesms.compute)
    assert n == 5 * 4 * 5 * 4 * 4 * 4 * 6
