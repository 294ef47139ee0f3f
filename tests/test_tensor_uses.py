"""One tensor used two ways that contradict each other: given to a loss as logits and also
rounded, cut at 0.5 or sampled as probabilities (LG009), or given to a loss as probabilities and
also put through a sigmoid again (LG021). Found whatever made the tensor (a model from another
package, a TF1 graph), and only when both uses surely read the same value.
"""

from __future__ import annotations

import textwrap

import pytest

from logitguard.static.checker import check_source

TORCH = (
    "import numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
    "from zoo import build_model\nmodel = build_model()\n"
)
TF = "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"

MISREAD = {
    "an imported model's output, thresholded after a logits loss": (
        TORCH + "for x, y in loader:\n"
        "    out = model(x)\n"
        "    loss = F.binary_cross_entropy_with_logits(out, y)\n"
        "    correct = ((out > 0.5).float() == y).sum()\n",
        "out > 0.5",
    ),
    "a loss module given the tensor, which is then rounded": (
        TORCH + "criterion = nn.BCEWithLogitsLoss()\n"
        "logits = model(x)\n"
        "loss = criterion(logits, y)\n"
        "accuracy = (torch.round(logits) == y).float().mean()\n",
        "torch.round(logits)",
    ),
    "sampled from after cross-entropy": (
        TORCH + "scores = model(h)\n"
        "loss = F.cross_entropy(scores, next_token)\n"
        "sampled = torch.multinomial(scores, num_samples=1)\n",
        "torch.multinomial(scores, num_samples=1)",
    ),
    "given positionally to torch's Categorical, which takes probabilities": (
        TORCH + "scores = model(state)\n"
        "loss = nn.CrossEntropyLoss()(scores, action)\n"
        "dist = torch.distributions.Categorical(scores)\n",
        "torch.distributions.Categorical(scores)",
    ),
    "a column of the logits": (
        TORCH + "out = model(x)\nloss = nn.BCEWithLogitsLoss()(out, y)\nfirst = out[:, 0] > 0.5\n",
        "out[:, 0] > 0.5",
    ),
    "through value-keeping operations on both sides": (
        TORCH + "out = model(x)\n"
        "loss = nn.BCEWithLogitsLoss()(out.squeeze(1), y.float())\n"
        "flat = out.squeeze(1).detach().cpu()\n"
        "predicted = (flat.numpy() > 0.5).astype(int)\n",
        "flat.numpy() > 0.5",
    ),
    "an attribute of the output": (
        TORCH + "outputs = model(**batch)\n"
        "loss = F.cross_entropy(outputs.logits, labels)\n"
        "choice = torch.multinomial(outputs.logits, 1)\n",
        "torch.multinomial(outputs.logits, 1)",
    ),
    "a Flax apply_fn's output, an optax loss on logits, cut at 0.5": (
        "import jax.numpy as jnp\nimport optax\n"
        "def loss_fn(params, x, y):\n"
        "    logits = state.apply_fn({'params': params}, x)\n"
        "    loss = optax.sigmoid_binary_cross_entropy(logits, y).mean()\n"
        "    accuracy = jnp.mean((logits > 0.5) == y)\n"
        "    return loss, accuracy\n",
        "logits > 0.5",
    ),
    "a TF1 graph: a squeezed affine output, a sigmoid loss on logits, rounded": (
        TF + "w = tf.Variable(tf.random.normal([64, 1]))\n"
        "b = tf.Variable(tf.zeros([1]))\n"
        "y_hat = tf.nn.xw_plus_b(hidden, w, b)\n"
        "y_hat = tf.squeeze(y_hat)\n"
        "loss = tf.reduce_mean(\n"
        "    tf.nn.sigmoid_cross_entropy_with_logits(logits=y_hat, labels=target))\n"
        "accuracy = 1.0 - tf.reduce_mean(tf.cast(tf.equal(tf.round(y_hat), target), tf.float32))\n",
        "tf.round(y_hat)",
    ),
    "a Keras loss told from_logits=True, in a tape loop over a hub model": (
        TF + "import tensorflow_hub as hub\n"
        "model = hub.KerasLayer(handle)\n"
        "loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "with tf.GradientTape() as tape:\n"
        "    logits = model(x, training=True)\n"
        "    loss = loss_fn(y, logits)\n"
        "hits = tf.cast(logits > 0.5, tf.float32)\n",
        "logits > 0.5",
    ),
    "TF: a helper cuts its parameter at 0.5, handed what a logits loss takes": (
        TF + "def predictions(scores):\n"
        "    return tf.cast(tf.greater(tf.squeeze(scores, -1), 0.5), tf.int64)\n"
        "def step(x, y):\n"
        "    logits = head(x)\n"
        "    loss = tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=y)\n"
        "    return loss, predictions(logits)\n",
        "tf.greater(tf.squeeze(scores, -1), 0.5)",
    ),
    "TF: a loss helper squeezes its parameter, a metric helper cuts it at 0.5": (
        TF + "def classification_loss(scores, y):\n"
        "    return tf.nn.sigmoid_cross_entropy_with_logits("
        "logits=tf.squeeze(scores, -1), labels=y)\n"
        "def predictions(scores):\n"
        "    return tf.cast(tf.greater(tf.squeeze(scores, -1), 0.5), tf.int64)\n"
        "def step(x, y):\n"
        "    logits = head(x)\n"
        "    return classification_loss(logits, y), predictions(logits)\n",
        "tf.greater(tf.squeeze(scores, -1), 0.5)",
    ),
    "a discriminator's loss method takes the scores as logits, a helper samples them": (
        TORCH + "class Critic(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.net = nn.Linear(4, 1)\n"
        "    def scores(self, x):\n"
        "        return self.net(x).squeeze(1)\n"
        "    def critic_loss(self, logits, y):\n"
        "        return F.binary_cross_entropy_with_logits(logits, y)\n"
        "def entropy(scores):\n"
        "    return torch.distributions.Bernoulli(scores).entropy()\n"
        "critic = Critic()\n"
        "def step(x, y):\n"
        "    scores = critic.scores(x)\n"
        "    loss = critic.critic_loss(scores, y)\n"
        "    return loss, entropy(scores)\n",
        "torch.distributions.Bernoulli(scores)",
    ),
    "each score of a dict given to a logits loss, and cut at 0.5, in two comprehensions": (
        TORCH + "scores = model(x)\n"
        "losses = {k: F.binary_cross_entropy_with_logits(s, y) for k, s in scores.items()}\n"
        "hits = {k: (s > 0.5).float().mean() for k, s in scores.items()}\n",
        "s > 0.5",
    ),
    "a TF1 critic's scores by scale, through .values() and .items()": (
        TF + "scores = critic(images)\n"
        "losses = [tf.nn.sigmoid_cross_entropy_with_logits(logits=s, labels=y)"
        " for s in scores.values()]\n"
        "hits = {k: tf.cast(s > 0.5, tf.float32) for k, s in scores.items()}\n",
        "s > 0.5",
    ),
}

