"""Read an input file for ``import fhir`` without trusting it: bounded, regular files only.

The size is checked with ``fstat`` before a byte is read (a 2 GiB bundle is refused without
reading it), and at most :data:`MAX_BUNDLE_BYTES` + 1 bytes are ever read (a file that grows
while it is read is refused too). FIFOs, devices, sockets and directories are refused: the
file is opened non-blocking so that a FIFO without a writer cannot hang the import.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from spinemets.interop.fhir.state import FhirImportError, fail

#: Largest input read (bytes). mCODE patient bundles are far smaller.
MAX_BUNDLE_BYTES = 32 * 1024 * 1024

_KIND = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _too_big(file: str, size: int, limit: int) -> FhirImportError:
    return fail(
        file,
        f"file is {size:,} bytes; FHIR input is limited to {limit:,} bytes "
        "(export one patient's record)",
    )


def read_source(path: Path, limit: int = MAX_BUNDLE_BYTES) -> bytes:
    """The bytes of ``path``; :class:`FhirImportError` for a missing, unreadable, non-regular
    or too large file (the message names the path and the reason)."""
    file = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        reason = exc.strerror or errno.errorcode.get(exc.errno or 0, "error")
        raise fail(file, f"cannot read: {reason}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KIND if test(info.st_mode)), "not a regular file")
            raise fail(file, f"is {kind}; give a FHIR JSON or NDJSON file")
        if info.st_size > limit:
            raise _too_big(file, info.st_size, limit)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise fail(file, f"cannot read: {exc.strerror or 'error'}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise _too_big(file, len(data), limit)
    return data
