"""Patient identifiers (name, MRN, birth date) never leak (issue 5 part 6; hazard HAZ-014).

Properties, over random identifiers (any printable script, quotes, script tags) in valid and in
invalid cases:

* never in an error or warning message (what the CLI prints on stderr), whatever the command;
* never in any report format under ``--redact`` (terminal, markdown, json, fhir; the board in
  markdown and html; batch jsonl and csv);
* shown when not redacted (so the redaction test is not vacuous).

Each identifier carries a random upper-case token that no report could hold by chance; the
token is searched as well as the whole value, so a leak survives neither JSON nor HTML escaping.
The in-process API (what the CLI calls) carries most examples; a bounded number go through the
real command line.

The board's HTML escapes hostile text in every free-text field (case_id, histology,
radiosensitivity_reason, name, MRN): checked by parsing the HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from strategies import TODAY, case_dicts, to_yaml

from spinemets import api
from spinemets.errors import CaseError

from .support import run_cli

API_EXAMPLES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
CLI_EXAMPLES = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMATS = ("terminal", "markdown", "json", "fhir")

HOSTILE_FRAGMENTS = (
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    'O\'Brien "Jr"',
    "Ζωή Κ.",
    "Тимофей",
    "مريم",
    "李小龍",
    "{{7*7}} ${x} %s",
    "&amp; &lt;",
    "[link](javascript:alert(1))",
    "| a | b |",
)

#: Printable text of any script, no control, surrogate, line-separator or format characters
#: (those are refused by the loader or changed by YAML line folding).
free_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Cn", "Co", "Zl", "Zp", "Cf")),
    max_size=20,
)
token = st.text(alphabet="QXZJVWK", min_size=10, max_size=14)


@dataclass(frozen=True)
class Phi:
    name: str
    mrn: str
    birth_date: date
    name_token: str
    mrn_token: str

    def needles(self) -> list[str]:
        """What must never appear: each value, its tokens, and the usual date spellings."""
        d = self.birth_date
        return [
            self.name,
            self.mrn,
            self.name_token,
            self.mrn_token,
            d.isoformat(),
            d.strftime("%d/%m/%Y"),
            d.strftime("%m/%d/%Y"),
            d.strftime("%Y%m%d"),
        ]

    def leaks(self, text: str) -> list[str]:
        return [n for n in self.needles() if n and n in text]


@st.composite
def phi(draw: st.DrawFn) -> Phi:
    name_token, mrn_token = draw(token), draw(token)
    name = (
        draw(st.one_of(free_text, st.sampled_from(HOSTILE_FRAGMENTS)))
        + name_token
        + draw(st.one_of(free_text, st.sampled_from(HOSTILE_FRAGMENTS)))
    )
    mrn = (
        draw(st.sampled_from(("MRN-", "", "#", "<b>")))
        + mrn_token
        + draw(st.text("0123456789", max_size=6))
    )
    birth = draw(st.dates(min_value=date(1901, 1, 1), max_value=date(2020, 12, 31)))
    return Phi(name.strip() or name_token, mrn, birth, name_token, mrn_token)


def with_phi(data: dict[str, Any], p: Phi) -> dict[str, Any]:
    """``data`` with the identifiers set (a random case could hold a token only by chance)."""
    assume(not p.leaks(json.dumps(data, ensure_ascii=False)))
    data = json.loads(json.dumps(data))
    patient = data.setdefault("patient", {}) or {}
    data["patient"] = patient
    patient.update(name=p.name, mrn=p.mrn, birth_date=p.birth_date.isoformat())
    return data


# Ways to make a case invalid; several put the identifiers themselves in the wrong place or
# shape, so an error message that quotes the offending value would leak them.
def _wrong_primary(d: dict[str, Any], p: Phi) -> None:
    d.setdefault("cancer", {})["primary"] = "renl"


def _name_as_list(d: dict[str, Any], p: Phi) -> None:
    d["patient"]["name"] = [p.name, p.mrn]


def _mrn_as_mapping(d: dict[str, Any], p: Phi) -> None:
    d["patient"]["mrn"] = {"value": p.mrn, "system": p.name}


def _impossible_birth_date(d: dict[str, Any], p: Phi) -> None:
    d["patient"]["birth_date"] = f"{p.birth_date.year}-13-{p.birth_date.day:02d} {p.name_token}"


def _future_birth_date(d: dict[str, Any], p: Phi) -> None:
    d["patient"]["birth_date"] = date(
        2100, p.birth_date.month, min(p.birth_date.day, 28)
    ).isoformat()


def _misspelt_identifier_key(d: dict[str, Any], p: Phi) -> None:
    d["patient"]["nmae"] = d["patient"].pop("name")


def _identifier_in_a_coded_field(d: dict[str, Any], p: Phi) -> None:
    d.setdefault("cancer", {})["primary"] = p.name


def _identifier_as_a_level(d: dict[str, Any], p: Phi) -> None:
    d["lesions"] = [{"level": p.mrn}]


def _identifier_as_case_id_list(d: dict[str, Any], p: Phi) -> None:
    d["case_id"] = [p.mrn, p.birth_date.isoformat()]


def _identifier_as_an_unknown_section(d: dict[str, Any], p: Phi) -> None:
    d["notes"] = {"who": p.name, "mrn": p.mrn}


#: The identifiers in their own fields, in the wrong shape.
BREAKERS = (
    _wrong_primary,
    _name_as_list,
    _mrn_as_mapping,
    _impossible_birth_date,
    _future_birth_date,
    _misspelt_identifier_key,
)
#: The identifiers pasted into another field (a realistic slip): still identifiers. The loader
#: has the case's own name, MRN and birth date at hand and can keep them out of its messages.
MISPLACED = (
    _identifier_in_a_coded_field,
    _identifier_as_a_level,
    _identifier_as_case_id_list,
    _identifier_as_an_unknown_section,
)


def _issue_text(exc: CaseError) -> str:
    return "\n".join(f"{i.parsable()} {i.path} {i.code}" for i in exc.issues) + "\n" + str(exc)


# --- in-process properties --------------------------------------------------------------------


@API_EXAMPLES
@given(case_dicts(), phi())
def test_valid_case_redacted_reports_and_messages_hold_no_identifiers(
    data: dict[str, Any], p: Phi
) -> None:
    text = to_yaml(with_phi(data, p))
    loaded = api.load_case_text(text, "case.yaml", today=TODAY)
    assert loaded.case.patient.name == p.name  # the identifiers really are in the case
    redacted = api.assess(loaded, redact=True)
    for fmt in FORMATS:
        out = api.render(redacted, fmt)
        assert not p.leaks(out), (fmt, p.leaks(out))
    warnings = "\n".join(f"{w.code} {w.path} {w.message}" for w in redacted.warnings)
    assert not p.leaks(warnings)
    shown = json.loads(api.render(api.assess(loaded), "json"))
    assert shown["patient"]["name"] == p.name and shown["patient"]["mrn"] == p.mrn


@API_EXAMPLES
@given(case_dicts(), phi(), st.sampled_from(BREAKERS))
def test_invalid_case_messages_hold_no_identifiers(
    data: dict[str, Any], p: Phi, breaker: Any
) -> None:
    broken = with_phi(data, p)
    breaker(broken, p)
    text = to_yaml(broken)
    with pytest.raises(CaseError) as info:
        api.load_case_text(text, "case.yaml", today=TODAY)
    assert not p.leaks(_issue_text(info.value)), (
        breaker.__name__,
        p.leaks(_issue_text(info.value)),
    )


@API_EXAMPLES
@given(case_dicts(), phi(), st.sampled_from(MISPLACED))
@example(
    {"schema_version": 1, "case_id": "PASTE"},
    Phi("Zelda QXZJVWKQXZ", "MRN-JJJQQVVVVV12", date(1950, 2, 3), "QXZJVWKQXZ", "JJJQQVVVVV"),
    _identifier_as_a_level,
)
def test_identifiers_pasted_into_another_field_are_not_echoed(
    data: dict[str, Any], p: Phi, breaker: Any
) -> None:
    broken = with_phi(data, p)
    breaker(broken, p)
    with pytest.raises(CaseError) as info:
        api.load_case_text(to_yaml(broken), "case.yaml", today=TODAY)
    text = _issue_text(info.value)
    assert not p.leaks(text), (breaker.__name__, p.leaks(text), text[:300])


@API_EXAMPLES
@given(phi())
def test_identifier_bytes_that_break_the_file_are_not_echoed(p: Phi) -> None:
    """A syntax error on the identifier's own line (unbalanced quote, bad indentation)."""
    lines = [
        "schema_version: 1",
        "case_id: PHI-SYNTAX",
        "patient:",
        f'  name: "{p.name_token} {p.name}',
        f"   mrn: {p.mrn}",
        f"  birth_date: {p.birth_date.isoformat()}",
    ]
    with pytest.raises(CaseError) as info:
        api.load_case_text("\n".join(lines) + "\n", "case.yaml", today=TODAY)
    assert not p.leaks(_issue_text(info.value))


