"""Keras losses and metrics: what they expect, and how Keras resolves 'accuracy'.

Shared by the static front end (which sees names in source) and the runtime inspector (which
sees live objects), so both describe a set-up with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from logitguard.core.facts import (
    PROBABILITY_THRESHOLD,
    Edit,
    Emits,
    LabelFormat,
    Location,
    LossFamily,
    LossUse,
    MetricKind,
    MetricUse,
)


@dataclass(frozen=True)
class KerasLoss:
    family: LossFamily
    class_name: str
    function_name: str
    short_names: tuple[str, ...] = ()
    # Whether it can be told its input is logits: KLDivergence always takes probabilities.
    has_from_logits: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return (self.class_name, self.function_name, *self.short_names)


LOSSES: tuple[KerasLoss, ...] = (
    KerasLoss(LossFamily.BINARY, "BinaryCrossentropy", "binary_crossentropy", ("bce",)),
    KerasLoss(LossFamily.BINARY, "BinaryFocalCrossentropy", "binary_focal_crossentropy"),
    KerasLoss(
        LossFamily.CATEGORICAL, "CategoricalCrossentropy", "categorical_crossentropy", ("cce",)
    ),
    KerasLoss(
        LossFamily.CATEGORICAL, "CategoricalFocalCrossentropy", "categorical_focal_crossentropy"
    ),
    KerasLoss(
        LossFamily.SPARSE_CATEGORICAL,
        "SparseCategoricalCrossentropy",
        "sparse_categorical_crossentropy",
        ("scce",),
    ),
    KerasLoss(
        LossFamily.KL_DIVERGENCE,
        "KLDivergence",
        "kl_divergence",
        ("kld", "KLD", "kullback_leibler_divergence"),
        has_from_logits=False,
    ),
)
_LOSSES_BY_NAME = {name: loss for loss in LOSSES for name in loss.names}


# Layers whose output holds the same kind of values as their input.
PASS_THROUGH_LAYERS = frozenset(
    {
        "Dropout",
        "AlphaDropout",
        "GaussianDropout",
        "GaussianNoise",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "ActivityRegularization",
        "Identity",
        "Reshape",
        "Flatten",
    }
)


def find_loss(name: str) -> KerasLoss | None:
    """A loss by string identifier, function name or class name ('keras.losses.' optional)."""
    return _LOSSES_BY_NAME.get(name.rsplit(".", 1)[-1])


def expected_input(loss: KerasLoss, from_logits: bool) -> Emits:
    if from_logits:
        return Emits.LOGITS
    return Emits.SIGMOID if loss.family is LossFamily.BINARY else Emits.SOFTMAX


def loss_use(
    loss: KerasLoss,
    from_logits: bool,
    display: str,
    *,
    location: Location | None = None,
    to_logits_edit: Edit | None = None,
    to_probabilities_edit: Edit | None = None,
) -> LossUse:
    if not loss.has_from_logits:  # no keyword to set: the model must give probabilities
        return LossUse(
            family=loss.family,
            expects=Emits.SOFTMAX,
            display=display,
            location=location,
            logits_remedy=f"a softmax as the model's last activation: {loss.class_name} takes "
            "probabilities and has no from_logits",
        )
    return LossUse(
        family=loss.family,
        expects=expected_input(loss, from_logits),
        display=display,
        location=location,
        logits_remedy=f"keras.losses.{loss.class_name}(from_logits=True)",
        probabilities_remedy=f"keras.losses.{loss.class_name}(from_logits=False)",
        to_logits_edit=to_logits_edit,
        to_probabilities_edit=to_probabilities_edit,
    )


def by_default(loss: KerasLoss, written: str) -> str:
    """How a finding shows a loss given no from_logits: `'binary_crossentropy'
    (from_logits=False by default)`; `'kld'`, which has none."""
    if not loss.has_from_logits:
        return written
    return f"{written} (from_logits=False by default)"


ACCURACY_ALIASES = ("accuracy", "acc")
_METRIC_KINDS = {
    "binary_accuracy": MetricKind.BINARY_ACCURACY,
    "BinaryAccuracy": MetricKind.BINARY_ACCURACY,
    "categorical_accuracy": MetricKind.CATEGORICAL_ACCURACY,
    "CategoricalAccuracy": MetricKind.CATEGORICAL_ACCURACY,
    "sparse_categorical_accuracy": MetricKind.SPARSE_CATEGORICAL_ACCURACY,
    "SparseCategoricalAccuracy": MetricKind.SPARSE_CATEGORICAL_ACCURACY,
    "Precision": MetricKind.THRESHOLDED,
    "precision": MetricKind.THRESHOLDED,
    "Recall": MetricKind.THRESHOLDED,
    "recall": MetricKind.THRESHOLDED,
    "AUC": MetricKind.THRESHOLDED,
    "auc": MetricKind.THRESHOLDED,
    # The class (and its name as a string); 'accuracy' itself is resolved from the loss.
    "Accuracy": MetricKind.EXACT_MATCH,
}


def metric_kind(name: str) -> MetricKind:
    """The kind of a metric named by string, function or class (not 'accuracy': resolve it)."""
    return _METRIC_KINDS.get(name.rsplit(".", 1)[-1], MetricKind.OTHER)


def resolve_accuracy(
    units: int | None,
    loss_family: LossFamily | None,
    labels: LabelFormat = LabelFormat.UNKNOWN,
    graph_mode: bool = False,
) -> tuple[MetricKind, str] | None:
    """What metrics=['accuracy'] becomes, and why; None when it cannot be known.

    Keras 3 and tf.keras 2 (eager) decide by shapes: a one-unit output gives BinaryAccuracy,
    integer labels give SparseCategoricalAccuracy, otherwise CategoricalAccuracy. Only tf.keras
    in TF1 graph mode (`graph_mode`) picks BinaryAccuracy for any binary_crossentropy model.
    """
    if units == 1:
        return MetricKind.BINARY_ACCURACY, "Keras makes it BinaryAccuracy: the output has 1 unit"
    if graph_mode and loss_family is LossFamily.BINARY:
        return MetricKind.BINARY_ACCURACY, (
            "Keras makes it BinaryAccuracy: tf.keras in graph mode does so for binary_crossentropy"
        )
    if units is None:
        return None  # one unit or many decides between binary and categorical
    if labels is LabelFormat.INTEGER or (
        labels is LabelFormat.UNKNOWN and loss_family is LossFamily.SPARSE_CATEGORICAL
    ):
        return MetricKind.SPARSE_CATEGORICAL_ACCURACY, (
            "Keras makes it SparseCategoricalAccuracy: the labels are class indices"
        )
    if labels is LabelFormat.UNKNOWN and loss_family is None:
        return None
    return MetricKind.CATEGORICAL_ACCURACY, (
        f"Keras makes it CategoricalAccuracy: the labels have one column per unit ({units})"
    )


def metric_use(
    kind: MetricKind,
    display: str,
    *,
    location: Location | None = None,
    threshold: float | None = None,
    resolved_because: str | None = None,
    from_logits: bool | None = None,
    logits_threshold_edit: Edit | None = None,
) -> MetricUse:
    if kind is MetricKind.BINARY_ACCURACY and threshold is None:
        threshold = PROBABILITY_THRESHOLD
    return MetricUse(
        kind=kind,
        display=display,
        location=location,
        threshold=threshold,
        resolved_because=resolved_because,
        from_logits=from_logits,
        logits_threshold_edit=logits_threshold_edit,
    )
