"""Terminal report (rich): the one-screen NOMS summary, and with ``detail`` the components,
rationale and sources.

Every piece of text is a :class:`rich.text.Text` built from the view-model: Rich markup in case
text or file names is never interpreted, and control characters were already shown escaped by
the view-model.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from spinemets.render import report as rv
from spinemets.render import words

if TYPE_CHECKING:
    from spinemets.assessment import Assessment

TIER_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold white on dark_orange3",
    "soon": "bold black on yellow",
    "routine": "bold white on green",
}
STRENGTH_STYLE = {
    "recommended": "bold green",
    "consider": "cyan",
    "not_evaluable": "yellow",
    "not_indicated": "dim",
    "contraindicated": "bold red",
}


#: Decisive inputs shown in the summary (the rest are counted).
ASK_NEXT = 3


def _heading(title: str, note: str = "") -> Text:
    return Text.assemble((title.upper(), "bold underline"), (f" {note}" if note else "", "dim"))


def _grid(rows: list[tuple[Text | str, Text | str]], indent: int = 2) -> Table:
    """Two columns with a hanging indent: a label, then text that wraps under itself."""
    table = Table.grid(padding=(0, 1), pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column()
    for left, right in rows:
        table.add_row(
            Text(" " * indent) + (left if isinstance(left, Text) else Text(left)),
            right if isinstance(right, Text) else Text(right),
        )
    return table


def _refs(refs: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(r) for r in refs) + "]" if refs else ""


def _tier(report: rv.Report, detail: bool) -> list[RenderableType]:
    t = report.tier
    line = Text(t.line, style="bold")
    start = len("Triage: ")
    line.stylize(TIER_STYLE.get(t.tier, "bold"), start, start + len(t.label))
    out: list[RenderableType] = [line]
    rows: list[tuple[Text | str, Text | str]] = [("•", r) for r in t.reasons]
    rows += [(Text("→", style="bold"), Text(x, style="bold")) for x in t.actions]
    if t.settles and not any("needs" in r for r in t.reasons):  # else the reasons say it
        rows.append((Text("?", style="yellow"), Text("settled by: " + ", ".join(t.settles))))
    if detail and t.refs:
        rows.append(("", Text(f"sources {_refs(t.refs)}", style="dim")))
    if rows:
        out.append(_grid(rows))
    return out


def _noms(report: rv.Report) -> list[RenderableType]:
    rows: list[tuple[Text | str, Text | str]] = []
    for letter, lines in report.noms:
        for n, line in enumerate(lines):
            rows.append((Text(letter if n == 0 else "", style="bold"), line))
    return [_grid(rows)]


def _safety(s: rv.Safety, detail: bool) -> list[tuple[Text | str, Text | str]]:
    """Safety rows: in the summary each item with its short reason; in detail every reason."""
    rows: list[tuple[Text | str, Text | str]] = []
    avoid = Text("avoid", style="bold red")
    if detail:
        rows += [(avoid, f"{i.name}: {i.reason}") for i in s.avoid]
    elif s.avoid:
        rows.append((avoid, rv.avoid_line(s.avoid)))
    for name, items in (("with", s.adjuvants), ("add", s.add), ("team", s.involve)):
        if items and detail:
            rows += [(name, f"{i.name}: {i.reason}") for i in items]
        elif items:
            rows.append((name, ", ".join(i.name for i in items)))
    if not detail:  # in detail the dose lines are among the rationale
        rows += [("dose", line) for line in s.dose]
    return rows


def _option(o: rv.OptionView, detail: bool) -> list[RenderableType]:
    if not detail and o.safety.involve:  # the team is what this option says at a glance
        team = ", ".join(i.name for i in o.safety.involve)
        head = Text.assemble((o.name, "bold"), " — team: ", team)
        return [_grid([(Text(f"{o.label:<12}", style=STRENGTH_STYLE.get(o.strength, "")), head)])]
    head = Text.assemble((o.name, "bold"), f" — {o.summary}")
    if detail and o.refs:
        head.append(f" {_refs(o.refs)}", style="dim")
    out: list[RenderableType] = [
        _grid([(Text(f"{o.label:<12}", style=STRENGTH_STYLE.get(o.strength, "")), head)])
    ]
    rows = _safety(o.safety, detail)
    if detail:
        rows = [("•", r) for r in o.rationale] + [("·", d) for d in o.details] + rows
    if o.needs and detail:
        rows.append((Text("needs", style="yellow"), "; ".join(o.needs)))
    if rows:
        out.append(_grid(rows, indent=16))
    return out


def _others(report: rv.Report) -> list[RenderableType]:
    if not report.others:
        return []
    text = rv.others_line(report.others)
    return [_grid([(Text("Also evaluated", style="dim"), text)], indent=0)]


def _ask_next(report: rv.Report, detail: bool) -> list[RenderableType]:
    if not report.ask_next:
        return []
    shown = report.ask_next if detail else report.ask_next[:ASK_NEXT]
    rows: list[tuple[Text | str, Text | str]] = [
        (f"{n}.", f"{a.path}: settles {a.settles} — {rv.results_line(a, 2)}")
        for n, a in enumerate(shown, 1)
    ]
    note = ""
    if len(shown) < len(report.ask_next):
        note = f"({len(shown)} of {len(report.ask_next)}; --detail for all)"
    return [_heading("What to ask next", note), _grid(rows)]


def _scores(report: rv.Report) -> list[RenderableType]:
    out: list[RenderableType] = [_heading("Scores")]
    for s in report.scores:
        head = Text.assemble((s.label, "bold"), ": ", (s.value, "bold cyan"))
        if s.band:
            head.append(f" — {s.band}")
        if s.direction:
            head.append(f" ({s.direction})", style="dim")
        head.append(f" [{s.ref}]", style="dim")
        out.append(head)
        if s.rows:
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
            table.add_column("component", style="dim")
            table.add_column("value")
            if s.has_points:
                table.add_column("points", justify="right")
            for row in s.rows:
                table.add_row(*(Text(c, style="yellow" if c == "unknown" else "") for c in row))
            out.append(table)
        lines = list(s.notes) + ([f"missing: {', '.join(s.missing)}"] if s.missing else [])
        if lines:
            out.append(_grid([("", Text(x, style="dim")) for x in lines]))
    return out


def _sources(report: rv.Report) -> list[RenderableType]:
    rows: list[tuple[Text | str, Text | str]] = []
    for src in report.sources:
        extra = f" (evidence: {src.evidence})" if src.evidence else ""
        rules = f" — rules: {', '.join(src.rules)}" if src.rules else ""
        rows.append((f"[{src.ref}]", Text(src.citation + extra) + Text(rules, style="dim")))
    return [_heading("Sources"), _grid(rows, indent=0)]


def renderables(assessment: Assessment, *, detail: bool = False) -> list[RenderableType]:
    """The report as rich renderables (the CLI prints them to its console)."""
    r = rv.build(assessment)
    out: list[RenderableType] = [  # free text only in indented columns: never at column 0
        _grid([(Text("spinemets report:", style="bold"), f"{r.case_id} · {r.patient}")], 0),
        Text(r.intended_use, style="italic dim"),
    ]
    if r.warnings:
        out.append(
            _grid(
                [(Text("warning", style="bold yellow"), f"{m} ({p})") for _, p, m in r.warnings],
                indent=0,
            )
        )
    out += _tier(r, detail)
    out += _noms(r)
    for group in r.groups:
        body: list[RenderableType] = [_heading(group.title)]
        brief = [] if detail else rv.brief_options(group)
        for o in group.options:
            if o not in brief:
                body += _option(o, detail)
        for strength in rv.DECIDE:
            names = ", ".join(o.name for o in brief if o.strength == strength)
            if names:
                label = Text(
                    f"{words.STRENGTH_LABEL[strength]:<12}", style=STRENGTH_STYLE[strength]
                )
                body.append(_grid([(label, names)]))
        out.append(Group(*body))
    if not r.groups:
        out.append(Text("No option is recommended or to be considered on the data given."))
    if detail and r.others:
        out.append(_heading("Also evaluated"))
        for o in r.others:
            out += _option(o, detail)
    else:
        out += _others(r)
    out += _ask_next(r, detail)
    if detail:
        out += _scores(r)
        out.append(
            Text(
                ("Prognostic scores disagree. " if r.prognosis_disagreement else "")
                + r.prognosis_note,
                style="dim",
            )
        )
        out += _sources(r)
    more = "" if detail else " · more: --detail"
    out.append(_grid([("", Text(r.footer + more, style="dim"))], 0))
    return out


def render(assessment: Assessment, *, width: int = 100, detail: bool = False) -> str:
    """The terminal report as plain text (no colour, no trailing blanks), for files and tests."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system=None, force_terminal=False, highlight=False
    )
    for item in renderables(assessment, detail=detail):
        console.print(item)
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


__all__ = ["render", "renderables"]
