"""Hugging Face `transformers` models with a task head: what they give is raw scores.

`...ForSequenceClassification`, `...ForTokenClassification`, `...ForCausalLM` and the other task
models end in a linear layer; their output's `logits` are never activated. The PyTorch classes
have bare names, the TensorFlow (Keras) ones start with `TF`, the Flax ones with `Flax`.
"""

from __future__ import annotations

import re

# The keyword of `from_pretrained` / `from_config` / the class giving the number of classes.
UNITS_KEYWORD = "num_labels"
_TASKS = (
    "SequenceClassification|TokenClassification|ImageClassification|AudioClassification"
    "|MultipleChoice|CausalLM|MaskedLM"
)
_TASK_MODEL = re.compile(
    rf"transformers(?:\.\w+)*\.((TF|Flax)?\w*For(?:{_TASKS}))(?:\.(?:from_pretrained|from_config))?"
)
_PREFIXES = {"torch": None, "keras": "TF", "jax": "Flax"}


def task_model(path: str, framework: str) -> str | None:
    """The class name of the task model that `path` makes for `framework` ("torch", "keras" or
    "jax"), or None."""
    if not path.startswith("transformers.") or "For" not in path:
        return None  # most calls: checked without the pattern
    match = _TASK_MODEL.fullmatch(path)
    if match is None or match[2] != _PREFIXES[framework]:
        return None
    return match[1]


# The Trainer classes that hand `compute_metrics` the model's logits, as `eval_pred.predictions`
# (or the first element of `eval_pred`).
TRAINERS = frozenset({"transformers.Trainer", "transformers.trainer.Trainer"})
# Task models whose classes are a vocabulary's tokens: always classifiers.
LANGUAGE_MODEL_TASKS = ("CausalLM", "MaskedLM")
# What a task model's own loss is, when its config sets this `problem_type`.
MULTI_LABEL = "multi_label_classification"
CLASSIFICATION_PROBLEMS = frozenset({MULTI_LABEL, "single_label_classification"})
