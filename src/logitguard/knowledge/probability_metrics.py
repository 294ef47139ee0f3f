"""scikit-learn's metrics of predicted probabilities: given raw scores, what they report is
meaningless (`log_loss` clips them into [0, 1]; `brier_score_loss` compares them with 0/1
outcomes)."""

from __future__ import annotations

import ast

# Where each takes the probabilities: by position, and by its keywords (`brier_score_loss`
# renamed `y_prob` to `y_proba`).
PROBABILITY_METRICS: dict[str, tuple[int, tuple[str, ...]]] = {
    "sklearn.metrics.log_loss": (1, ("y_pred",)),
    "sklearn.metrics.brier_score_loss": (1, ("y_proba", "y_prob")),
    "sklearn.calibration.calibration_curve": (1, ("y_prob",)),
}


def probabilities_given(call: ast.Call, path: str | None) -> ast.expr | None:
    """What a probability metric (`log_loss(y, p)`) is given as probabilities."""
    where = PROBABILITY_METRICS.get(path or "")
    if where is None:
        return None
    position, names = where
    for given in call.keywords:
        if given.arg in names:
            return given.value
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return None