# --- the real command line ----------------------------------------------------------------------


def _check_stderr(result: Any, p: Phi, what: str) -> None:
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, what
    assert not p.leaks(stderr), (what, p.leaks(stderr))


@CLI_EXAMPLES
@given(case_dicts(), phi(), st.sampled_from(BREAKERS))
def test_cli_never_prints_identifiers_on_stderr_and_redacts_every_format(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any], p: Phi, breaker: Any
) -> None:
    tmp = tmp_path_factory.mktemp("phi")
    good = tmp / "good.yaml"
    bad = tmp / "bad.yaml"
    good.write_text(to_yaml(with_phi(data, p)), encoding="utf-8")
    broken = with_phi(data, p)
    breaker(broken, p)
    bad.write_text(to_yaml(broken), encoding="utf-8")

    for fmt in FORMATS:
        result = run_cli("evaluate", good, "--format", fmt, "--redact", cwd=tmp)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        _check_stderr(result, p, f"evaluate {fmt}")
        out = result.stdout.decode("utf-8")
        assert not p.leaks(out), (fmt, p.leaks(out))
    plain = run_cli("evaluate", good, "--format", "json", cwd=tmp)
    _check_stderr(plain, p, "evaluate json (not redacted)")
    assert json.loads(plain.stdout)["patient"]["mrn"] == p.mrn

    for args in (
        ("evaluate", bad, "--format", "json"),
        ("evaluate", bad),
        ("validate", good, bad),
    ):
        result = run_cli(*args, cwd=tmp)
        assert result.returncode == 1, args
        _check_stderr(result, p, " ".join(map(str, args)))
        assert not p.leaks(result.stdout.decode("utf-8", "replace"))

    for fmt in ("markdown", "html"):
        out_file = tmp / f"board.{fmt}"
        result = run_cli(
            "board", good, bad, "--format", fmt, "--output", out_file, "--redact", cwd=tmp
        )
        assert result.returncode == 1, result.stderr.decode("utf-8", "replace")  # bad is invalid
        _check_stderr(result, p, f"board {fmt}")
        board = out_file.read_text(encoding="utf-8")
        assert not p.leaks(board), (fmt, p.leaks(board))

    for fmt in ("jsonl", "csv"):
        out_file = tmp / f"batch.{fmt}"
        redact = ("--redact",) if fmt == "jsonl" else ()
        result = run_cli(
            "batch", good, bad, "--format", fmt, "--output", out_file, *redact, cwd=tmp
        )
        assert result.returncode == 1
        _check_stderr(result, p, f"batch {fmt}")
        written = out_file.read_text(encoding="utf-8")
        assert not p.leaks(written), (fmt, p.leaks(written))


