"""JSON Schema generated from the model's type hints and field metadata.

The schema is derived from the very dataclasses the loader converts into, so the two cannot
disagree. A copy ships as ``healthkit/condition.schema.json`` for editors and content CI;
a test regenerates it and fails if the shipped copy is stale (``healthkit schema -o`` fixes).
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from dataclasses import MISSING, fields, is_dataclass
from importlib import resources
from typing import Any, Literal, Mapping

from ..model import Condition
from .convert import type_hints, unwrap_optional

SCHEMA_ID = "https://healthkit.invalid/schema/condition.schema.json"
SCHEMA_FILE = "condition.schema.json"


def _type_schema(tp: Any, meta: Mapping[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    inner, optional = unwrap_optional(tp)
    schema = _inner_schema(inner, meta, defs)
    if optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
    if "doc" in meta:
        schema = {"description": meta["doc"], **schema}
    return schema


def _inner_schema(tp: Any, meta: Mapping[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if is_dataclass(tp):
        tp = typing.cast(type, tp)
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # reserve before recursing
            defs[name] = _dataclass_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    if origin is tuple:
        item_tp = typing.get_args(tp)[0]
        return {
            "type": "array",
            "items": _type_schema(item_tp, {"min_length": 1}, defs),
            "minItems": meta.get("min_items", 0),
        }
    if origin in (Mapping, dict, typing.get_origin(Mapping[str, str])):
        value_tp = typing.get_args(tp)[1]
        return {
            "type": "object",
            "additionalProperties": _type_schema(value_tp, {"min_length": 1}, defs),
            "minProperties": meta.get("min_items", 0),
        }
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if tp is str:
        out: dict[str, Any] = {"type": "string"}
        if meta.get("min_length"):
            out["minLength"] = meta["min_length"]
            out["pattern"] = r"\S"
        if meta.get("pattern"):
            out["pattern"] = f"^(?:{meta['pattern']})$"
        return out
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        bounds = {"minimum": meta["minimum"]} if "minimum" in meta else {}
        if "maximum" in meta:
            bounds["maximum"] = meta["maximum"]
        return {"type": "integer", **bounds}
    if tp is dt.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    raise TypeError(f"no schema for {tp!r}")


def _dataclass_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = type_hints(cls)
    props = {f.name: _type_schema(hints[f.name], f.metadata, defs) for f in fields(cls)}
    required = [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]
    out: dict[str, Any] = {"type": "object", "properties": props, "required": required, "additionalProperties": False}
    doc = (cls.__doc__ or "").strip().splitlines()
    if doc:
        out = {"description": doc[0], **out}
    return out


def generate_schema() -> dict[str, Any]:
    """Build the JSON Schema (draft 2020-12) for a condition file."""
    defs: dict[str, Any] = {}
    root = _dataclass_schema(Condition, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "healthkit condition",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def dumps_schema() -> str:
    return json.dumps(generate_schema(), indent=2, sort_keys=False) + "\n"


def shipped_schema() -> dict[str, Any]:
    """The schema file that ships inside the package."""
    text = resources.files("healthkit").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
