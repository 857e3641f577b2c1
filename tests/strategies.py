"""Hypothesis strategies for VALID case files (case-format.md, version 1).

``case_dicts()`` draws plain data (what a YAML file holds) covering every field and every coded
value, with each clinical finding also drawn as absent, ``null`` or ``unknown``. Dates fall on
or before ``TODAY``; load with ``today=TODAY`` so the future-date check is deterministic.
``to_yaml`` serialises a case dict so that strings stay strings under the strict YAML 1.2 parser
(PyYAML's emitter follows YAML 1.1 and would leave e.g. ``1e5`` unquoted).

The coded values are written out here, independently of the models, so a renamed or dropped
value in the models fails the tests instead of silently shrinking what is generated.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from hypothesis import strategies as st

TODAY = date(2026, 1, 1)

SEX = ("female", "male", "other")
PRIMARY = (
    "breast", "prostate", "thyroid", "carcinoid", "rectum", "colon", "kidney", "uterus",
    "lung_nsclc", "lung_sclc", "lung", "liver", "gallbladder", "stomach", "esophagus",
    "pancreas", "bladder", "osteosarcoma", "melanoma", "myeloma", "lymphoma", "leukemia",
    "germ_cell", "sarcoma", "ovarian", "head_and_neck", "neuroendocrine", "other",
    "unknown_primary",
)  # fmt: skip
PRIMARY_ALIASES = ("renal",)
RADIOSENSITIVITY = ("sensitive", "intermediate", "resistant")
GROWTH = ("slow", "moderate", "rapid")
SYSTEMIC_THERAPY = ("available", "limited", "none")
VISCERAL = ("none", "removable", "unremovable")
SINS_PAIN = ("mechanical", "occasional", "none")
BONE_LESION = ("lytic", "mixed", "blastic")
ALIGNMENT = ("normal", "deformity", "subluxation")
COLLAPSE = ("none", "involvement_gt50", "lt50", "gt50")
POSTEROLATERAL = ("none", "unilateral", "bilateral")
LOCATION_CLASS = ("junctional", "mobile", "semi_rigid", "rigid")
ESCC = ("0", "1a", "1b", "1c", "2", "3")
TECHNIQUE = ("cebrt", "sbrt")
NEURO_GRADE = ("A", "B", "C", "D", "E")
AMBULATORY = ("independent", "with_aid", "non_ambulatory")
DEFICIT = ("none", "stable", "progressing")
OPIOID_STATUS = ("naive", "tolerant")
PROCEDURE = (
    "none", "stabilization", "decompression", "decompression_and_stabilization", "augmentation",
)  # fmt: skip
GOALS_OF_CARE = ("life_prolonging", "function_preserving", "comfort")

#: Every accepted level, cranial to caudal (case-format.md; T13 and L6 are transitional).
LEVELS: tuple[str, ...] = (
    "occiput",
    *(f"C{i}" for i in range(1, 8)),
    *(f"T{i}" for i in range(1, 14)),
    *(f"L{i}" for i in range(1, 7)),
    *(f"S{i}" for i in range(1, 6)),
    "coccyx",
)

#: Every coded field: section, key and its values (for enumeration tests).
CODED_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("patient", "sex", SEX),
    ("cancer", "primary", PRIMARY + PRIMARY_ALIASES),
    ("cancer", "growth", GROWTH),
    ("cancer", "systemic_therapy", SYSTEMIC_THERAPY),
    ("disease", "visceral_metastases", VISCERAL),
    ("lesions", "pain", SINS_PAIN),
    ("lesions", "bone_lesion", BONE_LESION),
    ("lesions", "alignment", ALIGNMENT),
    ("lesions", "collapse", COLLAPSE),
    ("lesions", "posterolateral", POSTEROLATERAL),
    ("lesions", "location_class", LOCATION_CLASS),
    ("lesions", "escc", ESCC),
    ("neurology", "frankel", NEURO_GRADE),
    ("neurology", "asia", NEURO_GRADE),
    ("neurology", "ambulatory", AMBULATORY),
    ("neurology", "deficit", DEFICIT),
    ("pain", "opioid_status", OPIOID_STATUS),
    ("preferences", "goals_of_care", GOALS_OF_CARE),
)

_ABSENT: Any = object()


def finding(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A clinical finding: a value, or not known (absent, ``null`` or ``unknown``)."""
    return st.one_of(values, st.just(_ABSENT), st.none(), st.just("unknown"))


