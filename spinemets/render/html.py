"""Self-contained HTML for the tumour board: inline CSS, no scripts, no network; the agenda on
the first page, then one case per printed page. Every string from a case, the rules or a file
name goes through :func:`html.escape` (quotes included) after the view-model has shown its
control characters escaped, so a hostile case file cannot inject markup.

Readable on a projector and on paper: body text 16 px on screen and 11 pt (14.7 px) in print,
tier badges whose text and background meet WCAG AA contrast (>= 4.5:1, :func:`contrast_ratio`).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from spinemets.assessment import INTENDED_USE
from spinemets.render import board as rb
from spinemets.render import report as rv

if TYPE_CHECKING:
    from spinemets.assessment import Assessment

#: Tier badge (text, background) colours; a test checks each pair's contrast is >= 4.5:1.
TIER_COLOURS: dict[str, tuple[str, str]] = {
    "emergency": ("#ffffff", "#b00020"),
    "urgent": ("#ffffff", "#a33f00"),
    "soon": ("#000000", "#f5c518"),
    "routine": ("#ffffff", "#1b5e20"),
}
BODY_PX = 16
#: Decisive inputs listed on a case page (the rest are in the missing inputs).
ASK_NEXT = 5
PRINT_PT = 11  # 11 pt = 14.7 px


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _css() -> str:
    badges = "\n".join(
        f".tier-{tier} {{ color: {fg}; background: {bg}; }}"
        for tier, (fg, bg) in TIER_COLOURS.items()
    )
    return f"""
