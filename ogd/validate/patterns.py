"""Match the `pattern` constraint with RE2 (pyarrow) where it means what Python's `re` means.

frictionless checks `re.compile("^" + pattern + "$").match(cell)`. Python and RE2 spell
some things differently (`{,3}`, `\\Z`, POSIX classes) and mean others differently
(Unicode `\\d`, `\\w`, `\\s`; `$` before a final newline). So the pattern is parsed with
Python's own parser and written out again in RE2 syntax, node by node; look-arounds,
back-references and the like have no RE2 form and are matched with Python. Cells where
the two engines could still differ (a newline; non-ASCII text or odd blanks under
classes or ignore-case) are matched with Python too, one by one.
"""

from __future__ import annotations

import importlib
import re
import warnings
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ogd.validate.bytecells import Matrix, byte_rows

sre_parse = importlib.import_module("re._parser")  # Python's own reading of a pattern
_MAX_REPEAT = 1000  # RE2's limit
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_ANCHORS = {
    "AT_BEGINNING": "^",
    "AT_BEGINNING_STRING": r"\A",
    "AT_END": "$",
    "AT_END_STRING": r"\z",
    "AT_BOUNDARY": r"\b",
    "AT_NON_BOUNDARY": r"\B",
}
_SHORT = {"{0,}": "*", "{1,}": "+", "{0,1}": "?"}
_FLAG_LETTERS = {re.IGNORECASE: "i", re.DOTALL: "s"}
_HARMLESS_FLAGS = re.MULTILINE | re.UNICODE | re.ASCII | re.VERBOSE
# Cells that are not printable ASCII may read differently in RE2 and Python: a
# newline ($); and under classes or ignore-case odd blanks (\s) and non-ASCII text.
_PRINTABLE = frozenset(range(0x20, 0x7F))
_CATEGORY_BYTES = {
    "CATEGORY_DIGIT": set(range(0x30, 0x3A)),
    "CATEGORY_NOT_DIGIT": set(_PRINTABLE - set(range(0x30, 0x3A))),
    "CATEGORY_SPACE": {0x20},
    "CATEGORY_NOT_SPACE": set(_PRINTABLE - {0x20}),
    "CATEGORY_WORD": {c for c in _PRINTABLE if chr(c).isalnum() or c == 0x5F},
    "CATEGORY_NOT_WORD": {c for c in _PRINTABLE if not (chr(c).isalnum() or c == 0x5F)},
}


class _NoRE2(Exception):
    """The pattern has a construct without an RE2 equivalent."""


