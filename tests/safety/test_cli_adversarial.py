"""Hostile case files through the real command line (issue 5 part 3; hazard log HAZ-011..HAZ-013,
HAZ-019).

Each file is fed to ``python -m spinemets evaluate FILE --format json`` in a subprocess. A
hostile file must be refused with exit code 1, at least one ``file:line:col: error:`` line on
stderr that names the problem in words a user can act on, no traceback, and nothing on stdout
(a partial report is worse than none). A UTF-8 byte-order mark with CRLF line ends is an
ordinary Windows file and must be accepted (exit 0, a JSON report on stdout).

The subprocess timeout is generous; what is proved is that the run ends with the right outcome,
not how fast (bounded work comes from the parser's size, depth and node limits).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .support import ERROR_LINE, run_cli

HEADER = "schema_version: 1\ncase_id: ADV-1\n"

VALID_BODY = """\
patient:
  age: 64
  sex: male
cancer:
  primary: renal
lesions:
  - level: T12
    pain: mechanical
    bone_lesion: lytic
    alignment: normal
    collapse: lt50
    posterolateral: unilateral
    escc: "1b"
neurology:
  frankel: E
  ambulatory: independent
performance:
  kps: 70
"""


def _billion_laughs() -> bytes:
    """Nine levels of ten-fold aliases: 10**9 scalars if expanded."""
    lines = [HEADER.rstrip("\n"), 'lol0: &l0 "lol"']
    for n in range(1, 10):
        refs = ", ".join([f"*l{n - 1}"] * 10)
        lines.append(f"lol{n}: &l{n} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


def _sparse_100mb(path: Path) -> None:
    with path.open("wb") as handle:
        handle.seek(100 * 1024 * 1024 - 1)
        handle.write(b"\n")


DEPTH = 10_000


@dataclass(frozen=True)
class Hostile:
    """A hostile file, what its error must mention, and where it should point."""

    id: str
    content: bytes | Callable[[Path], None]
    mentions: str  # regex (case-insensitive) the error message must match

    def write(self, path: Path) -> None:
        if callable(self.content):
            self.content(path)
        else:
            path.write_bytes(self.content)


HOSTILE: tuple[Hostile, ...] = (
    Hostile("alias_bomb", _billion_laughs(), r"alias|expand"),
    Hostile("file_100mb_sparse", _sparse_100mb, r"bytes|limit|large"),
    Hostile(
        "nesting_10000_block_sequence",
        (HEADER + "lesions:\n  " + "- " * DEPTH + "x\n").encode(),
        r"nest|deep|depth",
    ),
    Hostile(
        "nesting_10000_block_mapping",
        # one key per line, one more space of indentation each time (about 50 MB would be too
        # much for the test itself, so the deepest block mapping that fits 1 MiB is used, then
        # continued in flow style to reach 10,000 levels)
        (
            HEADER
            + "".join(f"{' ' * i}k{i}:\n" for i in range(1000))
            + " " * 1000
            + "{a: " * (DEPTH - 1000)
            + "1"
            + "}" * (DEPTH - 1000)
            + "\n"
        ).encode(),
        r"nest|deep|depth|bytes",
    ),
    Hostile(
        "nesting_10000_flow_sequence",
        (HEADER + "lesions: " + "[" * DEPTH + "]" * DEPTH + "\n").encode(),
        r"nest|deep|depth",
    ),
    Hostile(
        "nesting_10000_flow_mapping",
        (HEADER + "lesions: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n").encode(),
        r"nest|deep|depth",
    ),
    Hostile(
        "string_10mb",
        (HEADER + "cancer:\n  histology: " + "A" * (10 * 1024 * 1024) + "\n").encode(),
        r"bytes|limit|large|long",
    ),
    Hostile(
        "string_10mb_quoted",
        (HEADER + 'case_note: "' + "\u00e9" * (5 * 1024 * 1024) + '"\n').encode(),
        r"bytes|limit|large|long",
    ),
    Hostile(
        "invalid_utf8",
        HEADER.encode() + b"cancer:\n  histology: \xff\xfe\xc3\x28 clear cell\n",
        r"UTF-8",
    ),
    Hostile(
        "overlong_utf8_encoding",
        HEADER.encode() + b"cancer:\n  histology: \xc0\xbcscript\xc0\xbe\n",
        r"UTF-8",
    ),
    Hostile("binary_garbage", random.Random(20260101).randbytes(64 * 1024), r"UTF-8|binary|text"),
    Hostile(
        "nul_bytes",
        HEADER.encode() + b"cancer:\n  histology: a\x00b\n",
        r"control|NUL|character|UTF|binary",
    ),
    Hostile(
        "utf16_file", ("\ufeff" + HEADER).encode("utf-16-le"), r"UTF-8|UTF-16|binary|text|encod"
    ),
    Hostile("tab_indentation", (HEADER + "patient:\n\tage: 60\n").encode(), r"tab"),
    Hostile(
        "cyrillic_te_in_level",
        (HEADER + "lesions:\n  - level: \u042212\n").encode(),
        r"non-ASCII|Cyrillic|Latin",
    ),
    Hostile(
        "greek_omicron_in_level",
        (HEADER + "lesions:\n  - level: T1\u039f-T12\n").encode(),
        r"non-ASCII|Greek|Latin|level",
    ),
    Hostile(
        "fullwidth_digits_in_level",
        (HEADER + "lesions:\n  - level: T\uff11\uff12\n").encode(),
        r"non-ASCII|FULLWIDTH|Latin|level",
    ),
    Hostile(
        "multiple_documents",
        ("---\n" + HEADER + "---\nschema_version: 1\ncase_id: ADV-2\n").encode(),
        r"document",
    ),
    Hostile("list_root", b"- schema_version: 1\n  case_id: ADV-1\n", r"list|mapping"),
    Hostile("scalar_root", b"just some text\n", r"mapping"),
    Hostile("empty_file", b"", r"empty|mapping|schema_version|case_id"),
)

#: Tags that would run code under an unsafe loader. {marker} is replaced by the marker path.
PYTHON_TAGS: tuple[tuple[str, str], ...] = (
    (
        "apply_os_system_value",
        HEADER + 'cancer:\n  histology: !!python/object/apply:os.system ["touch {marker}"]\n',
    ),
    ("apply_os_system_root", '!!python/object/apply:os.system ["touch {marker}"]\n'),
    (
        "apply_subprocess_in_list",
        HEADER
        + 'lesions:\n  - !!python/object/apply:subprocess.check_call [["touch", "{marker}"]]\n',
    ),
    ("new_os_system", HEADER + 'case_id2: !!python/object/new:os.system ["touch {marker}"]\n'),
    ("python_name", HEADER + "cancer:\n  primary: !!python/name:os.system\n"),
    ("python_object", HEADER + "patient: !!python/object:builtins.dict {}\n"),
    ("local_tag", HEADER + 'case_id: !shell "touch {marker}"\n'),
)


def _assert_refused(
    result_stderr: bytes, result_stdout: bytes, path: Path, mentions: str
) -> list[str]:
    stderr = result_stderr.decode("utf-8", errors="replace")
    assert "Traceback" not in stderr, stderr[-2000:]
    assert "internal error" not in stderr, stderr[-2000:]
    assert result_stdout == b"", "a refused case must print nothing on stdout"
    errors = list(ERROR_LINE.finditer(stderr))
    assert errors, f"no file:line:col: error: line on stderr:\n{stderr[:2000]}"
    for match in errors:
        assert Path(match["file"]).name == path.name
        assert int(match["line"]) >= 1 and int(match["col"]) >= 1
    messages = " | ".join(m["message"] for m in errors)
    assert re.search(mentions, messages, re.IGNORECASE), messages[:2000]
    return [m["message"] for m in errors]


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_hostile_file_is_refused_with_a_located_message(hostile: Hostile, tmp_path: Path) -> None:
    path = tmp_path / f"{hostile.id}.yaml"
    hostile.write(path)
    result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")[-2000:]
    _assert_refused(result.stderr, result.stdout, path, hostile.mentions)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_hostile_file_error_points_at_an_existing_line(hostile: Hostile, tmp_path: Path) -> None:
    """Every located error names a line the file really has (editors jump there)."""
    path = tmp_path / f"{hostile.id}.yaml"
    hostile.write(path)
    result = run_cli("validate", path, "--format", "parsable", cwd=tmp_path)
    assert result.returncode == 1
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    with path.open("rb") as handle:
        head = handle.read(2 * 1024 * 1024)
    lines = max(1, head.count(b"\n") + (0 if head.endswith(b"\n") else 1))
    if path.stat().st_size > len(head):
        lines = 10**9  # not worth counting: the 100 MB file holds a single newline anyway
    for match in ERROR_LINE.finditer(stderr):
        assert 1 <= int(match["line"]) <= lines, match.group(0)[:300]


@pytest.mark.parametrize(("name", "template"), PYTHON_TAGS, ids=[n for n, _ in PYTHON_TAGS])
def test_python_tags_construct_nothing(name: str, template: str, tmp_path: Path) -> None:
    marker = tmp_path / f"MARKER-{name}"
    path = tmp_path / f"{name}.yaml"
    path.write_text(template.replace("{marker}", str(marker)), encoding="utf-8")
    result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    messages = _assert_refused(result.stderr, result.stdout, path, r"tag")
    assert not marker.exists(), "a YAML tag ran a command"
    assert list(tmp_path.iterdir()) == [path], "the run left files behind"
    assert any("not allowed" in m or "tag" in m for m in messages)


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    text = (HEADER + VALID_BODY).replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    report = json.loads(result.stdout)
    assert report["case_id"] == "ADV-1"  # no BOM glued to the first key or value
    assert report["lesions"][0]["level"] == "T12"
    sins = report["lesions"][0]["scores"]["sins"]
    # SINS for T12 junctional 3 + mechanical 3 + lytic 2 + normal 0 + <50% collapse 2 +
    # unilateral 1 = 11 (clinical-reference §1.2); a CR left in a value would break a coded item.
    assert (sins["status"], sins["total"]) == ("complete", 11)


def test_crlf_without_bom_matches_lf(tmp_path: Path) -> None:
    """Line ends never change the clinical content of a report."""
    lf = tmp_path / "lf.yaml"
    crlf = tmp_path / "crlf.yaml"
    lf.write_bytes((HEADER + VALID_BODY).encode())
    crlf.write_bytes((HEADER + VALID_BODY).replace("\n", "\r\n").encode())
    reports = []
    for path in (lf, crlf):
        result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        report = json.loads(result.stdout)
        report.pop("provenance")  # the input digest differs by design
        reports.append(report)
    assert reports[0] == reports[1]


YAML11_SURPRISES: tuple[tuple[str, str, str], ...] = (
    ("sexagesimal", "neurology:\n  motor_deficit_days: 1:20\n", r"sexagesimal|base-60"),
    ("octal_looking", "performance:\n  kps: 070\n", r"octal"),
    ("hexadecimal", "performance:\n  kps: 0x46\n", r"hex"),
    ("yes_as_bool", "cancer:\n  histology: yes\n", r"yes|boolean"),  # yes/no: boolean fields only
    ("on_as_bool", "neurology:\n  myelopathy: on\n", r"on|boolean"),
    ("nan", "labs:\n  egfr: .nan\n", r"nan|number"),
    ("infinity", "labs:\n  egfr: .inf\n", r"inf|number"),
    ("underscore_number", "disease:\n  extraspinal_bone_metastases: 1_0\n", r"underscore|number|_"),
    ("duplicate_key", "performance:\n  kps: 70\n  kps: 40\n", r"duplicate"),
    ("duplicate_top_level_key", "case_id: ADV-2\n", r"duplicate"),
    ("merge_key", "base: &b {kps: 70}\nperformance:\n  <<: *b\n", r"merge|<<"),
)


@pytest.mark.parametrize(
    ("name", "body", "mentions"), YAML11_SURPRISES, ids=[n for n, _, _ in YAML11_SURPRISES]
)
def test_yaml11_coercions_and_duplicate_keys_are_errors(
    name: str, body: str, mentions: str, tmp_path: Path
) -> None:
    """YAML 1.1 would silently turn these into other values (case-format.md, last decision)."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stdout.decode("utf-8", "replace")[:500]
    _assert_refused(result.stderr, result.stdout, path, mentions)


