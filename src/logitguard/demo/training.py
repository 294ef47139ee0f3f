"""Train one configuration with Keras and measure what it reports against what it does.

Imports Keras at module level: only `logitguard.demo.command.run` imports this module, after it
has checked that the `demo` extra is installed.
"""

from __future__ import annotations

import importlib
import logging
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from logitguard.demo.checks import runtime_check, static_check
from logitguard.demo.data import Dataset
from logitguard.demo.matrix import Config
from logitguard.demo.results import ConfigResult, SeedRun
from logitguard.demo.source import keras_source

# Keras' clipping epsilon: probabilities are clipped the same way before taking logs.
EPSILON = 1e-7
SGD_LEARNING_RATE = 0.05
SGD_MOMENTUM = 0.9
# Several steps per compiled call: the MLP is tiny, so Python overhead dominates a step. Keras'
# torch backend runs one step at a time.
STEPS_PER_EXECUTION = 8


@dataclass(frozen=True)
class Settings:
    epochs: int
    optimizer: str  # "adam" or "sgd"
    batch_size: int
    seeds: tuple[int, ...]

    @property
    def optimizer_source(self) -> str:
        if self.optimizer == "sgd":
            return (
                f"keras.optimizers.SGD(learning_rate={SGD_LEARNING_RATE}, momentum={SGD_MOMENTUM})"
            )
        return '"adam"'

    def make_optimizer(self) -> keras.optimizers.Optimizer:
        if self.optimizer == "sgd":
            return keras.optimizers.SGD(learning_rate=SGD_LEARNING_RATE, momentum=SGD_MOMENTUM)
        return keras.optimizers.Adam()


def backend_name() -> str:
    return keras.backend.backend()


def describe_device() -> str:
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        names = [
            tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
            for gpu in gpus
        ]
        return f"GPU ({', '.join(names)})" if names else "CPU"
    if backend == "torch":
        import torch

        return f"GPU ({torch.cuda.get_device_name()})" if torch.cuda.is_available() else "CPU"
    if backend == "jax":
        import jax

        return jax.devices()[0].platform.upper()
    return "unknown"


def versions() -> dict[str, str]:
    import matplotlib
    import sklearn

    import logitguard

    backend = keras.backend.backend()
    backend_module = {"tensorflow": "tensorflow", "torch": "torch", "jax": "jax"}.get(backend)
    backend_version = (
        importlib.import_module(backend_module).__version__ if backend_module else "unknown"
    )
    return {
        "logitguard": logitguard.__version__,
        "keras": keras.__version__,
        backend: backend_version,
        "scikit-learn": sklearn.__version__,
        "matplotlib": matplotlib.__version__,
    }


