"""spinemets speed benchmark: start-up, batch throughput, --jobs scaling and memory, as ratios
measured in one run on one machine (so the machine's speed cancels out).

    python benchmarks/bench.py [--cases 10000] [--small 1000] [--runs 15] [--keep DIR]
                               [--identical]

Generates a seeded synthetic cohort of valid cases (spinemets.workflows.synthetic), compiles
the package to ``.pyc`` first (as a wheel install has it), then:

* start-up: median wall time of ``spinemets evaluate CASE --format json`` over the import floor
  ``python -c "import typer, rich, pydantic, yaml"`` (target <= 1.8x now, 1.3x the goal);
* throughput: ``spinemets batch`` (jsonl, one process) on the cohort against a parse-only loop
  with PyYAML's C loader over the same files, as a throughput ratio (target >= 0.5x);
* scaling: ``--jobs 2`` against ``--jobs 1`` (target >= 1.8x; needs two free cores);
* memory: peak RSS of ``batch`` on the full cohort against the small one (target <= 1.1x);
* two reference rows, with no target, that show where the budgets go: a typer command with
  the parameters of ``evaluate`` that only reads the case file, over the import floor (what
  the command-line framework costs before spinemets runs), and spinemets' strict read of each
  case (parse and validate, no scoring) against the parse-only loop;
* with ``--identical``: batch output (jsonl and csv) on the full cohort with every fast path
  on and off (``SPINEMETS_FAST_PARSE``, ``_FAST_JSON``, ``_COMPILED_RULES``, ``_FAST_CSV``),
  compared byte for byte.

Each row shows CPU time (user + system, all processes) beside wall time and the load average
measured around it: on a shared machine a low ratio with CPU time well below wall time means
other jobs held the cores. Never run as a test: timings belong in this table, not in assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = "import typer, rich, pydantic, yaml"
PARSE_ONLY = """
import sys, yaml
from pathlib import Path
loader = yaml.CSafeLoader
n = 0
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    with open(path, "rb") as handle:
        yaml.load(handle.read(), Loader=loader)
    n += 1
print(n)
"""
#: A typer command with the parameters of ``spinemets evaluate`` that only reads the case file:
#: what the command-line framework costs before spinemets does anything (a reference row).
TYPER_FLOOR = """
import enum, sys
from pathlib import Path
from typing import Annotated
import typer

class Fmt(str, enum.Enum):
    terminal = "terminal"
    json = "json"

app = typer.Typer()

