"""The parallel batch runner: worker processes evaluate chunks of case files and each writes
its chunk's output to a file of its own; the parent only concatenates the chunk files, in input
order, so ``--jobs`` keeps scaling however cheap a case becomes.

* **Order**: chunks are numbered in input order and handed out as workers free up; the parent
  yields them strictly by number (a bounded window of chunks is in flight).
* **Worker death** (e.g. the out-of-memory killer): each worker's process sentinel is watched
  beside its pipe, so a dead worker is noticed at once, never waited for. The run stops with
  :class:`WorkerDied`, naming the cases that were not evaluated; the other workers are stopped
  and every chunk file is removed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from typing import Any

from spinemets.errors import UserError
from spinemets.workflows import batch
from spinemets.workflows.discovery import Target

#: Chunks kept in flight per worker (so none waits while the parent concatenates).
WINDOW_PER_JOB = 4
#: Cases not evaluated listed one by one when a worker dies; the rest are counted.
LISTED = 20


@dataclass(frozen=True, slots=True)
class Chunk:
    """One chunk's outcomes (without their text) and the file holding its output."""

    number: int
    outcomes: list[batch.Outcome]
    path: str


class WorkerDied(UserError):
    """A worker process ended while evaluating; the batch was stopped."""

    def __init__(self, how: str, dying: Sequence[str], not_evaluated: Sequence[str]) -> None:
        self.how = how
        self.dying = tuple(dying)
        self.not_evaluated = tuple(not_evaluated)
        super().__init__(
            f"a worker process {how}; the batch was stopped and "
            f"{len(self.not_evaluated)} case file(s) were not evaluated"
        )

    def lines(self) -> list[str]:
        """What to tell the user (stderr), one line each."""
        out = [f"error: {self}"]
        out += [f"was evaluating: {file}" for file in self.dying]
        out += [f"not evaluated: {file}" for file in self.not_evaluated[:LISTED]]
        if len(self.not_evaluated) > LISTED:
            rest = len(self.not_evaluated) - LISTED
            out.append(f"not evaluated: {rest} more case file(s), in input order after these")
        return out


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (the system may be out of memory)" if -code == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    return f"exited unexpectedly (status {code})"


def _worker_main(conn: Connection, settings: batch.Settings, folder: str) -> None:
    """Evaluate the chunks the parent sends until it sends ``None`` (or goes away)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and cleans up
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    batch.prepare(settings)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        number, items = message
        outcomes = [batch.evaluate_target(index, target) for index, target in items]
        path = os.path.join(folder, f"chunk-{number:08d}")
        try:
            with open(path, "wb") as handle:
                handle.write("".join(o.text or "" for o in outcomes).encode("utf-8"))
        except OSError as exc:
            conn.send((number, None, f"cannot write to {folder}: {exc.strerror}"))
            continue
        conn.send((number, [replace(o, text=None) for o in outcomes], path))


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    busy: list[int] = field(default_factory=list)


def _chunks(targets: Sequence[Target], size: int) -> list[list[tuple[int, Target]]]:
    return [
        [(start + k, t) for k, t in enumerate(targets[start : start + size])]
        for start in range(0, len(targets), size)
    ]


def _context() -> Any:
    """``fork`` where the platform has it (workers inherit the loaded rules); else the default."""
    methods = multiprocessing.get_all_start_methods()
    return (
        multiprocessing.get_context("fork") if "fork" in methods else multiprocessing.get_context()
    )


def run_chunks(
    targets: Sequence[Target],
    settings: batch.Settings,
    *,
    jobs: int,
    chunk_size: int | None = None,
) -> Iterator[Chunk]:
    """Evaluate ``targets`` in ``jobs`` worker processes; yield their chunks in input order.

    The caller appends each chunk file to its output (the file is removed when the next chunk
    is asked for, or at the end). Raises :class:`WorkerDied` when a worker ends early."""
    size = chunk_size or max(1, min(32, len(targets) // (jobs * 8)))
    chunks = _chunks(targets, size)
    folder = tempfile.mkdtemp(prefix="spinemets-batch-")
    context = _context()
    workers: list[_Worker] = []
    try:
        for _ in range(max(1, min(jobs, len(chunks)))):
            parent, child = context.Pipe()
            process = context.Process(
                target=_worker_main, args=(child, settings, folder), daemon=True
            )
            process.start()
            child.close()
            workers.append(_Worker(process, parent))
        yield from _drive(workers, chunks, jobs * WINDOW_PER_JOB)
    finally:
        _stop(workers)
        shutil.rmtree(folder, ignore_errors=True)


def _drive(
    workers: list[_Worker], chunks: list[list[tuple[int, Target]]], window: int
) -> Iterator[Chunk]:
    done: dict[int, Chunk] = {}
    handed = 0
    written = 0

    def died(worker: _Worker) -> WorkerDied:
        worker.process.join(1)
        dying = [t.file for n in worker.busy for _, t in chunks[n]]
        rest = [t.file for n in range(written, len(chunks)) for _, t in chunks[n]]
        return WorkerDied(_describe_exit(worker.process.exitcode), dying, rest)

    while written < len(chunks):
        for worker in workers:  # keep every worker fed, within the window
            while len(worker.busy) < 2 and handed < len(chunks) and handed < written + window:
                try:
                    worker.conn.send((handed, chunks[handed]))
                except OSError:
                    raise died(worker) from None
                worker.busy.append(handed)
                handed += 1
        if written in done:
            while written in done:
                chunk = done.pop(written)
                written += 1
                yield chunk
                os.unlink(chunk.path)
            # The window moved: hand out what it now admits before waiting, or a worker that
            # finished early while another held the oldest chunk would wait with nothing to do.
            continue
        ready = set(wait([w.conn for w in workers] + [w.process.sentinel for w in workers]))
        for worker in workers:
            if worker.conn in ready or (worker.process.sentinel in ready and worker.conn.poll()):
                try:
                    number, outcomes, where = worker.conn.recv()
                except (EOFError, OSError):
                    raise died(worker) from None
                worker.busy.remove(number)
                if outcomes is None:
                    raise UserError(f"batch stopped: {where}")
                done[number] = Chunk(number, outcomes, where)
            elif worker.process.sentinel in ready:
                raise died(worker)


def _stop(workers: list[_Worker]) -> None:
    """Ask every worker to finish, then make sure none is left running."""
    for worker in workers:
        with contextlib.suppress(OSError):
            worker.conn.send(None)
    for worker in workers:
        worker.process.join(2 if not worker.busy else 0.2)
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join(2)
        if worker.process.is_alive():  # pragma: no cover - SIGTERM is not ignored in workers
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
