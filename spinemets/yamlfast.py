"""The fast strict parse: a lean walk of libyaml's events that keeps no positions.

It builds the same data as the position-keeping parser (:mod:`spinemets.yamlsrc`) for the
documents that parser accepts without a word, and gives up (returns ``None``) on anything
else: anchors, aliases, tags, non-text or merge keys, duplicate keys, a scalar the dialect
refuses (:func:`~spinemets.yamlscalars.resolve_plain`), the depth and node limits, a second
document, a root that is not a mapping, and every libyaml error. The caller then parses
again with positions, which reports the problem exactly as it always did.
"""

from __future__ import annotations

from typing import Any

import yaml

from spinemets.yamlscalars import PlainYesNo, resolve_plain

_CParser: Any
try:  # pragma: no cover - depends on how PyYAML was built
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - no libyaml: every parse keeps positions
    _CParser = None

_SCALAR = yaml.ScalarEvent
_MAP_START = yaml.MappingStartEvent
_SEQ_START = yaml.SequenceStartEvent
_MAP_END = yaml.MappingEndEvent
_SEQ_END = yaml.SequenceEndEvent
_DOC_START = yaml.DocumentStartEvent
_DOC_END = yaml.DocumentEndEvent
_STREAM_START = yaml.StreamStartEvent
_STREAM_END = yaml.StreamEndEvent

AVAILABLE = _CParser is not None


class _GiveUp(Exception):
    """The document needs the position-keeping parser."""


def walk(
    text: str, *, defer_yes_no: bool, max_depth: int, max_nodes: int
) -> tuple[dict[str, Any], bool] | None:
    """The document's root mapping and whether it holds :class:`PlainYesNo` values, or
    ``None`` when the position-keeping parser must decide."""
    if _CParser is None:  # pragma: no cover
        return None
    parser = _CParser(text)
    try:
        return _walk(parser.get_event, defer_yes_no, max_depth, max_nodes)
    except (_GiveUp, yaml.YAMLError):
        return None
    finally:
        parser.dispose()


def _walk(
    get: Any, defer_yes_no: bool, max_depth: int, max_nodes: int
) -> tuple[dict[str, Any], bool]:
    if get().__class__ is not _STREAM_START or get().__class__ is not _DOC_START:
        raise _GiveUp
    event = get()
    if event.__class__ is not _MAP_START or event.anchor is not None or event.tag is not None:
        raise _GiveUp  # empty document, a scalar or list root, or an anchored / tagged root
    root: dict[str, Any] = {}
    stack: list[Any] = [root]
    top: Any = root
    key: str | None = None  # the pending key of ``top`` when it is a mapping
    nodes = 1
    yes_no = False
    while stack:
        event = get()
        cls = event.__class__
        nodes += 1
        if cls is _SCALAR:
            if event.anchor is not None or event.tag is not None:
                raise _GiveUp
            text = event.value
            if top.__class__ is dict and key is None:
                if text in top or text == "<<":
                    raise _GiveUp
                key = text
                continue
            if event.implicit[0]:
                value, code, _ = resolve_plain(text, defer_yes_no)
                if code is not None:
                    raise _GiveUp
                if value.__class__ is PlainYesNo:
                    yes_no = True
            else:
                value = text
            if key is not None:
                top[key] = value
                key = None
            else:
                top.append(value)
        elif cls is _MAP_START or cls is _SEQ_START:
            if event.anchor is not None or event.tag is not None or len(stack) >= max_depth:
                raise _GiveUp
            child: Any = {} if cls is _MAP_START else []
            if top.__class__ is dict:
                if key is None:
                    raise _GiveUp  # a list or mapping as a key
                top[key] = child
            else:
                top.append(child)
            stack.append(child)
            top = child
            key = None
        elif cls is _MAP_END or cls is _SEQ_END:
            nodes -= 1  # ends are not nodes
            stack.pop()
            if stack:  # the parent's key was used when the child started
                top = stack[-1]
                key = None
        else:
            raise _GiveUp  # an alias, or anything unexpected
        if nodes > max_nodes:
            raise _GiveUp
    if get().__class__ is not _DOC_END or get().__class__ is not _STREAM_END:
        raise _GiveUp  # a second document, or garbage after the first
    return root, yes_no
