"""Time Keras fit() with and without the LogitGuard callback; prints both and their ratio.

    python benchmarks/guard_overhead.py [--epochs 5] [--repeats 9]

Two identical digits MLPs train alternately (interleaved, the order swapped every round, so
load on the machine hits both alike), each warmed up by one fit first so that tracing the train
step is not timed. The guard gets a sample, so its one-time inspection and probe are measured,
as is its stall watch over the first steps. Besides the end-to-end ratio (goal <= 1.01), the
time spent inside the guard's hooks is measured directly, which a busy machine cannot blur.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
from sklearn.datasets import load_digits

from logitguard.keras import LogitGuard

BATCH_SIZE = 32


class TimedGuard(LogitGuard):
    """LogitGuard that adds up the wall time spent in its own hooks."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.seconds_inside = 0.0

    def on_train_begin(self, logs=None) -> None:
        start = time.perf_counter()
        super().on_train_begin(logs)
        self.seconds_inside += time.perf_counter() - start

    def on_epoch_begin(self, epoch, logs=None) -> None:
        start = time.perf_counter()
        super().on_epoch_begin(epoch, logs)
        self.seconds_inside += time.perf_counter() - start

    def on_train_batch_end(self, batch, logs=None) -> None:
        start = time.perf_counter()
        super().on_train_batch_end(batch, logs)
        self.seconds_inside += time.perf_counter() - start


def build_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((64,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def timed_fit(model: keras.Model, x: np.ndarray, y: np.ndarray, epochs: int, callbacks) -> float:
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH_SIZE, epochs=epochs, verbose=0, callbacks=callbacks)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype("float32")
    sample = (x[:256], y[:256])
    plain, guarded = build_model(), build_model()
    timed_fit(plain, x, y, 1, [])
    timed_fit(guarded, x, y, 1, [LogitGuard(sample=sample)])

    plain_times, guarded_times, inside_times = [], [], []
    for round_index in range(args.repeats):
        guard = TimedGuard(sample=sample)
        runs = [("plain", plain, []), ("guarded", guarded, [guard])]
        for label, model, callbacks in runs if round_index % 2 == 0 else runs[::-1]:
            seconds = timed_fit(model, x, y, args.epochs, callbacks)
            (plain_times if label == "plain" else guarded_times).append(seconds)
        inside_times.append(guard.seconds_inside)

    steps = args.epochs * -(-len(x) // BATCH_SIZE)
    plain_median = statistics.median(plain_times)
    guarded_median = statistics.median(guarded_times)
    pair_ratios = [g / p for g, p in zip(guarded_times, plain_times, strict=True)]
    inside = statistics.median(inside_times)
    print(f"fit() of {steps} steps, {args.repeats} interleaved rounds")
    print(f"without LogitGuard: median {plain_median:.3f} s  (min {min(plain_times):.3f} s)")
    print(f"with LogitGuard:    median {guarded_median:.3f} s  (min {min(guarded_times):.3f} s)")
    print(f"ratio of medians:            {guarded_median / plain_median:.4f}")
    print(f"median of per-round ratios:  {statistics.median(pair_ratios):.4f}")
    print(
        f"time inside the guard: median {inside * 1000:.1f} ms per fit "
        f"= {inside / plain_median:.2%} of a plain fit (ratio {1 + inside / plain_median:.4f})"
    )


if __name__ == "__main__":
    main()
