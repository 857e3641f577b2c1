"""Typing of plain YAML scalars in the case-file dialect (YAML 1.2 core, strictly).

One pure function, :func:`resolve_plain`, shared by the position-keeping parser
(:mod:`spinemets.yamlsrc`) and the fast walk (:mod:`spinemets.yamlfast`), so both give the same
value, or the same refusal, for every plain scalar.
"""

from __future__ import annotations

import math
import re
from typing import Any

#: Longest plain number accepted (Python refuses to convert very long integers anyway).
MAX_NUMBER_CHARS = 32

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+(\.[0-9]*)?")
_OTHER_BASE = re.compile(r"[-+]?0[xXoObB][0-9a-fA-F_]+")
_UNDERSCORE_NUMBER = re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_NAN_INF = re.compile(r"[-+]?\.(inf|Inf|INF|nan|NaN|NAN)")
#: Every pattern above starts with one of these; other text is never a number.
_NUMBER_START = frozenset("+-.0123456789")
_YAML11_BOOL = frozenset({"yes", "no", "on", "off", "y", "n"})
_YES_NO = frozenset({"yes", "no"})
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})


class PlainYesNo(str):
    """An unquoted ``yes``/``no`` (any case), as written. YAML 1.1 tools read it as a boolean:
    only boolean fields accept it; anywhere else it is reported with :func:`yes_no_message`."""

    __slots__ = ()


def yes_no_message(text: str) -> str:
    """Why a plain ``yes``/``no``/``on``/``off``/``y``/``n`` is refused where it stands."""
    return (
        f"'{text}' is ambiguous (YAML 1.1 reads it as a boolean); "
        "write true or false, or quote it as text"
    )


#: (value, None, None) for an accepted scalar; (None, code, message) for a refused one.
Resolved = tuple[Any, str | None, str | None]


def resolve_plain(text: str, defer_yes_no: bool) -> Resolved:
    """The value of a plain (unquoted, untagged) scalar, or why it is refused."""
    if len(text) > 5 and text[:1] not in _NUMBER_START:
        return text, None, None  # the common case: a word too long for any other reading
    if text in _NULLS:
        return None, None, None
    if text in _TRUE:
        return True, None, None
    if text in _FALSE:
        return False, None, None
    lowered = text.lower()
    if lowered in _YAML11_BOOL:
        if defer_yes_no and lowered in _YES_NO:
            return PlainYesNo(text), None, None
        return None, "yaml11_bool", yes_no_message(text)
    if text[:1] not in _NUMBER_START:
        return text, None, None
    return _resolve_numberlike(text)


def _resolve_numberlike(text: str) -> Resolved:
    if _NAN_INF.fullmatch(text):
        return (
            None,
            "nan_inf",
            f"'{text}' (not-a-number or infinity) is not allowed; write a number",
        )
    is_int = bool(_INT.fullmatch(text))
    is_float = not is_int and bool(_FLOAT.fullmatch(text)) and any(c.isdigit() for c in text)
    if (is_int or is_float) and len(text) > MAX_NUMBER_CHARS:
        return (
            None,
            "number_range",
            f"number with {len(text)} characters is too long; case values are small numbers",
        )
    if is_int:
        return int(text), None, None
    if is_float:
        number = float(text)
        if not math.isfinite(number):
            return None, "number_range", f"'{text}' is out of range for a number"
        return number, None, None
    if _LEADING_ZERO.fullmatch(text) or _OTHER_BASE.fullmatch(text):
        return (
            None,
            "yaml11_number",
            f"'{text}' looks like an octal or hexadecimal number; "
            "write a plain decimal number, or quote it as text",
        )
    if _SEXAGESIMAL.fullmatch(text):
        return (
            None,
            "yaml11_number",
            f"'{text}' would be read as a base-60 (sexagesimal) number by YAML 1.1; "
            "quote it if you mean text",
        )
    if _UNDERSCORE_NUMBER.fullmatch(text):
        return (
            None,
            "yaml11_number",
            f"'{text}' uses digit separators; write the number without underscores",
        )
    return text, None, None
