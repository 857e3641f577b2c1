"""Self-contained HTML for the tumour board: inline CSS, no scripts, no network, one case per
printed page. Every string that comes from a case or the rules goes through :func:`html.escape`
(quotes included), so a hostile case file cannot inject markup."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from spinemets.assessment import INTENDED_USE
from spinemets.render import view

if TYPE_CHECKING:
    from spinemets.assessment import Assessment
    from spinemets.workflows.board import Agenda, CasePage, Cited, OptionLine

_CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 1.5em; color: #111; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; margin: 0 0 .3em; border-bottom: 2px solid #333; }
h3 { font-size: 1.05em; margin: .8em 0 .3em; }
.note { color: #444; font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .3em 0; }
th, td { border: 1px solid #bbb; padding: .15em .4em; text-align: left; vertical-align: top; }
th { background: #eee; }
.tier { display: inline-block; padding: .05em .5em; border-radius: .3em; font-weight: bold;
        color: #fff; background: #666; }
.tier-emergency { background: #b00020; } .tier-urgent { background: #d35400; }
.tier-soon { background: #b7950b; } .tier-routine { background: #2e7d32; }
.opt { margin: .2em 0 .4em; } .basis { color: #444; font-size: .85em; }
.case { break-before: page; page-break-before: always; }
ul { margin: .2em 0; padding-left: 1.3em; }
@media print {
  body { margin: 0; font-size: 10pt; }
  .case { break-before: page; page-break-before: always; break-inside: avoid-page; }
}
"""


def e(text: object) -> str:
    """Escaped text (``& < > " '``)."""
    return escape(str(text), quote=True)


def _tier(tier: str | None, label: str) -> str:
    css = f"tier tier-{tier}" if tier else "tier"
    return f'<span class="{css}">{e(label)}</span>'


def _basis(items: tuple[Cited, ...]) -> str:
    parts = [f"<code>{e(rules)}</code> — {e(citation)}" for rules, citation in items]
    return f'<div class="basis">basis: {"; ".join(parts)}</div>' if parts else ""


def _option(o: OptionLine) -> str:
    where = f" ({e(o.lesion)})" if o.lesion else ""
    label = view.STRENGTH_LABEL.get(o.strength, o.strength)
    rationale = "".join(f"<li>{e(r)}</li>" for r in o.rationale)
    return (
        f'<div class="opt"><strong>{e(label)}: <code>{e(o.option_id)}</code>{where}</strong>'
        f" — {e(o.summary)}"
        + (f"<ul>{rationale}</ul>" if rationale else "")
        + _basis(o.basis)
        + "</div>"
    )


def _page(n: int, p: CasePage) -> str:
    out = [f'<section class="case" id="case-{n}">']
    out.append(f"<h2>{n}. {e(p.case_id)} {_tier(p.tier, p.tier_label)}</h2>")
    out.append(
        f"<p>Patient: {e(p.patient)}; primary: {e(p.primary)}; histology: {e(p.histology)}<br>"
        f"Radiosensitivity: {e(p.radiosensitivity)}</p>"
    )
    items = [f"<li>{e(r)}</li>" for r in p.reasons] + [
        f"<li>action: {e(x)}</li>" for x in p.actions
    ]
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    out.append(_basis(p.triage_basis))
    out.append("<h3>Key scores</h3>")
    if p.scores:
        rows = "".join(
            f"<tr><td>{e(s.label)}</td><td>{e(s.value)}"
            f"{' (' + e(s.direction) + ')' if s.direction else ''}</td>"
            f"<td>{e(s.band or '-')}</td></tr>"
            for s in p.scores
        )
        out.append(f"<table><tr><th>Score</th><th>Value</th><th>Band</th></tr>{rows}</table>")
    else:
        out.append("<p>No scores.</p>")
    flag = "<strong>Prognostic scores disagree.</strong> " if p.prognosis_disagreement else ""
    out.append(f'<p class="note">{flag}{e(p.prognosis_note)}</p>')
    out.append("<h3>Options to decide between</h3>")
    out += [_option(o) for o in p.decide] or [
        "<p>No option is recommended or to be considered on the data given.</p>"
    ]
    if p.others:
        listed = "; ".join(
            f"<code>{e(o.option_id)}</code>{' (' + e(o.lesion) + ')' if o.lesion else ''} "
            f"{e(view.STRENGTH_LABEL.get(o.strength, o.strength).lower())}"
            for o in p.others
        )
        out.append(f'<p class="note">Also evaluated: {listed}.</p>')
    out.append("<h3>Missing inputs</h3>")
    out.append(
        "<ul>" + "".join(f"<li><code>{e(m)}</code></li>" for m in p.missing) + "</ul>"
        if p.missing
        else "<p>None.</p>"
    )
    out.append("<h3>Warnings</h3>")
    if p.warnings:
        out.append(
            "<ul>"
            + "".join(
                f"<li><strong>{e(c)}</strong> (<code>{e(path)}</code>): {e(m)}</li>"
                for c, path, m in p.warnings
            )
            + "</ul>"
        )
    else:
        out.append("<p>None.</p>")
    out.append("</section>")
    return "\n".join(x for x in out if x)


def render_board(agenda: Agenda) -> str:
    """The agenda as one self-contained HTML document."""
    rows = "".join(
        f'<tr><td>{n}</td><td><a href="#case-{n}">{e(p.case_id)}</a></td>'
        f"<td>{_tier(p.tier, p.tier_label)}</td>"
        f"<td>{e(p.reasons[0] if p.reasons else '-')}</td></tr>"
        for n, p in enumerate(agenda.pages, 1)
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Tumour board agenda</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header><h1>Tumour board agenda</h1>",
        f'<p class="note">{e(INTENDED_USE)}</p>',
    ]
    if agenda.redacted:
        parts.append('<p class="note">Identifiers removed (--redact).</p>')
    parts.append(
        f"<table><tr><th>#</th><th>Case</th><th>Triage</th><th>Why</th></tr>{rows}</table>"
    )
    if agenda.invalid:
        parts.append(
            f'<p class="note">{len(agenda.invalid)} file(s) could not be read '
            "and are not on this agenda "
            "(see the command's error output).</p>"
        )
    parts.append("</header>")
    parts += [_page(n, p) for n, p in enumerate(agenda.pages, 1)]
    parts.append("</body></html>\n")
    return "\n".join(parts)


def render(assessment: Assessment) -> str:
    """One case as a one-page HTML summary (the board page of that case)."""
    from spinemets.workflows.board import agenda_from

    return render_board(agenda_from([assessment], redacted=assessment.redacted))
