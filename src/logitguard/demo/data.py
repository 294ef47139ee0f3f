"""The demo's data sets: standardised, stratified train/test splits.

digits and breast_cancer ship with scikit-learn (no network); fashion_mnist comes from Keras'
loader and falls back to digits when it cannot be fetched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EMBEDDED = ("digits", "breast_cancer")
DATASETS = (*EMBEDDED, "fashion_mnist")
FALLBACK = "digits"
TEST_SHARE = 0.25


@dataclass(frozen=True)
class Recipe:
    """How the demo trains on a data set: MLP width and epochs (full and --quick runs)."""

    hidden_units: int
    epochs: int
    quick_epochs: int


RECIPES = {
    "digits": Recipe(hidden_units=32, epochs=20, quick_epochs=8),
    "breast_cancer": Recipe(hidden_units=32, epochs=20, quick_epochs=8),
    # The MLP of the published Fashion-MNIST experiment; 60 000 images make an epoch long.
    "fashion_mnist": Recipe(hidden_units=128, epochs=10, quick_epochs=2),
}


@dataclass
class Dataset:
    name: str
    x_train: np.ndarray
    x_test: np.ndarray
    y_train: np.ndarray  # integer class indices
    y_test: np.ndarray

    @property
    def num_classes(self) -> int:
        return int(max(self.y_train.max(), self.y_test.max())) + 1

    @property
    def num_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def recipe(self) -> Recipe:
        return RECIPES[self.name]

    def class_prior(self) -> np.ndarray:
        counts = np.bincount(self.y_train, minlength=self.num_classes)
        return counts / counts.sum()

    @property
    def chance_accuracy(self) -> float:
        """Test accuracy of always predicting the most frequent training class."""
        return float(np.mean(self.y_test == np.argmax(self.class_prior())))

    @property
    def chance_log_loss(self) -> float:
        """Test cross-entropy of predicting the training class frequencies for every sample."""
        return float(-np.mean(np.log(self.class_prior()[self.y_test])))


def _standardised(
    name: str, x_train: np.ndarray, x_test: np.ndarray, y_train: np.ndarray, y_test: np.ndarray
) -> Dataset:
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x_train)
    return Dataset(
        name=name,
        x_train=scaler.transform(x_train).astype("float32"),
        x_test=scaler.transform(x_test).astype("float32"),
        y_train=np.asarray(y_train, dtype="int64"),
        y_test=np.asarray(y_test, dtype="int64"),
    )


def _load_embedded(name: str, seed: int) -> Dataset:
    from sklearn import datasets
    from sklearn.model_selection import train_test_split

    x, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_SHARE, stratify=y, random_state=seed
    )
    return _standardised(name, x_train, x_test, y_train, y_test)


def _load_fashion_mnist() -> Dataset:
    import keras

    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    return _standardised(
        "fashion_mnist",
        x_train.reshape(len(x_train), -1).astype("float32"),
        x_test.reshape(len(x_test), -1).astype("float32"),
        y_train,
        y_test,
    )


def load(name: str, seed: int) -> tuple[Dataset, str | None]:
    """The data set, and a note when it had to be replaced by the fallback."""
    if name in EMBEDDED:
        return _load_embedded(name, seed), None
    try:
        return _load_fashion_mnist(), None
    except Exception as error:  # the loader raises bare Exceptions for network failures
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        note = (
            f"fashion_mnist could not be loaded ({reason}); it needs the network or Keras' "
            f"cache (~/.keras/datasets). Using {FALLBACK} instead, which ships with scikit-learn."
        )
        return _load_embedded(FALLBACK, seed), note
