"""Reading YAML with line numbers, so errors can name file, line and key path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ogd.errors import SpecError

MAX_YAML_BYTES = 1_000_000


def load_yaml(path: Path, display: str | None = None) -> Any:
    """Parse a YAML file into plain-looking dicts and lists that remember their lines.

    Raises:
        SpecError: the file is missing, too large or not YAML (with the line of the fault).
    """
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read file: {exc.strerror}", where=name) from None
    if len(raw) > MAX_YAML_BYTES:
        raise SpecError("file is larger than 1 MB", where=name, hint="split it up")
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SpecError("file is not UTF-8 text", where=name, hint="save it as UTF-8") from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(f"not valid YAML: {problem}", where=f"{name}{line}") from None


def line_of(node: Any, key: str | int | None = None) -> int | None:
    """1-based line of `key` inside a mapping or sequence node (or of the node itself)."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return int(lc.line) + 1
        if isinstance(key, int):
            return int(lc.item(key)[0]) + 1
        return int(lc.key(key)[0]) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return int(lc.line) + 1 if lc.line is not None else None
