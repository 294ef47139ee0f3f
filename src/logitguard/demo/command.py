"""`logitguard demo`: the command line options and the run.

By default the demo trains on digits and breast_cancer, which ship with scikit-learn: no
network, and the whole matrix (20 configurations x 3 seeds) takes about two minutes on two CPU
cores. Everything heavy is imported inside `run`, after checking that it is installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from logitguard.demo.backends import BACKENDS
from logitguard.demo.data import DATASETS, EMBEDDED, RECIPES
from logitguard.demo.terminal import make_console

INSTALL_HINT = "pip install 'logitguard[demo]'"
# Import name -> distribution name, for the message when one is missing.
REQUIRED = {"keras": "keras", "sklearn": "scikit-learn", "matplotlib": "matplotlib"}
DEFAULT_SEEDS = 3
QUICK_SEEDS = 1
DEFAULT_OUT = Path("demo-out")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    epochs = ", ".join(
        f"{name} {recipe.epochs} ({recipe.quick_epochs} with --quick)"
        for name, recipe in RECIPES.items()
    )
    parser.add_argument(
        "--dataset",
        dest="datasets",
        action="append",
        choices=DATASETS,
        help="data set to train on; repeat for several (default: "
        f"{' and '.join(EMBEDDED)}, which ship with scikit-learn). fashion_mnist needs the "
        "network or Keras' cache and falls back to digits without them",
    )
    parser.add_argument(
        "--epochs", type=_positive_int, help=f"epochs per configuration (default: {epochs})"
    )
    parser.add_argument("--optimizer", choices=("adam", "sgd"), default="adam")
    parser.add_argument(
        "--seeds",
        type=_positive_int,
        help="training runs per configuration; the report gives their mean and spread "
        f"(default: {DEFAULT_SEEDS}, {QUICK_SEEDS} with --quick)",
    )
    parser.add_argument(
        "--seed",
        type=_non_negative_int,
        default=0,
        help="base seed: runs use SEED, SEED+1, ...; the same seed gives the same numbers",
    )
    parser.add_argument("--batch-size", type=_positive_int, default=64)
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder for the report, results and plots (default: {DEFAULT_OUT}/)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a short run: fewer epochs and one seed"
    )
    parser.add_argument(
        "--backend",
        dest="backends",
        action="append",
        choices=BACKENDS,
        help="Keras backend to train on, each in its own process (results in OUT/BACKEND/); "
        "repeat for several, and OUT/backends.md shows where they differ (default: the one "
        "KERAS_BACKEND or Keras' configuration names, in this process)",
    )


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: a module blocked with sys.modules[name] = None
        return False


def missing_packages() -> list[str]:
    return [distribution for module, distribution in REQUIRED.items() if not _importable(module)]


@contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """TensorFlow's C++ start-up lines (CUDA probing, CPU features) bypass Python's logging and
    TF_CPP_MIN_LOG_LEVEL; they would bury the demo's output."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def run(args: argparse.Namespace) -> int:
    console = make_console()
    missing = missing_packages()
    if missing:
        console.print(
            f"logitguard demo needs {' and '.join(missing)} (not installed). "
            f"Install the demo extra: {INSTALL_HINT}",
            markup=False,
        )
        return 2
    if args.backends:
        from logitguard.demo import backends

        return backends.run(args, console)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        with _native_stderr_silenced():
            from logitguard.demo import training

            training.prepare_backend()
            device = training.describe_device()
    except ImportError as error:  # e.g. keras without a backend
        console.print(
            f"logitguard demo could not import its dependencies ({error}). "
            f"Install the demo extra: {INSTALL_HINT}",
            markup=False,
        )
        return 2
    from logitguard.demo.experiment import Experiment

    experiment = Experiment.from_args(args, quick_seeds=QUICK_SEEDS, default_seeds=DEFAULT_SEEDS)
    try:
        return experiment.run(console, device)
    except OSError as error:
        console.print(f"logitguard demo could not write to {args.out}: {error}", markup=False)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="logitguard demo",
        description="Train every wiring of head, loss and metric on real data and show which "
        "ones train badly or report wrong numbers, next to what logitguard says about them.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
