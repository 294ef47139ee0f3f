"""logitguard.jax: inspect Flax (linen and nnx) models with optax losses, guard jitted steps."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

jax = pytest.importorskip("jax")
optax = pytest.importorskip("optax")
nn = pytest.importorskip("flax.linen")
nnx = pytest.importorskip("flax.nnx")
datasets = pytest.importorskip("sklearn.datasets")

from flax.training import train_state  # noqa: E402

import logitguard  # noqa: E402
import logitguard.jax as lg_jax  # noqa: E402
from logitguard.core.facts import Emits  # noqa: E402
from logitguard.core.findings import Severity  # noqa: E402
from logitguard.errors import LogitMismatchError, LogitMismatchWarning  # noqa: E402

SPARSE = optax.softmax_cross_entropy_with_integer_labels
BINARY = optax.sigmoid_binary_cross_entropy


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    x, y = datasets.load_digits(return_X_y=True)
    return (x[:512] / 16.0).astype("float32"), y[:512].astype("int32")


class LinenMLP(nn.Module):
    classes: int = 10
    activation: str | None = None  # "softmax", "sigmoid" or None: raw logits

    @nn.compact
    def __call__(self, x):
        x = nn.Dense(self.classes)(nn.relu(nn.Dense(32)(x)))
        if self.activation == "softmax":
            return nn.softmax(x)
        return nn.sigmoid(x) if self.activation == "sigmoid" else x


class NnxMLP(nnx.Module):
    def __init__(self, features: int, classes: int, activation: str | None, rngs: nnx.Rngs):
        self.hidden = nnx.Linear(features, 32, rngs=rngs)
        self.dropout = nnx.Dropout(0.2, rngs=rngs)
        self.out = nnx.Linear(32, classes, rngs=rngs)
        self.activation = activation

    def __call__(self, x):
        x = self.out(self.dropout(nnx.relu(self.hidden(x))))
        if self.activation == "softmax":
            return nnx.softmax(x)
        return nnx.sigmoid(x) if self.activation == "sigmoid" else x


def linen_state(x: np.ndarray, activation: str | None = None) -> train_state.TrainState:
    model = LinenMLP(activation=activation)
    params = model.init(jax.random.key(0), x[:1])["params"]
    return train_state.TrainState.create(apply_fn=model.apply, params=params, tx=optax.adam(1e-2))


def linen_update(state, x, y):
    def loss_fn(params):
        return SPARSE(state.apply_fn({"params": params}, x), y).mean()

    loss, grads = jax.value_and_grad(loss_fn)(state.params)
    return state.apply_gradients(grads=grads), loss


linen_step = jax.jit(linen_update)


def nnx_step(model, optimizer, x, y):
    def loss_fn(model):
        return BINARY(model(x), y).mean()

    loss, grads = nnx.value_and_grad(loss_fn)(model)
    optimizer.update(model, grads)
    return loss


# --- inspect -------------------------------------------------------------------------------


def test_linen_softmax_head_with_optax_loss_is_lg002(digits):
    x, y = digits
    model = LinenMLP(activation="softmax")
    variables = model.init(jax.random.key(0), x[:1])
    report = lg_jax.inspect(model, SPARSE, x[:64], y[:64], variables=variables)
    assert report.codes == {"LG002"}, str(report)
    (finding,) = report.findings
    assert finding.severity is Severity.WARNING
    assert "optax.softmax_cross_entropy_with_integer_labels" in finding.message
    assert "flax.linen LinenMLP" in finding.message
    assert "jax.nn.log_softmax" in finding.fix
    assert report.setups[0].head.emits is Emits.SOFTMAX and report.setups[0].head.units == 10


def test_linen_logits_head_is_clean_and_labels_are_checked(digits):
    x, y = digits
    model = LinenMLP()
    params = model.init(jax.random.key(0), x[:1])["params"]  # bare params, as TrainState has
    assert lg_jax.inspect(model, SPARSE, x[:64], y[:64], variables=params).findings == []
    one_hot = optax.softmax_cross_entropy
    assert lg_jax.inspect(model, one_hot, x[:64], y[:64], variables=params).codes == {"LG007"}
    # The top-level entry point knows Flax models too.
    report = logitguard.inspect(model, SPARSE, x[:64], y[:64], variables=params)
    assert report.subject == "flax.linen LinenMLP" and report.findings == []


def test_nnx_sigmoid_head_with_sigmoid_loss_is_lg002_and_logits_are_clean(digits):
    x, y = digits
    binary = (y[:64] % 2).astype("float32").reshape(-1, 1)
    sigmoid = NnxMLP(64, 1, "sigmoid", nnx.Rngs(0))
    assert lg_jax.inspect(sigmoid, BINARY, x[:64], binary).codes == {"LG002"}
    logits = NnxMLP(64, 1, None, nnx.Rngs(0))
    assert lg_jax.inspect(logits, BINARY, x[:64], binary).findings == []


def test_inspect_without_a_batch_or_with_an_unknown_loss_says_why(digits):
    x, y = digits
    model = NnxMLP(64, 10, "softmax", nnx.Rngs(0))
    report = lg_jax.inspect(model, SPARSE)
    assert report.findings == [] and any("no batch x" in note for note in report.notes)

    def my_loss(logits, labels):
        return SPARSE(logits, labels).mean()

    report = lg_jax.inspect(model, my_loss, x[:64], y[:64])
    assert report.findings == [] and any("my_loss is not an optax loss" in n for n in report.notes)
    with pytest.raises(TypeError, match="variables"):
        lg_jax.inspect(LinenMLP(), SPARSE, x[:64], y[:64])


# --- guard ---------------------------------------------------------------------------------


def test_guard_stops_a_jitted_linen_step_before_it_runs(digits):
    x, y = digits
    guarded = lg_jax.guard(linen_step, loss_fn=SPARSE)
    state = linen_state(x, activation="softmax")
    with pytest.raises(LogitMismatchError, match="LG002") as raised:
        guarded(state, x[:64], y[:64])
    assert raised.value.findings[0].code == "LG002"
    assert guarded.checked and guarded.report is not None


def test_guard_checks_the_first_step_only_and_training_runs_as_without_it(digits):
    x, y = digits
    step, plain_step = jax.jit(linen_update), jax.jit(linen_update)
    guarded = lg_jax.guard(loss_fn=SPARSE)(step)
    state = plain = linen_state(x)
    losses, plain_losses = [], []
    for start in range(0, 320, 64):
        batch = (x[start : start + 64], y[start : start + 64])
        state, loss = guarded(state, *batch)
        plain, plain_loss = plain_step(plain, *batch)
        losses.append(float(loss))
        plain_losses.append(float(plain_loss))
    assert guarded.report is not None and guarded.report.findings == []
    assert losses == plain_losses and losses[-1] < losses[0]
    assert guarded.__wrapped__ is step and guarded.__name__ == "linen_update"
    assert step._cache_size() == plain_step._cache_size()  # the guard made it trace no more


def test_guard_on_an_nnx_step_leaves_the_model_and_its_random_streams_alone(digits):
    x, y = digits
    binary = (y % 2).astype("float32").reshape(-1, 1)
    step = nnx.jit(nnx_step)
    runs = {}
    warn = lg_jax.guard(loss_fn=BINARY, on_mismatch="warn")
    for name, wrap in (("guarded", warn), ("plain", None)):
        model = NnxMLP(64, 1, None, nnx.Rngs(0))
        optimizer = nnx.Optimizer(model, optax.adam(1e-2), wrt=nnx.Param)
        run = wrap(step) if wrap else step
        with warnings.catch_warnings():
            warnings.simplefilter("error", LogitMismatchWarning)
            runs[name] = [
                float(run(model, optimizer, x[i : i + 64], binary[i : i + 64]))
                for i in range(0, 256, 64)
            ]
    assert runs["guarded"] == runs["plain"]


def test_guard_reads_dict_batches_and_warns_in_warn_mode(digits):
    x, y = digits

    @lg_jax.guard(loss_fn=SPARSE, on_mismatch="warn")
    @jax.jit
    def step(state, batch):
        return linen_step(state, batch["image"], batch["label"])

    state = linen_state(x, activation="softmax")
    with pytest.warns(LogitMismatchWarning, match="LG002"):
        state, _ = step(state, {"image": x[:64], "label": y[:64]})
    state, _ = step(state, {"image": x[64:128], "label": y[64:128]})  # no second warning


def test_guard_that_cannot_check_warns_and_lets_training_go_on(digits):
    _, y = digits
    guarded = lg_jax.guard(lambda x, y: SPARSE(x, y).mean(), loss_fn=SPARSE)
    with pytest.warns(LogitMismatchWarning, match="could not check"):
        loss = guarded(np.zeros((4, 10), "float32"), y[:4])
    assert float(loss) == pytest.approx(np.log(10), rel=1e-5)
