"""Case discovery for ``batch``, ``check`` and ``board``: none lost, none twice (HAZ-015).

Case-insensitive suffixes, symbolic links followed inside the given folders (with loop
protection), identity by device and inode, every path not evaluated reported with why.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinemets.workflows.discovery import discover, is_case_name
from tests.safety.hostile import Step, build_tree, tree_steps
from tests.workflows.helpers import GOOD_CASE, RULES, cli, write


def _case(path: Path, case_id: str = "TB-GOOD-1") -> Path:
    return write(path, GOOD_CASE.replace("TB-GOOD-1", case_id))


def _names(paths: list[str], root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in paths]


@pytest.mark.parametrize("name", ["a.YAML", "a.Yml", "a.yMl", "a.YML", "a.yaml", "a.yml"])
def test_suffix_is_case_insensitive(name: str, tmp_path: Path) -> None:
    _case(tmp_path / "cases" / name)
    found = discover([tmp_path / "cases"])
    assert [Path(t.file).name for t in found.targets] == [name]
    assert found.targets[0].problem is None


@given(st.text(alphabet="aAyYmMlL.x", min_size=1, max_size=8))
@settings(max_examples=200)
def test_case_name_is_any_letter_case_of_yaml_or_yml(name: str) -> None:
    assert is_case_name(name) == name.lower().endswith((".yaml", ".yml"))


def test_symlinked_folder_inside_the_root_is_followed_once(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "real" / "a.yaml")
    (root / "alias").symlink_to(root / "real")
    found = discover([root])
    assert _names([t.file for t in found.targets], root) == ["alias/a.yaml"]
    assert [s.reason for s in found.skipped] == [
        "folder already searched as " + str(root / "alias")
    ]


def test_symlinked_file_and_folder_given_directly_are_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _case(elsewhere / "a.yaml")
    (tmp_path / "link-folder").symlink_to(elsewhere)
    (tmp_path / "link-file.yaml").symlink_to(elsewhere / "a.yaml")
    found = discover([tmp_path / "link-folder"])
    assert [Path(t.file).name for t in found.targets] == ["a.yaml"]
    found = discover([tmp_path / "link-file.yaml"])
    assert [t.problem for t in found.targets] == [None]


def test_symlink_loop_ends_and_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "a.yaml")
    (root / "loop").symlink_to(root)
    (root / "sub").mkdir()
    (root / "sub" / "up").symlink_to(root / "sub")
    found = discover([root])
    assert _names([t.file for t in found.targets], root) == ["a.yaml"]
    assert {Path(s.path).name for s in found.skipped} == {"loop", "up"}
    assert all("already searched" in s.reason for s in found.skipped)


def test_link_leading_outside_the_roots_is_a_counted_problem(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "a.yaml")
    _case(tmp_path / "outside" / "b.yaml", "TB-OUT")
    (root / "out-folder").symlink_to(tmp_path / "outside")
    (root / "out-file.yaml").symlink_to(tmp_path / "outside" / "b.yaml")
    found = discover([root])
    problems = {Path(p.file).name: p for p in found.problems}
    assert sorted(problems) == ["out-file.yaml", "out-folder"]
    assert all(p.code == "link_outside" for p in problems.values())
    assert all(str(tmp_path / "outside") in p.message for p in problems.values())


def test_broken_link_named_like_a_case_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "a.yaml")
    (root / "gone.yaml").symlink_to(root / "nowhere.yaml")
    found = discover([root])
    assert [(Path(p.file).name, p.code) for p in found.problems] == [("gone.yaml", "broken_link")]


@pytest.mark.parametrize("how", ["relative_and_absolute", "symlink", "hardlink", "dotted_path"])
def test_same_file_by_another_path_is_evaluated_once(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    case = _case(tmp_path / "cases" / "a.yaml")
    other = tmp_path / "cases" / "b.yaml"
    if how == "symlink":
        other.symlink_to(case)
    elif how == "hardlink":
        os.link(case, other)
    inputs: list[str] = {
        "relative_and_absolute": ["cases/a.yaml", str(case)],
        "symlink": ["cases"],
        "hardlink": ["cases"],
        "dotted_path": ["cases/a.yaml", "./cases/../cases/a.yaml", "cases"],
    }[how]
    found = discover(inputs)
    assert len(found.targets) == 1 and found.targets[0].problem is None
    assert found.skipped and all("same file as" in s.reason for s in found.skipped)


def test_fifo_and_device_in_a_folder_are_refused_without_opening(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "a.yaml")
    os.mkfifo(root / "pipe.yaml")
    os.mkfifo(root / "pipe.txt")  # not named like a case: not a candidate at all
    (root / "null.yaml").symlink_to("/dev/null")
    found = discover([root, "/dev/zero"])
    problems = {Path(p.file).name: p.message for p in found.problems}
    assert "named pipe (FIFO)" in problems["pipe.yaml"]
    assert "character device" in problems["zero"]
    assert "null.yaml" in problems  # a link to /dev/null leads outside the folder given
    assert "pipe.txt" not in problems


def test_hidden_entries_are_skipped_with_the_reason(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "a.yaml")
    _case(root / ".draft.yaml")
    _case(root / ".git" / "x.yaml")
    found = discover([root])
    assert sorted((Path(s.path).name, s.reason) for s in found.skipped) == [
        (".draft.yaml", "hidden file"),
        (".git", "hidden folder"),
    ]


def test_batch_summary_counts_and_names_every_path_not_evaluated(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "A.YAML")
    _case(root / "b.Yml", "TB-GOOD-2")
    os.link(root / "A.YAML", root / "hard.yaml")
    os.mkfifo(root / "pipe.yaml")
    (root / "alias").symlink_to(root)
    result = cli("batch", str(root), str(root / "A.YAML"), "--rules", str(RULES))
    assert result.exit_code == 1  # the pipe is an invalid input
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(r["case_id"] for r in records if "case_id" in r) == ["TB-GOOD-1", "TB-GOOD-2"]
    assert [Path(r["file"]).name for r in records if r.get("record") == "error"] == ["pipe.yaml"]
    first = result.stderr.splitlines()[0]
    assert first == (
        "3 case file(s): 2 evaluated, 1 invalid, 3 path(s) skipped, 0 duplicate case id(s)"
    )
    for name in ("hard.yaml", "alias", "A.YAML"):
        assert any(
            line.startswith("skipped: ") and line.split(":")[1].strip().endswith(name)
            for line in result.stderr.splitlines()
        ), name


def test_board_and_check_follow_the_same_discovery(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    _case(root / "A.YAML")
    (root / "copy.yml").symlink_to(root / "A.YAML")
    board = cli("board", str(root), "-o", str(tmp_path / "board.md"), "--rules", str(RULES))
    assert board.exit_code == 0, board.stderr
    assert "1 case(s)" in board.stderr and "1 path(s) skipped" in board.stderr
    check = cli("check", str(root), "--rules", str(RULES))
    assert check.stdout.count("NO EXPECTATIONS") == 1
    assert "1 path(s) skipped" in check.stderr


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=tree_steps())
def test_any_tree_every_case_file_once_and_nothing_blocks(
    steps: list[Step], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Random trees of files, folders, links (inside and outside), hard links and pipes: the
    walk ends; no file is evaluated twice; every regular case file of the tree itself (not
    hidden) is evaluated; no pipe or outside file is ever evaluated."""
    base = tmp_path_factory.mktemp("tree")
    root = base / "root"
    root.mkdir()
    made = build_tree(root, steps)
    found = discover([root])
    ok = [t.file for t in found.targets if t.problem is None]
    keys = [(os.stat(f).st_dev, os.stat(f).st_ino) for f in ok]
    assert len(keys) == len(set(keys))
    expected = {
        (os.stat(p).st_dev, os.stat(p).st_ino)
        for p in made
        if p.is_file()
        and not p.is_symlink()
        and is_case_name(p.name)
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }
    assert expected <= set(keys)
    outside = {os.stat(p).st_ino for p in (base / "outside").iterdir()}
    for f in ok:
        info = os.stat(f)
        assert stat.S_ISREG(info.st_mode) and info.st_ino not in outside