CONSISTENT = {
    "TF: helpers that name their parameters alike, never handed one tensor": TF
    + "def classification_loss(logits, y):\n"
    "    return tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=y)\n"
    "def predictions(logits):\n"
    "    return tf.greater(logits, 0.5)\n",
    "a loss method given the scores as its target: no finding": TORCH + "class Critic(nn.Module):\n"
    "    def critic_loss(self, logits, y):\n"
    "        return F.binary_cross_entropy_with_logits(logits, y)\n"
    "critic = Critic()\n"
    "def step(x, probs):\n"
    "    loss = critic.critic_loss(model(x), probs)\n"
    "    return loss, torch.distributions.Bernoulli(probs)\n",
    "comprehensions over the values of two dicts": TORCH + "scores, other = model(x)\n"
    "losses = [F.binary_cross_entropy_with_logits(s, y) for s in scores.values()]\n"
    "hits = [(s > 0.5).float() for s in other.values()]\n",
    "a comprehension over a dict's keys, another over its values": TORCH + "scores = model(x)\n"
    "losses = [F.binary_cross_entropy_with_logits(s, y) for s in scores.values()]\n"
    "hits = [k > 0.5 for k, s in scores.items()]\n",
    "a name bound again by an inner comprehension": TORCH + "scores = model(x)\n"
    "losses = [F.binary_cross_entropy_with_logits(s, y) for s in scores.values()]\n"
    "hits = [[s > 0.5 for s in s] for k, s in scores.items()]\n",
    "the threshold reads the sigmoid of the logits": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(out, y)\n"
    "predicted = torch.sigmoid(out) > 0.5\n",
    "logits cut at 0": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(out, y)\n"
    "predicted = out > 0\n",
    "the name rebound to probabilities in between": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(out, y)\n"
    "out = torch.sigmoid(out)\n"
    "predicted = out > 0.5\n",
    "rebound in one arm only: which value is cut cannot be told": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(out, y)\n"
    "if evaluating:\n"
    "    out = torch.sigmoid(out)\n"
    "predicted = out > 0.5\n",
    "activated in place": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(out, y)\n"
    "out.sigmoid_()\n"
    "predicted = out > 0.5\n",
    "a comprehension's own variable of the same name": TORCH + "p = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(p, y)\n"
    "flags = [p > 0.5 for p in probabilities]\n",
    "a loss on probabilities": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy(out, y)\n"
    "predicted = out > 0.5\n",
    "different elements of a tuple output": TORCH + "out = model(x)\n"
    "loss = F.cross_entropy(out[0], y)\n"
    "predicted = out[1] > 0.5\n",
    "elements of a list picked by variables": TORCH + "outputs = model(x)\n"
    "loss = F.cross_entropy(outputs[i], y)\n"
    "predicted = outputs[j] > 0.5\n",
    "unpacked into logits and probabilities": TORCH + "logits, probs = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(logits, y)\n"
    "predicted = torch.round(probs)\n",
    "rounded to decimals for display": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(out, y)\n"
    "print(torch.round(out, decimals=3))\n"
    "print(np.round(out.detach().numpy(), 2))\n",
    "arithmetic before the threshold": TORCH + "out = model(x)\n"
    "loss = F.binary_cross_entropy_with_logits(out, y)\n"
    "predicted = (out * 0.1 + 0.5) > 0.5\n",
    "a TF1 graph that applies the sigmoid first": TF + "y_hat = tf.nn.xw_plus_b(hidden, w, b)\n"
    "loss = tf.nn.sigmoid_cross_entropy_with_logits(logits=y_hat, labels=target)\n"
    "accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.round(tf.sigmoid(y_hat)), target), 'float'))\n",
}


