"""Safe YAML reading: text in, a node tree with line/column marks out.

We never *construct* Python objects from YAML. We compose the node graph with ruamel.yaml
(YAML 1.2: ``no``/``yes``/``on`` are text, not booleans) and let :mod:`.convert` interpret
each scalar by the type the model expects there. That keeps every value's position, lets us
refuse anchors and aliases before they can expand into a "billion laughs", and means no tag
can ever instantiate arbitrary objects.
"""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import ContentError, Diagnostic

#: Content files are a few dozen KB; anything much larger is a mistake or an attack.
MAX_BYTES = 512 * 1024

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

__all__ = ["MAX_BYTES", "MappingNode", "Node", "ScalarNode", "SequenceNode", "compose"]


def _yaml() -> YAML:
    # ruamel.yaml.clib (a declared dependency) gives the fast C composer; without it ruamel
    # falls back to its pure-Python one. Both give YAML 1.2 tags and line/column marks.
    return YAML(typ="safe")


def _diag(path: str, line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, "error", message)


def compose(text: str, path: str) -> Node:
    """Parse ``text`` into a ruamel node tree, refusing what a content file never needs.

    Raises :class:`ContentError` with positioned diagnostics for syntax errors, empty
    files, files over :data:`MAX_BYTES`, anchors/aliases and non-standard tags.
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
    try:
        node = _yaml().compose(io.StringIO(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        raise ContentError(
            [_diag(path, line, col, f"YAML syntax error: {what}; check indentation and quoting")]
        ) from None
    except YAMLError as exc:
        raise ContentError([_diag(path, 0, 0, f"YAML error: {exc}")]) from None
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
