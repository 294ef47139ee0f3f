"""The experiment matrix: every combination of head, loss input and labels or metric (issue 5).

Pure data (no framework import), so the command line and the source templates can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

# The decision boundary of a binary head: a sigmoid probability is positive above 0.5, a logit
# above 0.
PROBABILITY_BOUNDARY = 0.5
LOGIT_BOUNDARY = 0.0
SIGNED_LABELS = "y * 2 - 1"


@dataclass(frozen=True)
class Config:
    """One way to wire the classifier: what the head emits, what the loss expects, the labels."""

    dataset: str
    num_classes: int
    activation: str | None  # "softmax", "sigmoid" or None: a linear head that emits logits
    from_logits: bool
    one_hot: bool = False  # multi-class: one-hot labels with CategoricalCrossentropy
    # Binary: BinaryAccuracy(threshold=...); None means metrics=["accuracy"].
    threshold: float | None = None
    # Binary: the 0/1 labels rescaled to -1/1 (y * 2 - 1), a mismatch only the data shows.
    signed_labels: bool = False

    @property
    def binary(self) -> bool:
        return self.num_classes == 2

    @property
    def units(self) -> int:
        return 1 if self.binary else self.num_classes

    @property
    def emits_logits(self) -> bool:
        return self.activation is None

    @property
    def decision_boundary(self) -> float:
        """Where a binary output turns positive, for what the head really emits."""
        return LOGIT_BOUNDARY if self.emits_logits else PROBABILITY_BOUNDARY

    @property
    def loss_class(self) -> str:
        if self.binary:
            return "BinaryCrossentropy"
        return "CategoricalCrossentropy" if self.one_hot else "SparseCategoricalCrossentropy"

    @property
    def head_source(self) -> str:
        if self.activation is None:
            return f"Dense({self.units})"
        return f'Dense({self.units}, activation="{self.activation}")'

    @property
    def loss_source(self) -> str:
        return f"{self.loss_class}(from_logits={self.from_logits})"

    @property
    def metric_source(self) -> str:
        if self.threshold is None:
            return '"accuracy"'
        return f"BinaryAccuracy(threshold={self.threshold})"

    @property
    def labels(self) -> str:
        if self.signed_labels:
            return f"-1/1 ({SIGNED_LABELS})"
        if self.binary:
            return "0/1"
        return "one-hot" if self.one_hot else "integer"

    @property
    def data_source(self) -> str:
        """The data set, and how its labels were changed when they were."""
        return f"{self.dataset} (labels {SIGNED_LABELS})" if self.signed_labels else self.dataset

    @property
    def slug(self) -> str:
        """A file-name-safe identifier, unique within a run."""
        head = self.activation or "linear"
        parts = [self.dataset, head, f"from_logits_{str(self.from_logits).lower()}"]
        if self.binary:
            parts.append("accuracy" if self.threshold is None else f"threshold_{self.threshold}")
        else:
            parts.append("onehot" if self.one_hot else "sparse")
        if self.signed_labels:
            parts.append("labels_minus_one_one")
        return "-".join(parts)

    @property
    def title(self) -> str:
        title = f"{self.head_source} · {self.loss_source} · {self.metric_source}"
        return f"{title} · labels {SIGNED_LABELS}" if self.signed_labels else title


def multiclass_matrix(dataset: str, num_classes: int) -> list[Config]:
    """{softmax, linear} head x {from_logits True, False} x {integer, one-hot labels}."""
    return [
        Config(dataset, num_classes, activation, from_logits, one_hot=one_hot)
        for activation in ("softmax", None)
        for from_logits in (True, False)
        for one_hot in (False, True)
    ]


def binary_matrix(dataset: str) -> list[Config]:
    """{sigmoid, linear} head x {from_logits True, False} x {BinaryAccuracy at 0.5, at 0.0,
    'accuracy'}, then the correct sigmoid set-up trained on labels rescaled to -1/1."""
    return [
        *(
            Config(dataset, 2, activation, from_logits, threshold=threshold)
            for activation in ("sigmoid", None)
            for from_logits in (True, False)
            for threshold in (PROBABILITY_BOUNDARY, LOGIT_BOUNDARY, None)
        ),
        Config(dataset, 2, "sigmoid", from_logits=False, signed_labels=True),
    ]


def matrix(dataset: str, num_classes: int) -> list[Config]:
    if num_classes == 2:
        return binary_matrix(dataset)
    return multiclass_matrix(dataset, num_classes)
