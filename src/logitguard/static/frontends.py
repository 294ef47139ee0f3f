"""The static front ends, each turning a parsed module into `TrainingSetup` facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from logitguard.core.facts import TrainingSetup
from logitguard.static import jax_frontend, keras_frontend, torch_frontend
from logitguard.static.engine.project import Project
from logitguard.static.module import ParsedModule


@dataclass(frozen=True)
class Frontend:
    framework: str
    # Canonical import roots that make a module worth reading for this framework.
    roots: frozenset[str]
    # Reads one module; what it imports from other project files is followed through the
    # project, when there is one.
    extract: Callable[[ParsedModule, Project | None], list[TrainingSetup]]


FRONTENDS: tuple[Frontend, ...] = (
    Frontend("keras", frozenset({"keras", "tensorflow"}), keras_frontend.extract),
    Frontend(
        "torch", frozenset({"torch", "lightning", "pytorch_lightning"}), torch_frontend.extract
    ),
    Frontend("jax", frozenset({"jax", "flax", "optax"}), jax_frontend.extract),
)
