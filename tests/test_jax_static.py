"""The JAX / Flax / optax static front end: facts it reads, and where it stays silent."""

from __future__ import annotations

import textwrap

import pytest

from logitguard.core.facts import Emits, LabelFormat, LossFamily, TrainingSetup
from logitguard.static.checker import check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks import jax as jax_frontend


def setups(source: str) -> list[TrainingSetup]:
    return jax_frontend.extract(ParsedModule.parse(textwrap.dedent(source), "train.py"))


def codes(source: str) -> set[str]:
    return {finding.code for finding in check_source(textwrap.dedent(source), "train.py")}


def trained(source: str) -> TrainingSetup:
    with_loss = [setup for setup in setups(source) if setup.loss is not None]
    assert len({(s.loss, s.head) for s in with_loss}) == 1, with_loss
    return with_loss[0]


@pytest.mark.parametrize("imports", ["import flax.linen as nn", "from flax import linen as nn"])
@pytest.mark.parametrize(
    ("ending", "emits"),
    [
        ("nn.softmax(x)", Emits.SOFTMAX),
        ("jax.nn.softmax(x, axis=-1)", Emits.SOFTMAX),
        ("jax.nn.sigmoid(x)", Emits.SIGMOID),
        ("nn.log_softmax(x)", Emits.LOG_SOFTMAX),
        ("x", Emits.LOGITS),
    ],
)
def test_linen_compact_module_head(imports: str, ending: str, emits: Emits) -> None:
    source = f"""
    import jax
    {imports}

    class MLP(nn.Module):
        @nn.compact
        def __call__(self, x):
            x = nn.Dense(features=128)(x)
            x = nn.relu(x)
            x = nn.Dense(10)(x)
            return {ending}
    """
    (setup,) = setups(source)
    assert setup.head is not None and setup.head.emits is emits and setup.head.units == 10
    assert setup.head.display.startswith("MLP (nn.Dense(10)")


def test_linen_setup_attributes_and_sequential() -> None:
    found = setups(
        """
        import flax.linen as nn

        class Classifier(nn.Module):
            def setup(self):
                self.hidden = nn.Dense(64)
                self.head = nn.Sequential([nn.Dense(5), nn.softmax])

            def __call__(self, x):
                return self.head(nn.relu(self.hidden(x)))
        """
    )
    heads = {(s.head.emits, s.head.units) for s in found if s.head is not None}
    assert heads == {(Emits.SOFTMAX, 5)}


def test_apply_output_into_optax_with_state_apply_fn() -> None:
    source = """
    import jax
    import flax.linen as nn
    import optax
    from flax.training import train_state

    class CNN(nn.Module):
        @nn.compact
        def __call__(self, x):
            x = nn.Dense(features=10)(x)
            return nn.softmax(x)

    def create_state(rng):
        model = CNN()
        params = model.init(rng, jnp.ones([1, 64]))["params"]
        return train_state.TrainState.create(apply_fn=model.apply, params=params,
                                             tx=optax.sgd(0.1))

    @jax.jit
    def train_step(state, batch):
        def loss_fn(params):
            logits = state.apply_fn({"params": params}, batch["image"])
            loss = optax.softmax_cross_entropy_with_integer_labels(
                logits=logits, labels=batch["label"]
            ).mean()
            return loss, logits
        grads = jax.grad(loss_fn, has_aux=True)(state.params)
        return state.apply_gradients(grads=grads[0])
    """
    setup = trained(source)
    assert setup.head is not None and setup.head.emits is Emits.SOFTMAX
    assert setup.loss is not None and setup.loss.family is LossFamily.SPARSE_CATEGORICAL
    assert codes(source) == {"LG002"}


def test_nnx_module_through_value_and_grad() -> None:
    source = """
    import jax
    import optax
    from flax import nnx

    class MLP(nnx.Module):
        def __init__(self, din, dout, rngs):
            self.hidden = nnx.Linear(din, 32, rngs=rngs)
            self.out = nnx.Linear(32, dout, rngs=rngs)

        def __call__(self, x):
            return jax.nn.sigmoid(self.out(nnx.relu(self.hidden(x))))

    def loss_fn(model, x, y):
        return optax.sigmoid_binary_cross_entropy(model(x), y).mean()

    @nnx.jit
    def train_step(model, optimizer, x, y):
        loss, grads = nnx.value_and_grad(loss_fn)(model, x, y)
        optimizer.update(grads)
        return loss

    model = MLP(30, 1, rngs=nnx.Rngs(0))
    train_step(model, optimizer, x, y)
    """
    setup = trained(source)
    assert setup.head is not None and setup.head.emits is Emits.SIGMOID
    assert codes(source) == {"LG002"}


