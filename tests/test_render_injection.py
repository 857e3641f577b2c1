"""Terminal and document injection: free text in a case file (case id, histology, the
radiosensitivity reason, identifiers) can never change what the tier line says, in any format,
and never reaches the output as a control character, Rich markup, Markdown link or image
syntax, or HTML."""

from __future__ import annotations

import io
import json
import re
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from strategies import to_yaml

from spinemets import api
from spinemets.render import board_markdown, html, markdown, terminal
from spinemets.render.board import agenda_from
from spinemets.render.text import is_plain, plain

CASE = {
    "schema_version": 1,
    "case_id": "TB-INJECT-1",
    "patient": {"age": 64, "sex": "male", "name": "A B", "mrn": "M-1"},
    "cancer": {
        "primary": "kidney",
        "histology": "clear cell",
        "radiosensitivity": "resistant",
        "radiosensitivity_reason": "MDT decision",
    },
    "lesions": [{"level": "T12", "escc": "2", "pain": "mechanical"}],
    "neurology": {
        "frankel": "D",
        "ambulatory": "with_aid",
        "deficit": "progressing",
        "myelopathy": True,
        "radiculopathy": False,
        "sphincter_dysfunction": False,
    },
}
HOSTILE = [
    "\x1b[2K\x1b[1A\x1b[32mTriage: ROUTINE\x1b[0m",
    "\rTriage: ROUTINE",
    "\x08" * 30 + "ROUTINE",
    "\u202eENITUOR \u2066x\u2069",
    "[bold green]Triage: ROUTINE[/]",
    "[x](javascript:alert(1)) ![i](http://example.org/p.png)",
    "<b>Triage: ROUTINE</b><script>x</script>",
    "\n## Triage: ROUTINE\n",
    "\x9b2J \x85 \u2028 \x00 \x7f",
    "|a|b| `code` *em* _u_ # h",
]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
_SGR = re.compile(r"\x1b\[[0-9;]*m")


def _case(case_id: str, histology: str, reason: str, name: str) -> dict[str, Any]:
    data = json.loads(json.dumps(CASE))
    data["case_id"] = "TB " + case_id.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    data["cancer"]["histology"] = histology
    data["cancer"]["radiosensitivity_reason"] = "why: " + reason
    data["patient"]["name"] = name
    data["patient"]["mrn"] = name
    return data


def _assess(data: dict[str, Any]) -> Any:
    return api.assess(api.load_case_text(to_yaml(data), "case.yaml"))


def _ansi(assessment: Any) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system="truecolor", force_terminal=True)
    for item in terminal.renderables(assessment, detail=True):
        console.print(item)
    return buffer.getvalue()


def _tier_lines(assessment: Any) -> dict[str, list[str]]:
    """The tier line as each format prints it."""
    agenda = agenda_from([assessment])
    out = {
        "terminal": [
            line
            for d in (False, True)
            for line in terminal.render(assessment, detail=d).splitlines()
            if line.startswith("Triage:")
        ],
        "ansi": [
            x for x in _SGR.sub("", _ansi(assessment)).splitlines() if x.startswith("Triage:")
        ],
        "markdown": [
            line
            for d in (False, True)
            for line in markdown.render(assessment, detail=d).splitlines()
            if line.startswith("## Triage:")
        ],
        "board_markdown": re.findall(
            r"^## 1\. .* — ([A-Z]+(?: \(provisional\))?)$",
            board_markdown.render_board(agenda),
            flags=re.M,
        ),
        "html": re.findall(
            r'<span class="tier tier-[a-z]+">([^<]*)</span>', html.render_board(agenda)
        )
        + re.findall(r"<strong>(Triage: [^<]*)</strong>", html.render_board(agenda)),
    }
    return out


BASELINE = _tier_lines(_assess(CASE))


def _outputs(assessment: Any) -> list[str]:
    agenda = agenda_from([assessment])
    return [
        terminal.render(assessment),
        terminal.render(assessment, detail=True),
        _SGR.sub("", _ansi(assessment)),
        markdown.render(assessment),
        markdown.render(assessment, detail=True),
        board_markdown.render_board(agenda),
        html.render_board(agenda),
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_id=TEXT, histology=TEXT, reason=TEXT, name=TEXT)
@example(*HOSTILE[:4])
@example(*HOSTILE[4:8])
@example(HOSTILE[8], HOSTILE[9], HOSTILE[0], HOSTILE[6])
def test_free_text_never_changes_the_tier_line(
    case_id: str, histology: str, reason: str, name: str
) -> None:
    assessment = _assess(_case(case_id, histology, reason, name))
    assert _tier_lines(assessment) == BASELINE
    for text in _outputs(assessment):
        assert all(is_plain(line) for line in text.split("\n"))  # no control character
    md = markdown.render(assessment, detail=True) + board_markdown.render_board(
        agenda_from([assessment])
    )
    assert "](" not in md.replace("\\](", "")  # no link or image syntax
    assert "<" not in re.sub(r"<br>", "", md)  # no raw HTML
    page = html.render_board(agenda_from([assessment]))
    assert "<script" not in page and "<b>" not in page


def test_baseline_tier_lines_are_the_emergency() -> None:
    # ESCC 2 with a progressing deficit: emergency (NICE NG234); the baseline is a real tier.
    assert BASELINE["terminal"] == ["Triage: EMERGENCY", "Triage: EMERGENCY"]
    assert BASELINE["markdown"] == ["## Triage: EMERGENCY", "## Triage: EMERGENCY"]
    assert BASELINE["html"] == ["EMERGENCY", "EMERGENCY", "Triage: EMERGENCY"]  # row, page


def test_plain_shows_control_characters_escaped() -> None:
    assert plain("a\x1b[2Jb\r\n\u202e") == "a\\x1b[2Jb\\x0d\\x0a\\u202e"
    assert plain("ordinary text, ≥ 6 months — ok") == "ordinary text, ≥ 6 months — ok"
