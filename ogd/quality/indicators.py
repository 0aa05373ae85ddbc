"""The 23 MQA indicators: dimension, name, maximum points and the steward's next step.

Weights follow `reference/mqa.md` section 3 (405 points in all). The `how` texts say, in
German and English, what to change so the indicator earns its missing points; they name
the pipeline key where the platform fills the property.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

FINDABILITY = "findability"
ACCESSIBILITY = "accessibility"
INTEROPERABILITY = "interoperability"
REUSABILITY = "reusability"
CONTEXTUALITY = "contextuality"
DIMENSIONS = (FINDABILITY, ACCESSIBILITY, INTEROPERABILITY, REUSABILITY, CONTEXTUALITY)


@dataclass(frozen=True)
class Indicator:
    """One MQA indicator.

    Attributes:
        id: F1 … C4.
        dimension: one of `DIMENSIONS`.
        name: English name as in the MQA methodology.
        max: full points.
        how_de: what to do to earn the points, in German.
        how_en: the same in English.
    """

    id: str
    dimension: str
    name: str
    max: int
    how_de: str
    how_en: str


_PUBLISH = (
    "Datensatz neu publizieren: die Plattform erzeugt {what}",
    "republish the dataset: the platform generates {what}",
)


def _platform(what_de: str, what_en: str) -> tuple[str, str]:
    return _PUBLISH[0].format(what=what_de), _PUBLISH[1].format(what=what_en)


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "F1",
        FINDABILITY,
        "Keywords",
        30,
        "Schlüsselwörter angeben: metadata.keywords in der Pipeline-Datei",
        "add keywords: metadata.keywords in the pipeline file",
    ),
    Indicator(
        "F2",
        FINDABILITY,
        "Categories",
        30,
        "Kategorien angeben: metadata.themes in der Pipeline-Datei",
        "add categories: metadata.themes in the pipeline file",
    ),
    Indicator(
        "F3",
        FINDABILITY,
        "Geo search",
        20,
        "Räumliche Abdeckung angeben: metadata.spatial in der Pipeline-Datei",
        "add the area covered: metadata.spatial in the pipeline file",
    ),
    Indicator(
        "F4",
        FINDABILITY,
        "Time-based search",
        20,
        "Zeitliche Abdeckung angeben: metadata.temporal (start, end) in der Pipeline-Datei",
        "add the time covered: metadata.temporal (start, end) in the pipeline file",
    ),
    Indicator(
        "A1",
        ACCESSIBILITY,
        "Access URL accessible",
        50,
        "Zugriffs-URL erreichbar machen (Antwort 2xx/3xx auf HEAD); bei externen Links "
        "metadata.landing_page prüfen",
        "make the access URL answer 2xx/3xx to HEAD; for external links check "
        "metadata.landing_page",
    ),
    Indicator(
        "A2",
        ACCESSIBILITY,
        "Download URL present",
        20,
        *_platform(
            "für jede Ressource eine Download-URL (outputs in der Pipeline-Datei)",
            "a download URL for every resource (outputs in the pipeline file)",
        ),
    ),
    Indicator(
        "A3",
        ACCESSIBILITY,
        "Download URL accessible",
        30,
        "Download-URL erreichbar machen (Antwort 2xx/3xx); Speicher und Webserver prüfen",
        "make the download URL answer 2xx/3xx; check the storage and the web server",
    ),
    Indicator(
        "I1",
        INTEROPERABILITY,
        "Format",
        20,
        *_platform(
            "dct:format aus outputs in der Pipeline-Datei; CSV-Ausgabe behalten",
            "dct:format from outputs in the pipeline file; keep the csv output",
        ),
    ),
    Indicator(
        "I2",
        INTEROPERABILITY,
        "Media type",
        10,
        "Medientyp angeben: outputs um csv oder json ergänzen (Parquet hat keinen IANA-Medientyp)",
        "add a media type: add csv or json to outputs (Parquet has no IANA media type)",
    ),
    Indicator(
        "I3",
        INTEROPERABILITY,
        "Format / media type from vocabulary",
        10,
        "Format aus der EU-Dateitypliste und Medientyp aus dem IANA-Register verwenden: "
        "outputs um csv ergänzen",
        "use a format from the EU file-type table and an IANA media type: add csv to outputs",
    ),
    Indicator(
        "I4",
        INTEROPERABILITY,
        "Non-proprietary",
        20,
        "Ein offenes Format publizieren: outputs um csv oder json ergänzen",
        "publish a non-proprietary format: add csv or json to outputs",
    ),
    Indicator(
        "I5",
        INTEROPERABILITY,
        "Machine-readable",
        20,
        "Ein maschinenlesbares Format publizieren: outputs um csv oder json ergänzen",
        "publish a machine-readable format: add csv or json to outputs",
    ),
    Indicator(
        "I6",
        INTEROPERABILITY,
        "DCAT-AP compliance",
        30,
        "DCAT-AP-Verstösse beheben (siehe Meldungen); meist ein Fehler im DCAT-Export, "
        "sonst metadata.title, metadata.description, metadata.organization prüfen",
        "fix the DCAT-AP violations listed; usually a bug in the DCAT export, otherwise "
        "check metadata.title, metadata.description, metadata.organization",
    ),
    Indicator(
        "R1",
        REUSABILITY,
        "Licence information",
        20,
        "Lizenz angeben: metadata.license in der Pipeline-Datei",
        "add a licence: metadata.license in the pipeline file",
    ),
    Indicator(
        "R2",
        REUSABILITY,
        "Known licence",
        10,
        "Die opendata.swiss-Nutzungsbedingungen (terms_*) stehen nicht auf der EU-Liste; "
        "die Punkte gibt es nur, wenn data.europa.eu sie abbildet (Schweizer Profil)",
        "the opendata.swiss terms of use (terms_*) are not on the EU list; the points come "
        "only if data.europa.eu maps them (Swiss profile)",
    ),
    Indicator(
        "R3",
        REUSABILITY,
        "Access restrictions",
        10,
        *_platform("dct:accessRights (PUBLIC)", "dct:accessRights (PUBLIC)"),
    ),
    Indicator(
        "R4",
        REUSABILITY,
        "Access restrictions from vocabulary",
        5,
        *_platform(
            "dct:accessRights aus der EU-Liste (PUBLIC, RESTRICTED, NON_PUBLIC)",
            "dct:accessRights from the EU table (PUBLIC, RESTRICTED, NON_PUBLIC)",
        ),
    ),
    Indicator(
        "R5",
        REUSABILITY,
        "Contact point",
        20,
        "Kontakt angeben: metadata.contact (name, email) in der Pipeline-Datei",
        "add a contact: metadata.contact (name, email) in the pipeline file",
    ),
    Indicator(
        "R6",
        REUSABILITY,
        "Publisher",
        10,
        "Herausgeber angeben: metadata.organization in der Pipeline-Datei",
        "add the publisher: metadata.organization in the pipeline file",
    ),
    Indicator(
        "C1",
        CONTEXTUALITY,
        "Rights",
        5,
        "Rechte angeben: in catalog/licenses.yaml der Lizenz von metadata.license ein "
        "rights zuordnen",
        "add rights: give the licence of metadata.license a rights entry in catalog/licenses.yaml",
    ),
    Indicator(
        "C2",
        CONTEXTUALITY,
        "File size",
        5,
        *_platform("dcat:byteSize für jede Datei", "dcat:byteSize for every file"),
    ),
    Indicator(
        "C3",
        CONTEXTUALITY,
        "Date of issue",
        5,
        *_platform(
            "dct:issued beim ersten Release (ogd run)",
            "dct:issued with the first release (ogd run)",
        ),
    ),
    Indicator(
        "C4",
        CONTEXTUALITY,
        "Modification date",
        5,
        *_platform(
            "dct:modified bei jedem Release (ogd run)",
            "dct:modified with every release (ogd run)",
        ),
    ),
)

BY_ID: Mapping[str, Indicator] = MappingProxyType({i.id: i for i in INDICATORS})
MAX_POINTS: Mapping[str, int] = MappingProxyType(
    {d: sum(i.max for i in INDICATORS if i.dimension == d) for d in DIMENSIONS}
)
MAX_TOTAL = sum(MAX_POINTS.values())

# Current bands (reference/mqa.md section 4): lowest points of each rating.
RATINGS = (("excellent", 351), ("good", 221), ("sufficient", 121), ("bad", 0))


def rate(total: float) -> str:
    """Return the MQA rating (excellent, good, sufficient, bad) for a total of points."""
    for rating, lowest in RATINGS:
        if total >= lowest:
            return rating
    return "bad"