def coded(options: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return finding(st.sampled_from(options))


#: A yes/no finding: true/false, or yes/no in any letter case (as text).
_FLAG = finding(
    st.one_of(
        st.booleans(),
        st.sampled_from(("yes", "no")).flatmap(
            lambda w: st.tuples(*(st.sampled_from((c, c.upper())) for c in w)).map("".join)
        ),
    )
)

#: Printable text without control characters or surrogates (any script, any symbol).
text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Cn", "Co")),
    min_size=1,
    max_size=40,
)

#: A case_id: one non-blank line.
case_ids = text.filter(lambda s: s.strip() != "" and not any(c in s for c in "\n\r\t"))

iso_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY).map(date.isoformat)


@st.composite
def _section(draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, strategy in fields.items():
        value = draw(strategy)
        if value is not _ABSENT:
            out[key] = value
    return out


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(_ABSENT), st.none(), strategy)


@st.composite
def levels(draw: st.DrawFn) -> str:
    """A level or a cranial-to-caudal range, in the spellings the loader accepts."""
    upper = draw(st.integers(0, len(LEVELS) - 1))
    if draw(st.booleans()):
        name = LEVELS[upper]
        return draw(st.sampled_from((name, name.lower()))) if name[0] in "CTLS" else name
    lower = draw(st.integers(upper, min(upper + 4, len(LEVELS) - 1)))
    return f"{LEVELS[upper]}-{LEVELS[lower]}"


def prior_radiation() -> st.SearchStrategy[Any]:
    return _section(
        {
            "dose_gy": finding(
                st.one_of(
                    st.integers(1, 200),
                    st.floats(0.5, 200, allow_nan=False).map(lambda x: round(x, 1)),
                )
            ),
            "fractions": finding(st.integers(1, 60)),
            "technique": coded(TECHNIQUE),
            "date": finding(iso_dates),
        }
    )


def prior_surgery() -> st.SearchStrategy[Any]:
    """A procedure as a bare word or ``{procedure, date}``."""
    return st.one_of(
        st.sampled_from(PROCEDURE),
        st.builds(lambda p, d: {"procedure": p, **d}, st.sampled_from(PROCEDURE),
                  _section({"date": finding(iso_dates)})),
    )  # fmt: skip


def lesion() -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda level, rest: {"level": level, **rest},
        levels(),
        _section(
            {
                "pain": coded(SINS_PAIN),
                "bone_lesion": coded(BONE_LESION),
                "alignment": coded(ALIGNMENT),
                "collapse": coded(COLLAPSE),
                "posterolateral": coded(POSTEROLATERAL),
                "location_class": coded(LOCATION_CLASS),
                "escc": finding(st.one_of(st.sampled_from(ESCC), st.sampled_from((0, 2, 3)))),
                "posterior_wall_retropulsion": _FLAG,
                "prior_radiation": _optional(prior_radiation()),
                "prior_surgery": finding(prior_surgery()),
            }
        ),
    )


def albumin() -> st.SearchStrategy[str]:
    """A plausible albumin quantity in either unit (3.5 g/dL = 35 g/L)."""
    g_dl = st.integers(5, 70).map(lambda n: f"{n / 10:.1f} g/dL")
    g_l = st.integers(5, 70).map(lambda n: f"{n} g/L")
    return st.one_of(g_dl, g_l)


