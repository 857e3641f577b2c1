"""The HTML board in a real browser: headless Chromium prints the agenda of the shipped examples
to PDF, and the test reads the PDF as a reader would (pages, tier badges, nothing cut off).

Chromium is a Debian package that ``.ci/run`` installs. Where it is missing this test fails
with the command that installs it: it is never skipped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from spinemets import api
from spinemets.render import board as rb
from tests.workflows.helpers import cli

EXAMPLES = Path(__file__).parents[2] / "examples"
INSTALL = "apt-get update && apt-get install -y chromium"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(f"headless Chromium is needed for the board print test; install it: {INSTALL}")
    return found


def _print_to_pdf(html: Path, pdf: Path, profile: Path) -> None:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and pdf.is_file(), done.stderr[-2000:]


def _fragments(page: pypdf.PageObject) -> list[tuple[float, float, str]]:
    """Each text fragment of a page with where it starts (x, y in page units)."""
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def _squash(text: str) -> str:
    return "".join(text.split())


def test_board_prints_every_case_with_its_badge_and_nothing_cut_off(tmp_path: Path) -> None:
    html = tmp_path / "agenda.html"
    result = cli("board", str(EXAMPLES), "-o", str(html), "-f", "html")
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "agenda.pdf"
    _print_to_pdf(html, pdf, tmp_path / "profile")

    agenda = rb.agenda_from(
        api.assess(api.load_case(str(p))) for p in sorted(EXAMPLES.glob("*.yaml"))
    )
    n = len(agenda.reports)
    reader = pypdf.PdfReader(pdf)
    pages = [p.extract_text() for p in reader.pages]
    # the agenda page, then each case from a new page; no case runs beyond three pages
    assert n + 1 <= len(pages) <= 3 * n + 1, len(pages)
    assert all(text.strip() for text in pages)  # no blank (wasted) page

    first = _squash(pages[0])
    assert "Tumourboardagenda" in first
    for r in agenda.reports:  # every row's case id, badge and local treatment can be read
        assert _squash(r.case_id) in first
        assert _squash(r.local_treatment) in first
    badges = [rb.tier_badge(r) for r in agenda.reports]
    for badge in set(badges):
        assert first.count(badge) >= badges.count(badge)

    starts = []  # each case starts a new page, in agenda order, with its tier badge
    for number, r in enumerate(agenda.reports, 1):
        head = f"{number}.{_squash(r.case_id)}{rb.tier_badge(r)}"
        found = [i for i, text in enumerate(pages) if _squash(text).startswith(head)]
        assert len(found) == 1, head
        starts += found
    assert starts == sorted(starts) and starts[0] == 1

    for page in reader.pages:  # nothing starts outside the printable page
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        fragments = _fragments(page)
        assert fragments
        for x, y, text in fragments:
            assert 0 <= x < width and 0 <= y <= height, (x, y, text)
