"""Declarative table steps; `apply_steps` runs a pipeline's steps in order."""

from ogd.transform.steps import STEPS, StepDef, apply_steps

__all__ = ["STEPS", "StepDef", "apply_steps"]
