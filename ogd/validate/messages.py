"""What an error means for a data steward: German messages and short English lines.

frictionless's own English message (in `report.py`) names positions and notes; these
say what is wrong with the value and how it should look ("«31.02.1990» ist kein
gültiges Datum (Format TT.MM.JJJJ)").
"""

from __future__ import annotations

import re

_NOUNS_DE = {
    "string": "kein gültiger Text",
    "string/email": "keine gültige E-Mail-Adresse",
    "string/uri": "keine gültige Internetadresse (URI)",
    "string/uuid": "keine gültige UUID",
    "string/binary": "kein gültiger Base64-Text",
    "integer": "keine ganze Zahl",
    "number": "keine gültige Zahl",
    "boolean": "kein gültiger Ja/Nein-Wert",
    "date": "kein gültiges Datum",
    "datetime": "kein gültiger Zeitpunkt",
    "time": "keine gültige Uhrzeit",
    "year": "keine gültige Jahreszahl",
    "yearmonth": "keine gültige Monatsangabe (JJJJ-MM)",
    "duration": "keine gültige Dauer (ISO 8601, z. B. P1DT2H)",
    "geopoint": "kein gültiger Geopunkt",
    "geojson": "kein gültiges GeoJSON",
    "object": "kein gültiges JSON-Objekt",
    "array": "keine gültige JSON-Liste",
    "list": "keine gültige Liste",
}

_NOUNS_EN = {
    "string/email": "email address",
    "string/uri": "URI",
    "string/uuid": "UUID",
    "string/binary": "base64 text",
    "integer": "whole number",
    "boolean": "boolean",
    "datetime": "date and time",
    "yearmonth": "year and month (YYYY-MM)",
    "duration": "ISO 8601 duration",
    "object": "JSON object",
    "array": "JSON array",
}

_DEFAULT_FORMATS = {
    "date": "%Y-%m-%d",
    "datetime": "%Y-%m-%dT%H:%M:%S",
    "time": "%H:%M:%S",
}

_DEFAULT_FORMATS_EN = {
    "date": "YYYY-MM-DD",
    "datetime": "YYYY-MM-DDThh:mm:ss",
    "time": "hh:mm:ss",
}

_FORMAT_DE = (
    ("%d", "TT"),
    ("%m", "MM"),
    ("%Y", "JJJJ"),
    ("%y", "JJ"),
    ("%H", "hh"),
    ("%I", "hh"),
    ("%M", "mm"),
    ("%S", "ss"),
    ("%B", "Monatsname"),
    ("%b", "Monatskürzel"),
    ("%p", "AM/PM"),
    ("%%", "%"),
)

_CONSTRAINTS_EN = {
    "required": "value is missing but the field is required",
    "minLength": "{cell} is shorter than {value}",
    "maxLength": "{cell} is longer than {value}",
    "pattern": "{cell} does not match the pattern {value}",
    "enum": "{cell} is not one of the allowed values {value}",
    "minimum": "{cell} is below the minimum {value}",
    "maximum": "{cell} is above the maximum {value}",
    "exclusiveMinimum": "{cell} must be greater than {value}",
    "exclusiveMaximum": "{cell} must be less than {value}",
}

_CONSTRAINTS_DE = {
    "required": "Wert fehlt, das Feld ist ein Pflichtfeld",
    "minLength": "«{cell}» ist zu kurz (mindestens {value})",
    "maxLength": "«{cell}» ist zu lang (höchstens {value})",
    "pattern": "«{cell}» entspricht nicht dem Muster «{value}»",
    "enum": "«{cell}» ist kein erlaubter Wert (erlaubt: {value})",
    "minimum": "«{cell}» ist kleiner als das Minimum {value}",
    "maximum": "«{cell}» ist grösser als das Maximum {value}",
    "exclusiveMinimum": "«{cell}» muss grösser als {value} sein",
    "exclusiveMaximum": "«{cell}» muss kleiner als {value} sein",
}

_ROW_DE = {
    "missing-cell": "Zeile {row}, Feld «{name}»: die Zelle fehlt (die Zeile hat zu wenige Werte)",
    "extra-cell": "Zeile {row}: überzähliger Wert «{cell}» an Position {number} (die Zeile hat "
    "mehr Werte als Spalten)",
    "blank-row": "Zeile {row} ist ganz leer",
    "missing-label": "Kopfzeile: die Spalte «{name}» fehlt (Feld {number} im Schema)",
    "extra-label": "Kopfzeile: die Spalte «{cell}» (Position {number}) ist nicht im Schema",
    "blank-label": "Kopfzeile: die Spalte an Position {number} hat keinen Namen",
    "duplicate-label": "Kopfzeile: der Spaltenname «{cell}» an Position {number} kommt mehrfach "
    "vor",
    "incorrect-label": "Kopfzeile: an Position {number} steht «{cell}», das Schema erwartet "
    "«{name}»",
    "blank-header": "Die Kopfzeile ist ganz leer",
    "unmatched-header": "Kopfzeile: keine Spalte entspricht einem Feld des Schemas",
    "source-error": "Die Datei ist leer oder kann nicht als Tabelle gelesen werden",
}

