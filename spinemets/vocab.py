"""The project's one vocabulary: triage tiers, option strengths and option ids.

Every other module imports these names; none keeps its own copy of a list or its order.
"""

from __future__ import annotations

from typing import Literal

Tier = Literal["emergency", "urgent", "soon", "routine"]
#: Triage tiers, highest (most urgent) first.
TIERS: tuple[Tier, ...] = ("emergency", "urgent", "soon", "routine")

#: A rule's decision about an option (what a strength rule may say).
RuleStrength = Literal["recommended", "consider", "not_indicated", "contraindicated"]
#: An option's strength in a report: a rule's decision, or not evaluable.
Strength = Literal["recommended", "consider", "not_indicated", "contraindicated", "not_evaluable"]
#: Strengths in report order: doing first, then not doing, then undecided.
STRENGTHS: tuple[Strength, ...] = (
    "recommended",
    "consider",
    "not_indicated",
    "contraindicated",
    "not_evaluable",
)
RULE_STRENGTHS: tuple[RuleStrength, ...] = (
    "recommended",
    "consider",
    "not_indicated",
    "contraindicated",
)
#: Strengths from the strongest case for doing the option to the strongest against it, an
#: undecided option between the two: a CSV row's "strongest across lesions" is the first here.
STRONGEST_FIRST: tuple[Strength, ...] = (
    "recommended",
    "consider",
    "not_evaluable",
    "not_indicated",
    "contraindicated",
)
#: Strengths that mean doing the option (the rest mean not doing it).
POSITIVE: frozenset[str] = frozenset({"recommended", "consider"})

#: Evidence grades a rule may carry (shown beside its citation).
Evidence = Literal["high", "moderate", "low", "consensus", "site_policy"]
EVIDENCE: tuple[Evidence, ...] = ("high", "moderate", "low", "consensus", "site_policy")

#: Option ids of the report contract; ``mdt_review`` carries the specialties to involve.
#: Scripts and site rule sets depend on them: add new ones, never rename.
OPTION_IDS: tuple[str, ...] = (
    "urgent_mri",
    "dexamethasone",
    "cebrt",
    "sbrt",
    "separation_surgery",
    "decompression",
    "stabilization",
    "vertebral_augmentation",
    "analgesia",
    "bone_modifying_agent",
    "systemic_therapy_review",
    "rehabilitation",
    "psychosocial_support",
    "complementary_therapies",
    "palliative_care",
    "mdt_review",
)


def tier_rank(tier: str) -> int:
    """0 for the most urgent tier; unknown names sort last."""
    return TIERS.index(tier) if tier in TIERS else len(TIERS)


def strength_rank(strength: str) -> int:
    """Report order of a strength; unknown names sort last."""
    return STRENGTHS.index(strength) if strength in STRENGTHS else len(STRENGTHS)
