"""Regression losses of Keras and PyTorch: a model trained with one is not a classifier.

Shared by the static front ends (names in source) and the runtime inspectors (live objects), so
that rules can tell a regression set-up from an unknown loss.
"""

from __future__ import annotations

# Keras: string identifiers, function names and class names.
KERAS: frozenset[str] = frozenset(
    {
        "mse",
        "MSE",
        "mean_squared_error",
        "MeanSquaredError",
        "mae",
        "MAE",
        "mean_absolute_error",
        "MeanAbsoluteError",
        "mape",
        "MAPE",
        "mean_absolute_percentage_error",
        "MeanAbsolutePercentageError",
        "msle",
        "MSLE",
        "mean_squared_logarithmic_error",
        "MeanSquaredLogarithmicError",
        "huber",
        "huber_loss",
        "Huber",
        "log_cosh",
        "logcosh",
        "LogCosh",
    }
)
# PyTorch: nn.<Class> and torch.nn.functional.<function>.
TORCH_CLASSES: frozenset[str] = frozenset({"MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss"})
TORCH_FUNCTIONS: frozenset[str] = frozenset({"mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"})


def is_keras_regression_loss(name: str) -> bool:
    """`name`: an identifier, or a dotted path ending in one ('keras.losses.' optional)."""
    return name.rsplit(".", 1)[-1] in KERAS
