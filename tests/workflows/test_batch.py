"""``spinemets batch``: discovery, jsonl/csv output, order, atomic output, summary, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spinemets import api
from spinemets.render import table
from spinemets.workflows import batch as wb
from spinemets.workflows.synthetic import write_cohort
from tests.workflows.helpers import GOOD_CASE, REPO, RULES, cli, write

BAD_AGE = "schema_version: 1\ncase_id: BAD-AGE\npatient:\n  age: 300\n"  # age at 4:8
BAD_FIELD = "schema_version: 1\ncase_id: BAD-FIELD\npatinet: {}\n"  # unknown key at 3:1


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "cases"
    write(root / "a.yaml", GOOD_CASE)
    write(root / "sub" / "b.yml", GOOD_CASE.replace("TB-GOOD-1", "TB-GOOD-2"))
    write(root / "sub" / "deeper" / "c.yaml", GOOD_CASE.replace("TB-GOOD-1", "TB-GOOD-3"))
    write(root / "bad-age.yaml", BAD_AGE)
    write(root / "bad-field.yaml", BAD_FIELD)
    write(root / "notes.txt", "not a case")
    write(root / ".hidden" / "h.yaml", "ignored: true")
    return root


# --- discovery ---------------------------------------------------------------------------------


def test_discover_folder_recursive_skips_hidden_and_other_suffixes(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    files = [Path(t.file).relative_to(root).as_posix() for t in wb.discover([root])]
    assert sorted(files) == [
        "a.yaml",
        "bad-age.yaml",
        "bad-field.yaml",
        "sub/b.yml",
        "sub/deeper/c.yaml",
    ]
    assert all(t.problem is None for t in wb.discover([root]))


def test_discover_files_globs_dedupe_and_order(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    explicit = str(root / "notes.txt")  # an explicit file is taken whatever its name
    targets = wb.discover(
        [explicit, str(root / "*.yaml"), str(root / "a.yaml"), str(root / "**" / "c.yaml")]
    )
    names = [Path(t.file).name for t in targets]
    assert names == ["notes.txt", "a.yaml", "bad-age.yaml", "bad-field.yaml", "c.yaml"]


def test_discover_reports_empty_folder_and_unmatched_glob(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    targets = wb.discover(
        [tmp_path / "empty", str(tmp_path / "nothing-*.yaml"), str(tmp_path / "missing.yaml")]
    )
    assert [t.problem.code if t.problem else None for t in targets] == [
        "no_cases",
        "no_match",
        "not_found",
    ]


# --- jsonl ------------------------------------------------------------------------------------


def test_batch_good_and_bad_files(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    out = tmp_path / "out.jsonl"
    result = cli("batch", str(root), "--rules", str(RULES), "--output", str(out))
    assert result.exit_code == 1
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    reports = [r for r in records if r.get("record") != "error"]
    assert sorted(r["case_id"] for r in reports) == ["TB-GOOD-1", "TB-GOOD-2", "TB-GOOD-3"]
    # one error record per invalid file, naming the file and holding every issue
    errors = {Path(r["file"]).name: r["issues"] for r in records if r.get("record") == "error"}
    assert sorted(errors) == ["bad-age.yaml", "bad-field.yaml"]
    assert (errors["bad-age.yaml"][0]["line"], errors["bad-age.yaml"][0]["col"]) == (4, 8)
    assert errors["bad-field.yaml"][0]["path"] == "patinet"
    # every invalid file in the summary with its first error as file:line:col
    assert f"invalid: {root / 'bad-age.yaml'}:4:8: error:" in result.stderr
    assert (
        f"invalid: {root / 'bad-field.yaml'}:3:1: error: unknown field 'patinet'" in result.stderr
    )
    assert "5 case file(s): 3 evaluated, 2 invalid" in result.stderr
    tiers = re.search(
        r"triage: emergency (\d+), urgent (\d+), soon (\d+), routine (\d+) \((\d+) provisional\)",
        result.stderr,
    )
    assert tiers is not None and sum(int(n) for n in tiers.groups()[:4]) == 3
    assert int(tiers.group(5)) <= 3
    assert "Traceback" not in result.stderr


def test_jsonl_lines_are_the_json_contract(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    result = cli("batch", str(case), "--rules", str(RULES))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    expected = api.assess(api.load_case(str(case)), api.load_rules(RULES)).to_dict()
    assert report.pop("file") == str(case)  # each line names its source file
    assert report == expected
    assert (
        report["lesions"][0]["scores"]["sins"]["total"] == 11
    )  # worked example (helpers.GOOD_CASE)


def test_redact_removes_identifiers_from_jsonl(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    plain = cli("batch", str(case), "--rules", str(RULES))
    redacted = cli("batch", str(case), "--rules", str(RULES), "--redact")
    assert "Alice Example" in plain.stdout and "MRN-778899" in plain.stdout
    assert "Alice Example" not in redacted.stdout and "MRN-778899" not in redacted.stdout


def test_no_progress_bar_in_pipes(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    result = cli("batch", str(case), "--rules", str(RULES))
    assert "\x1b[" not in result.stderr and "\r" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        "1 case file(s): 1 evaluated, 0 invalid, 0 path(s) skipped, 0 duplicate case id(s)"
    )


# --- csv and its data dictionary ---------------------------------------------------------------


def test_csv_columns_match_the_dictionary(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    out, dictionary = tmp_path / "out.csv", tmp_path / "dict.csv"
    result = cli(
        "batch",
        str(root),
        "-f",
        "csv",
        "-o",
        str(out),
        "--dictionary",
        str(dictionary),
        "--rules",
        str(RULES),
    )
    assert result.exit_code == 1
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with dictionary.open(encoding="utf-8", newline="") as handle:
        entries = list(csv.DictReader(handle))
    header, body = rows[0], rows[1:]
    assert header == [e["column"] for e in entries]
    assert len(header) == len(set(header))
    assert len(body) == 5 and all(len(row) == len(header) for row in body)
    status = header.index("status")
    invalid = {Path(row[1]).name: row for row in body if row[status] == "invalid"}
    assert sorted(invalid) == ["bad-age.yaml", "bad-field.yaml"]
    assert invalid["bad-age.yaml"][header.index("issues")].startswith("4:8: ")
    assert all(row[0] == "" for row in invalid.values())
    body = [row for row in body if row[status] == "evaluated"]
    assert len(body) == 3
    assert all(e["meaning"] and e["type"] in {"string", "integer", "enum"} for e in entries)
    for entry in entries:  # every value obeys its dictionary entry
        col = header.index(entry["column"])
        for row in body:
            value = row[col]
            if not value:
                continue
            if entry["type"] == "integer":
                int(value)
            if entry["type"] == "enum" and "|" in entry["allowed_values"]:
                assert value in entry["allowed_values"].split("|"), (entry["column"], value)
    first = dict(zip(header, body[0], strict=True))
    assert first["case_id"] == "TB-GOOD-1"
    assert (
        first["lesion1_level"],
        first["lesion1_sins_total"],
        first["lesion1_sins_category"],
    ) == ("T12", "11", "potentially_unstable")
    assert (first["lesion1_escc_grade"], first["lesion1_escc_category"]) == ("1c", "low_grade")
    assert first["lesion2_level"] == "" and first["lesion_count"] == "1"
    assert "Alice" not in out.read_text(encoding="utf-8")  # identifiers never go to the CSV


def test_csv_option_columns_flatten_per_lesion_options(tmp_path: Path) -> None:
    two = GOOD_CASE.replace("lesions:\n", 'lesions:\n  - {level: L3, escc: "0"}\n')
    case = write(tmp_path / "two.yaml", two)
    assessment = api.assess(api.load_case(str(case)), api.load_rules(RULES))
    layout = table.csv_layout(api.load_rules(RULES))
    row = dict(zip(layout.header, layout.row(assessment, str(case)), strict=True))
    for option in assessment.options:
        assert row[f"option_{option.id}"] in table.STRONGEST_FIRST
        if option.lesion is not None:
            assert f"{option.lesion}={option.strength}" in row[f"option_{option.id}_lesions"].split(
                ";"
            )
    rank = table.STRONGEST_FIRST.index
    for option_id in {o.id for o in assessment.options}:
        best = min((o.strength for o in assessment.options if o.id == option_id), key=rank)
        assert row[f"option_{option_id}"] == best


def test_csv_neutralises_spreadsheet_formulas(tmp_path: Path) -> None:
    case = write(
        tmp_path / "f.yaml", GOOD_CASE.replace("case_id: TB-GOOD-1", "case_id: '=HYPERLINK(1)'")
    )
    result = cli("batch", str(case), "-f", "csv", "--rules", str(RULES))
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][0] == "'=HYPERLINK(1)"


# --- order and parallelism -----------------------------------------------------------------------


def test_jobs_1_and_2_give_identical_output(tmp_path: Path) -> None:
    write_cohort(tmp_path / "c", 120, seed=7, corrupt_every=9)
    targets = wb.discover([tmp_path / "c"])
    outputs = []
    for jobs in (1, 2):
        for fmt in ("jsonl", "csv"):
            settings = wb.Settings(fmt="csv" if fmt == "csv" else "jsonl", rules_dir=str(RULES))
            buffer = io.StringIO()
            summary = wb.write_batch(targets, settings, buffer, jobs=jobs)
            outputs.append((fmt, buffer.getvalue(), summary.lines()))
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    records = [json.loads(line) for line in outputs[0][1].splitlines()]
    ids = [r["case_id"] for r in records if r.get("record") != "error"]
    assert ids == sorted(ids)  # discovery order (file names sort like the ids)
    assert len(records) == len(targets)  # one record per file, error records included


def test_cli_jobs_flag_identical_output(tmp_path: Path) -> None:
    write_cohort(tmp_path / "c", 30, seed=3)
    one = cli("batch", str(tmp_path / "c"), "--rules", str(RULES), "--jobs", "1")
    two = cli("batch", str(tmp_path / "c"), "--rules", str(RULES), "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and len(one.stdout.splitlines()) == 30


# --- atomic output ---------------------------------------------------------------------------


def test_no_output_file_when_rules_are_invalid(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    bad_rules = tmp_path / "rules"
    write(bad_rules / "options.yaml", "schema_version: 1\noptions: [\n")
    out = tmp_path / "out.jsonl"
    result = cli("batch", str(case), "--rules", str(bad_rules), "-o", str(out))
    assert result.exit_code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml", "rules"]


def test_atomic_output_removes_the_temporary_file_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError), wb.atomic_output(out) as handle:
        handle.write("half a line")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    with wb.atomic_output(out) as handle:
        handle.write("whole\n")
    assert out.read_text() == "whole\n" and list(tmp_path.iterdir()) == [out]


def test_existing_output_survives_a_failed_run(tmp_path: Path) -> None:
    out = write(tmp_path / "out.jsonl", "previous\n")
    with pytest.raises(KeyboardInterrupt), wb.atomic_output(out) as handle:
        handle.write("new")
        raise KeyboardInterrupt
    assert out.read_text() == "previous\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigint_leaves_no_partial_file(tmp_path: Path, jobs: str) -> None:
    write_cohort(tmp_path / "c", 3000, seed=11)
    out = tmp_path / "out" / "reports.jsonl"
    out.parent.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "spinemets",
            "batch",
            str(tmp_path / "c"),
            "--rules",
            str(RULES),
            "-o",
            str(out),
            "--jobs",
            jobs,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the temporary file holds some reports
        tmp = list(out.parent.glob(".reports.jsonl.*"))
        if tmp and tmp[0].stat().st_size > 0:
            break
        time.sleep(0.05)
    else:  # pragma: no cover
        proc.kill()
        pytest.fail("batch never started writing")
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert list(out.parent.iterdir()) == []  # neither the output nor a temporary file
    assert b"Traceback" not in stderr


# --- integrity at scale ---------------------------------------------------------------------------


def test_integrity_1000_cases_10_percent_corrupted(tmp_path: Path) -> None:
    paths = write_cohort(tmp_path / "c", 1000, seed=99, corrupt_every=10)
    corrupted = {str(p) for i, p in enumerate(paths) if i % 10 == 9}
    valid_ids = {f"SYN-99-{i:05d}" for i in range(1000) if i % 10 != 9}
    buffer = io.StringIO()
    summary = wb.write_batch(
        wb.discover([tmp_path / "c"]), wb.Settings(rules_dir=str(RULES)), buffer, jobs=2
    )
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    ids = [r["case_id"] for r in records if r.get("record") != "error"]
    assert len(ids) == len(set(ids)) == 900 and set(ids) == valid_ids
    assert {r["file"] for r in records if r.get("record") == "error"} == corrupted
    assert {issue.file for issue, _ in summary.invalid} == corrupted
    assert summary.total == 1000 and summary.evaluated + summary.failed == 1000
    assert sum(summary.tiers.values()) == summary.evaluated and summary.internal == 0
    lines = summary.lines()
    for file in corrupted:  # each with file:line:col
        assert any(
            re.match(rf"invalid: {re.escape(file)}:\d+:\d+: error: ", line) for line in lines
        )


@pytest.mark.parametrize("ci", [False, True])
def test_progress_bar_only_on_a_terminal_outside_ci(tmp_path: Path, ci: bool) -> None:
    import pty

    write_cohort(tmp_path / "c", 10, seed=4)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm"}
    env["PYTHONPATH"] = str(REPO)
    if ci:
        env["CI"] = "true"
    master, slave = pty.openpty()
    out = tmp_path / "out.jsonl"
    argv = [sys.executable, "-m", "spinemets", "batch", str(tmp_path / "c"), "--rules", str(RULES)]
    argv += ["-o", str(out)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0 and len(out.read_text(encoding="utf-8").splitlines()) == 10
    assert (b"evaluating" in seen) is not ci
    assert b"10 case file(s): 10 evaluated, 0 invalid" in seen


def test_unwritable_output_is_refused_before_any_work(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    missing = cli("batch", str(case), "-o", str(tmp_path / "no" / "out.jsonl"))
    folder = cli("batch", str(case), "-o", str(tmp_path))
    assert missing.exit_code == folder.exit_code == 1
    assert "no such folder" in missing.stderr and "is a folder" in folder.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]
