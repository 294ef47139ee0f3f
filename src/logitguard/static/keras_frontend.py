"""Keras / tf.keras front end (being written)."""

from __future__ import annotations

from logitguard.core.facts import TrainingSetup
from logitguard.static.module import ParsedModule


def extract(module: ParsedModule) -> list[TrainingSetup]:
    return []
