"""The hazard log (docs/safety/hazard-log.md) is complete and every test it names exists.

A hazard whose verifying test was renamed or deleted would claim evidence that is gone: the
test ids are checked against what pytest really collects (in a subprocess, so parametrised ids
count too).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from .support import ROOT

LOG = ROOT / "docs" / "safety" / "hazard-log.md"

FIELDS = (
    "Hazard",
    "Cause",
    "Effect",
    "Initial severity",
    "Initial likelihood",
    "Initial risk",
    "Controls",
    "Residual severity",
    "Residual likelihood",
    "Residual risk",
    "Status",
)
SEVERITY = {1: "Minor", 2: "Significant", 3: "Considerable", 4: "Major", 5: "Catastrophic"}
LIKELIHOOD = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}
STATUSES = ("Controlled", "Open", "Accepted")

HEADING = re.compile(r"^### (HAZ-\d{3}): (.+)$", re.MULTILINE)
ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*(.*?)\s*\|\s*$", re.MULTILINE)
TEST_BULLET = re.compile(r"^- `([^`]+)`", re.MULTILINE)
NODE_ID = re.compile(r"^tests/[\w/]+\.py::\w+(\[[^\]]+\])?$")
RATING = re.compile(r"^(\d+) \(([^)]+)\)$")


@dataclass
class Hazard:
    id: str
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    tests: list[str] = field(default_factory=list)
    notes: str = ""


def parse(text: str) -> list[Hazard]:
    """Hazards in file order: table fields, the text between table and tests, test ids."""
    heads = list(HEADING.finditer(text))
    hazards = []
    for i, head in enumerate(heads):
        body = text[head.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        hazard = Hazard(head.group(1), head.group(2).strip())
        for row in ROW.finditer(body):
            name, value = row.group(1), row.group(2)
            if name in ("Field", "---") or set(name) <= {"-"}:
                continue
            hazard.fields[name] = value
        before, _, after = body.partition("Verifying tests:")
        hazard.notes = "\n".join(
            line for line in before.splitlines() if line.strip() and not line.startswith("|")
        )
        hazard.tests = TEST_BULLET.findall(after)
        hazards.append(hazard)
    return hazards


@cache
def hazards() -> tuple[Hazard, ...]:
    return tuple(parse(LOG.read_text(encoding="utf-8")))


def collected(files: tuple[str, ...]) -> set[str]:
    """Node ids pytest collects from ``files`` (those that exist)."""
    existing = [f for f in files if (ROOT / f).is_file()]
    if not existing:
        return set()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            *existing,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    return {line.strip() for line in result.stdout.splitlines() if "::" in line}


def missing_tests(test_ids: list[str], known: set[str]) -> list[str]:
    """Referenced ids that pytest does not collect (a bare function id matches any parameter)."""
    out = []
    for test_id in test_ids:
        if test_id in known:
            continue
        if "[" not in test_id and any(k.startswith(test_id + "[") for k in known):
            continue
        out.append(test_id)
    return out


@cache
def all_collected() -> frozenset[str]:
    files = sorted({t.split("::")[0] for h in hazards() for t in h.tests})
    return frozenset(collected(tuple(files)))


def _ids() -> list[str]:
    return [h.id for h in hazards()]


# --- structure ---------------------------------------------------------------------------------


def test_ids_are_unique_and_sequential() -> None:
    ids = _ids()
    assert len(ids) >= 14
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    assert ids == [f"HAZ-{n:03d}" for n in range(1, len(ids) + 1)]


@pytest.mark.parametrize("hazard", hazards(), ids=_ids())
def test_every_field_is_filled(hazard: Hazard) -> None:
    missing = [f for f in FIELDS if not hazard.fields.get(f, "").strip()]
    assert not missing, f"{hazard.id} lacks {missing}"
    unexpected = set(hazard.fields) - set(FIELDS)
    assert not unexpected, f"{hazard.id} has unknown fields {unexpected}"
    assert hazard.tests, f"{hazard.id} names no verifying test"


def _rating(hazard: Hazard, name: str, scale: dict[int, str]) -> int:
    match = RATING.match(hazard.fields[name])
    assert match, f"{hazard.id} {name}: write 'N (Name)', got {hazard.fields[name]!r}"
    level = int(match.group(1))
    assert scale.get(level) == match.group(2), (
        f"{hazard.id} {name}: {level} is {scale.get(level)!r}"
    )
    return level


def risk_class(score: int) -> str:
    """The matrix at the top of the log."""
    if score <= 4:
        return "Low"
    if score <= 9:
        return "Medium"
    if score <= 16:
        return "High"
    return "Very high"


@pytest.mark.parametrize("hazard", hazards(), ids=_ids())
def test_risk_is_severity_times_likelihood(hazard: Hazard) -> None:
    risks = {}
    for stage in ("Initial", "Residual"):
        severity = _rating(hazard, f"{stage} severity", SEVERITY)
        likelihood = _rating(hazard, f"{stage} likelihood", LIKELIHOOD)
        score = severity * likelihood
        assert hazard.fields[f"{stage} risk"] == f"{score} ({risk_class(score)})", (
            hazard.id,
            stage,
        )
        risks[stage] = score
    assert risks["Residual"] <= risks["Initial"], hazard.id


@pytest.mark.parametrize("hazard", hazards(), ids=_ids())
def test_status_is_explained_when_not_controlled(hazard: Hazard) -> None:
    status = hazard.fields["Status"]
    assert status in STATUSES, (hazard.id, status)
    residual = int(hazard.fields["Residual risk"].split()[0])
    if status == "Controlled":
        assert residual <= 9, f"{hazard.id}: a High residual risk cannot be Controlled"
        if residual >= 5:
            assert hazard.notes, f"{hazard.id}: a Medium residual risk needs a justification"
    else:
        assert hazard.notes, f"{hazard.id} is {status}: say why under the table"
    if status == "Open":
        assert "Gap" in hazard.fields["Controls"] or "gap" in hazard.notes, hazard.id


ISSUE_HAZARDS = (  # issue 5 part 1: each must have an entry (matched on the title)
    r"vertebral level.*SINS|SINS location",
    r"missing.*zero",
    r"albumin",
    r"histology",
    r"stale guideline",
    r"ESCC.*conus",
    r"inverted prognosis",
    r"under-triage.*neurology",
    r"opioid-naive",
    r"NSAID.*anticoagulant.*renal",
    r"YAML 1\.1 coercions",
    r"duplicate keys",
    r"identifiers leak",
    r"silently dropped in a batch",
    r"automation bias",
    r"site's rules override",
)


@pytest.mark.parametrize("pattern", ISSUE_HAZARDS)
def test_the_required_hazards_are_logged(pattern: str) -> None:
    titles = [h.title for h in hazards()]
    assert any(re.search(pattern, t, re.IGNORECASE) for t in titles), pattern


# --- evidence -----------------------------------------------------------------------------------


@pytest.mark.parametrize("hazard", hazards(), ids=_ids())
def test_every_named_test_exists(hazard: Hazard) -> None:
    malformed = [t for t in hazard.tests if not NODE_ID.match(t)]
    assert not malformed, f"{hazard.id}: not a pytest node id: {malformed}"
    gone = missing_tests(hazard.tests, set(all_collected()))
    assert not gone, f"{hazard.id} names tests that pytest does not collect: {gone}"


def test_a_named_test_that_does_not_exist_is_caught() -> None:
    """The checker itself: an invented id, a wrong parameter and a missing file all fail."""
    text = LOG.read_text(encoding="utf-8").split("### HAZ-002")[0]
    invented = [
        "tests/safety/test_controls.py::test_that_was_never_written",
        "tests/safety/test_cli_adversarial.py::test_hostile_file_is_refused_with_a_located_message[no_such_case]",
        "tests/safety/test_nowhere.py::test_anything",
    ]
    text += "\n" + "\n".join(f"- `{t}`" for t in invented) + "\n"
    (hazard,) = parse(text)
    known = collected(tuple(sorted({t.split("::")[0] for t in hazard.tests})))
    assert missing_tests(hazard.tests, known) == invented


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        f"{path.relative_to(ROOT).as_posix()}::{node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


@pytest.mark.parametrize("name", ["test_controls.py", "test_phi.py", "test_cli_adversarial.py"])
def test_every_safety_test_backs_a_hazard(name: str) -> None:
    """The log is the index: a safety test no hazard names is evidence nobody reads."""
    named = {t.split("[")[0] for h in hazards() for t in h.tests}
    orphans = sorted(_test_functions(Path(__file__).with_name(name)) - named)
    assert not orphans, orphans
