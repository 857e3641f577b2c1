"""The report a clinician reads: the summary first and on one screen, options grouped by what
they treat, the basis on demand with each source printed once, details as sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from spinemets import api
from spinemets.render import markdown, terminal
from spinemets.render import report as rv
from spinemets.vocab import OPTION_IDS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _assess(path: Path) -> object:
    return api.assess(api.load_case(path))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_summary_fits_one_screen_with_the_tier_first(example: Path) -> None:
    text = terminal.render(_assess(example), width=100)  # what COLUMNS=100 prints
    lines = text.splitlines()
    assert len(lines) <= 70
    assert max(len(line.rstrip()) for line in lines) <= 100
    tier_at = next(i for i, line in enumerate(lines) if line.startswith("Triage: "))
    before = lines[:tier_at]  # only the header, the intended use and the warnings come first
    assert before[0].startswith("spinemets report:") and "Decision support" in before[1]
    assert all(x.startswith(("warning ", " ")) for x in before[3:])
    noms = [
        i
        for i, line in enumerate(lines)
        if re.match(r"  (Neurologic|Oncologic|Mechanical|Systemic) ", line)
    ]
    assert len(noms) == 4 and tier_at < noms[0]
    assert "radiosensitivity " in text  # the O of NOMS, stated


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_detail_prints_each_source_once_and_reads_as_sentences(example: Path) -> None:
    assessment = _assess(example)
    report = rv.build(assessment)
    assert len({s.citation for s in report.sources}) == len(report.sources)
    term = " ".join(terminal.render(assessment, detail=True, width=200).split())
    md = " ".join(markdown.render(assessment, detail=True).split())
    for src in report.sources:
        citation = " ".join(src.citation.split())
        assert term.count(f"[{src.ref}] {citation}") == 1
        assert md.count(f"{src.ref}. {markdown.md(citation)}") == 1
    for text in (term, md):
        assert "basis:" not in text  # options reference their sources by number
        assert not re.search(r"\bid: [a-z_]+, reason:", text)  # no key: value dumps
        summary = text.split("SCORES")[0].split("## Scores")[0]
        assert not re.search(r"\b(lt|gte)_\d", summary)  # bands as words


def test_options_grouped_by_what_they_treat_not_alphabetical() -> None:
    report = rv.build(_assess(ROOT / "examples" / "renal-t12-hybrid.yaml"))
    titles = [g.title for g in report.groups]
    assert titles == [t for t, _ in rv.GROUPS if t in titles]
    assert titles[0].startswith("Local control")
    local = list(report.groups[0].options)
    # case-level options first, then each lesion; within a strength the vocabulary order
    where = [o.lesion is not None for o in local]
    assert where == sorted(where)
    considered = [o.option_id for o in local if o.strength == "consider"]
    assert considered == sorted(considered, key=OPTION_IDS.index)


def test_safety_lines_come_with_the_medicines() -> None:
    report = rv.build(_assess(ROOT / "examples" / "renal-t12-hybrid.yaml"))
    medicines = next(g for g in report.groups if g.title == "Pain and medicines")
    analgesia = next(o for o in medicines.options if o.option_id == "analgesia")
    assert [i.name for i in analgesia.safety.avoid] == ["transdermal fentanyl"]  # opioid-naive
    assert "laxative" in [i.name for i in analgesia.safety.add]  # with every regular opioid
    text = terminal.render(_assess(ROOT / "examples" / "renal-t12-hybrid.yaml"))
    assert "avoid transdermal fentanyl — opioid-naive" in text


def test_bands_read_as_words() -> None:
    report = rv.build(_assess(ROOT / "examples" / "renal-t12-hybrid.yaml"))
    bands = {s.label: s.band for s in report.scores}
    assert bands["SINS T12"] == "potentially unstable (7-12)"  # Fisher 2010 bands
    assert bands["Revised Tokuhashi score"].startswith("≥ 6 months")  # Tokuhashi 2005, 9-11
    escc = next(s for s in report.scores if s.label == "ESCC T12")
    assert not escc.has_points and all(len(row) == 2 for row in escc.rows)  # no empty column


def test_render_never_imports_workflows() -> None:
    """Output belongs to render/: the board page types live there, workflows only gather."""
    for path in (ROOT / "spinemets" / "render").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "spinemets.workflows" not in text, path.name
