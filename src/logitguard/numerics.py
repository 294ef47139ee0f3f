"""Framework-neutral numerics for classifier outputs: activations, losses, metrics, sampling.

NumPy only, so the static checker, the runtime inspectors and the demo can explain what a
framework computes without importing one. Two kinds of function live here:

- Stable references (activations, ``from_logits=True`` losses, sampling): every ``exp`` sees a
  non-positive argument, so logits of any size (1e4 and beyond) give finite results, in the
  input's float dtype.
- Keras reproductions (``from_logits=False`` losses, accuracy metrics): they compute what
  Keras 3 computes for plain arrays, quirks included, so a report can say what Keras saw.

Why a logits head compiled with ``from_logits=False`` stops learning
--------------------------------------------------------------------
With ``from_logits=False`` Keras reads ``y_pred`` as probabilities and clips it to
``[eps, 1 - eps]`` (``eps = keras.config.epsilon() = 1e-7``) so that ``log`` stays finite.
A clip has zero gradient outside its interval. Raw logits mostly lie outside ``[0, 1]``, so
for most outputs the loss is a constant (``-log(eps)``, about 16, or ``-log(1 - eps)``, about 0)
and the gradient is exactly zero: the loss sits on a plateau and accuracy stays near chance.
`keras_clipped_gradient_fraction` measures how much of a batch is in that state.

When ``y_pred`` comes straight from a Keras ``softmax``/``sigmoid`` activation, the TensorFlow
backend reuses the cached pre-activation logits and never clips; the clip bites on outputs that
Keras cannot trace back to logits, which is exactly the raw logits head.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DEFAULT_SEED",
    "KERAS_EPSILON",
    "binary_accuracy",
    "binary_crossentropy",
    "categorical_accuracy",
    "categorical_crossentropy",
    "keras_clip_mask",
    "keras_clipped_gradient_fraction",
    "log_sigmoid",
    "log_softmax",
    "sample_from_logits",
    "sigmoid",
    "softmax",
    "sparse_categorical_accuracy",
    "sparse_categorical_crossentropy",
    "temperature_scale",
    "to_probabilities",
    "top_k_categorical_accuracy",
    "top_k_filter",
    "top_k_sample",
    "top_p_filter",
    "top_p_sample",
]

KERAS_EPSILON = 1e-7
"""`keras.config.epsilon()`: the clip margin of Keras' from-probabilities cross-entropies."""

DEFAULT_SEED = 0
"""Seed of the generator the samplers use when none is given, so that runs repeat."""

FloatArray = NDArray[np.floating]
KerasCrossentropy = Literal[
    "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"
]


# --- input checks -------------------------------------------------------------------------------


def _as_float(x: ArrayLike) -> FloatArray:
    """`x` as an array of floats: float dtypes are kept, anything else becomes float64."""
    array = np.asarray(x)
    return array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float64)


def _predictions(y_pred: ArrayLike, where: str) -> FloatArray:
    predictions = _as_float(y_pred)
    if predictions.ndim < 1 or predictions.shape[-1] == 0:
        raise ValueError(
            f"{where}: predictions need a non-empty last (class) axis; got shape "
            f"{predictions.shape}"
        )
    return predictions


def _same_shape_targets(y_true: ArrayLike, y_pred: FloatArray, where: str) -> np.ndarray:
    targets = np.asarray(y_true)
    if targets.shape == y_pred.shape:
        return targets
    hint = ""
    if targets.shape == y_pred.shape[:-1]:
        hint = (
            " (add a trailing axis: y_true[..., None])"
            if y_pred.shape[-1] == 1
            else " (integer class labels go with the sparse_* variant)"
        )
    raise ValueError(
        f"{where}: y_true has shape {targets.shape} but y_pred has shape {y_pred.shape}; "
        f"they must match{hint}"
    )


