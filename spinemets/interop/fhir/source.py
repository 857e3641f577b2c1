"""Read an input file for ``import fhir`` without trusting it: bounded, regular files only.

Through :func:`spinemets.fileio.read_limited`: the kind and size are checked before a byte is
read (a 2 GiB bundle is refused without reading it; ``/dev/zero``, FIFOs, sockets and folders
are refused without blocking), and at most :data:`MAX_BUNDLE_BYTES` + 1 bytes are ever read.
"""

from __future__ import annotations

from pathlib import Path

from spinemets.fileio import FileProblem, read_limited
from spinemets.interop.fhir.state import FhirImportError

#: Largest input read (bytes). mCODE patient bundles are far smaller.
MAX_BUNDLE_BYTES = 32 * 1024 * 1024


def read_source(path: Path, limit: int = MAX_BUNDLE_BYTES) -> bytes:
    """The bytes of ``path``; :class:`FhirImportError` for a missing, unreadable, non-regular
    or too large file (the message names the path and the reason)."""
    try:
        return read_limited(path, limit, what="FHIR input")
    except FileProblem as exc:
        raise FhirImportError(str(exc)) from None
