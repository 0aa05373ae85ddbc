"""Small pure helpers: dataset extras as values, typed date literals, language-tagged texts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ogd.catalog.dictize import decode_extra, extras_of

LANG_TAGS = ("de", "fr", "it", "en", "rm")
_GYEAR = re.compile(r"^\d{4}$")
_GYEARMONTH = re.compile(r"^\d{4}-\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


decode = decode_extra
extras = extras_of


def as_list(value: Any) -> list[Any]:
    """A value that may be one item or a list, as a list (empty for None and "")."""
    if value is None or value == "":
        return []
    value = decode(value)
    return list(value) if isinstance(value, list | tuple) else [value]


def texts(translated: Any, fallback: str | None) -> dict[str, str]:
    """Language -> text from a `*_translated` value (maybe JSON), else the fallback in German."""
    value = decode(translated)
    if isinstance(value, Mapping):
        found = {str(k): str(v) for k, v in value.items() if v and k in LANG_TAGS}
        if found:
            return found
    return {"de": fallback} if fallback else {}


def add_texts(graph: Graph, subject: Node, predicate: URIRef, values: Mapping[str, str]) -> None:
    """One language-tagged literal per language."""
    for lang, text in values.items():
        graph.add((subject, predicate, Literal(text, lang=lang)))


def date_literal(value: str) -> Literal:
    """A typed literal: xsd:gYear, gYearMonth, date or dateTime by the value's shape."""
    text = str(value).strip()
    if _GYEAR.match(text):
        return Literal(text, datatype=XSD.gYear)
    if _GYEARMONTH.match(text):
        return Literal(text, datatype=XSD.gYearMonth)
    if _DATE.match(text):
        return Literal(text, datatype=XSD.date)
    return Literal(text.replace(" ", "T"), datatype=XSD.dateTime)


def decimal_literal(value: Any) -> Literal | None:
    """`dcat:byteSize` as xsd:decimal (DCAT-AP 2.1.1); None when not a number."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return Literal(str(number.quantize(Decimal(1))), datatype=XSD.decimal)


def iri(value: Any) -> URIRef | None:
    """An IRI for an http(s)/mailto string, None for anything else (literals are dropped)."""
    if isinstance(value, str) and value.startswith(("http://", "https://", "mailto:")):
        return URIRef(value.strip())
    return None
