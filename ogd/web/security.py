"""Security headers on every response: a strict Content-Security-Policy on HTML pages,
`X-Content-Type-Options` and `Referrer-Policy` everywhere; paths with control characters
are answered 404 before any view (PostgreSQL rejects NUL in text, which would be a 500).

Every asset comes from the portal itself, so the policy allows only `'self'`: no inline
script or style, no framing. A `<script type="application/ld+json">` block is data, not
script, and browsers do not check it against `script-src`.
"""

from __future__ import annotations

import re

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def add_headers(response: Response) -> Response:
    """Set the security headers (the CSP on HTML only); headers a view set are kept."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


def reject_control_characters() -> None:
    """A path with a control character names nothing: 404."""
    if _CONTROL.search(request.path):
        abort(404)


def init_app(app: Flask) -> None:
    """Register the path check before and the headers after every request."""
    app.before_request(reject_control_characters)
    app.after_request(add_headers)
