"""Cross-field consistency warnings: facts that load fine alone but disagree with each other.

These are warnings, never errors: the clinician may be right and the rule of thumb wrong, but
the report should say so. Each warning has a stable ``code`` (scripts filter on it), the case
path it is about (``lesions[0].escc``) and a message naming the values involved. Identifiers
(``patient.name``, ``mrn``, ``birth_date``) and free text are never echoed.

Checks, in the order they are reported:

* ``neuro_grade_vs_ambulation`` — Frankel or ASIA grade A/B (no motor function below the
  lesion: Frankel 1969, ASIA impairment scale) with ``ambulatory: independent``;
* ``kps_ecog_mismatch`` — KPS and ECOG that disagree with the usual mapping (the table below;
  any difference, even one step, is reported with what KPS maps to);
* ``vertebral_metastases_below_lesions`` — ``disease.vertebral_metastases`` smaller than the
  number of distinct vertebral levels covered by the listed lesions (occiput not counted);
* ``escc_below_conus`` — an ESCC grade for a lesion whose span lies wholly below the conus
  (L2 or lower): the scale was validated for cord compression only (Bilsky 2010);
* ``transitional_level_without_location_class`` — T13 or L6 with no ``location_class``;
* ``coccyx_without_location_class`` — a coccygeal lesion with no ``location_class``;
* ``radiosensitivity_override`` — informational: the clinician's radiosensitivity replaces
  the histology table;
* ``lung_type_not_given`` — ``primary: lung`` without the type (non-small-cell or small-cell
  lung cancer differ in radiosensitivity and systemic options);
* ``radiosensitivity_unknown`` — a primary the rules' histology table leaves unknown
  (``other``, ``unknown_primary``) and no ``cancer.radiosensitivity`` (checked only when the
  caller passes the table);
* ``dated_after_assessment`` — a dated finding (diagnosis, MRI, prior radiation or surgery)
  later than ``assessed_on``.

An ``expected`` block is not a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from spinemets.case.levels import TRANSITIONAL, covered_levels, level_index
from spinemets.case.models import Ambulatory, Case, NeuroGrade, Primary
from spinemets.case.scales import KPS_TO_ECOG
from spinemets.case.warning import Warning

#: The rules' histology table: coded primary → sensitive | intermediate | resistant, or None.
RadiosensitivityOf = Callable[[str], str | None]


#: Frankel/ASIA grades with no motor function below the lesion (Frankel 1969; ASIA scale).
NO_MOTOR_GRADES = frozenset({NeuroGrade.A, NeuroGrade.B})

#: Warning codes, in report order.
CODES: tuple[str, ...] = (
    "neuro_grade_vs_ambulation",
    "kps_ecog_mismatch",
    "vertebral_metastases_below_lesions",
    "escc_below_conus",
    "transitional_level_without_location_class",
    "coccyx_without_location_class",
    "radiosensitivity_override",
    "lung_type_not_given",
    "radiosensitivity_unknown",
    "dated_after_assessment",
)


def cross_field_warnings(
    case: Case, radiosensitivity_of: RadiosensitivityOf | None = None
) -> list[Warning]:
    """Every cross-field warning for ``case``, in a deterministic order.

    ``radiosensitivity_of`` is the rules' histology table; without it the
    ``radiosensitivity_unknown`` check is not made.
    """
    out: list[Warning] = []
    out += _neurology(case)
    out += _performance(case)
    out += _vertebral_count(case)
    out += _lesions(case)
    out += _radiosensitivity(case)
    out += _primary_type(case, radiosensitivity_of)
    out += _dates(case)
    return out


def _neurology(case: Case) -> list[Warning]:
    neuro = case.neurology
    if neuro.ambulatory is not Ambulatory.INDEPENDENT:
        return []
    out: list[Warning] = []
    for scale, grade in (("frankel", neuro.frankel), ("asia", neuro.asia)):
        if grade in NO_MOTOR_GRADES:
            label = "Frankel" if scale == "frankel" else "ASIA"
            out.append(
                Warning(
                    "neuro_grade_vs_ambulation",
                    f"neurology.{scale}",
                    f"{label} grade {grade} means no motor function below the lesion, but "
                    "ambulatory is 'independent'; check which finding is current",
                )
            )
    return out


def _performance(case: Case) -> list[Warning]:
    kps, ecog = case.performance.kps, case.performance.ecog
    if kps is None or ecog is None or kps not in KPS_TO_ECOG:
        return []
    mapped = KPS_TO_ECOG[kps]
    if mapped == ecog:
        return []
    return [
        Warning(
            "kps_ecog_mismatch",
            "performance.ecog",
            f"KPS {kps} and ECOG {ecog} disagree: KPS {kps} maps to ECOG {mapped} in the usual "
            "KPS-ECOG table; the recorded ECOG is used, check which is current",
        )
    ]


def _vertebral_count(case: Case) -> list[Warning]:
    count = case.disease.vertebral_metastases
    if count is None:
        return []
    covered = covered_levels(case.lesions)
    if count >= len(covered):
        return []
    shown = ", ".join(sorted(covered, key=level_index))
    return [
        Warning(
            "vertebral_metastases_below_lesions",
            "disease.vertebral_metastases",
            f"vertebral_metastases is {count} but the lesions listed cover {len(covered)} "
            f"vertebral levels ({shown}); revised Tokuhashi uses this count",
        )
    ]


def _lesions(case: Case) -> list[Warning]:
    out: list[Warning] = []
    for i, lesion in enumerate(case.lesions):
        span = lesion.span
        if lesion.escc is not None and span.below_conus:
            out.append(
                Warning(
                    "escc_below_conus",
                    f"lesions[{i}].escc",
                    f"ESCC grade {lesion.escc} at {span}, below the conus: the ESCC scale was "
                    "validated for cord compression (cervical and thoracic); read it as a "
                    "thecal-sac grade and judge urgency from cauda equina and radicular findings",
                )
            )
        if lesion.location_class is None:
            transitional = [lv for lv in span.levels if lv in TRANSITIONAL]
            if transitional:
                out.append(
                    Warning(
                        "transitional_level_without_location_class",
                        f"lesions[{i}].level",
                        f"{', '.join(transitional)} is a transitional level with no SINS location "
                        "class; give location_class (junctional, mobile, semi_rigid, rigid) to "
                        "complete SINS",
                    )
                )
            if "coccyx" in span.levels:
                out.append(
                    Warning(
                        "coccyx_without_location_class",
                        f"lesions[{i}].level",
                        "the coccyx has no SINS location class; give location_class to complete "
                        "SINS",
                    )
                )
    return out


def _radiosensitivity(case: Case) -> list[Warning]:
    chosen = case.cancer.radiosensitivity
    if chosen is None:
        return []
    return [
        Warning(
            "radiosensitivity_override",
            "cancer.radiosensitivity",
            f"radiosensitivity '{chosen}' is set by the clinician (see radiosensitivity_reason) "
            "and replaces the histology table",
        )
    ]


def _primary_type(case: Case, radiosensitivity_of: RadiosensitivityOf | None) -> list[Warning]:
    cancer = case.cancer
    if cancer.primary is None or cancer.radiosensitivity is not None:
        return []
    if cancer.primary is Primary.LUNG:
        return [
            Warning(
                "lung_type_not_given",
                "cancer.primary",
                "primary 'lung' does not give the type: write lung_nsclc or lung_sclc "
                "(small-cell lung cancer responds to conventional radiotherapy better than "
                "non-small-cell); until then radiosensitivity is unknown (or set "
                "cancer.radiosensitivity with radiosensitivity_reason)",
            )
        ]
    if radiosensitivity_of is None or radiosensitivity_of(cancer.primary.value) is not None:
        return []
    return [
        Warning(
            "radiosensitivity_unknown",
            "cancer.radiosensitivity",
            f"primary '{cancer.primary.value}' has no radiosensitivity in the rules' histology "
            "table: the MDT sets cancer.radiosensitivity (sensitive, intermediate or "
            "resistant) with radiosensitivity_reason; until then options that depend on it "
            "stay open",
        )
    ]


def _dated_findings(case: Case) -> list[tuple[str, date]]:
    found: list[tuple[str, date]] = []
    if case.cancer.diagnosed_on is not None:
        found.append(("cancer.diagnosed_on", case.cancer.diagnosed_on))
    if case.imaging.mri_date is not None:
        found.append(("imaging.mri_date", case.imaging.mri_date))
    for i, lesion in enumerate(case.lesions):
        if lesion.prior_radiation is not None and lesion.prior_radiation.date is not None:
            found.append((f"lesions[{i}].prior_radiation.date", lesion.prior_radiation.date))
        if lesion.prior_surgery is not None and lesion.prior_surgery.date is not None:
            found.append((f"lesions[{i}].prior_surgery.date", lesion.prior_surgery.date))
    return found


def _dates(case: Case) -> list[Warning]:
    if case.assessed_on is None:
        return []
    return [
        Warning(
            "dated_after_assessment",
            path,
            f"{path} ({when.isoformat()}) is later than assessed_on "
            f"({case.assessed_on.isoformat()}); check which date is wrong",
        )
        for path, when in _dated_findings(case)
        if when > case.assessed_on
    ]
