"""One safe YAML parse that keeps source positions.

The parser walks libyaml's event stream (C loader where available) and builds plain Python
data itself, so nothing is ever constructed from a tag and every value has a position. It
enforces the case-file dialect (YAML 1.2 core, strictly):

* only plain decimal numbers, ``true``/``false`` and ``null``/``~`` are typed; everything else
  is a string. YAML 1.1 surprises (``yes``/``no``/``on``/``off``, sexagesimal ``1:20``,
  leading-zero ``0100``, ``0x1F``, ``1_000``, ``.nan``/``.inf``) are errors, not values; with
  ``defer_yes_no`` a plain ``yes``/``no`` is handed on as :class:`PlainYesNo` text instead, for
  the case model to accept in boolean fields (see :func:`plain_yes_no_paths`);
* duplicate keys, merge keys (``<<``), non-scalar keys, recursive or undefined aliases and
  tags other than the standard scalar ones are errors;
* limits: file size, nesting depth and the number of nodes after alias expansion (so a
  "billion laughs" document costs bounded work and memory);
* exactly one document whose root is a mapping.

All problems found are returned together as ``Issue`` records; the parse stops early only
where the event stream itself breaks.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from spinemets import yamlfast as fastwalk
from spinemets.errors import Issue
from spinemets.yamlscalars import MAX_NUMBER_CHARS, PlainYesNo, resolve_plain, yes_no_message

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_NUMBER_CHARS",
    "ParseResult",
    "Path",
    "PlainYesNo",
    "SourceMap",
    "Span",
    "decode",
    "format_path",
    "parse_bytes",
    "parse_text",
    "plain_yes_no_paths",
    "yes_no_message",
]

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: The pure-Python event parser: no nesting limit of its own (used when libyaml's stops a
#: document, so the depth check below reports it exactly as it would without that limit).
_PyLoader = yaml.SafeLoader

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 100_000

Path = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:map": "map",
    "tag:yaml.org,2002:seq": "seq",
    "!": "str",  # the non-specific tag of quoted scalars
}

#: Line breaks as libyaml counts them.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def plain_yes_no_paths(data: Any, path: Path = ()) -> list[tuple[Path, PlainYesNo]]:
    """Every :class:`PlainYesNo` value in parsed ``data``, with its path, in document order."""
    if isinstance(data, PlainYesNo):
        return [(path, data)]
    found: list[tuple[Path, PlainYesNo]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += plain_yes_no_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += plain_yes_no_paths(value, (*path, index))
    return found


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based position in a source file."""

    line: int
    col: int


class SourceMap:
    """Where each value (and each mapping key) of a parsed document starts.

    A document read by the fast walk gets its positions on first use (by parsing its text
    again with positions), so only a case that is reported on pays for them."""

    __slots__ = ("_keys", "_pending", "_values", "file")

    def __init__(
        self,
        file: str,
        values: dict[Path, Span] | None = None,
        keys: dict[Path, Span] | None = None,
    ) -> None:
        self.file = file
        self._values: dict[Path, Span] = values if values is not None else {}
        self._keys: dict[Path, Span] = keys if keys is not None else {}
        self._pending: tuple[str, bool] | None = None

    @classmethod
    def deferred(cls, file: str, text: str, defer_yes_no: bool) -> SourceMap:
        """The source map of ``text``, a document the fast walk accepted, built when needed."""
        source = cls(file)
        source._pending = (text, defer_yes_no)
        return source

    def _fill(self) -> None:
        if self._pending is None:
            return
        text, defer_yes_no = self._pending
        self._pending = None
        parser = _Parser(self.file, defer_yes_no=defer_yes_no)
        parser.run(text)  # cannot stop: the fast walk accepted this text
        self._values, self._keys = parser.source._values, parser.source._keys

    @property
    def values(self) -> dict[Path, Span]:
        """Start of each value, by path."""
        self._fill()
        return self._values

    @property
    def keys(self) -> dict[Path, Span]:
        """Start of each mapping key, by the path of its value."""
        self._fill()
        return self._keys

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceMap):
            return NotImplemented
        return (self.file, self.values, self.keys) == (other.file, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"SourceMap(file={self.file!r}, values={self.values!r}, keys={self.keys!r})"

    def locate(self, path: Path, *, key: bool = False) -> Span:
        """The span of ``path``, or of its nearest located ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if key and probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
            table = self.values
        return self.values.get((), Span(1, 1))

    def issue(
        self,
        path: Path,
        message: str,
        *,
        key: bool = False,
        code: str = "invalid",
        severity: str = "error",
    ) -> Issue:
        """An issue at ``path`` (at the key itself when ``key`` is true)."""
        span = self.locate(path, key=key)
        return Issue(
            file=self.file,
            line=span.line,
            col=span.col,
            path=format_path(path),
            message=message,
            code=code,
            severity="warning" if severity == "warning" else "error",
        )


def format_path(path: Path) -> str:
    """``("lesions", 0, "pain")`` → ``lesions[0].pain``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(slots=True)
class ParseResult:
    """Parsed data (``None`` when the document is unusable) with its source map and issues."""

    data: dict[str, Any] | None
    source: SourceMap
    issues: list[Issue]
    #: Whether ``data`` holds :class:`PlainYesNo` values (see :func:`plain_yes_no_paths`).
    has_yes_no: bool = False


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "first_keys",
        "key",
        "key_span",
        "path",
        "rejected",
        "weight_before",
    )

    def __init__(
        self, container: dict[str, Any] | list[Any], path: Path, anchor: str | None
    ) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key: str | None = None
        self.key_span: Span | None = None
        self.weight_before = 0
        self.first_keys: dict[str, Span] = {}
        self.rejected = False