def _class_indices(y_true: ArrayLike, y_pred: FloatArray, where: str) -> NDArray[np.intp]:
    """Integer labels, one per row of `y_pred`, checked against the number of classes."""
    labels = np.asarray(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1:] == (1,):
        labels = labels[..., 0]  # Keras accepts [batch, 1] labels and squeezes them
    if labels.shape != y_pred.shape[:-1]:
        raise ValueError(
            f"{where}: expected one integer label per row, shape {y_pred.shape[:-1]}, "
            f"got shape {labels.shape} for predictions of shape {y_pred.shape} "
            "(one-hot labels go with the categorical_* variant)"
        )
    if not (np.issubdtype(labels.dtype, np.integer) or np.issubdtype(labels.dtype, np.floating)):
        raise ValueError(f"{where}: labels must be integers, got dtype {labels.dtype}")
    if labels.size and not np.all(np.isfinite(labels) & (labels == np.round(labels))):
        raise ValueError(f"{where}: labels must be whole numbers (class indices)")
    n_classes = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{where}: labels must lie in [0, {n_classes}) for {n_classes} outputs; "
            f"found values from {labels.min():g} to {labels.max():g}"
        )
    return labels.astype(np.intp)


def _positive_int(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _temperature(t: float) -> float:
    t = float(t)
    if not (np.isfinite(t) and t > 0):
        raise ValueError(
            f"temperature must be a finite number > 0, got {t!r} (for greedy decoding take the "
            "argmax instead)"
        )
    return t


# --- activations --------------------------------------------------------------------------------


def softmax(z: ArrayLike, axis: int = -1) -> FloatArray:
    """Softmax along `axis`; the row maximum is subtracted first so `exp` cannot overflow."""
    z = _as_float(z)
    exp = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return exp / np.sum(exp, axis=axis, keepdims=True)


def log_softmax(z: ArrayLike, axis: int = -1) -> FloatArray:
    """Log of `softmax`, computed as ``z - logsumexp(z)`` without forming tiny probabilities."""
    z = _as_float(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def sigmoid(z: ArrayLike) -> FloatArray:
    """Logistic sigmoid; each branch only exponentiates ``-|z|``, so nothing overflows."""
    z = _as_float(z)
    decay = np.exp(-np.abs(z))
    one = z.dtype.type(1)
    return np.where(z >= 0, one / (one + decay), decay / (one + decay))


def log_sigmoid(z: ArrayLike) -> FloatArray:
    """``log(sigmoid(z)) = -log(1 + exp(-z))``, via `np.logaddexp`, exact for large ``|z|``."""
    z = _as_float(z)
    return -np.logaddexp(z.dtype.type(0), -z)


def to_probabilities(
    logits: ArrayLike, kind: Literal["softmax", "sigmoid"] = "softmax"
) -> FloatArray:
    """Turn a logits head's outputs into probabilities: softmax over the last axis, or sigmoid."""
    if kind == "softmax":
        return softmax(logits)
    if kind == "sigmoid":
        return sigmoid(logits)
    raise ValueError(f"kind must be 'softmax' or 'sigmoid', got {kind!r}")


# --- cross-entropies ----------------------------------------------------------------------------


def _keras_clip(probabilities: FloatArray, epsilon: float) -> FloatArray:
    # The bounds are cast to the array's dtype, as TensorFlow does: 1 - 1e-7 is 0.99999988 in
    # float32.
    dtype = probabilities.dtype.type
    return np.clip(probabilities, dtype(epsilon), dtype(1.0 - epsilon))


def _rescaled_rows(probabilities: FloatArray) -> FloatArray:
    # Keras divides by the row sum before clipping; rows summing to 0 give nan, as in Keras.
    with np.errstate(divide="ignore", invalid="ignore"):
        return probabilities / np.sum(probabilities, axis=-1, keepdims=True)


def binary_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    from_logits: bool = False,
    epsilon: float = KERAS_EPSILON,
) -> FloatArray:
    """Per-sample binary cross-entropy, averaged over the last axis like Keras.

    Shape ``[..., d]`` in, ``[...]`` out (``[batch, 1]`` gives ``[batch]``). From logits it uses
    ``max(z, 0) - z * y + log1p(exp(-|z|))``, finite for any ``z``; from probabilities it
    reproduces Keras: ``y_pred`` clipped to ``[epsilon, 1 - epsilon]``, then the textbook formula.
    """
    y_pred = _predictions(y_pred, "binary_crossentropy")
    y_true = _same_shape_targets(y_true, y_pred, "binary_crossentropy").astype(y_pred.dtype)
    if from_logits:
        z = y_pred
        elementwise = np.maximum(z, 0) - z * y_true + np.log1p(np.exp(-np.abs(z)))
    else:
        p = _keras_clip(y_pred, epsilon)
        elementwise = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
    return np.mean(elementwise, axis=-1)


def categorical_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    from_logits: bool = False,
    epsilon: float = KERAS_EPSILON,
) -> FloatArray:
    """Per-sample cross-entropy with one-hot (or soft) targets over the last axis.

    From logits: ``-sum(y * log_softmax(z))``. From probabilities, as Keras: rows rescaled to sum
    to 1, clipped to ``[epsilon, 1 - epsilon]``, then ``-sum(y * log(p))``.
    """
    y_pred = _predictions(y_pred, "categorical_crossentropy")
    y_true = _same_shape_targets(y_true, y_pred, "categorical_crossentropy").astype(y_pred.dtype)
    if from_logits:
        log_probs = log_softmax(y_pred)
    else:
        log_probs = np.log(_keras_clip(_rescaled_rows(y_pred), epsilon))
    # Zero targets contribute nothing even where log_probs is -inf (masked logits).
    weighted = np.multiply(y_true, log_probs, out=np.zeros_like(log_probs), where=y_true != 0)
    return -np.sum(weighted, axis=-1)


