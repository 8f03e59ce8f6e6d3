"""Safe YAML reading: text in, a node tree with line/column marks out.

We never *construct* Python objects from YAML. We compose the node graph with ruamel.yaml
(YAML 1.2: ``no``/``yes``/``on`` are text, not booleans) and let :mod:`.convert` interpret
each scalar by the type the model expects there. That keeps every value's position, lets us
refuse anchors and aliases before they can expand into a "billion laughs", and means no tag
can ever instantiate arbitrary objects.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from ..errors import ContentError, Diagnostic

#: Content files are a few dozen KB; anything much larger is a mistake or an attack.
MAX_BYTES = 512 * 1024
#: Lists and mappings inside each other, counting the file's top-level mapping. A condition
#: file needs six; deeper nesting is refused before the file is composed (deep enough
#: nesting would otherwise exhaust the parser's stack).
MAX_DEPTH = 64

#: Characters no text may hold: C0 controls other than tab, line feed and carriage return
#: (part of a Windows line break), DEL, C1 controls (U+0085 included), the line and
#: paragraph separators (YAML readers disagree on whether they break lines), surrogates and
#: Unicode noncharacters.
_NONCHARACTERS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}-{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
#: The body of a regular-expression character class of those characters (shared with the
#: stricter class :mod:`.convert` applies to values, which adds the carriage return).
FORBIDDEN_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS
#: Those characters, and a carriage return that is not part of a Windows line break (YAML
#: reads it as a line break, editors as nothing: every later position would be off).
FORBIDDEN = re.compile(f"[{FORBIDDEN_CLASS}]|\r(?!\n)")

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

__all__ = ["FORBIDDEN", "FORBIDDEN_CLASS", "MAX_BYTES", "MAX_DEPTH", "MappingNode", "Node", "ScalarNode", "SequenceNode", "compose", "describe_char", "position"]


def _yaml() -> YAML:
    # ruamel.yaml.clib (a declared dependency) gives the fast C composer; without it ruamel
    # falls back to its pure-Python one. Both give YAML 1.2 tags and line/column marks.
    return YAML(typ="safe")


def _diag(path: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, "error", message)


def position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of ``text[index]``, counting lines by line feeds, as editors do."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def describe_char(char: str) -> str:
    """``U+0000 (a control character)``: how an error names a refused character."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "a lone surrogate, not a character"
    elif 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        kind = "a noncharacter"
    elif code in (0x2028, 0x2029):
        kind = "a line or paragraph separator; use an ordinary line break"
    elif code == 0x0D:
        kind = "a carriage return without a line feed; save the file with ordinary line breaks"
    else:
        kind = "a control character"
    return f"U+{code:04X} ({kind})"


def _forbidden_characters(text: str, path: str) -> list[Diagnostic]:
    """Every refused character, where an editor shows it (at most 20)."""
    found = []
    for match in FORBIDDEN.finditer(text):
        line, column = position(text, match.start())
        found.append(_diag(path, line, column, f"{describe_char(match.group())} is not allowed in a content file; delete it"))
        if len(found) == 20:
            break
    return found


def _syntax_error(exc: MarkedYAMLError, text: str, path: str, opener: Any = None) -> Diagnostic:
    """Place a syntax error where the author can fix it.

    A bracket or quote left open is only noticed where the file ends (or much later), so the
    error is put where that construct opens, and the message names its line. ``opener`` is
    the mark of the innermost flow collection still open when parsing stopped.
    """
    problem, context = exc.problem_mark, exc.context_mark
    what = exc.problem or exc.context or "invalid YAML"
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    last = max(len(lines), 1)
    mark = problem or context
    late = mark is not None and (mark.line + 1 > last or (mark.line + 1 == last and mark.column >= len(lines[-1] if lines else "")))
    if context is not None and exc.context and "quoted scalar" in exc.context and problem is not None and problem.line > context.line:
        mark, what = context, f"this quoted text is never closed ({what})"
    elif opener is not None and (late or (problem is not None and problem.line > opener.line)):
        mark, what = opener, f"this bracket is never closed ({what})"
    if mark is None:
        return _diag(path, 0, 0, f"YAML syntax error: {what}")
    line, column = mark.line + 1, mark.column + 1
    if line > last:  # past the end: the last line that exists
        line, column = last, (len(lines[-1]) + 1 if lines else 1)
    if mark is not problem and problem is not None:
        what += f", opened on line {line}"
    return _diag(path, line, column, f"YAML syntax error: {what}; check indentation, brackets and quoting")


