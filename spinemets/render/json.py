"""JSON report: exactly the report contract (docs/report-contract.md), deterministic."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

try:  # orjson: the same compact bytes about 20x faster (checked below); optional
    import orjson as _orjson
except ImportError:  # pragma: no cover - orjson is a dependency; still work without it
    _orjson = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from spinemets.assessment import Assessment
    from spinemets.errors import Issue


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Serialise report data: UTF-8 text, stable separators, no NaN."""
    separators = (",", ": ") if indent is not None else (",", ":")
    return json.dumps(
        data, indent=indent, ensure_ascii=False, allow_nan=False, separators=separators
    )


#: Set to ``0`` to serialise every JSON line with the standard library.
FAST_JSON_ENV = "SPINEMETS_FAST_JSON"


def _may_differ(raw: bytes) -> bool:
    """Whether orjson's bytes may differ from the standard library's. They differ only for
    floats below 1e-4, which orjson writes as ``0.00001`` or ``1e-7`` (``1e-05``, ``1e-07``):
    four zeros after a point, or a digit before ``e-``. Plain searches, no regular expression
    (a 25 KB line is checked in microseconds); text that merely looks so costs only speed."""
    if b"0.0000" in raw:
        return True
    at = raw.find(b"e-")
    while at > 0:
        if 0x30 <= raw[at - 1] <= 0x39:
            return True
        at = raw.find(b"e-", at + 2)
    return False


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
            if not _may_differ(raw):
                return raw.decode("utf-8")
    return dumps(data, indent=None)


def render(assessment: Assessment) -> str:
    """The report as pretty-printed JSON followed by a newline."""
    return dumps(assessment.to_dict()) + "\n"


def error_record(file: str, issues: Sequence[Issue]) -> dict[str, Any]:
    """The jsonl record of a file that could not be evaluated: the file and all its issues."""
    return {
        "record": "error",
        "file": file,
        "issues": [
            {
                "file": i.file,
                "line": i.line,
                "col": i.col,
                "path": i.path,
                "severity": i.severity,
                "code": i.code,
                "message": i.message,
            }
            for i in issues
        ],
    }
