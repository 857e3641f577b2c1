"""The parallel batch runner: workers write their own chunks, the parent concatenates them in
input order (byte-identical to one process), and a worker killed mid-batch (as the
out-of-memory killer would) ends the batch: the cases not evaluated are named, no partial output
file is left, the exit code is 1, and no traceback or exception class name is shown."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from spinemets.workflows import batch as wb
from spinemets.workflows import runner
from spinemets.workflows.discovery import Target
from spinemets.workflows.synthetic import write_cohort
from tests.workflows.helpers import REPO, RULES, cli

POISON = "poison"


def _outputs(targets: list[Target], fmt: str, jobs: int, out: Any) -> tuple[str, list[str]]:
    settings = wb.Settings(fmt="csv" if fmt == "csv" else "jsonl", rules_dir=str(RULES))
    summary = wb.write_batch(targets, settings, out, jobs=jobs)
    return fmt, summary.lines()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_chunks_written_by_workers_concatenate_to_the_single_process_output(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_cohort(tmp_path / "c", 90, seed=5, corrupt_every=7)
    targets = wb.discover([tmp_path / "c"])
    one = io.StringIO()
    _, lines_one = _outputs(targets, fmt, 1, one)
    # small chunks and three workers, so chunks finish out of order
    real = runner.run_chunks
    monkeypatch.setattr(
        runner,
        "run_chunks",
        lambda *a, **k: real(*a, **{**k, "chunk_size": 4}),
    )
    three = io.StringIO()
    _, lines_three = _outputs(targets, fmt, 3, three)
    assert three.getvalue() == one.getvalue()
    assert lines_three == lines_one
    # into a real file the chunks are appended by sendfile: the same bytes again
    path = tmp_path / f"out.{fmt}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        _outputs(targets, fmt, 2, handle)
    assert path.read_bytes() == one.getvalue().encode("utf-8")


def test_chunk_files_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    write_cohort(tmp_path / "c", 20, seed=2)
    _outputs(wb.discover([tmp_path / "c"]), "jsonl", 2, io.StringIO())
    assert list((tmp_path / "tmp").iterdir()) == []


def test_work_is_handed_out_again_once_the_window_moves(tmp_path: Path) -> None:
    """The oldest chunk comes back last while the window is full: when it arrives the window
    moves, and chunks must be handed out before the parent waits again (it once waited with
    every worker idle: a hang). Driven with two scripted workers on real pipes."""
    import multiprocessing
    import threading
    from types import SimpleNamespace

    chunks = [[(i, Target(f"case-{i}.yaml"))] for i in range(6)]
    never = [os.pipe() for _ in range(2)]  # sentinels of workers that never die
    pipes = [multiprocessing.Pipe() for _ in range(2)]
    workers = [
        runner._Worker(SimpleNamespace(sentinel=r, exitcode=None, join=lambda t=None: None), p)
        for (r, _), (p, _) in zip(never, pipes, strict=True)
    ]

    def reply(conn: Any, number: int) -> None:
        path = tmp_path / f"chunk-{number}"
        path.write_text("")
        conn.send((number, [], str(path)))

    def scripted(conn: Any) -> None:  # answers chunk 0 only after chunk 1, the rest at once
        held: list[int] = []
        while True:
            message = conn.recv()
            if message is None:
                return
            number = message[0]
            if number == 0:
                held.append(number)
                continue
            reply(conn, number)
            for waiting in held:
                reply(conn, waiting)
            held.clear()

    for _, child in pipes:
        threading.Thread(target=scripted, args=(child,), daemon=True).start()
    seen: list[int] = []
    drive = threading.Thread(
        target=lambda: seen.extend(c.number for c in runner._drive(workers, chunks, 2)),
        daemon=True,
    )
    drive.start()
    drive.join(20)
    stalled = drive.is_alive()
    for parent, _ in pipes:
        parent.send(None)
    assert not stalled, "the parent waited with every worker idle"
    assert seen == list(range(6))


def _poisoned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers (forked) die by SIGKILL on a file whose name holds POISON."""
    real = wb.evaluate_target

    def evaluate(index: int, target: Target) -> wb.Outcome:
        if POISON in target.file and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(index, target)

    parent = os.getpid()
    monkeypatch.setattr(wb, "evaluate_target", evaluate)


def _cohort_with_poison(tmp_path: Path, n: int = 40, at: int = 25) -> Path:
    folder = tmp_path / "c"
    write_cohort(folder, n, seed=9)
    os.replace(folder / f"case-{at:05d}.yaml", folder / f"case-{at:05d}-{POISON}.yaml")
    return folder


def test_a_dead_worker_stops_the_batch_and_names_the_cases_not_evaluated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _cohort_with_poison(tmp_path)
    _poisoned(monkeypatch)
    targets = wb.discover([folder])
    settings = wb.Settings(rules_dir=str(RULES))
    with pytest.raises(runner.WorkerDied) as info:
        wb.write_batch(targets, settings, io.StringIO(), jobs=2)
    died = info.value
    poison = str(folder / f"case-00025-{POISON}.yaml")
    assert poison in died.dying
    assert poison in died.not_evaluated
    assert "killed by SIGKILL (the system may be out of memory)" in str(died)
    files = [t.file for t in targets]
    # what was not evaluated is a tail of the input, in input order, up to the end
    assert list(died.not_evaluated) == files[files.index(died.not_evaluated[0]) :]
    lines = died.lines()
    assert lines[0].startswith("error: a worker process was killed by SIGKILL")
    assert any(line == f"was evaluating: {poison}" for line in lines)


def test_cli_worker_death_leaves_no_output_file_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _cohort_with_poison(tmp_path)
    _poisoned(monkeypatch)
    out = tmp_path / "out.jsonl"
    result = cli("batch", str(folder), "--rules", str(RULES), "--jobs", "2", "-o", str(out))
    assert result.exit_code == 1
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["c"]  # no temporary file either
    assert "not evaluated:" in result.stderr
    assert f"no output written: {out}" in result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr
    assert "BrokenProcessPool" not in result.stderr


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(p) for p in text.split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc (Linux)")
def test_killing_a_real_worker_process_ends_the_batch(tmp_path: Path) -> None:
    """The out-of-memory killer's way: SIGKILL to one worker of a running ``--jobs 2`` batch."""
    write_cohort(tmp_path / "c", 3000, seed=4)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "spinemets",
            "batch",
            str(tmp_path / "c"),
            "-j",
            "2",
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    workers: list[int] = []
    while proc.poll() is None and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.01)
    assert workers, "the batch ended before its workers could be seen"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate()
    stderr = err.decode("utf-8", "replace")
    assert proc.returncode == 1, stderr
    assert not out.exists()
    assert "killed by SIGKILL" in stderr and "not evaluated:" in stderr
    assert "Traceback" not in stderr and "Error" not in stderr