def _walk_events(text: str, path: str) -> list[Diagnostic]:
    """Parse (without composing) to refuse deep nesting, anchors and aliases early.

    The parser keeps its own stack, so even a file of 28,000 ``[`` is read safely here;
    composing such a file would exhaust the process's stack. A syntax error is raised as a
    positioned :class:`ContentError`.
    """
    problems: list[Diagnostic] = []
    open_flows: list[Any] = []  # start marks of the flow collections still open
    depth = 0
    try:
        for event in _yaml().parse(io.StringIO(text)):
            mark = event.start_mark
            if isinstance(event, CollectionStartEvent):
                depth += 1
                open_flows.append(mark if event.flow_style else None)
                if depth > MAX_DEPTH:
                    problems.append(
                        _diag(path, mark.line + 1, mark.column + 1, f"lists and mappings are nested deeper than {MAX_DEPTH} levels; a condition file needs far fewer")
                    )
                    break
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
                open_flows.pop()
            if isinstance(event, AliasEvent):
                problems.append(_diag(path, mark.line + 1, mark.column + 1, "aliases (*name) are not allowed; write the value out"))
            elif isinstance(event, NodeEvent) and event.anchor:
                problems.append(_diag(path, mark.line + 1, mark.column + 1, "anchors (&name) are not allowed; write the value out"))
            if len(problems) >= 20:
                break
    except MarkedYAMLError as exc:
        opener = next((m for m in reversed(open_flows) if m is not None), None)
        raise ContentError([_syntax_error(exc, text, path, opener)]) from None
    return problems


def compose(text: str, path: str) -> Node:
    """Parse ``text`` into a ruamel node tree, refusing what a content file never needs.

    Raises :class:`ContentError` with positioned diagnostics for files over
    :data:`MAX_BYTES`, refused characters, syntax errors, nesting deeper than
    :data:`MAX_DEPTH`, anchors/aliases, non-standard tags and empty files. Size, characters
    and depth are checked before the node tree is built.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ContentError(
            [
                _diag(
                    path,
                    0,
                    0,
                    f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit for a "
                    "content file; split it or remove pasted material",
                )
            ]
        )
    refused = _forbidden_characters(text, path)
    if refused:
        raise ContentError(refused)
    try:
        problems = _walk_events(text, path)
        if problems:
            raise ContentError(problems)
        node = _yaml().compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        raise ContentError([_syntax_error(exc, text, path)]) from None
    except ReaderError as exc:  # a character the reader refuses (most are caught above)
        line, column = position(text, min(max(exc.position, 0), len(text)))
        raise ContentError([_diag(path, line, column, f"character {exc.character!r} is not allowed: {exc.reason}")]) from None
    except YAMLError as exc:
        raise ContentError([_diag(path, 1, 1, f"YAML error: {str(exc)[:200]}")]) from None
    if node is None:
        raise ContentError([_diag(path, 1, 1, "file is empty; a condition needs at least 'id' and 'title'")])
    problems = _refused(node, path)
    if problems:
        raise ContentError(problems)
    return node  # type: ignore[no-any-return]


def _refused(root: Node, path: str) -> list[Diagnostic]:
    """Anchors, aliases and non-standard tags, found by walking the composed graph once.

    The composer does not expand aliases: a reused node is the *same* object. Visiting each
    object once keeps this linear, so even a "billion laughs" file is refused quickly.
    """
    problems: list[Diagnostic] = []
    seen: set[int] = set()
    stack: list[tuple[Node, Node]] = [(root, root)]  # (node, where to report it)
    while stack and len(problems) < 20:
        node, place = stack.pop()
        mark = place.start_mark
        line, col = mark.line + 1, mark.column + 1
        if id(node) in seen:
            problems.append(_diag(path, line, col, "aliases (*name) are not allowed; write the value out"))
            continue
        seen.add(id(node))
        if getattr(node, "anchor", None):
            problems.append(_diag(path, line, col, "anchors (&name) are not allowed; write the value out"))
        if node.tag not in _STANDARD_TAGS:
            problems.append(_diag(path, line, col, f"the tag {node.tag!r} is not allowed; remove it"))
        if isinstance(node, MappingNode):
            for key, value in reversed(node.value):
                stack.append((value, key))
                stack.append((key, key))
        elif isinstance(node, SequenceNode):
            stack.extend((child, child) for child in reversed(node.value))
    return sorted(problems)
