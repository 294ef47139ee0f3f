"""Functions that make, convert or keep labels, by canonical dotted path (NumPy, Keras, TF,
PyTorch, JAX, pandas, scikit-learn). Front ends apply them to what they know of the input.
"""

from __future__ import annotations

# function -> (position, keyword) of its number-of-classes argument.
ONE_HOT: dict[str, tuple[int, str]] = {
    "keras.utils.to_categorical": (1, "num_classes"),
    "keras.utils.np_utils.to_categorical": (1, "num_classes"),
    "keras.ops.one_hot": (1, "num_classes"),
    "tensorflow.one_hot": (1, "depth"),
    "torch.nn.functional.one_hot": (1, "num_classes"),
    "jax.nn.one_hot": (1, "num_classes"),
}
GET_DUMMIES = "pandas.get_dummies"  # one column per distinct value
# A tokenizer's method that turns texts into lists of token ids.
TEXTS_TO_SEQUENCES = "texts_to_sequences"
# Pad lists of token ids into an integer array: a vocabulary's class indices.
PAD_SEQUENCES = frozenset(
    {
        "keras.preprocessing.sequence.pad_sequences",
        "keras.utils.pad_sequences",
        "keras.utils.data_utils.pad_sequences",
    }
)
IDENTITY_MATRICES = frozenset({"numpy.eye", "numpy.identity", "torch.eye", "jax.numpy.eye"})
# One-hot rows -> class indices.
ARGMAX = frozenset({"numpy.argmax", "torch.argmax", "tensorflow.argmax", "jax.numpy.argmax"})
# PyTorch's maximum over a dimension, which also gives where it is: `_, pred = torch.max(out, 1)`
# (and the tensor's own `out.max(1)`) is an argmax.
MAX_WITH_INDICES = frozenset({"torch.max"})

# Conversions whose first argument's values come out unchanged.
KEEPING_FUNCTIONS = frozenset(
    {
        "numpy.array",
        "numpy.asarray",
        "numpy.squeeze",
        "numpy.ravel",
        "numpy.reshape",
        "numpy.expand_dims",
        "numpy.float32",
        "numpy.float64",
        "numpy.int32",
        "numpy.int64",
        "tensorflow.convert_to_tensor",
        "tensorflow_datasets.as_numpy",  # a data set's pairs as NumPy arrays
        "tensorflow.cast",
        "tensorflow.constant",
        "tensorflow.reshape",
        "tensorflow.squeeze",
        "tensorflow.expand_dims",
        "keras.ops.convert_to_tensor",
        "keras.ops.cast",
        "torch.tensor",
        "torch.as_tensor",
        "torch.from_numpy",
        "torch.Tensor",
        "torch.LongTensor",
        "torch.FloatTensor",
        "torch.squeeze",
        "torch.unsqueeze",
        "torch.reshape",
        "jax.numpy.array",
        "jax.numpy.asarray",
        "pandas.Series",
    }
)
# Methods of arrays, tensors and data sets that keep the values (and the pairs of a data set).
KEEPING_METHODS = frozenset(
    {
        "astype",
        "flatten",
        "ravel",
        "copy",
        "squeeze",
        "unsqueeze",
        "reshape",
        "view",
        "to_numpy",
        "toarray",
        "todense",
        "numpy",
        "long",
        "float",
        "double",
        "int",
        "to",
        "cpu",
        "cuda",
        "detach",
        "type",
        # tf.data.Dataset
        "batch",
        "padded_batch",
        "unbatch",
        "shuffle",
        "cache",
        "prefetch",
        "repeat",
        "take",
        "skip",
        "shard",
        "filter",
        "with_options",
        "as_numpy_iterator",
    }
)

# Random arrays: integers in [low, high) (`randint`) or real values.
RANDOM_INTEGERS = frozenset({"numpy.random.randint", "torch.randint"})
# TensorFlow's `uniform(shape, minval=0, maxval=None, dtype)`: integers when the dtype is one.
TF_RANDOM_UNIFORM = frozenset({"tensorflow.random.uniform", "tensorflow.compat.v1.random_uniform"})
INTEGER_DTYPES = frozenset(
    f"{module}.{kind}{bits}"
    for module in ("tensorflow", "numpy", "torch")
    for kind in ("int", "uint")
    for bits in (8, 16, 32, 64)
)
RANDOM_CHOICE = "numpy.random.choice"
RANDOM_UNIT_INTERVAL = frozenset(
    {
        "numpy.random.rand",
        "numpy.random.random",
        "numpy.random.random_sample",
        "numpy.random.sample",
        "numpy.random.ranf",
        "torch.rand",
    }
)
RANDOM_UNBOUNDED = frozenset(
    {
        "numpy.random.randn",
        "numpy.random.normal",
        "numpy.random.standard_normal",
        "torch.randn",
        "torch.normal",
    }
)
RANDOM_UNIFORM = "numpy.random.uniform"  # (low=0.0, high=1.0, size)
LINSPACES = frozenset({"numpy.linspace", "torch.linspace", "tensorflow.linspace"})
WHERE = frozenset({"numpy.where", "torch.where"})