@app.command()
def evaluate(
    case: Annotated[Path, typer.Argument()],
    rules: Annotated[Path | None, typer.Option("--rules")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.terminal,
    detail: Annotated[bool, typer.Option("--detail")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    redact: Annotated[bool, typer.Option("--redact")] = False,
    fhir_subject: Annotated[str | None, typer.Option("--fhir-subject")] = None,
) -> None:
    sys.stdout.write(str(len(case.read_bytes())))

@app.command()
def version() -> None:
    pass

app()
"""
#: spinemets' strict read of every case (parse with positions kept for errors, validate), no
#: scoring: what reading costs before any evaluation (a reference row).
READ_ONLY = """
import sys
from pathlib import Path
from spinemets.api import load_case
n = 0
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    load_case(path)
    n += 1
print(n)
"""


@dataclass
class Run:
    seconds: float
    max_rss_kib: int
    returncode: int
    cpu_seconds: float = 0.0


#: Each fast path's switch; ``--identical`` runs the cohort with all of them off as well.
FAST_PATHS_OFF = {
    "SPINEMETS_FAST_PARSE": "0",
    "SPINEMETS_FAST_JSON": "0",
    "SPINEMETS_COMPILED_RULES": "0",
    "SPINEMETS_FAST_CSV": "0",
}


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env["PYTHONPATH"] = str(REPO) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    env.pop("CI", None)
    return env


def _spinemets() -> list[str]:
    """The installed console script when there is one (what users run), else ``-m``."""
    script = Path(sys.executable).with_name("spinemets")
    return [str(script)] if script.exists() else [sys.executable, "-m", "spinemets"]


def run(argv: list[str], extra_env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS (of the child and its waited-for children) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(extra_env)
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, int(usage.ru_maxrss), proc.returncode, usage.ru_utime + usage.ru_stime)


def median_run(argv: list[str], runs: int) -> Run:
    """The run of median wall time (after one warm-up run)."""
    run(argv)  # warm the file cache
    results = sorted((run(argv) for _ in range(runs)), key=lambda r: r.seconds)
    return results[len(results) // 2]


def best_time(argv: list[str], runs: int) -> Run:
    results = [run(argv) for _ in range(runs)]
    for r in results:
        if r.returncode not in (0,):
            raise SystemExit(f"command failed ({r.returncode}): {' '.join(argv)}")
    return min(results, key=lambda r: r.seconds)


def load() -> float:
    return os.getloadavg()[0]


@dataclass
class Row:
    name: str
    measured: str
    cpu: str
    ratio: float
    target: str
    #: None: a reference row (no target; it shows where a budget goes).
    met: bool | None
    load: str


def compile_package() -> None:
    """Byte-compile the package, as a wheel install does, so no run pays for compiling."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "spinemets")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument(
        "--runs", type=int, default=15, help="runs of each start-up command (median)"
    )
    parser.add_argument(
        "--batch-runs",
        type=int,
        default=2,
        help="runs of each batch command, --jobs 1 and 2 alternating (best of each)",
    )
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--keep", type=Path, help="generate the cohort here and keep it")
    parser.add_argument(
        "--identical",
        action="store_true",
        help="also check that batch output (jsonl and csv) on the full cohort is byte-identical "
        "with every fast path off (SPINEMETS_FAST_PARSE, _FAST_JSON, _COMPILED_RULES, "
        "_FAST_CSV = 0)",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from spinemets.workflows.synthetic import write_cohort

    work = args.keep or Path(tempfile.mkdtemp(prefix="spinemets-bench-"))
    big, small = work / "cohort", work / "small"
    print(f"generating {args.cases} + {args.small} synthetic cases in {work} ...", file=sys.stderr)
    if not big.exists() or len(list(big.glob("*.yaml"))) != args.cases:
        write_cohort(big, args.cases, seed=args.seed)
    if not small.exists() or len(list(small.glob("*.yaml"))) != args.small:
        write_cohort(small, args.small, seed=args.seed)
    example = sorted((REPO / "examples").glob("*.yaml"))
    case = str(example[0] if example else big / "case-00000.yaml")
    spm = _spinemets()
    out = work / "out.jsonl"
    rows: list[Row] = []
    compile_package()
    load_before = load()

    print("start-up ...", file=sys.stderr)
    before = load()
    floor = median_run([sys.executable, "-c", FLOOR], args.runs)
    evaluate = median_run([*spm, "evaluate", case, "--format", "json"], args.runs)
    ratio = evaluate.seconds / floor.seconds
    rows.append(
        Row(
            "evaluate --format json / import floor",
            f"{evaluate.seconds * 1000:.0f} ms / {floor.seconds * 1000:.0f} ms",
            f"{evaluate.cpu_seconds * 1000:.0f} / {floor.cpu_seconds * 1000:.0f} ms",
            ratio,
            "<= 1.8x",
            ratio <= 1.8,
            f"{before:.1f}-{load():.1f}",
        )
    )

    before = load()
    typer_floor = median_run([sys.executable, "-c", TYPER_FLOOR, "evaluate", case], args.runs)
    rows.append(
        Row(
            "reference: typer command with evaluate's parameters, no work / import floor",
            f"{typer_floor.seconds * 1000:.0f} ms / {floor.seconds * 1000:.0f} ms",
            f"{typer_floor.cpu_seconds * 1000:.0f} / {floor.cpu_seconds * 1000:.0f} ms",
            typer_floor.seconds / floor.seconds,
            "-",
            None,
            f"{before:.1f}-{load():.1f}",
        )
    )

    print("throughput ...", file=sys.stderr)
    before = load()
    parse = best_time([sys.executable, "-c", PARSE_ONLY, str(big)], args.batch_runs)
    batch = [*spm, "batch", str(big), "-o", str(out), "--jobs"]
    ones: list[Run] = []
    twos: list[Run] = []
    for _ in range(args.batch_runs):  # alternate, so a busy spell on a shared machine hits both
        ones.append(best_time([*batch, "1"], 1))
        twos.append(best_time([*batch, "2"], 1))
    one = min(ones, key=lambda r: r.seconds)
    two = min(twos, key=lambda r: r.seconds)
    after = load()
    ratio = parse.seconds / one.seconds
    rows.append(
        Row(
            f"batch --jobs 1 / parse-only loop ({args.cases} cases)",
            f"{args.cases / one.seconds:.0f} / {args.cases / parse.seconds:.0f} cases/s",
            f"{one.cpu_seconds:.1f} / {parse.cpu_seconds:.1f} s",
            ratio,
            ">= 0.5x",
            ratio >= 0.5,
            f"{before:.1f}-{after:.1f}",
        )
    )
    before = load()
    read = best_time([sys.executable, "-c", READ_ONLY, str(big)], args.batch_runs)
    rows.append(
        Row(
            f"reference: spinemets strict read only / parse-only loop ({args.cases} cases)",
            f"{args.cases / read.seconds:.0f} / {args.cases / parse.seconds:.0f} cases/s",
            f"{read.cpu_seconds:.1f} / {parse.cpu_seconds:.1f} s",
            parse.seconds / read.seconds,
            "-",
            None,
            f"{before:.1f}-{load():.1f}",
        )
    )
    scaling = one.seconds / two.seconds
    rows.append(
        Row(
            f"--jobs 2 / --jobs 1 ({args.cases} cases)",
            f"{two.seconds:.1f} s / {one.seconds:.1f} s",
            f"{two.cpu_seconds:.1f} / {one.cpu_seconds:.1f} s",
            scaling,
            ">= 1.8x",
            scaling >= 1.8,
            f"{before:.1f}-{after:.1f}",
        )
    )

    print("memory ...", file=sys.stderr)
    before = load()
    small_run = best_time([*spm, "batch", str(small), "-o", str(out), "--jobs", "1"], 1)
    memory = one.max_rss_kib / small_run.max_rss_kib
    rows.append(
        Row(
            f"peak RSS {args.cases} / {args.small} cases",
            f"{one.max_rss_kib / 1024:.1f} MiB / {small_run.max_rss_kib / 1024:.1f} MiB",
            "",
            memory,
            "<= 1.1x",
            memory <= 1.1,
            f"{before:.1f}-{load():.1f}",
        )
    )

    print(table(rows))
    if args.identical:
        print(identical(spm, big, work, args.cases))
    from importlib.metadata import version

    stack = ", ".join(f"{p} {version(p)}" for p in ("typer", "pydantic", "PyYAML", "rich"))
    print(
        f"\npython {sys.version.split()[0]}, {stack}, {os.cpu_count()} CPUs, "
        f"example case: {Path(case).name}"
    )
    print(f"load average before {load_before:.2f}, after {load():.2f}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


def identical(spm: list[str], cohort: Path, work: Path, cases: int) -> str:
    """Batch output on the cohort with the fast paths on and off, compared byte for byte."""
    print("identical output ...", file=sys.stderr)
    verdicts = []
    for fmt in ("jsonl", "csv"):
        outputs = []
        for label, extra in (("on", None), ("off", FAST_PATHS_OFF)):
            target = work / f"identical-{label}.{fmt}"
            r = run([*spm, "batch", str(cohort), "--format", fmt, "-o", str(target)], extra)
            if r.returncode != 0:
                raise SystemExit(f"batch --format {fmt} failed ({r.returncode})")
            outputs.append(target.read_bytes())
        same = outputs[0] == outputs[1]
        verdicts.append(f"{fmt} {'yes' if same else 'NO'} ({len(outputs[0])} bytes)")
    return f"\nbyte-identical with every fast path off, {cases} cases: " + ", ".join(verdicts)


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (the issue's layout, with CPU time and load added)."""
    lines = [
        "| measure | measured (wall) | CPU time | ratio | target | met | load avg |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.measured} | {r.cpu} | {r.ratio:.2f}x | {r.target} | "
            + ("-" if r.met is None else "yes" if r.met else "NO")
            + f" | {r.load} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
