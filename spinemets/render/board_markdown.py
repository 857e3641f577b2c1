"""The tumour-board agenda as Markdown: the agenda table, the files not on it, then one section
per case (the same report as ``evaluate``, with the safety details in full)."""

from __future__ import annotations

from spinemets.assessment import INTENDED_USE
from spinemets.render import board as rb
from spinemets.render import markdown as m
from spinemets.render import report as rv

AGENDA_HEAD = (
    "| # | Case | Level(s) | Primary (radiosensitivity) | ESCC | SINS | Prognosis | Tier "
    "| Local treatment |"
)


def _row(n: int, r: rv.Report, agenda: rb.Agenda) -> str:
    dup = agenda.duplicate(r)
    case = m.md(r.case_id) + (f" **(duplicate id: {dup} cases)**" if dup else "")
    cells = [
        str(n),
        case,
        m.md(", ".join(r.levels) or "-"),
        m.md(rb.primary_line(r)),
        m.md(r.escc),
        m.md(r.sins),
        m.md(r.prognosis_group),
        f"**{m.md(rb.tier_badge(r))}**",
        m.md(r.local_treatment),
    ]
    return "| " + " | ".join(cells) + " |"


def _page(n: int, r: rv.Report, agenda: rb.Agenda) -> list[str]:
    out = [f"## {n}. {m.md(r.case_id)} — {m.md(r.tier.label)}", ""]
    if agenda.duplicate(r):
        out += [f"**Duplicate case id:** {agenda.duplicate(r)} cases on this agenda share it.", ""]
    out += [f"Patient: {m.md(r.patient)}", ""]
    out += m.tier_lines(r.tier)[2:]
    out += m.noms_lines(r)
    out += ["### Options to decide between", ""]
    for group in r.groups:
        out.append(f"*{group.title}*")
        out.append("")
        for o in group.options:
            out += m.option_lines(o, detail=False)[:1]
            out += m.safety_lines(o.safety, detail=True)
        out.append("")
    if not r.groups:
        out += ["No option is recommended or to be considered on the data given.", ""]
    if r.others:
        out += [f"Also evaluated: {m.md(rv.others_line(r.others))}", ""]
    out += [x.replace("## ", "### ", 1) for x in m.ask_next_lines(r, None)]
    out += ["### Key scores", "", "| Score | Value | Band |", "|---|---|---|"]
    out += [f"| {m.md(s.label)} | {m.md(s.value)} | {m.md(s.band or '-')} |" for s in r.scores]
    flag = "**Prognostic scores disagree.** " if r.prognosis_disagreement else ""
    out += ["", f"{flag}{m.md(r.prognosis_note)}", "", "### Missing inputs", ""]
    out += [f"- {m.code(x)}" for x in r.missing] or ["None."]
    out += ["", "### Warnings", ""]
    out += [f"- **{m.md(c)}** ({m.code(p)}): {m.md(msg)}" for c, p, msg in r.warnings] or ["None."]
    out += ["", "---", ""]
    return out


def render_board(agenda: rb.Agenda) -> str:
    """The agenda as Markdown."""
    out = ["# Tumour board agenda", "", f"> {INTENDED_USE}", ""]
    if agenda.redacted:
        out += ["Identifiers removed (--redact).", ""]
    out += [AGENDA_HEAD, "|---" * 9 + "|"]
    out += [_row(n, r, agenda) for n, r in enumerate(agenda.reports, 1)]
    out += ["", "A tier marked ? is provisional: it is the highest tier not yet excluded.", ""]
    if agenda.duplicates:
        ids = ", ".join(f"{m.md(cid)} ({n} cases)" for cid, n in agenda.duplicates.items())
        out += [f"**Duplicate case ids:** {ids}.", ""]
    if agenda.invalid:
        out += [f"## Not on this agenda ({len(agenda.invalid)} file(s))", ""]
        out += [
            f"- {m.code(i.where)}: {m.md(i.reason)}" + (f" ({m.code(i.field)})" if i.field else "")
            for i in agenda.invalid
        ]
        out.append("")
    for n, r in enumerate(agenda.reports, 1):
        out += _page(n, r, agenda)
    return "\n".join(out)
