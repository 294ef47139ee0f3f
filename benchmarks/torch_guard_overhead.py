"""Overhead of `logitguard.torch.guard` on a PyTorch training loop.

Trains the same small MLP on scikit-learn's digits for a few epochs of mini-batches, with and
without the guard, alternating the two so that machine noise hits both alike, and prints the
ratio of the median times (goal: <= 1.01). The guarded time includes the guard's one check on
the first step (a probe of that batch; a torch.fx trace too when the leaf modules that ran do
not show the head), which is also timed on its own.

    python benchmarks/torch_guard_overhead.py [--epochs 5] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from sklearn.datasets import load_digits
from torch import nn

from logitguard.torch import guard


def make_data() -> tuple[torch.Tensor, torch.Tensor]:
    features, labels = load_digits(return_X_y=True)
    x = torch.tensor(features / 16.0, dtype=torch.float32)
    return x, torch.tensor(labels, dtype=torch.long)


def train(x: torch.Tensor, y: torch.Tensor, epochs: int, guarded: bool) -> float:
    """Seconds to build and train the model (the guard is created inside the timed region)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = list(zip(x.split(32), y.split(32), strict=True))
    start = time.perf_counter()
    watch = guard(model, criterion) if guarded else None
    for _ in range(epochs):
        for xb, yb in batches:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
    elapsed = time.perf_counter() - start
    if watch is not None and (watch.active or not watch.checked):
        raise RuntimeError("the guard did not check the first step and remove its hooks")
    return elapsed


def first_step_cost(x: torch.Tensor, y: torch.Tensor, repeats: int) -> float:
    """Median seconds the guard adds to one first training step (its whole cost)."""
    added = []
    for _ in range(repeats):
        times = []
        for guarded in (False, True):
            torch.manual_seed(0)
            model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
            criterion = nn.CrossEntropyLoss()
            start = time.perf_counter()
            if guarded:
                guard(model, criterion)
            criterion(model(x[:32]), y[:32]).backward()
            times.append(time.perf_counter() - start)
        added.append(times[1] - times[0])
    return statistics.median(added)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(1)
    x, y = make_data()
    train(x, y, 1, guarded=True)  # warm up: imports, fx, allocator
    train(x, y, 1, guarded=False)
    plain, guarded = [], []
    for _ in range(args.repeats):
        plain.append(train(x, y, args.epochs, guarded=False))
        guarded.append(train(x, y, args.epochs, guarded=True))
    plain_median, guarded_median = statistics.median(plain), statistics.median(guarded)
    steps = args.epochs * len(x.split(32))
    print(f"{steps} training steps, {args.repeats} runs each, median times:")
    print(f"  without guard: {plain_median:.3f} s")
    print(f"  with guard:    {guarded_median:.3f} s")
    print(f"  ratio: {guarded_median / plain_median:.4f} (goal <= 1.01)")
    cost = first_step_cost(x, y, args.repeats)
    print(
        f"the guard's one check costs {cost * 1000:.1f} ms, "
        f"{cost / plain_median:.2%} of this loop (later steps run without hooks)"
    )


if __name__ == "__main__":
    main()
