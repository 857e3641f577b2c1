"""The rules vocabulary: what a ``rules/*.yaml`` file may say.

Pydantic models, frozen, ``extra="forbid"``.

A rules directory is clinical policy as data. Every file has the same shape (:class:`RulesFile`)
with optional sections; the loader merges them into one :class:`RuleSet`:

``options``
    the option catalog (id, title, scope ``case`` or ``lesion``), in report order.
``parameters``
    named values with a source (thresholds such as the minimum expected survival for
    surgery, site facts such as SBRT availability), referenced as ``{param: name}``.
``pain_bands``, ``radiosensitivity``, ``survival_evidence``
    the tables the closed condition additions read.
``conditions``
    named conditions, reused with ``{ref: name}``.
``triage``
    the four urgency tiers, highest first, each with rules and actions.
``rules``
    option rules. A rule has exactly one effect: a ``strength`` (a decision), a ``note``
    (a rationale line, optionally ``note_false``), or details contributions (``avoid``,
    ``add``, ``adjuvants``, ``involve``: lists of ``{id, reason}``).

Conditions are a small closed vocabulary, one key per mapping (no eval, no templates):

- ``all: [c, ...]``, ``any: [c, ...]``, ``not: c`` — Kleene three-valued logic;
- ``ref: name`` — a named condition;
- ``score: {id, category | category_in | total_gte | total_lte | grade_in}`` — lesion-scoped
  scores (sins, escc) read the lesion being considered;
- ``field: {path, eq | in | gte | lte | known}`` — a case path (``lesion.<field>`` for the
  lesion being considered); ``known`` is never unknown;
- ``radiosensitivity: {in: [...]}`` — the rules' histology table, ``cancer.radiosensitivity``
  overriding it;
- ``survival: {gte_months: n}`` — expected survival from ``survival_evidence``;
- ``any_lesion: c`` — ``c`` holds for some lesion (unknown with no lesions recorded);
- ``count_lesions: {where: c, gte: n, discrete: bool}`` — at least ``n`` lesions (``discrete``:
  separate areas, adjacent or overlapping levels counting as one) meet ``c``;
- ``ladder_step: {eq | gte | lte}`` — the analgesic ladder step the rules suggest;
- ``param: {name, eq}`` — a site parameter.

Thresholds (``total_gte``, ``gte``, ``gte_months``, ...) take a number or ``{param: name}``.
"""

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

from spinemets.rules.base import LESION_PREFIX as LESION_PREFIX
from spinemets.rules.base import Number as Number
from spinemets.rules.base import ParamRef as ParamRef
from spinemets.rules.base import Scalar as Scalar
from spinemets.rules.base import Scope as Scope
from spinemets.rules.base import Threshold as Threshold
from spinemets.rules.base import _exactly_one, _Model
from spinemets.vocab import OPTION_IDS, Evidence, RuleStrength, Tier
from spinemets.vocab import TIERS as TIERS

#: Score ids rules may name, with their scope (a test keeps this equal to the scorer registry).
KNOWN_SCORE_IDS: dict[str, Literal["case", "lesion"]] = {
    "sins": "lesion",
    "escc": "lesion",
    "neurology": "case",
    "performance": "case",
    "tokuhashi_revised": "case",
    "tomita": "case",
    "modified_bauer": "case",
    "nesms": "case",
}

#: Categories of the grade-type scores, which have no numeric bands.
GRADE_SCORE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "escc": ("low_grade", "high_grade"),
    "neurology": ("complete", "incomplete", "none"),
}
#: Grades of the grade-type scores.
SCORE_GRADES: dict[str, tuple[str, ...]] = {
    "escc": ("0", "1a", "1b", "1c", "2", "3"),
    "neurology": ("A", "B", "C", "D", "E"),
}

#: Option ids of the report contract (defined once in :mod:`spinemets.vocab`).
KNOWN_OPTION_IDS: tuple[str, ...] = OPTION_IDS

