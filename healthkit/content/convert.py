"""Interpret a YAML node tree as model dataclasses, guided by their type hints.

Every problem is recorded as a positioned :class:`Diagnostic` and conversion carries on,
so an author sees all mistakes in one run. A value that could not be converted becomes
:data:`INVALID`, and any dataclass that contains one is not built.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from dataclasses import MISSING, Field, dataclass, field, fields, is_dataclass
from types import MappingProxyType, NoneType, UnionType
from typing import Any, Literal, Mapping, Union

from ..errors import Diagnostic
from ..model import RENAMED_KEYS
from .yamlio import FORBIDDEN_CLASS, MappingNode, Node, ScalarNode, SequenceNode, describe_char

KeyPath = tuple[typing.Union[str, int], ...]

_NULL = "tag:yaml.org,2002:null"
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
#: Characters a value may not hold even when written as an escape ("\0", "\r", "\u2028").
_FORBIDDEN_IN_VALUES = re.compile(f"[{FORBIDDEN_CLASS}\\r]")


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


def format_key(path: KeyPath) -> str:
    """``("sections", "types", "items", 2, "name")`` -> ``sections.types.items[2].name``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """``Optional[X]`` -> ``(X, True)``; anything else -> ``(tp, False)``."""
    origin = typing.get_origin(tp)
    if origin in (Union, UnionType):
        args = [a for a in typing.get_args(tp) if a is not NoneType]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _describe(tp: Any) -> str:
    tp, _ = unwrap_optional(tp)
    origin = typing.get_origin(tp)
    if tp is str:
        return "text"
    if tp is bool:
        return "true or false"
    if tp is int:
        return "a whole number"
    if tp is dt.date:
        return "a date (YYYY-MM-DD)"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if origin is tuple:
        return "a list"
    if is_dataclass(tp):
        return "a mapping with the keys " + ", ".join(f.name for f in fields(tp))
    if origin in (Mapping, dict):
        return "a mapping of keys to values"
    return str(tp)


def _node_kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    return _quote(str(node.value))


