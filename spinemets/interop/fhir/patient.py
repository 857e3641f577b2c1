"""Patient: sex, age, and (only when asked for) name, MRN and birth date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spinemets.case.models import Sex
from spinemets.interop.fhir.elements import PARTIAL_DATE, as_list, codings_of, full_date, one_line
from spinemets.interop.fhir.state import State, fail

_SEX = {"female": Sex.FEMALE, "male": Sex.MALE, "other": Sex.OTHER}


def read_patient(patients: list[dict[str, Any]], state: State, file: str) -> None:
    if len(patients) > 1:
        raise fail(
            file,
            f"the bundle holds {len(patients)} Patient resources; a case describes one patient",
        )
    if not patients:
        state.line(
            "patient",
            "unknown",
            "Bundle",
            "ignored",
            "no Patient resource: age and sex stay unknown",
        )
        return
    patient = patients[0]
    gender = patient.get("gender")
    if isinstance(gender, str) and gender in _SEX:
        state.set("patient.sex", _SEX[gender], "Patient", "Patient.gender", "from Patient.gender")
    elif gender is not None:
        state.line(
            "patient.sex",
            "unknown",
            "Patient",
            "ignored",
            "Patient.gender is 'unknown' or not an R4 code",
        )
    birth = patient.get("birthDate")
    if isinstance(birth, str):
        _age(birth, state)
    name = _name(patient.get("name"))
    if name:
        state.values["patient.name"] = name
        state.comments["patient.name"] = "identifier (PHI) from Patient.name; removed by --redact"
        state.line("patient.name", "(identifier, not shown)", "Patient", "mapped", "Patient.name")
    mrn = _mrn(patient.get("identifier"))
    if mrn:
        state.values["patient.mrn"] = mrn
        state.comments["patient.mrn"] = (
            "identifier (PHI) from Patient.identifier (type MR); removed by --redact"
        )
        state.line(
            "patient.mrn",
            "(identifier, not shown)",
            "Patient",
            "mapped",
            "Patient.identifier of type MR",
        )
    born = full_date(birth)
    if born is not None and born <= state.today and isinstance(birth, str) and len(birth) == 10:
        state.values["patient.birth_date"] = born
        state.comments["patient.birth_date"] = (
            "identifier (PHI) from Patient.birthDate; removed by --redact"
        )
        state.line(
            "patient.birth_date",
            "(identifier, not shown)",
            "Patient",
            "mapped",
            "Patient.birthDate",
        )


def _age(birth: str, state: State) -> None:
    match = PARTIAL_DATE.fullmatch(birth.strip())
    if not match:
        state.line(
            "patient.age", "unknown", "Patient", "ignored", "Patient.birthDate is not a FHIR date"
        )
        return
    year, month, day = int(match[1]), match[2], match[3]
    today = state.today
    if month is None:
        state.line(
            "patient.age",
            "unknown",
            "Patient",
            "ignored",
            "birthDate gives the year only: the age is ambiguous by one year",
        )
        return
    if day is None and int(month) == today.month:
        state.line(
            "patient.age",
            "unknown",
            "Patient",
            "ignored",
            "birthDate gives no day and the birthday month is the current month: "
            "the age is ambiguous",
        )
        return
    try:
        born = dt.date(year, int(month), int(day or 1))
    except ValueError:
        state.line(
            "patient.age", "unknown", "Patient", "ignored", "Patient.birthDate is not a valid date"
        )
        return
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if born > today or not 0 <= age <= 120:
        state.line(
            "patient.age",
            "unknown",
            "Patient",
            "ignored",
            "Patient.birthDate gives an age outside 0-120",
        )
        return
    state.set(
        "patient.age",
        age,
        "Patient",
        f"from Patient.birthDate on {today.isoformat()}",
        f"from Patient.birthDate on {today.isoformat()}",
    )


def _name(names: Any) -> str | None:
    if not isinstance(names, list):
        return None
    usable = [n for n in names if isinstance(n, dict)]
    usable.sort(key=lambda n: n.get("use") != "official")
    for name in usable:
        if isinstance(name.get("text"), str) and name["text"].strip():
            return one_line(name["text"])
        given = [g for g in as_list(name.get("given")) if isinstance(g, str)]
        family = str(name["family"]) if isinstance(name.get("family"), str) else ""
        joined = " ".join([*given, family]).strip()
        if joined:
            return one_line(joined)
    return None


def _mrn(identifiers: Any) -> str | None:
    if not isinstance(identifiers, list):
        return None
    for ident in identifiers:
        if not isinstance(ident, dict) or not isinstance(ident.get("value"), str):
            continue
        if any(c.get("code") == "MR" for c in codings_of(ident.get("type"))):
            return one_line(ident["value"], 64)
    return None