Strength = RuleStrength
TierName = Tier
RadioClass = Literal["sensitive", "intermediate", "resistant"]

_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class ScoreTest(_Model):
    """``score: {id, <one test>}``."""

    id: StrictStr
    category: StrictStr | None = None
    category_in: list[StrictStr] | None = Field(None, min_length=1)
    total_gte: Threshold | None = None
    total_lte: Threshold | None = None
    grade_in: list[StrictStr] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        _exactly_one(
            self, ("category", "category_in", "total_gte", "total_lte", "grade_in"), "score"
        )
        return self


class FieldTest(_Model):
    """``field: {path, <one test>}``."""

    path: StrictStr
    eq: Scalar | None = None
    in_: list[Scalar] | None = Field(None, alias="in", min_length=1)
    gte: Threshold | None = None
    lte: Threshold | None = None
    known: StrictBool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        _exactly_one(self, ("eq", "in_", "gte", "lte", "known"), "field")
        return self


class RadiosensitivityTest(_Model):
    in_: list[RadioClass] = Field(alias="in", min_length=1)


class SurvivalTest(_Model):
    gte_months: Threshold


class LadderTest(_Model):
    eq: Annotated[StrictInt, Field(ge=0, le=3)] | None = None
    gte: Annotated[StrictInt, Field(ge=0, le=3)] | None = None
    lte: Annotated[StrictInt, Field(ge=0, le=3)] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        _exactly_one(self, ("eq", "gte", "lte"), "ladder_step")
        return self


class ParamTest(_Model):
    name: StrictStr
    eq: Scalar


class CountLesionsTest(_Model):
    """``count_lesions: {where, gte, discrete}``: at least ``gte`` lesions (with ``discrete``,
    separate areas: lesions at adjacent or overlapping levels count as one) meet ``where``."""

    where: "Condition"
    gte: Annotated[StrictInt, Field(ge=1)]
    discrete: StrictBool = False


class AllCond(_Model):
    all: "list[Condition]"


class AnyCond(_Model):
    any: "list[Condition]" = Field(min_length=1)


class NotCond(_Model):
    not_: "Condition" = Field(alias="not")


class RefCond(_Model):
    ref: StrictStr


class ScoreCond(_Model):
    score: ScoreTest


class FieldCond(_Model):
    field: FieldTest


class RadiosensitivityCond(_Model):
    radiosensitivity: RadiosensitivityTest


class SurvivalCond(_Model):
    survival: SurvivalTest


class AnyLesionCond(_Model):
    any_lesion: "Condition"


class LadderCond(_Model):
    ladder_step: LadderTest


class ParamCond(_Model):
    param: ParamTest


class CountLesionsCond(_Model):
    count_lesions: CountLesionsTest


CONDITION_TYPES: dict[str, type[BaseModel]] = {
    "all": AllCond,
    "any": AnyCond,
    "not": NotCond,
    "ref": RefCond,
    "score": ScoreCond,
    "field": FieldCond,
    "radiosensitivity": RadiosensitivityCond,
    "survival": SurvivalCond,
    "any_lesion": AnyLesionCond,
    "ladder_step": LadderCond,
    "param": ParamCond,
    "count_lesions": CountLesionsCond,
}
#: Prefix of the union tags in pydantic error locations (the loader drops them).
TAG_PREFIX = "cond:"


def _condition_shape(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"a condition is a mapping with one key ({', '.join(CONDITION_TYPES)})")
    if len(value) != 1:
        keys = ", ".join(map(str, value)) or "none"
        raise ValueError(
            f"a condition has exactly one key ({', '.join(CONDITION_TYPES)}); found: {keys}"
        )
    key = next(iter(value))
    if key not in CONDITION_TYPES:
        import difflib

        close = difflib.get_close_matches(str(key), list(CONDITION_TYPES), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"unknown condition '{key}'{hint} (allowed: {', '.join(CONDITION_TYPES)})")
    return value


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, dict) and len(value) == 1:
        return TAG_PREFIX + str(next(iter(value)))
    for name, cls in CONDITION_TYPES.items():
        if isinstance(value, cls):
            return TAG_PREFIX + name
    return None


