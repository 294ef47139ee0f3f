"""Overhead of `logitguard.autocheck()` on PyTorch and Keras training; prints ratios.

    python benchmarks/autocheck_overhead.py [--epochs 5] [--repeats 7]

PyTorch: the same digits MLP trains for a few epochs of mini-batches with and without
autocheck (interleaved, the order swapped every round, so machine noise hits both alike); each
run builds a new loss module, so autocheck's one check on its first call is inside the timed
region. The cost of a loss call after that check (one set lookup) is also timed on its own.
Keras: a digits MLP is compiled and fitted with and without autocheck, interleaved; the time
spent inside autocheck's checks (one after compile, one at the first fit) is measured directly.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import timeit
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras
import numpy as np
import torch
from sklearn.datasets import load_digits
from torch import nn

import logitguard

BATCH_SIZE = 32


def digits() -> tuple[np.ndarray, np.ndarray]:
    features, labels = load_digits(return_X_y=True)
    return (features / 16.0).astype("float32"), labels


def torch_train(x: torch.Tensor, y: torch.Tensor, epochs: int) -> float:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = list(zip(x.split(BATCH_SIZE), y.split(BATCH_SIZE), strict=True))
    start = time.perf_counter()
    for _ in range(epochs):
        for xb, yb in batches:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


def loss_call_seconds(rounds: int = 5, calls: int = 20_000) -> tuple[float, float]:
    """Seconds per call of a loss module after its first call: (plain, checked), interleaved."""
    criterion = nn.CrossEntropyLoss()
    logits, target = torch.randn(32, 10), torch.randint(0, 10, (32,))
    plain, checked = [], []
    for _ in range(rounds):
        plain.append(timeit.timeit(lambda: criterion(logits, target), number=calls))
        with logitguard.autocheck():
            criterion(logits, target)  # its one check
            checked.append(timeit.timeit(lambda: criterion(logits, target), number=calls))
    return min(plain) / calls, min(checked) / calls


def timed_checks(check: Any, method: str) -> list[float]:
    """Make `check` add the seconds each call of `method` takes to the returned list."""
    spent: list[float] = []
    original = getattr(check, method)

    def timed(*args: Any) -> None:
        start = time.perf_counter()
        original(*args)
        spent.append(time.perf_counter() - start)

    setattr(check, method, timed)
    return spent


def bench_torch(epochs: int, repeats: int) -> None:
    features, labels = digits()
    x, y = torch.tensor(features), torch.tensor(labels, dtype=torch.long)
    torch.set_num_threads(1)
    torch_train(x, y, 1)
    plain, checked, inside = [], [], []
    for round_index in range(repeats):
        for with_check in (False, True) if round_index % 2 == 0 else (True, False):
            if not with_check:
                plain.append(torch_train(x, y, epochs))
                continue
            with logitguard.autocheck() as check:
                spent = timed_checks(check, "_check_loss")
                checked.append(torch_train(x, y, epochs))
            inside.append(sum(spent))
    steps = epochs * len(x.split(BATCH_SIZE))
    plain_median = statistics.median(plain)
    ratio = statistics.median(checked) / plain_median
    inside_median = statistics.median(inside)
    print(
        f"PyTorch: {steps} training steps, {repeats} interleaved rounds, "
        f"ratio of medians {ratio:.4f}"
    )
    print(
        f"  time inside autocheck's one check: {inside_median * 1000:.2f} ms "
        f"= {inside_median / plain_median:.2%} of a plain loop"
    )
    plain_call, checked_call = loss_call_seconds()
    print(
        f"  a loss call after its check: {checked_call * 1e6:.1f} us vs {plain_call * 1e6:.1f} us "
        f"(+{(checked_call - plain_call) * 1e6:.2f} us)"
    )


def keras_model() -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((64,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10)]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def keras_fit(x: np.ndarray, y: np.ndarray, epochs: int) -> float:
    start = time.perf_counter()
    keras_model().fit(x, y, batch_size=BATCH_SIZE, epochs=epochs, verbose=0)
    return time.perf_counter() - start


def bench_keras(epochs: int, repeats: int) -> None:
    x, y = digits()
    keras_fit(x, y, 1)
    plain, checked, inside = [], [], []
    for round_index in range(repeats):
        for with_check in (False, True) if round_index % 2 == 0 else (True, False):
            if not with_check:
                plain.append(keras_fit(x, y, epochs))
                continue
            with logitguard.autocheck() as check:
                spent = timed_checks(check, "_check_keras")
                checked.append(keras_fit(x, y, epochs))
            inside.append(sum(spent))
    steps = epochs * -(-len(x) // BATCH_SIZE)
    plain_median = statistics.median(plain)
    ratio = statistics.median(checked) / plain_median
    inside_median = statistics.median(inside)
    print(
        f"Keras: compile + fit of {steps} steps, {repeats} interleaved rounds, "
        f"ratio of medians {ratio:.4f}"
    )
    print(
        f"  time inside autocheck: {inside_median * 1000:.1f} ms per compile + fit "
        f"= {inside_median / plain_median:.2%} of a plain one"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    bench_torch(args.epochs, args.repeats)
    bench_keras(args.epochs, args.repeats)


if __name__ == "__main__":
    main()
