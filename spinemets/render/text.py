"""Free text made safe to show: control characters neutralised before any format sees them.

A case file's free text (case id, histology, reasons, keys) and a file name may hold escape
sequences, carriage returns, backspaces or bidirectional overrides that would rewrite what a
terminal or viewer shows (a crafted histology could erase an EMERGENCY line). :func:`plain`
shows each such character as a visible escape (``\\x1b``, ``\\u202e``), so the text still says
what was written but can no longer act on the display. Format syntax (Markdown, HTML, XML) is
escaped by each renderer on top of this.
"""

from __future__ import annotations

import re

#: C0 and C1 controls (newline and tab included: report fields are single lines), DEL, line and
#: paragraph separators, bidirectional marks, embeddings, overrides and isolates, the byte-order
#: mark, and lone surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff]"
)


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def plain(text: object) -> str:
    """``text`` as a string with every control character shown as an escape."""
    return _UNSAFE.sub(_shown, str(text))


def is_plain(text: str) -> bool:
    """True when ``text`` holds no character :func:`plain` would escape."""
    return _UNSAFE.search(text) is None
