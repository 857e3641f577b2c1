"""The case model (case file version 1, fields of 1.1 included): frozen pydantic models,
``extra="forbid"``.

Unknown is a value: every clinical finding may be left out, ``null`` or ``unknown``, and all
three load as ``None``. Code reads ``None`` as "not known", never as normal. Boolean findings
also accept ``yes`` / ``no`` in any letter case (quoted or not), and only boolean findings do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
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

_YES_NO = {"yes": True, "no": False}
#: JSON Schema of the text a boolean field accepts: ``yes`` / ``no`` in any letter case.
YES_NO_PATTERN = r"^([Yy][Ee][Ss]|[Nn][Oo])$"


def _yes_no(value: Any) -> Any:
    """``yes``/``no`` (any letter case) → ``True``/``False``; ``unknown`` → ``None``; anything
    else passes to the strict boolean check unchanged."""
    if value == UNKNOWN:
        return None
    if isinstance(value, str):
        return _YES_NO.get(value.lower(), value)
    return value


def _boolean_schema(schema: dict[str, Any]) -> None:
    schema.pop("anyOf", None)
    schema.pop("type", None)
    schema["anyOf"] = [
        {"type": "boolean"},
        {"type": "string", "pattern": YES_NO_PATTERN},
        {"const": UNKNOWN},
        {"type": "null"},
    ]


#: A boolean finding: ``true``/``false``, ``yes``/``no`` (any case), ``unknown`` or ``null``.
Bool = Annotated[StrictBool | None, BeforeValidator(_yes_no)]


def BoolField(**extra: Any) -> Any:
    """Field of a :data:`Bool` finding (defaults to ``None``, not known)."""
    return Field(None, json_schema_extra=_boolean_schema, **extra)


def _plain_number(message: str) -> Callable[[Any], Any]:
    """A before-validator refusing text and booleans where a number is meant (unknown passes)."""

    def check(value: Any) -> Any:
        if isinstance(value, (str, bool)) and value != UNKNOWN:
            raise ValueError(message)
        return value

    return check


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


class Procedure(StrEnum):
    """An earlier spinal procedure at a lesion's level."""

    NONE = "none"
    DECOMPRESSION = "decompression"
    STABILIZATION = "stabilization"
    DECOMPRESSION_AND_STABILIZATION = "decompression_and_stabilization"
    AUGMENTATION = "augmentation"

    @property
    def instrumented(self) -> bool:
        """True when the level carries fixation (stabilization, with or without decompression)."""
        return self in (Procedure.STABILIZATION, Procedure.DECOMPRESSION_AND_STABILIZATION)


class GoalsOfCare(StrEnum):
    """The goals of care agreed with the patient."""

    LIFE_PROLONGING = "life_prolonging"
    FUNCTION_PRESERVING = "function_preserving"
    COMFORT = "comfort"


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
        units = [u for u in ALBUMIN_PLAUSIBLE if _plausible(value, u)]
        if len(units) == 1:
            raise ValueError(
                f"albumin {value:g} has no unit; did you mean '{value:g} {units[0]}'? "
                "(write the value with its unit, g/dL or g/L)"
            )
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
                # The unit in any letter case, as the loader reads it.
                {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*[gG]/[dD]?[lL]\s*$"},
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


def _escc_schema(schema: dict[str, Any]) -> None:
    """``unknown`` besides the grades; unquoted grades 0, 2 and 3 load as numbers and are
    accepted as such."""
    _allow_unknown(schema)
    schema["anyOf"].append({"enum": [0, 2, 3], "type": "integer"})


def _primary_alias(value: Any) -> Any:
    return PRIMARY_ALIASES.get(value, value) if isinstance(value, str) else value


def _primary_schema(schema: dict[str, Any]) -> None:
    _allow_unknown(schema)
    schema["anyOf"].append({"enum": sorted(PRIMARY_ALIASES), "type": "string"})


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
    primary: Annotated[Primary | None, _U, BeforeValidator(_primary_alias)] = Field(
        default=None, json_schema_extra=_primary_schema
    )
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
    brain_metastases: Bool = BoolField()


class PriorRadiation(_Model):
    dose_gy: Annotated[float | None, _U] = Unknowable(gt=0, le=200)
    fractions: Annotated[StrictInt | None, _U] = Unknowable(ge=1, le=60)
    technique: Annotated[Technique | None, _U] = Unknowable()
    date: Annotated[dt.date | None, _D, _U] = Unknowable()

    _no_future_date = field_validator("date")(_future_date)

    _number = field_validator("dose_gy", mode="before")(
        _plain_number("dose_gy must be a number of gray, e.g. 20")
    )


def _procedure_shorthand(value: Any) -> Any:
    """``prior_surgery: decompression`` is ``{procedure: decompression}``."""
    if value == UNKNOWN:
        return None
    return {"procedure": value} if isinstance(value, str) else value


class PriorSurgery(_Model):
    """An earlier operation or augmentation at this level, with its date when known."""

    procedure: Procedure
    date: Annotated[dt.date | None, _D, _U] = Unknowable()

    _no_future_date = field_validator("date")(_future_date)


def _prior_surgery_schema(schema: dict[str, Any]) -> None:
    schema["anyOf"] = [
        {"enum": [p.value for p in Procedure], "type": "string"},
        *schema["anyOf"],
        {"const": UNKNOWN},
    ]


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
    escc: Annotated[Escc | None, BeforeValidator(_escc_from_int)] = Field(
        None, json_schema_extra=_escc_schema
    )
    posterior_wall_retropulsion: Bool = BoolField()
    prior_radiation: PriorRadiation | None = None
    prior_surgery: Annotated[PriorSurgery | None, BeforeValidator(_procedure_shorthand)] = Field(
        None,
        json_schema_extra=_prior_surgery_schema,
        description=(
            "none | decompression | stabilization | decompression_and_stabilization | "
            "augmentation, or {procedure: ..., date: YYYY-MM-DD}"
        ),
    )

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
    deficit_onset_hours: Annotated[StrictInt | None, _U] = Unknowable(
        ge=0,
        le=87600,
        description="Hours since a motor deficit (or complete paraplegia) began",
    )
    myelopathy: Bool = BoolField()
    radiculopathy: Bool = BoolField()
    sphincter_dysfunction: Bool = BoolField()


class Performance(_Model):
    kps: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=100, multiple_of=10)
    ecog: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=5)


