"""The tumour-board agenda as Markdown: an overview table, then one section per case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spinemets.assessment import INTENDED_USE
from spinemets.render import view
from spinemets.render.markdown import cell

if TYPE_CHECKING:
    from spinemets.workflows.board import Agenda, CasePage, OptionLine


def md(text: object) -> str:
    """Text for Markdown: table-cell safe, and ``<`` escaped so no raw HTML tag gets through to
    a Markdown viewer that renders HTML."""
    return cell(str(text).replace("<", "&lt;"))


def _option(o: OptionLine) -> list[str]:
    where = f" ({md(o.lesion)})" if o.lesion else ""
    label = view.STRENGTH_LABEL.get(o.strength, o.strength)
    out = [f"- **{label}: `{md(o.option_id)}`{where}** — {md(o.summary)}"]
    out += [f"  - {md(r)}" for r in o.rationale]
    out += [f"  - basis: `{md(rules)}` — {md(citation)}" for rules, citation in o.basis]
    return out


def _page(n: int, p: CasePage) -> list[str]:
    out = [f"## {n}. {md(p.case_id)} — {p.tier_label}", ""]
    out += [
        f"Patient: {md(p.patient)}; primary: {md(p.primary)}; histology: {md(p.histology)}",
        "",
        f"Radiosensitivity: {md(p.radiosensitivity)}",
        "",
    ]
    out += [f"- {md(r)}" for r in p.reasons]
    out += [f"- action: {md(x)}" for x in p.actions]
    out += [f"- basis: `{md(rules)}` — {md(citation)}" for rules, citation in p.triage_basis]
    out += ["", "### Key scores", ""]
    if p.scores:
        out += ["| Score | Value | Band |", "|---|---|---|"]
        for s in p.scores:
            value = f"{s.value} ({s.direction})" if s.direction else s.value
            out.append(f"| {md(s.label)} | {md(value)} | {md(s.band or '-')} |")
    else:
        out.append("No scores.")
    flag = "**Prognostic scores disagree.** " if p.prognosis_disagreement else ""
    out += ["", f"{flag}{md(p.prognosis_note)}", "", "### Options to decide between", ""]
    for o in p.decide:
        out += _option(o)
    if not p.decide:
        out.append("No option is recommended or to be considered on the data given.")
    if p.others:
        listed = "; ".join(
            f"`{md(o.option_id)}`{' (' + md(o.lesion) + ')' if o.lesion else ''} "
            f"{view.STRENGTH_LABEL.get(o.strength, o.strength).lower()}"
            for o in p.others
        )
        out += ["", f"Also evaluated: {listed}."]
    out += ["", "### Missing inputs", ""]
    out += [f"- `{md(m)}`" for m in p.missing] or ["None."]
    out += ["", "### Warnings", ""]
    out += [
        f"- **{md(code)}** (`{md(path)}`): {md(message)}" for code, path, message in p.warnings
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
        why = p.reasons[0] if p.reasons else "-"
        out.append(f"| {n} | {md(p.case_id)} | {p.tier_label} | {md(why)} |")
    out.append("")
    if agenda.invalid:
        out += [
            f"{len(agenda.invalid)} file(s) could not be read and are not on this agenda "
            "(see the command's error output).",
            "",
        ]
    for n, p in enumerate(agenda.pages, 1):
        out += _page(n, p)
    return "\n".join(out)
