"""The drafted case file: YAML text in the case file's field order, with a comment per value."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from spinemets.interop.fhir.elements import one_line
from spinemets.interop.fhir.metastases import sorted_levels
from spinemets.interop.fhir.state import State

SCHEMA_HEADER = "# yaml-language-server: $schema=../schemas/case.schema.json"

#: (section, key, what to add when unknown). Order is the case file's field order.
_LAYOUT: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "patient",
        (
            ("name", ""),
            ("mrn", ""),
            ("birth_date", ""),
            ("age", "age in years"),
            ("sex", "female | male | other"),
        ),
    ),
    (
        "cancer",
        (
            ("primary", "coded primary site (see 'spinemets schema'), e.g. renal"),
            ("histology", "free text, e.g. clear cell renal cell carcinoma"),
            ("diagnosed_on", "date of the cancer diagnosis, YYYY-MM-DD"),
            (
                "growth",
                "Tomita growth class slow | moderate | rapid "
                "(needed for primaries without a published class)",
            ),
            ("systemic_therapy", "available | limited | none: not coded in mCODE"),
        ),
    ),
    (
        "disease",
        (
            ("vertebral_metastases", "number of vertebral bodies involved"),
            ("extraspinal_bone_metastases", "number of bone metastasis foci outside the spine"),
            ("visceral_metastases", "none | removable | unremovable"),
            ("brain_metastases", "true | false"),
        ),
    ),
    (
        "neurology",
        (
            ("frankel", "Frankel grade A-E (or asia: A-E)"),
            ("ambulatory", "independent | with_aid | non_ambulatory"),
            ("deficit", "none | stable | progressing"),
            ("motor_deficit_days", "days over which a motor deficit developed"),
            ("deficit_onset_hours", "hours since a motor deficit (or paraplegia) began"),
            ("myelopathy", "true | false"),
            ("radiculopathy", "true | false"),
            ("sphincter_dysfunction", "true | false"),
        ),
    ),
    (
        "performance",
        (
            ("ecog", "ECOG 0-5"),
            ("kps", "Karnofsky 0-100 in steps of 10"),
        ),
    ),
    (
        "labs",
        (
            ("albumin", "serum albumin with unit, e.g. 3.8 g/dL"),
            ("egfr", "eGFR in mL/min/1.73 m2"),
        ),
    ),
    (
        "pain",
        (
            ("nrs", "worst pain in the last 24 h, 0-10"),
            ("neuropathic", "true | false"),
            ("night_pain", "true | false"),
            ("opioid_status", "naive | tolerant"),
            ("current_step", "WHO ladder step of the current regimen, 0-3"),
            ("controlled", "true | false"),
        ),
    ),
    (
        "comorbidities",
        (
            ("anticoagulant", "true | false"),
            ("antiplatelet", "true | false"),
            ("gi_bleed_history", "true | false"),
            ("operable", "yes | no (quoted) or true | false: medical fitness for open surgery"),
        ),
    ),
    (
        "prognosis",
        (("expected_survival_months", "the MDT's own estimate in months (clinician judgement)"),),
    ),
    (
        "preferences",
        (
            ("declines_surgery", "true | false"),
            ("goals_of_care", "life_prolonging | function_preserving | comfort"),
        ),
    ),
)

#: The imaging block, written after ``disease`` (before the lesions it describes).
_IMAGING: tuple[str, tuple[tuple[str, str], ...]] = (
    "imaging",
    (
        ("mri_date", "YYYY-MM-DD of the MRI the lesion findings come from"),
        ("whole_spine", "true | false: the MRI covered the whole spine"),
    ),
)

_LESION_FIELDS: tuple[tuple[str, str], ...] = (
    ("pain", "SINS pain: mechanical | occasional | none (clinician-entered; not in mCODE)"),
    ("bone_lesion", "SINS bone lesion: lytic | mixed | blastic (from imaging)"),
    ("alignment", "SINS alignment: normal | deformity | subluxation (from imaging)"),
    ("collapse", "SINS collapse: none | involvement_gt50 | lt50 | gt50 (from imaging)"),
    (
        "posterolateral",
        "SINS posterolateral involvement: none | unilateral | bilateral (from imaging)",
    ),
    ("escc", 'Bilsky ESCC grade "0" | "1a" | "1b" | "1c" | "2" | "3" (axial T2 MRI; not in mCODE)'),
    ("posterior_wall_retropulsion", "true | false"),
    (
        "prior_surgery",
        "none | decompression | stabilization | decompression_and_stabilization | augmentation",
    ),
)


def _scalar(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def _comment(text: str) -> str:
    return "  # " + one_line(text, 300) if text else ""


#: Fields that take no ``unknown`` (free text and dates): written as ``null`` when absent.
_NULL_WHEN_ABSENT = frozenset({"cancer.histology", "cancer.diagnosed_on"})


#: The identifier fields: written only with ``with_identifiers``, and never masked.
_IDENTIFIERS = frozenset({"patient.name", "patient.mrn", "patient.birth_date"})


def _lines_for(section: str, fields: tuple[tuple[str, str], ...], state: State) -> Iterator[str]:
    yield f"{section}:"
    for key, hint in fields:
        path = f"{section}.{key}"
        value = state.values.get(path)
        if value is None and not hint:
            continue  # identifiers: only when present in the Patient resource
        if isinstance(value, str) and path not in _IDENTIFIERS:
            value = state.mask(value)
        comment = state.mask(state.comments.get(path) or f"add: {hint}")
        shown = "null" if value is None and path in _NULL_WHEN_ABSENT else _scalar(value)
        yield f"  {key}: {shown}{_comment(comment)}"


def _assessed_on(state: State) -> list[str]:
    """The ``assessed_on`` line, with where the reference date came from."""
    comment = _comment(f"reference date: {state.assessed_source}; set the board or clinic date")
    return [f"assessed_on: {state.assessed_on.isoformat()}{comment}"]


def render_case(case_id: str, state: State, file: str) -> str:
    """The case file text: every field present, each with a comment on where it came from."""
    name = state.mask(file.replace("\\", "/").rsplit("/", 1)[-1])
    out = [
        SCHEMA_HEADER,
        f"# Drafted by 'spinemets import fhir' from {one_line(name, 80)} "
        f"on {state.today.isoformat()}.",
        "# Review every value against the record. Fields left 'unknown' need clinician input;",
        "# SINS items and the ESCC grade are never in mCODE and must be entered from imaging.",
        "schema_version: 1",
        f"case_id: {_scalar(case_id)}",
        *_assessed_on(state),
    ]
    for section, fields in (*_LAYOUT[:3], _IMAGING):
        out.extend(_lines_for(section, fields, state))
    if state.lesion_levels:
        out.append(
            "lesions:  # one entry per vertebra coded as a metastatic site; "
            "merge into ranges if needed"
        )
        for level in sorted_levels(state.lesion_levels):
            out.append(
                f"  - level: {_scalar(level)}{_comment('from ' + state.lesion_levels[level])}"
            )
            out.extend(
                f"    {key}: unknown{_comment('add: ' + hint)}" for key, hint in _LESION_FIELDS
            )
            out.append(
                "    prior_radiation: null  # or {dose_gy: 20, fractions: 5, "
                "technique: cebrt, date: YYYY-MM-DD}"
            )
    else:
        out.append(
            "lesions: []  # no vertebral level coded: "
            "add one entry per lesion (level, SINS items, escc)"
        )
    for section, fields in _LAYOUT[3:]:
        out.extend(_lines_for(section, fields, state))
    return "\n".join(out) + "\n"