class Labs(_Model):
    albumin: AlbuminField = None
    egfr: Annotated[float | None, _U] = Unknowable(
        ge=0, le=200, description="eGFR in mL/min/1.73 m2"
    )

    _number = field_validator("egfr", mode="before")(
        _plain_number("egfr must be a number in mL/min/1.73 m2, e.g. 55")
    )


class PainStatus(_Model):
    nrs: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=10)
    neuropathic: Bool = BoolField()
    night_pain: Bool = BoolField()
    opioid_status: Annotated[OpioidStatus | None, _U] = Unknowable()
    current_step: Annotated[StrictInt | None, _U] = Unknowable(ge=0, le=3)
    controlled: Bool = BoolField()


class Comorbidities(_Model):
    anticoagulant: Bool = BoolField()
    antiplatelet: Bool = BoolField()
    gi_bleed_history: Bool = BoolField()
    operable: Bool = BoolField(
        description="Medical fitness for open surgery: true/false (or yes/no), or unknown"
    )


class Preferences(_Model):
    declines_surgery: Bool = BoolField()
    goals_of_care: Annotated[GoalsOfCare | None, _U] = Unknowable(
        description="life_prolonging | function_preserving | comfort"
    )


class Imaging(_Model):
    """The MRI the lesion findings were read from (absent: not yet imaged)."""

    mri_date: Annotated[date | None, _D, _U] = Unknowable(
        description="Date of the MRI the lesion findings were read from"
    )
    whole_spine: Bool = BoolField(description="The MRI covered the whole spine")

    _no_future_mri = field_validator("mri_date")(_future_date)


class Prognosis(_Model):
    """The MDT's own prognosis (clinician judgement, shown as such beside the scores)."""

    expected_survival_months: Annotated[float | None, _U] = Unknowable(
        gt=0, le=600, description="The MDT's estimate of survival in months"
    )

    _number = field_validator("expected_survival_months", mode="before")(
        _plain_number("expected_survival_months must be a number of months, e.g. 6")
    )


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
    assessed_on: Annotated[date | None, _D, _U] = Unknowable(
        description=(
            "Date of this assessment (tumour board, clinic); absent: the evaluation date, "
            "with a note"
        ),
    )
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
    imaging: Imaging = Field(default_factory=Imaging)
    prognosis: Prognosis = Field(default_factory=Prognosis)
    expected: dict[str, Any] | None = Field(
        None, description="Expected results for 'spinemets check'"
    )

    @field_validator("case_id")
    @classmethod
    def _printable_id(cls, value: str) -> str:
        if not value.strip() or any(ch in value for ch in "\n\r\t"):
            raise ValueError("case_id must be one line of text")
        return value


#: The note shown when a case does not record ``assessed_on``.
ASSESSED_ON_NOTE = (
    "assessed_on is not recorded: the assessment is dated {today} (the day it was evaluated)"
)


def assessment_date(case: Case, today: date) -> tuple[date, str | None]:
    """The date of the assessment: ``assessed_on``, else ``today`` with the note saying so."""
    if case.assessed_on is not None:
        return case.assessed_on, None
    return today, ASSESSED_ON_NOTE.format(today=today.isoformat())