Condition = Annotated[
    Annotated[AllCond, Tag(TAG_PREFIX + "all")]
    | Annotated[AnyCond, Tag(TAG_PREFIX + "any")]
    | Annotated[NotCond, Tag(TAG_PREFIX + "not")]
    | Annotated[RefCond, Tag(TAG_PREFIX + "ref")]
    | Annotated[ScoreCond, Tag(TAG_PREFIX + "score")]
    | Annotated[FieldCond, Tag(TAG_PREFIX + "field")]
    | Annotated[RadiosensitivityCond, Tag(TAG_PREFIX + "radiosensitivity")]
    | Annotated[SurvivalCond, Tag(TAG_PREFIX + "survival")]
    | Annotated[AnyLesionCond, Tag(TAG_PREFIX + "any_lesion")]
    | Annotated[LadderCond, Tag(TAG_PREFIX + "ladder_step")]
    | Annotated[ParamCond, Tag(TAG_PREFIX + "param")]
    | Annotated[CountLesionsCond, Tag(TAG_PREFIX + "count_lesions")],
    Discriminator(_condition_tag),
    BeforeValidator(_condition_shape),
]


# --- sections ---------------------------------------------------------------------------------


class OptionDef(_Model):
    """One entry of the option catalog."""

    id: StrictStr
    title: StrictStr
    scope: Scope


class Parameter(_Model):
    """A named policy value with its source."""

    value: Scalar
    source: StrictStr
    note: StrictStr | None = None


class PainBand(_Model):
    band: StrictStr
    nrs_min: Annotated[StrictInt, Field(ge=0, le=10)]
    nrs_max: Annotated[StrictInt, Field(ge=0, le=10)]
    ladder_step: Annotated[StrictInt, Field(ge=0, le=3)]
    suggestion: StrictStr


class PainBands(_Model):
    """NRS bands (0-10) and the ladder step each suggests."""

    source: StrictStr
    bands: list[PainBand] = Field(min_length=1)


class RadiosensitivityTable(_Model):
    """Coded primary site → radiosensitivity to conventional EBRT (``unknown``: ask the MDT)."""

    source: StrictStr
    sensitive: list[StrictStr]
    intermediate: list[StrictStr]
    resistant: list[StrictStr]
    unknown: list[StrictStr]
    notes: list[StrictStr] = Field(default_factory=list)


class SurvivalEvidence(_Model):
    """What a prognostic score category says about expected survival, in months."""

    score: StrictStr
    category: StrictStr
    at_least_months: Annotated[StrictInt, Field(ge=0)] | None = None
    below_months: Annotated[StrictInt, Field(ge=1)] | None = None
    source: StrictStr

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        _exactly_one(self, ("at_least_months", "below_months"), "survival evidence")
        return self


class NamedCondition(_Model):
    description: StrictStr
    when: Condition


class TriageRule(_Model):
    id: Annotated[StrictStr, Field(pattern=_ID)]
    when: Condition
    reason: StrictStr
    citation: StrictStr
    evidence: Evidence | None = None


class TriageTier(_Model):
    """One tier. A tier that cannot be excluded is reported provisionally (the highest tier not
    excluded); ``if_unknown`` is accepted for rule sets written before that and has no effect."""

    tier: TierName
    rules: list[TriageRule] = Field(min_length=1)
    actions: list[StrictStr] = Field(default_factory=list)
    if_unknown: Literal["undetermined", "note"] = "note"


class Item(_Model):
    """A details entry: a drug, class, check or specialty id with the reason it is listed."""

    id: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    reason: StrictStr


CONTRIBUTIONS: tuple[str, ...] = ("avoid", "add", "adjuvants", "involve")


