"""Performance status — ECOG (recorded, or mapped from Karnofsky).

Oken MM, Creech RH, Tormey DC, et al. Toxicity and response criteria of the Eastern Cooperative
Oncology Group. Am J Clin Oncol 1982;5(6):649-655. Karnofsky DA, Burchenal JH 1949 (KPS).
KPS→ECOG comparison: ECOG-ACRIN, "one commonly used comparison".

Inputs: ``performance.ecog`` (0-5) and/or ``performance.kps`` (0-100, steps of 10).

Total = ECOG: the recorded ECOG when given, otherwise mapped from KPS with the table below
(ECOG-ACRIN), and the mapping is noted. ECOG-ACRIN notes several published ways
to map the two scales; only this table is used.

| KPS  | 100, 90 | 80, 70 | 60, 50 | 40, 30 | 20, 10 | 0 |
| ECOG | 0       | 1      | 2      | 3      | 4      | 5 |

Category ``ecog_<n>``. ECOG grades (§4.1): 0 fully active; 1 restricted in strenuous activity
but ambulatory, light work; 2 ambulatory, all self-care, cannot work, up > 50 % of waking
hours; 3 limited self-care, in bed or chair > 50 % of waking hours; 4 completely disabled;
5 dead. Neither given: not computable.

When both are given and KPS maps to another ECOG, the recorded ECOG is used and the
disagreement is noted. Scores that use KPS bands (revised Tokuhashi) read KPS themselves and
may use :func:`kps_for_ecog` for the KPS values compatible with an ECOG.

Limitations: the KPS/ECOG mapping is approximate; ECOG 3 is "more than 50 %" in ECOG-ACRIN's
table ("50 % or more" in some copies).

Worked example: kps 60, no ECOG → total 2 (ecog_2), noted as mapped from KPS 60.
"""

from __future__ import annotations

from spinemets.case.models import Case
from spinemets.case.scales import KPS_TO_ECOG as SCALE_KPS_TO_ECOG
from spinemets.scorers.base import Band, Component, Scorer, ScoreResult, not_computable

ID = "performance"
VERSION = "performance_ecog_kps@1"
CITATION = (
    "Oken MM, Creech RH, Tormey DC, et al. Toxicity and response criteria of the Eastern "
    "Cooperative Oncology Group. Am J Clin Oncol 1982;5(6):649-655; "
    "KPS: Karnofsky & Burchenal 1949; "
    "KPS-ECOG comparison: ECOG-ACRIN."
)

#: KPS → ECOG (ECOG-ACRIN "one commonly used comparison"), shared with the case checks.
KPS_TO_ECOG = SCALE_KPS_TO_ECOG

#: ECOG grade definitions (paraphrased from Oken MM, et al. Am J Clin Oncol 1982).
ECOG_DEFINITION: dict[int, str] = {
    0: "Fully active; no restriction on pre-illness activity",
    1: "Restricted in strenuous activity but ambulatory; light or sedentary work",
    2: "Ambulatory and capable of all self-care; cannot work; up more than 50% of waking hours",
    3: "Limited self-care; confined to bed or chair more than 50% of waking hours",
    4: "Completely disabled; no self-care; totally confined to bed or chair",
    5: "Dead",
}

#: KPS definitions (paraphrased from Karnofsky DA, Burchenal JH 1949).
KPS_DEFINITION: dict[int, str] = {
    100: "Normal, no complaints, no evidence of disease",
    90: "Normal activity possible; minor signs or symptoms",
    80: "Normal activity with effort; some signs or symptoms",
    70: "Cares for self; cannot carry on normal activity or active work",
    60: "Needs occasional help; cares for most personal needs",
    50: "Needs considerable help and frequent medical care",
    40: "Disabled; needs special care and assistance",
    30: "Severely disabled; hospital admission indicated, death not imminent",
    20: "Very sick; hospital admission and active supportive treatment necessary",
    10: "Moribund; fatal processes progressing rapidly",
    0: "Dead",
}

BANDS = tuple(Band(e, e, f"ecog_{e}", meaning) for e, meaning in ECOG_DEFINITION.items())


def ecog_from_kps(kps: int) -> int:
    """The ECOG grade a KPS value maps to (§4.3); ``ValueError`` for a KPS not in 0, 10 … 100."""
    try:
        return KPS_TO_ECOG[kps]
    except KeyError:
        raise ValueError(f"KPS must be 0-100 in steps of 10, not {kps!r}") from None


def kps_for_ecog(ecog: int) -> tuple[int, ...]:
    """Every KPS value (ascending) that maps to ``ecog``; ``ValueError`` outside 0-5."""
    if ecog not in ECOG_DEFINITION:
        raise ValueError(f"ECOG must be 0-5, not {ecog!r}")
    return tuple(sorted(k for k, e in KPS_TO_ECOG.items() if e == ecog))


def mapped_note(kps: int) -> str:
    """The note attached when ECOG is derived from KPS."""
    return f"ECOG mapped from KPS {kps} (one commonly used comparison, ECOG-ACRIN)"


def compute(case: Case, index: int | None = None) -> ScoreResult:
    """Performance status of the case (``index`` is ignored: a case-level score)."""
    kps, ecog = case.performance.kps, case.performance.ecog
    components = (
        Component("kps", None if kps is None else str(kps), None, (), "performance.kps"),
        Component("ecog", None if ecog is None else str(ecog), None, (), "performance.ecog"),
    )
    notes: list[str] = []
    if ecog is not None:
        total = ecog
        if kps is not None and ecog_from_kps(kps) != ecog:
            notes.append(
                f"recorded ECOG {ecog} and KPS {kps} disagree (KPS {kps} corresponds to ECOG "
                f"{ecog_from_kps(kps)} in the ECOG-ACRIN comparison); the recorded ECOG is used"
            )
    elif kps is not None:
        total = ecog_from_kps(kps)
        notes.append(mapped_note(kps))
    else:
        return not_computable(
            ID,
            VERSION,
            CITATION,
            ["performance.kps", "performance.ecog"],
            ["record ECOG (0-5) or KPS (0-100)"],
        )
    return ScoreResult(
        id=ID,
        version=VERSION,
        status="complete",
        total=total,
        range=(total, total),
        category=f"ecog_{total}",
        components=components,
        missing=(),
        citation=CITATION,
        notes=tuple(notes),
    )


SCORER = Scorer(
    id=ID,
    title="Performance status (ECOG, or mapped from KPS)",
    version=VERSION,
    citation=CITATION,
    scope="case",
    direction="higher_worse",
    requires=("performance.ecog", "performance.kps"),
    compute=compute,
    bands=BANDS,
    tables={
        "kps_to_ecog": {str(k): v for k, v in KPS_TO_ECOG.items()},
        "ecog": {str(k): v for k, v in ECOG_DEFINITION.items()},
        "kps": {str(k): v for k, v in KPS_DEFINITION.items()},
    },
    limitations=(
        "The KPS-ECOG mapping is approximate; several published mappings exist.",
        "Either scale alone is enough; the recorded ECOG always wins over a mapped one.",
    ),
    conflicts=("KPS-ECOG mapping: v1 uses only the ECOG-ACRIN 'commonly used comparison' table.",),
    doc=__doc__ or "",
)
