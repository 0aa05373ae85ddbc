"""Reference lists of the MQA scorer: formats (I4, I5), known licences (R2), access rights (R4).

The EU file-type table (I3) and the IANA media types (I3) are RDF files in
`ogd/quality/data/`; the lists here are small enough to live as constants. Each names its
source. Formats are the codes of the EU file-type table, the last segment of
`http://publications.europa.eu/resource/authority/file-type/<CODE>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"
SWISS_LICENCE = "http://dcat-ap.ch/vocabulary/licenses/terms_"

# Source: third-party copy of the data.europa.eu MQA list of non-proprietary formats,
# mjanez/metadata-quality-stack `react-app/public/data/non_proprietary.jsonl`
# (generated 2025-08-21, 31 entries; see reference/mqa.md section 5).
NON_PROPRIETARY: frozenset[str] = frozenset(
    """
    BMP CSV DBF ETSI_XML GEOJSON GPKG GZIP HTML ICS JPEG2000 JSON JSON_LD KML KMZ NETCDF
    ODS PNG RDF_N_QUADS RDF_N_TRIPLES RDF_TRIG RDF_TURTLE RDF_XML RSS RTF TAR TIFF TSV
    TXT WMS_SRVC XML ZIP
    """.split()
)

# Source: the same repository, `react-app/public/data/machine_readable.jsonl`
# (generated 2025-08-21, 203 entries). PARQUET is on neither list.
MACHINE_READABLE: frozenset[str] = frozenset(
    """
    7Z AAB AAC AKN4EU AKN4EU_ZIP APK APPX ARC ARCINFO_COV ARC_GZ ARJ ATOM AZW BIN BITS BMP
    BWF BZIP2 CSS CSV DAPK DBF DCR DEB DGN DMG DMP DOC DOCX DTD_SGML DTD_XML DWG DXF E00
    EAR ECW EFORMS_XML EPS EPUB ETSI_XML EXE FMX2 FMX3 FMX4 FMX4_ZIP GDB GEOJSON GEOTIFF
    GIF GML GMZ GPKG GRID GRID_ASCII GTFS GZIP HDF HDT HTML HTML5 HTML_SIMPL ICS IMMC_XML
    INDD IPA ISO ISO_ZIP JAR JATS JPEG JPEG2000 JS JSON JSON_LD KML KMZ LAS LAZ LEG LHA
    LPK LZIP LZMA LZO MAP_PRVW MAP_SRVC MBOX MDB METS METS_ZIP MHTML MIF_MID MOBI MOP MOV
    MP3 MPEG2 MPEG4 MPEG4_AVC MRSID MSG_HTTP MSI MXD N3 NETCDF OAPK OCTET ODB ODC ODF ODG
    ODP ODS ODT OP_DATPRO OVF OWL PDF PDF1X PDFA1A PDFA1B PDFA2A PDFA2B PDFA3 PDFUA PDFX
    PDFX1A PDFX2A PDFX4 PL PNG PPS PPSX PPT PPTX PS PSD PWP QGS RAR RDF RDFA RDF_N_QUADS
    RDF_N_TRIPLES RDF_THRIFT RDF_TRIG RDF_TRIX RDF_TURTLE RDF_XML REST RPM RSS RTF SB3
    SCHEMA_XML SDMX SGML SHP SKOS_XML SPARQLQ SPARQLQRES SQL STL SVG SWM TAB TAB_RSTR TAR
    TAR_GZ TAR_XZ TIFF TIFF_FX TMX TSV TXT UNGEN WAR WARC WARC_GZ WAV WCS_SRVC WEBP
    WFS_SRVC WIM WMS_SRVC WMTS_SRVC WORLD XHTML XHTML5 XHTML_SIMPL XLIFF XLS XLSB XLSM
    XLSX XML XSLFO XSLT XYZ XZ YAML Z ZIP
    """.split()
)

# I4/I5 look at the media type first. The MQA lists name file types, so a media type is
# mapped to its file-type code (our choice; the usual IANA type of each code). A media
# type missing here falls back to dct:format.
MEDIA_TYPE_FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "application/geo+json": "GEOJSON",
        "application/gml+xml": "GML",
        "application/gzip": "GZIP",
        "application/json": "JSON",
        "application/ld+json": "JSON_LD",
        "application/msword": "DOC",
        "application/n-quads": "RDF_N_QUADS",
        "application/n-triples": "RDF_N_TRIPLES",
        "application/pdf": "PDF",
        "application/rdf+xml": "RDF_XML",
        "application/rss+xml": "RSS",
        "application/rtf": "RTF",
        "application/trig": "RDF_TRIG",
        "application/vnd.apache.parquet": "PARQUET",
        "application/vnd.google-earth.kml+xml": "KML",
        "application/vnd.google-earth.kmz": "KMZ",
        "application/vnd.ms-excel": "XLS",
        "application/vnd.oasis.opendocument.spreadsheet": "ODS",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
        "application/x-tar": "TAR",
        "application/xml": "XML",
        "application/yaml": "YAML",
        "application/zip": "ZIP",
        "image/png": "PNG",
        "image/tiff": "TIFF",
        "text/calendar": "ICS",
        "text/csv": "CSV",
        "text/html": "HTML",
        "text/plain": "TXT",
        "text/tab-separated-values": "TSV",
        "text/turtle": "RDF_TURTLE",
        "text/xml": "XML",
    }
)

# R2. Source: the EU licence authority table (every IRI under EU_LICENCE counts, our
# choice) and the Creative Commons IRIs that piveau-data/piveau-vocabularies
# (`licences-skos.rdf`, `piveau-licences-skos.rdf`, 2019) give as skos:exactMatch, which
# use http, not https (reference/mqa.md, R2 note). No dcat-ap.ch `terms_*` IRI is on it.
KNOWN_LICENCES: frozenset[str] = frozenset(
    {
        "http://creativecommons.org/licenses/by/3.0/",
        "http://creativecommons.org/licenses/by/4.0/",
        "http://creativecommons.org/licenses/by-nc/4.0/",
        "http://creativecommons.org/licenses/by-nd/4.0/",
        "http://creativecommons.org/licenses/by-sa/3.0/",
        "http://creativecommons.org/licenses/by-sa/4.0/",
        "http://creativecommons.org/publicdomain/mark/1.0/",
        "http://creativecommons.org/publicdomain/zero/1.0/",
        "http://opendatacommons.org/licenses/odbl/1-0/",
    }
)

# R4. Source: EU access-right table (reference/mqa.md section 5).
ACCESS_RIGHTS: frozenset[str] = frozenset(
    ACCESS_RIGHT + code for code in ("PUBLIC", "RESTRICTED", "NON_PUBLIC")
)


def is_known_licence(iri: str, *, swiss_licences: bool = False) -> bool:
    """Tell whether a `dct:license` IRI is on the known-licence list (R2).

    Args:
        iri: the licence IRI as written in the metadata.
        swiss_licences: also count the opendata.swiss `terms_*` IRIs ("Swiss profile").

    Returns:
        True when the IRI is known.
    """
    if iri in KNOWN_LICENCES or iri.startswith(EU_LICENCE):
        return True
    return swiss_licences and iri.startswith(SWISS_LICENCE)


def format_code(format_iri: str | None, media_type_iri: str | None) -> str | None:
    """The file-type code of a distribution for I4/I5: media type first, else format.

    Args:
        format_iri: the `dct:format` IRI, or None when absent or not an IRI.
        media_type_iri: the `dcat:mediaType` IRI, or None when absent or not an IRI.

    Returns:
        The code (``"CSV"``), or None when neither names a known file type.
    """
    if media_type_iri:
        for prefix in (IANA_MEDIA_TYPE, "http://www.iana.org/assignments/media-types/"):
            if media_type_iri.startswith(prefix):
                code = MEDIA_TYPE_FORMATS.get(media_type_iri[len(prefix) :].lower())
                if code:
                    return code
    if format_iri and format_iri.startswith(FILE_TYPE):
        return format_iri[len(FILE_TYPE) :]
    return None
