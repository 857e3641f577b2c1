"""Find the case files that ``batch``, ``check`` and ``board`` evaluate: none lost, none twice.

* A **file** given by name is taken whatever its name; a **folder** is searched recursively
  for names ending in ``.yaml`` or ``.yml`` in any letter case; anything else holding ``*?[``
  is a **glob** (``**`` recursive). Order: argument order, sorted by name within a folder or
  glob, so it never depends on the file system.
* **Symbolic links** inside a folder are followed when they lead inside one of the folders
  given (a link to a folder already searched, e.g. a loop, is searched once). A link leading
  outside the given folders, a broken link, a named pipe, a device or a socket named like a
  case file, and a folder that cannot be read become *problems*: they are counted as invalid
  (exit 1) with the reason, never opened (so nothing blocks).
* **Identity** is the file's device and inode: the same file given through a relative and an
  absolute path, a symbolic link or a hard link is evaluated once; the other paths are
  *skipped* with the path they duplicate. Hidden files and folders (``.name``) are skipped too.

Every path not evaluated is in :attr:`Discovery.problems` or :attr:`Discovery.skipped`, with
why, for the summary.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field

from spinemets.errors import Issue
from spinemets.fileio import file_kind

__all__ = ["CASE_SUFFIXES", "Discovery", "Skipped", "Target", "discover", "is_case_name"]

CASE_SUFFIXES = (".yaml", ".yml")
GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Target:
    """One case file to evaluate, or an input that named no usable file (``problem`` set)."""

    file: str
    problem: Issue | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path deliberately not evaluated, and why (it is not a lost case)."""

    path: str
    reason: str


@dataclass(slots=True)
class Discovery:
    """What the inputs named: targets in order (problems included) and the paths skipped."""

    targets: list[Target] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def problems(self) -> list[Issue]:
        return [t.problem for t in self.targets if t.problem is not None]

    def lines(self) -> list[str]:
        """One ``skipped: path: reason`` line per skipped path (for stderr)."""
        return [f"skipped: {s.path}: {s.reason}" for s in self.skipped]


def is_case_name(name: str) -> bool:
    """``.yaml`` / ``.yml`` in any letter case."""
    return name.lower().endswith(CASE_SUFFIXES)


def _problem(path: str, message: str, code: str) -> Target:
    return Target(path, Issue(path, 1, 1, "", message, code=code))


def _inside(real: str, roots: Iterable[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


class _Finder:
    def __init__(self, roots: list[str]) -> None:
        self.out = Discovery()
        self.roots = roots  # real paths of every folder given
        self.files: dict[tuple[int, int], str] = {}
        self.folders: dict[tuple[int, int], str] = {}
        self.candidates = 0  # case files met (evaluated, duplicates and problems alike)

    def add_file(self, path: str, info: os.stat_result) -> None:
        self.candidates += 1
        key = (info.st_dev, info.st_ino)
        first = self.files.get(key)
        if first is not None:
            self.out.skipped.append(Skipped(path, f"same file as {first} (evaluated once)"))
            return
        self.files[key] = path
        self.out.targets.append(Target(path))

    def given(self, path: str) -> None:
        """A path named on the command line (not a glob)."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            code = "broken_link" if os.path.islink(path) else "not_found"
            reason = "broken symbolic link" if code == "broken_link" else "file not found"
            self.out.targets.append(_problem(path, reason, code))
            return
        except OSError as exc:
            self.out.targets.append(_problem(path, f"cannot read: {exc.strerror}", "io"))
            return
        if stat.S_ISDIR(info.st_mode):
            self.folder(path, info)
        elif stat.S_ISREG(info.st_mode):
            self.add_file(path, info)
        else:
            self.out.targets.append(_not_regular(path, info.st_mode))

    def folder(self, top: str, info: os.stat_result) -> None:
        before = (self.candidates, len(self.out.targets), len(self.out.skipped))
        self._walk(top, info)
        if (self.candidates, len(self.out.targets), len(self.out.skipped)) == before:
            self.out.targets.append(
                _problem(top, "folder holds no *.yaml or *.yml files", "no_cases")
            )

    def _walk(self, top: str, info: os.stat_result) -> None:
        key = (info.st_dev, info.st_ino)
        if key in self.folders:
            self.out.skipped.append(Skipped(top, f"folder already searched as {self.folders[key]}"))
            return
        self.folders[key] = top
        try:
            with os.scandir(top) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            self.out.targets.append(_problem(top, f"cannot read folder: {exc.strerror}", "io"))
            return
        for entry in entries:
            self._entry(entry)

    def _entry(self, entry: os.DirEntry[str]) -> None:
        path, name = entry.path, entry.name
        try:
            is_link = entry.is_symlink()
            info = os.stat(path)
        except FileNotFoundError:
            if is_case_name(name):
                self.out.targets.append(_problem(path, "broken symbolic link", "broken_link"))
            else:
                self.out.skipped.append(Skipped(path, "broken symbolic link"))
            return
        except OSError as exc:
            self.out.targets.append(_problem(path, f"cannot read: {exc.strerror}", "io"))
            return
        is_dir = stat.S_ISDIR(info.st_mode)
        if not is_dir and not is_case_name(name):
            return  # not a case file by name: not a candidate
        if name.startswith("."):
            self.out.skipped.append(Skipped(path, "hidden " + ("folder" if is_dir else "file")))
            return
        if is_link:
            real = os.path.realpath(path)
            if not _inside(real, self.roots):
                self.out.targets.append(
                    _problem(
                        path,
                        f"symbolic link leads outside the folders given (to {real}); "
                        "name that folder or file to include it",
                        "link_outside",
                    )
                )
                return
        if is_dir:
            self._walk(path, info)
        elif stat.S_ISREG(info.st_mode):
            self.add_file(path, info)
        else:
            self.out.targets.append(_not_regular(path, info.st_mode))


def _not_regular(path: str, mode: int) -> Target:
    return _problem(path, f"is {file_kind(mode)}, not a regular file; refused", "not_regular")


def discover(inputs: Iterable[str | os.PathLike[str]]) -> Discovery:
    """Case files named by ``inputs`` (files, folders, globs); see the module docs."""
    items = [os.fspath(i) for i in inputs]
    expanded: list[tuple[str, bool]] = []  # (path, from a glob)
    problems: dict[int, Target] = {}
    for item in items:
        if os.path.lexists(item) or not GLOB_CHARS.intersection(item):
            expanded.append((item, False))
            continue
        matches = sorted(glob.glob(item, recursive=True))
        if not matches:
            problems[len(expanded)] = _problem(item, "no files match this pattern", "no_match")
            expanded.append((item, True))
        expanded += [(m, True) for m in matches]
    roots = [os.path.realpath(p) for p, _ in expanded if os.path.isdir(p)]
    finder = _Finder(roots)
    for index, (path, _) in enumerate(expanded):
        if index in problems:
            finder.out.targets.append(problems[index])
        else:
            finder.given(path)
    return finder.out
