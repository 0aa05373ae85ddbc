"""sitemap.xml (and its index), robots.txt, and the schema.org JSON-LD of the dataset page.

The JSON-LD checks follow Google's Dataset structured-data guidelines: `name` and a
`description` of 50 to 5000 characters are required; `url`, `identifier`, `keywords`,
`license`, `creator`, `temporalCoverage`, `spatialCoverage`, `distribution` (DataDownload
with `contentUrl` and `encodingFormat`) and `includedInDataCatalog` are recommended.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from ogd.catalog import actions
from ogd.catalog.actions import Context
from ogd.catalog.models import Dataset
from ogd.catalog.publishing import index_dataset
from ogd.instance import Instance
from ogd.web import jsonld, seo
from tests.unit.catalog.conftest import publish_fake

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "http://portal.test"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def update(instance: Instance, name: str, **fields: Any) -> None:
    """Change a dataset's columns, keeping search current."""
    with instance.sessions() as s, s.begin():
        d = s.scalar(select(Dataset).where(Dataset.name == name))
        assert d is not None
        for key, value in fields.items():
            setattr(d, key, value)
        index_dataset(s, d)


def xml(client: FlaskClient, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    return ET.fromstring(response.data)


def sitemap_urls(root: ET.Element) -> dict[str, str | None]:
    assert root.tag == f"{SM}urlset"
    return {
        str(u.findtext(f"{SM}loc")): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")
    }


def expected_urls(ctx: Context) -> dict[str, str | None]:
    orgs = actions.organization_list(ctx, {})
    datasets = actions.package_search(ctx, {"rows": 100})["results"]
    return {
        f"{SITE}/": None,
        f"{SITE}/dataset/": None,
        **{f"{SITE}/organization/{o}": None for o in orgs},
        **{f"{SITE}/dataset/{d['name']}": d["metadata_modified"][:19] + "Z" for d in datasets},
    }


def page_jsonld(client: FlaskClient, name: str) -> dict[str, Any]:
    html = client.get(f"/dataset/{name}").get_data(as_text=True)
    blocks = SCRIPT.findall(html)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


def is_absolute(url: Any) -> bool:
    parts = urlsplit(str(url))
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# -- sitemap -----------------------------------------------------------------------------


def test_sitemap_lists_home_search_organisations_and_datasets(
    client: FlaskClient, ctx: Context, instance: Instance
) -> None:
    update(instance, "personal-kennzahlen", private=True)
    urls = sitemap_urls(xml(client, "/sitemap.xml"))
    assert urls == expected_urls(ctx)
    assert f"{SITE}/dataset/personal-kennzahlen" not in urls
    assert f"{SITE}/dataset/abfall-quartier" in urls
    assert all(ISO_Z.match(v) for v in urls.values() if v)


def test_sitemap_becomes_an_index_past_the_limit(
    client: FlaskClient, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seo, "MAX_URLS", 4)
    expected = expected_urls(ctx)
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{SM}sitemapindex"
    pages = [str(s.findtext(f"{SM}loc")) for s in root.findall(f"{SM}sitemap")]
    assert pages == [f"{SITE}/sitemap-{n}.xml" for n in range(1, -(-len(expected) // 4) + 1)]
    seen: dict[str, str | None] = {}
    for page in pages:
        urls = sitemap_urls(xml(client, page.removeprefix(SITE)))
        assert 0 < len(urls) <= 4 and not set(urls) & set(seen)
        seen.update(urls)
    assert seen == expected
    assert client.get(f"/sitemap-{len(pages) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_robots_points_to_the_sitemap(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert f"Sitemap: {SITE}/sitemap.xml" in lines and "User-agent: *" in lines


# -- JSON-LD -----------------------------------------------------------------------------


def test_dataset_page_embeds_schema_org_dataset(client: FlaskClient, ctx: Context) -> None:
    pkg = actions.package_show(ctx, {"id": "abfall-quartier"})
    data = page_jsonld(client, "abfall-quartier")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["name"] == "Abfallmengen nach Quartier"
    assert 50 <= len(data["description"]) <= 5000
    assert data["url"] == data["@id"] == f"{SITE}/dataset/abfall-quartier"
    assert data["identifier"] == pkg["id"]
    assert set(data["keywords"]) == {"Abfall", "Quartier", "Umwelt"}
    assert data["license"] == pkg["license_url"] and is_absolute(data["license"])
    assert data["isAccessibleForFree"] is True
    for role in ("creator", "publisher"):
        assert data[role] == {
            "@type": "Organization",
            "name": "Umweltschutz",
            "url": f"{SITE}/organization/umweltschutz",
        }
    assert ISO_Z.match(data["dateModified"]) and ISO_Z.match(data["datePublished"])
    assert data["dateModified"] == pkg["metadata_modified"][:19] + "Z"
    [download] = data["distribution"]
    assert download["@type"] == "DataDownload"
    assert download["contentUrl"] == pkg["resources"][0]["url"]
    assert is_absolute(download["contentUrl"]) and download["encodingFormat"] == "text/csv"
    assert download["name"] == "Abfallmengen nach Quartier (CSV)"
    assert data["includedInDataCatalog"] == {
        "@type": "DataCatalog",
        "name": "Open Data Luzern",
        "url": f"{SITE}/",
    }
    assert "temporalCoverage" not in data and "spatialCoverage" not in data


def test_short_notes_get_a_composed_description(client: FlaskClient) -> None:
    # The fixture's notes have 47 characters, under Google's minimum of 50.
    description = page_jsonld(client, "bevoelkerung-quartier")["description"]
    assert description.startswith("Bevölkerung nach Quartier. ")
    assert "Wohnbevölkerung der Stadt Luzern nach Quartier." in description
    assert "Einwohnerdienste" in description and "Open Data Luzern" in description
    assert 50 <= len(description) <= 5000


def test_long_notes_are_the_description(client: FlaskClient, instance: Instance) -> None:
    notes = "Mengen der Kehrichtabfuhr, Grüngut und Altpapier je Quartier und Monat. " * 3
    update(instance, "abfall-quartier", notes=notes.strip())
    assert page_jsonld(client, "abfall-quartier")["description"] == notes.strip()
    update(instance, "abfall-quartier", notes="x " * 4000)
    description = page_jsonld(client, "abfall-quartier")["description"]
    assert len(description) <= 5000 and description.endswith("…")


def test_temporal_and_spatial_coverage_come_from_extras(
    client: FlaskClient, instance: Instance
) -> None:
    extras = {"temporal_start": "2020-01-01", "temporal_end": "2024-12-31", "spatial": "Luzern"}
    update(instance, "abfall-quartier", extras=extras)
    data = page_jsonld(client, "abfall-quartier")
    assert data["temporalCoverage"] == "2020-01-01/2024-12-31"
    assert data["spatialCoverage"] == {"@type": "Place", "name": "Luzern"}
    update(instance, "abfall-quartier", extras={"temporal_start": "2020-01-01"})
    assert page_jsonld(client, "abfall-quartier")["temporalCoverage"] == "2020-01-01/.."


def test_markup_in_texts_cannot_break_out_of_the_script(
    client: FlaskClient, instance: Instance
) -> None:
    hostile = 'Daten </script><script>alert("x")</script> & <!-- Kommentar --> für Luzern.'
    update(instance, "abfall-quartier", notes=hostile)
    title = "A </script> B & C"
    publish_fake(instance, "markup-test", title, "umweltschutz", [], ["x"], "Kurz <b>.")
    html = client.get("/dataset/abfall-quartier").get_data(as_text=True)
    assert "<script>alert" not in html
    assert hostile in page_jsonld(client, "abfall-quartier")["description"]
    assert page_jsonld(client, "markup-test")["name"] == title


def test_script_text_escapes_html_characters() -> None:
    text = jsonld.script_text({"a": "</script><!--&\u2028"})
    assert not set("<>&\u2028") & set(text)
    assert json.loads(text) == {"a": "</script><!--&\u2028"}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [("2020", "2021", "2020/2021"), (None, "2021-06", "../2021-06"), (None, None, None)],
)
def test_temporal_coverage_interval(start: str | None, end: str | None, expected: str) -> None:
    assert jsonld.temporal_coverage(start, end) == expected


def test_description_is_padded_to_the_minimum() -> None:
    text = jsonld.describe({"name": "a", "title": "A"}, "X")
    assert len(text) >= jsonld.MIN_DESCRIPTION and text.startswith("A. ")