ACTIVATED_AGAIN = {
    "a model handed to a training function: BCELoss, then a sigmoid before the threshold": (
        TORCH + "def train(net, loader):\n"
        "    criterion = nn.BCELoss()\n"
        "    for x, y in loader:\n"
        "        output = net(x)\n"
        "        loss = criterion(output, y)\n"
        "        predicted = torch.sigmoid(output) >= 0.5\n",
        "torch.sigmoid(output)",
    ),
    "a Keras loss on probabilities, then tf.sigmoid of the same tensor": (
        TF + "import tensorflow_hub as hub\n"
        "model = hub.KerasLayer(handle)\n"
        "loss_fn = keras.losses.BinaryCrossentropy()\n"
        "scores = model(x)\n"
        "loss = loss_fn(y, scores)\n"
        "confidence = tf.sigmoid(scores)\n",
        "tf.sigmoid(scores)",
    ),
}

ACTIVATED_ONCE = {
    "a logits loss, then the sigmoid": TORCH + "out = model(x)\n"
    "loss = nn.BCEWithLogitsLoss()(out, y)\n"
    "predicted = torch.sigmoid(out) >= 0.5\n",
    "the loss and the threshold both read the sigmoid": TORCH + "out = model(x)\n"
    "loss = nn.BCELoss()(torch.sigmoid(out), y)\n"
    "predicted = torch.sigmoid(out) >= 0.5\n",
    "log-probabilities for NLLLoss, their softmax for display": TORCH + "out = model(x)\n"
    "loss = F.nll_loss(out, y)\n"
    "shown = F.softmax(out, dim=-1)\n",
    "a categorical loss on probabilities, a softmax over another axis": TF + "probs = model(x)\n"
    "loss = keras.losses.categorical_crossentropy(y, probs)\n"
    "over_batch = tf.nn.softmax(probs, axis=0)\n",
}


def findings(source: str) -> list:
    return check_source(textwrap.dedent(source), "train.py")


@pytest.mark.parametrize(("source", "misuse"), MISREAD.values(), ids=MISREAD.keys())
def test_a_tensor_taken_as_logits_and_read_as_probabilities(source: str, misuse: str) -> None:
    found = findings(source)
    assert [finding.code for finding in found] == ["LG009"]
    assert found[0].message.startswith(f"{misuse} (")
    assert "as logits" in found[0].message