def sparse_categorical_crossentropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    from_logits: bool = False,
    epsilon: float = KERAS_EPSILON,
) -> FloatArray:
    """Per-sample cross-entropy with integer class labels (``[batch]`` or ``[batch, 1]``).

    From logits: ``logsumexp(z) - z[label]``. From probabilities, as Keras: ``log(clip(p))`` is
    fed to the softmax cross-entropy as if it were logits, so rows that do not sum to 1 (such as
    raw logits) add ``log(sum(clip(p)))`` to the loss.
    """
    y_pred = _predictions(y_pred, "sparse_categorical_crossentropy")
    labels = _class_indices(y_true, y_pred, "sparse_categorical_crossentropy")
    logits = y_pred if from_logits else np.log(_keras_clip(y_pred, epsilon))
    picked = np.take_along_axis(log_softmax(logits), labels[..., None], axis=-1)
    return -picked[..., 0]


def keras_clip_mask(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    loss: KerasCrossentropy = "binary_crossentropy",
    epsilon: float = KERAS_EPSILON,
) -> NDArray[np.bool_]:
    """Entries of `y_pred` whose gradient Keras' ``from_logits=False`` `loss` zeroes by clipping.

    Binary and sparse: every entry is clipped on its own, so an entry is dead exactly when it lies
    outside ``[epsilon, 1 - epsilon]``. Categorical: only the target entries of the rescaled row
    enter the loss, and every output reaches them through the row sum, so a whole row is dead
    when all of its target entries are clipped.
    """
    y_pred = _predictions(y_pred, loss)
    dtype = y_pred.dtype.type
    if loss == "binary_crossentropy":
        _same_shape_targets(y_true, y_pred, loss)
    elif loss == "sparse_categorical_crossentropy":
        _class_indices(y_true, y_pred, loss)
    elif loss == "categorical_crossentropy":
        targets = _same_shape_targets(y_true, y_pred, loss) != 0
        rescaled = _rescaled_rows(y_pred)
        clipped = (rescaled < dtype(epsilon)) | (rescaled > dtype(1.0 - epsilon))
        dead_rows = np.any(targets, axis=-1, keepdims=True) & np.all(
            clipped | ~targets, axis=-1, keepdims=True
        )
        return np.broadcast_to(dead_rows, y_pred.shape).copy()
    else:
        raise ValueError(f"unknown Keras cross-entropy {loss!r}")
    return (y_pred < dtype(epsilon)) | (y_pred > dtype(1.0 - epsilon))


