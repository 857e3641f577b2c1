"""Reading input files and writing output files safely; every command goes through here.

* :func:`read_limited` reads a regular file of at most ``limit`` bytes. It checks the kind and
  size before reading anything, so a named pipe, a device (``/dev/zero``) or a huge file is
  refused with a reason instead of blocking or filling memory.
* :func:`check_output` refuses an output path before any work is done: a folder, a missing or
  unwritable folder, an existing file that is not a regular file (``/dev/null``, a pipe), or
  the same file as any input (through another path, a symbolic link or a hard link).
* :func:`write_text` and :func:`open_output` write through a temporary file in the same folder,
  ``fsync`` it and rename it over the target: a reader never sees a partial file, and a
  failed run (disk full, Ctrl-C) leaves any earlier file as it was.

Problems of the environment raise :class:`FileProblem` (a ``UserError``: exit 1 with the path
and the reason), never an internal error.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from spinemets.errors import UserError

__all__ = [
    "FileProblem",
    "check_output",
    "file_kind",
    "open_output",
    "read_limited",
    "same_file",
    "write_text",
]

AnyPath = str | os.PathLike[str]


class FileProblem(UserError):
    """A file or folder that cannot be used as asked: ``path: reason``."""

    def __init__(self, path: AnyPath, reason: str, code: str = "io") -> None:
        self.path = os.fspath(path)
        self.reason = reason
        self.code = code
        super().__init__(f"{self.path}: {reason}")


def file_kind(mode: int) -> str:
    """What a ``st_mode`` is, in words (``a named pipe (FIFO)``)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno == errno.EISDIR:
        return "is a folder"
    return exc.strerror or type(exc).__name__


def read_limited(path: AnyPath, limit: int, *, what: str = "file") -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), checked before reading.

    Raises :class:`FileProblem` with code ``not_regular``, ``too_large`` or ``io``."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode, what)
        _check_size(path, info.st_size, limit, what)
        # O_NONBLOCK: should the file be swapped for a pipe after the check, open never waits.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _not_regular(path, info.st_mode, what)
            _check_size(path, info.st_size, limit, what)
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise FileProblem(path, "file not found") from None
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {_reason(exc)}") from None
    if len(data) > limit:
        raise FileProblem(path, f"{what} grew past {limit:,} bytes while read", "too_large")
    return data


def _not_regular(path: AnyPath, mode: int, what: str) -> FileProblem:
    if stat.S_ISDIR(mode):
        return FileProblem(path, f"is a directory (folder), not a {what}", "not_regular")
    return FileProblem(path, f"is {file_kind(mode)}, not a regular file; refused", "not_regular")


def _check_size(path: AnyPath, size: int, limit: int, what: str) -> None:
    if size > limit:
        raise FileProblem(
            path, f"file is {size:,} bytes; a {what} is limited to {limit:,} bytes", "too_large"
        )


def same_file(a: AnyPath, b: AnyPath) -> bool:
    """Whether two paths name the same existing file (device and inode)."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def check_output(path: AnyPath, inputs: Iterable[AnyPath] = ()) -> None:
    """Refuse an output path that cannot, or must not, be replaced; see the module docs."""
    target = Path(path)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FileProblem(target, f"cannot use as output: {_reason(exc)}") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(target, "is a folder (directory); give a file name for the output")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(
                target,
                f"exists and is {file_kind(info.st_mode)}; an output must be a regular file "
                "(refusing to replace it)",
                "not_regular",
            )
        key = (info.st_dev, info.st_ino)
        for item in inputs:
            try:
                other = os.stat(item)
            except OSError:
                continue
            if (other.st_dev, other.st_ino) == key:
                raise FileProblem(
                    target,
                    f"is the same file as the input {os.fspath(item)}; "
                    "refusing to overwrite an input",
                    "same_as_input",
                )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileProblem(folder, "no such folder (the output folder must exist)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FileProblem(folder, "output folder is not writable")


@contextmanager
def open_output(path: AnyPath, inputs: Iterable[AnyPath] = ()) -> Iterator[TextIO]:
    """A text stream that becomes ``path`` only when the block ends without an exception."""
    target = Path(path)
    sources = list(inputs)
    check_output(target, sources)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileProblem(folder, f"cannot write here: {_reason(exc)}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        check_output(target, sources)  # nothing swapped in meanwhile
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FileProblem(target, f"cannot write: {_reason(exc)}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(folder)


def write_text(path: AnyPath, text: str, inputs: Iterable[AnyPath] = ()) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`open_output`)."""
    with open_output(path, inputs) as handle:
        handle.write(text)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
