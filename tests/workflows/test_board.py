"""``spinemets board``: agenda order, one NOMS page per case, self-contained and escaped HTML,
``--redact``."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from spinemets import api
from spinemets.render import words
from spinemets.render.board import agenda_from
from spinemets.workflows.synthetic import write_cohort
from tests.workflows.helpers import GOOD_CASE, RULES, cli, write

HOSTILE = '<script>alert("x")</script> <b>bold</b> \'single\' "double" & more'


def _hostile_case(tmp_path: Path) -> Path:
    def q(tag: str) -> str:  # a JSON string is a valid YAML double-quoted scalar
        return json.dumps(f"{tag} {HOSTILE}")

    text = (
        GOOD_CASE.replace("case_id: TB-GOOD-1", f"case_id: {q('CASEID')}")
        .replace("name: Alice Example", f"name: {q('NAMEMARK')}")
        .replace("mrn: MRN-778899", f"mrn: {q('MRNMARK')}")
        .replace("histology: clear cell renal cell carcinoma", f"histology: {q('HISTMARK')}")
        .replace(
            "  systemic_therapy: available\n",
            "  systemic_therapy: available\n  radiosensitivity: resistant\n"
            f"  radiosensitivity_reason: {q('REASONMARK')}\n",
        )
    )
    return write(tmp_path / "hostile.yaml", text)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_agenda_sorted_by_tier_then_case_id(tmp_path: Path) -> None:
    paths = write_cohort(tmp_path / "c", 40, seed=5)
    rules = api.load_rules(RULES)
    assessments = [api.assess(api.load_case(str(p)), rules) for p in reversed(paths)]
    agenda = agenda_from(assessments)
    keys = [(words.tier_rank(r.tier.tier), r.case_id) for r in agenda.reports]
    assert keys == sorted(keys) and len(keys) == 40
    assert len({r.tier.label for r in agenda.reports}) >= 2  # the order is really exercised
    assert sum(agenda.tier_counts.values()) == 40

    out = tmp_path / "agenda.md"
    result = cli("board", str(tmp_path / "c"), "--rules", str(RULES), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    headings = re.findall(r"^## (\d+)\. (\S+) — (.+)$", out.read_text(encoding="utf-8"), flags=re.M)
    assert [(int(n), cid) for n, cid, _ in headings] == [
        (i + 1, r.case_id) for i, r in enumerate(agenda.reports)
    ]
    assert [label for _, _, label in headings] == [r.tier.label for r in agenda.reports]


def test_markdown_page_has_the_noms_summary(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    out = tmp_path / "agenda.md"
    result = cli("board", str(case), "--rules", str(RULES), "-o", str(out), "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    for heading in (
        "### Key scores",
        "### Options to decide between",
        "### Missing inputs",
        "### Warnings",
    ):
        assert heading in text
    # SINS 11 lies in the 7-12 "potentially unstable" band (Fisher 2010)
    assert "| SINS T12 | 11 | potentially unstable (7-12) |" in text
    assert "`labs.albumin`" in text  # NESMS needs albumin, which the case does not give
    assessment = api.assess(api.load_case(str(case)), api.load_rules(RULES))
    for option in assessment.options:
        if option.strength in ("recommended", "consider"):
            assert f"`{option.id}`" in text
            assert "rule" not in text.split("### Options", 1)[1].split("### Key scores")[0]
    assert "Alice Example" in text  # identifiers stay without --redact


def test_html_is_self_contained_and_one_case_per_page(tmp_path: Path) -> None:
    write_cohort(tmp_path / "c", 5, seed=8)
    out = tmp_path / "agenda.html"
    result = cli(
        "board", str(tmp_path / "c"), "--rules", str(RULES), "-o", str(out), "--format", "html"
    )
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    parsed = _parse(html)
    tags = {tag for tag, _ in parsed.tags}
    assert not tags & {
        "script",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "base",
        "source",
        "audio",
        "video",
        "form",
    }
    for _, attrs in parsed.tags:
        assert "src" not in attrs
        assert (attrs.get("href") or "#").startswith("#")
        assert not any(k.startswith("on") for k in attrs)
    assert "url(" not in parsed.style and "@import" not in parsed.style
    assert re.search(r"\.case\s*\{[^}]*page-break-before:\s*always", parsed.style)
    assert (
        sum(1 for tag, attrs in parsed.tags if tag == "section" and attrs.get("class") == "case")
        == 5
    )


def test_html_escapes_every_free_text_field(tmp_path: Path) -> None:
    case = _hostile_case(tmp_path)
    out = tmp_path / "agenda.html"
    result = cli("board", str(case), "--rules", str(RULES), "-o", str(out), "--format", "html")
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<b>" not in html
    escaped = (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; "
        "&#x27;single&#x27; &quot;double&quot; &amp; more"
    )
    for mark in ("CASEID", "NAMEMARK", "MRNMARK", "HISTMARK", "REASONMARK"):
        assert f"{mark} {escaped}" in html, mark
    parsed = _parse(html)
    allowed = "html head meta title style body header h1 h2 h3 p table tr th td a span section"
    allowed += " ul ol li code strong em div br"
    assert {tag for tag, _ in parsed.tags} <= set(allowed.split())


def test_markdown_escapes_html_in_free_text(tmp_path: Path) -> None:
    case = _hostile_case(tmp_path)
    out = tmp_path / "agenda.md"
    assert cli("board", str(case), "--rules", str(RULES), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text and "<b>" not in text
    assert "CASEID &lt;script\\>" in text


def test_redact_removes_identifiers(tmp_path: Path) -> None:
    case = _hostile_case(tmp_path)
    for fmt in ("html", "markdown"):
        out = tmp_path / f"agenda.{fmt}"
        assert (
            cli(
                "board", str(case), "--rules", str(RULES), "-o", str(out), "-f", fmt, "--redact"
            ).exit_code
            == 0
        )
        text = out.read_text(encoding="utf-8")
        assert "NAMEMARK" not in text and "MRNMARK" not in text
        assert "CASEID" in text and "HISTMARK" in text
        plain = tmp_path / f"plain.{fmt}"
        assert (
            cli("board", str(case), "--rules", str(RULES), "-o", str(plain), "-f", fmt).exit_code
            == 0
        )
        assert "NAMEMARK" in plain.read_text(encoding="utf-8")


def test_invalid_files_are_reported_and_fail(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", GOOD_CASE)
    bad = write(tmp_path / "bad.yaml", "schema_version: 1\ncase_id: B\npatient:\n  age: 300\n")
    out = tmp_path / "agenda.html"
    result = cli("board", str(good), str(bad), "--rules", str(RULES), "-o", str(out), "-f", "html")
    assert result.exit_code == 1
    assert f"invalid: {bad}:4:8: error:" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "TB-GOOD-1" in html and "Not on this agenda (1 file(s))" in html
    assert f"<code>{bad}:4:8</code>" in html  # the file is named on the page, with the reason


def test_board_requires_output(tmp_path: Path) -> None:
    case = write(tmp_path / "case.yaml", GOOD_CASE)
    result = cli("board", str(case))
    assert result.exit_code == 2