_ROW_EN = {
    "missing-cell": "the cell is missing (the row has too few values)",
    "extra-cell": "extra value {cell} (the row has more values than columns)",
    "blank-row": "the row is completely blank",
    "missing-label": "column is missing (the schema expects it)",
    "extra-label": "column {cell} is not in the schema",
    "blank-label": "a column has no name",
    "duplicate-label": "column name {cell} occurs more than once",
    "incorrect-label": "column {cell} is where the schema expects another field",
    "blank-header": "the header row is blank",
    "unmatched-header": "no column matches a field of the schema",
    "source-error": "the file is empty or not a table",
}

TYPE_NOTE = re.compile(r'(?:array item )?type is "(?P<type>[^/]+)/(?P<format>.*)"')
_ITEM_NOTE = re.compile(r'expected item type is "(?P<type>\w+)"')
_CONSTRAINT_NOTE = re.compile(r'(?:array item )?constraint "(?P<name>\w+)" is "(?P<value>.*)"')
_SAME_AS = re.compile(r"the same as in the row at position (?P<row>\d+)")


def german(
    kind: str, *, row: int | None, name: str | None, number: int | None, cell: str, note: str
) -> str:
    """The German message for an error (the arguments of `report.make_entry`)."""
    if kind == "type-error":
        return f"Zeile {row}, Feld «{name}»: «{cell}» ist {_type_de(note)}"
    if kind == "constraint-error":
        return f"Zeile {row}, Feld «{name}»: {_constraint_de(note, cell)}"
    if kind == "unique-error":
        earlier = _SAME_AS.search(note)
        return (
            f"Zeile {row}, Feld «{name}»: «{cell}» kommt schon in Zeile "
            f"{earlier['row'] if earlier else '?'} vor, muss aber eindeutig sein"
        )
    if kind == "primary-key":
        return _key_de(row, name, cell, note)
    if kind == "foreign-key":
        return (
            f"Zeile {row}: der Fremdschlüssel ({name}) «{cell}» fehlt in der Referenztabelle "
            f"({note})"
        )
    return _ROW_DE[kind].format(row=row, name=name, number=number, cell=cell)


def english(kind: str, cell: str | None, note: str) -> str:
    """A short English description of the problem, for `Report.summary`."""
    quoted = f"'{cell}'"
    if kind == "type-error":
        return f"{quoted} is not a valid {_type_en(note)}"
    if kind == "constraint-error" and (match := _CONSTRAINT_NOTE.fullmatch(note)):
        template = _CONSTRAINTS_EN.get(match["name"], "{cell} fails constraint " + match["name"])
        return template.format(cell=quoted, value=match["value"])
    earlier = _SAME_AS.search(note)
    if kind == "unique-error":
        return f"{quoted} repeats row {earlier['row'] if earlier else '?'} but must be unique"
    if kind == "primary-key":
        if earlier is None:
            return "the primary key is empty"
        return f"primary key {quoted} repeats row {earlier['row']}"
    if kind == "foreign-key":
        return f"foreign key {quoted} is not in the reference table"
    return _ROW_EN.get(kind, note).format(cell=quoted)


def _type_de(note: str) -> str:
    if item := _ITEM_NOTE.fullmatch(note):
        return f"keine gültige Liste von Werten des Typs {item['type']}"
    match = TYPE_NOTE.fullmatch(note)
    if match is None:
        return f"kein gültiger Wert ({note})"
    kind, fmt = match["type"], match["format"]
    noun = _NOUNS_DE.get(f"{kind}/{fmt}") or _NOUNS_DE.get(
        kind, f"kein gültiger Wert vom Typ {kind}"
    )
    return noun + _format_de(kind, fmt)


def _type_en(note: str) -> str:
    if item := _ITEM_NOTE.fullmatch(note):
        return f"list of {item['type']} values"
    match = TYPE_NOTE.fullmatch(note)
    if match is None:
        return note
    kind, fmt = match["type"], match["format"]
    noun = _NOUNS_EN.get(f"{kind}/{fmt}") or _NOUNS_EN.get(kind, kind)
    if kind not in _DEFAULT_FORMATS or fmt == "any":
        return noun
    return f"{noun} (format {_DEFAULT_FORMATS_EN[kind] if fmt == 'default' else fmt})"


def _constraint_de(note: str, cell: str) -> str:
    match = _CONSTRAINT_NOTE.fullmatch(note)
    if match is None or match["name"] not in _CONSTRAINTS_DE:
        return f"«{cell}» verletzt eine Bedingung ({note})"
    value = match["value"]
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1].replace("'", "")
    return _CONSTRAINTS_DE[match["name"]].format(cell=cell, value=value)


def _key_de(row: int | None, names: str | None, cell: str, note: str) -> str:
    earlier = _SAME_AS.search(note)
    if earlier is None:
        return f"Zeile {row}: der Primärschlüssel ({names}) ist leer"
    return (
        f"Zeile {row}: der Primärschlüssel ({names}) «{cell}» kommt schon in Zeile "
        f"{earlier['row']} vor"
    )


def _format_de(field_type: str, field_format: str) -> str:
    pattern = field_format
    if field_format == "default":
        pattern = _DEFAULT_FORMATS.get(field_type, "")
    elif field_type not in _DEFAULT_FORMATS or field_format == "any":
        return ""
    for code, german_code in _FORMAT_DE:
        pattern = pattern.replace(code, german_code)
    return f" (Format {pattern})" if pattern else ""