@st.composite
def cancer(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = draw(
        _section(
            {
                "primary": coded(PRIMARY + PRIMARY_ALIASES),
                "histology": _optional(text),
                "diagnosed_on": _optional(iso_dates),
                "growth": coded(GROWTH),
                "systemic_therapy": coded(SYSTEMIC_THERAPY),
            }
        )
    )
    override = draw(coded(RADIOSENSITIVITY))
    if override is not _ABSENT:
        out["radiosensitivity"] = override
    if override not in (_ABSENT, None, "unknown"):
        out["radiosensitivity_reason"] = draw(text.filter(lambda s: s.strip() != ""))
    return out


@st.composite
def case_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid case as plain data; every section and finding may be missing."""
    case: dict[str, Any] = {
        "schema_version": 1,
        "case_id": draw(st.one_of(st.sampled_from(("TB-2026-001", "case 7")), case_ids)),
    }
    assessed_on = draw(finding(iso_dates))
    if assessed_on is not _ABSENT:
        case["assessed_on"] = assessed_on
    sections: dict[str, st.SearchStrategy[Any]] = {
        "patient": _section(
            {
                "age": finding(st.integers(0, 120)),
                "sex": coded(SEX),
                "name": _optional(st.just("Test Patient")),
                "mrn": _optional(st.just("000000")),
                "birth_date": _optional(iso_dates),
            }
        ),
        "cancer": cancer(),
        "disease": _section(
            {
                "vertebral_metastases": finding(st.integers(1, 33)),
                "extraspinal_bone_metastases": finding(st.integers(0, 1000)),
                "visceral_metastases": coded(VISCERAL),
                "brain_metastases": _FLAG,
            }
        ),
        "lesions": st.lists(lesion(), max_size=4),
        "neurology": _section(
            {
                "frankel": coded(NEURO_GRADE),
                "asia": coded(NEURO_GRADE),
                "ambulatory": coded(AMBULATORY),
                "deficit": coded(DEFICIT),
                "motor_deficit_days": finding(st.integers(0, 3650)),
                "deficit_onset_hours": finding(st.integers(0, 87600)),
                "myelopathy": _FLAG,
                "radiculopathy": _FLAG,
                "sphincter_dysfunction": _FLAG,
            }
        ),
        "performance": _section(
            {
                "kps": finding(st.integers(0, 10).map(lambda n: n * 10)),
                "ecog": finding(st.integers(0, 5)),
            }
        ),
        "labs": _section(
            {
                "albumin": finding(albumin()),
                "egfr": finding(
                    st.one_of(st.integers(0, 200), st.floats(0, 200).map(lambda x: round(x, 1)))
                ),
            }
        ),
        "pain": _section(
            {
                "nrs": finding(st.integers(0, 10)),
                "neuropathic": _FLAG,
                "night_pain": _FLAG,
                "opioid_status": coded(OPIOID_STATUS),
                "current_step": finding(st.integers(0, 3)),
                "controlled": _FLAG,
            }
        ),
        "comorbidities": _section(
            {
                "anticoagulant": _FLAG,
                "antiplatelet": _FLAG,
                "gi_bleed_history": _FLAG,
                "operable": finding(st.sampled_from((True, False, "yes", "no"))),
            }
        ),
        "preferences": _section({"declines_surgery": _FLAG, "goals_of_care": coded(GOALS_OF_CARE)}),
        "imaging": _section({"mri_date": finding(iso_dates), "whole_spine": _FLAG}),
        "prognosis": _section(
            {
                "expected_survival_months": finding(
                    st.one_of(st.integers(1, 600), st.floats(0.5, 600).map(lambda x: round(x, 1)))
                )
            }
        ),
        "expected": st.one_of(
            st.just(_ABSENT),
            st.none(),
            st.fixed_dictionaries(
                {"scores": st.fixed_dictionaries({"tomita": st.integers(2, 10)})}
            ),
        ),
    }
    for key, strategy in sections.items():
        value = draw(st.one_of(st.just(_ABSENT), strategy))
        if value is not _ABSENT:
            case[key] = value
    return case


class _QuotingDumper(yaml.SafeDumper):
    """Quote every string so the strict parser reads it back as text."""


def _quoted_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_QuotingDumper.add_representer(str, _quoted_str)


def to_yaml(data: Any, *, flow: bool = False) -> str:
    """Serialise ``data`` as a case file (block style unless ``flow``)."""
    return yaml.dump(
        data,
        Dumper=_QuotingDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=flow,
        width=10_000,
    )


# --- mutations for fuzzing (valid case → probably invalid text) ----------------------------------

#: Values that are wrong in interesting ways: extreme numbers, YAML 1.1 look-alikes, look-alike
#: Unicode, wrong types.
NASTY_SCALARS: tuple[Any, ...] = (
    10**30, -(10**30), 2**63, -1, 0, 1e308, -1e308, 5e-324, float("nan"), float("inf"),
    "yes", "no", "on", "off", "0100", "1:20", ".nan", "-.inf", "0x1F", "1_000", "~", "",
    "unknown", "T13", "L6", "Т12", "coccyx", "T12-T11", "3.8", "38 g/dL", "9999-12-31",
    "2023-02-30", " ", "\u200b", "\ufeff", "null", "true", "\\", "'", '"', "&a", "*a", "!!str",
)  # fmt: skip

any_scalar: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(NASTY_SCALARS),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20),
)
any_value: st.SearchStrategy[Any] = st.recursive(
    any_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=8), inner, max_size=3),
    ),
    max_leaves=6,
)

_PathT = tuple[str | int, ...]


def _paths(data: Any, prefix: _PathT = ()) -> list[_PathT]:
    out: list[_PathT] = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*prefix, i))
    return out


def _parent(data: Any, path: _PathT) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated_case(draw: st.DrawFn) -> Any:
    """A valid case dict with one to four structural mutations applied."""
    data: Any = draw(case_dicts())
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("drop", "retype", "rename", "extreme", "unicode", "root")))
        paths = _paths(data) if isinstance(data, (dict, list)) else []
        if op == "root" or not paths:
            data = draw(st.one_of(any_value, st.just(data), st.lists(st.just(data), max_size=2)))
            continue
        path = draw(st.sampled_from(paths))
        parent, last = _parent(data, path), path[-1]
        if op == "drop":
            del parent[last]
        elif op == "retype":
            parent[last] = draw(any_value)
        elif op == "extreme":
            parent[last] = draw(st.sampled_from(NASTY_SCALARS))
        elif op == "unicode":
            parent[last] = draw(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
        elif isinstance(parent, dict):  # rename
            new = draw(st.one_of(st.text(max_size=12), st.sampled_from(tuple(map(str, path)))))
            parent[new] = parent.pop(last)
    return data


@st.composite
def _text_mutation(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    op = draw(st.sampled_from(("none", "dup_line", "drop_line", "insert", "indent", "truncate")))
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    if op == "dup_line":
        lines.insert(i, lines[i])
    elif op == "drop_line" and len(lines) > 1:
        del lines[i]
    elif op == "insert":
        at = draw(st.integers(0, len(lines[i])))
        junk = draw(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=4))
        lines[i] = lines[i][:at] + junk + lines[i][at:]
    elif op == "indent":
        lines[i] = draw(st.sampled_from(("\t", " ", "   ", "- "))) + lines[i]
    elif op == "truncate":
        return "\n".join(lines)[: draw(st.integers(0, len(text)))]
    return "\n".join(lines)


def _plain_yaml(data: Any, flow: bool) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=flow)


@st.composite
def mutated_case_texts(draw: st.DrawFn) -> str:
    """YAML text of a mutated case: structural mutations, then maybe one text mutation.

    Serialised either with every string quoted or with PyYAML's plain YAML 1.1 emitter (whose
    unquoted scalars are exactly the surprises the strict parser must reject).
    """
    data = draw(mutated_case())
    flow = draw(st.booleans())
    text = to_yaml(data, flow=flow) if draw(st.booleans()) else _plain_yaml(data, flow)
    return draw(_text_mutation(text))
