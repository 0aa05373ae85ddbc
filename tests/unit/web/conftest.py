"""A Flask test client over the catalogue fixture."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from ogd.instance import Instance
from ogd.web.app import create_app
from tests.unit.catalog.conftest import ctx, instance, sqlite_template  # noqa: F401 - fixtures


@pytest.fixture
def app(instance: Instance) -> Flask:  # noqa: F811 - the fixture above
    """The app over the three-dataset catalogue."""
    return create_app(instance.settings, instance)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Its test client."""
    return app.test_client()
