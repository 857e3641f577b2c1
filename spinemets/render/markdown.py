"""Markdown report for tumour-board notes: the same summary (and ``detail``) as the terminal.

Free text is escaped so that it can only ever be text: HTML (``<``), links and images
(``[``, ``]``, ``!``), emphasis and code marks, table pipes and line breaks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spinemets.render import report as rv
from spinemets.render import words

if TYPE_CHECKING:
    from spinemets.assessment import Assessment

_SPECIAL = re.compile(r"([\\`*_\[\]>!|#~])")


def md(text: object) -> str:
    """Free text safe in Markdown, table cells included."""
    escaped = _SPECIAL.sub(r"\\\1", str(text)).replace("<", "&lt;")
    return escaped.replace("\r", " ").replace("\n", " ")


def code(text: object) -> str:
    """An identifier as a code span (backticks removed: a code span cannot escape them)."""
    return f"`{str(text).replace('`', '')}`"


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return md(text)


def _refs(refs: tuple[int, ...]) -> str:
    return " " + ", ".join(f"\\[{r}\\]" for r in refs) if refs else ""


def tier_lines(t: rv.TierView, detail: bool = False) -> list[str]:
    out = [f"## {t.line}", ""]
    out += [f"- {md(r)}" for r in t.reasons]
    out += [f"- **→ {md(x)}**" for x in t.actions]
    if t.settles:
        out.append(f"- settled by: {', '.join(code(x) for x in t.settles)}")
    if detail and t.refs:
        out.append(f"- sources:{_refs(t.refs)}")
    return [*out, ""]


def noms_lines(r: rv.Report) -> list[str]:
    out = ["| | NOMS |", "|---|---|"]
    for letter, lines in r.noms:
        out.append(f"| **{letter}** | {'<br>'.join(md(x) for x in lines)} |")
    return [*out, ""]


def safety_lines(s: rv.Safety, detail: bool, indent: str = "  ") -> list[str]:
    out: list[str] = []
    if detail:
        out += [f"{indent}- **avoid {md(i.name)}**: {md(i.reason)}" for i in s.avoid]
    elif s.avoid:
        out.append(f"{indent}- **avoid**: {md(rv.avoid_line(s.avoid))}")
    for kind, items in (("with", s.adjuvants), ("add", s.add), ("team", s.involve)):
        if items and detail:
            out += [f"{indent}- {kind} {md(i.name)}: {md(i.reason)}" for i in items]
        elif items:
            out.append(f"{indent}- {kind}: {md(', '.join(i.name for i in items))}")
    if not detail:
        out += [f"{indent}- dose: {md(line)}" for line in s.dose]
    return out


def option_lines(o: rv.OptionView, detail: bool) -> list[str]:
    where = f" ({md(o.lesion)})" if o.lesion else ""
    refs = _refs(o.refs) if detail else ""
    if not detail and o.safety.involve:  # the team is what this option says at a glance
        team = ", ".join(i.name for i in o.safety.involve)
        return [f"- **{o.label}: {code(o.option_id)}{where}** — team: {md(team)}"]
    out = [f"- **{o.label}: {code(o.option_id)}{where}** — {md(o.summary)}{refs}"]
    if detail:
        out += [f"  - {md(x)}" for x in o.rationale]
        out += [f"  - {md(x)}" for x in o.details]
    out += safety_lines(o.safety, detail)
    if detail and o.needs:
        out.append(f"  - needs: {md('; '.join(o.needs))}")
    return out


def options_lines(r: rv.Report, detail: bool) -> list[str]:
    out: list[str] = []
    for group in r.groups:
        out += [f"## {group.title}", ""]
        brief = [] if detail else rv.brief_options(group)
        for o in group.options:
            if o not in brief:
                out += option_lines(o, detail)
        for strength in rv.DECIDE:
            names = ", ".join(code(o.option_id) for o in brief if o.strength == strength)
            if names:
                out.append(f"- **{words.STRENGTH_LABEL[strength]}:** {names}")
        out.append("")
    if not r.groups:
        out += ["No option is recommended or to be considered on the data given.", ""]
    if r.others and detail:
        out += ["## Also evaluated", ""]
        for o in r.others:
            out += option_lines(o, detail)
        out.append("")
    elif r.others:
        out += [f"Also evaluated: {md(rv.others_line(r.others))}", ""]
    return out


def ask_next_lines(r: rv.Report, limit: int | None = 3) -> list[str]:
    if not r.ask_next:
        return []
    shown = r.ask_next if limit is None else r.ask_next[:limit]
    out = ["## What to ask next", ""]
    out += [
        f"{n}. {md(a.text)} ({code(a.path)}): settles {a.settles} — "
        + md(", ".join(a.results) if limit is None else rv.results_line(a))
        for n, a in enumerate(shown, 1)
    ]
    if len(r.ask_next) > len(shown):
        out.append(f"\nand {len(r.ask_next) - len(shown)} more (`--detail`)")
    return [*out, ""]


def _scores(r: rv.Report) -> list[str]:
    out = ["## Scores", ""]
    for s in r.scores:
        band = f" — {md(s.band)}" if s.band else ""
        direction = f" ({s.direction})" if s.direction else ""
        out += [f"### {md(s.label)}: {md(s.value)}{band}{direction} \\[{s.ref}\\]", ""]
        if s.rows:
            head = ["Component", "Value"] + (["Points"] if s.has_points else [])
            out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(md(c) for c in row) + " |" for row in s.rows]
            out.append("")
        out += [f"- {md(n)}" for n in s.notes]
        if s.missing:
            out.append(f"- missing: {md(', '.join(s.missing))}")
        out.append("")
    flag = "**Prognostic scores disagree.** " if r.prognosis_disagreement else ""
    return [*out, f"{flag}{md(r.prognosis_note)}", ""]


def sources_lines(r: rv.Report) -> list[str]:
    out = ["## Sources", ""]
    for src in r.sources:
        evidence = f" (evidence: {md(src.evidence)})" if src.evidence else ""
        rules = f" — rules: {', '.join(code(x) for x in src.rules)}" if src.rules else ""
        out.append(f"{src.ref}. {md(src.citation)}{evidence}{rules}")
    return [*out, ""]


def render(assessment: Assessment, *, detail: bool = False) -> str:
    """The report as Markdown: the summary, or with ``detail`` the full explanation."""
    r = rv.build(assessment)
    out = [f"# spinemets report: {md(r.case_id)}", "", f"> {md(r.intended_use)}", ""]
    out += [f"Patient: {md(r.patient)}", ""]
    if r.warnings:
        out += [f"- **warning** ({code(p)}): {md(m)}" for _, p, m in r.warnings] + [""]
    out += tier_lines(r.tier, detail)
    out += noms_lines(r)
    out += options_lines(r, detail)
    out += ask_next_lines(r, None if detail else 3)
    if detail:
        out += _scores(r) + sources_lines(r)
    out += ["---", "", md(r.footer), ""]
    return "\n".join(out)
