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
Each kind's model, load-time check and evaluation are in its module of
:mod:`spinemets.rules.conditions`, whose docstring documents it.
"""

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, JsonValue, StrictInt, StrictStr, model_validator

# The condition vocabulary: each kind's models are in its module of spinemets.rules.conditions.
from spinemets.rules.base import LESION_PREFIX as LESION_PREFIX
from spinemets.rules.base import Number as Number
from spinemets.rules.base import ParamRef as ParamRef
from spinemets.rules.base import Scalar as Scalar
from spinemets.rules.base import Scope as Scope
from spinemets.rules.base import Threshold as Threshold
from spinemets.rules.base import _exactly_one, _Model
from spinemets.rules.conditions import CONDITION_TYPES as CONDITION_TYPES
from spinemets.rules.conditions import TAG_PREFIX as TAG_PREFIX
from spinemets.rules.conditions import Condition as Condition
from spinemets.rules.conditions.any_lesion import AnyLesionCond as AnyLesionCond
from spinemets.rules.conditions.count_lesions import CountLesionsCond as CountLesionsCond
from spinemets.rules.conditions.count_lesions import CountLesionsTest as CountLesionsTest
from spinemets.rules.conditions.field import FieldCond as FieldCond
from spinemets.rules.conditions.field import FieldTest as FieldTest
from spinemets.rules.conditions.ladder_step import LadderCond as LadderCond
from spinemets.rules.conditions.ladder_step import LadderTest as LadderTest
from spinemets.rules.conditions.logic import AllCond as AllCond
from spinemets.rules.conditions.logic import AnyCond as AnyCond
from spinemets.rules.conditions.logic import NotCond as NotCond
from spinemets.rules.conditions.param import ParamCond as ParamCond
from spinemets.rules.conditions.param import ParamTest as ParamTest
from spinemets.rules.conditions.radiosensitivity import RadioClass as RadioClass
from spinemets.rules.conditions.radiosensitivity import RadiosensitivityCond as RadiosensitivityCond
from spinemets.rules.conditions.radiosensitivity import RadiosensitivityTest as RadiosensitivityTest
from spinemets.rules.conditions.ref import RefCond as RefCond
from spinemets.rules.conditions.score import GRADE_SCORE_CATEGORIES as GRADE_SCORE_CATEGORIES
from spinemets.rules.conditions.score import KNOWN_SCORE_IDS as KNOWN_SCORE_IDS
from spinemets.rules.conditions.score import SCORE_GRADES as SCORE_GRADES
from spinemets.rules.conditions.score import ScoreCond as ScoreCond
from spinemets.rules.conditions.score import ScoreTest as ScoreTest
from spinemets.rules.conditions.survival import SurvivalCond as SurvivalCond
from spinemets.rules.conditions.survival import SurvivalTest as SurvivalTest
from spinemets.vocab import OPTION_IDS, Evidence, RuleStrength, Tier
from spinemets.vocab import TIERS as TIERS

#: Option ids of the report contract (defined once in :mod:`spinemets.vocab`).
KNOWN_OPTION_IDS: tuple[str, ...] = OPTION_IDS

Strength = RuleStrength
TierName = Tier

_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


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
