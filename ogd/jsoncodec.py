"""UTF-8 JSON bytes for API answers: orjson, with the standard library for what it refuses."""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def dumps(value: Any) -> bytes:
    """`value` as UTF-8 JSON (orjson: several times faster than `json` on big results).

    `orjson.Fragment` values (JSON encoded earlier) are written as they are."""
    try:
        return orjson.dumps(value, option=_OPTIONS)
    except TypeError:  # a value orjson does not know (e.g. an int beyond 64 bits)
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
