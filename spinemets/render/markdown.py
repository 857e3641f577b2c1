"""Markdown report for tumour-board notes: the terminal report's content, organised by NOMS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinemets.assessment import INTENDED_USE
from spinemets.render import view

if TYPE_CHECKING:
    from spinemets.assessment import Assessment, Option
    from spinemets.scorers.base import ScoreResult


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell (pipes and line breaks escaped)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _score_block(name: str, result: ScoreResult, heading_level: str = "####") -> list[str]:
    direction = view.direction(result.id)
    suffix = f" ({direction})" if direction else ""
    out = [f"{heading_level} {cell(name)}: {cell(view.headline(result))}{suffix}", ""]
    rows = view.component_text(result)
    if rows:
        out += ["| Component | Value | Points |", "|---|---|---|"]
        out += [f"| {cell(n)} | {cell(v)} | {cell(p)} |" for n, v, p in rows]
        out.append("")
    out += [f"- {cell(line)}" for line in view.score_footer(result)]
    out.append("")
    return out


def _option_lines(option: Option) -> list[str]:
    where = f" ({option.lesion})" if option.lesion else ""
    label = view.STRENGTH_LABEL.get(option.strength, option.strength)
    out = [f"- **{label}: `{option.id}`{where}** — {cell(option.summary)}"]
    out += [f"  - {cell(r)}" for r in option.rationale]
    if option.needs:
        out.append(f"  - needs: {cell(', '.join(n.text for n in option.needs))}")
    if option.details:
        for key, value in option.details.items():
            out.append(f"  - {cell(key)}: {cell(view.detail_text(value))}")
    out += [f"  - basis: `{cell(b.rule)}` — {cell(b.citation)}" for b in option.basis]
    return out


def render(assessment: Assessment) -> str:
    """The full report as Markdown."""
    a = assessment
    facts = view.case_facts(a)
    out = [f"# spinemets report: {cell(a.case_id)}", "", f"> {INTENDED_USE}", ""]
    out += [f"Patient: {cell(view.patient_line(a))}", ""]
    if a.warnings:
        out += ["## Warnings", ""]
        out += [f"- **{cell(w.code)}** (`{cell(w.path)}`): {cell(w.message)}" for w in a.warnings]
        out.append("")
    t = a.triage
    out += [f"## Triage: {view.TIER_LABEL.get(t.tier, str(t.tier))}", ""]
    out += [f"- {cell(r)}" for r in t.reasons]
    out += [f"- action: {cell(x)}" for x in t.actions]
    if t.needs:
        out.append(f"- needs: {cell(', '.join(n.text for n in t.needs))}")
    out += [f"- basis: `{cell(b.rule)}` — {cell(b.citation)}" for b in t.basis]
    out.append("")

    out += ["## N — Neurologic", ""]
    for les in a.lesions:
        if "escc" in les.scores:
            out += _score_block(f"ESCC {les.level}", les.scores["escc"])
    if "neurology" in a.scores:
        out += _score_block("Neurology", a.scores["neurology"])

    out += ["## O — Oncologic", ""]
    out += [
        f"- Primary: {cell(facts.primary)}; histology: {cell(facts.histology)}",
        f"- Radiosensitivity: {cell(facts.radiosensitivity)}",
        f"- Systemic therapy: {cell(facts.systemic_therapy)}",
        "",
    ]

    out += ["## M — Mechanical", ""]
    for les in a.lesions:
        if "sins" in les.scores:
            out += _score_block(f"SINS {les.level}", les.scores["sins"])
    if not a.lesions:
        out += ["No lesions entered yet (imaging pending?).", ""]

    out += ["## S — Systemic", ""]
    out += [
        f"- Visceral metastases: {cell(facts.visceral)}; bone metastases: {cell(facts.bone)}",
        "",
    ]
    if "performance" in a.scores:
        out += _score_block("Performance", a.scores["performance"])
    out += ["### Prognosis panel", ""]
    for sid in ("tokuhashi_revised", "tomita", "modified_bauer", "nesms"):
        if sid in a.scores:
            out += _score_block(view.title(sid), a.scores[sid])
    panel = a.prognosis
    flag = "**Scores disagree about the prognosis group.** " if panel.disagreement else ""
    out += [f"{flag}{cell(panel.note)}", ""]

    out += ["## Options", ""]
    options = view.sorted_options(a)
    if options:
        for option in options:
            out += _option_lines(option)
    else:
        out.append("No options evaluated.")
    out.append("")

    p = a.provenance
    out += [
        "---",
        "",
        f"spinemets {cell(a.tool_version)} · input sha256 `{p.input_sha256[:16]}…` · "
        f"rules {cell(p.rules_source)} sha256 `{(p.rules_sha256 or '')[:16]}…`",
        "",
    ]
    return "\n".join(out)
