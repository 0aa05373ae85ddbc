"""The Solr filter-query subset harvesters send (`fq`), parsed with luqum, evaluated per dataset.

Supports `field:value`, quoted values, `+`/`-`, AND / OR / NOT, parentheses,
`field:(a OR b)`, ranges `field:[A TO B]` with `*` and `NOW[-nDAY]`, and `field:*`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from luqum.exceptions import ParseError
from luqum.parser import parser
from luqum.tree import (
    AndOperation,
    FieldGroup,
    Group,
    Not,
    OrOperation,
    Phrase,
    Plus,
    Prohibit,
    Range,
    SearchField,
    UnknownOperation,
    Word,
)

from ogd.errors import SearchQueryError

Doc = Mapping[str, Any]
Predicate = Callable[[Doc], bool]
_NOW = re.compile(r"^NOW(?:([+-])(\d+)(DAY|DAYS|HOUR|HOURS|MONTH|MONTHS|YEAR|YEARS))?(?:/DAY)?$")


def parse_tree(text: str) -> Any:
    """Parse a filter query into its luqum tree; None for an empty query.

    Raises:
        SearchQueryError: the syntax is not understood.
    """
    if not text.strip():
        return None
    try:
        return parser.parse(text)
    except (ParseError, TypeError, ValueError) as exc:
        raise SearchQueryError(f"Search Query Error: cannot parse '{text}': {exc}") from None


def field_values(doc: Doc, field: str) -> list[str]:
    """The values of `field` in an index document (falling back to `extras_<field>`)."""
    value = doc.get(field)
    if value is None:
        value = doc.get(f"extras_{field}")
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return [str(value)]


def unquote(text: str) -> str:
    """A query value without its quotes and escapes."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('\\"', '"')
    return text.replace("\\", "")


def _match_value(field: str, raw: str) -> Predicate:
    value = unquote(raw)
    if value == "*":
        return lambda doc: any(v != "" for v in field_values(doc, field))
    if field == "text":
        low = value.lower()
        return lambda doc: low in str(doc.get("text", "")).lower()
    if "*" in value or "?" in value:
        pattern = re.compile(
            "^" + re.escape(value).replace(r"\*", ".*").replace(r"\?", ".") + "$", re.S
        )
        return lambda doc: any(pattern.match(v) for v in field_values(doc, field))
    return lambda doc: value in field_values(doc, field)


def range_bound(raw: str) -> str | None:
    """A range end as an ISO timestamp or number text; None for `*` (open)."""
    value = unquote(raw)
    if value == "*":
        return None
    match = _NOW.match(value)
    if match:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if match.group(1):
            amount = int(match.group(2)) * (1 if match.group(1) == "+" else -1)
            unit = match.group(3).rstrip("S")
            days = {"DAY": 1, "HOUR": 1 / 24, "MONTH": 30, "YEAR": 365}[unit]
            now += dt.timedelta(days=amount * days)
        return now.isoformat()
    return value.rstrip("Z")


def _as_comparable(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value


def _range(field: str, node: Range) -> Predicate:
    low, high = range_bound(str(node.low)), range_bound(str(node.high))

    def check(doc: Doc) -> bool:
        for v in field_values(doc, field):
            value = _as_comparable(v)
            try:
                ok_low = low is None or (
                    value >= _as_comparable(low)
                    if node.include_low
                    else value > _as_comparable(low)
                )
                ok_high = high is None or (
                    value <= _as_comparable(high)
                    if node.include_high
                    else value < _as_comparable(high)
                )
            except TypeError:
                continue
            if ok_low and ok_high:
                return True
        return False

    return check


def compile_node(node: Any, field: str | None) -> Predicate:
    """A predicate for one luqum node, `field` being the field it is nested in."""
    if isinstance(node, SearchField):
        return compile_node(node.expr, node.name)
    if isinstance(node, Word | Phrase):
        return _match_value(field or "text", str(node.value))
    if isinstance(node, Range):
        return _range(field or "text", node)
    if isinstance(node, Group | FieldGroup):
        return compile_node(node.expr, field)
    if isinstance(node, Not | Prohibit):
        inner = compile_node(node.a, field)
        return lambda doc: not inner(doc)
    if isinstance(node, Plus):
        return compile_node(node.a, field)
    if isinstance(node, OrOperation):
        parts = [compile_node(c, field) for c in node.children]
        return lambda doc: any(p(doc) for p in parts)
    if isinstance(node, AndOperation | UnknownOperation):
        parts = [compile_node(c, field) for c in node.children]
        return lambda doc: all(p(doc) for p in parts)
    raise SearchQueryError(f"Search Query Error: unsupported query element {node!s}")
