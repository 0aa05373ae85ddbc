"""The MQA reference lists as written down in ogd/quality/lists.py."""

from __future__ import annotations

import pytest

from ogd.quality import lists

FILE_TYPE = lists.FILE_TYPE
IANA = lists.IANA_MEDIA_TYPE


def test_list_sizes_match_their_source() -> None:
    assert len(lists.NON_PROPRIETARY) == 31
    assert len(lists.MACHINE_READABLE) == 203


@pytest.mark.parametrize("code", ["CSV", "TSV", "JSON", "JSON_LD", "GEOJSON", "XML", "RDF_XML",
                                  "RDF_TURTLE"])  # fmt: skip
def test_open_formats_are_on_both_lists(code: str) -> None:
    assert code in lists.NON_PROPRIETARY
    assert code in lists.MACHINE_READABLE


def test_xlsx_and_parquet() -> None:
    assert "XLSX" in lists.MACHINE_READABLE and "XLSX" not in lists.NON_PROPRIETARY
    assert "PARQUET" not in lists.MACHINE_READABLE | lists.NON_PROPRIETARY


@pytest.mark.parametrize(
    ("format_iri", "media_type", "code"),
    [
        (FILE_TYPE + "PARQUET", IANA + "text/csv", "CSV"),  # media type first
        (FILE_TYPE + "PARQUET", None, "PARQUET"),
        (FILE_TYPE + "CSV", IANA + "application/x-unknown", "CSV"),  # unmapped → format
        (None, "http://www.iana.org/assignments/media-types/application/json", "JSON"),
        ("CSV", None, None),  # a literal is not an IRI of the EU table
        (None, None, None),
    ],
)
def test_format_code(format_iri: str | None, media_type: str | None, code: str | None) -> None:
    assert lists.format_code(format_iri, media_type) == code


@pytest.mark.parametrize(
    ("iri", "swiss", "known"),
    [
        ("http://dcat-ap.ch/vocabulary/licenses/terms_by", False, False),
        ("http://dcat-ap.ch/vocabulary/licenses/terms_by", True, True),
        ("http://creativecommons.org/licenses/by/4.0/", False, True),
        ("https://creativecommons.org/licenses/by/4.0/", False, False),
        ("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0", False, True),
    ],
)
def test_known_licences(iri: str, swiss: bool, known: bool) -> None:
    assert lists.is_known_licence(iri, swiss_licences=swiss) is known
