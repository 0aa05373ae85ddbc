"""Open Data Luzern: the OGD publishing platform (import has no side effects)."""

__version__ = "0.1.0"