def keras_clipped_gradient_fraction(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    loss: KerasCrossentropy = "binary_crossentropy",
    epsilon: float = KERAS_EPSILON,
) -> float:
    """Share of `y_pred` entries that Keras' clip leaves with zero gradient (see the module doc).

    Near 1 for a raw logits head compiled with ``from_logits=False``: the model cannot learn.
    """
    return float(np.mean(keras_clip_mask(y_true, y_pred, loss, epsilon)))


# --- metrics ------------------------------------------------------------------------------------


def binary_accuracy(y_true: ArrayLike, y_pred: ArrayLike, threshold: float = 0.5) -> float:
    """Keras' binary accuracy: ``y_pred > threshold`` equals ``y_true``, mean per sample, then mean.

    The threshold is applied as given: on logits the matching threshold is 0, not 0.5.
    """
    y_pred = _predictions(y_pred, "binary_accuracy")
    y_true = _same_shape_targets(y_true, y_pred, "binary_accuracy")
    per_sample = np.mean(y_true == (y_pred > threshold), axis=-1)
    return float(np.mean(per_sample))


def categorical_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Share of rows whose predicted argmax equals the one-hot target's argmax."""
    y_pred = _predictions(y_pred, "categorical_accuracy")
    y_true = _same_shape_targets(y_true, y_pred, "categorical_accuracy")
    return float(np.mean(np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)))


