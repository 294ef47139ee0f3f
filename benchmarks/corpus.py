"""A synthetic code base for the speed benchmarks: many projects mixing framework and plain code.

    python benchmarks/corpus.py OUT [--files 10000] [--seed 0]

Writes `--files` Python files under OUT (deterministic for a seed), grouped in projects of
about a hundred files. Each project is a package with plain modules (utilities, data handling,
configuration classes) that import one another, and machine-learning modules: Keras models
(Sequential, functional, subclassed), PyTorch modules with their training loops, Flax modules
with optax losses. Model builders live in `models/` and are imported by `train_*.py` scripts,
as in real projects; about a fifth of the training code has a logits/probabilities mismatch.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FILES_PER_PROJECT = 100
# Share of each kind of file in a project (the rest is plain code).
FRAMEWORK_SHARE = 0.35
MISMATCH_SHARE = 0.2


@dataclass(frozen=True)
class Corpus:
    root: Path
    files: int
    framework_files: int
    mismatches: int  # training files written with a mismatch on purpose


class Writer:
    """Writes one project's files and counts them."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.files = 0
        self.framework_files = 0
        self.mismatches = 0

    def write(self, relative: str, text: str, framework: bool = False) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.files += 1
        self.framework_files += framework

    def mismatch(self) -> bool:
        wrong = self.rng.random() < MISMATCH_SHARE
        self.mismatches += wrong
        return wrong


# --- plain code -------------------------------------------------------------------------------


def plain_function(rng: random.Random, index: int) -> str:
    shapes = [
        f'''
def normalise_{index}(values, eps={rng.choice(["1e-6", "1e-8", "0.0"])}):
    """Scale values to zero mean and unit spread."""
    total = sum(values)
    mean = total / max(len(values), 1)
    spread = (sum((v - mean) ** 2 for v in values) / max(len(values), 1)) ** 0.5
    return [(v - mean) / (spread + eps) for v in values]
''',
        f'''
def parse_line_{index}(line, separator="{rng.choice([",", ";", "|"])}"):
    fields = [field.strip() for field in line.split(separator)]
    if not fields or fields[0].startswith("#"):
        return None
    record = {{"name": fields[0]}}
    for position, field in enumerate(fields[1:], start=1):
        try:
            record[f"field_{{position}}"] = float(field)
        except ValueError:
            record[f"field_{{position}}"] = field
    return record
''',
        f"""
class Counter{index}:
    def __init__(self, limit={rng.randint(2, 500)}):
        self.limit = limit
        self.counts = {{}}

    def add(self, key, amount=1):
        self.counts[key] = min(self.counts.get(key, 0) + amount, self.limit)
        return self.counts[key]

    def most_common(self, n={rng.randint(1, 9)}):
        return sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))[:n]
""",
        f"""
def batched_{index}(items, size={rng.choice([8, 16, 32, 64])}):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
""",
        f"""
def summarise_{index}(rows):
    if not rows:
        return "no rows"
    widest = max(len(str(row)) for row in rows)
    lines = [f"{{str(row):>{{widest}}}}" for row in rows]
    return "\\n".join(lines) + f"\\n{{len(rows)}} rows"
""",
    ]
    return rng.choice(shapes)


def config_class(rng: random.Random, index: int) -> str:
    fields = "\n".join(
        f"    {name}: {kind} = {value}"
        for name, kind, value in rng.sample(
            [
                ("learning_rate", "float", rng.choice(["1e-3", "3e-4", "0.01"])),
                ("batch_size", "int", rng.choice(["32", "64", "128"])),
                ("epochs", "int", str(rng.randint(1, 50))),
                ("seed", "int", str(rng.randint(0, 9999))),
                ("name", "str", f'"run{index}"'),
                ("dropout", "float", rng.choice(["0.0", "0.1", "0.5"])),
            ],
            k=4,
        )
    )
    return f"""
@dataclass
class Settings{index}:
{fields}

    def scaled(self, factor):
        return replace(self, **{{"batch_size": getattr(self, "batch_size", 1) * factor}})
"""


def plain_module(rng: random.Random, project: str, sibling: str | None) -> str:
    header = ['"""Helpers."""', "", "from __future__ import annotations", ""]
    header.append(
        rng.choice(["import math", "import os", "import json", "import itertools", "import yaml"])
    )
    header.append("from dataclasses import dataclass, replace")
    if sibling is not None:
        header.append(f"from {project}.utils.{sibling} import *  # noqa: F403")
    body = [
        plain_function(rng, index) if rng.random() < 0.8 else config_class(rng, index)
        for index in range(rng.randint(2, 14))
    ]
    return "\n".join(header) + "\n" + "".join(body)


# --- framework code ---------------------------------------------------------------------------


