"""The empirical probe: what a model's outputs hold on a real batch, what its labels look like.

NumPy only, shared by the Keras and PyTorch inspectors: custom layers are judged by what they
emit, not by their names.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from logitguard.core.facts import Emits, LabelFormat, Labels, TargetKind, ValueRange

# Below this many output values a batch cannot tell logits from probabilities.
MIN_PROBE_VALUES = 8
PROBE_TOLERANCE = 1e-5
ROW_SUM_TOLERANCE = 1e-3
# Integer labels show the number of classes only when every class occurs this often on average.
MIN_SAMPLES_PER_CLASS = 10
# Whole-number targets above 1 with this many distinct values in one batch are measurements.
MIN_DISTINCT_MEASUREMENTS = 20


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
    """Label format, kind (classes or continuous), range and, where the batch shows it, the
    number of classes."""
    labels = np.asarray(y)
    if labels.ndim == 0 or labels.size == 0 or not np.issubdtype(labels.dtype, np.number):
        return None
    display = f"y (shape {tuple(labels.shape)})"
    if not np.all(np.isfinite(labels)):
        return Labels(LabelFormat.UNKNOWN, display)
    value_range = ValueRange(float(labels.min()), float(labels.max()))
    integral = bool(np.all(labels == np.round(labels)))
    if labels.ndim == 1 or labels.shape[-1] == 1:
        if not integral:
            continuous = TargetKind.CONTINUOUS
            return Labels(LabelFormat.UNKNOWN, display, kind=continuous, value_range=value_range)
        return _integer_column(labels, display, units, value_range)
    rows = labels.reshape(-1, labels.shape[-1]).astype(np.float64)
    is_distribution = rows.min() >= 0 and np.allclose(rows.sum(axis=-1), 1.0, atol=1e-3)
    if is_distribution:
        return Labels(
            LabelFormat.ONE_HOT,
            display,
            num_classes=rows.shape[-1],
            kind=TargetKind.CLASSES,
            value_range=value_range,
        )
    # Several 0/1 columns: multi-label targets. Several real columns: a multi-output regression.
    kind = TargetKind.UNKNOWN
    if not integral:
        kind = TargetKind.CONTINUOUS
    elif set(np.unique(rows)) <= {0.0, 1.0}:
        kind = TargetKind.CLASSES
    return Labels(LabelFormat.UNKNOWN, display, kind=kind, value_range=value_range)


def _integer_column(
    labels: np.ndarray, display: str, units: int | None, value_range: ValueRange
) -> Labels:
    """Whole numbers in one column: class indices (from 0 or 1), -1/1 labels, or measurements
    that happen to be whole (counts, scores): the values tell which."""
    distinct = np.unique(labels)
    if value_range.low < 0:
        signs = set(distinct.tolist()) <= {-1, 0, 1}
        kind = TargetKind.CLASSES if signs else TargetKind.UNKNOWN
        count = len(distinct) if signs else None
        unknown = LabelFormat.UNKNOWN
        return Labels(unknown, display, num_classes=count, kind=kind, value_range=value_range)
    if value_range.low > 1:
        # No class index starts above 1; many distinct values are measurements (a score).
        many = len(distinct) >= MIN_DISTINCT_MEASUREMENTS
        kind = TargetKind.CONTINUOUS if many else TargetKind.UNKNOWN
        return Labels(LabelFormat.UNKNOWN, display, kind=kind, value_range=value_range)
    top = int(value_range.high) + 1
    # A batch shows at least `top` classes; it shows all of them only when every class is
    # there with enough samples (otherwise the rarest classes may simply be missing).
    seen_all = len(distinct) == top and labels.size >= MIN_SAMPLES_PER_CLASS * top
    too_many = units is not None and top > max(units, 2)
    return Labels(
        LabelFormat.INTEGER,
        display,
        num_classes=top if seen_all or too_many else None,
        kind=TargetKind.CLASSES,
        value_range=value_range,
    )