def prepare_backend() -> None:
    """Same seed, same numbers: deterministic kernels where the backend offers them. Also hush
    TensorFlow's notices about retracing: the demo builds a new model per run on purpose."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
        logging.getLogger("tensorflow").setLevel(logging.ERROR)


def formatted_labels(config: Config, y: np.ndarray) -> np.ndarray:
    if config.signed_labels:
        return (y * 2 - 1).astype("float32").reshape(-1, 1)
    if config.binary:
        return y.astype("float32").reshape(-1, 1)
    if config.one_hot:
        return np.eye(config.num_classes, dtype="float32")[y]
    return y


def build_model(config: Config, dataset: Dataset, settings: Settings) -> keras.Model:
    model = keras.Sequential(
        [
            keras.Input(shape=(dataset.num_features,)),
            keras.layers.Dense(dataset.recipe.hidden_units, activation="relu"),
            keras.layers.Dense(config.units, activation=config.activation),
        ]
    )
    loss = getattr(keras.losses, config.loss_class)(from_logits=config.from_logits)
    metric = (
        "accuracy"
        if config.threshold is None
        else keras.metrics.BinaryAccuracy(threshold=config.threshold)
    )
    model.compile(
        optimizer=settings.make_optimizer(),
        loss=loss,
        metrics=[metric],
        steps_per_execution=1 if backend_name() == "torch" else STEPS_PER_EXECUTION,
    )
    return model


def predicted_classes(config: Config, outputs: np.ndarray) -> np.ndarray:
    if config.binary:
        return (outputs[:, 0] > config.decision_boundary).astype("int64")
    return np.argmax(outputs, axis=1)


def log_probabilities(config: Config, outputs: np.ndarray) -> np.ndarray:
    """Per-class log-probabilities implied by the head (n, classes), computed stably."""
    outputs = outputs.astype("float64")
    if config.binary:
        if config.emits_logits:
            logit = outputs[:, 0]
            # log sigmoid(z) = -log(1 + e^-z); log(1 - sigmoid(z)) = -log(1 + e^z)
            return np.stack([-np.logaddexp(0, logit), -np.logaddexp(0, -logit)], axis=1)
        positive = np.clip(outputs[:, 0], EPSILON, 1 - EPSILON)
        return np.log(np.stack([1 - positive, positive], axis=1))
    if config.emits_logits:
        shifted = outputs - outputs.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return np.log(np.clip(outputs, EPSILON, 1 - EPSILON))


def _metric_value(results: dict[str, float]) -> float:
    """The compiled accuracy in a results dict: the one entry that is not the loss."""
    (value,) = (
        float(keras.ops.convert_to_numpy(value))
        for name, value in results.items()
        if name != "loss"
    )
    return value


class AccuracyMonitor(keras.callbacks.Callback):
    """After every epoch, on the test set: the accuracy the compiled metric reports and the true
    one, from the same outputs.

    The compiled metric gets the outputs through `model.compute_metrics`, the call that
    `model.evaluate` makes for every batch. Calling `evaluate` itself would trace a test function
    for every model, which costs about as much as training a configuration on digits.
    """

    def __init__(self, config: Config, dataset: Dataset) -> None:
        super().__init__()
        self.config = config
        self.x = dataset.x_test
        self.y = dataset.y_test
        self.y_formatted = formatted_labels(config, dataset.y_test)
        self.reported_accuracy: list[float] = []
        self.true_accuracy: list[float] = []

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        outputs = self.model(self.x, training=False)
        predicted = predicted_classes(self.config, keras.ops.convert_to_numpy(outputs))
        self.true_accuracy.append(float(np.mean(predicted == self.y)))
        # The epoch's logs are final here, and the next epoch resets the metrics anyway.
        for metric in self.model.metrics:
            metric.reset_state()
        reported = self.model.compute_metrics(self.x, self.y_formatted, outputs)
        self.reported_accuracy.append(_metric_value(reported))


def _keras_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    # Some Keras messages carry their own quotes.
    return sorted(
        {
            str(warning.message).strip().strip('"')
            for warning in caught
            if "keras" in warning.filename
        }
    )


def _fresh_model(config: Config, dataset: Dataset, settings: Settings, seed: int) -> keras.Model:
    keras.utils.set_random_seed(seed)
    return build_model(config, dataset, settings)


def _training_batches(config: Config, dataset: Dataset, settings: Settings, seed: int) -> Any:
    """Shuffled batches, reshuffled every epoch, without end.

    The same batches `fit(x, y, batch_size=...)` draws, but from one pipeline: given arrays,
    Keras builds a new iterator every epoch, which costs more than an epoch of training here.
    """
    import tensorflow as tf

    labels = formatted_labels(config, dataset.y_train)
    return (
        tf.data.Dataset.from_tensor_slices((dataset.x_train, labels))
        .shuffle(len(labels), seed=seed, reshuffle_each_iteration=True)
        .batch(settings.batch_size)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )


def _fit(
    model: keras.Model, config: Config, dataset: Dataset, settings: Settings, seed: int
) -> SeedRun:
    monitor = AccuracyMonitor(config, dataset)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(
            _training_batches(config, dataset, settings, seed),
            epochs=settings.epochs,
            steps_per_epoch=math.ceil(len(dataset.y_train) / settings.batch_size),
            shuffle=False,  # the pipeline shuffles
            callbacks=[monitor],
            verbose=0,
        )
    raw_outputs = model(dataset.x_test, training=False)
    outputs = keras.ops.convert_to_numpy(raw_outputs)
    log_probs = log_probabilities(config, outputs)
    # The compiled loss on the model's own output tensor: on TensorFlow that tensor remembers
    # the logits beneath a softmax/sigmoid layer, as it does inside fit().
    reported = model.loss(formatted_labels(config, dataset.y_test), raw_outputs)
    return SeedRun(
        seed=seed,
        train_loss=[float(value) for value in history.history["loss"]],
        reported_accuracy=monitor.reported_accuracy,
        true_accuracy=monitor.true_accuracy,
        true_log_loss=float(-np.mean(log_probs[np.arange(len(dataset.y_test)), dataset.y_test])),
        keras_warnings=_keras_warnings(caught),
        reported_log_loss=float(keras.ops.convert_to_numpy(reported)),
    )


def run_config(
    config: Config,
    dataset: Dataset,
    settings: Settings,
    on_run_done: Callable[[], None] = lambda: None,
) -> ConfigResult:
    """Train `config` once per seed; check its source statically and its first model at run
    time, before training, as the LogitGuard callback would."""
    source = keras_source(
        config,
        num_features=dataset.num_features,
        hidden_units=dataset.recipe.hidden_units,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        optimizer_source=settings.optimizer_source,
        seed=settings.seeds[0],
        backend=backend_name(),
    )
    first_seed, *other_seeds = settings.seeds
    model = _fresh_model(config, dataset, settings, first_seed)
    batch = slice(0, settings.batch_size)
    runtime = runtime_check(
        model, dataset.x_train[batch], formatted_labels(config, dataset.y_train[batch])
    )
    runs = [_fit(model, config, dataset, settings, first_seed)]
    on_run_done()
    for seed in other_seeds:
        runs.append(
            _fit(_fresh_model(config, dataset, settings, seed), config, dataset, settings, seed)
        )
        on_run_done()
    return ConfigResult(
        config=config,
        source=source,
        runs=runs,
        static=static_check(source, f"{config.slug}.py"),
        runtime=runtime,
    )
