"""The case model (case-format.md, version 1): frozen pydantic models, ``extra="forbid"``.

Unknown is a value: every clinical finding may be left out, ``null`` or ``unknown``, and all
three load as ``None``. Code reads ``None`` as "not known", never as normal.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from spinemets.case.levels import LevelError, LevelSpan, LocationClass, parse_level

UNKNOWN = "unknown"


def _unknown_to_none(value: Any) -> Any:
    return None if value == UNKNOWN else value


def _allow_unknown(schema: dict[str, Any]) -> None:
    """JSON Schema: also allow the literal ``unknown`` (it loads as null)."""
    variants = schema.pop("anyOf", None)
    if variants is None:
        variants = [
            {k: schema.pop(k) for k in list(schema) if k not in ("title", "description", "default")}
        ]
    variants.append({"const": UNKNOWN})
    schema["anyOf"] = variants


def Unknowable(**constraints: Any) -> Any:
    """Field that accepts ``unknown`` (as ``None``) besides its own type."""
    return Field(None, json_schema_extra=_allow_unknown, **constraints)


_U = BeforeValidator(_unknown_to_none)


def _future_date(value: date | None, info: ValidationInfo) -> date | None:
    today = (info.context or {}).get("today") or date.today()
    if value is not None and value > today:
        raise ValueError(
            f"date {value.isoformat()} is in the future (today is {today.isoformat()})"
        )
    return value


def _no_future_birth_date(value: date | None, info: ValidationInfo) -> date | None:
    """Like :func:`_future_date`, but never echoes the date (an identifier)."""
    today = (info.context or {}).get("today") or date.today()
    if value is not None and value > today:
        raise ValueError("birth_date is in the future")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """Dates are ISO ``YYYY-MM-DD`` text: a bare number is never read as a timestamp."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError("a date is written YYYY-MM-DD, e.g. 2024-03-01")


_D = BeforeValidator(_iso_date)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


# --- coded values ---------------------------------------------------------------------------


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class Primary(StrEnum):
    """Coded primary site. ``renal`` is accepted as an alias of ``kidney``."""

    BREAST = "breast"
    PROSTATE = "prostate"
    THYROID = "thyroid"
    CARCINOID = "carcinoid"
    RECTUM = "rectum"
    COLON = "colon"
    KIDNEY = "kidney"
    UTERUS = "uterus"
    LUNG_NSCLC = "lung_nsclc"
    LUNG_SCLC = "lung_sclc"
    LUNG = "lung"
    LIVER = "liver"
    GALLBLADDER = "gallbladder"
    STOMACH = "stomach"
    ESOPHAGUS = "esophagus"
    PANCREAS = "pancreas"
    BLADDER = "bladder"
    OSTEOSARCOMA = "osteosarcoma"
    MELANOMA = "melanoma"
    MYELOMA = "myeloma"
    LYMPHOMA = "lymphoma"
    LEUKEMIA = "leukemia"
    GERM_CELL = "germ_cell"
    SARCOMA = "sarcoma"
    OVARIAN = "ovarian"
    HEAD_AND_NECK = "head_and_neck"
    NEUROENDOCRINE = "neuroendocrine"
    OTHER = "other"
    UNKNOWN_PRIMARY = "unknown_primary"


PRIMARY_ALIASES = {"renal": Primary.KIDNEY}


class Radiosensitivity(StrEnum):
    SENSITIVE = "sensitive"
    INTERMEDIATE = "intermediate"
    RESISTANT = "resistant"


class Growth(StrEnum):
    """Tomita growth class."""

    SLOW = "slow"
    MODERATE = "moderate"
    RAPID = "rapid"


class SystemicTherapy(StrEnum):
    AVAILABLE = "available"
    LIMITED = "limited"
    NONE = "none"


class Visceral(StrEnum):
    NONE = "none"
    REMOVABLE = "removable"
    UNREMOVABLE = "unremovable"


class SinsPain(StrEnum):
    MECHANICAL = "mechanical"
    OCCASIONAL = "occasional"
    NONE = "none"


class BoneLesion(StrEnum):
    LYTIC = "lytic"
    MIXED = "mixed"
    BLASTIC = "blastic"


class Alignment(StrEnum):
    NORMAL = "normal"
    DEFORMITY = "deformity"
    SUBLUXATION = "subluxation"


class Collapse(StrEnum):
    NONE = "none"
    INVOLVEMENT_GT50 = "involvement_gt50"
    LT50 = "lt50"
    GT50 = "gt50"


class Posterolateral(StrEnum):
    NONE = "none"
    UNILATERAL = "unilateral"
    BILATERAL = "bilateral"


class Escc(StrEnum):
    """Bilsky epidural spinal cord compression grade."""

    G0 = "0"
    G1A = "1a"
    G1B = "1b"
    G1C = "1c"
    G2 = "2"
    G3 = "3"


class Technique(StrEnum):
    CEBRT = "cebrt"
    SBRT = "sbrt"


