"""Long fuzz run of the case loader, for use outside CI (issue 5 part 4).

Runs N mutated case files (the strategies of ``tests/strategies.py``: valid cases with fields
dropped, retyped, duplicated or renamed, extreme numbers, random Unicode, damaged lines) through
the loader and prints how many loaded, how many were rejected with located issues, which issue
codes were seen, and every crash (any other exception, or an issue pointing outside the file).

    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_cases.py            # 20,000 inputs
    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_cases.py -n 200000 --seed 7

Exit status 0 when there were no crashes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from strategies import TODAY, mutated_case_texts

from spinemets.case.loader import load_case_bytes
from spinemets.errors import CaseError


def _lines(text: str) -> int:
    return max(1, len(text.splitlines()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--inputs", type=int, default=20_000, help="inputs to run")
    parser.add_argument("--seed", type=int, default=0, help="random seed (reproducible runs)")
    parser.add_argument("--show", type=int, default=5, help="crashes to print in full")
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    sys.exit(main())
