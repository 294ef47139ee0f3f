"""KerasHub (formerly KerasNLP) task classifiers: what their last layer gives.

`keras_hub.models.BertClassifier.from_preset("bert_base_en", num_classes=2)`,
`ImageClassifier`, `TextClassifier` and the other `...Classifier` tasks end in a dense layer
with `activation=None` unless the call passes one: raw logits, which their own default
`compile()` trains with `from_logits=True`. A `compile(loss="sparse_categorical_crossentropy")`
of the user's reads them as probabilities.
"""

from __future__ import annotations

import re

UNITS_KEYWORD = "num_classes"
ACTIVATION_KEYWORD = "activation"
_CLASSIFIER = re.compile(r"(?:keras_hub|keras_nlp)\.models\.(\w*Classifier)(?:\.(?:from_preset))?")


def classifier(path: str) -> str | None:
    """The class name of the KerasHub classifier task that `path` makes, or None."""
    if not path.startswith(("keras_hub.", "keras_nlp.")):
        return None
    match = _CLASSIFIER.fullmatch(path)
    return match[1] if match is not None else None