@pytest.mark.parametrize("source", CONSISTENT.values(), ids=CONSISTENT.keys())
def test_silent_when_the_uses_agree_or_may_read_different_values(source: str) -> None:
    assert findings(source) == []


def test_a_misread_model_output_is_reported_once_with_its_model() -> None:
    source = (
        "import torch\nfrom torch import nn\n"
        "model = nn.Sequential(nn.Linear(30, 1))\n"
        "out = model(x)\n"
        "loss = nn.BCEWithLogitsLoss()(out, y)\n"
        "predicted = out > 0.5\n"
    )
    found = findings(source)
    assert [finding.code for finding in found] == ["LG009"]
    assert "is given to" not in found[0].message


# A model of the project whose output the analysis cannot read: a graph layer of another
# library, averaged over attention heads. `{ending}` ends its forward.
GRAPH_MODEL = (
    "import torch\nfrom torch import nn\nfrom dgl.nn.pytorch import GATConv\n"
    "class GAT(nn.Module):\n"
    "    def __init__(self, classes):\n"
    "        super().__init__()\n"
    "        self.conv = GATConv(16, classes, num_heads=4)\n"
    "    def forward(self, graph, features):\n"
    "        out = self.conv(graph, features).mean(1)\n"
    "{ending}"
    "        return out\n"
    "model = GAT(121)\n"
    "criterion = nn.BCEWithLogitsLoss()\n"
    "for graph, features, labels in loader:\n"
    "    criterion(model(graph, features), labels).backward()\n"
)


def test_a_models_output_trained_as_logits_and_cut_at_half_on_other_inputs() -> None:
    """The same model, called on test inputs, whatever its head is: the loss says logits."""
    source = GRAPH_MODEL.format(ending="") + (
        "output = model(test_graph, test_features)\n"
        "predicted = np.where(output.data.cpu().numpy() >= 0.5, 1, 0)\n"
    )
    [finding] = findings("import numpy as np\n" + source)
    assert finding.code == "LG009"
    assert "numpy() is what GAT gives; nn.BCEWithLogitsLoss() takes it as logits" in (
        finding.message
    )


@pytest.mark.parametrize(
    ("ending", "prediction"),
    [
        # Probabilities outside training: the threshold is right.
        ("        if not self.training:\n            out = torch.sigmoid(out)\n", ""),
        ("", "model(test_graph, test_features, probabilities=True) > 0.5"),
        ("", "model(test_graph, test_features, True) > 0.5"),
        ("", "GAT(121)(test_graph, test_features) > 0.5"),  # another model
    ],
    ids=["activated-in-eval", "keyword-flag", "constant-flag", "another-model"],
)
def test_silent_when_the_model_may_give_probabilities_there(ending: str, prediction: str) -> None:
    source = GRAPH_MODEL.format(ending=ending)
    source += f"predicted = {prediction or 'model(test_graph, test_features) > 0.5'}\n"
    assert findings(source) == []


@pytest.mark.parametrize(("source", "again"), ACTIVATED_AGAIN.values(), ids=ACTIVATED_AGAIN.keys())
def test_a_tensor_taken_as_probabilities_and_activated_again(source: str, again: str) -> None:
    found = findings(source)
    assert [finding.code for finding in found] == ["LG021"]
    assert found[0].message.startswith(f"{again} (")
    assert "as probabilities" in found[0].message


@pytest.mark.parametrize("source", ACTIVATED_ONCE.values(), ids=ACTIVATED_ONCE.keys())
def test_silent_when_the_activation_is_applied_once(source: str) -> None:
    assert findings(source) == []


def test_a_keras_models_sigmoid_output_put_through_a_sigmoid_again() -> None:
    source = (
        TF + "model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "model.fit(x, y)\n"
        "probs = tf.sigmoid(model.predict(x_test))\n"
        "raw = keras.Sequential([keras.layers.Dense(1)])\n"
        "raw.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy(from_logits=True))\n"
        "fine = tf.sigmoid(raw.predict(x_test))\n"
    )
    [finding] = findings(source)
    assert finding.code == "LG021"
    assert finding.location.line == 7
