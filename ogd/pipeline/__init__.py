"""Pipelines: the YAML spec, the runner and the run history."""
