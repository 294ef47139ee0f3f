"""Overhead of `logitguard.jax.guard` on a jitted Flax/optax training loop.

Trains the same small linen MLP on scikit-learn's digits for a few epochs of mini-batches with a
jitted train step, with and without the guard, alternating the two so that machine noise hits
both alike, and prints the ratio of the median times (goal: <= 1.01). Each run builds its own
train state and jitted step, so both sides pay the step's compilation; the guarded side also
pays the guard's one check (the model run once outside jit on the first batch, and the probe),
which is timed on its own, as is what a guarded call costs after that.

    python benchmarks/jax_guard_overhead.py [--epochs 5] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import flax.linen as nn
import jax
import numpy as np
import optax
from flax.training import train_state
from sklearn.datasets import load_digits

from logitguard.jax import guard

LOSS = optax.softmax_cross_entropy_with_integer_labels
BATCH = 32


class MLP(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.Dense(10)(nn.relu(nn.Dense(128)(x)))


def make_data() -> list[tuple[np.ndarray, np.ndarray]]:
    features, labels = load_digits(return_X_y=True)
    x, y = (features / 16.0).astype("float32"), labels.astype("int32")
    whole = len(x) // BATCH * BATCH  # one batch shape: one compilation
    return [(x[i : i + BATCH], y[i : i + BATCH]) for i in range(0, whole, BATCH)]


def update(state, x, y):
    def loss_fn(params):
        return LOSS(state.apply_fn({"params": params}, x), y).mean()

    loss, grads = jax.value_and_grad(loss_fn)(state.params)
    return state.apply_gradients(grads=grads), loss


def new_state(x: np.ndarray) -> train_state.TrainState:
    model = MLP()
    params = model.init(jax.random.key(0), x)["params"]
    return train_state.TrainState.create(apply_fn=model.apply, params=params, tx=optax.adam(1e-3))


def train(batches: list, epochs: int, guarded: bool) -> float:
    """Seconds to jit and run the training loop (the guard is made inside the timed region)."""
    state = new_state(batches[0][0])
    start = time.perf_counter()
    step = jax.jit(update)
    if guarded:
        step = guard(step, loss_fn=LOSS)
    for _ in range(epochs):
        for x, y in batches:
            state, loss = step(state, x, y)
    loss.block_until_ready()
    elapsed = time.perf_counter() - start
    if guarded and (not step.checked or step.report is None or step.report.findings):
        raise RuntimeError("the guard did not check the first step cleanly")
    return elapsed


def check_cost(batches: list, repeats: int) -> float:
    """Median seconds of the guard's one check on a fresh model."""
    costs = []
    for _ in range(repeats):
        state = new_state(batches[0][0])
        watched = guard(lambda state, x, y: None, loss_fn=LOSS)
        start = time.perf_counter()
        watched(state, *batches[0])
        costs.append(time.perf_counter() - start)
    return statistics.median(costs)


def call_cost(batches: list, calls: int = 20_000) -> float:
    """Seconds a guarded call adds after the check: the wrapper around the step."""

    def step(state, x, y):
        return None

    watched = guard(step, loss_fn=LOSS)
    watched.checked = True  # past the first call
    x, y = batches[0]
    timings = []
    for function in (step, watched, step, watched):
        start = time.perf_counter()
        for _ in range(calls):
            function(None, x, y)
        timings.append(time.perf_counter() - start)
    return (min(timings[1], timings[3]) - min(timings[0], timings[2])) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    batches = make_data()
    train(batches, 1, guarded=True)  # warm up: imports, eager kernels, the allocator
    train(batches, 1, guarded=False)
    plain, guarded = [], []
    for _ in range(args.repeats):
        plain.append(train(batches, args.epochs, guarded=False))
        guarded.append(train(batches, args.epochs, guarded=True))
    plain_median, guarded_median = statistics.median(plain), statistics.median(guarded)
    steps = args.epochs * len(batches)
    print(f"{steps} jitted training steps (compilation included), {args.repeats} runs each:")
    print(f"  without guard: {plain_median:.3f} s")
    print(f"  with guard:    {guarded_median:.3f} s")
    print(f"  ratio: {guarded_median / plain_median:.4f} (goal <= 1.01)")
    cost = check_cost(batches, args.repeats)
    print(
        f"the guard's one check costs {cost * 1000:.1f} ms, "
        f"{cost / plain_median:.2%} of this loop; every later call adds "
        f"{call_cost(batches) * 1e9:.0f} ns"
    )


if __name__ == "__main__":
    main()
