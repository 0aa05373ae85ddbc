"""frictionless-py finds its plugins by this module name: Open Data Luzern's Parquet reader.

See `ogd.validate.frictionless_plugin` for why frictionless-py's own reader is replaced.
"""

from ogd.validate.frictionless_plugin import OgdPlugin

__all__ = ["OgdPlugin"]
