"""Long fuzz run of the case loader, for use outside CI (issue 5 part 4).

Runs N mutated case files (the strategies of ``tests/strategies.py``: valid cases with fields
dropped, retyped, duplicated or renamed, extreme numbers, random Unicode, damaged lines) through
the loader and prints how many loaded, how many were rejected with located issues, which issue
codes were seen, and every crash (any other exception, or an issue pointing outside the file).

    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_cases.py            # 20,000 inputs
    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_cases.py -n 200000 --seed 7
    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_cases.py --kind identifiers -n 20000
    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_cases.py --kind trees -n 2000

``--kind identifiers``: identifiers written in hostile ways (unquoted numbers the parser refuses,
flow mappings, lists, keys, pasted into other fields, a syntax error after them); a crash is
also any issue message or path that holds the identifier's text. ``--kind trees``: random
folder trees (files of any suffix case, folders, links inside and outside, hard links, named
pipes) through case discovery; a crash is a walk that raises, a file found twice, a regular
case file of the tree not found, or a pipe or outside file taken as a case (each walk runs with
a 10 s alarm, so a block is a crash, not a hang).

Exit status 0 when there were no crashes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import signal
import stat
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from safety.hostile import HostileIdentifiers, build_tree, hostile_identifiers, tree_steps
from strategies import TODAY, mutated_case_texts

from spinemets.case.loader import load_case_bytes
from spinemets.errors import CaseError
from spinemets.workflows.discovery import discover, is_case_name


def _lines(text: str) -> int:
    return max(1, len(text.splitlines()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--inputs", type=int, default=20_000, help="inputs to run")
    parser.add_argument("--seed", type=int, default=0, help="random seed (reproducible runs)")
    parser.add_argument("--show", type=int, default=5, help="crashes to print in full")
    parser.add_argument(
        "--kind", choices=("cases", "identifiers", "trees"), default="cases", help="what to fuzz"
    )
    args = parser.parse_args(argv)
    if args.kind != "cases":
        return _other(args)

    counts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    crashes: list[tuple[str, str]] = []

    @seed(args.seed)
    @settings(
        max_examples=args.inputs,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(mutated_case_texts())
    def run(text: str) -> None:
        counts["inputs"] += 1
        try:
            load_case_bytes(text.encode("utf-8", "surrogatepass"), "fuzz.yaml", today=TODAY)
        except CaseError as exc:
            last = _lines(text)
            bad = [i for i in exc.issues if not (1 <= i.line <= last and i.col >= 1)]
            if bad or not exc.issues:
                counts["crashes"] += 1
                crashes.append((text, f"issue outside the file ({last} lines): {bad}"))
                return
            counts["invalid"] += 1
            codes.update({i.code for i in exc.issues})
        except Exception:
            counts["crashes"] += 1
            crashes.append((text, traceback.format_exc()))
        else:
            counts["valid"] += 1

    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start

    print(f"inputs:  {counts['inputs']:,} in {elapsed:.1f} s (seed {args.seed})")
    print(f"valid:   {counts['valid']:,}")
    print(f"invalid: {counts['invalid']:,} (rejected with located issues)")
    print(f"crashes: {counts['crashes']:,}")
    print("issue codes seen (inputs with at least one):")
    for code, n in codes.most_common():
        print(f"  {code:24} {n:,}")
    for text, error in crashes[: args.show]:
        print("-" * 72)
        print(repr(text[:2000]))
        print(error)
    return 1 if crashes else 0


def _settings(args: argparse.Namespace) -> Any:
    return settings(
        max_examples=args.inputs,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def _identifier_problem(case: HostileIdentifiers) -> str | None:
    try:
        load_case_bytes(case.text.encode("utf-8"), "fuzz.yaml", today=TODAY)
    except CaseError as exc:
        shown = "\n".join(f"{i.parsable()} {i.path}" for i in exc.issues) + str(exc)
        leaked = [s for s in case.secrets if s in shown]
        return f"identifier echoed: {leaked}\n{shown[:1000]}" if leaked else None
    return "a case with refused identifiers loaded"


def _tree_problem(steps: list[Any]) -> str | None:
    def alarm(signum: int, frame: Any) -> None:
        raise TimeoutError("discovery blocked for 10 s")

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        made = build_tree(root, steps)
        previous = signal.signal(signal.SIGALRM, alarm)
        signal.alarm(10)
        try:
            found = discover([root])
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        ok = [os.stat(t.file) for t in found.targets if t.problem is None]
        keys = [(i.st_dev, i.st_ino) for i in ok]
        if len(keys) != len(set(keys)):
            return "a file found twice"
        if any(not stat.S_ISREG(i.st_mode) for i in ok):
            return "a non-regular file taken as a case"
        outside = {os.stat(p).st_ino for p in (Path(tmp) / "outside").iterdir()}
        if any(i.st_ino in outside for i in ok):
            return "a file outside the root taken as a case"
        for p in made:
            visible = not any(part.startswith(".") for part in p.relative_to(root).parts)
            wanted = p.is_file() and not p.is_symlink() and is_case_name(p.name) and visible
            if wanted and (os.stat(p).st_dev, os.stat(p).st_ino) not in set(keys):
                return f"case file not found: {p.relative_to(root)}"
    return None


def _other(args: argparse.Namespace) -> int:
    counts: Counter[str] = Counter()
    crashes: list[tuple[str, str]] = []
    check = _identifier_problem if args.kind == "identifiers" else _tree_problem
    strategy = hostile_identifiers() if args.kind == "identifiers" else tree_steps()

    @seed(args.seed)
    @_settings(args)
    @given(strategy)
    def run(example: Any) -> None:
        counts["inputs"] += 1
        try:
            problem = check(example)
        except Exception:
            problem = traceback.format_exc()
        if problem is not None:
            counts["crashes"] += 1
            crashes.append((repr(example)[:2000], problem))

    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    print(f"{args.kind}: {counts['inputs']:,} inputs in {elapsed:.1f} s (seed {args.seed})")
    print(f"crashes: {counts['crashes']:,}")
    for example, problem in crashes[: args.show]:
        print("-" * 72)
        print(example)
        print(problem)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
