"""The empirical probe: what a model's outputs hold on a real batch, what its labels look like.

NumPy only, shared by the Keras and PyTorch inspectors: custom layers are judged by what they
emit, not by their names.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from logitguard.core.facts import Emits, LabelFormat, Labels

# Below this many output values a batch cannot tell logits from probabilities.
MIN_PROBE_VALUES = 8
PROBE_TOLERANCE = 1e-5
ROW_SUM_TOLERANCE = 1e-3
# Integer labels show the number of classes only when every class occurs this often on average.
MIN_SAMPLES_PER_CLASS = 10


def probe_emits(values: np.ndarray) -> Emits:
    """Judge an output batch by its values: probabilities, log-probabilities or logits."""
    values = np.asarray(values, dtype=np.float64)
    if values.size < MIN_PROBE_VALUES or not np.all(np.isfinite(values)):
        return Emits.UNKNOWN
    rows = values.reshape(-1, values.shape[-1]) if values.ndim > 1 else values.reshape(-1, 1)
    in_unit_interval = rows.min() >= -PROBE_TOLERANCE and rows.max() <= 1 + PROBE_TOLERANCE
    if in_unit_interval and np.allclose(rows.sum(axis=-1), 1.0, atol=ROW_SUM_TOLERANCE):
        return Emits.SOFTMAX
    if in_unit_interval:
        # Exact zeros come from a ReLU, not from a sigmoid (which reaches 0 only past -100).
        return Emits.SIGMOID if np.all(rows > 0) else Emits.UNKNOWN
    if rows.shape[-1] > 1 and rows.max() <= PROBE_TOLERANCE:
        log_totals = np.log(np.exp(rows).sum(axis=-1))
        if np.allclose(log_totals, 0.0, atol=ROW_SUM_TOLERANCE):
            return Emits.LOG_SOFTMAX
    return Emits.LOGITS


def read_labels(y: Any, units: int | None) -> Labels | None:
    """Label format and, where the batch shows it, the number of classes."""
    labels = np.asarray(y)
    if labels.ndim == 0 or labels.size == 0 or not np.issubdtype(labels.dtype, np.number):
        return None
    display = f"y (shape {tuple(labels.shape)})"
    if labels.ndim == 1 or labels.shape[-1] == 1:
        if labels.min() < 0 or not np.all(labels == np.round(labels)):
            return Labels(LabelFormat.UNKNOWN, display)
        top = int(labels.max()) + 1
        # A batch shows at least `top` classes; it shows all of them only when every class is
        # there with enough samples (otherwise the rarest classes may simply be missing).
        seen_all = len(np.unique(labels)) == top and labels.size >= MIN_SAMPLES_PER_CLASS * top
        too_many = units is not None and top > max(units, 2)
        return Labels(
            LabelFormat.INTEGER, display, num_classes=top if seen_all or too_many else None
        )
    rows = labels.reshape(-1, labels.shape[-1]).astype(np.float64)
    is_distribution = rows.min() >= 0 and np.allclose(rows.sum(axis=-1), 1.0, atol=1e-3)
    if is_distribution:
        return Labels(LabelFormat.ONE_HOT, display, num_classes=rows.shape[-1])
    return Labels(LabelFormat.UNKNOWN, display)  # multi-label targets