def test_plain_function_returning_softmax_and_one_hot_labels() -> None:
    source = """
    import jax
    import jax.numpy as jnp
    import optax

    def predict(params, x):
        return jax.nn.softmax(x @ params["w"] + params["b"])

    def loss(params, x, y):
        labels = jax.nn.one_hot(y, 10)
        return optax.softmax_cross_entropy(predict(params, x), labels).mean()
    """
    setup = trained(source)
    assert setup.head is not None and setup.head.emits is Emits.SOFTMAX
    assert setup.labels is not None and setup.labels.format is LabelFormat.ONE_HOT
    assert setup.labels.num_classes == 10
    assert codes(source) == {"LG002"}


def test_one_hot_labels_with_the_integer_label_loss() -> None:
    source = """
    import jax
    import optax

    def loss(logits, y):
        return optax.softmax_cross_entropy_with_integer_labels(logits, jax.nn.one_hot(y, 3))
    """
    assert codes(source) == {"LG007"}


def test_log_of_softmax() -> None:
    source = """
    import jax
    import jax.numpy as jnp

    def nll(logits, y):
        return -jnp.mean(jnp.sum(y * jnp.log(jax.nn.softmax(logits)), axis=-1))
    """
    assert codes(source) == {"LG011"}


@pytest.mark.parametrize(
    ("drawn", "expected"),
    [
        ("jax.random.categorical(key, jnp.log(p))", set()),
        ("jax.random.categorical(key, jnp.log(p)), -jnp.sum(y * jnp.log(p))", {"LG011"}),
    ],
)
def test_log_of_softmax_only_drawn_from(drawn: str, expected: set[str]) -> None:
    """A sample drawn from log(softmax) carries no gradient: a -inf there is a zero chance.
    The same log also given to a loss is trained on."""
    source = f"""
    import jax
    import jax.numpy as jnp

    def draw(key, scores, y):
        p = jax.nn.softmax(scores, axis=-1)
        return {drawn}
    """
    assert codes(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # A logits model with optax: right.
        "import flax.linen as nn\nimport optax\n"
        "class M(nn.Module):\n    @nn.compact\n    def __call__(self, x):\n"
        "        return nn.Dense(10)(x)\n"
        "model = M()\nloss = optax.softmax_cross_entropy(model.apply(p, x), y)\n",
        # Two train states with different models: apply_fn could be either.
        "import flax.linen as nn\nimport optax\nfrom flax.training import train_state\n"
        "class A(nn.Module):\n    @nn.compact\n    def __call__(self, x):\n"
        "        return nn.softmax(nn.Dense(10)(x))\n"
        "class B(nn.Module):\n    @nn.compact\n    def __call__(self, x):\n"
        "        return nn.Dense(10)(x)\n"
        "s1 = train_state.TrainState.create(apply_fn=A().apply, params=p, tx=t)\n"
        "s2 = train_state.TrainState.create(apply_fn=B().apply, params=p, tx=t)\n"
        "def step(state):\n"
        "    return optax.softmax_cross_entropy(state.apply_fn(p, x), y)\n",
        # A model loaded from elsewhere.
        "import optax\nfrom my_models import build\nmodel = build()\n"
        "loss = optax.softmax_cross_entropy(model.apply(p, x), y)\n",
        # The activation depends on a flag.
        "import flax.linen as nn\nimport optax\n"
        "class M(nn.Module):\n    probs: bool = False\n    @nn.compact\n"
        "    def __call__(self, x):\n        x = nn.Dense(10)(x)\n"
        "        if self.probs:\n            x = nn.softmax(x)\n        return x\n"
        "loss = optax.softmax_cross_entropy(M().apply(p, x), y)\n",
    ],
)
def test_silent_where_it_cannot_know(source: str) -> None:
    assert codes(source) == set()