def _quote(value: str, limit: int = 60) -> str:
    """``repr`` of a value, shortened: an error message never echoes a whole pasted text."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


@dataclass
class Converter:
    """Converts one file's node tree; collects diagnostics and value positions."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    # -- reporting --------------------------------------------------------------------
    def error(self, node: Node, key: KeyPath, message: str) -> Any:
        mark = node.start_mark
        self.diagnostics.append(
            Diagnostic(self.path, mark.line + 1, mark.column + 1, "error", message, format_key(key))
        )
        return INVALID

    # -- entry point ------------------------------------------------------------------
    def convert(self, node: Node, tp: Any, key: KeyPath, meta: Mapping[str, Any] | None = None) -> Any:
        meta = meta or {}
        self.positions[format_key(key)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        inner, optional = unwrap_optional(tp)
        if isinstance(node, ScalarNode) and node.tag == _NULL and not node.style:
            if optional:
                return None
            return self.error(node, key, f"value is empty; expected {_describe(inner)}")
        origin = typing.get_origin(inner)
        if is_dataclass(inner):
            return self._dataclass(node, typing.cast(type, inner), key)
        if origin is tuple:
            return self._sequence(node, typing.get_args(inner)[0], key, meta)
        if origin in (Mapping, dict, typing.get_origin(Mapping[str, str])):
            return self._mapping(node, typing.get_args(inner)[1], key, meta)
        if not isinstance(node, ScalarNode):
            return self.error(node, key, f"expected {_describe(inner)}, found {_node_kind(node)}")
        if origin is Literal:
            return self._literal(node, typing.get_args(inner), key)
        if inner is str:
            return self._str(node, key, meta)
        if inner is bool:
            return self._bool(node, key)
        if inner is int:
            return self._int(node, key, meta)
        if inner is dt.date:
            return self._date(node, key)
        raise TypeError(f"model uses unsupported type {inner!r}")  # a bug in the model, not input

    # -- scalars ----------------------------------------------------------------------
    def _refused_character(self, node: Node, key: KeyPath, value: str) -> bool:
        found = _FORBIDDEN_IN_VALUES.search(value)
        if found:
            self.error(node, key, f"{describe_char(found.group())} is not allowed in text; remove the escape that writes it")
        return found is not None

    def _str(self, node: ScalarNode, key: KeyPath, meta: Mapping[str, Any]) -> Any:
        value = str(node.value).strip()
        if self._refused_character(node, key, value):
            return INVALID
        if len(value) < meta.get("min_length", 0):
            return self.error(node, key, "text is empty; write something or remove the key")
        pattern = meta.get("pattern")
        if pattern and not re.fullmatch(pattern, value):
            return self.error(node, key, f"{_quote(value)} does not have the expected form ({meta.get('doc', pattern)})")
        return value

    def _bool(self, node: ScalarNode, key: KeyPath) -> Any:
        if not node.style and node.value in _TRUE:  # plain (unquoted) scalars only
            return True
        if not node.style and node.value in _FALSE:
            return False
        hint = ""
        if str(node.value).lower() in _YAML11_BOOLS:
            hint = " (yes/no/on/off are text in YAML 1.2)"
        return self.error(node, key, f"expected true or false, found {_quote(str(node.value))}{hint}")

    def _int(self, node: ScalarNode, key: KeyPath, meta: Mapping[str, Any]) -> Any:
        text = str(node.value).strip()
        if node.style in ("'", '"'):  # text, as the schema and editors that read it see it
            return self.error(node, key, f"expected a whole number, found the text {_quote(text)}; write the number without quotes")
        if not _WHOLE_NUMBER.fullmatch(text) or len(text) > 20:
            return self.error(node, key, f"expected a whole number, found {_quote(text)}")
        value = int(text, 10)
        low, high = meta.get("minimum"), meta.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"from {low} to {high}" if low is not None and high is not None else f"at least {low}" if low is not None else f"at most {high}"
            return self.error(node, key, f"expected a whole number {bounds}, found {value}")
        return value

    def _date(self, node: ScalarNode, key: KeyPath) -> Any:
        value = str(node.value).strip()
        if not _DATE.fullmatch(value):
            return self.error(node, key, f"expected a date written YYYY-MM-DD, found {_quote(value)}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return self.error(node, key, f"{value!r} is not a real calendar date")

    def _literal(self, node: ScalarNode, choices: tuple[Any, ...], key: KeyPath) -> Any:
        value = str(node.value).strip()
        if value in choices:
            return value
        close = difflib.get_close_matches(value, [str(c) for c in choices], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        allowed = ", ".join(repr(c) for c in choices)
        return self.error(node, key, f"{_quote(value)} is not allowed here; use one of {allowed}{hint}")

    # -- containers -------------------------------------------------------------------
    def _sequence(self, node: Node, item_tp: Any, key: KeyPath, meta: Mapping[str, Any]) -> Any:
        if not isinstance(node, SequenceNode):
            return self.error(node, key, f"expected a list, found {_node_kind(node)}")
        values = [
            self.convert(child, item_tp, key + (i,), {"min_length": 1})
            for i, child in enumerate(node.value)
        ]
        if len(values) < meta.get("min_items", 0):
            return self.error(node, key, f"list needs at least {meta['min_items']} entries, has {len(values)}")
        if any(v is INVALID for v in values):
            return INVALID
        return tuple(values)

    def _keys(self, node: MappingNode, key: KeyPath) -> list[tuple[str, Node, Node]] | None:
        seen: dict[str, int] = {}
        pairs: list[tuple[str, Node, Node]] = []
        ok = True
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode):
                self.error(knode, key, "keys must be plain text")
                ok = False
                continue
            name = str(knode.value)
            if self._refused_character(knode, key, name):
                ok = False
                continue
            if name in seen:
                self.error(
                    knode,
                    key + (name,),
                    f"duplicate key {_quote(name)} (first defined on line {seen[name]}); keep only one",
                )
                ok = False
                continue
            seen[name] = knode.start_mark.line + 1
            pairs.append((name, knode, vnode))
        return pairs if ok else None

    def _mapping(self, node: Node, value_tp: Any, key: KeyPath, meta: Mapping[str, Any]) -> Any:
        if not isinstance(node, MappingNode):
            return self.error(node, key, f"expected a mapping of keys to values, found {_node_kind(node)}")
        pairs = self._keys(node, key)
        if pairs is None:
            return INVALID
        out = {name: self.convert(v, value_tp, key + (name,), {"min_length": 1}) for name, _, v in pairs}
        if len(out) < meta.get("min_items", 0):
            return self.error(node, key, f"needs at least {meta['min_items']} entries, has {len(out)}")
        if any(v is INVALID for v in out.values()):
            return INVALID
        return MappingProxyType(out)

    def _dataclass(self, node: Node, cls: type, key: KeyPath) -> Any:
        if not isinstance(node, MappingNode):
            return self.error(node, key, f"expected a mapping of keys to values, found {_node_kind(node)}")
        pairs = self._keys(node, key)
        if pairs is None:
            return INVALID
        hints = type_hints(cls)
        known: dict[str, Field[Any]] = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        broken = False
        for name, knode, vnode in pairs:
            if name not in known:
                renamed = RENAMED_KEYS.get((cls.__name__, name))
                close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
                if renamed:
                    hint = f": {renamed}"
                elif close:
                    hint = f" (did you mean {close[0]!r}?)"
                else:
                    hint = f"; allowed keys: {', '.join(known)}"
                self.error(knode, key + (name,), f"unknown key {_quote(name)}{hint}")
                broken = True
                continue
            values[name] = self.convert(vnode, hints[name], key + (name,), known[name].metadata)
            broken = broken or values[name] is INVALID
        for name, f in known.items():
            required = f.default is MISSING and f.default_factory is MISSING
            if required and name not in values:
                where = f" in {format_key(key)}" if key else ""
                self.error(node, key + (name,), f"missing required key {name!r}{where}: {_describe(hints[name])}")
                broken = True
        if broken:
            return INVALID
        return cls(**values)


def to_data(obj: Any) -> Any:
    """Model object -> plain YAML-ready data (dicts, lists, str, bool, int, ISO dates).

    Optional fields that are ``None`` are left out, so a dump reads like hand-written YAML.
    """
    if is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in fields(obj):
            value = getattr(obj, f.name)
            if value is None:
                continue
            out[f.name] = to_data(value)
        return out
    if isinstance(obj, Mapping):
        return {k: to_data(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return [to_data(v) for v in obj]
    if isinstance(obj, dt.date):
        return obj.isoformat()
    return obj
