"""Namespaces and controlled vocabularies of DCAT-AP CH: catalogue values <-> IRIs."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SCHEMA = Namespace("http://schema.org/")
EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FREQUENCY = Namespace(EU + "frequency/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
AVAILABILITY = Namespace(EU + "planned-availability/")
IANA = "https://www.iana.org/assignments/media-types/"
TERMS = "http://dcat-ap.ch/vocabulary/licenses/"
LEGACY_THEMES = ("http://dcat-ap.ch/vocabulary/themes/", "http://opendata.swiss/themes/")

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "dcatap": DCATAP,
    "foaf": FOAF,
    "vcard": VCARD,
    "hydra": HYDRA,
    "spdx": SPDX,
    "schema": SCHEMA,
    "xsd": XSD,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
}

# pipeline `frequency` keyword -> EU frequency code
FREQUENCIES = {
    "continuous": "UPDATE_CONT",
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "never": "NEVER",
}

# catalogue format (as CKAN cleans it) -> EU file-type code
FORMATS = {
    "CSV": "CSV",
    "PARQUET": "PARQUET",
    "JSON": "JSON",
    "GEOJSON": "GEOJSON",
    "XLSX": "XLSX",
    "XLS": "XLS",
    "PDF": "PDF",
    "XML": "XML",
    "ZIP": "ZIP",
    "HTML": "HTML",
    "TXT": "TXT",
    "RDF": "RDF",
    "TTL": "RDF_TURTLE",
    "SHP": "SHP",
    "TSV": "TSV",
}
# EU file-type code -> the catalogue's format name (for imports)
FORMAT_NAMES = {"PARQUET": "Parquet", "GEOJSON": "GeoJSON", "RDF_TURTLE": "TTL"}

# ISO 639-1 (metadata language tags) <-> EU language code
LANGUAGES = {"de": "DEU", "fr": "FRA", "it": "ITA", "en": "ENG", "rm": "ROH"}
LANGUAGE_CODES = {v: k for k, v in LANGUAGES.items()}

# opendata.swiss legacy rights literals -> terms of use
LEGACY_TERMS = {
    "NonCommercialAllowed-CommercialAllowed-ReferenceNotRequired": "terms_open",
    "NonCommercialAllowed-CommercialAllowed-ReferenceRequired": "terms_by",
    "NonCommercialAllowed-CommercialWithPermission-ReferenceNotRequired": "terms_ask",
    "NonCommercialAllowed-CommercialWithPermission-ReferenceRequired": "terms_by_ask",
}
CC_RIGHTS = (
    "https://creativecommons.org/publicdomain/zero/1.0/",
    "https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by-sa/4.0/",
)
# opendata.swiss legacy categories -> EU theme code (ogdch-themes-20231122.ttl)
LEGACY_THEME_CODES = {
    "work": "ECON",
    "finances": "ECON",
    "industry": "ECON",
    "prices": "ECON",
    "tourism": "ECON",
    "trade": "ECON",
    "national-economy": "ECON",
    "population": "SOCI",
    "construction": "SOCI",
    "social-security": "SOCI",
    "administration": "GOVE",
    "politics": "GOVE",
    "public-order": "GOVE",
    "statistical-basis": "GOVE",
    "mobility": "TRAN",
    "territory": "ENVI",
    "geography": "REGI",
    "crime": "JUST",
    "legislation": "JUST",
    "culture": "EDUC",
    "education": "EDUC",
    "energy": "ENER",
    "agriculture": "AGRI",
    "health": "HEAL",
}


def frequency_iri(value: str) -> str | None:
    """An EU frequency IRI from a pipeline keyword, a code or an IRI; None if unknown."""
    if value.startswith(str(FREQUENCY)):
        return value
    code = FREQUENCIES.get(value.lower(), value.upper())
    return str(FREQUENCY[code]) if code in FREQUENCIES.values() or value.isupper() else None


def format_iri(value: str | None) -> str | None:
    """An EU file-type IRI for a catalogue format (or an IRI given as format)."""
    if not value:
        return None
    if value.startswith(str(FILE_TYPE)):
        return value
    code = FORMATS.get(value.upper())
    return str(FILE_TYPE[code]) if code else None


def format_name(iri_or_name: str) -> str:
    """The catalogue's format name for an EU file-type IRI or a literal format."""
    code = iri_or_name.removeprefix(str(FILE_TYPE))
    return FORMAT_NAMES.get(code, code)


def media_type_iri(value: str | None) -> str | None:
    """The IANA IRI of a media type (`text/csv`), or the IRI given."""
    if not value:
        return None
    if value.startswith(("http://", "https://")):
        return value.replace("http://www.iana.org/", "https://www.iana.org/")
    return IANA + value.split(";")[0].strip() if "/" in value else None


def language_iri(value: str) -> str | None:
    """An EU language IRI from `de`, `DEU` or the IRI itself."""
    if value.startswith(str(LANGUAGE)):
        return value
    code = LANGUAGES.get(value.lower()) or (value.upper() if len(value) == 3 else None)
    return str(LANGUAGE[code]) if code else None


def language_code(iri_or_code: str) -> str:
    """`de` for `…/language/DEU` (and for `de`)."""
    code = iri_or_code.rsplit("/", 1)[-1]
    return LANGUAGE_CODES.get(code.upper(), code.lower())


def terms_id(value: str) -> str | None:
    """The terms-of-use id (`terms_by`) of an IRI or legacy literal; None if not one."""
    if value in LEGACY_TERMS:
        return LEGACY_TERMS[value]
    tail = value.rsplit("/", 1)[-1]
    return tail if value.startswith(TERMS) and tail.startswith("terms_") else None


def theme_code(iri: str) -> str | None:
    """The EU theme code of a theme IRI, mapping legacy opendata.swiss categories."""
    if iri.startswith(str(THEME)):
        return iri.removeprefix(str(THEME))
    for prefix in LEGACY_THEMES:
        if iri.startswith(prefix):
            return LEGACY_THEME_CODES.get(iri.removeprefix(prefix))
    return None