def keras_head(rng: random.Random, classes: int, wrong: bool) -> tuple[str, str, str]:
    """Head layer, loss and metric; `wrong` mixes logits and probabilities."""
    if classes == 1:
        logits = rng.random() < 0.5
        activation = "" if logits else ', activation="sigmoid"'
        from_logits = logits != wrong
        loss = f"keras.losses.BinaryCrossentropy(from_logits={from_logits})"
        return f"layers.Dense(1{activation})", loss, '"accuracy"'
    logits = rng.random() < 0.5
    activation = "" if logits else ', activation="softmax"'
    from_logits = logits != wrong
    loss_name = rng.choice(["SparseCategoricalCrossentropy", "CategoricalCrossentropy"])
    loss = f"keras.losses.{loss_name}(from_logits={from_logits})"
    return f"layers.Dense({classes}{activation})", loss, '"accuracy"'


def keras_builder(rng: random.Random, index: int) -> tuple[str, int, bool]:
    """A models/ module with a builder function; returns its text, classes and logits-ness."""
    classes = rng.choice([1, 2, 5, 10, 100])
    logits = rng.random() < 0.5
    if classes == 1:
        activation = "" if logits else ', activation="sigmoid"'
    else:
        activation = "" if logits else ', activation="softmax"'
    hidden = "\n".join(
        f'            layers.Dense({rng.choice([32, 64, 128, 256])}, activation="relu"),'
        for _ in range(rng.randint(1, 4))
    )
    text = f'''"""Model builder {index}."""

import keras
from keras import layers


def build_model_{index}(input_dim={rng.choice([16, 64, 784])}):
    return keras.Sequential(
        [
            keras.Input(shape=(input_dim,)),
{hidden}
            layers.Dense({classes}{activation}),
        ]
    )
'''
    return text, classes, logits


def keras_training(rng: random.Random, index: int, wrong: bool) -> str:
    classes = rng.choice([1, 3, 10, 20])
    head, loss, metric = keras_head(rng, classes, wrong)
    style = rng.choice(["sequential", "functional", "subclass"])
    if style == "sequential":
        model = f"""    model = keras.Sequential(
        [
            keras.Input(shape=(features.shape[1],)),
            layers.Dense({rng.choice([32, 64, 128])}, activation="relu"),
            layers.Dropout({rng.choice([0.1, 0.2, 0.5])}),
            {head},
        ]
    )"""
    elif style == "functional":
        model = f"""    inputs = keras.Input(shape=(features.shape[1],))
    x = layers.Dense({rng.choice([32, 64, 128])}, activation="relu")(inputs)
    x = layers.BatchNormalization()(x)
    outputs = {head}(x)
    model = keras.Model(inputs, outputs)"""
    else:
        model = f"""    model = Classifier{index}()"""
    subclass = (
        f"""

class Classifier{index}(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense({rng.choice([32, 64])}, activation="relu")
        self.out = {head}

    def call(self, inputs):
        return self.out(self.hidden(inputs))
"""
        if style == "subclass"
        else ""
    )
    return f'''"""Train a classifier on tabular data ({style})."""

import keras
import numpy as np
from keras import layers
{subclass}

def train(features, labels, epochs={rng.randint(1, 30)}):
{model}
    model.compile(
        optimizer=keras.optimizers.Adam({rng.choice(["1e-3", "3e-4"])}),
        loss={loss},
        metrics=[{metric}],
    )
    model.fit(features, labels, epochs=epochs, batch_size={rng.choice([32, 64])}, verbose=0)
    return model


if __name__ == "__main__":
    rng = np.random.default_rng({index})
    x = rng.normal(size=(256, {rng.choice([8, 16, 32])})).astype("float32")
    y = rng.integers(0, {max(classes, 2)}, size=256)
    train(x, y)
'''


def keras_training_from_builder(
    rng: random.Random, project: str, builder: int, classes: int, logits: bool, wrong: bool
) -> str:
    name = "BinaryCrossentropy" if classes == 1 else "SparseCategoricalCrossentropy"
    loss = f"keras.losses.{name}(from_logits={logits != wrong})"
    return f'''"""Train the model of models/builder{builder}.py."""

import keras

from {project}.models.builder{builder} import build_model_{builder}


def main(x, y):
    model = build_model_{builder}()
    model.compile(optimizer="adam", loss={loss}, metrics=["accuracy"])
    model.fit(x, y, epochs={rng.randint(1, 20)}, validation_split=0.1)
    return model.evaluate(x, y)
'''


