"""Clinical "did you mean" suggestions for coded values a clinician types.

Spelling suggestions (``prostrate`` → ``prostate``) come from ``difflib`` in the loader; this
module knows what spelling cannot: abbreviations and synonyms used in clinic letters and
radiology reports (``NSCLC``, ``RCC``, ``CUP``, ``M``, ``<50%``). A suggestion is only ever
advice in an error message: nothing here changes what a case file means.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s_\-]+")

#: Field name (last part of the case path) → normalised typed text → the coded value meant.
SYNONYMS: dict[str, dict[str, str]] = {
    "primary": {
        "nsclc": "lung_nsclc",
        "non small cell lung": "lung_nsclc",
        "non small cell": "lung_nsclc",
        "adenocarcinoma lung": "lung_nsclc",
        "lung adenocarcinoma": "lung_nsclc",
        "squamous cell lung": "lung_nsclc",
        "sclc": "lung_sclc",
        "small cell lung": "lung_sclc",
        "small cell": "lung_sclc",
        "rcc": "kidney",
        "ccrcc": "kidney",
        "renal cell": "kidney",
        "clear cell renal": "kidney",
        "hypernephroma": "kidney",
        "cup": "unknown_primary",
        "occult": "unknown_primary",
        "occult primary": "unknown_primary",
        "unknown origin": "unknown_primary",
        "crpc": "prostate",
        "mcrpc": "prostate",
        "mm": "myeloma",
        "multiple myeloma": "myeloma",
        "plasmacytoma": "myeloma",
        "nhl": "lymphoma",
        "dlbcl": "lymphoma",
        "hodgkin": "lymphoma",
        "hcc": "liver",
        "hepatocellular": "liver",
        "oesophagus": "esophagus",
        "oesophageal": "esophagus",
        "gastric": "stomach",
        "urothelial": "bladder",
        "endometrial": "uterus",
        "endometrium": "uterus",
        "ovary": "ovarian",
        "hnscc": "head_and_neck",
        "net": "neuroendocrine",
        "seminoma": "germ_cell",
        "testicular": "germ_cell",
        "aml": "leukemia",
        "cll": "leukemia",
        "leukaemia": "leukemia",
    },
    "sex": {"m": "male", "f": "female", "man": "male", "woman": "female"},
    "collapse": {
        "<50%": "lt50",
        "<50": "lt50",
        "< 50%": "lt50",
        "less than 50%": "lt50",
        ">50%": "gt50",
        ">50": "gt50",
        "> 50%": "gt50",
        "more than 50%": "gt50",
        "no": "none",
        "0": "none",
    },
    "posterolateral": {"left": "unilateral", "right": "unilateral", "both": "bilateral"},
    "bone_lesion": {
        "osteolytic": "lytic",
        "osteoblastic": "blastic",
        "sclerotic": "blastic",
        "osteosclerotic": "blastic",
        "lytic/blastic": "mixed",
    },
    "visceral_metastases": {"no": "none", "0": "none"},
    "deficit": {"no": "none", "progressive": "progressing", "worsening": "progressing"},
    "ambulatory": {"walking": "independent", "non ambulant": "non_ambulatory"},
    "goals_of_care": {
        "palliative": "comfort",
        "comfort care": "comfort",
        "best supportive care": "comfort",
        "bsc": "comfort",
        "curative": "life_prolonging",
        "function": "function_preserving",
    },
    "opioid_status": {"opioid naive": "naive", "opioid tolerant": "tolerant"},
}


def _normalise(text: str) -> str:
    low = _SPACES.sub(" ", text.strip().lower())
    for tail in (" cancer", " carcinoma", " tumour", " tumor", " metastasis", " metastases"):
        low = low.removesuffix(tail)
    return low.strip()


def clinical_suggestion(field: str, typed: str, allowed: list[str]) -> str | None:
    """The coded value a clinician probably meant by ``typed`` in ``field``, or ``None``.

    Besides the synonym table, a value that differs from an allowed one only in letter case,
    blanks or a ``grade``/``Bilsky``/``Frankel`` prefix (``1A``, ``grade 2``, ``a``) is named.
    """
    table = SYNONYMS.get(field, {})
    for key in (typed.strip().lower(), _normalise(typed)):
        if key in table and table[key] in allowed:
            return table[key]
    bare = re.sub(r"^(grade|bilsky|escc|frankel|asia|ais)\s*", "", typed.strip(), flags=re.I)
    for value in allowed:
        if value.lower() == bare.lower() or value.lower() == _normalise(typed).replace(" ", "_"):
            return value
    return None


#: Region letters used for the thoracic spine in some countries' reports.
_THORACIC_ALIASES = re.compile(r"(?i)^(th|d)\s*([0-9]{1,2})$")


def level_suggestion(token: str) -> str | None:
    """``Th12`` / ``D12`` (thoracic, as written in some reports) → ``T12``."""
    match = _THORACIC_ALIASES.fullmatch(token.strip())
    if match and 1 <= int(match.group(2)) <= 12:
        return f"T{int(match.group(2))}"
    return None


def kps_suggestion(value: int) -> str:
    """KPS is recorded in steps of 10: the two neighbours of ``value``."""
    low = max(0, min(100, value // 10 * 10))
    high = min(100, low + 10)
    return f"{low}" if low == high else f"{low} or {high}"
