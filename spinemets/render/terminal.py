"""Terminal report (rich): warnings first, triage, then N, O, M, S panels and the options."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinemets.assessment import INTENDED_USE
from spinemets.render import view

if TYPE_CHECKING:
    from spinemets.assessment import Assessment, Option
    from spinemets.scorers.base import ScoreResult

TIER_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "routine": "green",
}
STRENGTH_STYLE = {
    "recommended": "bold green",
    "consider": "cyan",
    "not_evaluable": "yellow",
    "not_indicated": "dim",
    "contraindicated": "bold red",
}


def _score(name: str, result: ScoreResult) -> RenderableType:
    direction = view.direction(result.id)
    head = Text.assemble((name, "bold"), ": ", (view.headline(result), "bold cyan"))
    if direction:
        head.append(f"  ({direction})", style="dim")
    parts: list[RenderableType] = [head]
    rows = view.component_text(result)
    if rows:
        table = Table(box=box.SIMPLE, show_header=True, header_style="dim", pad_edge=False)
        table.add_column("component")
        table.add_column("value")
        table.add_column("points", justify="right")
        for n, v, p in rows:
            table.add_row(n, Text(v, style="yellow" if v == "unknown" else ""), p)
        parts.append(table)
    parts += [Text(line, style="dim") for line in view.score_footer(result)]
    return Group(*parts)


def _option(option: Option) -> RenderableType:
    label = view.STRENGTH_LABEL.get(option.strength, option.strength)
    where = f" [{option.lesion}]" if option.lesion else ""
    head = Text.assemble(
        (f"{label}: ", STRENGTH_STYLE.get(option.strength, "")),
        (option.id + where, "bold"),
        f" — {option.summary}",
    )
    lines: list[RenderableType] = [head]
    lines += [Text(f"   • {r}") for r in option.rationale]
    if option.needs:
        lines.append(Text(f"   needs: {', '.join(n.text for n in option.needs)}", style="yellow"))
    if option.details:
        for key, value in option.details.items():
            lines.append(Text(f"   {key}: {view.detail_text(value)}", style="dim"))
    lines += [Text(f"   basis: {b.rule} — {b.citation}", style="dim") for b in option.basis]
    return Group(*lines)


def renderables(assessment: Assessment) -> list[RenderableType]:
    """The report as rich renderables (the CLI prints them to its console)."""
    a = assessment
    facts = view.case_facts(a)
    out: list[RenderableType] = [
        Text(f"spinemets report: {a.case_id}", style="bold"),
        Text(INTENDED_USE, style="italic dim"),
        Text(f"Patient: {view.patient_line(a)}"),
    ]
    if a.warnings:
        warn = Group(*[Text(f"{w.code} ({w.path}): {w.message}") for w in a.warnings])
        out.append(Panel(warn, title="Warnings", border_style="yellow", title_align="left"))
    t = a.triage
    tier_text = view.TIER_LABEL.get(t.tier, str(t.tier))
    triage_lines: list[RenderableType] = [
        Text(tier_text, style=TIER_STYLE.get(t.tier or "", "bold yellow"))
    ]
    triage_lines += [Text(f"• {r}") for r in t.reasons]
    triage_lines += [Text(f"→ {x}", style="bold") for x in t.actions]
    if t.needs:
        triage_lines.append(Text(f"needs: {', '.join(n.text for n in t.needs)}", style="yellow"))
    triage_lines += [Text(f"basis: {b.rule} — {b.citation}", style="dim") for b in t.basis]
    out.append(Panel(Group(*triage_lines), title="Triage", title_align="left"))

    neuro: list[RenderableType] = [
        _score(f"ESCC {les.level}", les.scores["escc"]) for les in a.lesions if "escc" in les.scores
    ]
    if "neurology" in a.scores:
        neuro.append(_score("Neurology", a.scores["neurology"]))
    out.append(
        Panel(
            Group(*neuro) if neuro else Text("no data"), title="N — Neurologic", title_align="left"
        )
    )

    onc = Group(
        Text(f"Primary: {facts.primary}; histology: {facts.histology}"),
        Text(f"Radiosensitivity: {facts.radiosensitivity}"),
        Text(f"Systemic therapy: {facts.systemic_therapy}"),
    )
    out.append(Panel(onc, title="O — Oncologic", title_align="left"))

    mech: list[RenderableType] = [
        _score(f"SINS {les.level}", les.scores["sins"]) for les in a.lesions if "sins" in les.scores
    ]
    out.append(
        Panel(
            Group(*mech) if mech else Text("No lesions entered yet."),
            title="M — Mechanical",
            title_align="left",
        )
    )

    systemic: list[RenderableType] = [
        Text(f"Visceral metastases: {facts.visceral}; bone metastases: {facts.bone}")
    ]
    if "performance" in a.scores:
        systemic.append(_score("Performance", a.scores["performance"]))
    for sid in ("tokuhashi_revised", "tomita", "modified_bauer", "nesms"):
        if sid in a.scores:
            systemic.append(_score(view.title(sid), a.scores[sid]))
    style = "bold yellow" if a.prognosis.disagreement else "dim"
    prefix = "Scores disagree about the prognosis group. " if a.prognosis.disagreement else ""
    systemic.append(Text(prefix + a.prognosis.note, style=style))
    out.append(Panel(Group(*systemic), title="S — Systemic and prognosis", title_align="left"))

    options = view.sorted_options(a)
    body: RenderableType = (
        Group(*[_option(o) for o in options]) if options else Text("No options evaluated.")
    )
    out.append(Panel(body, title="Options (the clinician chooses)", title_align="left"))
    p = a.provenance
    out.append(
        Text(
            f"spinemets {a.tool_version} · input sha256 {p.input_sha256[:16]}… · "
            f"rules {p.rules_source} sha256 {(p.rules_sha256 or '')[:16]}…",
            style="dim",
        )
    )
    return out


def render(assessment: Assessment, *, width: int = 100) -> str:
    """The terminal report as plain text (no colour), for files and tests."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    for item in renderables(assessment):
        console.print(item)
    return buffer.getvalue()


__all__ = ["render", "renderables"]