# --- the file system as an adversary (HAZ-031, HAZ-032) -----------------------------------------

#: Commands reading case files, given the hostile path as CASE or inside a FOLDER.
READERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evaluate", ("evaluate", "CASE", "--format", "json")),
    ("validate", ("validate", "CASE", "--format", "parsable")),
    ("batch", ("batch", "FOLDER")),
    ("check", ("check", "FOLDER")),
    ("board", ("board", "FOLDER", "--output", "OUT")),
    ("batch_given", ("batch", "CASE")),
)


@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
@pytest.mark.parametrize(("name", "argv"), READERS, ids=[n for n, _ in READERS])
def test_non_regular_input_is_refused_without_blocking(
    kind: str, name: str, argv: tuple[str, ...], tmp_path: Path
) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "good.yaml").write_text(HEADER + VALID_BODY, encoding="utf-8")
    if kind == "fifo":
        hostile = folder / "hostile.yaml"
        os.mkfifo(hostile)
        extra: list[str] = []
    else:
        hostile = Path("/dev/zero")
        extra = [str(hostile)] if "FOLDER" in argv else []
    swap = {"CASE": str(hostile), "FOLDER": str(folder), "OUT": str(tmp_path / "board.md")}
    args = [swap.get(a, a) for a in argv] + extra
    result = run_cli(*args, cwd=tmp_path)  # it ends: a hang would fail on the subprocess timeout
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert "not a regular file" in stderr, stderr
    assert ("named pipe" if kind == "fifo" else "character device") in stderr


WRITERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("evaluate", ("evaluate", "{case}", "--format", "json", "--output", "{out}")),
    ("batch", ("batch", "{case}", "--output", "{out}")),
    ("batch_dictionary", ("batch", "{case}", "--format", "csv", "--dictionary", "{out}")),
    ("board", ("board", "{case}", "--output", "{out}")),
    ("check_junit", ("check", "{case}", "--junit", "{out}")),
    ("new", ("new", "{out}", "--force")),
)


#: (command, target): ``new`` has no input, so only the device applies to it.
WRITE_CASES = [
    (name, argv, target)
    for name, argv in WRITERS
    for target in ("the_input", "a_hard_link_to_the_input", "dev_null")
    if name != "new" or target == "dev_null"
]


@pytest.mark.parametrize(
    ("name", "argv", "target"), WRITE_CASES, ids=[f"{n}-{t}" for n, _, t in WRITE_CASES]
)
def test_output_onto_an_input_or_a_device_is_refused(
    name: str, argv: tuple[str, ...], target: str, tmp_path: Path
) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(HEADER + VALID_BODY, encoding="utf-8")
    before = case.read_bytes()
    if target == "the_input":
        out = case
    elif target == "a_hard_link_to_the_input":
        out = tmp_path / "report.json"
        os.link(case, out)
    else:
        out = Path("/dev/null")
    args = [a.replace("{case}", str(case)).replace("{out}", str(out)) for a in argv]
    result = run_cli(*args, cwd=tmp_path)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert ("character device" if target == "dev_null" else "same file as the input") in stderr
    assert case.read_bytes() == before
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_identifier_refused_by_the_parser_never_reaches_stderr(tmp_path: Path) -> None:
    path = tmp_path / "mrn.yaml"
    path.write_text(HEADER + "patient:\n  mrn: 0012345678\n  0012345678: x\n", encoding="utf-8")
    result = run_cli("evaluate", path, "--format", "json", cwd=tmp_path)
    messages = _assert_refused(result.stderr, result.stdout, path, r"octal|unknown field")
    assert all("0012345678" not in m for m in messages)
    assert b"0012345678" not in result.stderr
