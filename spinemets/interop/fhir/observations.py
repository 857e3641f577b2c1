"""Observations: ECOG, Karnofsky, serum albumin and eGFR, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spinemets.case.models import ALBUMIN_PLAUSIBLE
from spinemets.interop.fhir import codes
from spinemets.interop.fhir.elements import as_list, codings_of, effective_of, one_line, ref_of
from spinemets.interop.fhir.state import Reading, State
from spinemets.interop.fhir.windows import check_stale, too_new
from spinemets.scorers.performance import ecog_from_kps

_USABLE_STATUS = ("final", "amended", "corrected")


def _absent(obs: dict[str, Any]) -> str | None:
    """The data-absent-reason of an Observation, named (e.g. ``asked-declined``), or None."""
    reason = obs.get("dataAbsentReason")
    coding = next(iter(codings_of(reason)), None)
    if coding is None:
        return None
    display = coding.get("display")
    named = (
        f"{coding['code']} ({one_line(display, 60)})"
        if isinstance(display, str)
        else coding["code"]
    )
    return f"no value: data absent, reason {named}"


def group_observations(
    observations: list[dict[str, Any]], state: State
) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for obs in observations:
        loinc = {
            str(c["code"]) for c in codings_of(obs.get("code")) if c.get("system") == codes.LOINC
        }
        if codes.LOINC_ECOG in loinc:
            key = "ecog"
        elif codes.LOINC_KPS in loinc:
            key = "kps"
        elif codes.LOINC_ALBUMIN in loinc:
            key = "albumin"
        elif loinc & set(codes.LOINC_EGFR):
            key = "egfr"
        else:
            key = "other"
        if key != "other" and obs.get("status") not in _USABLE_STATUS:
            state.line(
                _FIELD[key],
                "-",
                _obs_source(obs, key),
                "ignored",
                f"status is {obs.get('status')!s}, not final/amended/corrected",
            )
            continue
        grouped.setdefault(key, []).append(obs)
    return grouped


_FIELD = {
    "ecog": "performance.ecog",
    "kps": "performance.kps",
    "albumin": "labs.albumin",
    "egfr": "labs.egfr",
}
_LOINC_OF = {"ecog": codes.LOINC_ECOG, "kps": codes.LOINC_KPS, "albumin": codes.LOINC_ALBUMIN}


def _obs_source(obs: dict[str, Any], key: str) -> str:
    code = _LOINC_OF.get(key)
    if code is None:
        code = next(
            (
                str(c["code"])
                for c in codings_of(obs.get("code"))
                if str(c["code"]) in codes.LOINC_EGFR
            ),
            "?",
        )
    return f"{ref_of(obs)} LOINC#{code}"


def _answer(concept: Any, table: dict[str, int]) -> int | None:
    for coding in codings_of(concept):
        if coding.get("system") in (codes.LOINC, None) and coding["code"] in table:
            return table[coding["code"]]
    return None


def _score_reading(obs: dict[str, Any], key: str, state: State) -> Reading | None:
    table = codes.ECOG_ANSWERS if key == "ecog" else codes.KPS_ANSWERS
    valid = range(0, 6) if key == "ecog" else range(0, 101, 10)
    source = _obs_source(obs, key)
    value: int | None = None
    how = ""
    raw_int = obs.get("valueInteger")
    if isinstance(raw_int, int) and not isinstance(raw_int, bool):
        if raw_int not in valid:
            state.line(
                _FIELD[key],
                raw_int,
                source,
                "ignored",
                f"valueInteger {raw_int} is not a valid {key.upper()} value",
            )
            return None
        value, how = raw_int, "valueInteger"
    elif "valueCodeableConcept" in obs:
        value = _answer(obs["valueCodeableConcept"], table)
        if value is None:
            state.line(
                _FIELD[key],
                "-",
                source,
                "ignored",
                "valueCodeableConcept is not a LOINC answer code of the list",
            )
            return None
        how = "LOINC answer code in valueCodeableConcept"
    interpretation = None
    for concept in as_list(obs.get("interpretation")):
        interpretation = interpretation if interpretation is not None else _answer(concept, table)
    if value is None and interpretation is not None:
        value, how = interpretation, "LOINC answer code in interpretation"
    elif value is not None and interpretation is not None and interpretation != value:
        state.line(
            _FIELD[key],
            "unknown",
            source,
            "conflict",
            f"{how} {value} disagrees with the interpretation answer code ({interpretation})",
        )
        return None
    if value is None:
        state.line(
            _FIELD[key],
            "-",
            source,
            "ignored",
            _absent(obs) or "no valueInteger or LOINC answer code",
        )
        return None
    when, when_text = effective_of(obs)
    return Reading(value, when, when_text, f"{source} ({how})")


def _quantity(obs: dict[str, Any], key: str, state: State) -> tuple[float, str, str] | None:
    source = _obs_source(obs, key)
    quantity = obs.get("valueQuantity")
    if not isinstance(quantity, dict):
        state.line(_FIELD[key], "-", source, "ignored", _absent(obs) or "no valueQuantity")
        return None
    number = quantity.get("value")
    if not isinstance(number, (int, float)) or isinstance(number, bool):
        state.line(_FIELD[key], "-", source, "ignored", "valueQuantity has no numeric value")
        return None
    if quantity.get("comparator"):
        state.line(
            _FIELD[key],
            "-",
            source,
            "ignored",
            f"value is a bound ({quantity['comparator']}{number:g}), not a measurement",
        )
        return None
    unit = (
        quantity.get("code")
        if quantity.get("system") == codes.UCUM and isinstance(quantity.get("code"), str)
        else quantity.get("unit")
    )
    if not isinstance(unit, str):
        state.line(_FIELD[key], "-", source, "ignored", "valueQuantity has no unit")
        return None
    return float(number), unit.strip(), source


def _albumin_reading(obs: dict[str, Any], state: State) -> Reading | None:
    got = _quantity(obs, "albumin", state)
    if got is None:
        return None
    number, unit, source = got
    factor = {u.lower(): (u, f) for u, f in codes.ALBUMIN_UNITS_TO_G_DL.items()}.get(unit.lower())
    if factor is None:
        state.line("labs.albumin", "-", source, "ignored", f"unit '{unit[:20]}' is not g/dL or g/L")
        return None
    g_dl = round(number * factor[1], 2)
    low, high = ALBUMIN_PLAUSIBLE["g/dL"]
    if not low <= g_dl <= high:
        state.line(
            "labs.albumin",
            "-",
            source,
            "ignored",
            f"{number:g} {factor[0]} is implausible for serum albumin ({low:g}-{high:g} g/dL)",
        )
        return None
    text = f"{g_dl:g} g/dL"
    how = "g/dL" if factor[0] == "g/dL" else f"{number:g} g/L converted to g/dL"
    when, when_text = effective_of(obs)
    return Reading(text, when, when_text, f"{source} ({how})")


def _egfr_reading(obs: dict[str, Any], state: State) -> Reading | None:
    got = _quantity(obs, "egfr", state)
    if got is None:
        return None
    number, unit, source = got
    if unit not in codes.EGFR_UNITS:
        state.line("labs.egfr", "-", source, "ignored", f"unit '{unit[:20]}' is not mL/min/1.73 m2")
        return None
    if not 0 <= number <= 200:
        state.line(
            "labs.egfr", "-", source, "ignored", f"{number:g} is outside 0-200 mL/min/1.73 m2"
        )
        return None
    value: int | float = int(number) if number == int(number) else round(number, 1)
    when, when_text = effective_of(obs)
    return Reading(value, when, when_text, source)


def _newest(readings: list[Reading], path: str, state: State) -> Any:
    """Use the newest reading; several newest readings that disagree are a conflict. Readings
    dated in the future or after the assessment date are never used; a stale or undated one
    is used with a warning."""
    usable = []
    for reading in readings:
        why = too_new(reading.when.date(), state) if reading.when is not None else None
        if why is None:
            usable.append(reading)
        else:
            state.line(path, reading.value, reading.source, "ignored", f"{why}: not used")
    readings = usable
    if not readings:
        return None
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    ordered = sorted(readings, key=lambda r: r.when or floor, reverse=True)
    top = ordered[0]
    tied = [r for r in ordered if r.when == top.when]
    values = {str(r.value) for r in tied}
    if len(values) > 1:
        shown = ", ".join(f"{r.value} ({r.source})" for r in tied)
        state.line(
            path,
            "unknown",
            "; ".join(r.source for r in tied),
            "conflict",
            f"{len(tied)} observations of the same date ({top.when_text}) disagree: {shown}",
        )
        state.comments[path] = (
            f"CONFLICT: observations of {top.when_text} disagree "
            f"({', '.join(sorted(values))}); enter the right value"
        )
        for older in ordered[len(tied) :]:
            state.line(
                path,
                older.value,
                older.source,
                "ignored",
                f"older ({older.when_text}) than the conflicting observations",
            )
        return None
    count = len(readings)
    reason = f"newest of {count} observation(s), effective {top.when_text}"
    for older in ordered[len(tied) :]:
        state.line(
            path,
            older.value,
            older.source,
            "ignored",
            f"older ({older.when_text}) than {top.source.split(' (')[0]} ({top.when_text})",
        )
    state.set(
        path, top.value, top.source, reason, f"from {top.source.split(' (')[0]}, {top.when_text}"
    )
    if top.when is None:
        note = "UNDATED: the observation has no date, so its age is unknown; confirm it"
        state.line(path, "-", top.source, "warning", note)
        state.comments[path] += f"; {note}"
    else:
        check_stale(path, top.when.date(), top.source, state)
    return top.value


def read_performance(grouped: dict[str, list[dict[str, Any]]], state: State) -> None:
    ecog = _newest(
        [r for o in grouped.get("ecog", []) if (r := _score_reading(o, "ecog", state))],
        "performance.ecog",
        state,
    )
    kps = _newest(
        [r for o in grouped.get("kps", []) if (r := _score_reading(o, "kps", state))],
        "performance.kps",
        state,
    )
    if isinstance(ecog, int) and isinstance(kps, int):
        expected = _ecog_for_kps(kps)
        if expected != ecog:
            note = (
                f"ECOG {ecog} and KPS {kps} disagree under the usual mapping "
                "(the usual correspondence: "
                f"KPS {kps} ~ ECOG {expected}); both kept as recorded: check them"
            )
            state.line(
                "performance",
                f"ECOG {ecog} / KPS {kps}",
                "performance.ecog; performance.kps",
                "conflict",
                note,
            )
            state.comments["performance.kps"] += f"; {note}"


def _ecog_for_kps(kps: int) -> int:
    return ecog_from_kps(kps)


def read_labs(grouped: dict[str, list[dict[str, Any]]], state: State) -> None:
    _newest(
        [r for o in grouped.get("albumin", []) if (r := _albumin_reading(o, state))],
        "labs.albumin",
        state,
    )
    _newest(
        [r for o in grouped.get("egfr", []) if (r := _egfr_reading(o, state))], "labs.egfr", state
    )
