"""Hypothesis strategies for hostile identifiers and hostile folder trees.

Shared by the property tests and ``benchmarks/fuzz_cases.py`` (which imports this file by path,
so it imports nothing from the test package).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

HEADER = "schema_version: 1\ncase_id: FUZZ-1\n"

#: Spellings the YAML parser refuses as numbers, so the value is ``None`` once parsed while the
#: message about it quotes the text; ``{d}`` is a run of digits.
_NUMBERISH = ("00{d}", "0x{d}", "{d}:12:34", "1_{d}", "00{d}.5", "0o{d}")


@dataclass(frozen=True)
class HostileIdentifiers:
    """A case file whose identifiers are written in a hostile way, and what must never show."""

    text: str
    secrets: tuple[str, ...]


@st.composite
def hostile_identifiers(draw: st.DrawFn) -> HostileIdentifiers:
    digits = draw(st.text("0123456789", min_size=9, max_size=12))
    mrn = draw(st.sampled_from(_NUMBERISH)).format(d=digits)
    token = draw(st.text("QXZJVWK", min_size=8, max_size=12))
    name = f"{draw(st.sampled_from(('Ann', 'Zoë', 'Li Wei', 'O')))} {token}"
    shape = draw(st.sampled_from(("plain", "flow_map", "list", "as_key", "elsewhere")))
    patient = ["patient:"]
    if shape == "plain":
        patient += [f"  mrn: {mrn}", f"  name: {name}"]
    elif shape == "flow_map":
        patient += [f"  mrn: {{value: {mrn}, system: {token}}}", f"  name: {name}"]
    elif shape == "list":
        patient += [f"  name: [{name}, {mrn}]"]
    elif shape == "as_key":
        patient += [f"  name: {name}", f"  mrn: {mrn}", f"  {name}: 1", f"  {mrn}: 2"]
    else:
        patient += [f"  name: {name}", f"  mrn: {mrn}"]
    tail = draw(
        st.sampled_from(
            (
                "",
                f"cancer:\n  primary: {token}\n",
                f"lesions:\n  - level: {mrn}\n",
                f"lesions:\n  - level: T12\n    {token}: 1\n",
                f"case_note: [{mrn}\n",  # a syntax error after the identifiers
            )
        )
    )
    secrets = (digits, token, mrn)
    return HostileIdentifiers(HEADER + "\n".join(patient) + "\n" + tail, secrets)


#: One step of building a folder tree: (kind, name index, target index, suffix).
Step = tuple[str, int, int, str]
_SUFFIXES = (".yaml", ".YAML", ".Yml", ".yml", ".txt", "")


def tree_steps() -> st.SearchStrategy[list[Step]]:
    step = st.tuples(
        st.sampled_from(("file", "file", "dir", "symlink", "hardlink", "fifo", "outside_link")),
        st.integers(0, 30),
        st.integers(0, 30),
        st.sampled_from(_SUFFIXES),
    )
    return st.lists(step, min_size=1, max_size=25)


def build_tree(root: Path, steps: list[Step]) -> list[Path]:
    """Make the tree under ``root`` (plus an ``outside`` sibling); returns every path made."""
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "o.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    made: list[Path] = [root]
    for n, (kind, at, target, suffix) in enumerate(steps):
        folders = [p for p in made if p.is_dir() and not p.is_symlink()]
        parent = folders[at % len(folders)]
        prefix = "." if at % 7 == 6 else ""
        path = parent / f"{prefix}n{n}{suffix if kind != 'dir' else ''}"
        if kind == "file":
            path.write_text(f"schema_version: 1\ncase_id: T{n}\n", encoding="utf-8")
        elif kind == "dir":
            path.mkdir()
        elif kind == "symlink":
            path.symlink_to(made[target % len(made)])
        elif kind == "outside_link":
            path.symlink_to(outside if target % 2 else outside / "o.yaml")
        elif kind == "hardlink":
            files = [p for p in made if p.is_file() and not p.is_symlink()]
            if not files:
                continue
            os.link(files[target % len(files)], path)
        else:
            os.mkfifo(path)
        made.append(path)
    return made