class NeuroGrade(StrEnum):
    """Frankel or ASIA impairment grade."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"


class Ambulatory(StrEnum):
    INDEPENDENT = "independent"
    WITH_AID = "with_aid"
    NON_AMBULATORY = "non_ambulatory"


class Deficit(StrEnum):
    NONE = "none"
    STABLE = "stable"
    PROGRESSING = "progressing"


class OpioidStatus(StrEnum):
    NAIVE = "naive"
    TOLERANT = "tolerant"


# --- quantities -----------------------------------------------------------------------------

AlbuminUnit = Literal["g/dL", "g/L"]
_ALBUMIN_RE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(g/dl|g/l)\s*", re.IGNORECASE)
#: Plausible serum albumin (a value outside is rejected as a probable unit or typing error).
ALBUMIN_PLAUSIBLE: dict[str, tuple[float, float]] = {"g/dL": (0.5, 7.0), "g/L": (5.0, 70.0)}


class Albumin(_Model):
    """Serum albumin with its unit as entered."""

    value: float
    unit: AlbuminUnit

    @property
    def g_dl(self) -> float:
        """The value in g/dL (3.5 g/dL = 35 g/L)."""
        return self.value if self.unit == "g/dL" else self.value / 10.0

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}"


def _plausible(value: float, unit: str) -> bool:
    low, high = ALBUMIN_PLAUSIBLE[unit]
    return low <= value <= high


def _parse_albumin(value: Any) -> Any:
    if value is None or value == UNKNOWN or isinstance(value, Albumin):
        return None if value == UNKNOWN else value
    if isinstance(value, dict):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(
            f"albumin {value:g} has no unit; write it with its unit, "
            f"e.g. '{value:g} g/dL' or '{value:g} g/L'"
        )
    if not isinstance(value, str):
        raise ValueError("albumin must be a quantity such as '3.8 g/dL' or '38 g/L'")
    match = _ALBUMIN_RE.fullmatch(value)
    if not match:
        raise ValueError(f"'{value}' is not an albumin quantity; write e.g. '3.8 g/dL' or '38 g/L'")
    number = float(match.group(1))
    unit = "g/dL" if match.group(2).lower() == "g/dl" else "g/L"
    if not _plausible(number, unit):
        other = "g/L" if unit == "g/dL" else "g/dL"
        low, high = ALBUMIN_PLAUSIBLE[unit]
        hint = f"; did you mean {number:g} {other}?" if _plausible(number, other) else ""
        raise ValueError(
            f"albumin {number:g} {unit} is implausible (expected {low:g}-{high:g} {unit}){hint}"
        )
    return {"value": number, "unit": unit}


AlbuminField = Annotated[
    Albumin | None,
    BeforeValidator(_parse_albumin),
    PlainSerializer(lambda a: None if a is None else str(a), return_type=str | None),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*(g/dL|g/L)\s*$"},
                {"const": UNKNOWN},
                {"type": "null"},
            ],
            "description": "Serum albumin with its unit, e.g. '3.8 g/dL' or '38 g/L'.",
        }
    ),
]


def _escc_from_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 2, 3):
        return str(value)
    return _unknown_to_none(value)


# --- sections -------------------------------------------------------------------------------


class Patient(_Model):
    """Demographics; ``name``, ``mrn`` and ``birth_date`` are identifiers (PHI)."""

    age: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=120)
    sex: Annotated[Sex | None, _U] = Unknowable()
    name: StrictStr | None = None
    mrn: StrictStr | None = None
    birth_date: Annotated[date | None, _D] = None

    _no_future_birth = field_validator("birth_date")(_no_future_birth_date)


class Cancer(_Model):
    primary: Annotated[
        Primary | None,
        _U,
        BeforeValidator(lambda v: PRIMARY_ALIASES.get(v, v) if isinstance(v, str) else v),
    ] = Unknowable()
    histology: StrictStr | None = None
    diagnosed_on: Annotated[date | None, _D] = None
    radiosensitivity: Annotated[Radiosensitivity | None, _U] = Unknowable()
    radiosensitivity_reason: StrictStr | None = Field(default=None, validate_default=True)
    growth: Annotated[Growth | None, _U] = Unknowable()
    systemic_therapy: Annotated[SystemicTherapy | None, _U] = Unknowable()

    _no_future_diagnosis = field_validator("diagnosed_on")(_future_date)

    @field_validator("radiosensitivity_reason")
    @classmethod
    def _override_needs_reason(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A field validator (not a model validator) so it is reported with the other errors.
        chosen = info.data.get("radiosensitivity")
        if chosen is not None and not (value or "").strip():
            raise ValueError(
                f"radiosensitivity '{chosen}' overrides the histology table and needs "
                "radiosensitivity_reason (why the MDT chose it)"
            )
        return value


class Disease(_Model):
    vertebral_metastases: Annotated[StrictInt | None, _U] = Unknowable(ge=1, le=33)
    extraspinal_bone_metastases: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=1000)
    visceral_metastases: Annotated[Visceral | None, _U] = Unknowable()
    brain_metastases: Annotated[StrictBool | None, _U] = Unknowable()


class PriorRadiation(_Model):
    dose_gy: Annotated[float | None, _U] = Unknowable(gt=0, le=200)
    fractions: Annotated[StrictInt | None, _U] = Unknowable(ge=1, le=60)
    technique: Annotated[Technique | None, _U] = Unknowable()
    date: Annotated[dt.date | None, _D, _U] = Unknowable()

    _no_future_date = field_validator("date")(_future_date)

    @field_validator("dose_gy", mode="before")
    @classmethod
    def _strict_number(cls, value: Any) -> Any:
        if isinstance(value, (str, bool)) and value != UNKNOWN:
            raise ValueError("dose_gy must be a number of gray, e.g. 20")
        return value


class Lesion(_Model):
    """One lesion (spinal segment of concern): SINS items, ESCC grade, prior radiation."""

    level: StrictStr = Field(
        description="C1-C7, T1-T12, L1-L5, S1-S5, occiput, coccyx, or a range such as T11-T12"
    )
    pain: Annotated[SinsPain | None, _U] = Unknowable()
    bone_lesion: Annotated[BoneLesion | None, _U] = Unknowable()
    alignment: Annotated[Alignment | None, _U] = Unknowable()
    collapse: Annotated[Collapse | None, _U] = Unknowable()
    posterolateral: Annotated[Posterolateral | None, _U] = Unknowable()
    location_class: Annotated[LocationClass | None, _U] = Unknowable()
    escc: Annotated[Escc | None, BeforeValidator(_escc_from_int)] = Unknowable()
    posterior_wall_retropulsion: Annotated[StrictBool | None, _U] = Unknowable()
    prior_radiation: PriorRadiation | None = None

    @field_validator("level")
    @classmethod
    def _valid_level(cls, value: str) -> str:
        try:
            return str(parse_level(value))
        except LevelError as exc:
            raise ValueError(str(exc)) from None

    @property
    def span(self) -> LevelSpan:
        """The parsed level or range."""
        return parse_level(self.level)


class Neurology(_Model):
    frankel: Annotated[NeuroGrade | None, _U] = Unknowable()
    asia: Annotated[NeuroGrade | None, _U] = Unknowable()
    ambulatory: Annotated[Ambulatory | None, _U] = Unknowable()
    deficit: Annotated[Deficit | None, _U] = Unknowable()
    motor_deficit_days: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=3650)
    myelopathy: Annotated[StrictBool | None, _U] = Unknowable()
    radiculopathy: Annotated[StrictBool | None, _U] = Unknowable()
    sphincter_dysfunction: Annotated[StrictBool | None, _U] = Unknowable()


class Performance(_Model):
    kps: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=100, multiple_of=10)
    ecog: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=5)


class Labs(_Model):
    albumin: AlbuminField = None
    egfr: Annotated[float | None, _U] = Unknowable(
        ge=0, le=200, description="eGFR in mL/min/1.73 m2"
    )

    @field_validator("egfr", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, (str, bool)) and value != UNKNOWN:
            raise ValueError("egfr must be a number in mL/min/1.73 m2, e.g. 55")
        return value


class PainStatus(_Model):
    nrs: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=10)
    neuropathic: Annotated[StrictBool | None, _U] = Unknowable()
    night_pain: Annotated[StrictBool | None, _U] = Unknowable()
    opioid_status: Annotated[OpioidStatus | None, _U] = Unknowable()
    current_step: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=3)
    controlled: Annotated[StrictBool | None, _U] = Unknowable()


def _yes_no(value: Any) -> Any:
    if value == UNKNOWN:
        return None
    return {"yes": True, "no": False}.get(value, value) if isinstance(value, str) else value


class Comorbidities(_Model):
    anticoagulant: Annotated[StrictBool | None, _U] = Unknowable()
    antiplatelet: Annotated[StrictBool | None, _U] = Unknowable()
    gi_bleed_history: Annotated[StrictBool | None, _U] = Unknowable()
    operable: Annotated[StrictBool | None, BeforeValidator(_yes_no)] = Unknowable(
        description=(
            "Medical fitness for open surgery: true/false (or quoted 'yes'/'no'), or unknown"
        )
    )


class Preferences(_Model):
    declines_surgery: Annotated[StrictBool | None, _U] = Unknowable()


class Case(_Model):
    """One patient at one decision point."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="spinemets case",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    schema_version: Literal[1]
    case_id: StrictStr = Field(min_length=1, max_length=128)
    patient: Patient = Field(default_factory=Patient)
    cancer: Cancer = Field(default_factory=Cancer)
    disease: Disease = Field(default_factory=Disease)
    lesions: list[Lesion] = Field(default_factory=list)
    neurology: Neurology = Field(default_factory=Neurology)
    performance: Performance = Field(default_factory=Performance)
    labs: Labs = Field(default_factory=Labs)
    pain: PainStatus = Field(default_factory=PainStatus)
    comorbidities: Comorbidities = Field(default_factory=Comorbidities)
    preferences: Preferences = Field(default_factory=Preferences)
    expected: dict[str, Any] | None = Field(
        None, description="Expected results for 'spinemets check'"
    )

    @field_validator("case_id")
    @classmethod
    def _printable_id(cls, value: str) -> str:
        if not value.strip() or any(ch in value for ch in "\n\r\t"):
            raise ValueError("case_id must be one line of text")
        return value