:root {{ color-scheme: light; }}
body {{ font: {BODY_PX}px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 1.5em; color: #111; background: #fff; }}
h1 {{ font-size: 1.6em; margin: 0 0 .3em; }}
h2 {{ font-size: 1.3em; margin: 0 0 .3em; border-bottom: 2px solid #333; }}
h3 {{ font-size: 1.05em; margin: .7em 0 .2em; }}
.note {{ color: #333; }}
table {{ border-collapse: collapse; width: 100%; margin: .3em 0; }}
th, td {{ border: 1px solid #888; padding: .15em .4em; text-align: left; vertical-align: top;
          overflow-wrap: break-word; }}
th {{ background: #eee; }}
.tier {{ display: inline-block; padding: .05em .5em; border-radius: .3em; font-weight: bold;
         white-space: nowrap; }}
{badges}
.dup {{ font-weight: bold; color: #8b0000; }}
.invalid {{ border: 3px solid #8b0000; padding: .3em .8em; margin: .6em 0; }}
.opt {{ margin: .2em 0 .4em; }} .refs {{ color: #333; }}
.case {{ break-before: page; page-break-before: always; }}
ul {{ margin: .2em 0; padding-left: 1.3em; }}
@page {{ size: A4; margin: 10mm 12mm; }}
@page agenda {{ size: A4 landscape; }}
header {{ page: agenda; }}
.agenda td:nth-child(8) {{ width: 1%; }}
@media print {{
  body {{ margin: 0; font-size: {PRINT_PT}pt; line-height: 1.2; }}
  h2, h3 {{ break-after: avoid; }}
  h3 {{ margin: .4em 0 .1em; }}
  p, ul, ol {{ margin: .15em 0; }}
  a {{ color: inherit; text-decoration: none; }}
  tr, .opt, li {{ break-inside: avoid; }}
  .tier {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""


def e(text: object) -> str:
    """Escaped text (``& < > " '``)."""
    return escape(str(text), quote=True)


def _badge(r: rv.Report) -> str:
    return f'<span class="tier tier-{e(r.tier.tier)}">{e(rb.tier_badge(r))}</span>'


def _items(label: str, items: tuple[rv.Item, ...]) -> list[str]:
    return [f"<li><strong>{e(label)} {e(i.name)}</strong>: {e(i.reason)}</li>" for i in items]


def _option(o: rv.OptionView) -> str:
    where = f" ({e(o.lesion)})" if o.lesion else ""
    s = o.safety
    lines = _items("avoid", s.avoid) + _items("with", s.adjuvants) + _items("add", s.add)
    lines += [f"<li><strong>dose</strong>: {e(x)}</li>" for x in s.dose]
    lines += _items("team:", s.involve)
    body = f"<ul>{''.join(lines)}</ul>" if lines else ""
    return (
        f'<div class="opt"><strong>{e(o.label)}: <code>{e(o.option_id)}</code>{where}</strong>'
        f" — {e(o.summary)}{body}</div>"
    )


def _page(n: int, r: rv.Report, agenda: rb.Agenda) -> str:
    out = [f'<section class="case" id="case-{n}">']
    out.append(f"<h2>{n}. {e(r.case_id)} {_badge(r)}</h2>")
    if agenda.duplicate(r):
        out.append(
            f'<p class="dup">Duplicate case id: {agenda.duplicate(r)} cases on this agenda '
            "share it.</p>"
        )
    t = r.tier
    out.append(f"<p>Patient: {e(r.patient)}<br><strong>{e(t.line)}</strong></p>")
    items = [f"<li>{e(x)}</li>" for x in t.reasons]
    items += [f"<li><strong>→ {e(x)}</strong></li>" for x in t.actions]
    if t.settles:
        items.append(f"<li>settled by: {e(', '.join(t.settles))}</li>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    rows = "".join(
        f"<tr><th>{letter}</th><td>{'<br>'.join(e(x) for x in lines)}</td></tr>"
        for letter, lines in r.noms
    )
    out.append(f"<table>{rows}</table>")
    out.append("<h3>Options to decide between</h3>")
    for group in r.groups:
        out.append(f"<p><em>{e(group.title)}</em></p>")
        out += [_option(o) for o in group.options]
    if not r.groups:
        out.append("<p>No option is recommended or to be considered on the data given.</p>")
    if r.others:
        out.append(f'<p class="note">Also evaluated: {e(rv.others_line(r.others))}</p>')
    if r.ask_next:
        out.append("<h3>What to ask next</h3><ol>")
        out += [
            f"<li><code>{e(a.path)}</code>: settles {a.settles} — {e(rv.results_line(a, 4))}</li>"
            for a in r.ask_next[:ASK_NEXT]
        ]
        out.append("</ol>")
        if len(r.ask_next) > ASK_NEXT:
            out.append(f'<p class="note">and {len(r.ask_next) - ASK_NEXT} more inputs below.</p>')
    out.append("<h3>Key scores</h3>")
    rows = "".join(
        f"<tr><td>{e(s.label)}</td><td>{e(s.value)}</td><td>{e(s.band or '-')}</td></tr>"
        for s in r.scores
    )
    out.append(f"<table><tr><th>Score</th><th>Value</th><th>Band</th></tr>{rows}</table>")
    flag = "<strong>Prognostic scores disagree.</strong> " if r.prognosis_disagreement else ""
    out.append(f'<p class="note">{flag}{e(r.prognosis_note)}</p>')
    out.append("<h3>Missing inputs</h3>")
    out.append(
        "<p>" + ", ".join(f"<code>{e(x)}</code>" for x in r.missing) + "</p>"
        if r.missing
        else "<p>None.</p>"
    )
    if r.warnings:
        out.append("<h3>Warnings</h3><ul>")
        out += [
            f"<li><strong>{e(c)}</strong> (<code>{e(p)}</code>): {e(msg)}</li>"
            for c, p, msg in r.warnings
        ]
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def _agenda_row(n: int, r: rv.Report, agenda: rb.Agenda) -> str:
    dup = agenda.duplicate(r)
    flag = f' <span class="dup">duplicate id ({dup} cases)</span>' if dup else ""
    cells = [
        str(n),
        f'<a href="#case-{n}">{e(r.case_id)}</a>{flag}',
        e(", ".join(r.levels) or "-"),
        e(rb.primary_line(r)),
        e(r.escc),
        e(r.sins),
        e(r.prognosis_group),
        _badge(r),
        e(r.local_treatment),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _invalid(agenda: rb.Agenda) -> str:
    if not agenda.invalid:
        return ""
    items = "".join(
        f"<li><code>{e(i.where)}</code>: {e(i.reason)}"
        + (f" (<code>{e(i.field)}</code>)" if i.field else "")
        + "</li>"
        for i in agenda.invalid
    )
    return (
        f'<div class="invalid"><h2>Not on this agenda ({len(agenda.invalid)} file(s))</h2>'
        f"<ul>{items}</ul></div>"
    )


def render_board(agenda: rb.Agenda) -> str:
    """The agenda as one self-contained HTML document."""
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "#",
            "Case",
            "Level(s)",
            "Primary (radiosensitivity)",
            "ESCC",
            "SINS",
            "Prognosis",
            "Tier",
            "Local treatment",
        )
    )
    rows = "".join(_agenda_row(n, r, agenda) for n, r in enumerate(agenda.reports, 1))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Tumour board agenda</title>",
        f"<style>{_css()}</style></head><body>",
        "<header><h1>Tumour board agenda</h1>",
        f'<p class="note">{e(INTENDED_USE)}</p>',
    ]
    if agenda.redacted:
        parts.append('<p class="note">Identifiers removed (--redact).</p>')
    parts.append(f'<table class="agenda"><tr>{head}</tr>{rows}</table>')
    parts.append(
        '<p class="note">A tier marked ? is provisional: the highest tier not yet excluded.</p>'
    )
    if agenda.duplicates:
        ids = ", ".join(f"{e(cid)} ({n} cases)" for cid, n in agenda.duplicates.items())
        parts.append(f'<p class="dup">Duplicate case ids: {ids}.</p>')
    parts.append(_invalid(agenda))
    parts.append(
        '<p class="note">Each case page shows the options and their safety details; the '
        "sources and rationale are in <code>spinemets evaluate CASE --detail</code>.</p>"
    )
    parts.append("</header>")
    parts += [_page(n, r, agenda) for n, r in enumerate(agenda.reports, 1)]
    parts.append("</body></html>\n")
    return "\n".join(x for x in parts if x)


def render(assessment: Assessment) -> str:
    """One case as a one-page HTML summary (the board page of that case)."""
    return render_board(rb.agenda_from([assessment], redacted=assessment.redacted))
