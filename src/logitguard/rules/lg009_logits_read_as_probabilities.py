"""LG009: at prediction time, raw logits rounded, cut at 0.5 or sampled as probabilities."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def _outputs_are_logits(setup: TrainingSetup) -> bool:
    if setup.head is not None and setup.head.emits is not Emits.UNKNOWN:
        return setup.head.emits is Emits.LOGITS
    return setup.loss is not None and setup.loss.expects is Emits.LOGITS


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    if not _outputs_are_logits(setup):
        return
    for prediction in setup.predictions:
        yield Diagnosis(
            message=f"{prediction.display}: the model outputs raw logits, which are "
            f"{prediction.misuse.value} as if they were probabilities",
            location=prediction.location,
        )


RULE = Rule(
    code="LG009",
    name="logits-read-as-probabilities",
    severity=Severity.ERROR,
    summary="raw logits rounded, thresholded at 0.5 or sampled as probabilities",
    why="A model trained with from_logits=True outputs raw scores, not probabilities: a logit of "
    "0.3 is p = 0.57, a logit of -2 is p = 0.12. Rounding them, cutting them at 0.5 or sampling "
    "from them as a distribution gives wrong classes and meaningless confidences. The training "
    "metrics look fine; only predictions are wrong.",
    fix="Convert first: softmax/sigmoid over the outputs (logitguard.probability_model(model) "
    "wraps a Keras model), or threshold logits at 0 and take argmax over logits.",
    check=check,
    examples=(
        invalid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
model.fit(x, y)
predicted = np.round(model.predict(x_test))
""",
        ),
        invalid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
scores = model.predict(x_test)
labels = (scores > 0.5).astype("int32")
""",
        ),
        invalid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(5)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
scores = model.predict(x_test)[0]
choice = np.random.choice(5, p=scores)
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
predicted = np.round(model.predict(x_test))
""",
        ),
        valid(
            "keras",
            """
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))
labels = (model.predict(x_test) > 0).astype("int32")
""",
        ),
        valid(
            "keras",
            """
import numpy as np
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(10)])
model.compile(optimizer="adam",
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
probabilities = tf.nn.softmax(model.predict(x_test))
classes = np.argmax(model.predict(x_test), axis=-1)
""",
        ),
    ),
)
