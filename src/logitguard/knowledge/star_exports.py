"""What `from M import *` binds, for the library modules whose names the front ends read.

`from tensorflow.keras.layers import *` then `Dense(10, activation="softmax")` is the Keras
layer; `from torch.nn import *` then `CrossEntropyLoss()` the PyTorch loss. Only the names
listed here are bound: any other name of a star import stays unknown, and the front ends stay
silent on it. Keys are canonical module paths (`keras.layers`, not `tensorflow.keras.layers`).
"""

from __future__ import annotations

from logitguard.knowledge import activations
from logitguard.knowledge import keras as keras_knowledge
from logitguard.knowledge import torch as torch_knowledge

_KERAS_LAYERS = keras_knowledge.PASS_THROUGH_LAYERS | frozenset(
    {
        "Input",
        "InputLayer",
        "Dense",
        "Activation",
        "Softmax",
        "ReLU",
        "LeakyReLU",
        "ELU",
        "PReLU",
        "ThresholdedReLU",
        "BatchNormalization",
        "LayerNormalization",
        "Conv1D",
        "Conv2D",
        "Conv3D",
        "MaxPooling1D",
        "MaxPooling2D",
        "AveragePooling1D",
        "AveragePooling2D",
        "GlobalAveragePooling1D",
        "GlobalAveragePooling2D",
        "GlobalMaxPooling1D",
        "GlobalMaxPooling2D",
        "Embedding",
        "LSTM",
        "GRU",
        "SimpleRNN",
        "Bidirectional",
        "TimeDistributed",
        "Concatenate",
        "concatenate",
        "Add",
        "add",
        "Lambda",
    }
)
_KERAS_LOSSES = frozenset(
    name for loss in keras_knowledge.LOSSES for name in (loss.class_name, loss.function_name)
)
_TORCH_NN = frozenset(
    {
        "Module",
        "Sequential",
        "ModuleList",
        "ModuleDict",
        "Linear",
        "LazyLinear",
        "Conv1d",
        "Conv2d",
        "Conv3d",
        "Softmax",
        "LogSoftmax",
        "Sigmoid",
        "Flatten",
        "Unflatten",
        "Identity",
        "Dropout",
        *activations.TORCH_MODULES,
        *(loss.class_name for loss in torch_knowledge.LOSSES),
    }
)
_TORCH_FUNCTIONAL = frozenset(
    {
        "softmax",
        "log_softmax",
        "sigmoid",
        *(loss.function_name for loss in torch_knowledge.LOSSES),
    }
)

STAR_EXPORTS: dict[str, frozenset[str]] = {
    "keras.layers": _KERAS_LAYERS,
    "keras": frozenset({"Sequential", "Model", "Input"}),
    "keras.models": frozenset({"Sequential", "Model"}),
    "keras.losses": _KERAS_LOSSES,
    "torch.nn": _TORCH_NN,
    "torch.nn.functional": _TORCH_FUNCTIONAL,
}

# What code that reads these names without importing them (a snippet pasted from a question
# or a tutorial page) means by them: the names such code uses bare or as module prefixes, each
# with the one library meaning it has there (`Dense` and `Sequential` are Keras', `nn.Linear`
# PyTorch's).
SNIPPET_IMPORTS: dict[str, str] = {
    **{name: f"keras.layers.{name}" for name in _KERAS_LAYERS},
    **{name: f"keras.losses.{name}" for name in _KERAS_LOSSES},
    "Sequential": "keras.Sequential",
    "Model": "keras.Model",
    "keras": "keras",
    "tf": "tensorflow",
    "layers": "keras.layers",
    "models": "keras.models",
    "losses": "keras.losses",
    "to_categorical": "keras.utils.to_categorical",
    "torch": "torch",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "optim": "torch.optim",
    "np": "numpy",
}
