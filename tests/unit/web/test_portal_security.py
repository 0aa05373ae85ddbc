"""Security headers, no inline script or style (CSP), and WCAG checks on the portal's pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ogd.web.security import CONTENT_SECURITY_POLICY

WEB = Path(__file__).resolve().parents[3] / "web"
PAGES = [
    "/",
    "/dataset/",
    "/dataset/?q=Quartier&tags=Quartier&sort=modified",
    "/dataset/?page=x",
    "/organization/",
    "/organization/umweltschutz",
    "/group/",
    "/group/envi",
    "/grundsaetze",
    "/nirgends",
]


def test_html_pages_get_a_strict_csp(client: FlaskClient) -> None:
    for path in ("/", "/dataset/", "/nirgends", "/dataset/bevoelkerung-quartier"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    for part in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert part in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


def test_json_responses_get_the_other_headers_only(client: FlaskClient) -> None:
    response = client.get("/api/3/action/status_show")
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_dataset_json_ld_is_data_not_script(client: FlaskClient) -> None:
    html = client.get("/dataset/bevoelkerung-quartier").get_data(as_text=True)
    assert '<script type="application/ld+json">' in html
    inline = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", html)
        if "src=" not in tag and "application/ld+json" not in tag
    ]
    assert inline == []  # the only inline <script> is JSON-LD, which the CSP does not run


def _templates() -> list[str]:
    root = WEB / "templates"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))


@pytest.mark.parametrize("name", _templates())
def test_templates_have_no_inline_script_or_style(name: str) -> None:
    text = (WEB / "templates" / name).read_text(encoding="utf-8")
    assert "<style" not in text
    assert not re.search(r"\sstyle\s*=", text)
    assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text)  # onclick= and friends
    assert not re.search(r"javascript:", text, re.IGNORECASE)
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or "application/ld+json" in tag, tag


def test_assets_come_from_the_portal_itself(client: FlaskClient) -> None:
    for path in PAGES:
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<(?:link|script|img)\b[^>]*>", html):
            url = re.search(r'(?:href|src)="([^"]+)"', tag)
            if url and 'rel="alternate"' not in tag:
                assert url.group(1).startswith("/"), tag


# -- accessibility -----------------------------------------------------------------------


class _Outline(HTMLParser):
    """Headings, landmarks, labels, ids and the first link of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_pages_have_landmarks_ordered_headings_and_labels(client: FlaskClient, lang: str) -> None:
    for path in PAGES:
        outline = _Outline()
        sep = "&" if "?" in path else "?"
        outline.feed(client.get(f"{path}{sep}lang={lang}").get_data(as_text=True))
        tags = outline.tags
        names = [t for t, _ in tags]
        assert tags[0] == ("html", {"lang": lang}), path
        first_link = next(a for t, a in tags if t == "a")
        assert first_link.get("class") == "skip-link" and first_link["href"] == "#main", path
        assert any(t == "main" and a.get("id") == "main" for t, a in tags), path
        assert {"header", "nav", "footer"} <= set(names), path
        assert outline.headings.count(1) == 1, path
        assert outline.headings[0] == 1, path
        for before, after in zip(outline.headings, outline.headings[1:], strict=False):
            assert after <= before + 1, f"{path}: h{before} then h{after}"
        ids = [a["id"] for _, a in tags if a.get("id")]
        assert len(ids) == len(set(ids)), path
        labelled = {a.get("for") for t, a in tags if t == "label"}
        for tag, attrs in tags:
            if tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
                assert attrs.get("id") in labelled or attrs.get("aria-label"), (path, attrs)
        assert any(a.get("aria-current") for _, a in tags) or path == "/nirgends", path


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_site_css_text_colours_reach_aa_contrast() -> None:
    css = (WEB / "static" / "site.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    pairs = [
        ("ink", "#fff"),
        ("muted", "#fff"),
        ("muted", "bg"),
        ("blue", "#fff"),
        ("blue", "bg"),
        ("#fff", "blue"),
        ("#fff", "blue-dark"),
        ("error", "error-bg"),
        ("#003366", "#e8eef6"),  # badge
    ]
    for text, background in pairs:
        fg, bg = (colours.get(c, c) for c in (text, background))
        assert _contrast(fg, bg) >= 4.5, (text, background, round(_contrast(fg, bg), 2))
    # focus ring: the dark outline on white, the yellow one on the blue header (3:1)
    assert (
        _contrast(colours["ink"], "#fff") >= 3 and _contrast(colours["focus"], colours["blue"]) >= 3
    )
    assert ":focus-visible" in css and ".skip-link:focus" in css


def test_site_css_fits_a_360_pixel_screen() -> None:
    css = (WEB / "static" / "site.css").read_text(encoding="utf-8")
    assert "@media (max-width: 48rem)" in css
    for width in re.findall(r"minmax\(([^,]+),", css):
        assert width.startswith(("min(", "0")), width  # never wider than the screen
    assert not re.search(r"(?<![-\w])width:\s*(\d{3,})px", css)
