"""Text for ``spinemets explain``: the list of scores, or one score's reference."""

from __future__ import annotations

from typing import Any

from spinemets.scorers import REGISTRY, get

PLANNED = {
    "rades_mscc": "Rades MSCC survival score (Cancer 2008;112:157-161): planned, not computed "
    "until its point table is confirmed against the paper (the commonly reproduced table "
    "sums to 46, not 45).",
}

#: The clinician reference pages in the project's docs/clinical/ (one page per area).
REFERENCE_PAGES: dict[str, str] = {
    "scores": "docs/clinical/scores.md",
    "triage": "docs/clinical/triage.md",
    "radiation": "docs/clinical/radiation.md",
    "surgery": "docs/clinical/surgery.md",
    "augmentation": "docs/clinical/augmentation.md",
    "analgesia": "docs/clinical/analgesia.md",
    "systemic and supportive care": "docs/clinical/systemic-supportive.md",
}


def reference_lines() -> list[str]:
    """Where the clinician reference of each area is, for the end of ``explain`` output."""
    width = max(len(k) for k in REFERENCE_PAGES)
    lines = ["Clinician reference (in the spinemets source, docs/clinical/):", ""]
    lines += [f"  {area:<{width}}  {page}" for area, page in REFERENCE_PAGES.items()]
    return lines


def listing() -> str:
    """One line per registered score, then the planned ones."""
    width = max(len(k) for k in REGISTRY)
    lines = ["Scores (spinemets explain <id> for the point table, bands and citation):", ""]
    for sid, scorer in sorted(REGISTRY.items()):
        lines.append(f"  {sid:<{width}}  {scorer.title}  [{scorer.version}, {scorer.scope}]")
    lines += ["", "Planned, not computed:", ""]
    lines += [f"  {sid:<{width}}  {text}" for sid, text in PLANNED.items()]
    lines += ["", *reference_lines()]
    return "\n".join(lines) + "\n"


def _table(name: str, table: Any) -> list[str]:
    lines = [f"  {name}:"]
    if isinstance(table, dict):
        for key, value in table.items():
            lines.append(f"    {key}: {value}")
    else:
        lines.append(f"    {table}")
    return lines


def describe(score_id: str) -> str:
    """The reference of one score: docstring, tables, bands, citation, limitations, conflicts."""
    if score_id in PLANNED:
        return PLANNED[score_id] + "\n"
    scorer = get(score_id)
    out = [f"{scorer.title} ({scorer.id}, {scorer.version})", ""]
    out += [scorer.doc.strip(), ""]
    if scorer.tables:
        out.append("Point tables and mappings:")
        for name, table in scorer.tables.items():
            out += _table(name, table)
        out.append("")
    if scorer.bands:
        out.append("Bands:")
        out += [f"  {b.low}-{b.high}  {b.category}: {b.meaning}" for b in scorer.bands]
        out.append("")
    direction = {"higher_better": "higher = better", "higher_worse": "higher = worse"}.get(
        scorer.direction
    )
    if direction:
        out += [f"Direction: {direction}", ""]
    out += ["Requires: " + ", ".join(scorer.requires), "", f"Citation: {scorer.citation}", ""]
    if scorer.limitations:
        out.append("Limitations:")
        out += [f"  - {x}" for x in scorer.limitations]
        out.append("")
    if scorer.conflicts:
        out.append("Known conflicts and v1 decisions:")
        out += [f"  - {x}" for x in scorer.conflicts]
        out.append("")
    out += [f"Clinician reference: {REFERENCE_PAGES['scores']}", ""]
    return "\n".join(out)
