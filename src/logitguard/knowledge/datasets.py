"""Well-known data sets: what their targets are (class labels and how many, or measurements).

Keyed by the names the libraries use, so a front end that has resolved a loader call to its
canonical dotted path can look it up. Only data sets whose targets are fixed by the loader are
listed: where a loader's arguments change the classes (EMNIST's `split`) it is left out, and
the front ends stay silent on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from logitguard.core.facts import LabelFormat, TargetKind, ValueRange


@dataclass(frozen=True)
class Targets:
    """What a data set's targets are. Class labels are the indices 0 .. num_classes - 1."""

    kind: TargetKind
    num_classes: int | None = None
    value_range: ValueRange | None = None
    format: LabelFormat = LabelFormat.UNKNOWN


def classes(count: int) -> Targets:
    return Targets(TargetKind.CLASSES, count, ValueRange(0, count - 1), LabelFormat.INTEGER)


def continuous(low: float, high: float) -> Targets:
    return Targets(TargetKind.CONTINUOUS, None, ValueRange(low, high))


# Real values of either sign, without bounds (a linear model plus Gaussian noise).
UNBOUNDED = continuous(-math.inf, math.inf)

# keras.datasets.<name>.load_data() -> (x_train, y_train), (x_test, y_test)
KERAS_DATASETS: dict[str, Targets] = {
    "mnist": classes(10),
    "fashion_mnist": classes(10),
    "cifar10": classes(10),
    "cifar100": classes(100),
    "imdb": classes(2),
    "reuters": classes(46),
    "boston_housing": continuous(5.0, 50.0),  # median value in $1000s
    "california_housing": continuous(14999.0, 500001.0),  # median value in dollars
}
CIFAR100_LABEL_MODES: dict[str, Targets] = {"fine": classes(100), "coarse": classes(20)}

# sklearn.datasets loaders: (X, y) with return_X_y=True, or a Bunch with `.target`.
SKLEARN_LOADERS: dict[str, Targets] = {
    "load_iris": classes(3),
    "load_digits": classes(10),  # load_digits(n_class=k): k
    "load_wine": classes(3),
    "load_breast_cancer": classes(2),
    "load_diabetes": continuous(25.0, 346.0),  # disease progression after one year
    "fetch_california_housing": continuous(0.14999, 5.00001),  # median value in $100,000s
    "fetch_20newsgroups": classes(20),
    "fetch_20newsgroups_vectorized": classes(20),
    "fetch_olivetti_faces": classes(40),
}
DIGITS_CLASS_ARGUMENT = "n_class"

# sklearn.datasets generators: (X, y, ...). None: the count comes from an argument.
SKLEARN_GENERATORS: dict[str, Targets] = {
    "make_moons": classes(2),
    "make_circles": classes(2),
    "make_hastie_10_2": Targets(TargetKind.CLASSES, 2, ValueRange(-1, 1)),  # labels -1 and 1
    "make_regression": UNBOUNDED,
    "make_sparse_uncorrelated": UNBOUNDED,
}
# generator -> (its class-count argument, the default count)
SKLEARN_CLASS_COUNT_ARGUMENTS: dict[str, tuple[str, int]] = {
    "make_classification": ("n_classes", 2),
    "make_gaussian_quantiles": ("n_classes", 3),
    "make_blobs": ("centers", 3),
}

# torchvision.datasets.<Name>(...): a data set of (image, class index) pairs.
TORCHVISION_DATASETS: dict[str, Targets] = {
    "MNIST": classes(10),
    "FashionMNIST": classes(10),
    "KMNIST": classes(10),
    "QMNIST": classes(10),
    "CIFAR10": classes(10),
    "CIFAR100": classes(100),
    "SVHN": classes(10),
    "STL10": classes(10),
    "USPS": classes(10),
    "SEMEION": classes(10),
    "GTSRB": classes(43),
    "Flowers102": classes(102),
    "Food101": classes(101),
    "DTD": classes(47),
    "EuroSAT": classes(10),
    "FER2013": classes(7),
    "Country211": classes(211),
    "PCAM": classes(2),
    "StanfordCars": classes(196),
    "ImageNet": classes(1000),
    "Imagenette": classes(10),
    # A folder per class: class indices, as many as the folders.
    "ImageFolder": Targets(TargetKind.CLASSES, format=LabelFormat.INTEGER),
    "DatasetFolder": Targets(TargetKind.CLASSES, format=LabelFormat.INTEGER),
}

# tfds.load("<name>", as_supervised=True): (image or text, class index) pairs.
TFDS_DATASETS: dict[str, Targets] = {
    "mnist": classes(10),
    "fashion_mnist": classes(10),
    "kmnist": classes(10),
    "cifar10": classes(10),
    "cifar100": classes(100),
    "svhn_cropped": classes(10),
    "stl10": classes(10),
    "imdb_reviews": classes(2),
    "tf_flowers": classes(5),
    "oxford_flowers102": classes(102),
    "oxford_iiit_pet": classes(37),
    "cats_vs_dogs": classes(2),
    "horses_or_humans": classes(2),
    "rock_paper_scissors": classes(3),
    "beans": classes(3),
    "food101": classes(101),
    "stanford_dogs": classes(120),
    "ag_news_subset": classes(4),
    "malaria": classes(2),
    "colorectal_histology": classes(8),
    "imagenette": classes(10),
    "patch_camelyon": classes(2),
    "yelp_polarity_reviews": classes(2),
    "eurosat": classes(10),
}
# tfds configurations ("imdb_reviews/subwords8k") that keep the labels of the plain name.
TFDS_LABEL_KEEPING_CONFIGS = frozenset({"imdb_reviews", "eurosat"})


def tfds_targets(name: str) -> Targets | None:
    """The targets of `tfds.load(name)`: "mnist", "mnist:3.*.*", "imdb_reviews/plain_text"."""
    name = name.split(":", 1)[0]
    base, _, config = name.partition("/")
    if config and base not in TFDS_LABEL_KEEPING_CONFIGS:
        return None
    return TFDS_DATASETS.get(base)
