"""Activations that emit neither probabilities nor raw logits (relu, tanh, softplus...).

A cross-entropy that expects probabilities given the output of a ReLU or a tanh reads values
outside (0, 1) as probabilities (rule LG016). Names are the canonical lower-case names Keras
uses; PyTorch's modules and functions map onto them.
"""

from __future__ import annotations

from logitguard.core.facts import Emits

# SciPy's activations of NumPy arrays, often applied to a model's outputs turned into NumPy.
SCIPY_ACTIVATIONS: dict[str, Emits] = {
    "scipy.special.softmax": Emits.SOFTMAX,
    "scipy.special.log_softmax": Emits.LOG_SOFTMAX,
    "scipy.special.expit": Emits.SIGMOID,
}

NON_PROBABILITY_ACTIVATIONS: frozenset[str] = frozenset(
    {
        "relu",
        "relu6",
        "leaky_relu",
        "prelu",
        "elu",
        "selu",
        "celu",
        "gelu",
        "silu",
        "swish",
        "mish",
        "softplus",
        "softsign",
        "tanh",
        "hard_tanh",
        "exponential",
        "log_sigmoid",
    }
)

# Of those, the ones whose outputs a loss given logits cannot use as logits: never negative
# (a sigmoid of them is at least 0.5; a class's logit cannot drop below 0, and units stuck at 0
# stop learning) or bounded on both sides (a softmax or sigmoid of them is never confident).
NON_NEGATIVE_ACTIVATIONS: frozenset[str] = frozenset({"relu", "relu6", "softplus", "exponential"})
BOUNDED_ACTIVATIONS: frozenset[str] = frozenset({"tanh", "hard_tanh", "softsign"})

# PyTorch: nn.<Module> and torch / torch.nn.functional functions -> the name above.
TORCH_MODULES: dict[str, str] = {
    "ReLU": "relu",
    "ReLU6": "relu6",
    "LeakyReLU": "leaky_relu",
    "PReLU": "prelu",
    "ELU": "elu",
    "SELU": "selu",
    "CELU": "celu",
    "GELU": "gelu",
    "SiLU": "silu",
    "Mish": "mish",
    "Softplus": "softplus",
    "Softsign": "softsign",
    "Tanh": "tanh",
    "Hardtanh": "hard_tanh",
    "LogSigmoid": "log_sigmoid",
}
TORCH_FUNCTIONS: dict[str, str] = {
    **{
        f"torch.nn.functional.{name}": name
        for name in ("relu", "relu6", "leaky_relu", "elu", "selu", "celu", "gelu", "silu", "mish")
    },
    "torch.nn.functional.softplus": "softplus",
    "torch.nn.functional.softsign": "softsign",
    "torch.nn.functional.tanh": "tanh",
    "torch.nn.functional.hardtanh": "hard_tanh",
    "torch.nn.functional.logsigmoid": "log_sigmoid",
    "torch.relu": "relu",
    "torch.tanh": "tanh",
    "torch.selu": "selu",
    "torch.celu": "celu",
}
# Keras layers that are activations: keras.layers.<Layer>() -> the name above.
KERAS_LAYERS: dict[str, str] = {
    "ReLU": "relu",
    "LeakyReLU": "leaky_relu",
    "ELU": "elu",
    "PReLU": "prelu",
}
