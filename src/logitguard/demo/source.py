"""The Keras script equivalent to one configuration, for the static checker and the report."""

from __future__ import annotations

from logitguard.demo.matrix import SIGNED_LABELS, Config

_SKLEARN_SPLIT = """\
from sklearn.datasets import load_{name}
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

x, y = load_{name}(return_X_y=True)
x_train, x_test, y_train, y_test = train_test_split(
    x, y, test_size=0.25, stratify=y, random_state={seed}
)
"""

_FASHION_MNIST = """\
from sklearn.preprocessing import StandardScaler

(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
x_train = x_train.reshape(len(x_train), -1).astype("float32")
x_test = x_test.reshape(len(x_test), -1).astype("float32")
"""

_MODEL = """\
scaler = StandardScaler().fit(x_train)
x_train, x_test = scaler.transform(x_train), scaler.transform(x_test)
{labels}
keras.utils.set_random_seed({seed})
model = keras.Sequential(
    [
        keras.Input(shape=({features},)),
        keras.layers.Dense({hidden}, activation="relu"),
        keras.layers.{head},
    ]
)
model.compile(
    optimizer={optimizer},
    loss=keras.losses.{loss},
    metrics=[{metric}],
)
model.fit(x_train, y_train, epochs={epochs}, batch_size={batch_size})
print(model.evaluate(x_test, y_test, return_dict=True))
"""

_ONE_HOT = """\
y_train = keras.utils.to_categorical(y_train, {classes})
y_test = keras.utils.to_categorical(y_test, {classes})
"""

_SIGNED = """\
y_train = {signed}
y_test = {signed_test}
"""


def keras_source(
    config: Config,
    *,
    num_features: int,
    hidden_units: int,
    epochs: int,
    batch_size: int,
    optimizer_source: str,
    seed: int,
    backend: str,
) -> str:
    if config.dataset == "fashion_mnist":
        data = _FASHION_MNIST
    else:
        data = _SKLEARN_SPLIT.format(name=config.dataset, seed=seed)
    metric = config.metric_source
    if config.threshold is not None:
        metric = f"keras.metrics.{metric}"
    labels = ""
    if config.one_hot:
        labels = _ONE_HOT.format(classes=config.num_classes)
    elif config.signed_labels:
        signed = SIGNED_LABELS.replace("y", "y_train")
        labels = _SIGNED.format(signed=signed, signed_test=SIGNED_LABELS.replace("y", "y_test"))
    model = _MODEL.format(
        labels=labels,
        seed=seed,
        features=num_features,
        hidden=hidden_units,
        head=config.head_source,
        optimizer=optimizer_source,
        loss=config.loss_source,
        metric=metric,
        epochs=epochs,
        batch_size=batch_size,
    )
    header = f'import os\n\nos.environ["KERAS_BACKEND"] = "{backend}"\nimport keras\n'
    return f"# logitguard demo: {config.title}\n{header}\n{data}{model}"