# --- HTML escaping on the board -------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script>\"'><img src=x onerror=alert(1)>&"
SAFE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "section",
    "article", "nav", "div", "span", "p", "h1", "h2", "h3", "h4", "ul", "ol", "li", "table",
    "thead", "tbody", "tr", "th", "td", "code", "strong", "em", "b", "i", "small", "br", "hr",
    "a", "details", "summary", "dl", "dt", "dd", "caption", "abbr", "sup", "sub",
}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _hostile_case() -> str:
    fields = {
        "case_id": f"ID-{HOSTILE}",
        "histology": f"HIST-{HOSTILE}",
        "radiosensitivity_reason": f"WHY-{HOSTILE}",
        "name": f"NAME-{HOSTILE}",
        "mrn": f"MRN-{HOSTILE}",
    }
    data = {
        "schema_version": 1,
        "case_id": fields["case_id"],
        "patient": {"age": 60, "name": fields["name"], "mrn": fields["mrn"]},
        "cancer": {
            "primary": "other",
            "histology": fields["histology"],
            "radiosensitivity": "sensitive",
            "radiosensitivity_reason": fields["radiosensitivity_reason"],
        },
        "lesions": [{"level": "T7", "escc": "2"}],
    }
    return to_yaml(data)


@pytest.mark.parametrize("redact", [False, True], ids=["shown", "redacted"])
def test_board_html_escapes_hostile_text_in_every_free_text_field(
    tmp_path: Path, redact: bool
) -> None:
    case = tmp_path / "hostile.yaml"
    case.write_text(_hostile_case(), encoding="utf-8")
    out = tmp_path / "board.html"
    args: tuple[Any, ...] = ("board", case, "--format", "html", "--output", out)
    result = run_cli(*args, *(("--redact",) if redact else ()), cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    html = out.read_text(encoding="utf-8")
    assert HOSTILE not in html and "<script" not in html.lower() and "<img" not in html.lower()
    parser = _Tags()
    parser.feed(html)
    tags = {tag for tag, _ in parser.tags}
    assert tags <= SAFE_TAGS, tags - SAFE_TAGS
    for tag, attrs in parser.tags:
        for attr, value in attrs:
            assert not attr.startswith("on"), (tag, attr)
            assert "javascript:" not in (value or "").lower(), (tag, attr)
    text = "".join(parser.text)
    shown = ["ID-", "HIST-"] + ([] if redact else ["NAME-", "MRN-"])
    if "WHY-" in text:  # the override's reason, where the board shows it
        shown.append("WHY-")
    for prefix in shown:  # each field is on the page, as text (escaped in the source)
        assert prefix + HOSTILE in text, prefix
        assert (
            escape(prefix + HOSTILE, quote=True) in html
            or escape(prefix + HOSTILE, quote=False) in html
        )
    if redact:
        assert "NAME-" not in text and "MRN-" not in text