class Pattern:
    """A Table Schema pattern, compiled for Python and, where possible, for RE2."""

    def __init__(self, pattern: str) -> None:
        """Compile `^pattern$` as frictionless does.

        Raises:
            re.error: Python cannot compile the pattern.
        """
        self.source = pattern
        self.sensitive = False
        self.re2: str | None = None
        self.fixed: list[Matrix] | None = None
        with warnings.catch_warnings():  # e.g. "possible nested set": Python's reading holds
            warnings.simplefilter("ignore", FutureWarning)
            self.python = re.compile(f"^{pattern}$")
            try:
                self.re2 = "^(?:" + self._translate(f"^{pattern}$") + ")"
                pc.match_substring_regex(pa.array([""]), self.re2)
            except (_NoRE2, pa.ArrowInvalid, pa.ArrowNotImplementedError):
                self.re2 = None
            self.fixed = fixed_width(pattern)

    def mismatches(self, text: pa.Array) -> pa.Array:
        """True where a (non-null) cell does not match; null where the cell is null."""
        if self.re2 is None:
            return self._python(text, pc.is_valid(text))
        plain = pc.ascii_is_printable(text)  # no newline, no odd blank, nothing beyond ASCII
        found = self._fixed(text, plain) if self.fixed is not None else None
        if found is None:
            found = pc.match_substring_regex(text, self.re2)
        risky = pc.fill_null(pc.invert(plain), False)
        if not self.sensitive and self.fixed is None and risky.true_count:
            risky = pc.and_(risky, pc.fill_null(pc.match_substring(text, "\n"), False))
        if risky.true_count:
            return pc.if_else(risky, self._python(text, risky), pc.invert(found))
        return pc.invert(found)

    def _fixed(self, text: pa.Array, plain: pa.Array) -> pa.Array | None:
        """Matches of a fixed-width pattern among printable ASCII cells, with numpy."""
        assert self.fixed is not None
        found = byte_rows(text, len(self.fixed))
        ok = found.lengths == len(self.fixed)
        for row, allowed in zip(found.rows, self.fixed, strict=True):
            ok &= allowed[row]
        return pa.array(ok, pa.bool_(), mask=~found.present)

    def _python(self, text: pa.Array, which: pa.Array) -> pa.Array:
        cells = text.filter(which).to_pylist()
        misses = pa.array([self.python.match(cell) is None for cell in cells], pa.bool_())
        return pc.replace_with_mask(pa.nulls(len(text), pa.bool_()), which, misses)

    def _translate(self, pattern: str) -> str:
        parsed = sre_parse.parse(pattern)
        flags = parsed.state.flags
        if flags & ~(_HARMLESS_FLAGS | re.IGNORECASE | re.DOTALL):
            raise _NoRE2(pattern)
        body = self._sequence(parsed)
        for flag, letter in _FLAG_LETTERS.items():
            if flags & flag:
                body = f"(?{letter}:{body})"
                self.sensitive = self.sensitive or flag == re.IGNORECASE
        return body

    def _sequence(self, items: Any) -> str:
        return "".join(self._node(str(op), value) for op, value in items)

    def _node(self, op: str, value: Any) -> str:
        if op == "LITERAL":
            return _literal(value)
        if op == "NOT_LITERAL":
            return f"[^{_literal(value)}]"
        if op == "ANY":
            return "."
        if op == "IN":
            return self._set(value)
        if op == "BRANCH":
            return "(?:" + "|".join(self._sequence(item) for item in value[1]) + ")"
        if op == "SUBPATTERN":
            return self._group(*value)
        if op in ("MAX_REPEAT", "MIN_REPEAT"):
            return self._repeat(op, *value)
        if op == "AT":
            self.sensitive = self.sensitive or "BOUNDARY" in str(value)
            return _ANCHORS[str(value)]
        if op == "CATEGORY":
            self.sensitive = True
            return _CATEGORIES[str(value)]
        raise _NoRE2(op)  # look-arounds, back-references, atomic groups …

    def _set(self, items: Any) -> str:
        if len(items) == 1 and str(items[0][0]) == "CATEGORY":  # [\d] is \d
            self.sensitive = True
            return str(_CATEGORIES[str(items[0][1])])
        parts = []
        for op, value in items:
            name = str(op)
            if name == "NEGATE":
                parts.append("^")
            elif name == "LITERAL":
                parts.append(_literal(value))
            elif name == "RANGE":
                parts.append(f"{_literal(value[0])}-{_literal(value[1])}")
            elif name == "CATEGORY":
                self.sensitive = True
                parts.append(_CATEGORIES[str(value)])
            else:
                raise _NoRE2(name)
        return "[" + "".join(parts) + "]"

    def _group(self, _group: Any, add: int, remove: int, items: Any) -> str:
        if (add | remove) & ~(_HARMLESS_FLAGS | re.IGNORECASE | re.DOTALL):
            raise _NoRE2("flags")
        letters = "".join(v for k, v in _FLAG_LETTERS.items() if add & k)
        gone = "".join(v for k, v in _FLAG_LETTERS.items() if remove & k)
        self.sensitive = self.sensitive or bool((add | remove) & re.IGNORECASE)
        flags = letters + (f"-{gone}" if gone else "")
        return f"(?{flags}:" + self._sequence(items) + ")"

    def _repeat(self, op: str, low: int, high: Any, items: Any) -> str:
        unbounded = high is sre_parse.MAXREPEAT
        if low > _MAX_REPEAT or (not unbounded and high > _MAX_REPEAT):
            raise _NoRE2("repeat")
        count = f"{{{low},}}" if unbounded else f"{{{low},{high}}}"
        count = _SHORT.get(count, count if low != high else f"{{{low}}}")
        lazy = "?" if op == "MIN_REPEAT" else ""
        body = self._sequence(items)
        if len(items) != 1 or str(items[0][0]) in ("BRANCH", "SUBPATTERN"):
            body = f"(?:{body})"
        return body + count + lazy


def fixed_width(pattern: str) -> list[Matrix] | None:
    """Per position, the printable ASCII bytes a fixed-width pattern allows (else None).

    For printable ASCII cells, `^pattern$` then matches exactly the cells of that
    length whose every byte is allowed at its position.
    """
    try:
        parsed = list(sre_parse.parse(f"^{pattern}$"))  # as frictionless anchors it
    except re.error:
        return None
    anchored = [str(op) for op, _ in parsed[:1] + parsed[-1:]] == ["AT", "AT"]
    if not anchored or [str(v) for _, v in (parsed[0], parsed[-1])] != ["AT_BEGINNING", "AT_END"]:
        return None
    sets = _fixed_items(parsed[1:-1])
    if not sets:
        return None
    tables = []
    for allowed in sets:
        table = np.zeros(256, bool)
        table[sorted(allowed)] = True
        tables.append(table)
    return tables


def _fixed_items(items: Any) -> list[set[int]] | None:
    sets: list[set[int]] = []
    for op, value in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT") and value[0] == value[1]:
            inner = _fixed_items(value[2])
            if inner is None:
                return None
            sets += inner * value[0]
        elif name == "SUBPATTERN" and not (value[1] or value[2]):
            inner = _fixed_items(value[3])
            if inner is None:
                return None
            sets += inner
        else:
            single = _fixed_one(name, value)
            if single is None:
                return None
            sets.append(single)
    return sets


def _fixed_one(name: str, value: Any) -> set[int] | None:
    if name == "LITERAL":
        return {value} & set(_PRINTABLE)
    if name == "ANY":
        return set(_PRINTABLE)
    if name == "CATEGORY":
        return _CATEGORY_BYTES.get(str(value))
    if name != "IN":
        return None
    allowed: set[int] = set()
    negate = False
    for op, item in value:
        kind = str(op)
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            allowed.add(item)
        elif kind == "RANGE":
            allowed.update(range(item[0], item[1] + 1))
        elif kind == "CATEGORY" and str(item) in _CATEGORY_BYTES:
            allowed |= _CATEGORY_BYTES[str(item)]
        else:
            return None
    return set(_PRINTABLE - allowed) if negate else (allowed & _PRINTABLE)


def _literal(code: int) -> str:
    char = chr(code)
    if char.isascii() and char.isalnum():
        return char
    return f"\\x{{{code:x}}}"
