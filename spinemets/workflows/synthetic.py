"""A seeded synthetic cohort of valid case files, for benchmarks and tests.

Synthetic: random combinations of coded values (with some unknowns), no real patient and no
clinical meaning. The same seed always gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

_LEVELS = (
    [f"C{i}" for i in range(1, 8)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + ["S1"]
)
_PRIMARIES = [
    "breast",
    "prostate",
    "thyroid",
    "kidney",
    "lung_nsclc",
    "lung_sclc",
    "colon",
    "rectum",
    "liver",
    "melanoma",
    "myeloma",
    "lymphoma",
    "unknown_primary",
    "stomach",
    "uterus",
]


def _pick(rng: random.Random, values: list[str], unknown: float = 0.1) -> str:
    return "unknown" if rng.random() < unknown else rng.choice(values)


def _flag(rng: random.Random, p_true: float) -> str:
    roll = rng.random()
    return "unknown" if roll < 0.05 else "true" if roll < 0.05 + p_true else "false"


def case_yaml(rng: random.Random, case_id: str) -> str:
    """One valid case file (YAML text)."""
    lesions = []
    levels = rng.sample(_LEVELS, rng.randint(0, 3))
    for level in levels:
        escc = _pick(rng, ['"0"', '"1a"', '"1b"', '"1c"', '"2"', '"3"'])
        lesions.append(
            f"  - level: {level}\n"
            f"    pain: {_pick(rng, ['mechanical', 'occasional', 'none'])}\n"
            f"    bone_lesion: {_pick(rng, ['lytic', 'mixed', 'blastic'])}\n"
            f"    alignment: {_pick(rng, ['normal', 'deformity', 'subluxation'])}\n"
            f"    collapse: {_pick(rng, ['none', 'involvement_gt50', 'lt50', 'gt50'])}\n"
            f"    posterolateral: {_pick(rng, ['none', 'unilateral', 'bilateral'])}\n"
            f"    escc: {escc}\n"
            f"    posterior_wall_retropulsion: {_pick(rng, ['true', 'false'])}\n"
        )
    frankel = _pick(rng, ["C", "D", "E", "E", "E"])
    ambulatory = "non_ambulatory" if frankel == "C" else _pick(rng, ["independent", "with_aid"])
    kps = rng.choice([40, 50, 60, 70, 80, 90])
    ecog = {40: 3, 50: 2, 60: 2, 70: 1, 80: 1, 90: 0}[kps]
    return (
        "schema_version: 1\n"
        f"case_id: {case_id}\n"
        "patient:\n"
        f"  age: {rng.randint(25, 90)}\n"
        f"  sex: {_pick(rng, ['female', 'male'])}\n"
        "cancer:\n"
        f"  primary: {_pick(rng, _PRIMARIES)}\n"
        f"  systemic_therapy: {_pick(rng, ['available', 'limited', 'none'])}\n"
        "disease:\n"
        f"  vertebral_metastases: {max(1, len(levels)) + rng.randint(0, 3)}\n"
        f"  extraspinal_bone_metastases: {rng.randint(0, 4)}\n"
        f"  visceral_metastases: {_pick(rng, ['none', 'removable', 'unremovable'])}\n"
        f"  brain_metastases: {_pick(rng, ['true', 'false'])}\n"
        "lesions:" + ("\n" + "".join(lesions) if lesions else " []\n") + "neurology:\n"
        f"  frankel: {frankel}\n"
        f"  ambulatory: {ambulatory}\n"
        f"  deficit: {_pick(rng, ['none', 'stable', 'progressing'])}\n"
        f"  myelopathy: {_flag(rng, 0.15)}\n"
        f"  radiculopathy: {_flag(rng, 0.15)}\n"
        f"  sphincter_dysfunction: {_flag(rng, 0.15)}\n"
        "performance:\n"
        f"  kps: {kps}\n"
        f"  ecog: {ecog}\n"
        "labs:\n"
        f"  albumin: {rng.choice(['2.9 g/dL', '3.5 g/dL', '4.1 g/dL', '38 g/L', 'unknown'])}\n"
        f"  egfr: {rng.randint(20, 110)}\n"
        "pain:\n"
        f"  nrs: {rng.randint(0, 10)}\n"
        f"  neuropathic: {_pick(rng, ['true', 'false'])}\n"
        f"  night_pain: {_pick(rng, ['true', 'false'])}\n"
        f"  opioid_status: {_pick(rng, ['naive', 'tolerant'])}\n"
        f"  current_step: {rng.randint(0, 3)}\n"
        f"  controlled: {_pick(rng, ['true', 'false'])}\n"
        "comorbidities:\n"
        f"  anticoagulant: {_pick(rng, ['true', 'false'])}\n"
        f"  antiplatelet: {_pick(rng, ['true', 'false'])}\n"
        f"  gi_bleed_history: {_pick(rng, ['true', 'false'])}\n"
        f"  operable: {_pick(rng, ['true', 'false'])}\n"
        "preferences:\n"
        f"  declines_surgery: {_pick(rng, ['true', 'false'], 0.0)}\n"
    )


#: Ways to make a case file invalid (each breaks loading with a located issue).
CORRUPTIONS = (
    ("unknown_field", lambda text: text.replace("patient:\n", "patient:\n  colour: blue\n", 1)),
    ("bad_enum", lambda text: text.replace("sex: ", "sex: mle  # ", 1)),
    ("yaml_syntax", lambda text: text + "lesions: [unclosed\n"),
    ("duplicate_key", lambda text: text + "case_id: again\n"),
    ("out_of_range", lambda text: text.replace("  age: ", "  age: 4", 1)),
    ("empty", lambda text: ""),
)


def write_cohort(
    folder: Path, n: int, *, seed: int = 20260101, corrupt_every: int = 0
) -> list[Path]:
    """Write ``n`` case files ``case-00000.yaml``... into ``folder``; with ``corrupt_every`` k,
    every k-th file (index % k == k - 1) is made invalid. Returns the paths in order."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = case_yaml(rng, f"SYN-{seed}-{i:05d}")
        if corrupt_every and i % corrupt_every == corrupt_every - 1:
            _, corrupt = CORRUPTIONS[(i // corrupt_every) % len(CORRUPTIONS)]
            text = corrupt(text)
        path = folder / f"case-{i:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def is_corrupted(index: int, corrupt_every: int) -> bool:
    return bool(corrupt_every) and index % corrupt_every == corrupt_every - 1