def torch_module(rng: random.Random, index: int, wrong: bool) -> str:
    classes = rng.choice([2, 10, 100])
    loss_kind = rng.choice(["ce", "nll", "bce"])
    if loss_kind == "ce":
        forward_end = "return F.softmax(x, dim=1)" if wrong else "return x"
        criterion = "nn.CrossEntropyLoss()"
        targets = "yb"
    elif loss_kind == "nll":
        forward_end = "return x" if wrong else "return F.log_softmax(x, dim=1)"
        criterion = "nn.NLLLoss()"
        targets = "yb"
    else:
        classes = 1
        forward_end = "return x" if wrong else "return torch.sigmoid(x)"
        criterion = "nn.BCELoss()"
        targets = "yb.float().unsqueeze(1)"
    width = rng.choice([32, 64, 128])
    progress = "from tqdm import tqdm\n" if rng.random() < 0.5 else ""
    return f'''"""A PyTorch classifier and its training loop."""

import torch
import torch.nn.functional as F
from torch import nn
{progress}

class Net{index}(nn.Module):
    def __init__(self, in_features={rng.choice([16, 64, 784])}):
        super().__init__()
        self.fc1 = nn.Linear(in_features, {width})
        self.fc2 = nn.Linear({width}, {width})
        self.head = nn.Linear({width}, {classes})

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.head(x)
        {forward_end}


def fit(model, loader, epochs={rng.randint(1, 10)}):
    criterion = {criterion}
    optimizer = torch.optim.Adam(model.parameters(), lr={rng.choice(["1e-3", "3e-4"])})
    for _ in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), {targets})
            loss.backward()
            optimizer.step()
    return model


if __name__ == "__main__":
    fit(Net{index}(), [])
'''


def flax_module(rng: random.Random, index: int, wrong: bool) -> str:
    classes = rng.choice([3, 10])
    end = "return nn.softmax(x)" if wrong else "return x"
    return f'''"""A Flax classifier trained with optax."""

import flax.linen as nn
import jax
import jax.numpy as jnp
import optax


class MLP{index}(nn.Module):
    @nn.compact
    def __call__(self, x):
        x = nn.relu(nn.Dense({rng.choice([64, 128])})(x))
        x = nn.Dense({classes})(x)
        {end}


def loss_fn(params, x, y):
    logits = MLP{index}().apply(params, x)
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


@jax.jit
def step(params, opt_state, x, y):
    grads = jax.grad(loss_fn)(params, x, y)
    updates, opt_state = optimizer.update(grads, opt_state)
    return optax.apply_updates(params, updates), opt_state


optimizer = optax.adam({rng.choice(["1e-3", "3e-4"])})
params = MLP{index}().init(jax.random.PRNGKey({index}), jnp.ones((1, 8)))
'''


# --- projects ---------------------------------------------------------------------------------


PACKAGES = ("", "models", "torch_nets", "flax_models", "utils")


def write_project(writer: Writer, project: str, files: int) -> None:
    rng = writer.rng
    start = writer.files
    for package in PACKAGES[: max(files // 20, 1)]:
        writer.write(f"{project}/{package}/__init__.py".replace("//", "/"), "")
    framework_budget = int(files * FRAMEWORK_SHARE)
    builders = []
    for index in range(framework_budget // 4):
        text, classes, logits = keras_builder(rng, index)
        writer.write(f"{project}/models/builder{index}.py", text, framework=True)
        builders.append((index, classes, logits))
    made = len(builders)
    kinds: list[Callable[[int], None]] = [
        lambda i: writer.write(
            f"{project}/train_keras_{i}.py", keras_training(rng, i, writer.mismatch()), True
        ),
        lambda i: writer.write(
            f"{project}/train_from_builder_{i}.py",
            keras_training_from_builder(rng, project, *rng.choice(builders), writer.mismatch()),
            True,
        ),
        lambda i: writer.write(
            f"{project}/torch_nets/net{i}.py", torch_module(rng, i, writer.mismatch()), True
        ),
        lambda i: writer.write(
            f"{project}/flax_models/mlp{i}.py", flax_module(rng, i, writer.mismatch()), True
        ),
    ]
    weights = [4, 3 if builders else 0, 4, 1]
    for index in range(framework_budget - made):
        rng.choices(kinds, weights)[0](index)
    for index in range(files - (writer.files - start)):
        sibling = f"helpers{rng.randrange(index)}" if index and rng.random() < 0.5 else None
        writer.write(f"{project}/utils/helpers{index}.py", plain_module(rng, project, sibling))


def generate(root: Path, files: int = 10_000, seed: int = 0) -> Corpus:
    """Write the corpus under `root` (which should be empty)."""
    writer = Writer(root, random.Random(seed))
    project = 0
    while writer.files < files:
        size = min(FILES_PER_PROJECT, files - writer.files)
        write_project(writer, f"project{project:03d}", size)
        project += 1
    return Corpus(root, writer.files, writer.framework_files, writer.mismatches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    corpus = generate(args.out, args.files, args.seed)
    print(
        f"{corpus.files} files ({corpus.framework_files} using a framework, "
        f"{corpus.mismatches} with a mismatch on purpose) under {corpus.root}"
    )


if __name__ == "__main__":
    main()