class _Stop(Exception):
    """The event stream cannot be followed further."""


class _NestingLimit(Exception):
    """libyaml refused the document for its own nesting limit (PyYAML 6.0.3 and later)."""

    def __init__(self, span: Span) -> None:
        super().__init__(span)
        self.span = span


#: libyaml's wording when its own nesting limit (1,000 levels) stops the scanner or parser.
_LIBYAML_NESTING = "maximum nesting depth"


def _span(mark: Any) -> Span:
    return Span(mark.line + 1, mark.column + 1)


def _offset_to_span(text: bytes, offset: int) -> Span:
    line = text.count(b"\n", 0, offset) + 1
    col = offset - (text.rfind(b"\n", 0, offset) + 1) + 1
    return Span(line, col)


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> tuple[Span, str]:
    """Locate a character the YAML reader refuses (control characters and the like)."""
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    offset = text.find(char)
    if offset < 0:  # pragma: no cover - the reader found it in this text
        offset = 0
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    code = f"U+{ord(char[:1] or chr(0)):04X}"
    name = unicodedata.name(char[:1] or chr(0), "control character")
    return Span(line, col), f"the character {code} ({name}) is not allowed in a case file"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def decode(raw: bytes, file: str) -> tuple[str | None, list[Issue]]:
    """Check size and encoding; strip a UTF-8 byte-order mark."""
    if len(raw) > MAX_BYTES:
        msg = f"file is {len(raw):,} bytes; case files are limited to {MAX_BYTES:,} bytes (1 MiB)"
        return None, [Issue(file, 1, 1, "", msg, code="too_large")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        span = _offset_to_span(raw, exc.start)
        msg = f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        return None, [Issue(file, span.line, span.col, "", msg, code="encoding")]
    if "\x00" in text:
        span = _offset_to_span(raw, raw.index(b"\x00"))
        return None, [
            Issue(
                file,
                span.line,
                span.col,
                "",
                "binary data (NUL byte) in a text file",
                code="encoding",
            )
        ]
    return text, []


#: Set to ``0`` to parse every document with positions (the fast walk is never used).
FAST_PARSE_ENV = "SPINEMETS_FAST_PARSE"


def fast_parse_enabled() -> bool:
    """Whether the fast walk is tried first (``SPINEMETS_FAST_PARSE=0`` turns it off)."""
    return fastwalk.AVAILABLE and os.environ.get(FAST_PARSE_ENV, "1") != "0"


def parse_bytes(
    raw: bytes, file: str, *, defer_yes_no: bool = False, fast: bool | None = None
) -> ParseResult:
    """Decode and parse ``raw``; see :func:`parse_text`."""
    text, issues = decode(raw, file)
    if text is None:
        return ParseResult(None, SourceMap(file), issues)
    return parse_text(text, file, defer_yes_no=defer_yes_no, fast=fast)


def parse_text(
    text: str, file: str, *, defer_yes_no: bool = False, fast: bool | None = None
) -> ParseResult:
    """Parse one YAML document whose root must be a mapping.

    A plain ``yes``/``no`` is an error, or with ``defer_yes_no`` a :class:`PlainYesNo` value
    left for the caller's model to accept or refuse. The fast walk (no positions) is tried
    first unless ``fast`` is false (default: :func:`fast_parse_enabled`); anything it does not
    accept is parsed with positions, so the result is the same either way."""
    if fast if fast is not None else fast_parse_enabled():
        walked = fastwalk.walk(
            text, defer_yes_no=defer_yes_no, max_depth=MAX_DEPTH, max_nodes=MAX_NODES
        )
        if walked is not None:
            data, has_yes_no = walked
            source = SourceMap.deferred(file, text, defer_yes_no)
            return ParseResult(data, source, [], has_yes_no)
    parser = _Parser(file, defer_yes_no=defer_yes_no)
    try:
        parser.run(text)
    except _Stop:
        return ParseResult(None, parser.source, parser.issues)
    except _NestingLimit as limit:
        return _reparse_deep(text, file, limit.span, defer_yes_no)
    root = parser.root
    if parser.issues and any(i.severity == "error" for i in parser.issues) and root is None:
        return ParseResult(None, parser.source, parser.issues)
    if root is None:
        parser.issues.append(
            Issue(
                file,
                1,
                1,
                "",
                "empty document: expected a mapping with schema_version and case_id",
                code="empty",
            )
        )
        return ParseResult(None, parser.source, parser.issues)
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else f"a {type(root).__name__} value"
        span = parser.source.values.get((), Span(1, 1))
        parser.issues.append(
            Issue(
                file,
                span.line,
                span.col,
                "",
                f"the document is {kind}; a case file must be a mapping (key: value)",
                code="root",
            )
        )
        return ParseResult(None, parser.source, parser.issues)
    return ParseResult(root, parser.source, parser.issues, parser.has_yes_no)


def _reparse_deep(text: str, file: str, libyaml_span: Span, defer_yes_no: bool) -> ParseResult:
    """libyaml stopped at its own nesting limit, possibly while scanning ahead of the events
    (flow collections). Walk the same document with the pure-Python parser, which has no such
    limit, so that the depth check reports the first collection beyond :data:`MAX_DEPTH`
    where it starts, whichever PyYAML is installed."""
    parser = _Parser(file, loader=_PyLoader, defer_yes_no=defer_yes_no)
    try:
        parser.run(text)
    except _Stop:
        return ParseResult(None, parser.source, parser.issues)
    # Only if MAX_DEPTH were raised beyond libyaml's limit: the limit is still never reported
    # as a syntax error, nor the document as valid.
    issue = Issue(
        file,
        libyaml_span.line,
        libyaml_span.col,
        "",
        f"nesting deeper than {MAX_DEPTH} levels",
        code="too_deep",
    )
    return ParseResult(None, parser.source, [issue])


class _Parser:
    def __init__(self, file: str, loader: Any = None, *, defer_yes_no: bool = False) -> None:
        self.file = file
        self.loader = loader or _Loader
        self.defer_yes_no = defer_yes_no
        self.has_yes_no = False
        self.source = SourceMap(file)
        self.issues: list[Issue] = []
        self.root: Any = None
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.weight = 0
        self.documents = 0
        self.lines: list[str] = [""]

    def _pos(self, mark: Any) -> Span:
        """A libyaml mark as a span on an existing line (end-of-input marks sit past the last
        line; they are moved to the end of the last line)."""
        span = _span(mark)
        if span.line <= len(self.lines):
            return span
        last = len(self.lines)
        return Span(last, len(self.lines[-1]) + 1)

    # -- helpers -----------------------------------------------------------------------------
    def _error(self, span: Span, path: Path, message: str, code: str) -> None:
        self.issues.append(
            Issue(self.file, span.line, span.col, format_path(path), message, code=code)
        )

    def _fatal(self, span: Span, path: Path, message: str, code: str) -> None:
        self._error(span, path, message, code)
        raise _Stop

    def _count(self, n: int, span: Span, path: Path) -> None:
        self.weight += n
        if self.weight > MAX_NODES:
            self._fatal(
                span,
                path,
                f"document expands to more than {MAX_NODES:,} nodes (alias expansion?); "
                "case files are small",
                "too_many_nodes",
            )

    def _child_path(self) -> Path:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return (*top.path, top.key if top.key is not None else "?")

    # -- events ------------------------------------------------------------------------------
    def run(self, text: str) -> None:
        self.lines = _LINE_BREAK.split(text)
        if len(self.lines) > 1 and self.lines[-1] == "":
            self.lines.pop()  # a final line break ends the last line, it starts none
        loader = self.loader(text)
        try:
            while loader.check_event():
                self._event(loader.get_event())
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            span = self._pos(mark) if mark is not None else Span(1, 1)
            problem = exc.problem or exc.context or "invalid YAML"
            if _LIBYAML_NESTING in problem:
                raise _NestingLimit(span) from None
            if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
                problem = "a tab character cannot be used for indentation; use spaces"
            self._fatal(span, (), f"YAML syntax error: {problem}", "syntax")
        except yaml.reader.ReaderError as exc:
            where, problem = _reader_problem(text, exc)
            self._fatal(where, (), problem, "syntax")
        except yaml.YAMLError as exc:  # pragma: no cover - every libyaml error carries a mark
            self._fatal(Span(1, 1), (), f"YAML error: {exc}", "syntax")
        finally:
            loader.dispose()

    def _event(self, event: Any) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._fatal(
                    self._pos(event.start_mark),
                    (),
                    "more than one YAML document (---); a case file holds one case",
                    "multi_document",
                )
            return
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._start(event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._end()
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)

    def _check_tag(self, tag: str | None, span: Span, path: Path, kind: str) -> bool:
        if tag is None:
            return True
        std = _STANDARD_TAGS.get(tag)
        if std is None or (kind == "collection") != (std in ("map", "seq")):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            self._error(
                span,
                path,
                f"tag {shown} is not allowed; write plain values (tags construct nothing here)",
                "tag",
            )
            return False
        return True

    def _start(self, event: Any) -> None:
        span = self._pos(event.start_mark)
        path = self._child_path()
        if len(self.stack) >= MAX_DEPTH:
            self._fatal(span, path, f"nesting deeper than {MAX_DEPTH} levels", "too_deep")
        tag_ok = self._check_tag(event.tag, span, path, "collection")
        if self.stack and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None:
            self._fatal(
                span, path, "mapping keys must be plain text, not lists or mappings", "complex_key"
            )
        container: dict[str, Any] | list[Any] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        self._count(1, span, path)
        self.source._values[path] = span
        frame = _Frame(container, path, event.anchor)
        frame.weight_before = self.weight - 1
        frame.rejected = not tag_ok  # a refused tag yields no value (the issue says why)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)

    def _end(self) -> None:
        frame = self.stack.pop()
        value = None if frame.rejected else frame.container
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (value, self.weight - frame.weight_before)
        self._attach(value, frame.path)

    def _alias(self, event: Any) -> None:
        span = self._pos(event.start_mark)
        path = self._child_path()
        name = event.anchor
        if name in self.open_anchors:
            self._fatal(
                span, path, f"alias *{name} refers to itself (recursive structure)", "alias"
            )
        if name not in self.anchors:
            self._fatal(span, path, f"alias *{name} has no anchor &{name} before it", "alias")
        value, weight = self.anchors[name]
        self._count(weight, span, path)
        self._value(value, span, path, key_text=str(value) if isinstance(value, str) else None)

    def _scalar(self, event: Any) -> None:
        span = self._pos(event.start_mark)
        path = self._child_path()
        self._count(1, span, path)
        is_key = (
            bool(self.stack)
            and isinstance(self.stack[-1].container, dict)
            and self.stack[-1].key is None
        )
        ok = self._check_tag(event.tag, span, path, "scalar")
        plain = event.tag is None and bool(event.implicit[0])
        if is_key:
            value: Any = event.value
        elif not ok:
            value = None
        elif event.tag is not None and event.tag != "!":
            value = self._tagged(event.value, _STANDARD_TAGS[event.tag], span, path)
        else:
            value = self._resolve(event.value, span, path) if plain else event.value
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        self._value(value, span, path, key_text=event.value if is_key else None)

    def _value(self, value: Any, span: Span, path: Path, key_text: str | None) -> None:
        if not self.stack:
            self.source._values[()] = span
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.container, dict) and top.key is None:
            if not isinstance(value, str) and key_text is None:
                self._fatal(span, path, "mapping keys must be plain text", "complex_key")
            key = key_text if key_text is not None else str(value)
            key_path = (*top.path, key)
            if key == "<<":
                self._error(
                    span,
                    key_path,
                    "merge keys (<<) are not supported; write the fields out",
                    "merge_key",
                )
            if key in top.first_keys:
                first = top.first_keys[key]
                self._error(
                    span,
                    key_path,
                    f"duplicate key '{key}' (first defined at line {first.line})",
                    "duplicate_key",
                )
            else:
                top.first_keys[key] = span
            top.key = key
            top.key_span = span
            self.source._keys[key_path] = span
            return
        self.source._values[path] = span
        self._attach(value, path)

    def _attach(self, value: Any, path: Path) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        key = top.key
        assert key is not None
        if key not in top.container:
            top.container[key] = value
        top.key = None

    # -- scalar resolution -------------------------------------------------------------------
    def _resolve(self, text: str, span: Span, path: Path) -> Any:
        value, code, message = resolve_plain(text, self.defer_yes_no)
        if code is not None:
            self._error(span, path, message or code, code)
        elif value.__class__ is PlainYesNo:
            self.has_yes_no = True
        return value

    def _tagged(self, text: str, kind: str, span: Span, path: Path) -> Any:
        if kind == "str":
            return text
        value = self._resolve(text, span, path)
        if isinstance(value, PlainYesNo):  # !!bool yes: a tag does not make it a boolean
            self._error(span, path, yes_no_message(text), "yaml11_bool")
            return None
        types: dict[str, type | tuple[type, ...]] = {
            "int": int,
            "float": (int, float),
            "bool": bool,
            "null": type(None),
        }
        expected = types[kind]
        if (isinstance(value, bool) and kind != "bool") or not isinstance(value, expected):
            self._error(span, path, f"'{text}' is not a valid !!{kind}", "tag")
            return None
        return float(text) if kind == "float" else value