def sparse_categorical_accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Share of rows whose predicted argmax equals the integer label.

    Labels outside ``[0, classes)`` raise `ValueError`; Keras silently counts them as misses.
    """
    y_pred = _predictions(y_pred, "sparse_categorical_accuracy")
    labels = _class_indices(y_true, y_pred, "sparse_categorical_accuracy")
    return float(np.mean(labels == np.argmax(y_pred, axis=-1)))


def top_k_categorical_accuracy(y_true: ArrayLike, y_pred: ArrayLike, k: int = 5) -> float:
    """Share of rows whose one-hot target is among the `k` highest predictions.

    Ties follow TensorFlow's ``in_top_k``: the target counts when fewer than `k` scores are
    strictly higher, and a row with any non-finite score never counts.
    """
    k = _positive_int(k, "k")
    y_pred = _predictions(y_pred, "top_k_categorical_accuracy")
    targets = np.argmax(_same_shape_targets(y_true, y_pred, "top_k_categorical_accuracy"), -1)
    target_scores = np.take_along_axis(y_pred, targets[..., None], axis=-1)
    outranking = np.sum(y_pred > target_scores, axis=-1)
    finite_rows = np.all(np.isfinite(y_pred), axis=-1)
    return float(np.mean(finite_rows & (outranking < k)))


# --- sampling for sequence models ---------------------------------------------------------------


def temperature_scale(logits: ArrayLike, t: float) -> FloatArray:
    """``logits / t``: t < 1 sharpens the softmax, t > 1 flattens it.

    Very small `t` can overflow large logits; the samplers avoid that by subtracting each row's
    maximum first.
    """
    return _as_float(logits) / _temperature(t)


def _checked_logits(logits: ArrayLike, where: str) -> FloatArray:
    """Logits that can be sampled from: no nan or +inf, and a finite entry in every row."""
    z = _predictions(logits, where)
    if np.any(np.isnan(z)) or np.any(np.isposinf(z)):
        raise ValueError(f"{where}: logits must not contain nan or +inf")
    if np.any(np.all(np.isneginf(z), axis=-1)):
        raise ValueError(f"{where}: every row of logits needs at least one finite entry")
    return z


def _shifted_scaled(z: FloatArray, temperature: float) -> NDArray[np.float64]:
    # Subtracting the row maximum first keeps z / t finite for any t > 0.
    z = z.astype(np.float64)
    return (z - np.max(z, axis=-1, keepdims=True)) / _temperature(temperature)


def _generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng(DEFAULT_SEED)
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator, an integer seed or None, got {rng!r}")


def _draw_shape(size: int | tuple[int, ...] | None) -> tuple[int, ...]:
    if size is None:
        return ()
    return (size,) if isinstance(size, int | np.integer) else tuple(size)


def top_k_filter(logits: ArrayLike, k: int) -> FloatArray:
    """Logits with all but the `k` largest of each row set to ``-inf``.

    `k` larger than the vocabulary keeps everything. Ties at the boundary keep the lower
    indices, so exactly `k` entries survive.
    """
    z = _checked_logits(logits, "top_k_filter")
    k = min(_positive_int(k, "k"), z.shape[-1])
    ranked = np.argsort(-z, axis=-1, kind="stable")
    kept = np.zeros(z.shape, dtype=bool)
    np.put_along_axis(kept, ranked[..., :k], True, axis=-1)
    return np.where(kept, z, -np.inf)


def top_p_filter(logits: ArrayLike, p: float, temperature: float = 1.0) -> FloatArray:
    """Logits outside the nucleus set to ``-inf``: the smallest top set whose mass reaches `p`.

    The mass is that of ``softmax(logits / temperature)``. Entries are taken in decreasing order
    (ties: lower index first) until their mass reaches `p`.
    """
    if not 0 < p <= 1:
        raise ValueError(f"p must lie in (0, 1], got {p!r}")
    z = _checked_logits(logits, "top_p_filter")
    ranked = np.argsort(-z, axis=-1, kind="stable")
    ranked_probs = np.take_along_axis(softmax(_shifted_scaled(z, temperature)), ranked, axis=-1)
    cumulative = np.cumsum(ranked_probs, axis=-1)
    mass_before = np.concatenate([np.zeros_like(cumulative[..., :1]), cumulative[..., :-1]], -1)
    kept = np.zeros(z.shape, dtype=bool)
    np.put_along_axis(kept, ranked, mass_before < p, axis=-1)
    return np.where(kept, z, -np.inf)


def sample_from_logits(
    logits: ArrayLike,
    temperature: float = 1.0,
    rng: np.random.Generator | int | None = None,
    size: int | tuple[int, ...] | None = None,
) -> int | NDArray[np.intp]:
    """Draw indices from ``softmax(logits / temperature)`` along the last axis (Gumbel-max).

    ``-inf`` logits are never drawn; exact ties are drawn equally often. The result has shape
    ``logits.shape[:-1] + size``; a single draw from 1-D logits is a plain int. Without `rng` a
    generator seeded with `DEFAULT_SEED` is used, so repeated calls repeat: pass one Generator
    to get a fresh stream.
    """
    z = _shifted_scaled(_checked_logits(logits, "sample_from_logits"), temperature)
    draws = _draw_shape(size)
    expanded = z.reshape(z.shape[:-1] + (1,) * len(draws) + z.shape[-1:])
    noise = _generator(rng).gumbel(size=z.shape[:-1] + draws + z.shape[-1:])
    indices = np.argmax(expanded + noise, axis=-1)
    return int(indices) if indices.ndim == 0 else indices


def top_k_sample(
    logits: ArrayLike,
    k: int,
    temperature: float = 1.0,
    rng: np.random.Generator | int | None = None,
    size: int | tuple[int, ...] | None = None,
) -> int | NDArray[np.intp]:
    """Sample from the renormalised softmax of the `k` largest logits at `temperature`.

    Works on ``[vocab]`` and ``[batch, vocab]`` logits; see `sample_from_logits` for the result.
    """
    return sample_from_logits(top_k_filter(logits, k), temperature, rng=rng, size=size)


def top_p_sample(
    logits: ArrayLike,
    p: float,
    temperature: float = 1.0,
    rng: np.random.Generator | int | None = None,
    size: int | tuple[int, ...] | None = None,
) -> int | NDArray[np.intp]:
    """Nucleus sampling: sample from the smallest top set whose mass reaches `p`.

    The nucleus is taken from the temperature-scaled distribution, as in common decoders.
    """
    nucleus = top_p_filter(logits, p, temperature)
    return sample_from_logits(nucleus, temperature, rng=rng, size=size)