# Functions of a real value that keep it real, and what they do to an interval.
MONOTONIC = {
    "log": "increasing",
    "log1p": "increasing",
    "log2": "increasing",
    "log10": "increasing",
    "sqrt": "increasing",
    "exp": "increasing",
    "expm1": "increasing",
}
BOUNDED = {"sin": (-1.0, 1.0), "cos": (-1.0, 1.0), "tanh": (-1.0, 1.0)}
ELEMENTWISE_MODULES = ("numpy", "torch", "jax.numpy", "tensorflow")

# scikit-learn encoders and scalers, by class name under sklearn.preprocessing.
LABEL_ENCODER = "LabelEncoder"
ONE_HOT_ENCODER = "OneHotEncoder"
MIN_MAX_SCALER = "MinMaxScaler"
STANDARD_SCALER = "StandardScaler"
ENCODERS = frozenset({LABEL_ENCODER, ONE_HOT_ENCODER, MIN_MAX_SCALER, STANDARD_SCALER})

# Iterating these yields the elements of their first argument.
ITERATION_WRAPPERS = frozenset({"tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm"})
DATA_LOADERS = frozenset({"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"})
TENSOR_DATASETS = frozenset(
    {"torch.utils.data.TensorDataset", "torch.utils.data.dataset.TensorDataset"}
)
RANDOM_SPLITS = frozenset(
    {"torch.utils.data.random_split", "torch.utils.data.dataset.random_split"}
)
FROM_TENSOR_SLICES = frozenset(
    {"tensorflow.data.Dataset.from_tensor_slices", "tensorflow.data.Dataset.from_tensors"}
)
# Keras' loaders of a folder holding one folder per class: the keyword that says how they
# give the labels, and its default. "binary" labels are 0 or 1, of exactly two classes;
# "categorical" ones one-hot; "int" and "sparse" ones class indices; any other mode (None,
# "input", "raw") gives no class labels.
DIRECTORY_LOADERS = {
    **{
        f"keras.{module}.{kind}_dataset_from_directory": ("label_mode", "int")
        for module in ("utils", "preprocessing")
        for kind in ("image", "text", "audio")
    },
}
DIRECTORY_LOADER_METHODS = {
    "flow_from_directory": ("class_mode", "categorical"),
    "flow_from_dataframe": ("class_mode", "categorical"),
}
# Loaders whose "categorical" labels are one-hot rows or, of a column holding lists of tags,
# multi-hot ones: which, the code does not tell.
MULTI_LABEL_LOADER_METHODS = frozenset({"flow_from_dataframe"})
BINARY_LABEL_MODE = "binary"
ONE_HOT_LABEL_MODE = "categorical"
INDEX_LABEL_MODES = frozenset({"int", "sparse"})
# TF 1's MNIST tutorial loader, `read_data_sets(dir, one_hot=True)`: its `.train`,
# `.validation` and `.test` hold 10 classes' `.labels` and give `(images, labels)` from
# `.next_batch(n)`; a copy of the tutorial's `input_data.py` beside the script is the same.
TF_TUTORIAL_MNIST = frozenset(
    {
        "tensorflow.examples.tutorials.mnist.input_data.read_data_sets",
        "tensorflow.contrib.learn.python.learn.datasets.mnist.read_data_sets",
        "tensorflow.contrib.learn.datasets.mnist.read_data_sets",
        "input_data.read_data_sets",
    }
)
TF_TUTORIAL_MNIST_CLASSES = 10
TF_TUTORIAL_SPLITS = frozenset({"train", "validation", "test"})
# TF 1's graph inputs: the values a session feeds them (`feed_dict={y: labels}`).
PLACEHOLDERS = frozenset({"tensorflow.placeholder"})
FEED_METHODS = frozenset({"run", "eval"})  # sess.run(op, feed_dict), tensor.eval(feed_dict)
# scikit-learn functions returning their array arguments split or reordered, in order.
SKLEARN_SPLITTERS = frozenset({"train_test_split"})
SKLEARN_SHUFFLERS = frozenset({"shuffle", "resample"})
