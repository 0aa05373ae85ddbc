"""Reads a YAML tree and collects errors with file, line and key path (`ogd check` shows all)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ogd.errors import SpecError
from ogd.yamlio import line_of

LANGUAGES = ("de", "fr", "it", "en")


class Walker:
    """Collects errors with `file line N, key.path` while reading a YAML tree."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.errors: list[SpecError] = []

    def where(self, node: Any, key: str | int | None, path: str) -> str:
        line = line_of(node, key)
        return f"{self.display} line {line}, {path}" if line else f"{self.display}, {path}"

    def error(self, node: Any, key: str | int | None, path: str, msg: str, hint: str = "") -> None:
        self.errors.append(SpecError(msg, where=self.where(node, key, path), hint=hint))

    def mapping(
        self, node: Any, parent: Any, key: str | int | None, path: str
    ) -> Mapping[str, Any]:
        if isinstance(node, Mapping):
            return node
        self.error(parent, key, path, "must be a mapping of keys to values")
        return {}

    def keys(
        self, node: Mapping[str, Any], allowed: set[str], required: set[str], path: str
    ) -> None:
        guessed: set[str] = set()
        for key in node:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            guessed.update(close)
            self.error(
                node,
                key,
                f"{path}.{key}" if path else str(key),
                f"unknown key `{key}`",
                hint=f"did you mean `{close[0]}`?"
                if close
                else f"allowed keys: {', '.join(sorted(allowed))}",
            )
        for key in sorted(required - set(node) - guessed):
            self.error(node, None, path or "(top level)", f"missing key `{key}`")

    def texts(self, node: Any, parent: Any, key: str, path: str) -> dict[str, str]:
        if isinstance(node, str):
            return {"de": node}
        if not isinstance(node, Mapping) or "de" not in node:
            self.error(parent, key, path, "must be a text or a mapping with at least `de`")
            return {}
        for lang in node:
            if lang not in LANGUAGES:
                self.error(
                    node,
                    lang,
                    f"{path}.{lang}",
                    f"unknown language `{lang}`",
                    hint="use de, fr, it or en",
                )
        return {str(k): str(v) for k, v in node.items() if k in LANGUAGES}


def plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
