"""Facts that every front end (AST or runtime, any framework) extracts and every rule reads.

A front end turns code or a live model into `TrainingSetup`s; rules never look at source
or framework objects, only at these facts. That is what lets the static checker and the
runtime inspector report the same codes with the same texts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

# Where a probability is cut to make a yes/no class (Keras' BinaryAccuracy, `probs > 0.5`);
# raw logits' own boundary is 0.
PROBABILITY_THRESHOLD = 0.5


class Emits(Enum):
    """What a tensor holds: what a head outputs, or what a loss or metric expects."""

    LOGITS = "raw logits"
    SOFTMAX = "softmax probabilities"
    SIGMOID = "sigmoid probabilities"
    LOG_SOFTMAX = "log-probabilities (log_softmax)"
    UNKNOWN = "unknown values"

    @property
    def is_probability(self) -> bool:
        return self in (Emits.SOFTMAX, Emits.SIGMOID)

    @property
    def is_normalised(self) -> bool:
        """Probabilities or their logs: what a sigmoid, softmax or log_softmax makes of raw
        scores."""
        return self.is_probability or self is Emits.LOG_SOFTMAX

    def squashed_by(self, activation: Emits) -> bool:
        """Whether applying `activation` to values of this kind squashes probabilities: any
        sigmoid of probabilities, a softmax of softmax outputs (over the same axis)."""
        if not self.is_probability:
            return False
        return activation is Emits.SIGMOID or (activation is self is Emits.SOFTMAX)


class LossFamily(Enum):
    BINARY = "binary cross-entropy"
    CATEGORICAL = "categorical cross-entropy (one-hot targets)"
    SPARSE_CATEGORICAL = "sparse categorical cross-entropy (integer targets)"
    # PyTorch's CrossEntropyLoss accepts class indices or class probabilities.
    CATEGORICAL_ANY_TARGET = "categorical cross-entropy"
    NEGATIVE_LOG_LIKELIHOOD = "negative log-likelihood"
    # PyTorch's KLDivLoss: log-probabilities against target distributions, not class indices.
    KL_DIVERGENCE = "KL divergence"

    @property
    def normalises_over_classes(self) -> bool:
        """A categorical cross-entropy: a softmax (applied or assumed) over the units."""
        return self in _NORMALISING

    @property
    def per_class(self) -> bool:
        """Needs one unit per class: a class index selects a unit."""
        return self in _NORMALISING or self is LossFamily.NEGATIVE_LOG_LIKELIHOOD


_NORMALISING = frozenset(
    {
        LossFamily.CATEGORICAL,
        LossFamily.SPARSE_CATEGORICAL,
        LossFamily.CATEGORICAL_ANY_TARGET,
    }
)


class LabelFormat(Enum):
    INTEGER = "integer class indices"
    ONE_HOT = "one-hot vectors"
    UNKNOWN = "unknown"


class TargetKind(Enum):
    """Whether targets name classes (a classifier's) or are measurements (a regression's)."""

    CLASSES = "class labels"
    CONTINUOUS = "continuous values"
    UNKNOWN = "unknown"


class MetricKind(Enum):
    BINARY_ACCURACY = "BinaryAccuracy"
    CATEGORICAL_ACCURACY = "CategoricalAccuracy"
    SPARSE_CATEGORICAL_ACCURACY = "SparseCategoricalAccuracy"
    THRESHOLDED = "thresholded metric"  # Precision, Recall, AUC...: thresholds on probabilities
    EXACT_MATCH = "Accuracy"  # keras.metrics.Accuracy(): outputs equal to the labels
    OTHER = "other"


class PredictionMisuse(Enum):
    # Values read in "outputs ..., which are <value> as if they were probabilities".
    ROUNDED = "rounded"  # np.round(model.predict(x))
    THRESHOLDED = "cut at 0.5"  # model.predict(x) > 0.5
    SAMPLED = "sampled from"  # torch.multinomial(logits) / np.random.choice(p=logits)
    # `def predict_proba(self, x): return self.model(x)`: scikit-learn's name for probabilities.
    RETURNED_AS_PROBABILITIES = "returned by predict_proba"
    # Categorical(logits=probs), jax.random.categorical(key, probs): recorded by front ends only
    # for values known to hold probabilities, so LG009 (logits heads) never sees it.
    READ_AS_LOGITS = "read as logits"
    # np.argmax(model.predict(x), axis=1) over a head of one unit: recorded by front ends only
    # for such heads, whatever they emit (LG023).
    ARGMAX_OVER_ONE_UNIT = "reduced by an argmax over their one unit"
    # `torch.softmax(model(x), dim=1)` of raw outputs: recorded by front ends only for a model's
    # raw outputs; LG024 reads it of heads trained with a sigmoid loss.
    SOFTMAXED = "put through a softmax"
    # scikit-learn's metrics of predicted probabilities: `log_loss(y, scores)`.
    SCORED = "given to a probability metric"

    @property
    def reads_probabilities(self) -> bool:
        """Rounding, a cut at 0.5, sampling: what only probabilities make sense of."""
        return self in (
            PredictionMisuse.ROUNDED,
            PredictionMisuse.THRESHOLDED,
            PredictionMisuse.SAMPLED,
            PredictionMisuse.RETURNED_AS_PROBABILITIES,
            PredictionMisuse.SCORED,
        )


@dataclass(frozen=True)
class Location:
    """1-based line, 0-based column, as Python's `ast` reports them.

    In a notebook, `cell` is the 1-based index of the code cell and `line` counts within it.
    """

    path: str
    line: int
    col: int = 0
    end_line: int | None = None
    end_col: int | None = None
    cell: int | None = None


@dataclass(frozen=True)
class Edit:
    """A safe rewrite a fixer can apply without judgement.

    `keyword` set: add or replace keyword argument `keyword=replacement` on the call at `target`.
    `keyword` None: replace the whole expression at `target` by `replacement`.
    """

    target: Location
    replacement: str
    keyword: str | None = None


@dataclass(frozen=True)
class Head:
    """The last step of a model: what it emits and how many units it has."""

    emits: Emits
    display: str  # e.g. "Dense(10)" or "nn.Softmax(dim=1)", used in messages
    location: Location | None = None
    units: int | None = None
    # The activation step, when separate from the last Dense/Linear (so a fix can drop it).
    activation_location: Location | None = None
    # torch.log(softmax(x)), torch.log(sigmoid(x)): right values, unstable numerics; the
    # probabilities whose log is taken (SOFTMAX or SIGMOID), None when there is no such log.
    unstable_log: Emits | None = None
    # The last activation when it is neither a probability nor the identity ("relu", "tanh"):
    # set only for activations known to emit something else (emits is then UNKNOWN).
    activation: str | None = None
    # What the values already were when the last activation was applied to them again: a
    # sigmoid of sigmoid outputs, a softmax of softmax outputs over the same axis.
    activated_twice: Emits | None = None
    # The activation that is no probability ("relu", "tanh") the last, a sigmoid or a
    # softmax, was applied to: `torch.sigmoid(torch.relu(z))` is never below 0.5.
    beneath: str | None = None


@dataclass(frozen=True)
class LossUse:
    family: LossFamily
    expects: Emits  # LOGITS, SOFTMAX/SIGMOID (probabilities) or LOG_SOFTMAX
    display: str  # e.g. "'binary_crossentropy'" or "SparseCategoricalCrossentropy()"
    location: Location | None = None
    # What to use instead when the head emits logits, or when it emits probabilities.
    logits_remedy: str | None = None
    probabilities_remedy: str | None = None
    to_logits_edit: Edit | None = None
    to_probabilities_edit: Edit | None = None
    # A Keras loss of Keras' own, which its TensorFlow backend computes on the logits beneath
    # a layer's softmax or sigmoid; not TensorFlow's `tf.nn.*_with_logits` given to compile.
    keras_own: bool = True


@dataclass(frozen=True)
class MetricUse:
    kind: MetricKind
    display: str
    location: Location | None = None
    threshold: float | None = None
    # Set when Keras resolved a string such as 'accuracy': says how, for the message.
    resolved_because: str | None = None
    from_logits: bool | None = None
    logits_threshold_edit: Edit | None = None


@dataclass(frozen=True)
class ValueRange:
    """The smallest and largest target value (infinite where the values are unbounded)."""

    low: float
    high: float

    @property
    def within_unit_interval(self) -> bool:
        return self.low >= 0 and self.high <= 1

    def __str__(self) -> str:
        opening = "(" if self.low == -math.inf else "["
        closing = ")" if self.high == math.inf else "]"
        return f"{opening}{self.low:g}, {self.high:g}{closing}"


@dataclass(frozen=True)
class Labels:
    """What a model is trained towards, as far as the data shows it.

    `num_classes` is the number of classes the labels index (the largest index + 1);
    `value_range` the targets' smallest and largest values, when known. `all_classes_known` is
    False when `num_classes` counts only the classes a sample shows (random labels, a literal):
    the task may have more.
    """

    format: LabelFormat
    display: str
    location: Location | None = None
    num_classes: int | None = None
    kind: TargetKind = TargetKind.UNKNOWN
    value_range: ValueRange | None = None
    all_classes_known: bool = True

    @property
    def are_continuous(self) -> bool:
        return self.kind is TargetKind.CONTINUOUS

    @property
    def are_classes(self) -> bool:
        return self.kind is TargetKind.CLASSES or self.format is not LabelFormat.UNKNOWN


@dataclass(frozen=True)
class Prediction:
    misuse: PredictionMisuse
    display: str
    location: Location | None = None


@dataclass
class TrainingSetup:
    """One model as it is trained, evaluated and used: the unit every rule checks."""

    framework: str  # "keras", "torch", "jax", or "tensorflow" for its own ops (tf.nn, tf.losses)
    head: Head | None = None
    loss: LossUse | None = None
    metrics: list[MetricUse] = field(default_factory=list)
    labels: Labels | None = None
    predictions: list[Prediction] = field(default_factory=list)
    # Number of classes when visible (a constant, np.unique(y), the data set).
    num_classes: int | None = None
    # Where the facts came from, for messages: "static" or "runtime" or "probe".
    evidence: str = "static"
    # A known regression loss (mean squared error, MAE, MAPE, Huber...) as written, when the
    # loss is one: `loss` is then None.
    regression_loss: str | None = None
    # The Keras backend that trains the model ("tensorflow", "jax", "torch"); None when the
    # code does not say. Only Keras models have one.
    backend: str | None = None

    @property
    def outputs_are_logits(self) -> bool:
        """A linear head trained as a classifier, or a loss told it receives logits.

        A linear head alone proves nothing: with a regression loss it is a regression output,
        so without a known classification loss this is False.
        """
        if self.loss is None:
            return False
        if self.head is not None and self.head.emits is not Emits.UNKNOWN:
            return self.head.emits is Emits.LOGITS
        return self.loss.expects is Emits.LOGITS
