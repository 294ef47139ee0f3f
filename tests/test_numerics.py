"""Tests for logitguard.numerics: stability, Keras parity (losses, metrics, clipping), sampling."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import math
import warnings
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from logitguard import numerics as nx

FLOAT_DTYPES = [np.float32, np.float64]
# Loose enough for float32 rounding differences between NumPy and TensorFlow kernels.
TOLERANCE = {np.float32: {"rtol": 2e-5, "atol": 2e-5}, np.float64: {"rtol": 1e-9, "atol": 1e-9}}
KERAS_SETTINGS = settings(max_examples=20, deadline=None)
NUMPY_SETTINGS = settings(max_examples=60, deadline=None)


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def to_numpy(keras, tensor) -> np.ndarray:
    return keras.ops.convert_to_numpy(tensor)


# --- strategies ---------------------------------------------------------------------------------


def floats(dtype, low: float, high: float) -> st.SearchStrategy[float]:
    # No subnormals: TensorFlow's CPU kernels flush them to zero, NumPy keeps them.
    width = 32 if dtype == np.float32 else 64
    return st.floats(
        low, high, width=width, allow_nan=False, allow_infinity=False, allow_subnormal=False
    )


def matrices(dtype, low: float, high: float, max_classes: int = 6, min_classes: int = 1):
    shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=max_classes)
    shapes = shapes.filter(lambda s: s[1] >= min_classes)
    return hnp.arrays(dtype, shapes, elements=floats(dtype, low, high))


@st.composite
def predictions_with_labels(draw, dtype, low: float, high: float, min_classes: int = 2):
    """A [batch, classes] prediction matrix with one integer label per row."""
    y_pred = draw(matrices(dtype, low, high, min_classes=min_classes))
    batch, classes = y_pred.shape
    labels = draw(hnp.arrays(np.int64, (batch,), elements=st.integers(0, classes - 1)))
    return labels, y_pred


def one_hot(labels: np.ndarray, classes: int, dtype=np.float32) -> np.ndarray:
    return np.eye(classes, dtype=dtype)[labels]


def binomial_bound(p: np.ndarray, draws: int, family_false_alarm: float = 1e-6) -> np.ndarray:
    """Largest |frequency - p| a correct sampler shows, per category, at the given false-alarm
    rate for the whole family of categories (normal approximation, Bonferroni)."""
    z = NormalDist().inv_cdf(1 - family_false_alarm / (2 * p.size))
    return z * np.sqrt(p * (1 - p) / draws)


# --- activations --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_activations_keep_dtype_and_raise_no_warning_at_extreme_logits(dtype):
    z = np.array([[-1e4, -1e3, -100.0, 0.0, 100.0, 1e3, 1e4]], dtype=dtype)
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        outputs = [f(z) for f in (nx.softmax, nx.log_softmax, nx.sigmoid, nx.log_sigmoid)]
    for out in outputs:
        assert out.dtype == dtype
        assert np.all(np.isfinite(out))
    softmax, log_softmax, sigmoid, log_sigmoid = outputs
    np.testing.assert_allclose(softmax.sum(axis=-1), 1.0, rtol=1e-6)
    assert softmax[0, -1] == 1.0 and softmax[0, 0] == 0.0
    assert log_softmax[0, 0] == pytest.approx(-2e4)
    assert sigmoid[0, 0] == 0.0 and sigmoid[0, -1] == 1.0 and sigmoid[0, 3] == 0.5
    assert log_sigmoid[0, 0] == pytest.approx(-1e4) and log_sigmoid[0, -1] == 0.0


@NUMPY_SETTINGS
@given(z=matrices(np.float64, -30, 30))
def test_activations_agree_with_textbook_formulas_where_those_are_safe(z):
    naive_softmax = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    naive_sigmoid = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(nx.softmax(z), naive_softmax, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(nx.log_softmax(z), np.log(naive_softmax), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(nx.sigmoid(z), naive_sigmoid, rtol=1e-12)
    np.testing.assert_allclose(nx.log_sigmoid(z), np.log(naive_sigmoid), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(nx.sigmoid(z) + nx.sigmoid(-z), 1.0, rtol=1e-15)
    np.testing.assert_allclose(nx.to_probabilities(z, "sigmoid"), naive_sigmoid, rtol=1e-12)


def test_to_probabilities_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="softmax"):
        nx.to_probabilities([0.0, 1.0], kind="tanh")


# --- cross-entropies: stability at extreme logits -----------------------------------------------

extreme_magnitudes = st.floats(100, 1e4, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@NUMPY_SETTINGS
@given(magnitudes=st.lists(extreme_magnitudes, min_size=1, max_size=8), data=st.data())
def test_binary_crossentropy_from_extreme_logits_is_exact_where_the_naive_formula_overflows(
    dtype, magnitudes, data
):
    signs = data.draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=len(magnitudes)))
    z = (np.array(magnitudes) * np.array(signs[: len(magnitudes)])).astype(dtype)[:, None]
    y = data.draw(hnp.arrays(dtype, z.shape, elements=st.sampled_from([0.0, 1.0])))
    loss = nx.binary_crossentropy(y, z, from_logits=True)
    # For |z| >= 100, log1p(exp(-|z|)) < 1e-43: the loss is the margin of the wrong side.
    analytic = np.where(y == 1, np.maximum(-z, 0), np.maximum(z, 0))[:, 0]
    assert loss.dtype == dtype and np.all(np.isfinite(loss))
    np.testing.assert_allclose(loss, analytic, rtol=1e-6, atol=1e-30)

    with np.errstate(all="ignore"):
        p = 1 / (1 + np.exp(-z))
        naive = -(y * np.log(p) + (1 - y) * np.log(1 - p))[:, 0]
    # Once exp(|z|) overflows, the naive loss of a confidently wrong logit is inf or nan.
    overflowing = (analytic > 0) & (np.abs(z[:, 0]) > np.log(np.finfo(dtype).max))
    assert not np.any(np.isfinite(naive[overflowing]))


@st.composite
def well_separated_logits(draw, dtype):
    """Rows of distinct multiples of 100 in [-1e4, 1e4], with one label per row."""
    batch = draw(st.integers(1, 6))
    classes = draw(st.integers(2, 6))
    rows = [
        draw(st.lists(st.integers(-100, 100), min_size=classes, max_size=classes, unique=True))
        for _ in range(batch)
    ]
    z = (100 * np.array(rows)).astype(dtype)
    labels = np.array(draw(st.lists(st.integers(0, classes - 1), min_size=batch, max_size=batch)))
    return labels, z


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@NUMPY_SETTINGS
@given(data=st.data())
def test_categorical_crossentropies_from_extreme_logits_are_max_minus_target_logit(dtype, data):
    labels, z = data.draw(well_separated_logits(dtype))
    # Gaps are >= 100, so logsumexp(z) = max(z) to within exp(-100).
    analytic = z.max(axis=-1) - z[np.arange(len(labels)), labels]
    sparse = nx.sparse_categorical_crossentropy(labels, z, from_logits=True)
    dense = nx.categorical_crossentropy(one_hot(labels, z.shape[1], dtype), z, from_logits=True)
    for loss in (sparse, dense):
        assert loss.dtype == dtype
        np.testing.assert_allclose(loss, analytic, rtol=1e-6, atol=1e-30)
    with np.errstate(all="ignore"):
        naive = -np.log(np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True))
    if z.max() >= 1e3:
        assert not np.all(np.isfinite(naive))


def test_categorical_crossentropy_ignores_masked_logits_outside_the_target():
    z = np.array([[2.0, -np.inf, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = nx.categorical_crossentropy([[1.0, 0.0, 0.0]], z, from_logits=True)
    assert loss[0] == pytest.approx(np.log1p(np.exp(-2.0)))


# --- cross-entropies: parity with Keras ---------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@KERAS_SETTINGS
@given(data=st.data())
def test_binary_crossentropy_matches_keras_from_logits(keras, dtype, data):
    z = data.draw(matrices(dtype, -1e4, 1e4))
    y = data.draw(hnp.arrays(dtype, z.shape, elements=floats(dtype, 0, 1)))
    expected = to_numpy(keras, keras.losses.binary_crossentropy(y, z, from_logits=True))
    ours = nx.binary_crossentropy(y, z, from_logits=True)
    assert ours.shape == (z.shape[0],) and ours.dtype == dtype
    np.testing.assert_allclose(ours, expected, **TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@KERAS_SETTINGS
@given(data=st.data())
def test_binary_crossentropy_matches_keras_clipping_from_probabilities(keras, dtype, data):
    # Values outside [0, 1] stand for a logits head compiled with from_logits=False.
    values = st.one_of(floats(dtype, -3, 3), st.sampled_from([0.0, 1.0, 1e-7, 1 - 1e-7, 1e-9]))
    p = data.draw(
        hnp.arrays(dtype, data.draw(hnp.array_shapes(min_dims=2, max_dims=2)), elements=values)
    )
    y = data.draw(hnp.arrays(dtype, p.shape, elements=st.sampled_from([0.0, 1.0, 0.25])))
    expected = to_numpy(keras, keras.losses.binary_crossentropy(y, p, from_logits=False))
    np.testing.assert_allclose(nx.binary_crossentropy(y, p), expected, **TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@KERAS_SETTINGS
@given(data=st.data())
def test_categorical_crossentropy_matches_keras(keras, dtype, data):
    labels, z = data.draw(predictions_with_labels(dtype, -1e3, 1e3))
    soft = data.draw(hnp.arrays(dtype, z.shape, elements=floats(dtype, 0, 1)))
    assume(np.all(soft.sum(axis=-1) > 0))
    for y in (one_hot(labels, z.shape[1], dtype), soft / soft.sum(axis=-1, keepdims=True)):
        expected = to_numpy(keras, keras.losses.categorical_crossentropy(y, z, from_logits=True))
        ours = nx.categorical_crossentropy(y, z, from_logits=True)
        np.testing.assert_allclose(ours, expected, **TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@KERAS_SETTINGS
@given(data=st.data())
def test_categorical_crossentropy_matches_keras_rescaling_and_clipping(keras, dtype, data):
    # Unnormalised rows (Keras rescales them) and logits fed as probabilities (sums kept away
    # from 0, where the rescaling amplifies rounding differences without bound).
    labels, p = data.draw(predictions_with_labels(dtype, 0, 1))
    logits = data.draw(hnp.arrays(dtype, p.shape, elements=floats(dtype, -5, 5)))
    assume(np.all(p.sum(axis=-1) > 0) and np.all(np.abs(logits.sum(axis=-1)) > 0.5))
    y = one_hot(labels, p.shape[1], dtype)
    for y_pred in (p, logits):
        expected = to_numpy(keras, keras.losses.categorical_crossentropy(y, y_pred))
        ours = nx.categorical_crossentropy(y, y_pred)
        np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("from_logits", [True, False])
@KERAS_SETTINGS
@given(data=st.data())
def test_sparse_categorical_crossentropy_matches_keras(keras, dtype, from_logits, data):
    low, high = (-1e3, 1e3) if from_logits else (-3, 3)
    labels, y_pred = data.draw(predictions_with_labels(dtype, low, high))
    column = labels[:, None]  # Keras squeezes [batch, 1] labels; so must we
    expected = to_numpy(
        keras, keras.losses.sparse_categorical_crossentropy(labels, y_pred, from_logits)
    )
    for y_true in (labels, column):
        ours = nx.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits)
        np.testing.assert_allclose(ours, expected, **TOLERANCE[dtype])


def test_logits_fed_as_probabilities_sit_on_keras_clip_plateaus():
    # Every logit >= 1 clips to 1 - eps and every logit <= 0 to eps: the loss cannot move.
    high = nx.binary_crossentropy(np.ones((3, 1)), np.array([[1.0], [7.0], [300.0]]))
    low = nx.binary_crossentropy(np.ones((3, 1)), np.array([[0.0], [-2.0], [-300.0]]))
    assert np.ptp(high) == 0 and np.ptp(low) == 0
    assert low[0] == pytest.approx(-math.log(nx.KERAS_EPSILON))
    assert high[0] == pytest.approx(-math.log(1 - nx.KERAS_EPSILON), rel=1e-6)


@NUMPY_SETTINGS
@given(data=st.data())
def test_clip_mask_marks_exactly_the_entries_with_zero_finite_difference(data):
    labels, z = data.draw(predictions_with_labels(np.float64, -4, 4))
    step = 1e-6
    # Entries within a step of a clip boundary would straddle it; keep them out.
    margin = np.minimum(np.abs(z - nx.KERAS_EPSILON), np.abs(z - (1 - nx.KERAS_EPSILON)))
    assume(np.all(margin > 2 * step))
    y = one_hot(labels, z.shape[1], np.float64)
    mask = nx.keras_clip_mask(y, z, "binary_crossentropy")
    for index in np.ndindex(z.shape):
        bump = np.zeros_like(z)
        bump[index] = step
        change = nx.binary_crossentropy(y, z + bump) - nx.binary_crossentropy(y, z - bump)
        assert (change[index[0]] == 0) == mask[index]


@pytest.mark.parametrize(
    "loss", ["binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy"]
)
@KERAS_SETTINGS
@given(data=st.data())
def test_clip_mask_matches_where_keras_gradient_is_zero(keras, loss, data):
    tf = pytest.importorskip("tensorflow")
    labels, z = data.draw(predictions_with_labels(np.float64, -4, 4))
    if loss == "categorical_crossentropy":
        assume(np.all(np.abs(z.sum(axis=-1)) > 0.1))
    y = labels if loss.startswith("sparse") else one_hot(labels, z.shape[1], np.float64)
    y_pred = tf.Variable(z)
    with tf.GradientTape() as tape:
        value = tf.reduce_sum(getattr(keras.losses, loss)(y, y_pred))
    keras_dead = tape.gradient(value, y_pred).numpy() == 0
    np.testing.assert_array_equal(nx.keras_clip_mask(y, z, loss), keras_dead)
    assert nx.keras_clipped_gradient_fraction(y, z, loss) == pytest.approx(keras_dead.mean())


def test_clipped_gradient_fraction_tells_a_logits_head_from_a_softmax_head():
    rng = np.random.default_rng(3)
    logits = rng.normal(0, 4, size=(256, 10))
    labels = rng.integers(0, 10, size=256)
    loss = "sparse_categorical_crossentropy"
    assert nx.keras_clipped_gradient_fraction(labels, logits, loss) > 0.8
    assert nx.keras_clipped_gradient_fraction(labels, nx.softmax(logits), loss) < 0.2


# --- metrics: parity with Keras -----------------------------------------------------------------


def keras_metric(metric, y_true, y_pred) -> float:
    metric.update_state(y_true, y_pred)
    return float(metric.result())


@KERAS_SETTINGS
@given(data=st.data())
def test_binary_accuracy_matches_keras(keras, data):
    y_pred = data.draw(matrices(np.float32, -2, 2))
    y_true = data.draw(hnp.arrays(np.float32, y_pred.shape, elements=st.sampled_from([0.0, 1.0])))
    # A threshold equal to some prediction exercises Keras' strict "greater than".
    threshold = data.draw(st.one_of(floats(np.float32, -1, 1), st.sampled_from(y_pred.ravel())))
    expected = keras_metric(
        keras.metrics.BinaryAccuracy(threshold=float(threshold)), y_true, y_pred
    )
    assert nx.binary_accuracy(y_true, y_pred, threshold=float(threshold)) == pytest.approx(
        expected, abs=1e-6
    )


@KERAS_SETTINGS
@given(data=st.data())
def test_categorical_accuracies_match_keras(keras, data):
    labels, y_pred = data.draw(predictions_with_labels(np.float32, -10, 10))
    assume(all(len(set(row)) == len(row) for row in y_pred.tolist()))  # argmax ties: TF unspecified
    y_true = one_hot(labels, y_pred.shape[1])
    categorical = keras_metric(keras.metrics.CategoricalAccuracy(), y_true, y_pred)
    sparse = keras_metric(keras.metrics.SparseCategoricalAccuracy(), labels, y_pred)
    assert nx.categorical_accuracy(y_true, y_pred) == pytest.approx(categorical, abs=1e-6)
    assert nx.sparse_categorical_accuracy(labels, y_pred) == pytest.approx(sparse, abs=1e-6)


@KERAS_SETTINGS
@given(data=st.data(), k=st.integers(1, 7))
def test_top_k_categorical_accuracy_matches_keras_including_ties(keras, data, k):
    # Few distinct values, so ties across the top-k boundary are common.
    y_pred = data.draw(
        hnp.arrays(
            np.float32,
            hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
            elements=st.sampled_from([0.0, 0.5, 1.0, 2.0]),
        )
    )
    labels = data.draw(
        hnp.arrays(np.int64, y_pred.shape[:1], elements=st.integers(0, y_pred.shape[1] - 1))
    )
    y_true = one_hot(labels, y_pred.shape[1])
    expected = keras_metric(keras.metrics.TopKCategoricalAccuracy(k=k), y_true, y_pred)
    assert nx.top_k_categorical_accuracy(y_true, y_pred, k=k) == pytest.approx(expected, abs=1e-6)


def test_top_k_accuracy_treats_non_finite_rows_like_keras(keras):
    y_pred = np.array([[np.inf, 0.0, 0.0], [1.0, 0.0, 0.0]], dtype=np.float32)
    y_true = one_hot(np.array([0, 0]), 3)
    expected = keras_metric(keras.metrics.TopKCategoricalAccuracy(k=1), y_true, y_pred)
    assert nx.top_k_categorical_accuracy(y_true, y_pred, k=1) == pytest.approx(expected)
    assert expected == pytest.approx(0.5)


# --- clear errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nx.binary_crossentropy(np.ones((4,)), np.ones((4, 1))), "trailing axis"),
        (lambda: nx.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 4))), "shape"),
        (lambda: nx.categorical_crossentropy([0, 2], np.ones((2, 4))), "sparse_"),
        (lambda: nx.sparse_categorical_crossentropy([0, 3], np.ones((2, 3))), r"\[0, 3\)"),
        (lambda: nx.sparse_categorical_crossentropy([0, -1], np.ones((2, 3))), r"\[0, 3\)"),
        (lambda: nx.sparse_categorical_crossentropy([0.5, 1], np.ones((2, 3))), "whole"),
        (lambda: nx.sparse_categorical_crossentropy(np.eye(3), np.ones((3, 3))), "one-hot"),
        (lambda: nx.sparse_categorical_accuracy([0, 1, 2], np.ones((2, 3))), "shape"),
        (lambda: nx.binary_accuracy([[1, 0]], [[0.2]]), "shape"),
        (lambda: nx.top_k_categorical_accuracy(np.eye(3), np.eye(3), k=0), "k must"),
        (lambda: nx.categorical_accuracy(1.0, 1.0), "class"),
        (lambda: nx.keras_clip_mask([1.0], [0.5], loss="hinge"), "hinge"),
    ],
)
def test_bad_inputs_raise_clear_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- sampling -----------------------------------------------------------------------------------


def test_sample_shapes_for_single_and_batched_logits():
    logits = np.log([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    assert isinstance(nx.top_k_sample(logits[0], k=2), int)
    assert nx.top_k_sample(logits[0], k=2, size=7).shape == (7,)
    assert nx.top_k_sample(logits, k=2).shape == (2,)
    assert nx.top_p_sample(logits, p=0.9, size=(4, 5)).shape == (2, 4, 5)


def test_sampling_repeats_with_a_seed_and_advances_with_a_generator():
    logits = np.zeros(50)
    assert np.array_equal(
        nx.top_k_sample(logits, 50, size=20), nx.top_k_sample(logits, 50, size=20)
    )
    rng = np.random.default_rng(1)
    first, second = (
        nx.top_k_sample(logits, 50, rng=rng, size=20),
        nx.top_k_sample(logits, 50, rng=rng, size=20),
    )
    assert not np.array_equal(first, second)
    assert np.array_equal(
        nx.top_p_sample(logits, 0.5, rng=7, size=9), nx.top_p_sample(logits, 0.5, rng=7, size=9)
    )


@NUMPY_SETTINGS
@given(
    z=matrices(np.float64, -50, 50, max_classes=12),
    k=st.integers(1, 14),
    temperature=st.floats(0.05, 20),
    seed=st.integers(0, 2**32 - 1),
)
def test_top_k_sample_never_leaves_the_top_k(z, k, temperature, seed):
    draws = nx.top_k_sample(z, k, temperature=temperature, rng=seed, size=64)
    kth_largest = np.sort(z, axis=-1)[:, ::-1][:, min(k, z.shape[1]) - 1]
    assert draws.shape == (z.shape[0], 64)
    assert np.all((draws >= 0) & (draws < z.shape[1]))
    assert np.all(np.take_along_axis(z, draws, axis=-1) >= kth_largest[:, None])
    if k >= z.shape[1]:  # k is clamped to the vocabulary
        np.testing.assert_array_equal(nx.top_k_filter(z, k), z)


@NUMPY_SETTINGS
@given(
    rows=st.lists(
        st.lists(st.integers(-1000, 1000), min_size=2, max_size=10, unique=True),
        min_size=1,
        max_size=5,
    ),
    k=st.integers(1, 10),
)
def test_near_zero_temperature_samples_the_argmax(rows, k):
    width = min(len(r) for r in rows)
    z = np.array([r[:width] for r in rows], dtype=np.float64)
    draws = nx.top_k_sample(z, k, temperature=1e-6, size=32)
    np.testing.assert_array_equal(draws, np.repeat(z.argmax(axis=-1)[:, None], 32, axis=1))


def test_near_zero_temperature_splits_tied_maxima_evenly():
    draws = nx.top_k_sample(np.array([5.0, 0.0, 5.0]), k=2, temperature=1e-6, size=4000)
    share = np.mean(draws == 0)
    assert set(np.unique(draws)) == {0, 2}
    assert abs(share - 0.5) <= binomial_bound(np.array([0.5]), 4000)[0]


def top_k_expected(z: np.ndarray, k: int, temperature: float) -> np.ndarray:
    keep = np.argsort(-z)[:k]
    p = np.zeros_like(z)
    p[keep] = np.exp(z[keep] / temperature) / np.exp(z[keep] / temperature).sum()
    return p


def test_top_k_frequencies_match_the_renormalised_softmax():
    draws_n = 20_000
    z = np.random.default_rng(11).normal(0, 1.5, size=8)
    counts = np.bincount(nx.top_k_sample(z, 4, temperature=0.7, rng=5, size=draws_n), minlength=8)
    frequencies = counts / draws_n
    expected = top_k_expected(z, 4, 0.7)
    bound = binomial_bound(expected, draws_n)
    assert np.all(np.abs(frequencies - expected) <= bound)
    # The bound is tight enough to notice the wrong temperature: the check has teeth.
    wrong = top_k_expected(z, 4, 1.0)
    assert np.any(np.abs(frequencies - wrong) > binomial_bound(wrong, draws_n))


def test_top_p_frequencies_match_the_renormalised_nucleus():
    draws_n = 20_000
    z = np.log(np.array([0.05, 0.4, 0.1, 0.3, 0.15]))
    # Nucleus for p = 0.8: 0.4 + 0.3 = 0.7 < 0.8, adding 0.15 reaches 0.85.
    expected = np.array([0.0, 0.4, 0.0, 0.3, 0.15]) / 0.85
    frequencies = np.bincount(nx.top_p_sample(z, 0.8, rng=9, size=draws_n), minlength=5) / draws_n
    assert frequencies[0] == 0 and frequencies[2] == 0
    assert np.all(np.abs(frequencies - expected) <= binomial_bound(expected, draws_n))


@NUMPY_SETTINGS
@given(z=matrices(np.float64, -8, 8, max_classes=10), p=st.floats(0.01, 1.0))
def test_top_p_keeps_the_smallest_top_set_with_mass_at_least_p(z, p):
    probs = nx.softmax(z)
    cumulative = np.cumsum(np.sort(probs, axis=-1)[:, ::-1], axis=-1)
    assume(np.all(np.abs(cumulative - p) > 1e-9))
    kept = np.isfinite(nx.top_p_filter(z, p))
    for row_probs, row_kept in zip(probs, kept, strict=True):
        kept_probs = row_probs[row_kept]
        assert kept_probs.sum() >= p or row_kept.all()
        assert kept_probs.sum() - kept_probs.min() < p
        if not row_kept.all():
            assert kept_probs.min() >= row_probs[~row_kept].max()


def test_masked_logits_are_never_sampled_and_k_beyond_vocab_is_clamped():
    z = np.array([[0.0, -np.inf, 0.0, -np.inf], [-np.inf, -np.inf, -np.inf, 3.0]])
    draws = nx.top_k_sample(z, k=100, size=2000)
    assert set(np.unique(draws[0])) == {0, 2}
    assert set(np.unique(draws[1])) == {3}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nx.top_k_sample([1.0, 2.0], k=1, temperature=0), "temperature"),
        (lambda: nx.top_k_sample([1.0, 2.0], k=1, temperature=-1), "temperature"),
        (lambda: nx.top_p_sample([1.0, 2.0], p=0.5, temperature=float("nan")), "temperature"),
        (lambda: nx.temperature_scale([1.0, 2.0], float("inf")), "temperature"),
        (lambda: nx.top_k_sample([1.0, 2.0], k=0), "k must"),
        (lambda: nx.top_k_sample([1.0, 2.0], k=1.5), "k must"),
        (lambda: nx.top_k_sample([1.0, 2.0], k=True), "k must"),
        (lambda: nx.top_p_sample([1.0, 2.0], p=0.0), "p must"),
        (lambda: nx.top_p_sample([1.0, 2.0], p=1.5), "p must"),
        (lambda: nx.top_k_sample([1.0, float("nan")], k=1), "nan"),
        (lambda: nx.top_k_sample([[0.0, 1.0], [-np.inf, -np.inf]], k=1), "finite entry"),
        (lambda: nx.top_k_sample(np.zeros((2, 0)), k=1), "non-empty"),
    ],
)
def test_bad_sampling_arguments_raise_clear_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_sampling_rejects_a_non_generator_rng():
    with pytest.raises(TypeError, match="Generator"):
        nx.top_k_sample([1.0, 2.0], k=1, rng="seed")


def test_temperature_scale_divides_and_keeps_float32():
    scaled = nx.temperature_scale(np.array([2.0, -4.0], dtype=np.float32), 2.0)
    assert scaled.dtype == np.float32
    np.testing.assert_array_equal(scaled, [1.0, -2.0])
