"""Labels found statically (issue 11): where they come from, what they are, and the rules that
need them. Each case is a minimal program of one shape; unknown sources must stay unknown."""

from __future__ import annotations

import math
import textwrap

import pytest

from logitguard.core.facts import LabelFormat, Labels, TargetKind, ValueRange
from logitguard.static.checker import check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks.keras.frontend import extract as keras_extract
from logitguard.static.frameworks.torch import extract as torch_extract

INF = math.inf
CLASSES, CONTINUOUS = TargetKind.CLASSES, TargetKind.CONTINUOUS
INTEGER, ONE_HOT, UNKNOWN = LabelFormat.INTEGER, LabelFormat.ONE_HOT, LabelFormat.UNKNOWN

# A compiled model the labels are fitted to: the front end reads `fit(x, <labels>)`.
FIT = """
model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, {labels})
"""


def keras_labels(program: str, labels: str = "y") -> Labels | None:
    source = "import keras\n" + textwrap.dedent(program) + FIT.format(labels=labels)
    found = [setup.labels for setup in keras_extract(ParsedModule.parse(source, "t.py"))]
    assert len(found) == 1, found
    return found[0]


def codes(source: str) -> list[str]:
    return [finding.code for finding in check_source(textwrap.dedent(source), "t.py")]


def facts(labels: Labels | None) -> tuple | None:
    if labels is None:
        return None
    value_range = labels.value_range
    bounds = None if value_range is None else (value_range.low, value_range.high)
    return labels.format, labels.kind, labels.num_classes, bounds


