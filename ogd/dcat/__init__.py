"""DCAT-AP CH: the catalogue as an RDF graph, its serialisations, import and validation."""

from ogd.dcat.graph import catalog_graph, dataset_graph
from ogd.dcat.serialize import serialize

__all__ = ["catalog_graph", "dataset_graph", "serialize"]