class Rule(_Model):
    """An option rule with exactly one effect: a strength, a note, or details contributions."""

    id: Annotated[StrictStr, Field(pattern=_ID)]
    option: StrictStr
    when: Condition
    citation: StrictStr
    evidence: Evidence | None = None
    strength: Strength | None = None
    summary: StrictStr | None = None
    rationale: StrictStr | None = None
    details: dict[str, JsonValue] | None = None
    note: StrictStr | None = None
    note_false: StrictStr | None = None
    avoid: list[Item] | None = None
    add: list[Item] | None = None
    adjuvants: list[Item] | None = None
    involve: list[Item] | None = None

    @model_validator(mode="after")
    def _one_effect(self) -> Self:
        contributes = any(getattr(self, n) is not None for n in CONTRIBUTIONS)
        effects = [self.strength is not None, self.note is not None, contributes]
        if sum(effects) != 1:
            raise ValueError(
                "a rule has exactly one effect: strength, note, or avoid/add/adjuvants/involve"
            )
        if self.strength is not None and (self.summary is None or self.rationale is None):
            raise ValueError("a strength rule needs summary and rationale")
        if self.strength is None and (self.summary, self.rationale, self.details) != (
            None,
            None,
            None,
        ):
            raise ValueError("summary, rationale and details belong to strength rules")
        if self.note_false is not None and self.note is None:
            raise ValueError("note_false needs note")
        return self

    @property
    def kind(self) -> Literal["strength", "note", "contribution"]:
        if self.strength is not None:
            return "strength"
        return "note" if self.note is not None else "contribution"


class RulesFile(_Model):
    """One ``rules/*.yaml`` file; every section is optional, the directory must hold them all."""

    model_config = ConfigDict(
        frozen=True,
        defer_build=True,
        extra="forbid",
        populate_by_name=True,
        title="spinemets rules file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    schema_version: Literal[1]
    description: StrictStr | None = None
    options: list[OptionDef] | None = None
    parameters: dict[str, Parameter] | None = None
    pain_bands: PainBands | None = None
    radiosensitivity: RadiosensitivityTable | None = None
    survival_evidence: list[SurvivalEvidence] | None = None
    conditions: dict[str, NamedCondition] | None = None
    triage: list[TriageTier] | None = None
    rules: list[Rule] | None = None


# --- the merged rule set ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A validated rules directory: merged sections, digest and source."""

    source: str
    sha256: str
    files: tuple[str, ...]
    options: tuple[OptionDef, ...]
    parameters: dict[str, Parameter]
    pain_bands: PainBands
    radiosensitivity: RadiosensitivityTable
    survival_evidence: tuple[SurvivalEvidence, ...]
    conditions: dict[str, NamedCondition]
    triage: tuple[TriageTier, ...]
    rules: tuple[Rule, ...]
    _by_option: dict[str, tuple[Rule, ...]] = field(default_factory=dict, repr=False)

    @staticmethod
    def index(
        options: tuple[OptionDef, ...], rules: tuple[Rule, ...]
    ) -> dict[str, tuple[Rule, ...]]:
        """Each option's rules in file order (the ``_by_option`` index)."""
        return {o.id: tuple(r for r in rules if r.option == o.id) for o in options}

    def rules_for(self, option_id: str) -> tuple[Rule, ...]:
        """The rules of one option, in file order."""
        return self._by_option.get(option_id, ())

    def radiosensitivity_of(self, primary: str) -> str | None:
        """The table's class for a coded primary (``None`` for the ``unknown`` row)."""
        table = self.radiosensitivity
        for name in ("sensitive", "intermediate", "resistant"):
            if primary in getattr(table, name):
                return name
        return None


def rules_schema() -> dict[str, Any]:
    """JSON Schema of one rules file (schemas/rules.schema.json)."""
    schema = RulesFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://spinemets.org/schemas/rules.schema.json"
    schema["description"] = "One file of a spinemets rules directory (clinical policy as data)."
    return schema


def rules_schema_text() -> str:
    """The schema as stable, pretty-printed JSON text."""
    import json

    return json.dumps(rules_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
