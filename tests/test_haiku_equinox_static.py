"""Haiku and Equinox models, read by the JAX front end: the functions `hk.transform` makes
models of, Haiku and Equinox modules, their MLPs, and models run through `jax.vmap`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.static.checker import check_paths, check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks import jax as jax_frontend

HAIKU = """
import haiku as hk
import jax
import jax.numpy as jnp
import optax
"""
EQUINOX = """
import equinox as eqx
import jax
import jax.numpy as jnp
import optax
"""


def codes(source: str) -> list[str]:
    return sorted(finding.code for finding in check_source(textwrap.dedent(source), "train.py"))


def setups(source: str) -> list[TrainingSetup]:
    module = ParsedModule.parse(textwrap.dedent(source), "train.py")
    return jax_frontend.extract(module)


def haiku_forward(body: str) -> str:
    """A program whose `forward` (made a model by `hk.transform`) ends in `body`, and whose
    loss hands the model's outputs to optax's softmax cross-entropy."""
    return HAIKU + textwrap.dedent(
        """
        def forward(x):
        {body}

        net = hk.without_apply_rng(hk.transform(forward))

        def loss(params, x, y):
            logits = net.apply(params, x)
            return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
        """
    ).format(body=textwrap.indent(textwrap.dedent(body).strip(), "    "))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("return jax.nn.softmax(hk.Linear(10)(x))", ["LG002"]),
        ("return hk.Linear(10)(x)", []),
        (
            """
            mlp = hk.Sequential([hk.Flatten(), hk.Linear(300), jax.nn.relu, hk.Linear(10)])
            return jax.nn.softmax(mlp(x))
            """,
            ["LG002"],
        ),
        (
            "return hk.Sequential([hk.Linear(300), jax.nn.relu, hk.Linear(10), jax.nn.softmax])(x)",
            ["LG002"],
        ),
        ("return hk.Sequential([hk.Linear(300), jax.nn.relu, hk.Linear(10)])(x)", []),
        ("return jax.nn.softmax(hk.nets.MLP([300, 100, 10])(x))", ["LG002"]),
        ("return hk.nets.MLP([300, 100, 10])(x)", []),
        # A relu after the last layer: the outputs are neither logits nor probabilities.
        ("return hk.nets.MLP([300, 10], activate_final=True)(x)", []),
        # A one-unit softmax is always 1.0.
        ("return jax.nn.softmax(hk.Linear(1)(x))", ["LG002", "LG004"]),
    ],
)
def test_a_function_haiku_transforms_is_the_model(body: str, expected: list[str]) -> None:
    assert codes(haiku_forward(body)) == expected


def test_the_head_of_a_transformed_function_is_named_after_it() -> None:
    (setup,) = [
        s for s in setups(haiku_forward("return jax.nn.softmax(hk.Linear(10)(x))")) if s.loss
    ]
    assert setup.head is not None and setup.head.emits is Emits.SOFTMAX
    assert setup.head.units == 10
    assert setup.head.display.startswith("forward (hk.Linear(10)")


def test_an_mlp_has_the_units_of_its_last_size() -> None:
    source = HAIKU + textwrap.dedent(
        """
        net = hk.without_apply_rng(hk.transform(lambda x: hk.nets.MLP([300, 100, 1])(x)))

        def loss(params, x, y):
            return optax.sigmoid_binary_cross_entropy(net.apply(params, x), y).mean()

        def predict(params, x):
            return jnp.argmax(net.apply(params, x), axis=-1)
        """
    )
    assert codes(source) == ["LG023"]
    # A categorical loss over that one unit is constant.
    assert codes(haiku_forward("return hk.nets.MLP([300, 100, 1])(x)")) == ["LG019"]


def test_a_haiku_module_made_in_the_transformed_function() -> None:
    source = HAIKU + textwrap.dedent(
        """
        class Classifier(hk.Module):
            def __init__(self, classes, name=None):
                super().__init__(name=name)
                self.classes = classes

            def __call__(self, x):
                x = jax.nn.relu(hk.Linear(128)(hk.Flatten()(x)))
                return jax.nn.softmax(hk.Linear(self.classes)(x))

        def forward(x):
            return Classifier(10)(x)

        net = hk.transform(forward)

        def loss(params, rng, x, y):
            return optax.softmax_cross_entropy_with_integer_labels(net.apply(params, rng, x), y)
        """
    )
    assert codes(source) == ["LG002"]


@pytest.mark.parametrize(("ending", "expected"), [("jax.nn.sigmoid(out)", ["LG002"]), ("out", [])])
def test_transform_with_state_gives_the_output_with_its_state(
    ending: str, expected: list[str]
) -> None:
    source = HAIKU + textwrap.dedent(
        f"""
        def forward(x, is_training):
            out = hk.nets.MLP([64, 1])(x)
            return {ending}

        model = hk.transform_with_state(forward)

        def loss(params, state, rng, x, y):
            out, state = model.apply(params, state, rng, x, is_training=True)
            return optax.sigmoid_binary_cross_entropy(out, y).mean()
        """
    )
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        ("hk.transform(lambda x: jax.nn.softmax(hk.Linear(5)(x)))", ["LG002"]),
        ("hk.transform(lambda x: hk.Linear(5)(x))", []),
    ],
)
def test_a_lambda_haiku_transforms(made: str, expected: list[str]) -> None:
    source = HAIKU + textwrap.dedent(
        f"""
        net = hk.without_apply_rng({made})

        def loss(params, x, y):
            return optax.softmax_cross_entropy_with_integer_labels(net.apply(params, x), y)
        """
    )
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("read_out", "expected"),
    [("jnp.log(jax.nn.softmax(logits))", ["LG011"]), ("jax.nn.log_softmax(logits)", [])],
)
def test_a_cross_entropy_written_by_hand_on_a_transformed_function(
    read_out: str, expected: list[str]
) -> None:
    source = HAIKU + textwrap.dedent(
        f"""
        def forward(x):
            return hk.Linear(10)(x)

        net = hk.without_apply_rng(hk.transform(forward))

        def loss(params, x, y):
            logits = net.apply(params, x)
            return -jnp.mean(jnp.sum(jax.nn.one_hot(y, 10) * {read_out}, axis=-1))
        """
    )
    assert codes(source) == expected


def test_a_policy_sampled_from_its_logits_is_right() -> None:
    source = HAIKU + textwrap.dedent(
        """
        import distrax

        def policy(obs):
            torso = hk.nets.MLP([64, 64])
            return hk.Linear(4)(torso(obs)), hk.Linear(1)(torso(obs))

        net = hk.without_apply_rng(hk.transform(policy))

        def act(params, key, obs):
            logits, _ = net.apply(params, obs)
            return jax.random.categorical(key, logits)

        def loss(params, obs, actions, advantages):
            logits, values = net.apply(params, obs)
            log_probs = distrax.Categorical(logits=logits).log_prob(actions)
            return -jnp.mean(log_probs * advantages)
        """
    )
    assert codes(source) == []


def equinox_program(model: str, ending: str, loss: str) -> str:
    """An Equinox module `Net` whose `__call__` returns `ending`, run over a batch by
    `jax.vmap` in a loss that `eqx.filter_value_and_grad` differentiates."""
    return EQUINOX + textwrap.dedent(
        """
        class Net(eqx.Module):
        {model}

            def __call__(self, x):
                return {ending}

        def loss(model, x, y):
            outputs = jax.vmap(model)(x)
            return {loss}

        model = Net(jax.random.PRNGKey(0))
        value, grads = eqx.filter_value_and_grad(loss)(model, x, y)
        """
    ).format(
        model=textwrap.indent(textwrap.dedent(model).strip(), "    "), ending=ending, loss=loss
    )


FIELDS = """
hidden: eqx.nn.Linear
out: eqx.nn.Linear