# (program, labels expression, (format, kind, classes, range))
SOURCES = [
    # pandas: a column per distinct value (unless the first is dropped: see UNKNOWN_SOURCES)
    (
        "import pandas as pd\ny = pd.get_dummies(frame['label'])",
        "y",
        (ONE_HOT, CLASSES, None, (0, 1)),
    ),
    # keras.datasets
    (
        "(x, y), (x_test, y_test) = keras.datasets.mnist.load_data()",
        "y",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "(_, _), (x, y) = keras.datasets.fashion_mnist.load_data()",
        "y",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "from keras.datasets import cifar10\n(x, y), _ = cifar10.load_data()",
        "y",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "(x, y), _ = keras.datasets.cifar100.load_data(label_mode='coarse')",
        "y",
        (INTEGER, CLASSES, 20, (0, 19)),
    ),
    (
        "(x, y), _ = keras.datasets.imdb.load_data(num_words=10000)",
        "y",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    ("(x, y), _ = keras.datasets.reuters.load_data()", "y", (INTEGER, CLASSES, 46, (0, 45))),
    (
        "import tensorflow as tf\ndata = tf.keras.datasets.boston_housing\n"
        "(x, y), _ = data.load_data()",
        "y",
        (UNKNOWN, CONTINUOUS, None, (5, 50)),
    ),
    # scikit-learn loaders: return_X_y, .target, ["target"], n_class
    (
        "from sklearn.datasets import load_iris\nx, y = load_iris(return_X_y=True)",
        "y",
        (INTEGER, CLASSES, 3, (0, 2)),
    ),
    (
        "from sklearn import datasets\ndigits = datasets.load_digits(n_class=5)",
        "digits.target",
        (INTEGER, CLASSES, 5, (0, 4)),
    ),
    (
        "from sklearn.datasets import load_wine\nwine = load_wine()",
        'wine["target"]',
        (INTEGER, CLASSES, 3, (0, 2)),
    ),
    (
        "from sklearn.datasets import load_breast_cancer\n"
        "x, y = load_breast_cancer(return_X_y=True)",
        "y",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "from sklearn.datasets import load_diabetes\nx, y = load_diabetes(return_X_y=True)",
        "y",
        (UNKNOWN, CONTINUOUS, None, (25, 346)),
    ),
    (
        "from sklearn.datasets import fetch_california_housing\n"
        "housing = fetch_california_housing()",
        "housing.target",
        (UNKNOWN, CONTINUOUS, None, (0.14999, 5.00001)),
    ),
    # scikit-learn generators
    (
        "from sklearn.datasets import make_classification\n"
        "x, y = make_classification(n_samples=300, n_classes=4, n_informative=4)",
        "y",
        (INTEGER, CLASSES, 4, (0, 3)),
    ),
    (
        "from sklearn.datasets import make_classification\nx, y = make_classification()",
        "y",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "from sklearn.datasets import make_blobs\nx, y = make_blobs(centers=5)",
        "y",
        (INTEGER, CLASSES, 5, (0, 4)),
    ),
    (
        "from sklearn.datasets import make_blobs\nx, y = make_blobs()",
        "y",
        (INTEGER, CLASSES, 3, (0, 2)),
    ),
    (
        "from sklearn.datasets import make_blobs\nx, y = make_blobs(centers=[[0, 0], [5, 5]])",
        "y",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "from sklearn.datasets import make_moons\nx, y = make_moons(noise=0.1)",
        "y",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "from sklearn.datasets import make_circles\nx, y = make_circles()",
        "y",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "from sklearn.datasets import make_regression\nx, y = make_regression(n_features=3)",
        "y",
        (UNKNOWN, CONTINUOUS, None, (-INF, INF)),
    ),
    (
        "from sklearn.datasets import make_hastie_10_2\nx, y = make_hastie_10_2()",
        "y",
        (UNKNOWN, CLASSES, 2, (-1, 1)),
    ),
    # splitting and shuffling keep the labels
    (
        "from sklearn.datasets import load_iris\nfrom sklearn.model_selection import "
        "train_test_split\nx, y = load_iris(return_X_y=True)\n"
        "x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2)",
        "y_test",
        (INTEGER, CLASSES, 3, (0, 2)),
    ),
    (
        "from sklearn.datasets import load_iris\nfrom sklearn.utils import shuffle\n"
        "x, y = load_iris(return_X_y=True)\nx, y = shuffle(x, y)",
        "y[:100]",
        (INTEGER, CLASSES, 3, (0, 2)),
    ),
    # rows picked: by a mask or an index array, perhaps some classes only; by a permutation,
    # all of them
    (
        "import numpy as np\n(x, y), _ = keras.datasets.mnist.load_data()\n"
        "keep = np.where((y == 1) | (y == 5))",
        "y[keep]",
        (INTEGER, CLASSES, None, None),
    ),
    (
        "(x, y), _ = keras.datasets.mnist.load_data()",
        "y[(y == 0) | (y == 1)]",
        (INTEGER, CLASSES, None, None),
    ),
    (
        "import numpy as np\n(x, y), _ = keras.datasets.mnist.load_data()",
        "y[np.isin(y, [3, 8])]",
        (INTEGER, CLASSES, None, None),
    ),
    (
        "import numpy as np\n(x, y), _ = keras.datasets.mnist.load_data()\n"
        "order = np.random.permutation(len(y))",
        "y[order]",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "(x, y), _ = keras.datasets.mnist.load_data()\nonehot = keras.utils.to_categorical(y, 10)",
        "onehot[y < 2]",
        (ONE_HOT, CLASSES, 10, (0, 1)),
    ),
    # token ids: a vocabulary's class indices, and a column of them (the next word)
    (
        "from keras.preprocessing.sequence import pad_sequences\n"
        "seqs = tokenizer.texts_to_sequences(texts)",
        "pad_sequences(seqs, maxlen=20)",
        (INTEGER, CLASSES, None, None),
    ),
    (
        "import numpy as np\nfrom keras.utils import pad_sequences\nseqs = []\n"
        "for line in lines:\n"
        "    ids = tokenizer.texts_to_sequences([line])[0]\n"
        "    for i in range(1, len(ids)):\n"
        "        seqs.append(ids[: i + 1])\n"
        "ids = np.array(pad_sequences(seqs, padding='pre'))",
        "ids[:, -1]",
        (INTEGER, CLASSES, None, None),
    ),
    # encodings
    (
        "(x, y), _ = keras.datasets.mnist.load_data()",
        "keras.utils.to_categorical(y)",
        (ONE_HOT, CLASSES, 10, (0, 1)),
    ),
    (
        "import tensorflow as tf\ny = tf.one_hot(labels, depth=7)",
        "y",
        (ONE_HOT, CLASSES, 7, (0, 1)),
    ),
    (
        "import numpy as np\nfrom sklearn.datasets import load_wine\n"
        "x, y = load_wine(return_X_y=True)",
        "np.eye(3)[y]",
        (ONE_HOT, CLASSES, 3, (0, 1)),
    ),
    (
        "import numpy as np\n(x, y), _ = keras.datasets.mnist.load_data()\n"
        "onehot = keras.utils.to_categorical(y, 10)",
        "np.argmax(onehot, axis=1)",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "from sklearn.preprocessing import LabelEncoder\nencoder = LabelEncoder()\n"
        "y = encoder.fit_transform(df['species'])",
        "y",
        (INTEGER, CLASSES, None, None),
    ),
    (
        "from sklearn.datasets import make_hastie_10_2\n"
        "from sklearn.preprocessing import LabelEncoder\nx, y = make_hastie_10_2()",
        "LabelEncoder().fit_transform(y)",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    # random labels and literals
    (
        "import numpy as np\ny = np.random.randint(0, 4, size=(100, 1))",
        "y",
        (INTEGER, CLASSES, 4, (0, 3)),
    ),
    ("import numpy as np\ny = np.random.randint(3, size=100)", "y", (INTEGER, CLASSES, 3, (0, 2))),
    ("import numpy as np\ny = np.random.choice(5, 100)", "y", (INTEGER, CLASSES, 5, (0, 4))),
    (
        "import numpy as np\nx = np.random.rand(100)\ny = x ** 2 + np.random.randn(100)",
        "y",
        (UNKNOWN, CONTINUOUS, None, (-math.inf, math.inf)),
    ),
    ("import numpy as np\ny = np.array([0, 1, 1, 0])", "y", (INTEGER, CLASSES, 2, (0, 1))),
    ("import numpy as np\ny = np.array([[0], [1], [2]])", "y", (INTEGER, CLASSES, 3, (0, 2))),
    ("import numpy as np\ny = np.array([[0, 1], [1, 0]])", "y", (ONE_HOT, CLASSES, 2, (0, 1))),
    ("import numpy as np\ny = np.array([[1, 1], [1, 0]])", "y", (UNKNOWN, CLASSES, None, (0, 1))),
    ("y = [1.5, 2.25, 10.0]", "y", (UNKNOWN, CONTINUOUS, None, (1.5, 10))),
    ("import numpy as np\ny = np.array([0, 1] * 50)", "y", (INTEGER, CLASSES, 2, (0, 1))),
    # one 1 among 0s: the indices of a few samples, or one sample's one-hot row
    ("import tensorflow as tf\ny = tf.constant([0, 1])", "y", (UNKNOWN, CLASSES, None, (0, 1))),
    ("import numpy as np\ny = np.array([0, 0, 1])", "y", (UNKNOWN, CLASSES, None, (0, 1))),
    ("import numpy as np\ny = np.array([0, 0, 1] * 4)", "y", (INTEGER, CLASSES, 2, (0, 1))),
    ("import numpy as np\ny = np.array([0, 2, 2])", "y", (INTEGER, CLASSES, None, (0, 2))),
    (  # an id, not a class index: the classes are not every index up to it
        "import tensorflow as tf\ny = tf.constant([3, 147589877])",
        "y",
        (INTEGER, CLASSES, None, (3, 147589877)),
    ),
    # arithmetic and conversions
    (
        "from sklearn.datasets import load_breast_cancer\n"
        "x, y = load_breast_cancer(return_X_y=True)\n"
        "y = y * 2 - 1",
        "y",
        (UNKNOWN, CLASSES, 2, (-1, 1)),
    ),
    (
        "from sklearn.datasets import make_hastie_10_2\nx, y = make_hastie_10_2()\ny = (y + 1) / 2",
        "y",
        (UNKNOWN, CLASSES, 2, (0, 1)),
    ),
    (
        "import numpy as np\ny = np.random.randint(1, 8, 500)\ny = y - 1",
        "y",
        (INTEGER, CLASSES, 7, (0, 6)),
    ),
    (
        "from sklearn.datasets import load_diabetes\nx, y = load_diabetes(return_X_y=True)",
        "y / 1000",
        (UNKNOWN, CONTINUOUS, None, (0.025, 0.346)),
    ),
    (
        "from sklearn.datasets import load_diabetes\nx, y = load_diabetes(return_X_y=True)",
        "(y - y.min()) / (y.max() - y.min())",
        (UNKNOWN, CONTINUOUS, None, (0, 1)),
    ),
    (
        "(x, y), _ = keras.datasets.mnist.load_data()",
        'y.astype("float32").reshape(-1, 1)',
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "from sklearn.datasets import load_diabetes\nx, y = load_diabetes(return_X_y=True)",
        "(y > 140).astype(int)",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "import numpy as np\nx = np.linspace(-2, 2, 400)\n"
        "y = x ** 2 + np.random.normal(0, 0.1, 400)",
        "y",
        (UNKNOWN, CONTINUOUS, None, (-INF, INF)),
    ),
    (
        "import numpy as np\nx = np.linspace(-2, 2, 400)",
        "np.sin(x)",
        (UNKNOWN, CONTINUOUS, None, (-1, 1)),
    ),
    (
        "from sklearn.datasets import load_diabetes\n"
        "from sklearn.preprocessing import MinMaxScaler\n"
        "x, y = load_diabetes(return_X_y=True)\n"
        "y = MinMaxScaler().fit_transform(y.reshape(-1, 1))",
        "y",
        (UNKNOWN, CONTINUOUS, None, (0, 1)),
    ),
    # TF 1's MNIST tutorial loader
    (
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        "mnist = input_data.read_data_sets('MNIST_data/', one_hot=True)",
        "mnist.train.labels",
        (ONE_HOT, CLASSES, 10, (0, 1)),
    ),
    (
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        "mnist = input_data.read_data_sets('MNIST_data/')\n"
        "images, labels = mnist.test.next_batch(64)",
        "labels",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        "batch = input_data.read_data_sets('MNIST_data/', one_hot=True).validation.next_batch(64)",
        "batch[1]",
        (ONE_HOT, CLASSES, 10, (0, 1)),
    ),
]


@pytest.mark.parametrize(("program", "expression", "expected"), SOURCES)
def test_label_sources(program: str, expression: str, expected: tuple) -> None:
    assert facts(keras_labels(program, expression)) == expected


def test_labels_point_at_where_they_were_made() -> None:
    labels = keras_labels(
        "from sklearn.datasets import load_iris\nx, y = load_iris(return_X_y=True)\ny = y * 2 - 1"
    )
    assert labels is not None
    assert labels.display == "y (from y * 2 - 1)"
    assert labels.location is not None and labels.location.line == 4


UNKNOWN_SOURCES = [
    "import pandas as pd\ny = pd.read_csv('data.csv')['label']",
    # k - 1 columns: a 0/1 column for two classes, no one-hot rows
    "import pandas as pd\ny = pd.get_dummies(frame['label'], drop_first=True)",
    "import pandas as pd\ny = pd.get_dummies(frame['label'], drop_first=drop)",
    "y = load_my_labels()",
    "import numpy as np\ny = np.random.randint(0, k, 100)",
    "import numpy as np\ny = np.random.randint(0, 4, size=shape)",
    "(x, y), _ = keras.datasets.mnist.load_data()\nif flip:\n    y = 9 - y",
    "(x, y), _ = keras.datasets.mnist.load_data()\ny = y * scale",
    "(x, y), _ = keras.datasets.cifar100.load_data(label_mode=mode)",
    "from sklearn.datasets import load_iris\ndata = load_iris(return_X_y=True)\n"
    "x, y = data[0], data[0]",
    "import numpy as np\ny = np.array(['cat', 'dog'])",
    "from sklearn.datasets import load_iris\ny = load_iris().data",
    "import tensorflow_datasets as tfds\ny = tfds.load('mnist', split='train')",
    # a column of one-hot rows is one class's yes or no, not one-hot
    "(x, y), _ = keras.datasets.mnist.load_data()\ny = keras.utils.to_categorical(y)[:, 0]",
    # padded sequences of vectors are not token ids, nor are sequences of unknown origin
    "from keras.utils import pad_sequences, to_categorical\n"
    "y = pad_sequences(to_categorical(tokens))",
    "from keras.utils import pad_sequences, to_categorical\nrows = []\n"
    "for tags in tag_ids:\n"
    "    rows.append(to_categorical(tags, num_classes=12))\n"
    "y = pad_sequences(rows, maxlen=40)",
    "from keras.utils import pad_sequences\ny = pad_sequences(sequences, maxlen=40)",
    # Random reals as targets stand in for data (a test, a demo): nothing to judge.
    "import numpy as np\ny = np.random.rand(100)",
    "import numpy as np\ny = np.random.rand(4000).reshape(-1, 1)",
    "import numpy as np\ny = np.random.uniform(-1, 1, size=(64, 16))",
    # The code's own `next_batch` function, not a dataset's method: unknown.
    "_, y = next_batch(10)",
]


@pytest.mark.parametrize("program", UNKNOWN_SOURCES)
def test_unknown_labels_stay_unknown(program: str) -> None:
    assert keras_labels(program) is None


TF_DATA = [
    (
        "import tensorflow_datasets as tfds\n"
        "train, test = tfds.load('mnist', split=['train', 'test'], as_supervised=True)\n"
        "train = train.map(lambda image, label: (image / 255, label)).batch(64)",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "import tensorflow_datasets as tfds\n"
        "(train, test), info = tfds.load('cifar10', split=['train', 'test'], "
        "as_supervised=True, with_info=True)\n"
        "def scale(image, label):\n    return image / 255, label\n"
        "train = train.map(scale).shuffle(1000).batch(32)",
        (INTEGER, CLASSES, 10, (0, 9)),
    ),
    (
        "import tensorflow_datasets as tfds\n"
        "splits = tfds.load('imdb_reviews/plain_text', as_supervised=True)\n"
        "train = splits['train'].batch(32)",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "import tensorflow as tf\nimport numpy as np\ny = np.random.randint(0, 6, 1000)\n"
        "train = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)",
        (INTEGER, CLASSES, 6, (0, 5)),
    ),
    # Keras' loaders of a folder of class folders: the label mode says the labels' form.
    (
        "gen = keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)\n"
        "train = gen.flow_from_directory('data/train', class_mode='binary')",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "from keras.preprocessing.image import ImageDataGenerator\n"
        "train = ImageDataGenerator().flow_from_directory('data/train', target_size=(64, 64))",
        (ONE_HOT, CLASSES, None, (0, 1)),
    ),
    (
        "train = keras.preprocessing.image.ImageDataGenerator().flow_from_dataframe("
        "frame, class_mode='sparse')",
        (INTEGER, CLASSES, None, None),
    ),
    (
        "args = dict(x_col='path', y_col='label', class_mode='binary')\n"
        "train = keras.preprocessing.image.ImageDataGenerator().flow_from_dataframe("
        "frame, **args, subset='training')",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
    (
        "train = keras.utils.image_dataset_from_directory('data/train', image_size=(64, 64))",
        (INTEGER, CLASSES, None, None),
    ),
    (
        "import tensorflow as tf\n"
        "train = tf.keras.preprocessing.text_dataset_from_directory('reviews', "
        "label_mode='categorical')",
        (ONE_HOT, CLASSES, None, (0, 1)),
    ),
    (
        "train = keras.utils.image_dataset_from_directory('data', label_mode='binary')",
        (INTEGER, CLASSES, 2, (0, 1)),
    ),
]


@pytest.mark.parametrize(
    "program",
    [
        "train = keras.utils.image_dataset_from_directory('data', label_mode=None)",
        "train = ImageDataGenerator().flow_from_directory('data', class_mode='input')",
        "train = ImageDataGenerator().flow_from_dataframe(frame, class_mode='raw')",
        "train = ImageDataGenerator().flow_from_directory('data', class_mode=mode)",
        # The mode may be in the keywords unpacked.
        "train = ImageDataGenerator().flow_from_directory('data', **loader_args)",
        # A column of tag lists gives multi-hot rows, one of labels one-hot ones: unknown.
        "train = ImageDataGenerator().flow_from_dataframe(frame, y_col='tags')",
        "train = ImageDataGenerator().flow_from_dataframe(frame, class_mode='categorical')",
    ],
)
def test_folder_loaders_without_class_labels_give_none(program: str) -> None:
    source = (
        "import keras\nfrom keras.preprocessing.image import ImageDataGenerator\n"
        + program
        + "\nmodel = keras.Sequential([keras.layers.Dense(3, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
        "model.fit(train, epochs=3)\n"
    )
    (setup,) = keras_extract(ParsedModule.parse(source, "t.py"))
    assert setup.labels is None


@pytest.mark.parametrize(
    "fit", ["model.fit(train, epochs=5)", "model.fit_generator(train, 100, epochs=5)"]
)
def test_ten_softmax_units_on_a_binary_folder_loader(fit: str) -> None:
    """`class_mode='binary'` means two classes: eight of ten units are never a target. Keras
    2's `fit_generator(batches, steps_per_epoch)` reads its labels from the batches alone."""
    source = """
    import tensorflow as tf
    gen = tf.keras.preprocessing.image.ImageDataGenerator(rescale=1 / 255)
    train = gen.flow_from_directory("data/train", class_mode="binary")
    model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense({units},
        activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    {fit}
    """
    source = source.replace("{fit}", fit)
    assert codes(source.format(units=10)) == ["LG008"]
    assert codes(source.format(units=2)) == []


@pytest.mark.parametrize(("program", "expected"), TF_DATA)
def test_labels_inside_a_data_set_passed_as_x(program: str, expected: tuple) -> None:
    source = (
        "import keras\n"
        + program
        + """
model = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(train, epochs=3)
"""
    )
    (setup,) = keras_extract(ParsedModule.parse(source, "t.py"))
    assert facts(setup.labels) == expected


def test_a_map_that_changes_the_labels_hides_them() -> None:
    source = """
import keras
import tensorflow as tf
import tensorflow_datasets as tfds
train = tfds.load("mnist", split="train", as_supervised=True)
train = train.map(lambda image, label: (image, tf.one_hot(label, 10)))
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(train)
"""
    (setup,) = keras_extract(ParsedModule.parse(source, "t.py"))
    assert setup.labels is None


def test_a_map_function_that_rebinds_its_label_parameter_hides_the_labels() -> None:
    """`y = tf.one_hot(y, depth=10)` before `return x, y`: the name is the parameter's, the
    value is not."""
    source = """
import keras
import tensorflow as tf
(x, y), _ = keras.datasets.mnist.load_data()
def preprocess(x, y):
    x = tf.cast(x, tf.float32) / 255.0
    y = tf.one_hot(y, depth=10)
    return x, y
train = tf.data.Dataset.from_tensor_slices((x, y)).map(preprocess).batch(128)
model = keras.Sequential([keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.CategoricalCrossentropy())
model.fit(train)
"""
    (setup,) = keras_extract(ParsedModule.parse(source, "t.py"))
    assert setup.labels is None


# -- PyTorch: loops over data loaders, tensors ---------------------------------------------------

TORCH_LOOP = """
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset
{data}
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
criterion = nn.CrossEntropyLoss()
{loop}
        loss = criterion(model(images), labels)
"""


@pytest.mark.parametrize(
    ("data", "loop", "expected"),
    [
        (
            "train = torchvision.datasets.FashionMNIST('data', train=True, download=True)\n"
            "loader = DataLoader(train, batch_size=64, shuffle=True)",
            "for epoch in range(3):\n    for images, labels in loader:",
            (INTEGER, CLASSES, 10, (0, 9)),
        ),
        (
            "from torchvision import datasets\ntrain = datasets.CIFAR100(root='.', train=True)\n"
            "loader = DataLoader(train, batch_size=64)",
            "for epoch in range(3):\n    for step, (images, labels) in enumerate(loader):",
            (INTEGER, CLASSES, 100, (0, 99)),
        ),
        (
            "x = torch.randn(512, 784)\ny = torch.randint(0, 4, (512,))\n"
            "loader = DataLoader(TensorDataset(x, y), batch_size=32)",
            "for epoch in range(3):\n    for batch in loader:\n        images, labels = batch",
            (INTEGER, CLASSES, 4, (0, 3)),
        ),
    ],
)
def test_torch_labels_from_data_loaders(data: str, loop: str, expected: tuple) -> None:
    source = TORCH_LOOP.format(data=data, loop=loop)
    found = [s.labels for s in torch_extract(ParsedModule.parse(source, "t.py")) if s.loss]
    assert [facts(labels) for labels in found] == [expected]


def test_torch_labels_of_an_unknown_data_set_stay_unknown() -> None:
    source = TORCH_LOOP.format(
        data="train = torchvision.datasets.Kitti('photos')\nloader = DataLoader(train)",
        loop="for epoch in range(3):\n    for images, labels in loader:",
    )
    found = [s.labels for s in torch_extract(ParsedModule.parse(source, "t.py")) if s.loss]
    assert found == [None]


# -- the rules that need labels ------------------------------------------------------------------

SIGMOID_REGRESSION = """
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss={loss}, metrics=["mae"])
model.fit(x, y)
"""


@pytest.mark.parametrize(
    "loss", ['"mse"', '"mape"', "keras.losses.MeanAbsolutePercentageError()", '"huber"']
)
def test_lg008_is_silent_on_one_unit_regression_of_two_classes(loss: str) -> None:
    """Issue 9, cause F: Dense(1) with 0/1 labels and an MSE or MAPE loss is not units < classes."""
    assert codes(SIGMOID_REGRESSION.format(loss=loss)) == []


def test_lg008_is_silent_on_a_regression_head_trained_with_mse_on_class_labels() -> None:
    assert "LG008" not in codes(
        """
import keras
(x, y), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mean_squared_error")
model.fit(x, y)
"""
    )


def test_lg007_next_word_ids_given_to_a_categorical_loss() -> None:
    program = """
import numpy as np
from tensorflow import keras
from tensorflow.keras.preprocessing.sequence import pad_sequences
ids = np.array(pad_sequences(tokenizer.texts_to_sequences(lines), padding="pre"))
xs, labels = ids[:, :-1], ids[:, -1]
targets = labels
model = keras.Sequential([
    keras.layers.Embedding(words, 32),
    keras.layers.LSTM(16),
    keras.layers.Dense(words, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(xs, targets)
"""
    assert [f.code for f in check_source(program, "t.py")] == ["LG007"]
    encoded = program.replace(
        "targets = labels", "targets = keras.utils.to_categorical(labels, num_classes=words)"
    )
    assert check_source(encoded, "t.py") == []


def test_lg008_is_silent_on_two_classes_picked_out_of_ten() -> None:
    program = """
import numpy as np
import keras
(x, y), _ = keras.datasets.mnist.load_data()
pick = (y == 0) | (y == 1)
x, y = x[pick], y[pick]
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y)
"""
    assert check_source(program, "t.py") == []
    shuffled = program.replace("pick = (y == 0) | (y == 1)", "pick = np.random.permutation(len(y))")
    assert [f.code for f in check_source(shuffled, "t.py")] == ["LG008"]


@pytest.mark.parametrize("classes", [4, 7, 10, 20])
def test_lg008_many_classes_on_one_sigmoid_unit(classes: int) -> None:
    found = check_source(
        textwrap.dedent(
            f"""
import keras
from sklearn.datasets import make_classification
x, y = make_classification(n_samples=500, n_classes={classes}, n_informative=6)
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y)
"""
        ),
        "t.py",
    )
    assert [f.code for f in found] == ["LG008"]
    assert f"has 1 unit but the data has {classes} classes" in found[0].message


def test_lg008_one_unit_with_a_sparse_loss_on_two_classes_is_still_flagged() -> None:
    assert "LG008" in codes(
        """
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x, y)
"""
    )


def test_lg014_regression_metric_and_classification_loss_are_both_reported() -> None:
    found = check_source(
        textwrap.dedent(
            """
import keras
from sklearn.datasets import fetch_california_housing
x, y = fetch_california_housing(return_X_y=True)
model = keras.Sequential([keras.layers.Dense(8, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y)
"""
        ),
        "t.py",
    )
    lg014 = [f for f in found if f.code == "LG014"]
    assert len(lg014) == 2
    assert "is a classification loss" in lg014[0].message
    assert "'accuracy'" in lg014[1].message and "[0.14999, 5.00001]" in lg014[1].message


def test_lg014_torch_regression_target_into_cross_entropy() -> None:
    assert "LG014" in codes(
        """
import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.linspace(-1, 1, 200).unsqueeze(1)
y = torch.sin(x * 3)
model = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 4))
loss = F.cross_entropy(model(x), y.squeeze(1))
"""
    )


@pytest.mark.parametrize(
    ("transform", "flagged"),
    [
        ("y * 2 - 1", True),
        ("y * 1000", True),
        ("y + 1", True),
        ("y", False),
        ("y * 0.9 + 0.05", False),
    ],
)
def test_lg015_rescaled_binary_labels(transform: str, flagged: bool) -> None:
    source = f"""
import keras
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
targets = {transform}
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, targets)
"""
    assert ("LG015" in codes(source)) is flagged


def test_lg015_prices_in_the_thousands_into_a_sigmoid() -> None:
    found = check_source(
        textwrap.dedent(
            """
import keras
(x, y), _ = keras.datasets.california_housing.load_data()
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="mae")
model.fit(x, y)
"""
        ),
        "t.py",
    )
    assert [f.code for f in found] == ["LG015"]
    assert "[14999, 500001]" in found[0].message


def test_lg015_a_sigmoid_with_an_unknown_loss_stays_silent() -> None:
    assert (
        codes(
            """
import keras
(x, y), _ = keras.datasets.boston_housing.load_data()
model = keras.Sequential([keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss=my_loss)
model.fit(x, y)
"""
        )
        == []
    )


@pytest.mark.parametrize("activation", ["relu", "tanh", "elu", "softplus", "leaky_relu", "selu"])
def test_lg016_non_probability_activations(activation: str) -> None:
    source = f"""
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="{activation}")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
    assert codes(source) == ["LG016"]


@pytest.mark.parametrize("head", ["keras.layers.ReLU()", "keras.layers.LeakyReLU()"])
def test_lg016_activation_layers(head: str) -> None:
    source = f"""
import keras
model = keras.Sequential([keras.layers.Dense(1), {head}])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
    assert codes(source) == ["LG016"]


def test_lg016_keeps_the_linear_head_for_lg001() -> None:
    source = """
import keras
model = keras.Sequential([keras.layers.Dense(1, activation="linear")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
    assert codes(source) == ["LG001"]


def test_lg016_a_clipped_relu_is_not_judged() -> None:
    source = """
import keras
model = keras.Sequential([keras.layers.Dense(1), keras.layers.ReLU(max_value=1.0)])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
    assert codes(source) == []


def test_lg016_torch_functional_relu_in_forward() -> None:
    source = """
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 1)

    def forward(self, x):
        return F.relu(self.fc(x)).squeeze(1)

model = Net()
criterion = nn.BCELoss()
loss = criterion(model(x), y)
"""
    assert codes(source) == ["LG016"]


def test_lg017_to_categorical_with_sigmoids_and_binary_accuracy() -> None:
    found = check_source(
        textwrap.dedent(
            """
import keras
(x, y), _ = keras.datasets.cifar10.load_data()
y = keras.utils.to_categorical(y, 10)
model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
model.fit(x, y)
"""
        ),
        "t.py",
    )
    assert [f.code for f in found] == ["LG017"]
    assert "scores 0.90" in found[0].message


def test_lg017_stays_silent_on_multi_label_targets_of_unknown_origin() -> None:
    source = """
import keras
model = keras.Sequential([keras.layers.Dense(10, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, tags)
"""
    assert codes(source) == []


def test_lg007_integer_labels_on_a_two_unit_softmax_with_binary_crossentropy() -> None:
    found = check_source(
        textwrap.dedent(
            """
import numpy as np
import keras
y = np.random.randint(0, 2, size=1000)
model = keras.Sequential([keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y)
"""
        ),
        "t.py",
    )
    assert [f.code for f in found] == ["LG007"]
    assert "one target per unit" in found[0].message


def test_value_ranges_read_like_intervals() -> None:
    assert str(ValueRange(-1, 1)) == "[-1, 1]"
    assert str(ValueRange(-INF, INF)) == "(-inf, inf)"
    assert str(ValueRange(0, INF)) == "[0, inf)"


@pytest.mark.parametrize(
    "labels",
    [
        "np.random.randint(0, 2, size=(64, 5))",
        "torch.randint(0, 2, (64, 5)).float()",
    ],
)
def test_random_multi_label_matrices_are_not_class_indices(labels: str) -> None:
    """randint(0, 2, (n, k)) is k yes/no labels per sample: sigmoids with BCE are right."""
    source = f"""
import numpy as np
import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(16, 5))
loss = nn.BCEWithLogitsLoss()(model(torch.randn(64, 16)), {labels})
"""
    assert codes(source) == []


def test_random_labels_do_not_say_how_many_classes_the_task_has() -> None:
    """Dummy labels for a smoke test use a few classes of a bigger head: no LG008 for the
    extra units, but still one for too few units."""
    smoke = """
import torch
import torchvision
model = torchvision.models.resnet18(num_classes=100)
loss = torch.nn.CrossEntropyLoss()(model(torch.randn(4, 3, 64, 64)), torch.randint(0, 10, (4,)))
"""
    assert codes(smoke) == []
    too_few = smoke.replace("num_classes=100", "num_classes=5")
    assert codes(too_few) == ["LG008"]


# A TF1 graph: a dense layer's logits and `labels` (made from integer ids) given to `{loss}`.
TF1_LOSS_OP = """
import tensorflow as tf
x = tf.compat.v1.placeholder(tf.float32, [None, 8])
ids = tf.compat.v1.placeholder(tf.int32, [None])
logits = tf.compat.v1.layers.dense(x, 10)
labels = {labels}
cost = tf.reduce_mean({loss})
"""


@pytest.mark.parametrize(
    ("labels", "loss", "expected"),
    [
        (
            "tf.one_hot(ids, 10)",
            "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)",
            ["LG007"],
        ),
        ("ids", "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)", []),
        (
            "tf.one_hot(ids, 10)",
            "tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)",
            [],
        ),
        (  # TF 2's positional (labels, logits)
            "tf.one_hot(ids, 10)",
            "tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)",
            ["LG007"],
        ),
        (
            "tf.one_hot(ids, 10)",
            "tf.compat.v1.losses.sparse_softmax_cross_entropy(labels, logits)",
            ["LG007"],
        ),
    ],
)
def test_labels_given_to_a_tensorflow_loss_op(labels: str, loss: str, expected: list) -> None:
    program = TF1_LOSS_OP.format(labels=labels, loss=loss)
    assert [f.code for f in check_source(program, "t.py")] == expected


def test_labels_given_to_a_tf0_loss_op_by_position_are_its_second_argument() -> None:
    program = TF1_LOSS_OP.format(
        labels="tf.one_hot(ids, 10)",
        loss="tf.nn.sparse_softmax_cross_entropy_with_logits(logits, labels)",
    ).replace("tf.compat.v1.placeholder", "tf.placeholder")
    assert [f.code for f in check_source(program, "t.py")] == ["LG007"]
    swapped = program.replace("(logits, labels)", "(labels, logits)")
    assert [f.code for f in check_source(swapped, "t.py")] == []


# A TF1 graph trained through a session: `labels` fed to the placeholder y in `{feeds}`.
TF1_FED = """
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data
mnist = input_data.read_data_sets("MNIST_data/", one_hot={one_hot})
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
logits = tf.layers.dense(x, 10)
cost = tf.reduce_mean(tf.nn.{loss}(labels=y, logits=logits))
train = tf.train.AdamOptimizer().minimize(cost)
with tf.Session() as sess:
    {feeds}
"""
BATCHES = (
    "for step in range(1000):\n"
    "        images, labels = mnist.train.next_batch(100)\n"
    "        sess.run(train, feed_dict={x: images, y: labels})"
)


@pytest.mark.parametrize(
    ("one_hot", "loss", "feeds", "expected"),
    [
        (False, "softmax_cross_entropy_with_logits", BATCHES, ["LG007"]),
        (True, "softmax_cross_entropy_with_logits", BATCHES, []),
        (True, "sparse_softmax_cross_entropy_with_logits", BATCHES, ["LG007"]),
        (  # fed by position, from the test split
            False,
            "softmax_cross_entropy_with_logits",
            "sess.run(cost, {x: mnist.test.images, y: mnist.test.labels})",
            ["LG007"],
        ),
        (  # a dict bound first, to a tensor's eval
            False,
            "softmax_cross_entropy_with_logits",
            "feeds = {x: mnist.test.images, y: mnist.test.labels}\n    cost.eval(feed_dict=feeds)",
            ["LG007"],
        ),
        (  # one feed of unknown labels, one of one-hot rows: the known one tells
            True,
            "softmax_cross_entropy_with_logits",
            "sess.run(train, feed_dict={x: batch_x, y: batch_y})\n"
            "    sess.run(cost, feed_dict={x: mnist.test.images, y: mnist.test.labels})",
            [],
        ),
        (  # feeds that disagree: which one trains is not known here
            True,
            "softmax_cross_entropy_with_logits",
            "sess.run(train, feed_dict={x: batch_x, y: np.random.randint(0, 10, 100)})\n"
            "    sess.run(cost, feed_dict={x: mnist.test.images, y: mnist.test.labels})",
            [],
        ),
    ],
)
def test_labels_fed_to_a_placeholder(one_hot: bool, loss: str, feeds: str, expected: list) -> None:
    program = TF1_FED.format(one_hot=one_hot, loss=loss, feeds=feeds)
    assert codes(program) == expected


def test_a_feed_to_another_binding_of_the_name_is_not_the_placeholder_s() -> None:
    program = TF1_FED.format(
        one_hot=False,
        loss="softmax_cross_entropy_with_logits",
        feeds="y = tf.placeholder(tf.int32, [None])\n"
        "    sess.run(y, feed_dict={y: mnist.test.labels})",
    )
    assert codes(program) == []


# A TF1 graph class: the labels placeholder on `self`, then `{encode}`, then the sparse op.
TF1_CLASS = """
import tensorflow as tf
class Graph:
    def __init__(self, classes):
        self.x = tf.compat.v1.placeholder(tf.float32, [None, 8])
        self.y = tf.compat.v1.placeholder(tf.int32, [None])
        logits = tf.compat.v1.layers.dense(self.x, classes)
        {encode}
        self.loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self.y, logits=logits)
{other}
"""


@pytest.mark.parametrize(
    ("encode", "other", "expected"),
    [
        ("self.y = tf.one_hot(self.y, classes)", "", ["LG007"]),
        ("pass", "", []),
        ("if classes > 2:\n            self.y = tf.one_hot(self.y, classes)", "", []),
        (  # another method may set it, and run in between
            "self.y = tf.one_hot(self.y, classes)",
            "    def reset(self):\n        self.y = tf.compat.v1.placeholder(tf.int32, [None])\n",
            [],
        ),
    ],
)
def test_labels_on_self_rebound_in_the_method_that_reads_them(
    encode: str, other: str, expected: list
) -> None:
    assert codes(TF1_CLASS.format(encode=encode, other=other)) == expected


@pytest.mark.parametrize(
    ("helper", "call", "expected"),
    [
        ("def run(m, xs, ys):\n    return m.fit(xs, ys, epochs=1)\n", "run(net, X, Y)", ["LG008"]),
        ("def run(m, xs, ys):\n    m.fit(x=xs, y=ys)\n", "run(net, ys=Y, xs=X)", ["LG008"]),
        (
            "def run(m, xs, ys):\n    m = clone(m)\n    m.fit(xs, ys)\n",
            "run(net, X, Y)",
            [],
        ),
        ("def run(m, xs, ys):\n    m.fit(xs, ys)\n", "run(net, X, other)", []),
    ],
)
def test_labels_a_helper_fits_the_model_with(helper: str, call: str, expected: list[str]) -> None:
    """The labels a call hands a function that fits the model it is handed too: 16 softmax
    units for 3 one-hot classes."""
    source = (
        "import numpy as np\nimport keras\n"
        "X = np.random.rand(100, 8)\n"
        "Y = keras.utils.to_categorical(np.random.randint(0, 3, 100), 3)\n"
        "net = keras.Sequential([keras.layers.Dense(16, activation='softmax')])\n"
        "net.compile(optimizer='adam', loss='categorical_crossentropy')\n" + helper + call + "\n"
    )
    assert codes(source) == expected


def test_a_binary_folder_loader_fitting_a_model_compiled_by_a_helper() -> None:
    """Its loss unknown, one sigmoid unit for two classes is fine (it crashed LG008 once)."""
    source = """
from keras.models import Sequential
from keras.layers import Dense
from keras.preprocessing.image import ImageDataGenerator

def compile_it(m):
    m.compile(optimizer="adam", loss=LOSSES[m.name])

gen = ImageDataGenerator().flow_from_directory("d", class_mode="binary")
model = Sequential([Dense(1, activation="sigmoid")])
compile_it(model)
model.fit(gen)
"""
    assert check_source(source, "train.py") == []


# A training function handed the data loader; `{call}` runs it, `{made}` makes the loader.
TORCH_TRAINING_FUNCTION = """
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

{made}
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
criterion = nn.BCEWithLogitsLoss()

def train(net, loader, loss_fn):
    for images, labels in loader:
        loss = loss_fn(net(images), labels)
        loss.backward()

def train_on(loader):
    for images, labels in loader:
        criterion(model(images), labels).backward()

{call}
"""
MNIST_LOADER = (
    "train_set = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
    "train_loader = DataLoader(train_set, batch_size=64)"
)
LOADERS_FUNCTION = (
    "def get_loaders(batch_size=64):\n"
    "    train_set = datasets.MNIST('data', train=True, transform=transforms.ToTensor())\n"
    "    test_set = datasets.MNIST('data', train=False, transform=transforms.ToTensor())\n"
    "    return DataLoader(train_set, batch_size), DataLoader(test_set, batch_size)\n"
    "train_loader, test_loader = get_loaders()"
)


@pytest.mark.parametrize(
    ("made", "call", "expected"),
    [
        (MNIST_LOADER, "train(model, train_loader, criterion)", ["LG007"]),
        (MNIST_LOADER, "train_on(train_loader)", ["LG007"]),
        (LOADERS_FUNCTION, "train(model, train_loader, criterion)", ["LG007"]),
        (LOADERS_FUNCTION, "train_on(test_loader)", ["LG007"]),
        (LOADERS_FUNCTION, "train(model, loader=train_loader, loss_fn=criterion)", ["LG007"]),
        # Returns that disagree: which one the call gets is not for the checker.
        (
            LOADERS_FUNCTION.replace(
                "    return DataLoader",
                "    if batch_size:\n        return None, None\n    return DataLoader",
            ),
            "train_on(train_loader)",
            [],
        ),
        (MNIST_LOADER, "train_on(some_loader)", []),
    ],
)
def test_integer_labels_of_a_loader_handed_to_a_training_function(
    made: str, call: str, expected: list[str]
) -> None:
    """MNIST's class indices under `BCEWithLogitsLoss` on ten units, the loader handed to the
    function that computes the loss, or made by a function of the file."""
    assert codes(TORCH_TRAINING_FUNCTION.format(made=made, call=call)) == expected


def test_labels_a_function_of_the_file_returns_to_a_keras_fit() -> None:
    source = """
    from tensorflow import keras

    def load():
        (x, y), _ = keras.datasets.mnist.load_data()
        return x / 255.0, keras.utils.to_categorical(y, 10)

    x_train, y_train = load()
    model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=2)
    """
    assert codes(source) == ["LG007"]


FOLDER_OF_IMAGES = """
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

data = datasets.{dataset}("data/train", transform=transforms.ToTensor(){extra})
loader = torch.utils.data.DataLoader(data, batch_size=32)
model = models.resnet18(num_classes=2)
for images, labels in loader:
    nn.BCEWithLogitsLoss()(model(images), labels).backward()
"""


@pytest.mark.parametrize(
    ("dataset", "extra", "expected"),
    [
        ("ImageFolder", "", ["LG007"]),
        ("DatasetFolder", ", loader=read", ["LG007"]),
        # Targets made into one-hot rows, or anything else: not the folder's class indices.
        ("ImageFolder", ", target_transform=lambda t: torch.eye(2)[t]", []),
        ("CIFAR10", ", target_transform=to_one_hot", []),
        ("CIFAR10", ", target_transform=None", ["LG007"]),
    ],
)
def test_class_indices_of_a_folder_of_images(dataset: str, extra: str, expected: list[str]) -> None:
    source = FOLDER_OF_IMAGES.format(dataset=dataset, extra=extra)
    assert codes(source) == expected


FLAX_ON_TFDS = """
import jax
import optax
import flax.linen as nn
import tensorflow_datasets as tfds

class MLP(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.Dense(10)(x.reshape((x.shape[0], -1)))

model = MLP()
ds = {data}
for images, labels in ds:
    logits = model.apply(params, images)
    loss = optax.softmax_cross_entropy(logits=logits, labels=labels).mean()
"""
MNIST_PAIRS = 'tfds.load("mnist", split="train", as_supervised=True).batch(32)'


@pytest.mark.parametrize(
    "data", [f"tfds.as_numpy({MNIST_PAIRS})", f"{MNIST_PAIRS}.as_numpy_iterator()"]
)
def test_class_indices_of_tfds_pairs_read_as_numpy(data: str) -> None:
    """MNIST's class indices given to optax's softmax cross-entropy, which takes one-hot rows."""
    assert codes(FLAX_ON_TFDS.format(data=data)) == ["LG007"]
