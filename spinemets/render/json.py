"""JSON report: exactly the contract of case-format.md, deterministic for the same input."""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

try:  # orjson: the same compact bytes about 20x faster (checked below); optional
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is a dependency; still work without it
    _orjson = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from spinemets.assessment import Assessment


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Serialise report data: UTF-8 text, stable separators, no NaN."""
    separators = (",", ": ") if indent is not None else (",", ":")
    return json.dumps(
        data, indent=indent, ensure_ascii=False, allow_nan=False, separators=separators
    )


#: Set to ``0`` to serialise every JSON line with the standard library.
FAST_JSON_ENV = "SPINEMETS_FAST_JSON"
#: orjson and the standard library write floats below 1e-4 differently (``1e-05`` /
#: ``0.00001``) and may differ on exponents: a number with an exponent or four leading zeros
#: after the point (or text that looks like one after ``:`` ``,`` ``[``) sends the line to the
#: standard library. Hex digests never match: a quote precedes them.
_EXPONENT = re.compile(rb"(?:^|[:,\[])-?(?:[0-9]+(?:\.[0-9]+)?[eE]|0\.0000)")


def dumps_line(data: Any) -> str:
    """``dumps(data, indent=None)``, byte for byte: with orjson when it is installed and gives
    the same text (else, and with ``SPINEMETS_FAST_JSON=0``, with the standard library).

    For report data, whose numbers are finite (the case parser refuses non-finite and
    out-of-range numbers; computed results are integers): orjson would write a non-finite
    float as null where the standard library refuses it."""
    if _orjson is not None and os.environ.get(FAST_JSON_ENV, "1") != "0":
        try:
            raw = _orjson.dumps(
                data, option=_orjson.OPT_PASSTHROUGH_DATACLASS | _orjson.OPT_PASSTHROUGH_DATETIME
            )
        except TypeError:  # what orjson refuses (big integers, non-text keys...): see below
            pass
        else:
            if not _EXPONENT.search(raw):
                return raw.decode("utf-8")
    return dumps(data, indent=None)


def render(assessment: Assessment) -> str:
    """The report as pretty-printed JSON followed by a newline."""
    return dumps(assessment.to_dict()) + "\n"
