"""Patient: sex, age, and (only when asked for) name, MRN and birth date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spinemets.case.models import Sex
from spinemets.interop.fhir.elements import PARTIAL_DATE, as_list, codings_of, full_date, one_line
from spinemets.interop.fhir.state import State

_SEX = {"female": Sex.FEMALE, "male": Sex.MALE, "other": Sex.OTHER}


def read_patient(patient: dict[str, Any] | None, state: State) -> None:
    """Sex and age always; identifiers only with ``state.with_identifiers``."""
    if patient is None:
        state.line(
            "patient",
            "unknown",
            "Bundle",
            "ignored",
            "no Patient resource: age and sex stay unknown",
        )
        return
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
    _identifiers(patient, birth, state)


def _identifiers(patient: dict[str, Any], birth: Any, state: State) -> None:
    """Name, MRN and full birth date: into the draft only with ``with_identifiers``."""
    found: list[tuple[str, Any, str]] = []
    name = _name(patient.get("name"))
    if name:
        found.append(("patient.name", name, "Patient.name"))
    mrn = _mrn(patient.get("identifier"))
    if mrn:
        found.append(("patient.mrn", mrn, "Patient.identifier of type MR"))
    born = full_date(birth)
    if born is not None and born <= state.today and isinstance(birth, str) and len(birth) == 10:
        found.append(("patient.birth_date", born, "Patient.birthDate"))
    for path, value, where in found:
        if not state.with_identifiers:
            state.line(
                path,
                "(identifier, not copied)",
                "Patient",
                "ignored",
                f"{where} is an identifier: copied only with --with-identifiers",
            )
            continue
        state.values[path] = value
        state.comments[path] = f"identifier (PHI) from {where}; removed by --redact"
        state.line(path, "(identifier, not shown)", "Patient", "mapped", where)


def collect_identifiers(patient: dict[str, Any], state: State) -> None:
    """Remember every identifying text of the Patient (id, identifiers, name parts, birth
    date, telecom, address) so that the report and the draft's free text never show it."""
    texts: list[Any] = [patient.get("id"), patient.get("birthDate")]
    for ident in as_list(patient.get("identifier")):
        if isinstance(ident, dict):
            texts.append(ident.get("value"))
    for name in as_list(patient.get("name")):
        if isinstance(name, dict):
            texts.extend([name.get("text"), name.get("family"), *as_list(name.get("given"))])
    for contact in as_list(patient.get("telecom")):
        if isinstance(contact, dict):
            texts.append(contact.get("value"))
    for address in as_list(patient.get("address")):
        if isinstance(address, dict):
            texts.extend([address.get("text"), address.get("postalCode"), address.get("city")])
            texts.extend(as_list(address.get("line")))
    for text in texts:
        if isinstance(text, str):
            state.add_identifier(text)


def _age(birth: str, state: State) -> None:
    match = PARTIAL_DATE.fullmatch(birth.strip())
    if not match:
        state.line(
            "patient.age", "unknown", "Patient", "ignored", "Patient.birthDate is not a FHIR date"
        )
        return
    year, month, day = int(match[1]), match[2], match[3]
    today = state.assessed_on
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
