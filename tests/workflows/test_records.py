"""Batch error records and duplicate case ids: downstream never loses or double counts a case."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from spinemets.workflows.duplicates import DuplicateIds
from tests.workflows.helpers import GOOD_CASE, RULES, cli, write

BAD = "schema_version: 1\ncase_id: BAD-1\npatient:\n  age: 300\n"


def _cohort(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    write(root / "a.yaml", GOOD_CASE)
    write(root / "b.yaml", GOOD_CASE)  # same case id, another file
    write(root / "c.yaml", BAD)
    return root


def test_jsonl_has_one_record_per_file_each_naming_its_source(tmp_path: Path) -> None:
    root = _cohort(tmp_path)
    result = cli("batch", str(root), "--rules", str(RULES))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    assert [Path(r["file"]).name for r in records] == ["a.yaml", "b.yaml", "c.yaml"]
    assert [r.get("case_id") for r in records] == ["TB-GOOD-1", "TB-GOOD-1", None]
    error = records[2]
    assert error["record"] == "error" and error["file"] == str(root / "c.yaml")
    assert [(i["line"], i["col"], i["path"]) for i in error["issues"]] == [(4, 8, "patient.age")]


def test_csv_has_one_row_per_file_with_status_and_issues(tmp_path: Path) -> None:
    root = _cohort(tmp_path)
    result = cli("batch", str(root), "-f", "csv", "--rules", str(RULES))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(Path(r["file"]).name, r["status"]) for r in rows] == [
        ("a.yaml", "evaluated"),
        ("b.yaml", "evaluated"),
        ("c.yaml", "invalid"),
    ]
    assert rows[2]["issues"].startswith("4:8: ") and rows[2]["issues"].endswith("[patient.age]")
    assert rows[0]["issues"] == ""


def test_duplicate_case_ids_are_flagged_in_batch_check_and_board(tmp_path: Path) -> None:
    root = _cohort(tmp_path)
    flagged = f"duplicate case id 'TB-GOOD-1' in 2 files: {root / 'a.yaml'}, {root / 'b.yaml'}"
    batch = cli("batch", str(root), "--rules", str(RULES))
    assert "1 duplicate case id(s)" in batch.stderr.splitlines()[0]
    assert flagged in batch.stderr
    check = cli("check", str(root), "--rules", str(RULES))
    assert "1 duplicate case id(s)" in check.stderr and flagged in check.stderr
    board = cli("board", str(root), "-o", str(tmp_path / "b.md"), "--rules", str(RULES))
    assert "1 duplicate case id(s)" in board.stderr
    assert "duplicate case id: TB-GOOD-1 (2 cases)" in board.stderr


def test_duplicate_ids_tracker() -> None:
    ids = DuplicateIds()
    for case_id, file in [("A", "1"), ("B", "2"), ("A", "3"), (None, "4"), ("A", "5")]:
        ids.add(case_id, file)
    assert ids.repeated == {"A": ["1", "3", "5"]} and len(ids) == 1