def __init__(self, key):
    k1, k2 = jax.random.split(key)
    self.hidden = eqx.nn.Linear(32, 64, key=k1)
    self.out = eqx.nn.Linear(64, UNITS, key=k2)
"""
LAYER_LIST = """
layers: list

def __init__(self, key):
    k1, k2 = jax.random.split(key)
    self.layers = [eqx.nn.Linear(8, 32, key=k1), jax.nn.relu, eqx.nn.Linear(32, 10, key=k2), LAST]
"""
SOFTMAX_LOSS = "optax.softmax_cross_entropy_with_integer_labels(outputs, y).mean()"
SIGMOID_LOSS = "optax.sigmoid_binary_cross_entropy(outputs, y).mean()"
TAKEN_LOG_PROBABILITY = "-jnp.mean(jnp.take_along_axis(outputs, y[:, None], axis=1))"
LOOP = "self.apply_layers(x)"
APPLY_LAYERS = """

def apply_layers(self, x):
    for layer in self.layers:
        x = layer(x)
    return x
"""


@pytest.mark.parametrize(
    ("model", "ending", "loss", "expected"),
    [
        (
            FIELDS.replace("UNITS", "1"),
            "jax.nn.sigmoid(self.out(jax.nn.relu(self.hidden(x))))",
            SIGMOID_LOSS,
            ["LG002"],
        ),
        (FIELDS.replace("UNITS", "1"), "self.out(jax.nn.relu(self.hidden(x)))", SIGMOID_LOSS, []),
        (
            FIELDS.replace("UNITS", "10"),
            "jax.nn.softmax(self.out(self.hidden(x)))",
            SOFTMAX_LOSS,
            ["LG002"],
        ),
        # Inside the model there is one sample: axis 0 holds the classes.
        (
            FIELDS.replace("UNITS", "10"),
            "jax.nn.log_softmax(self.out(self.hidden(x)), axis=0)",
            TAKEN_LOG_PROBABILITY,
            [],
        ),
        (
            LAYER_LIST.replace("LAST", "jax.nn.softmax") + APPLY_LAYERS,
            LOOP,
            SOFTMAX_LOSS,
            ["LG002"],
        ),
        (
            LAYER_LIST.replace("LAST", "jax.nn.log_softmax") + APPLY_LAYERS,
            LOOP,
            TAKEN_LOG_PROBABILITY,
            [],
        ),
    ],
)
def test_an_equinox_module_run_over_a_batch(
    model: str, ending: str, loss: str, expected: list[str]
) -> None:
    assert codes(equinox_program(model, ending, loss)) == expected


@pytest.mark.parametrize(
    ("made", "units", "emits"),
    [
        ("eqx.nn.MLP(in_size=2, out_size=3, width_size=16, depth=2, key=key)", 3, Emits.LOGITS),
        ("eqx.nn.MLP(2, 1, 16, 2, key=key)", 1, Emits.LOGITS),
        # A known activation after the last layer: the MLP emits what it makes.
        ("eqx.nn.MLP(2, 3, 16, 2, final_activation=jax.nn.sigmoid, key=key)", 3, Emits.SIGMOID),
        # Any other: what the MLP gives is not known.
        ("eqx.nn.MLP(2, 3, 16, 2, final_activation=jax.nn.relu, key=key)", None, None),
        ("eqx.nn.MLP(2, 3, 16, 2, final_activation=lambda z: z, key=key)", None, None),
    ],
)
def test_an_equinox_mlp(made: str, units: int | None, emits: Emits | None) -> None:
    source = EQUINOX + textwrap.dedent(
        f"""
        key = jax.random.PRNGKey(0)
        model = {made}

        @eqx.filter_jit
        def loss(model, x, y):
            return optax.sigmoid_binary_cross_entropy(jax.vmap(model)(x), y).mean()

        def predict(model, x):
            return jnp.argmax(jax.vmap(model)(x), axis=-1)

        grads = eqx.filter_grad(loss)(model, x, y)
        predicted = predict(model, x)
        """
    )
    heads = [s.head for s in setups(source) if s.loss and s.head]
    if emits is None:
        assert heads == []
    else:
        assert [(head.emits, head.units) for head in heads] == [(emits, units)]
    expected = {1: ["LG023"]}.get(units or 0, ["LG002"] if emits is Emits.SIGMOID else [])
    assert codes(source) == expected  # a sigmoid before a loss that applies its own: LG002


def test_a_haiku_model_in_its_own_module(tmp_path: Path) -> None:
    (tmp_path / "net.py").write_text(
        "import haiku as hk\nimport jax\n\n\n"
        "def forward(x):\n"
        "    return hk.Sequential([hk.Linear(64), jax.nn.relu, hk.Linear(10), jax.nn.softmax])(x)\n"
    )
    (tmp_path / "train.py").write_text(
        "import haiku as hk\nimport optax\nfrom net import forward\n\n"
        "model = hk.without_apply_rng(hk.transform(forward))\n\n\n"
        "def loss(params, x, y):\n"
        "    return optax.softmax_cross_entropy_with_integer_labels(model.apply(params, x), y)\n"
    )
    (finding,) = check_paths([str(tmp_path)])
    assert finding.code == "LG002" and Path(finding.location.path).name == "train.py"
    assert [Path(related.path).name for related in finding.related] == ["net.py"]
