"""Instructions per batch case, counted by valgrind's callgrind: repeatable whatever else the
machine is doing, so two versions can be compared on a shared or throttled host.

    python benchmarks/instructions.py [--cases 100] [--seed 20260101]

Runs one process that loads the bundled rules and evaluates (parse, score, rules, JSON line)
``--cases`` synthetic cases, and one that evaluates none; prints the difference per case.
Needs ``valgrind`` on the PATH; takes about a minute for 100 cases. Never run as a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = """
import sys
from spinemets.workflows import batch
from spinemets.workflows.discovery import discover

targets = discover([sys.argv[1]]).targets[: int(sys.argv[2])]
batch.prepare(batch.Settings())
for i, target in enumerate(targets):
    batch.evaluate_target(i, target)
"""


def instructions(cohort: Path, cases: int, out: Path) -> int:
    """Instructions callgrind collected for one run over the first ``cases`` cases."""
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-c",
            WORK,
            str(cohort),
            str(cases),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit("valgrind printed no instruction count")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    sys.path.insert(0, str(REPO))
    from spinemets.workflows.synthetic import write_cohort

    work = Path(tempfile.mkdtemp(prefix="spinemets-instructions-"))
    try:
        write_cohort(work / "cohort", args.cases, seed=args.seed)
        base = instructions(work / "cohort", 0, work / "cg.0")
        total = instructions(work / "cohort", args.cases, work / "cg.n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    per_case = (total - base) / args.cases
    print(f"{per_case / 1e6:.2f} M instructions per batch case ({args.cases} cases)")


if __name__ == "__main__":
    main()
