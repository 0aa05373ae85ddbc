"""Declarative table steps and the engine that streams them."""

from ogd.transform.engine import EngineOptions, StepCounts, apply_steps, run_steps
from ogd.transform.steps import STEPS, Step, StepContext, StepDef

__all__ = [
    "STEPS",
    "EngineOptions",
    "Step",
    "StepContext",
    "StepCounts",
    "StepDef",
    "apply_steps",
    "run_steps",
]
