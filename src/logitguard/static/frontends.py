"""The static front ends, each turning a parsed module into `TrainingSetup` facts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from logitguard.core.facts import TrainingSetup
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.frameworks import jax as jax_frontend
from logitguard.static.frameworks import torch as torch_frontend
from logitguard.static.frameworks.keras import frontend as keras_frontend


@dataclass(frozen=True)
class Frontend:
    framework: str
    # Canonical import roots that make a module worth reading for this framework.
    roots: frozenset[str]
    # Reads one module; what it imports from other project files is followed through the
    # project, when there is one.
    extract: Callable[[ParsedModule, Project | None], list[TrainingSetup]]
    # What its findings need besides the shared TRIGGERS: one of these groups of words, all
    # of a group in the sources (a JAX module without Flax, optax, distrax, sampling
    # or a log of a softmax or a sigmoid has nothing for the JAX front end).
    needs: tuple[tuple[str, ...], ...] = ()
    # Whether it judges outputs cut at 0.5 by how scripts beside the file train the model, so
    # that such a cut alone makes a module worth reading.
    judges_cuts_alone: bool = False

    def may_judge(self, sources: list[str], triggered: bool) -> bool:
        """Whether the module (with `sources`, its own and its imports') may hold a finding of
        this front end's; `triggered`: whether they hold a trigger (`has_triggers`)."""
        if not (self.judges_cuts_alone or triggered):
            return False
        return not self.needs or any(
            all(any(word in text for text in sources) for word in group) for group in self.needs
        )


# Text without which no rule can find anything in a module (or in the project files it
# imports): every finding needs a loss (`compile(`, a `...Loss` class, a `...entropy` or
# `nll_loss` or `log_loss` function, a focal loss, a KL divergence, a `*_with_logits` op), a
# softmax (LG004, LG011), a prediction (`predict(`, `round(`, `argmax`, sampling, a metric of
# probabilities: LG009, LG012, LG023), a skorch net, a Hugging Face Trainer's metrics or a
# Hugging Face task model (which computes its own loss). A cheap test that lets the checker
# skip the analysis of most library and utility code entirely.
TRIGGERS: tuple[str, ...] = (
    "compile(",
    "Loss",
    "ntropy",
    "nll_loss",
    "log_loss",
    "brier_score_loss",
    "calibration_curve",
    "kl_div",
    "focal_loss",
    "Divergence",
    "with_logits",
    "oftmax",
    "predict(",
    "round(",
    "argmax",
    "ategorical",
    "Bernoulli",
    "multinomial",
    "gumbel",
    "choice(",
    "NeuralNet",
    "compute_metrics",
    "Classification",
    "CausalLM",
    "MaskedLM",
    "MultipleChoice",
)


# Or a log and a sigmoid (`-torch.log(torch.sigmoid(c - r))`, LG011) or an exponential (a
# softmax written out), or a cross-entropy written by hand: a product with a log, `y *
# tf.log(p)`, of clipped values too, `y * p.clamp(min=1e-7).log()`, `tf.log(tf.clip_by_value(p,
# eps, 1)) * y`.
# (Searched after the words, and only in a text with `log(`: a pattern that starts with no
# fixed text is tried at every character, far slower than `in`.)
_HAND_WRITTEN_CROSS_ENTROPY = re.compile(
    r"\*\s*[\w.]*(?:\([^()]*\)[\w.]*)?log\(|log\([\w.]*(?:\([^()]*\))?\)\s*\*"
)


# Or outputs cut at 0.5 (`net(x) > 0.5`, `0.5 < p`), judged by the loss a script beside it
# trains with. The half before a comparison is found by its fixed text `.5`, then kept when it
# follows a word character (a digit, `0.5`, or a name, `p.5`, as `\b0?\.5` reads): one
# pattern starting with `\b` would be tried at every character of every file.
_HALF_AFTER_A_COMPARISON = re.compile(r"[<>]=?\s*0?\.5\b(?!\d)")
_HALF_BEFORE_A_COMPARISON = re.compile(r"\.5\s*[<>]")
_WORD_CHARACTER = re.compile(r"\w")


def cuts_at_a_half(sources: list[str]) -> bool:
    return any(_cuts_at_a_half(source) for source in sources)


def _cuts_at_a_half(source: str) -> bool:
    if ".5" not in source:
        return False
    if _HALF_AFTER_A_COMPARISON.search(source):
        return True
    return any(
        half.start() > 0 and _WORD_CHARACTER.match(source, half.start() - 1)
        for half in _HALF_BEFORE_A_COMPARISON.finditer(source)
    )


def _logs_of_probabilities(source: str) -> bool:
    """With a `log(`: a sigmoid, an exponential (a softmax written out, `exp(z) / exp(z).sum(1)`)
    or a cross-entropy written by hand."""
    return (
        "igmoid" in source or "exp(" in source or bool(_HAND_WRITTEN_CROSS_ENTROPY.search(source))
    )


def has_triggers(sources: list[str]) -> bool:
    return any(
        any(trigger in source for trigger in TRIGGERS)
        or ("log(" in source and _logs_of_probabilities(source))
        for source in sources
    )


FRONTENDS: tuple[Frontend, ...] = (
    Frontend(
        "keras",
        frozenset({"keras", "tensorflow", "keras_hub", "keras_nlp"}),  # KerasHub's tasks too
        keras_frontend.extract,
    ),
    Frontend(
        "torch",
        # Hugging Face models are PyTorch's unless their names say otherwise (`TFAutoModel`).
        frozenset({"torch", "lightning", "pytorch_lightning", "transformers"}),
        torch_frontend.extract,
        judges_cuts_alone=True,
    ),
    Frontend(
        "jax",
        frozenset({"jax", "flax", "optax", "haiku", "equinox"}),
        jax_frontend.extract,
        needs=(
            ("flax",),
            ("optax",),
            ("distrax",),
            ("categorical",),
            ("log", "oftmax"),
            ("log", "igmoid"),
            ("log", "exp("),
        ),
        judges_cuts_alone=True,
    ),
)
