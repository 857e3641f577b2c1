"""The tumour-board agenda as Markdown: an overview table, then one section per case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinemets.assessment import INTENDED_USE
from spinemets.render import view
from spinemets.render.markdown import cell

if TYPE_CHECKING:
    from spinemets.workflows.board import Agenda, CasePage, OptionLine


def _option(o: OptionLine) -> list[str]:
    where = f" ({cell(o.lesion)})" if o.lesion else ""
    label = view.STRENGTH_LABEL.get(o.strength, o.strength)
    out = [f"- **{label}: `{cell(o.option_id)}`{where}** — {cell(o.summary)}"]
    out += [f"  - {cell(r)}" for r in o.rationale]
    out += [f"  - basis: `{cell(b.rule)}` — {cell(b.citation)}" for b in o.basis]
    return out


def _page(n: int, p: CasePage) -> list[str]:
    out = [f"## {n}. {cell(p.case_id)} — {p.tier_label}", ""]
    out += [
        f"Patient: {cell(p.patient)}; primary: {cell(p.primary)}; histology: {cell(p.histology)}",
        "",
    ]
    out += [f"- {cell(r)}" for r in p.reasons]
    out += [f"- action: {cell(x)}" for x in p.actions]
    out += [f"- basis: `{cell(b.rule)}` — {cell(b.citation)}" for b in p.triage_basis]
    out += ["", "### Key scores", ""]
    if p.scores:
        out += ["| Score | Value | Band |", "|---|---|---|"]
        for s in p.scores:
            value = f"{s.value} ({s.direction})" if s.direction else s.value
            out.append(f"| {cell(s.label)} | {cell(value)} | {cell(s.band or '-')} |")
    else:
        out.append("No scores.")
    flag = "**Prognostic scores disagree.** " if p.prognosis_disagreement else ""
    out += ["", f"{flag}{cell(p.prognosis_note)}", "", "### Options to decide between", ""]
    for o in p.decide:
        out += _option(o)
    if not p.decide:
        out.append("No option is recommended or to be considered on the data given.")
    if p.others:
        listed = "; ".join(
            f"`{cell(o.option_id)}`{' (' + cell(o.lesion) + ')' if o.lesion else ''} "
            f"{view.STRENGTH_LABEL.get(o.strength, o.strength).lower()}"
            for o in p.others
        )
        out += ["", f"Also evaluated: {listed}."]
    out += ["", "### Missing inputs", ""]
    out += [f"- `{cell(m)}`" for m in p.missing] or ["None."]
    out += ["", "### Warnings", ""]
    out += [
        f"- **{cell(code)}** (`{cell(path)}`): {cell(message)}"
        for code, path, message in p.warnings
    ] or ["None."]
    out += ["", "---", ""]
    return out


def render_board(agenda: Agenda) -> str:
    """The agenda as Markdown."""
    out = ["# Tumour board agenda", "", f"> {INTENDED_USE}", ""]
    if agenda.redacted:
        out += ["Identifiers removed (--redact).", ""]
    out += ["| # | Case | Triage | Why |", "|---|---|---|---|"]
    for n, p in enumerate(agenda.pages, 1):
        why = "; ".join(p.reasons) or "-"
        out.append(f"| {n} | {cell(p.case_id)} | {p.tier_label} | {cell(why)} |")
    out.append("")
    if agenda.invalid:
        out += [
            f"{len(agenda.invalid)} file(s) could not be read and are not on this agenda (see the command's error output).",
            "",
        ]
    for n, p in enumerate(agenda.pages, 1):
        out += _page(n, p)
    return "\n".join(out)
