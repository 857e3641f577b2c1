"""Inputs and outputs on a careless or hostile file system (hazard log HAZ-022, HAZ-023).

Every command with ``--output`` refuses an output that is one of its inputs (by another path, a
symbolic link or a hard link) and an existing output that is not a regular file (``/dev/null``
must survive even as root); the output folder must exist and be writable. A named pipe or a
device given as a case or a rules file is refused at once, never waited on. Environment errors
(missing folder, read-only file system, disk full) end with exit 1, the path and the reason.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from spinemets import fileio
from spinemets.case.loader import read_case_bytes
from spinemets.errors import CaseError, RulesError
from spinemets.rules.loader import load_rules
from spinemets.yamlsrc import MAX_BYTES
from tests.workflows.helpers import GOOD_CASE, RULES, cli, write

from .support import ROOT, run_cli

FHIR_BUNDLE = next((ROOT / "tests" / "interop" / "fixtures").glob("*.json"))

#: (command id, argv builder given (case, output)): every command that writes --output.
WRITERS: dict[str, Callable[[Path, Path], list[str]]] = {
    "evaluate": lambda case, out: ["evaluate", str(case), "-f", "json", "-o", str(out)],
    "batch": lambda case, out: ["batch", str(case), "-o", str(out)],
    "batch_dictionary": lambda case, out: [
        "batch",
        str(case),
        "-f",
        "csv",
        "--dictionary",
        str(out),
    ],
    "board": lambda case, out: ["board", str(case), "-o", str(out)],
    "check_junit": lambda case, out: ["check", str(case), "--junit", str(out)],
}


def _case(tmp_path: Path) -> Path:
    return write(tmp_path / "case.yaml", GOOD_CASE)


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


# --- output onto an input ---


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("how", ["same_path", "absolute_path", "symlink", "hardlink"])
def test_output_that_is_an_input_is_refused(command: str, how: str, tmp_path: Path) -> None:
    case = _case(tmp_path)
    before = case.read_bytes()
    if how == "same_path":
        out = case
    elif how == "absolute_path":
        out = Path(os.path.abspath(case)).parent / ".." / case.parent.name / case.name
    elif how == "symlink":
        out = tmp_path / "link.json"
        out.symlink_to(case)
    else:
        out = tmp_path / "hard.json"
        os.link(case, out)
    result = cli(*WRITERS[command](case, out))
    assert result.exit_code == 1, result.output
    assert "same file as the input" in result.stderr
    assert case.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_import_fhir_output_onto_the_bundle_is_refused(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.json"
    shutil.copy(FHIR_BUNDLE, bundle)
    before = bundle.read_bytes()
    result = cli("import", "fhir", str(bundle), "-o", str(bundle))
    assert result.exit_code == 1
    assert "same file as the input" in result.stderr
    assert bundle.read_bytes() == before


def test_output_onto_a_site_rules_file_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    target = sorted(rules.glob("*.yaml"))[0]
    before = target.read_bytes()
    result = cli(
        "evaluate", str(_case(tmp_path)), "--rules", str(rules), "-f", "json", "-o", str(target)
    )
    assert result.exit_code == 1 and "same file as the input" in result.stderr
    assert target.read_bytes() == before


# --- output onto a device, pipe or folder ---


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_dev_null_as_output_is_refused_and_survives(command: str, tmp_path: Path) -> None:
    before = os.stat("/dev/null")
    result = cli(*WRITERS[command](_case(tmp_path), Path("/dev/null")))
    assert result.exit_code == 1
    assert "/dev/null" in result.stderr and "character device" in result.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_fifo_as_output_is_refused_without_blocking(command: str, tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "pipe.out")
    result = cli(*WRITERS[command](_case(tmp_path), fifo))
    assert result.exit_code == 1 and "named pipe" in result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("where", ["missing_folder", "folder_as_output"])
def test_unusable_output_path_is_a_clear_error(command: str, where: str, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "out.txt" if where == "missing_folder" else tmp_path
    result = run_cli(*WRITERS[command](_case(tmp_path), out))
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    assert ("no such folder" if where == "missing_folder" else "is a folder") in stderr
    assert str(out if where == "folder_as_output" else out.parent) in stderr


def test_new_onto_a_device_is_refused(tmp_path: Path) -> None:
    result = cli("new", "/dev/null", "--force")
    assert result.exit_code == 1 and "character device" in result.stderr


# --- environment errors at write time ---


@pytest.mark.parametrize(
    ("failing", "code", "words"),
    [
        ("fsync", errno.ENOSPC, "no space left"),
        ("mkstemp", errno.EROFS, "read-only file system"),
        ("mkstemp", errno.EACCES, "permission denied"),
    ],
)
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_write_failures_are_exit_1_with_path_and_reason(
    command: str,
    failing: str,
    code: int,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out" / "report.txt"
    out.parent.mkdir()
    out.write_text("earlier report\n")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    target = fileio.os if failing == "fsync" else fileio.tempfile
    monkeypatch.setattr(target, failing, fail)
    result = cli(*WRITERS[command](_case(tmp_path), out))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert words in result.stderr and str(out.parent) in result.stderr
    assert out.read_text() == "earlier report\n"  # an earlier output survives
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.txt"]


def test_written_output_is_fsynced_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync-file" if stat.S_ISREG(os.fstat(fd).st_mode) else "fsync-folder")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append("rename")
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    monkeypatch.setattr(fileio.os, "replace", replace)
    fileio.write_text(tmp_path / "out.txt", "report\n")
    assert events[:2] == ["fsync-file", "rename"]
    assert (tmp_path / "out.txt").read_text() == "report\n"


# --- non-regular and oversized inputs ---


def test_fifo_as_case_is_refused_at_once(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "case.yaml")
    result = run_cli("evaluate", fifo, "--format", "json")
    assert result.returncode == 1
    assert b"named pipe (FIFO), not a regular file" in result.stderr
    assert result.stdout == b""


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_device_as_case_is_refused_before_reading(device: str) -> None:
    with pytest.raises(CaseError) as info:
        read_case_bytes(Path(device))
    assert info.value.issues[0].code == "not_regular"
    assert "character device" in info.value.issues[0].message


def test_fifo_in_a_rules_directory_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    _fifo(rules / "zz-pipe.yaml")
    with pytest.raises(RulesError) as info:
        load_rules(rules)
    assert info.value.issues[0].code == "not_regular"
    assert info.value.issues[0].file.endswith("zz-pipe.yaml")


def test_oversized_rules_file_is_refused_before_reading(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    with (rules / "big.yaml").open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: size says too large, nothing to read
    with pytest.raises(RulesError) as info:
        load_rules(rules)
    assert info.value.issues[0].code == "too_large"


def test_read_limited_refuses_a_file_that_grows_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a" * 10)
    assert fileio.read_limited(path, 10) == b"a" * 10
    with pytest.raises(fileio.FileProblem) as info:
        fileio.read_limited(path, 9)
    assert info.value.code == "too_large"
