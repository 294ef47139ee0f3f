"""How far values are followed inside one file: loops, objects, containers, building idioms.

Each case is a minimal program of one shape real code uses, with the code it must get (or an
empty set where the analysis cannot be sure and must stay silent).
"""

from __future__ import annotations

import textwrap

import pytest

from logitguard.static.checker import check_source


def codes(source: str) -> set[str]:
    return {finding.code for finding in check_source(textwrap.dedent(source), "train.py")}


TORCH = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
KERAS = "import tensorflow as tf\nfrom tensorflow import keras\n"
# A model with a one-unit output (`churn`, its layer's keywords given) and a softmax one.
TWO_OUTPUTS = (
    "inputs = keras.Input(shape=(20,))\n"
    "hidden = keras.layers.Dense(32, activation='relu')(inputs)\n"
    "churn = keras.layers.Dense(1, {churn})(hidden)\n"
    "segment = keras.layers.Dense(3, activation='softmax', name='segment')(hidden)\n"
    "model = keras.Model(inputs, {outputs})\n"
    "model.compile(optimizer='adam', loss={loss})\n"
    "model.fit(x, {{'churn': y_churn, 'segment': y_segment}}, epochs=3)\n"
)
_BY_NAME_LOSSES = "{'churn': 'binary_crossentropy', 'segment': 'sparse_categorical_crossentropy'}"
TIMM = TORCH + "import timm\n"
# A sequence model whose softmax head is applied at every step, compiled with `loss`.
TIME_DISTRIBUTED_SOFTMAX = (
    "from keras.layers import Input, Dense, TimeDistributed, LSTM\n"
    "from keras.models import Model\n"
    "inp = Input(shape=(20, 8))\n"
    "seq = LSTM(64, return_sequences=True)(inp)\n"
    "out = TimeDistributed(Dense(50, activation='softmax'))(seq)\n"
    "model = Model(inputs=inp, outputs=out)\n"
    "model.compile(optimizer='adam', loss='{loss}')\n"
)
# A TF1 graph class: the tensors on `self`, the loss built in another method from `given`.
TF1_GRAPH_CLASS = (
    "import tensorflow as tf\n"
    "class Graph:\n"
    "    def __init__(self, x, y):\n"
    "        self.scores = tf.compat.v1.layers.dense(x, 10)\n"
    "        self.probs = tf.nn.softmax(self.scores)\n"
    "        self.y = y\n"
    "        self.build_loss()\n"
    "    def build_loss(self):\n"
    "        self.loss = tf.compat.v1.losses.softmax_cross_entropy(self.y, self.{given})\n"
)
# An MLP built in a loop `{loop}` appending a linear layer each time round and a ReLU under
# `{last}`, trained with `{loss}`.
MLP_LOOP = (
    TORCH + "layers = []\n"
    "n_layers = len(dims) - 1\n"
    "{loop}\n"
    "    layers.append(nn.Linear(dims[i], dims[i + 1]))\n"
    "    {last}\n"
    "        layers.append(nn.ReLU())\n"
    "net = nn.Sequential(*layers)\n"
    "loss = nn.{loss}()(net(x), y)\n"
)
# An MLP whose `forward` applies its layers in a loop `{loop}`: `{step}`, then `{last}` `{act}`;
# trained with BCELoss.
FORWARD_LOOP = (
    TORCH + "class MLP(nn.Module):\n"
    "    def __init__(self, dims):\n"
    "        super().__init__()\n"
    "        pairs = zip(dims[:-1], dims[1:])\n"
    "        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in pairs])\n"
    "    def forward(self, x):\n"
    "        {loop}\n"
    "            {step}\n"
    "            {last}\n"
    "                {act}\n"
    "        return x\n"
    "net = MLP([16, 32, 1])\n"
    "loss = nn.BCELoss()(net(x), y)\n"
)
# An MLP whose layers, `{make}`, are filled by `{add}(...)` in a counting loop (a ReLU every
# time round but the last), perhaps wrapped (`{wrap}`); its forward applies them in turn
# (APPLIED_IN_TURN), or only the last or the first; trained with BCELoss.
MODULE_LIST_LOOP = (
    TORCH + "class MLP(nn.Module):\n"
    "    def __init__(self, dims):\n"
    "        super().__init__()\n"
    "        {make}\n"
    "        for i in range(len(dims) - 1):\n"
    "            {add}(nn.Linear(dims[i], dims[i + 1]))\n"
    "            if i < len(dims) - 2:\n"
    "                {add}(nn.ReLU())\n"
    "        {wrap}\n"
    "    def forward(self, x):\n"
    "{use}"
    "net = MLP([16, 32, 1])\n"
    "loss = nn.BCELoss()(net(x), y)\n"
)
APPLIED_IN_TURN = "        for layer in self.layers:\n            x = layer(x)\n        return x\n"
# A linear model's raw outputs `out`, changed by `{change}`, then trained with `{loss}`.
IN_PLACE = (
    TORCH + "net = nn.Linear(8, 4)\n"
    "for x, y in loader:\n"
    "    out = net(x)\n"
    "    {change}\n"
    "    loss = {loss}\n"
)
# An MLP built in a counting loop that appends a linear layer, then `{skip}` continues, then
# appends a ReLU; trained with `{loss}`.
CONTINUE_LOOP = (
    TORCH + "layers = []\n"
    "for i in range(len(dims) - 1):\n"
    "    last = i == len(dims) - 2\n"
    "    layers.append(nn.Linear(dims[i], dims[i + 1]))\n"
    "    {skip}\n"
    "        continue\n"
    "    layers.append(nn.ReLU())\n"
    "net = nn.Sequential(*layers)\n"
    "loss = nn.{loss}()(net(x), y)\n"
)
# TensorFlow written without layers: trained variables, `scores = {scores}`, then `{loss}`.
TF_AFFINE = (
    "import tensorflow as tf\n"
    "W = tf.Variable(tf.random.normal((8, 4)))\n"
    "b = tf.Variable(tf.zeros(4))\n"
    "weights = {{'out': tf.Variable(tf.random.normal((8, 4)))}}\n"
    "biases = {{'out': tf.Variable(tf.zeros(4))}}\n"
    "transition = tf.constant([[0.9, 0.1], [0.2, 0.8]])\n"
    "def step(x, y, probs):\n"
    "    scores = {scores}\n"
    "    return {loss}\n"
)
# A library-style classifier: its head's activation and its loss are constructor defaults kept
# on `self` and read by the method that builds and compiles the model; `{use}` follows.
KERAS_CLASSIFIER_DEFAULTS = (
    KERAS + "class Classifier:\n"
    "    def __init__(self, loss={loss!r}, activation={activation!r}):\n"
    "        self.loss = loss\n"
    "        self.activation = activation\n"
    "    def build_model(self, shape):\n"
    "        inputs = keras.layers.Input(shape)\n"
    "        outputs = keras.layers.Dense(5, activation=self.activation)(inputs)\n"
    "        model = keras.models.Model(inputs, outputs)\n"
    "        model.compile(loss=self.loss, optimizer='adam')\n"
    "        return model\n"
    "{use}"
)
# A Keras model whose head is the one it is given or, by default, a softmax Dense; made as
# `model = {made}` and compiled for logits.
KERAS_OPTIONAL_HEAD = (
    KERAS + "class Net(keras.Model):\n"
    "    def __init__(self, head=None):\n"
    "        super().__init__()\n"
    "        self.body = keras.layers.Dense(16, activation='relu')\n"
    "        self.head = head or keras.layers.Dense(10, activation='softmax')\n"
    "    def call(self, x):\n"
    "        return self.head(self.body(x))\n"
    "model = {made}\n"
    "model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
)
# Two model classes, one chosen by a command-line flag: `{choice}`, then trained with a
# loss on logits. `Soft` ends in a softmax; `Raw` emits logits.
TORCH_MODEL_BY_FLAG = (
    TORCH + "class Soft(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 10)\n"
    "    def forward(self, x):\n"
    "        return F.softmax(self.fc(x), dim=1)\n"
    "class Soft2(Soft):\n"
    "    pass\n"
    "class Raw(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 10)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "{choice}"
    "criterion = nn.CrossEntropyLoss()\n"
    "for x, y in loader:\n"
    "    loss = criterion(model(x), y)\n"
)
# An MLP whose layers are stored one by one in an OrderedDict, `{last}` the last, given whole
# to nn.Sequential, trained with F.cross_entropy.
TORCH_ORDERED_DICT_LAYERS = (
    TORCH + "from collections import OrderedDict\n"
    "class MLP(nn.Module):\n"
    "    def __init__(self, d, k):\n"
    "        super().__init__()\n"
    "        layers = OrderedDict()\n"
    "        layers['hidden'] = nn.Linear(d, 16)\n"
    "        layers['act'] = nn.ReLU()\n"
    "        {stored}\n"
    "        self.mlp = nn.Sequential(layers)\n"
    "    def forward(self, x):\n"
    "        return self.mlp(x)\n"
    "model = MLP(4, 3)\n"
    "loss = F.cross_entropy(model(x), y)\n"
)
# A training mixin that calls the model it is mixed into as `{call}`.
TORCH_TRAINING_MIXIN = (
    TORCH + "class FitMixin:\n"
    "    def fit(self, x, y):\n"
    "        return F.cross_entropy({call}, y)\n"
    "class Classifier(FitMixin, nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.linear = nn.Linear(4, 3)\n"
    "    def forward(self, x):\n"
    "        return torch.sigmoid(self.linear(x))\n"
    "Classifier().fit(x, y)\n"
)
# A recurrent Keras model whose `call` returns `{returned}`, unpacked in a training step that
# gives the loss `{given}`.
KERAS_TUPLE_RETURNING_MODEL = (
    KERAS + "class RNNModel(keras.Model):\n"
    "    def __init__(self, vocab_size):\n"
    "        super().__init__()\n"
    "        self.dense = keras.layers.Dense(vocab_size{activation})\n"
    "    def call(self, inputs, state):\n"
    "        output = self.dense(inputs)\n"
    "        return {returned}\n"
    "model = RNNModel(100)\n"
    "loss_fn = keras.losses.SparseCategoricalCrossentropy({from_logits})\n"
    "def step(x, y, state):\n"
    "    with tf.GradientTape() as tape:\n"
    "        outputs, state = model(x, state)\n"
    "        loss = loss_fn(y, {given})\n"
)
# A custom layer class that is itself the model: called on its own, its output into a loss.
KERAS_LAYER_AS_MODEL = (
    KERAS + "class RNNModel(keras.layers.Layer):\n"
    "    def __init__(self, vocab_size):\n"
    "        super().__init__()\n"
    "        self.dense = keras.layers.Dense(vocab_size{activation})\n"
    "    def call(self, inputs):\n"
    "        return self.dense(inputs)\n"
    "model = RNNModel(100)\n"
    "loss_fn = keras.losses.SparseCategoricalCrossentropy({from_logits})\n"
    "def step(x, y):\n"
    "    with tf.GradientTape() as tape:\n"
    "        loss = loss_fn(y, model(x))\n"
)
# Custom layers ending a Sequential: one applies a softmax, one scales, one pools with a softmax.
KERAS_CUSTOM_LAST_LAYER = (
    KERAS + "class Softmaxed(keras.layers.Layer):\n"
    "    def call(self, x):\n"
    "        return tf.nn.softmax(x)\n"
    "class Scaled(keras.layers.Layer):\n"
    "    def call(self, x):\n"
    "        return x * 2.0\n"
    "class Pooled(keras.layers.Layer):\n"
    "    def call(self, x, mask=None):\n"
    "        weights = tf.nn.softmax(tf.reduce_sum(x, -1))\n"
    "        return tf.reduce_sum(x * weights[..., None], axis=1)\n"
    "model = keras.Sequential([keras.layers.Dense(10{activation}), {last}()])\n"
    "model.compile(loss={loss}, optimizer='adam')\n"
)
# A sigmoid model whose outputs a loss of the project reshapes before a logits loss.
TORCH_LOSS_RESHAPING_ITS_INPUT = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(16, 1)\n"
    "    def forward(self, x):\n"
    "        return {output}\n"
    "class PairLoss(nn.Module):\n"
    "    def forward(self, scores, target):\n"
    "{reshape}"
    "        return F.binary_cross_entropy_with_logits(scores, target)\n"
    "model = Net()\n"
    "for x, y in loader:\n"
    "    loss = PairLoss()(model(x), y)\n"
)
# A base class whose `__init__` takes a loss or makes its default; a sigmoid subclass.
TORCH_BASE_CLASS_LOSS_DEFAULT = (
    TORCH + "class Scorer(nn.Module):\n"
    "    loss_default = nn.MarginRankingLoss\n"
    "    def __init__(self, loss=None):\n"
    "        super().__init__()\n"
    "        self.loss = {made}\n"
    "    def label_loss(self, preds, labels):\n"
    "        return self.loss(preds, labels)\n"
    "class LiteralScorer(Scorer):\n"
    "    loss_default = nn.BCEWithLogitsLoss\n"
    "    def __init__(self):\n"
    "        super().__init__({passed})\n"
    "        self.fc = nn.Linear(16, 1)\n"
    "    def forward(self, x):\n"
    "        return torch.sigmoid(self.fc(x))\n"
    "model = LiteralScorer()\n"
    "loss = model.label_loss(model(x), y)\n"
)
# A tape helper that takes the model and hands it back, run twice on the same name.
KERAS_MODEL_HANDED_BACK = (
    KERAS + "def train(model, x, y):\n"
    "    with tf.GradientTape() as tape:\n"
    "        out = model(x)\n"
    "        loss = keras.losses.sparse_categorical_crossentropy(y, out{from_logits})\n"
    "    return model, loss\n"
    "def experiment(x, y):\n"
    "    model = keras.Sequential([keras.layers.Dense(4)])\n"
    "    (model, first) = train(model, x, y)\n"
    "    (model, second) = train(model, x, y)\n"
)
# A loss class of the project derived from a library loss; a sigmoid model trained with it.
TORCH_DERIVED_LOSS = (
    TORCH + "class Loss(nn.Module):\n"
    "    pass\n"
    "class PointwiseLoss(Loss):\n"
    "    pass\n"
    "class {name}({bases}):\n"
    "{body}"
    "net = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
    "loss = {name}()(net(x), y)\n"
)
# A detector's on-probability, clipped into (0, 1), read out of a dict and given to a loss.
TORCH_CLIPPED_PROBABILITY = (
    TORCH + "from einops import rearrange\n"
    "class Det(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 1)\n"
    "    def encode(self, x):\n"
    "        return {{'on': {clipped}}}\n"
    "    def loss(self, x, y):\n"
    "        p = {read}\n"
    "        return {loss}\n"
)
# A builder function whose head's activation and loss are parameters with defaults.
KERAS_BUILDER_DEFAULTS = (
    KERAS + "def build(loss='categorical_crossentropy', activation='sigmoid'):\n"
    "    model = keras.Sequential([keras.layers.Dense(5, activation=activation)])\n"
    "    model.compile(loss=loss, optimizer='adam')\n"
    "    return model\n"
    "{use}"
)
# A Keras functional segmentation model whose last layer is `{head}`, compiled with `{loss}`.
CONV_HEAD = (
    KERAS + "from keras import layers\n"
    "def segmenter(n_classes):\n"
    "    inputs = layers.Input((64, 64, 3))\n"
    "    x = layers.Conv2D(16, 3, padding='same', activation='relu')(inputs)\n"
    "    x = layers.Conv2DTranspose(16, 3, strides=2, padding='same')(x)\n"
    "    return keras.Model(inputs, layers.{head}(x))\n"
    "model = segmenter(4)\n"
    "model.compile(optimizer='adam', loss={loss})\n"
)
# Two discriminators giving (real or fake, classes), one chosen by a flag; the second's classes
# are `{second}`; its classes given to a loss on log-probabilities.
TWO_DISCRIMINATORS = (
    TORCH + "class Small(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.real = nn.Linear(64, 1)\n"
    "        self.aux = nn.Linear(64, 10)\n"
    "        self.softmax = nn.Softmax(dim=1)\n"
    "    def forward(self, x):\n"
    "        return torch.sigmoid(self.real(x)).view(-1), self.softmax(self.aux(x))\n"
    "class Large(Small):\n"
    "    def forward(self, x):\n"
    "        h = torch.relu(x)\n"
    "        return torch.sigmoid(self.real(h)).view(-1), {second}\n"
    "if large:\n"
    "    net = Large()\n"
    "else:\n"
    "    net = Small()\n"
    "aux_criterion = nn.NLLLoss()\n"
    "for x, y in loader:\n"
    "    real_or_fake, classes = net(x)\n"
    "    loss = aux_criterion(classes, y)\n"
)
# A loss module whose criterion is its `__init__`'s default unless a call passes one; its
# forward applies a sigmoid first. Then `{made}`.
DEFAULT_CRITERION = (
    TORCH + "class PairLoss(nn.Module):\n"
    "    def __init__(self, loss=nn.BCEWithLogitsLoss(reduction='sum')):\n"
    "        super().__init__()\n"
    "        self.loss = loss\n"
    "    def forward(self, scores, target):\n"
    "        return self.loss(torch.sigmoid(scores), target)\n"
    "{made}"
)
# A skorch classifier of a logits module made without `criterion=`, then `{after}`.
SKORCH_LOGITS_NET = (
    TORCH + "from skorch import NeuralNetClassifier\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(4, 3)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "clf = NeuralNetClassifier(Net)\n"
    "{after}"
)
# A binary cross-entropy on logits wrapped in a class that ignores targets equal to
# `ignore_index` when `{mask}` multiplies them out; given a target of -100.
MASKED_BCE = (
    TORCH + "class MaskedBCE(nn.Module):\n"
    "    def __init__(self, ignore_index=-100):\n"
    "        super().__init__()\n"
    "        self.ignore_index = ignore_index\n"
    "    def forward(self, logits, target):\n"
    "        loss = F.binary_cross_entropy_with_logits(logits, target.float(), reduction='none')\n"
    "        {mask}return loss.mean()\n"
    "scores = nn.Linear(4, 1)(x).squeeze(1)\n"
    "loss = MaskedBCE()(scores, torch.tensor([0, 1, -100, 1]))\n"
)
# TF1: the KL between two softmaxes, written with the log of each, then `{use}`.
SOFTMAX_KL = (
    "import tensorflow as tf\n"
    "def adapt(q, q_noisy, threshold, grow, shrink):\n"
    "    p = tf.nn.softmax(q)\n"
    "    kl = tf.reduce_sum(p * (tf.math.log(p) - tf.math.log(tf.nn.softmax(q_noisy))), -1)\n"
    "    mean_kl = tf.reduce_mean(kl)\n"
    "    return {use}\n"
)
# A Keras builder whose layer list starts with a text vectorizer or not, then is extended,
# ending in `{head}`; then `{more}`; the model compiled with the default loss.
FILLED_LAYERS = (
    KERAS + "def build(classes, vectorizer=None, probabilities=False):\n"
    "    layers = []\n"
    "    if vectorizer is not None:\n"
    "        layers = [vectorizer]\n"
    "    layers.extend([keras.layers.Embedding(1000, 16), keras.layers.GlobalAveragePooling1D(),\n"
    "                   {head}])\n"
    "{more}"
    "    return keras.Sequential(layers)\n"
    "model = build(3)\n"
    "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
)
# A recurrent step written by hand with the weights it is given; its scores then `{loss}`.
TF_GIVEN_WEIGHTS = (
    "import tensorflow as tf\n"
    "def step(x, h, y, params):\n"
    "    W_in, W_h, b_h, W_out, b_out = params\n"
    "    h = tf.tanh(tf.matmul(x, W_in) + tf.matmul(h, W_h) + b_h)\n"
    "    scores = tf.matmul(h, W_out) + b_out\n"
    "    return {loss}\n"
)
# An MLP whose output activation is optional, applied `{test}`; the net is `{made}`, trained
# with a cross-entropy on logits (a policy or a classifier built from a generic MLP).
OPTIONAL_OUTPUT_ACTIVATION = (
    TORCH + "class MLP(nn.Module):\n"
    "    def __init__(self, n_in, n_out, output_activation=None):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(n_in, n_out)\n"
    "        self.output_activation = output_activation\n"
    "    def forward(self, x):\n"
    "        x = self.fc(x)\n"
    "        {test}\n"
    "            x = self.output_activation(x)\n"
    "        return x\n"
    "class Policy(MLP):\n"
    "    def __init__(self, n_in, n_actions, discrete=True):\n"
    "        {init}\n"
    "net = {made}\n"
    "loss = nn.CrossEntropyLoss()(net(x), y)\n"
)
GIVEN = "if self.output_activation is not None:"
SUPER_SOFTMAX = "super().__init__(n_in, n_actions, output_activation=nn.Softmax(dim=-1))"


def optional_activation(test: str = GIVEN, init: str = SUPER_SOFTMAX, made: str = "") -> str:
    return OPTIONAL_OUTPUT_ACTIVATION.format(test=test, init=init, made=made)


# A binary classifier's rounded predictions, and `{loss_input}` given to its logits loss.
ROUNDED_PREDICTIONS = (
    TORCH + "model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))\n"
    "loss_fn = nn.BCEWithLogitsLoss()\n"
    "for epoch in range(10):\n"
    "    y_logits = model(X).squeeze()\n"
    "    y_pred = torch.round(torch.sigmoid(y_logits))\n"
    "    loss = loss_fn({loss_input}, y)\n"
    "    accuracy = (y_pred == y).float().mean()\n"
)
# A one-unit net trained with a sigmoid loss, its predictions read as `{read}`.
ONE_UNIT_MAXIMUM = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(16, 1)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "net = Net()\n"
    "out = net(x)\n"
    "loss = nn.BCEWithLogitsLoss()(out, y)\n"
    "{read}\n"
)
# A softmax model compiled with the loss a helper returns for `{call}`.
KERAS_LOSS_HELPER = (
    KERAS + "def get_loss(name='ce'):\n"
    "    if name == 'ce':\n"
    "        return keras.losses.CategoricalCrossentropy(from_logits=True)\n"
    "    elif name == 'focal':\n"
    "        return keras.losses.CategoricalFocalCrossentropy(from_logits=True)\n"
    "    return keras.losses.MeanSquaredError()\n"
    "model = keras.Sequential([keras.layers.Dense(5, activation='softmax')])\n"
    "model.compile(optimizer='adam', loss={call})\n"
    "model.fit(x, y)\n"
)
# A plain class whose `build` method makes a Keras model; the script does `{script}`.
KERAS_BUILDER_CLASS = (
    KERAS + "class CNN:\n"
    "    def __init__(self, classes):\n"
    "        self.classes = classes\n"
    "    def build(self):\n"
    "        inputs = keras.Input(shape=(28, 28, 1))\n"
    "        x = keras.layers.Flatten()(inputs)\n"
    "        return keras.Model(inputs, keras.layers.Dense(self.classes)(x))\n"
    "{script}\n"
    "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
)
# A head builder appending a softmax when asked (by default), called `{calls}`.
FLAGGED_HEAD_BUILDER = (
    TORCH + "def make_head(in_features, n_classes, probabilities=True):\n"
    "    layers = [nn.Linear(in_features, n_classes)]\n"
    "    if probabilities:\n"
    "        layers.append(nn.Softmax(dim=-1))\n"
    "    return nn.Sequential(*layers)\n"
    "class Classifier(nn.Module):\n"
    "    def __init__(self, backbone):\n"
    "        super().__init__()\n"
    "        self.backbone = backbone\n"
    "        self.head = {calls}\n"
    "    def forward(self, x):\n"
    "        return self.head(self.backbone(x))\n"
    "model = Classifier(backbone)\n"
    "loss = F.cross_entropy(model(x), y)\n"
)
# A registry of model classes, a factory picking one by name, and `{script}`.
MODEL_REGISTRY = (
    TORCH + "class SoftmaxNet(nn.Module):\n"
    "    def __init__(self, classes=10):\n"
    "        super().__init__()\n"
    "        self.net = nn.Sequential(nn.Linear(784, classes), nn.Softmax(dim=1))\n"
    "    def forward(self, x):\n"
    "        return self.net(x)\n"
    "class LogitsNet(nn.Module):\n"
    "    def __init__(self, classes=10):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(784, classes)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "MODELS = {{'softmax': SoftmaxNet, 'logits': LogitsNet}}\n"
    "def get_model(name, **kwargs):\n"
    "    return MODELS[name](**kwargs)\n"
    "{script}\n"
    "loss = nn.CrossEntropyLoss()(model(x), y)\n"
)
# A custom Keras layer that applies the activation it is given, made by `{make}`.
KERAS_HEAD_LAYER = (
    KERAS + "class Head(keras.layers.Layer):\n"
    "    def __init__(self, units, activation=None):\n"
    "        super().__init__()\n"
    "        self.dense = keras.layers.Dense(units)\n"
    "        self.activation = tf.keras.activations.get(activation)\n"
    "    def call(self, x):\n"
    "        return self.activation(self.dense(x))\n"
    "model = keras.Sequential([keras.layers.Flatten(), {make}])\n"
    "loss = keras.losses.SparseCategoricalCrossentropy(from_logits={from_logits})\n"
    "model.compile(optimizer='adam', loss=loss)\n"
)
# A Keras model of raw logits whose predictions `p` a scikit-learn `{metric}` reads.
KERAS_LOGITS_SCORED = (
    KERAS + "from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score\n"
    "model = keras.Sequential([keras.layers.Dense(8, activation='relu'), keras.layers.Dense(1)])\n"
    "model.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy(from_logits=True))\n"
    "model.fit(x, y, epochs=5)\n"
    "p = model.predict(x_test).ravel()\n"
    "print({metric})\n"
)
# A config class holding the loss as a class attribute, `{use}` computing it on raw logits.
TORCH_CONFIG_CLASS = (
    TORCH + "class Config:\n"
    "    lr = 1e-3\n"
    "    criterion = nn.NLLLoss()\n"
    "net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 5))\n"
    "for x, y in loader:\n"
    "    loss = {use}\n"
    "    loss.backward()\n"
)
# A config class naming the loss and the units of a Keras model of raw logits.
KERAS_CONFIG_CLASS = (
    KERAS + "class Config:\n"
    "    CLASSES = {units}\n"
    "    LOSS = 'sparse_categorical_crossentropy'\n"
    "{extra}"
    "model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(Config.CLASSES)])\n"
    "model.compile(optimizer='adam', loss=Config.LOSS)\n"
    "model.fit(x, y)\n"
)
# A TF1 network of TF-Slim layers ending in `{last}`, given a loss on logits.
SLIM_LOGITS = (
    "import tensorflow as tf\nimport tf_slim as slim\n"
    "images = tf.compat.v1.placeholder(tf.float32, [None, 784])\n"
    "labels = tf.compat.v1.placeholder(tf.int64, [None])\n"
    "h = slim.fully_connected(images, 128)\n"
    "logits = {last}\n"
    "loss = tf.reduce_mean(\n"
    "    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))\n"
)
# A plain class whose `build` method makes a logits model, `{build}`, and a `{script}`.
KERAS_BUILDER_ON_SELF = (
    KERAS + "class Builder:\n"
    "    def __init__(self, classes):\n"
    "        self.classes = classes\n"
    "        self.model = None\n"
    "    def build(self):\n"
    "        inputs = keras.Input(shape=(32,))\n"
    "        outputs = keras.layers.Dense(self.classes)(inputs)\n"
    "{build}"
    "{script}\n"
)
# A registry of Keras builders, a factory picking one by name, and `{script}`.
KERAS_MODEL_REGISTRY = (
    KERAS + "def logits_mlp(classes=10):\n"
    "    return keras.Sequential([keras.layers.Dense(64, activation='relu'),\n"
    "                             keras.layers.Dense(classes)])\n"
    "class SoftmaxMLP(keras.Model):\n"
    "    def __init__(self, classes=10):\n"
    "        super().__init__()\n"
    "        self.out = keras.layers.Dense(classes, activation='softmax')\n"
    "    def call(self, x):\n"
    "        return self.out(x)\n"
    "MODELS = {{'logits': logits_mlp, 'softmax': SoftmaxMLP}}\n"
    "def get_model(name, **kwargs):\n"
    "    return MODELS[name](**kwargs)\n"
    "{script}\n"
    "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
    "model.fit(x, y)\n"
)
# A logits model compiled with the loss a config dict names; the config `{config}`.
KERAS_CONFIG_LOSS = (
    KERAS + "{config}\n"
    "model = keras.Sequential([keras.layers.Dense(10)])\n"
    "model.compile(optimizer=CONFIG['optimizer'], loss=CONFIG['loss'])\n"
    "model.fit(x, y)\n"
)
LITERAL_CONFIG = "CONFIG = {'optimizer': 'adam', 'loss': 'sparse_categorical_crossentropy'}"
# TF1 scores handed to a loss helper `{helper}`, and cut at 0.5 for an accuracy.
TF_LOSS_HELPER = (
    "import tensorflow as tf\n"
    "{helper}"
    "real = tf.compat.v1.placeholder(tf.float32, [None, 16])\n"
    "scores = tf.compat.v1.layers.dense(real, 1)\n"
    "d_loss = discriminator_loss(scores, tf.ones_like(scores))\n"
    "d_acc = tf.reduce_mean(tf.cast(scores > 0.5, tf.float32))\n"
)
SIGMOID_LOSS_HELPER = (
    "def discriminator_loss(z, target):\n"
    "    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=z, labels=target))\n"
)
# The scores of a hand-written layer made per chunk as `{made}`, then joined by `{joined}` into
# the loss `{loss}` (a recurrent net's steps, or batches predicted one at a time).
TF_JOINED_SCORES = (
    "import tensorflow as tf\n"
    "W = tf.Variable(tf.random.normal([16, 5]))\n"
    "b = tf.Variable(tf.zeros([5]))\n"
    "def scores(x):\n"
    "    return tf.matmul(x, W) + b\n"
    "def probs(x):\n"
    "    return tf.nn.softmax(scores(x))\n"
    "{made}"
    "joined = {joined}\n"
    "loss = tf.keras.losses.categorical_crossentropy(y, joined{loss})\n"
)
# A softmax model compiled with a binary loss, then `{between}`, then compiled again with the
# loss it is trained with (notebook cells that try one loss after another).
RECOMPILED = (
    KERAS + "model = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\n"
    "model.compile(loss='binary_crossentropy')\n"
    "{between}"
    "model.compile(loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
    "model.fit(x, y)\n"
)
# A sigmoid output whose loss is the one it is given, or its own fallback; made as `{made}`.
FALLBACK_LOSS = (
    TORCH + "class Output(nn.Module):\n"
    "    def __init__(self, loss=None):\n"
    "        super().__init__()\n"
    "        self.net = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\n"
    "        self.loss = loss or nn.BCEWithLogitsLoss()\n"
    "    def forward(self, x):\n"
    "        return self.net(x)\n"
    "out = {made}\n"
    "loss = out.loss(out(x), y)\n"
)
# A training callback whose setup hook puts `{head}` on the module it is handed, and whose
# batch hook trains it on the module's features (the module a framework hands every hook).
CALLBACK_HEAD = (
    TORCH + "class OnlineProbe:\n"
    "    def on_fit_start(self, trainer, module):\n"
    "        module.probe = {head}\n"
    "    def on_batch_end(self, trainer, module, batch):\n"
    "        x, y = batch\n"
    "        return F.cross_entropy(module.probe(module.features(x)), y)\n"
)
# A detector whose forward makes `out` from a head that returns {"exist": sigmoid outputs}
# (`{fill}`), then hands it to its own loss method, which reads out["exist"].
DICT_TO_LOSS_METHOD = (
    TORCH + "class Head(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(16, 4)\n"
    "    def forward(self, x):\n"
    "        return {{'exist': torch.sigmoid(self.fc(x))}}\n"
    "class Detector(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.head = Head()\n"
    "    def loss(self, out, batch):\n"
    "        return nn.BCEWithLogitsLoss()(out['exist'], batch['exist'])\n"
    "    def forward(self, x, batch):\n"
    "        {fill}\n"
    "        return self.loss(out, batch)\n"
)
# TF1: the predictions made in the arms of an `if` on `kind = {kind}`, the softmax one or
# `{other}`; then TensorFlow's loss on logits given them.
TF_CHOSEN_OUTPUT = (
    "import tensorflow as tf\n"
    "kind = {kind}\n"
    "logits = tf.compat.v1.layers.dense(features, 10)\n"
    "if kind == 'softmax':\n"
    "    preds = tf.nn.softmax(logits)\n"
    "else:\n"
    "    {other}\n"
    "loss = tf.compat.v1.losses.softmax_cross_entropy(onehot, preds)\n"
)
# One model each that ends in a softmax and in raw scores, for what is done to their outputs.
SOFTMAX_NET = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(16, 3)\n"
    "    def forward(self, x):\n"
    "        return F.softmax(self.fc(x), dim=1)\n"
)
LOGITS_NET = SOFTMAX_NET.replace("F.softmax(self.fc(x), dim=1)", "self.fc(x)")
# A model whose `self.heads`, made as `{container}`, is filled in a loop by `{fill}`; its
# output is every head's (a dict's `{values}`); then `{use}`.
FILLED_HEADS = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self, tasks, extra=()):\n"
    "        super().__init__()\n"
    "        self.body = nn.Linear(8, 16)\n"
    "        self.heads = {container}\n"
    "        for n in tasks:\n"
    "            {fill}\n"
    "    def forward(self, x):\n"
    "        h = self.body(x)\n"
    "        return [head(h) for head in self.heads{values}]\n"
    "model = Net([3, 4])\n"
    "{use}\n"
)
# A layer whose activation a `match` on its constructor's argument picks: "{chosen}".
MATCHED_ACTIVATION = (
    TORCH + "class Block(nn.Module):\n"
    "    def __init__(self, units, activation):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, units)\n"
    "        match activation:\n"
    "            case 'softmax':\n"
    "                self.act = nn.Softmax(dim=1)\n"
    "            case 'sigmoid' | 'logistic':\n"
    "                self.act = nn.Sigmoid()\n"
    "            case _:\n"
    "                self.act = nn.Identity()\n"
    "    def forward(self, x):\n"
    "        return self.act(self.fc(x))\n"
    "model = Block(3, '{chosen}')\n"
    "loss = nn.CrossEntropyLoss()(model(x), y)\n"
)
# A model whose forward applies `{layers}` one layer at a time, trained with `{loss}`.
LAYER_BY_LAYER = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.layers = {layers}\n"
    "    def forward(self, x):\n"
    "        for layer in self.layers:\n"
    "            x = layer(x)\n"
    "        return x\n"
    "model = Net()\n"
    "loss = {loss}(model(x), y)\n"
)
# A model whose forward returns a dict it makes empty and fills: `{fill}`.
DICT_FILLED = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 5)\n"
    "    def forward(self, x):\n"
    "        out = {{}}\n"
    "        {fill}\n"
    "        return out\n"
    "output = Net()(x)\n"
    "loss = nn.CrossEntropyLoss()(output['out'], y)\n"
)
# A TF1-style graph class (no Keras model): its methods build the discriminator; `{kept}`,
# then the loss is given `{given}` as logits.
TF_GRAPH_METHODS = (
    "import tensorflow as tf\n"
    "class GAN(object):\n"
    "    def build(self, x):\n"
    "        {kept}\n"
    "        self.loss = tf.reduce_mean(\n"
    "            tf.nn.sigmoid_cross_entropy_with_logits(logits={given}, labels=tf.ones([8, 1]))\n"
    "        )\n"
    "    def discriminator(self, x):\n"
    "        return tf.nn.sigmoid(tf.compat.v1.layers.dense(x, 1))\n"
    "    def discriminator_pair(self, x):\n"
    "        h = tf.compat.v1.layers.dense(x, 1)\n"
    "        return tf.nn.sigmoid(h), h\n"
)
# A trainer that is itself a module: its forward is given the network, whose output is
# `{activation}`, and applies the loss the trainer holds.
MODULE_TRAINER = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 4)\n"
    "    def forward(self, x):\n"
    "        return {activation}\n"
    "class Trainer(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.criterion = nn.BCEWithLogitsLoss()\n"
    "    def forward(self, net, batch):\n"
    "        return self.criterion(net(batch['x']), batch['y'])\n"
    "class Runner:\n"
    "    def __init__(self):\n"
    "        self.net = Net()\n"
    "        self.trainer = Trainer()\n"
    "    def step(self, batch):\n"
    "        return self.trainer(self.net, batch)\n"
)
# A softmax model made by a factory of its class (`{made}`), trained with a logits loss.
FACTORY = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "    def forward(self, x):\n"
    "        return F.softmax(self.fc(x), dim=1)\n"
    "{factory}"
    "class Runner:\n"
    "    def __init__(self, state):\n"
    "        self.model = {made}\n"
    "    def step(self, x, y):\n"
    "        return nn.CrossEntropyLoss()(self.model(x), y)\n"
)
# Heads `{head}` filled into a plain dict in a loop, which `__init__` then wraps in a
# ModuleDict under the same attribute; each head's output is cut at 0.5 and given `{loss}`.
WRAPPED_HEADS = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self, tasks):\n"
    "        super().__init__()\n"
    "        self.heads = {{}}\n"
    "        for task, n in tasks.items():\n"
    "            self.heads[task] = {head}\n"
    "        self.heads = nn.ModuleDict(self.heads)\n"
    "        self.criterion = {loss}\n"
    "    def forward(self, h, task, labels):\n"
    "        hits = self.heads[task](h) > 0.5\n"
    "        return hits, self.criterion(self.heads[task](h), labels)\n"
)
# Three copies of one model, whose output is `{activation}`; then `{use}`.
ENSEMBLE = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 4)\n"
    "    def forward(self, x):\n"
    "        return {activation}\n"
    "members = [Net() for _ in range(3)]\n"
    "{use}"
)
# A module whose `forward` applies, with dropout, the layer its caller hands it: `{given}`.
TORCH_WRAPPER = (
    TORCH + "class Dropped(nn.Module):\n"
    "    def forward(self, x, layer):\n"
    "        return layer(F.dropout(x, 0.2))\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(64, 10)\n"
    "        self.drop = Dropped()\n"
    "    def forward(self, x):\n"
    "        return self.drop(x, {given})\n"
    "loss = F.cross_entropy(Net()(x), y)\n"
)
# A base class's training step that calls the `forward` and the loss helper its subclasses
# override: `{activation}` is the subclass's output.
TORCH_BASE_CLASS_LOOP = (
    TORCH + "class Base(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "    def step_loss(self, out, y):\n"
    "        return F.mse_loss(out, y)\n"
    "    def train_step(self, x, y):\n"
    "        out = self.forward(x)\n"
    "        self.step_loss(out, y).backward()\n"
    "class Sub(Base):\n"
    "    def forward(self, x):\n"
    "        return {activation}\n"
    "    def step_loss(self, out, y):\n"
    "        return F.cross_entropy(out, y)\n"
)
# A base class's `forward` applying `self.head`, which a subclass's `__init__` replaces.
TORCH_HEAD_REPLACED_BY_SUBCLASS = (
    TORCH + "class Base(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.head = {base_head}\n"
    "    def forward(self, x):\n"
    "        return self.head(x)\n"
    "class Sub(Base):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.head = {sub_head}\n"
    "loss = nn.CrossEntropyLoss()(Sub()(x), y)\n"
)
# A trainer whose base class runs the loop and calls the loss method the subclass defines.
TORCH_TRAINER_HIERARCHY = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(4, 5)\n"
    "    def forward(self, x):\n"
    "        return {output}\n"
    "class BaseTrainer:\n"
    "    def fit(self, model, loader):\n"
    "        for x, y in loader:\n"
    "            self.compute_loss(model(x), y).backward()\n"
    "class CrossEntropyTrainer(BaseTrainer):\n"
    "    def compute_loss(self, out, y):\n"
    "        return F.cross_entropy(out, y)\n"
    "CrossEntropyTrainer().fit(Net(), loader)\n"
)
# A loss chosen by name in a helper: `get_criterion({name})`, on a softmax model.
TORCH_CRITERION_BY_NAME = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "    def forward(self, x):\n"
    "        return F.softmax(self.fc(x), dim=1)\n"
    "def get_criterion(name):\n"
    "    if name == 'ce':\n"
    "        return nn.CrossEntropyLoss()\n"
    "    elif name == 'mse':\n"
    "        return nn.MSELoss()\n"
    "    raise ValueError(name)\n"
    "loss = get_criterion({name})(Net()(x), y)\n"
)
# A head chosen in `__init__` by a constructor flag: `Net({passed})`.
TORCH_HEAD_BY_FLAG = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self, head='softmax'):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "        if head == 'softmax':\n"
    "            self.act = nn.Softmax(dim=1)\n"
    "        else:\n"
    "            self.act = nn.Identity()\n"
    "    def forward(self, x):\n"
    "        return self.act(self.fc(x))\n"
    "loss = nn.CrossEntropyLoss()(Net({passed})(x), y)\n"
)
# `forward` applies softmax when a flag `__init__` stored on self says so: `Net({passed})`.
TORCH_SOFTMAX_BY_STORED_FLAG = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self, probabilities=True):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "        self.probabilities = probabilities\n"
    "    def forward(self, x):\n"
    "        x = self.fc(x)\n"
    "        if self.probabilities:\n"
    "            x = F.softmax(x, dim=1)\n"
    "        return x\n"
    "loss = nn.CrossEntropyLoss()(Net({passed})(x), y)\n"
)
# `forward` returns early with softmax when its caller asks: `model({passed})`.
TORCH_SOFTMAX_BY_FORWARD_FLAG = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "    def forward(self, x, probabilities=False):\n"
    "        x = self.fc(x)\n"
    "        if probabilities:\n"
    "            return F.softmax(x, dim=1)\n"
    "        return x\n"
    "model = Net()\n"
    "loss = nn.CrossEntropyLoss()(model({passed}), y)\n"
)
# A classifier trained on its logits, and a function reporting its outputs by mode: in the
# "labels" arm they are logits, whatever the earlier arms (which do not run) made of them.
ELIF_REPORT = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 1)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "def report(model, x, modes):\n"
    "    out = model(x)\n"
    "{loop}"
    "{indent}    if mode == 'max':\n"
    "{indent}        out = out.max(1)\n"
    "{indent}    elif mode == 'probabilities':\n"
    "{indent}        out = torch.sigmoid(out)\n"
    "{indent}    elif mode == 'labels':\n"
    "{indent}        return out > 0.5\n"
    "    return out\n"
    "model = Net()\n"
    "loss = nn.BCEWithLogitsLoss()(model(x), y)\n"
    "labels = report(model, x, args.modes)\n"
)
# A classifier's softmax probabilities (or its logits) handed back by `{call}` of `{helper}`,
# then given to a loss on logits.
DETACHING_HELPER = (
    TORCH + "{helper}"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "model = Net()\n"
    "scores = model(x)\n"
    "probs = F.softmax(scores, dim=1)\n"
    "loss = F.cross_entropy({call}, y)\n"
)
# A Hugging Face task model `{made}` trained on the loss it computes itself from the labels
# in the batch, its outputs then read by `{read}`.
TASK_MODEL_LOOP = (
    "import torch\n"
    "from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification\n"
    "model = {made}\n"
    "for batch in loader:\n"
    "    outputs = model(**batch)\n"
    "    outputs.loss.backward()\n"
    "with torch.no_grad():\n"
    "    outputs = model(**test_batch)\n"
    "    {read}\n"
)
# A Keras model trained by hand on random integer class labels, handed to `{loss}` as
# `{labels}`.
KERAS_TAPE_LABELS = (
    KERAS + "import numpy as np\n"
    "model = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\n"
    "loss_fn = keras.losses.{loss}()\n"
    "y = np.random.randint(0, 10, size=(100,))\n"
    "with tf.GradientTape() as tape:\n"
    "    loss = loss_fn({labels}, model(x, training=True))\n"
)
# A model picked by name at run time (its head unknown) trained by hand on random targets of
# `{dtype}`.
KERAS_UNKNOWN_MODEL_TAPE = (
    KERAS + "model = getattr(keras.applications, args.model)(weights=None)\n"
    "target = tf.random.uniform([32, 1], minval=0, maxval=999, dtype={dtype})\n"
    "with tf.GradientTape() as tape:\n"
    "    loss = tf.losses.categorical_crossentropy(target, model(images, training=True))\n"
)
# A classifier trained on its logits, whose outputs a loop takes row by row: `{loop}`.
ROWS_LOOP = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 1)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "model = Net()\n"
    "out = model(x)\n"
    "loss = nn.BCEWithLogitsLoss()(out, y)\n"
    "{loop}\n"
    "    hits = (row > 0.5) == target\n"
)
# A segmentation net built for `{classes}` classes, trained and evaluated by functions that
# pick the loss (and the metric) by `net.n_classes`: the cross-entropy arm runs only for
# several classes, and the one-class arm cuts the logits at 0.5.
CLASS_COUNT_ARMS = (
    TORCH + "class SegNet(nn.Module):\n"
    "    def __init__(self, n_classes):\n"
    "        super().__init__()\n"
    "        self.n_classes = n_classes\n"
    "        self.out = nn.Conv2d(16, n_classes, kernel_size=1)\n"
    "    def forward(self, x):\n"
    "        return self.out(x)\n"
    "def evaluate(net, loader):\n"
    "    for images, masks in loader:\n"
    "        pred = net(images)\n"
    "        if net.n_classes > 1:\n"
    "            score = F.cross_entropy(pred, masks)\n"
    "        else:\n"
    "            score = ((pred > 0.5).float() == masks).float().mean()\n"
    "def train(net, loader):\n"
    "    criterion = nn.CrossEntropyLoss() if net.n_classes > 1 else nn.BCEWithLogitsLoss()\n"
    "    for images, masks in loader:\n"
    "        criterion(net(images), masks).backward()\n"
    "    evaluate(net, loader)\n"
    "train(SegNet(n_classes={classes}), loader)\n"
)
# One model's softmax in one arm, `{other}` (an ensemble of the same class) in the other.
ARMS_OF_ONE_KIND = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(8, 3)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
    "model = Net()\n"
    "members = [Net() for _ in range(5)]\n"
    "if ensemble:\n"
    "    probs = {other}\n"
    "else:\n"
    "    probs = F.softmax(model(x), dim=1)\n"
    "loss = nn.CrossEntropyLoss()(probs, y)\n"
)
# A functional Keras model with outputs `{outputs}` (`o` is a one-unit layer named "out"),
# compiled with a loss and metrics given per output name.
KERAS_NAMED_OUTPUT = (
    "import keras\n"
    "i = keras.Input(shape=(8,))\n"
    "o = keras.layers.Dense(1, name='out')(i)\n"
    "model = keras.Model(i, {outputs})\n"
    "model.compile(optimizer='adam', loss={loss}, metrics={metrics})\n"
    "model.fit(x, y)\n"
)
# A Hugging Face Trainer handing `compute_metrics` the classifier's logits: `{metrics}`.
TRAINER_METRICS = (
    "import numpy as np\n"
    "from transformers import AutoModelForSequenceClassification, Trainer\n"
    "model = AutoModelForSequenceClassification.from_pretrained(\n"
    "    'bert', num_labels={labels}, problem_type='multi_label_classification'\n"
    ")\n"
    "def compute_metrics(eval_pred):\n"
    "{metrics}"
    "    return {{'accuracy': float((predicted == eval_pred.label_ids).mean())}}\n"
    "trainer = Trainer(model=model, args=args, compute_metrics=compute_metrics)\n"
)
# A Hugging Face Trainer's `predict`, whose `predictions` are the classifier's logits.
TRAINER_PREDICT = (
    "import numpy as np\n"
    "from transformers import AutoModelForSequenceClassification, Trainer\n"
    "def evaluate(args, train, test):\n"
    "    model = AutoModelForSequenceClassification.from_pretrained(\n"
    "        'bert', num_labels={labels}, problem_type='multi_label_classification'\n"
    "    )\n"
    "    trainer = Trainer({trainer})\n"
    "    trainer.train()\n"
    "{use}"
)


def predict_proba_wrapper(layers: str, loss: str, returned: str) -> str:
    """A scikit-learn style wrapper that trains `nn.Sequential(..., layers)` with `loss` and
    whose `predict_proba` returns `returned` of `out`, the model's outputs."""
    return TORCH + textwrap.dedent(
        f"""
        class Classifier:
            def __init__(self, features, classes):
                self.model = nn.Sequential(nn.Linear(features, 64), nn.ReLU(), {layers})
                self.loss_fn = {loss}
                self.optimizer = torch.optim.Adam(self.model.parameters())

            def fit(self, X, y):
                self.optimizer.zero_grad()
                self.loss_fn(self.model(X), y).backward()
                self.optimizer.step()
                return self

            def predict_proba(self, X):
                with torch.no_grad():
                    out = self.model(X)
                return {returned}.numpy()
        """
    )


def keras_predict_proba_wrapper(returned: str) -> str:
    """A scikit-learn style wrapper of a Keras model trained on its logits, whose
    `predict_proba` returns `returned`."""
    return KERAS + textwrap.dedent(
        f"""
        class Classifier:
            def __init__(self, classes):
                self.model = keras.Sequential([keras.layers.Dense(classes)])
                loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
                self.model.compile(optimizer="adam", loss=loss)

            def fit(self, X, y):
                self.model.fit(X, y, epochs=5)
                return self

            def predict_proba(self, X):
                return {returned}
        """
    )


def multi_label_read_out(head: str, read_out: str) -> str:
    """A model ending in `head` trained with BCEWithLogitsLoss, its scores read as `read_out`."""
    return TORCH + textwrap.dedent(
        f"""
        model = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), {head})
        criterion = nn.BCEWithLogitsLoss()
        for x, tags in loader:
            criterion(model(x), tags).backward()
        with torch.no_grad():
            scores = {read_out}
        """
    )


def sequential_subclass(last: str, returned: str) -> str:
    """A `nn.Sequential` subclass handing `nn.Linear(16, 5)` and `last` to its base, whose own
    forward pools and returns `returned`, trained with CrossEntropyLoss."""
    return TORCH + textwrap.dedent(
        f"""
        class Probe(nn.Sequential):
            def __init__(self):
                super().__init__(nn.Linear(16, 5), {last})

            def forward(self, x):
                x = x.mean(dim=-1)
                return {returned}

        probe = Probe()
        loss = nn.CrossEntropyLoss()(probe(x), y)
        """
    )


def tape_cross_entropy(log_statement: str) -> str:
    """A tape loop over a linear Keras model whose hand-written cross-entropy sums
    `y * logp`, with `logp` bound by `log_statement`."""
    return KERAS + textwrap.dedent(
        f"""
        model = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(10)])
        for x, y in dataset:
            with tf.GradientTape() as tape:
                {log_statement}
                loss = -tf.reduce_mean(tf.reduce_sum(y * logp, axis=-1))
            grads = tape.gradient(loss, model.trainable_variables)
        """
    )


def trainer_predict_with_config(config: str) -> str:
    """TRAINER_PREDICT's predictions cut at 0.5, its model given the config that `config`
    makes (and perhaps sets) as `config`."""
    return (
        TRAINER_PREDICT.format(
            labels=6,
            trainer="model=model, args=args",
            use="    return trainer.predict(test).predictions > 0.5\n",
        )
        .replace(
            "    model = AutoModelForSequenceClassification.from_pretrained(\n"
            "        'bert', num_labels=6, problem_type='multi_label_classification'\n"
            "    )\n",
            config + "    model = AutoModelForSequenceClassification.from_pretrained(\n"
            "        'bert', config=config\n"
            "    )\n",
        )
        .replace("import AutoModel", "import AutoConfig, AutoModel")
    )


# A model computing `{loss}` in `forward` on its logits, returning the loss and `{returned}`.
TAGGER = (
    TORCH + "class Tagger(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.classifier = nn.Linear(16, 28)\n"
    "        self.loss_fct = {loss}\n"
    "    def forward(self, x, labels):\n"
    "        logits = self.classifier(x)\n"
    "        probs = torch.sigmoid(logits)\n"
    "        loss = self.loss_fct(logits, labels)\n"
    "        return loss, {returned}\n"
    "model = Tagger()\n"
)
# A container module applying in turn the modules its constructor takes as `*blocks`.
CHAIN = (
    TORCH + "class Chain(nn.Module):\n"
    "    def __init__(self, *blocks):\n"
    "        super().__init__()\n"
    "        self.blocks = nn.ModuleList(blocks)\n"
    "    def forward(self, x):\n"
    "        for block in self.blocks:\n"
    "            x = block(x)\n"
    "        return x\n"
)
# A model trained with a focal loss of the project that applies the sigmoid itself.
FOCAL_LOSS_TRAINING = (
    TORCH + "class FocalLoss(nn.Module):\n"
    "    def forward(self, scores, targets):\n"
    "        p = torch.sigmoid(scores)\n"
    "        return ((1 - p) ** 2 * F.binary_cross_entropy(p, targets)).mean()\n"
    "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\n"
    "criterion = FocalLoss()\n"
    "out = model(x)\n"
    "loss = criterion(out, y)\n"
)
# A module whose forward ends in a softmax, handed to another library's skorch net.
SOFTMAX_MODULE = (
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.out = nn.Linear(8, 3)\n"
    "    def forward(self, x):\n"
    "        return F.softmax(self.out(x), dim=-1)\n"
)
# A classifier whose head `__init__` builds in either arm of an `if`.
TORCH_HEAD_BY_ARMS = (
    TORCH + "class Probe(nn.Module):\n"
    "    def __init__(self, hidden=None):\n"
    "        super().__init__()\n"
    "        if hidden is None:\n"
    "            self.head = nn.Sequential(nn.Linear(64, 10), {shallow})\n"
    "        else:\n"
    "            self.head = nn.Sequential(\n"
    "                nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, {units}), {deep})\n"
    "    def forward(self, x):\n"
    "        return self.head(x)\n"
    "loss = F.cross_entropy(Probe(128)(x), y)\n"
)
# A model whose number of classes its constructor takes.
TORCH_UNITS_BY_CONSTRUCTOR = (
    TORCH + "class Net(nn.Module):\n"
    "    def __init__(self, classes):\n"
    "        super().__init__()\n"
    "        self.fc = nn.Linear(64, classes)\n"
    "    def forward(self, x):\n"
    "        return self.fc(x)\n"
)
# A module whose loss `__init__` chooses by a flag, used under a test of the same flag:
# `{test}` guards the use, `{scores}` is what the discrete branch gives the loss.
FLAG_CHOSEN_LOSS = (
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "class Inverse(nn.Module):\n"
    "    def __init__(self, discrete):\n"
    "        super().__init__()\n"
    "        self.discrete = discrete\n"
    "        self.fc = nn.Linear(8, 4)\n"
    "        if self.discrete:\n"
    "            self.inverse_loss = nn.CrossEntropyLoss()\n"
    "        else:\n"
    "            self.inverse_loss = nn.MSELoss()\n"
    "    def forward(self, x, a):\n"
    "        if {test}:\n"
    "            return self.inverse_loss({scores}, a)\n"
    "        return self.inverse_loss(self.fc(x), a)\n"
)
# A project loss module that hands its input, reshaped, to a logits loss.
FOCAL_LOSS = (
    "class FocalLoss(nn.Module):\n"
    "    def __init__(self, gamma=2.0):\n"
    "        super().__init__()\n"
    "        self.gamma = gamma\n"
    "    def forward(self, logits, targets):\n"
    "        flat = logits.view(-1)\n"
    "        bce = F.binary_cross_entropy_with_logits(flat, targets, reduction='none')\n"
    "        return ((1 - torch.exp(-bce)) ** self.gamma * bce).mean()\n"
)

SHAPES = {
    # --- training loops -------------------------------------------------------------------
    "tape loop, loss object": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(8, activation='relu'),"
        " keras.layers.Dense(10)])\n"
        "loss_fn = keras.losses.SparseCategoricalCrossentropy()\n"
        "for x, y in ds:\n"
        "    with tf.GradientTape() as tape:\n"
        "        logits = model(x, training=True)\n"
        "        loss = loss_fn(y, logits)\n",
        {"LG001"},
    ),
    "tape loop, keras.losses function with from_logits": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\n"
        "with tf.GradientTape() as tape:\n"
        "    p = model(x)\n"
        "    loss = keras.losses.sparse_categorical_crossentropy(y, p, from_logits=True)\n",
        {"LG002"},
    ),
    "tf.nn logits op on probabilities": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(3, activation='softmax')])\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=model(x))\n",
        {"LG002"},
    ),
    "train_step of a subclass with self.loss_fn": (
        "import tensorflow as tf\nimport keras\n"
        "class Net(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.out = keras.layers.Dense(4)\n"
        "        self.loss_fn = keras.losses.CategoricalCrossentropy()\n"
        "    def call(self, x):\n"
        "        return self.out(x)\n"
        "    def train_step(self, data):\n"
        "        x, y = data\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = self.loss_fn(y, self(x, training=True))\n"
        "        return {'loss': loss}\n",
        {"LG001"},
    ),
    "keras.backend loss function in a tape loop": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "with tf.GradientTape() as tape:\n"
        "    out = model(images)\n"
        "    loss = tf.keras.backend.sparse_categorical_crossentropy(labels, out)\n",
        {"LG001"},
    ),
    "TF1 helper function returning tf.nn.softmax": (
        "import tensorflow as tf\n"
        "def net(x, w, b):\n"
        "    hidden = tf.nn.relu(tf.matmul(x, w) + b)\n"
        "    return tf.nn.softmax(tf.matmul(hidden, w) + b)\n"
        "y_hat = net(x, w, b)\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=y_hat))\n",
        {"LG002"},
    ),
    "TF1 helper function returning logits": (
        "import tensorflow as tf\n"
        "def net(x, w, b):\n"
        "    return tf.matmul(x, w) + b\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=net(x, w, b))\n",
        set(),
    ),
    "TF1 functional dense layer with a softmax into a tf.nn logits op": (
        "import tensorflow as tf\n"
        "hidden = tf.layers.dense(inputs=x, units=64, activation=tf.nn.relu)\n"
        "scores = tf.layers.dense(inputs=hidden, units=10, activation=tf.nn.softmax)\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=scores)\n",
        {"LG002"},
    ),
    "TF1 compat dense layer, positional arguments, tf.losses and a positional logits op": (
        "import tensorflow as tf\n"
        "probs = tf.compat.v1.layers.dense(x, 3, tf.nn.softmax)\n"
        "loss = tf.compat.v1.losses.softmax_cross_entropy(y, probs)\n"
        "also = tf.nn.softmax_cross_entropy_with_logits(y, probs)\n",
        {"LG002"},
    ),
    "TF1 functional dense layer without activation: logits, correct twin": (
        "import tensorflow as tf\n"
        "hidden = tf.layers.dense(x, 64, activation=tf.nn.relu)\n"
        "logits = tf.layers.dense(hidden, 10)\n"
        "loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)\n"
        "also = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)\n",
        set(),
    ),
    "TF1 functional dense logits into a Keras probability loss": (
        "import tensorflow as tf\n"
        "logits = tf.layers.dense(x, 10)\n"
        "loss = tf.keras.losses.categorical_crossentropy(y, logits)\n",
        {"LG001"},
    ),
    "TF1 graph built by a helper returning a tuple, unpacked": (
        "import tensorflow as tf\n"
        "def graph():\n"
        "    x = tf.placeholder(tf.float32, [None, 784])\n"
        "    y = tf.placeholder(tf.float32, [None, 10])\n"
        "    probs = tf.layers.dense(x, 10, activation=tf.nn.softmax)\n"
        "    return x, y, probs\n"
        "inputs, labels, output = graph()\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=output)\n",
        {"LG002"},
    ),
    "TF1 helper returning a tuple, the unpacked logits: correct twin": (
        "import tensorflow as tf\n"
        "def graph(x):\n"
        "    logits = tf.layers.dense(x, 10)\n"
        "    return tf.nn.softmax(logits), logits\n"
        "probs, logits = graph(x)\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)\n",
        set(),
    ),
    "TF1 helper whose returned tuple differs by path: silent": (
        "import tensorflow as tf\n"
        "def graph(x, train):\n"
        "    logits = tf.layers.dense(x, 10)\n"
        "    if train:\n"
        "        return logits, x\n"
        "    return tf.nn.softmax(logits), x\n"
        "output, _ = graph(x, True)\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=output)\n",
        set(),
    ),
    "tape loop in a function that receives the model": (
        KERAS + "def fit(model, data):\n"
        "    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "    for x, y in data:\n"
        "        with tf.GradientTape() as tape:\n"
        "            logits = model(x, training=True)\n"
        "            loss = loss_fn(y, logits)\n"
        "net = keras.Sequential([keras.layers.Dense(5, activation='softmax')])\n"
        "fit(net, ds)\n",
        {"LG002"},
    ),
    "tape loop in a function that receives the model and the loss": (
        KERAS + "def fit(model, loss_fn, data):\n"
        "    for x, y in data:\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = loss_fn(y, model(x))\n"
        "net = keras.Sequential([keras.layers.Dense(5)])\n"
        "fit(net, keras.losses.CategoricalCrossentropy(), ds)\n",
        {"LG001"},
    ),
    "loss object called with sample weights, in a function given the model": (
        KERAS + "def fit(model, data, weights):\n"
        "    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "    for x, y in data:\n"
        "        with tf.GradientTape() as tape:\n"
        "            logits = model(x)\n"
        "            loss = loss_fn(y, logits, [weights[c] for c in y.numpy()])\n"
        "inputs = keras.Input(shape=(8,))\n"
        "outputs = keras.layers.Dense(3, activation='softmax')(inputs)\n"
        "model = fit(keras.Model(inputs, outputs), ds, {0: 1.0, 1: 2.0, 2: 1.0})\n",
        {"LG002"},
    ),
    "a call with more arguments than a loss object takes is no loss call: silent": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(3, activation='softmax')])\n"
        "loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "value = loss_fn(y, model(x), w, extra)\n",
        set(),
    ),
    "tape loop in a function that receives the model: correct twin": (
        KERAS + "def fit(model, data):\n"
        "    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "    for x, y in data:\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = loss_fn(y, model(x, training=True))\n"
        "fit(keras.Sequential([keras.layers.Dense(5)]), ds)\n",
        set(),
    ),
    "Keras layers and models from star imports": (
        "from tensorflow.keras.layers import *\n"
        "from tensorflow.keras.models import *\n"
        "inputs = Input(shape=(20,))\n"
        "outputs = Dense(1)(Dense(32, activation='relu')(inputs))\n"
        "model = Model(inputs, outputs)\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n",
        {"LG001", "LG003"},
    ),
    "PyTorch layers and loss from a star import": (
        "import torch\n"
        "from torch.nn import *\n"
        "net = Sequential(Linear(10, 3), Softmax(dim=1))\n"
        "loss = CrossEntropyLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "a star-imported name the module defines again is its own: silent": (
        "import torch\n"
        "from torch.nn import *\n"
        "class Softmax(Module):\n"
        "    def forward(self, x):\n"
        "        return x\n"
        "net = Sequential(Linear(10, 3), Softmax())\n"
        "loss = CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "an imported name the module redefines is its own: silent": (
        "from keras.layers import Dense, Identity\n"
        "from keras.models import Sequential\n"
        "def Dense(units, activation=None):\n"
        "    return Identity()\n"
        "model = Sequential([Dense(1)])\n"
        "model.compile(loss='binary_crossentropy')\n",
        set(),
    ),
    "keras imported in one branch and assigned in the other is still Keras": (
        "import tensorflow as tf\n"
        "if tf.__version__ >= '2.16':\n"
        "    import tf_keras as keras\n"
        "else:\n"
        "    keras = tf.keras\n"
        "model = keras.Sequential([keras.layers.Dense(1, activation='linear')])\n"
        "model.compile(loss='binary_crossentropy')\n",
        {"LG001"},
    ),
    "an activation of constants given a logits loss: test data": (
        KERAS + "t = tf.constant([[0, 1, 0]])\n"
        "p = keras.activations.sigmoid(tf.constant([[8.0, 1.0, 1.0]]))\n"
        "loss = keras.losses.binary_crossentropy(t, p, from_logits=True)\n",
        set(),
    ),
    "tape loop, correct twin": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = loss_fn(y, model(x))\n"
        "    also = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=model(x))\n",
        set(),
    ),
    "for loop over a loader": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "criterion = nn.CrossEntropyLoss()\n"
        "for epoch in range(3):\n"
        "    for x, y in loader:\n"
        "        out = net(x)\n"
        "        loss = criterion(out, y)\n",
        {"LG002"},
    ),
    "net.forward(x)": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 1))\nloss = nn.BCELoss()(net.forward(x), y)\n",
        {"LG001"},
    ),
    "tuple return unpacked": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.body = nn.Linear(8, 8)\n"
        "        self.head = nn.Linear(8, 3)\n"
        "    def forward(self, x):\n"
        "        feats = self.body(x)\n"
        "        return feats, F.softmax(self.head(feats), dim=1)\n"
        "feats, out = Net()(x)\n"
        "loss = F.cross_entropy(out, y)\n",
        {"LG002"},
    ),
    "dict output": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 1)\n"
        "    def forward(self, x):\n"
        "        return {'exist': torch.sigmoid(self.fc(x)), 'raw': self.fc(x)}\n"
        "output = Net()(x)\n"
        "loss = nn.BCEWithLogitsLoss()(output['exist'], y)\n"
        "fine = nn.BCEWithLogitsLoss()(output['raw'], y)\n",
        {"LG002"},
    ),
    "shape-only operations": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())\n"
        "out = net(x).squeeze(1).float().view(-1)\n"
        "loss = F.binary_cross_entropy_with_logits(out[:, 0], y)\n",
        {"LG002"},
    ),
    "torch.cat of outputs": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3))\n"
        "out = torch.cat([net(a), net(b)], dim=0)\n"
        "loss = F.nll_loss(out, y)\n",
        {"LG010"},
    ),
    "training_step of a LightningModule": (
        TORCH + "import lightning as L\n"
        "class Lit(L.LightningModule):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(4, 5)\n"
        "    def forward(self, x):\n"
        "        return torch.softmax(self.fc(x), dim=-1)\n"
        "    def training_step(self, batch, idx):\n"
        "        x, y = batch\n"
        "        return F.cross_entropy(self(x), y)\n",
        {"LG002"},
    ),
    # --- functions and objects --------------------------------------------------------------
    "criterion passed to a training function": (
        TORCH + "def train(model, criterion, loader):\n"
        "    for x, y in loader:\n"
        "        loss = criterion(model(x), y)\n"
        "train(nn.Sequential(nn.Linear(4, 1)), nn.BCELoss(), loader)\n",
        {"LG001"},
    ),
    "criterion stored on self by a trainer": (
        TORCH + "class Trainer:\n"
        "    def __init__(self, model, loss_fn):\n"
        "        self.model = model\n"
        "        self.loss_fn = loss_fn\n"
        "    def step(self, x, y):\n"
        "        return self.loss_fn(self.model(x), y)\n"
        "Trainer(nn.Sequential(nn.Linear(4, 2), nn.Softmax(1)), nn.CrossEntropyLoss())\n",
        {"LG002"},
    ),
    "loss kept in a dict registry": (
        TORCH + "LOSSES = {'ce': nn.CrossEntropyLoss, 'bce': nn.BCELoss}\n"
        "criterion = LOSSES['ce']()\n"
        "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "loss = criterion(net(x), y)\n",
        {"LG002"},
    ),
    "loss wrapped by functools.partial": (
        TORCH + "import functools\n"
        "loss_fn = functools.partial(F.cross_entropy, reduction='sum')\n"
        "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "loss = loss_fn(net(x), y)\n",
        {"LG002"},
    ),
    "skorch-style net given the criterion as a class": (
        TORCH + "from skorch import NeuralNetClassifier\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(4, 3)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.fc(x), dim=-1)\n"
        "clf = NeuralNetClassifier(Net, criterion=nn.CrossEntropyLoss)\n",
        {"LG002"},
    ),
    "skorch default criterion on logits": (SKORCH_LOGITS_NET.format(after=""), {"LG001"}),
    "a softmax module given CrossEntropyLoss by a skorch net of another library": (
        TORCH
        + "from ray_skorch import RayTrainNeuralNet\n"
        + SOFTMAX_MODULE
        + "net = RayTrainNeuralNet(Net, num_workers=2, criterion=nn.CrossEntropyLoss)\n"
        "net.fit(x, y)\n",
        {"LG002"},
    ),
    "a softmax module given NLLLoss by braindecode's classifier, which takes the log first": (
        TORCH
        + "from braindecode import EEGClassifier\n"
        + SOFTMAX_MODULE
        + "clf = EEGClassifier(Net, criterion=nn.NLLLoss)\n"
        "clf.fit(x, y)\n",
        set(),
    ),
    "skorch correct twin": (
        SKORCH_LOGITS_NET.format(after="").replace(
            "NeuralNetClassifier(Net)", "NeuralNetClassifier(Net, criterion=nn.CrossEntropyLoss)"
        ),
        set(),
    ),
    "a project subclass of skorch's NeuralNet given the criterion as a class": (
        TORCH + "from skorch import NeuralNet\n"
        "class DistributedNet(NeuralNet):\n"
        "    pass\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(4, 3)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.fc(x), dim=-1)\n"
        "clf = DistributedNet(Net, criterion=nn.CrossEntropyLoss)\n",
        {"LG002"},
    ),
    "a project class that is no skorch net, given a module and a criterion": (
        TORCH + "class Runner:\n"
        "    def __init__(self, module, criterion):\n"
        "        self.module = module\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(4, 3)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.fc(x), dim=-1)\n"
        "runner = Runner(Net, criterion=nn.CrossEntropyLoss)\n",
        set(),
    ),
    # --- building idioms ---------------------------------------------------------------------
    "add_module on a Sequential": (
        TORCH + "net = nn.Sequential()\n"
        "net.add_module('fc', nn.Linear(4, 3))\n"
        "net.add_module('softmax', nn.Softmax(dim=1))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "Sequential(*layers) built by appends in a loop": (
        TORCH + "layers = []\n"
        "for width in (16, 16):\n"
        "    layers += [nn.LazyLinear(width), nn.ReLU()]\n"
        "layers.append(nn.Linear(16, 3))\n"
        "layers.append(nn.Softmax(dim=1))\n"
        "net = nn.Sequential(*layers)\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "an MLP whose loop appends an activation every time round but the last": (
        MLP_LOOP.format(
            loop="for i in range(len(dims) - 1):", last="if i < len(dims) - 2:", loss="BCELoss"
        ),
        {"LG001"},
    ),
    "an MLP looping over neighbouring sizes, the activation skipped last time round": (
        MLP_LOOP.format(
            loop="for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):",
            last="if i != len(dims) - 2:",
            loss="BCELoss",
        ),
        {"LG001"},
    ),
    "an MLP counting its layers, the activation skipped last time round": (
        MLP_LOOP.format(
            loop="for i in range(n_layers):", last="if not i == n_layers - 1:", loss="BCELoss"
        ),
        {"LG001"},
    ),
    "an MLP whose loop activates every time round but the last, trained on logits": (
        MLP_LOOP.format(
            loop="for i in range(len(dims) - 1):",
            last="if i < len(dims) - 2:",
            loss="BCEWithLogitsLoss",
        ),
        set(),
    ),
    "an MLP whose loop activates on a test the last time round does not decide": (
        MLP_LOOP.format(loop="for i in range(len(dims) - 1):", last="if i % 2:", loss="BCELoss"),
        set(),
    ),
    "an MLP whose loop activates depending on another count than the loop's": (
        MLP_LOOP.format(
            loop="for i in range(len(dims) - 1):", last="if i < len(sizes) - 2:", loss="BCELoss"
        ),
        set(),
    ),
    "an MLP whose loop may break before its last time round": (
        TORCH + "layers = []\n"
        "for i in range(len(dims) - 1):\n"
        "    layers.append(nn.Linear(dims[i], dims[i + 1]))\n"
        "    if i < len(dims) - 2:\n"
        "        layers.append(nn.ReLU())\n"
        "    if dims[i + 1] == bottleneck:\n"
        "        break  # then it ends in a ReLU\n"
        "net = nn.Sequential(*layers)\n"
        "loss = nn.BCELoss()(net(x), y)\n",
        set(),
    ),
    "an MLP whose loop activates every time round, with a sigmoid last time round": (
        TORCH + "layers = []\n"
        "for i in range(len(dims) - 1):\n"
        "    layers.append(nn.Linear(dims[i], dims[i + 1]))\n"
        "    if i < len(dims) - 2:\n"
        "        layers.append(nn.ReLU())\n"
        "    else:\n"
        "        layers.append(nn.Sigmoid())\n"
        "net = nn.Sequential(*layers)\n"
        "loss = nn.BCEWithLogitsLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "Sequential(*layers[:-1]): a loop's layers without the last activation": (
        TORCH + "layers = []\n"
        "for a, b in zip(sizes[:-1], sizes[1:]):\n"
        "    layers += [nn.Linear(a, b), nn.ReLU()]\n"
        "net = nn.Sequential(*layers[:-1])\n"
        "loss = nn.BCELoss()(net(x), y)\n",
        {"LG001"},
    ),
    "Sequential(*layers[:-2]) of a tail too short to tell": (
        TORCH + "layers = []\n"
        "for a, b in zip(sizes[:-1], sizes[1:]):\n"
        "    layers += [nn.Linear(a, b), nn.ReLU()]\n"
        "net = nn.Sequential(*layers[:-2])\n"
        "loss = nn.BCELoss()(net(x), y)\n",
        set(),
    ),
    "a forward looping over its layers, activating every time round but the last": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = layer(x)",
            last="if i < len(self.layers) - 1:",
            act="x = F.relu(x)",
        ),
        {"LG001"},
    ),
    "a forward indexing its layers by the count, with dropout after the activation": (
        FORWARD_LOOP.format(
            loop="for i in range(len(self.layers)):",
            step="x = self.layers[i](x)",
            last="if i != len(self.layers) - 1:",
            act="x = F.dropout(F.relu(x), 0.1)",
        ),
        {"LG001"},
    ),
    "a forward whose loop softmaxes on the last time round": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = layer(x)",
            last="if i == len(self.layers) - 1:",
            act="x = F.softmax(x, dim=1)",
        ).replace("BCELoss", "CrossEntropyLoss"),
        {"LG002"},
    ),
    "a forward whose loop activates in a conditional expression but the last time round": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = F.relu(layer(x)) if i < len(self.layers) - 1 else layer(x)",
            last="if False:",
            act="pass",
        ),
        {"LG001"},
    ),
    "a forward whose conditional expression the last time round does not decide": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = F.relu(layer(x)) if i < self.depth - 1 else layer(x)",
            last="if False:",
            act="pass",
        ),
        set(),
    ),
    "a forward whose loop activates on a test the last time round does not decide": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = layer(x)",
            last="if i > 0:",
            act="x = F.relu(x)",
        ),
        set(),
    ),
    "a forward whose loop may stop early": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = layer(x)\n            if x.shape[1] == 1:\n                break",
            last="if i < len(self.layers) - 1:",
            act="x = torch.sigmoid(x)",
        ),
        set(),
    ),
    "a loop that binds the name only in an arm its last time round skips": (
        TORCH + "net = nn.Linear(8, 1)\n"
        "x = net(inputs)\n"
        "for i in range(len(blocks)):\n"
        "    if i < len(blocks) - 1:\n"
        "        x = torch.sigmoid(x)\n"
        "loss = nn.BCELoss()(x, y)\n",
        set(),
    ),
    "a list whose loop appends only in rounds before the last": (
        TORCH + "layers = [nn.Linear(8, 1)]\n"
        "for i in range(len(dims) - 1):\n"
        "    if i < len(dims) - 2:\n"
        "        layers.append(nn.Sigmoid())\n"
        "net = nn.Sequential(*layers)\n"
        "loss = nn.BCELoss()(net(x), y)\n",
        set(),
    ),
    "a ModuleList filled every time round a loop, activated but the last, applied in turn": (
        MODULE_LIST_LOOP.format(
            make="self.layers = nn.ModuleList()",
            add="self.layers.append",
            wrap="",
            use=APPLIED_IN_TURN,
        ),
        {"LG001"},
    ),
    "a ModuleList of a list filled in a loop, activated but the last, applied in turn": (
        MODULE_LIST_LOOP.format(
            make="layers = []",
            add="layers.append",
            wrap="self.layers = nn.ModuleList(layers)",
            use=APPLIED_IN_TURN,
        ),
        {"LG001"},
    ),
    "the last of a ModuleList filled in a loop, activated but the last": (
        MODULE_LIST_LOOP.format(
            make="layers = []",
            add="layers.append",
            wrap="self.layers = nn.ModuleList(layers)",
            use="        return self.layers[-1](x)\n",
        ),
        {"LG001"},
    ),
    "the first of a ModuleList whose loop tells only its last elements": (
        MODULE_LIST_LOOP.format(
            make="layers = []",
            add="layers.append",
            wrap="self.layers = nn.ModuleList(layers)",
            use="        return self.layers[0](x)\n",
        ),
        set(),
    ),
    "logits activated in place before a loss on probabilities": (
        IN_PLACE.format(change="out.sigmoid_()", loss="F.binary_cross_entropy(out, y)"),
        set(),
    ),
    "a part of the logits activated by a slice written over": (
        IN_PLACE.format(
            change="out[..., 1:] = torch.sigmoid(out[..., 1:])",
            loss="F.binary_cross_entropy(out[..., 1], y)",
        ),
        set(),
    ),
    "logits clamped in place before a loss on probabilities": (
        IN_PLACE.format(change="out.clamp_(-10, 10)", loss="F.binary_cross_entropy(out, y)"),
        {"LG001"},
    ),
    "logits activated in place only after the loss": (
        IN_PLACE.format(change="pass", loss="F.binary_cross_entropy(out, y)")
        + "    out.sigmoid_()\n",
        {"LG001"},
    ),
    "an MLP whose loop skips the last activation by a continue, trained on logits": (
        CONTINUE_LOOP.format(skip="if i == len(dims) - 2:", loss="BCEWithLogitsLoss"),
        set(),
    ),
    "an MLP whose loop skips the last activation by a continue, trained on probabilities": (
        CONTINUE_LOOP.format(skip="if i == len(dims) - 2:", loss="BCELoss"),
        {"LG001"},
    ),
    "an MLP whose loop skips an activation by a continue on a flag": (
        CONTINUE_LOOP.format(skip="if last:", loss="BCEWithLogitsLoss"),
        set(),
    ),
    "a forward whose loop skips the last activation by a continue": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = layer(x)",
            last="if i == len(self.layers) - 1:",
            act="continue\n            x = F.relu(x)",
        ).replace("BCELoss", "BCEWithLogitsLoss"),
        set(),
    ),
    "a forward whose loop skips the last activation by a continue, trained on probabilities": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = layer(x)",
            last="if i == len(self.layers) - 1:",
            act="continue\n            x = F.relu(x)",
        ),
        {"LG001"},
    ),
    "a forward whose loop may skip the activation by a continue on a flag": (
        FORWARD_LOOP.format(
            loop="for i, layer in enumerate(self.layers):",
            step="x = layer(x)",
            last="if getattr(layer, 'last', False):",
            act="continue\n            x = F.relu(x)",
        ).replace("BCELoss", "BCEWithLogitsLoss"),
        set(),
    ),
    "a Lightning module restored from a checkpoint and cut at 0.5": (
        TORCH + "import lightning.pytorch as pl\n"
        "class LitNet(pl.LightningModule):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 1)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x)\n"
        "    def training_step(self, batch, batch_idx):\n"
        "        x, y = batch\n"
        "        return F.binary_cross_entropy_with_logits(self(x), y)\n"
        "model = LitNet.load_from_checkpoint('last.ckpt')\n"
        "preds = model(x_new) > 0.5\n",
        {"LG009"},
    ),
    "Sequential(*layers) from a comprehension plus a known head": (
        TORCH + "layers = [nn.Linear(8, 8) for _ in range(3)] + [nn.Linear(8, 1)]\n"
        "net = nn.Sequential(*layers)\n"
        "loss = nn.BCELoss()(net(x), y)\n",
        {"LG001"},
    ),
    "ModuleDict head picked by a constant key": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.heads = nn.ModuleDict({'cls': nn.Linear(8, 1), 'box': nn.Linear(8, 4)})\n"
        "    def forward(self, x):\n"
        "        return self.heads['cls'](x)\n"
        "loss = nn.BCELoss()(Net()(x), y)\n",
        {"LG001"},
    ),
    "activation module stored on self": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 3)\n"
        "        self.final_layer = nn.Softmax(dim=1)\n"
        "    def forward(self, x):\n"
        "        return self.final_layer(self.fc(x))\n"
        "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        {"LG002"},
    ),
    "keras model passed to a function that compiles it": (
        KERAS + "def train(model, x, y, loss='sparse_categorical_crossentropy'):\n"
        "    model.compile(optimizer='adam', loss=loss, metrics=['accuracy'])\n"
        "    model.fit(x, y)\n"
        "train(keras.Sequential([keras.layers.Dense(10)]), x, y)\n",
        {"LG001"},
    ),
    "keras loss passed to a function that builds and compiles": (
        KERAS + "def build(loss):\n"
        "    model = keras.Sequential([keras.layers.Dense(3, activation='softmax')])\n"
        "    model.compile(loss=loss)\n"
        "    return model\n"
        "build(keras.losses.CategoricalCrossentropy(from_logits=True))\n",
        {"LG002"},
    ),
    "keras function compiling what it is given, correct twin": (
        KERAS + "def train(model, loss):\n"
        "    model.compile(loss=loss)\n"
        "train(keras.Sequential([keras.layers.Dense(10)]),\n"
        "      keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n",
        set(),
    ),
    "keras model built and compiled by a class method": (
        KERAS + "class Classifier:\n"
        "    def build(self):\n"
        "        self.model = keras.Sequential([keras.layers.Dense(10)])\n"
        "        self.model.compile(loss='sparse_categorical_crossentropy')\n"
        "        return self.model\n",
        {"LG001"},
    ),
    "keras Dense(**cfg) from a literal config": (
        KERAS + "cfg = {'units': 10, 'activation': None}\n"
        "model = keras.Sequential([keras.layers.Dense(**cfg)])\n"
        "model.compile(loss='sparse_categorical_crossentropy')\n",
        {"LG001"},
    ),
    "keras Dense(units=cfg[...], activation=cfg[...])": (
        KERAS + "CFG = {'classes': 1, 'act': 'softmax'}\n"
        "model = keras.Sequential([keras.layers.Dense(CFG['classes'], activation=CFG['act'])])\n"
        "model.compile(loss='binary_crossentropy')\n",
        {"LG004"},
    ),
    # --- shapes inside one file ---------------------------------------------------------------
    "one-unit linear head with CrossEntropyLoss": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 1))\nloss = nn.CrossEntropyLoss()(net(x), y)\n",
        {"LG019"},
    ),
    "one-unit sigmoid head with categorical_crossentropy": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(loss='categorical_crossentropy')\n",
        {"LG019"},
    ),
    "torch Categorical's first argument is probabilities": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 4))\n"
        "dist = torch.distributions.Categorical(net(x))\n"
        "loss = F.cross_entropy(net(x), y)\n",
        {"LG009"},
    ),
    "tfp Categorical given probabilities as logits": (
        KERAS + "import tensorflow_probability as tfp\n"
        "model = keras.Sequential([keras.layers.Dense(4, activation='softmax')])\n"
        "dist = tfp.distributions.Categorical(model(x))\n",
        {"LG012"},
    ),
    "distrax Categorical given probabilities as logits": (
        "import jax\nimport distrax\n"
        "probs = jax.nn.softmax(scores)\n"
        "action = distrax.Categorical(probs).sample(seed=key)\n",
        {"LG012"},
    ),
    "hand-written loss wrapper ignoring its from_logits flag": (
        "import jax\nimport optax\nimport flax.linen as nn\n"
        "class MLP(nn.Module):\n"
        "    @nn.compact\n"
        "    def __call__(self, x):\n"
        "        return jax.nn.softmax(nn.Dense(3)(x))\n"
        "def cross_entropy(preds, labels, from_logits=False):\n"
        "    return optax.softmax_cross_entropy_with_integer_labels(preds, labels).mean()\n"
        "model = MLP()\n"
        "loss = cross_entropy(model.apply(params, x), y, from_logits=False)\n",
        {"LG002"},
    ),
    # --- branches, aliases and chained calls ----------------------------------------------------
    "the same model and loss built in both arms of an if": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(10, 3)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.fc(x), dim=1)\n"
        "if torch.cuda.is_available():\n"
        "    model = Net().cuda()\n"
        "    criterion = nn.CrossEntropyLoss().cuda()\n"
        "else:\n"
        "    model = Net()\n"
        "    criterion = nn.CrossEntropyLoss()\n"
        "loss = criterion(model(x), y)\n",
        {"LG002"},
    ),
    "the output computed in both arms of an if": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "criterion = nn.CrossEntropyLoss()\n"
        "def step(x, y, mode):\n"
        "    if mode == 'eval':\n"
        "        with torch.no_grad():\n"
        "            out = net(x)\n"
        "    else:\n"
        "        out = net(x)\n"
        "    return criterion(out, y)\n",
        {"LG002"},
    ),
    "a model bound in one arm only (the other path is a NameError)": (
        TORCH + "if not resume:\n"
        "    net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "a one-armed if in a loop that binds the name again later": (
        TORCH + "soft = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "raw = nn.Sequential(nn.Linear(4, 3))\n"
        "for step in range(10):\n"
        "    if step % 2:\n"
        "        h = soft(x)\n"
        "    loss = nn.CrossEntropyLoss()(h, y)\n"
        "    h = raw(x)\n",
        set(),
    ),
    "a loss chosen by a flag, used under the same flag": (
        FLAG_CHOSEN_LOSS.format(test="self.discrete", scores="F.softmax(self.fc(x), dim=1)"),
        {"LG002"},
    ),
    "a loss chosen by a flag, given logits under the same flag": (
        FLAG_CHOSEN_LOSS.format(test="self.discrete", scores="self.fc(x)"),
        set(),
    ),
    "a loss chosen by a flag, used under another test": (
        FLAG_CHOSEN_LOSS.format(test="self.training", scores="F.softmax(self.fc(x), dim=1)"),
        set(),
    ),
    "an output reshaped in a one-armed if": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "out = net(x)\n"
        "if out.dim() == 1:\n"
        "    out = out.unsqueeze(0)\n"
        "loss = nn.CrossEntropyLoss()(out, y)\n",
        {"LG002"},
    ),
    "a loss object moved with .cuda()": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "criterion = nn.CrossEntropyLoss().cuda()\n"
        "loss = criterion(net(x), y)\n",
        {"LG002"},
    ),
    "an output resized before the loss": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "loss = nn.CrossEntropyLoss()(net(x).resize(1, 3), y)\n",
        {"LG002"},
    ),
    "a loss object called through .forward()": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "criterion = nn.CrossEntropyLoss()\n"
        "loss = criterion.forward(net(x), y)\n",
        {"LG002"},
    ),
    "functional module aliased by assignment": (
        "import torch.nn as nn\n"
        "fn = nn.functional\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(10, 3)\n"
        "    def forward(self, x):\n"
        "        return fn.softmax(self.fc(x), dim=1)\n"
        "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        {"LG002"},
    ),
    "softmax over the channels of a one-channel convolution": (
        TORCH + "net = nn.Sequential(nn.Conv2d(8, 1, 1), nn.Softmax(dim=1))\nout = net(x)\n",
        {"LG004"},
    ),
    "softmax over another axis of a one-channel convolution": (
        TORCH + "class Scorer(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.gamma = nn.Conv1d(1, 1, 1)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.gamma(x), dim=0)\n"
        "scores = Scorer()(x)\n",
        set(),
    ),
    "implicit softmax axis of a one-channel 1-d convolution": (
        TORCH + "class Scorer(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.gamma = nn.Conv1d(1, 1, 1)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.gamma(x))\n"
        "scores = Scorer()(x)\n",
        set(),
    ),
    "implicit softmax axis of a one-unit linear layer": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 1), nn.Softmax())\nout = net(x)\n",
        {"LG004"},
    ),
    "a project loss module wrapping a logits loss, given probabilities": (
        TORCH + FOCAL_LOSS + "net = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
        "criterion = FocalLoss(gamma=1.5)\n"
        "loss = criterion(net(x), y)\n",
        {"LG002"},
    ),
    "raw logits returned by a predict_proba": (
        predict_proba_wrapper("nn.Linear(64, classes)", "nn.CrossEntropyLoss()", "out"),
        {"LG009"},
    ),
    "softmax probabilities returned by a predict_proba": (
        predict_proba_wrapper(
            "nn.Linear(64, classes)", "nn.CrossEntropyLoss()", "torch.softmax(out, dim=1)"
        ),
        set(),
    ),
    "a sigmoid model's outputs returned by a predict_proba": (
        predict_proba_wrapper("nn.Linear(64, 1), nn.Sigmoid()", "nn.BCELoss()", "out"),
        set(),
    ),
    "a regression model's outputs returned by a predict_proba": (
        predict_proba_wrapper("nn.Linear(64, 1)", "nn.MSELoss()", "out"),
        set(),
    ),
    "a Keras logits model's predictions returned by a predict_proba": (
        keras_predict_proba_wrapper("self.model.predict(X)"),
        {"LG009"},
    ),
    "a Keras logits model's predictions put through a softmax by a predict_proba": (
        keras_predict_proba_wrapper("tf.nn.softmax(self.model.predict(X))"),
        set(),
    ),
    "a softmax read out of a multi-label head trained with BCEWithLogitsLoss": (
        multi_label_read_out("nn.Linear(64, 20)", "torch.softmax(model(x), dim=1)"),
        {"LG024"},
    ),
    "a softmax over the last axis of a multi-label head, by method": (
        multi_label_read_out("nn.Linear(64, 20)", "model(x).softmax(-1)"),
        {"LG024"},
    ),
    "sigmoids read out of a multi-label head": (
        multi_label_read_out("nn.Linear(64, 20)", "torch.sigmoid(model(x))"),
        set(),
    ),
    "a softmax over the batch of a multi-label head": (
        multi_label_read_out("nn.Linear(64, 20)", "torch.softmax(model(x), dim=0)"),
        set(),
    ),
    "a softmax read out of a two-unit head trained with BCEWithLogitsLoss": (
        multi_label_read_out("nn.Linear(64, 2)", "torch.softmax(model(x), dim=1)"),
        set(),
    ),
    "a sigmoid model's outputs given to BCELoss and put through a sigmoid again, once": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
        "criterion = nn.BCELoss()\n"
        "for x, y in loader:\n"
        "    out = model(x)\n"
        "    loss = criterion(out.squeeze(), y)\n"
        "    hits = (torch.sigmoid(out.squeeze()) >= 0.5).float()\n",
        ["LG021"],
    ),
    "a Sequential subclass whose forward ends in super().forward(x)": (
        sequential_subclass("nn.Softmax(dim=-1)", "super().forward(x)"),
        {"LG002"},
    ),
    "a Sequential subclass whose forward ends in super(Probe, self).forward(x)": (
        sequential_subclass("nn.Softmax(dim=-1)", "super(Probe, self).forward(x)"),
        {"LG002"},
    ),
    "a Sequential subclass of logits whose forward ends in super().forward(x)": (
        sequential_subclass("nn.Identity()", "super().forward(x)"),
        set(),
    ),
    "a tape loop's log of a softmax kept in a name, then summed": (
        tape_cross_entropy("logp = tf.math.log(tf.nn.softmax(model(x)))"),
        {"LG011"},
    ),
    "a tape loop's log of clipped probabilities kept in a name": (
        tape_cross_entropy(
            "logp = tf.math.log(tf.clip_by_value(tf.nn.softmax(model(x)), 1e-7, 1.0))"
        ),
        set(),
    ),
    "a tape loop's log of raw scores kept in a name, beside a softmax": (
        tape_cross_entropy("logp = tf.math.log(model(x))")
        + "probs = tf.nn.softmax(model(x_test))\n",
        {"LG001"},
    ),
    "a custom Keras loss reduced by K.sum then K.mean over a log of a softmax": (
        KERAS + "import keras.backend as K\n"
        "def ce(labels, scores):\n"
        "    probs = K.softmax(scores)\n"
        "    return -K.mean(K.sum(labels * K.log(probs), axis=-1))\n"
        "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "model.compile(loss=ce, optimizer='sgd')\n",
        {"LG011"},
    ),
    "a Keras activation looked up by keras.activations.get": (
        KERAS + "def build(activation='sigmoid'):\n"
        "    act = keras.activations.get(activation)\n"
        "    return keras.Sequential([keras.layers.Dense(1, activation=act)])\n"
        "model = build(activation='softmax')\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n",
        {"LG004"},
    ),
    "a Keras sigmoid looked up by keras.activations.get": (
        KERAS + "head = keras.layers.Dense(1, activation=keras.activations.get('sigmoid'))\n"
        "model = keras.Sequential([head])\n"
        "model.compile(optimizer='adam', loss=keras.losses.BinaryCrossentropy(from_logits=True))\n",
        {"LG002"},
    ),
    "a Keras model's log-likelihood of a sequence, kept in a name and read out as NumPy": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(10)])\n"
        "def log_likelihood(x, idx):\n"
        "    out = model(x)\n"
        "    out = tf.math.log(tf.nn.softmax(out[0]))\n"
        "    total = tf.reduce_sum(tf.gather_nd(out, idx))\n"
        "    return total.numpy()\n",
        set(),
    ),
    "a Keras model's log-likelihood kept in a name and trained on": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(10)])\n"
        "with tf.GradientTape() as tape:\n"
        "    out = model(x)\n"
        "    out = tf.math.log(tf.nn.softmax(out[0]))\n"
        "    total = -tf.reduce_sum(tf.gather_nd(out, idx))\n"
        "grads = tape.gradient(total, model.trainable_variables)\n",
        {"LG011"},
    ),
    "a timm model's logits into BCELoss": (
        TIMM + "model = timm.create_model('efficientnet_b0', pretrained=True, num_classes=1)\n"
        "loss = nn.BCELoss()(model(x).squeeze(1), y)\n",
        {"LG001"},
    ),
    "a timm model's logits cut at 0.5": (
        TIMM + "model = timm.create_model('resnet18', num_classes=1)\n"
        "loss = nn.BCEWithLogitsLoss()(model(x), y)\n"
        "hits = (model(x) > 0.5).float()\n",
        {"LG009"},
    ),
    "a timm model's logits into CrossEntropyLoss": (
        TIMM + "model = timm.create_model('resnet50', pretrained=True, num_classes=5)\n"
        "loss = nn.CrossEntropyLoss()(model(x), y)\n"
        "probs = torch.softmax(model(x), dim=1)\n",
        set(),
    ),
    "a timm model whose head the program sets to a sigmoid": (
        TIMM + "model = timm.create_model('resnet18', pretrained=True)\n"
        "model.fc = nn.Sequential(nn.Linear(512, 1), nn.Sigmoid())\n"
        "loss = nn.BCEWithLogitsLoss()(model(x), y)\n",
        {"LG002"},
    ),
    "a timm backbone without its classifier": (
        TIMM + "backbone = timm.create_model('resnet18', pretrained=True, num_classes=0)\n"
        "loss = nn.BCELoss()(backbone(x), y)\n"
        "features = timm.create_model('resnet18', features_only=True)\n"
        "loss = nn.BCELoss()(features(x), y)\n",
        set(),
    ),
    "a timm model whose classifier is reset": (
        TIMM + "model = timm.create_model('resnet18', pretrained=True, num_classes=10)\n"
        "model.reset_classifier(0)\n"
        "loss = nn.BCELoss()(model(x), y)\n",
        set(),
    ),
    "a project loss built on PyTorch's _WeightedLoss, given probabilities": (
        TORCH
        + "from torch.nn.modules.loss import _WeightedLoss\n"
        + FOCAL_LOSS.replace("(nn.Module)", "(_WeightedLoss)")
        + "net = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
        "loss = FocalLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "a project loss built on nn.modules.loss._Loss, given logits": (
        TORCH
        + FOCAL_LOSS.replace("(nn.Module)", "(nn.modules.loss._Loss)")
        + "net = nn.Sequential(nn.Linear(8, 1))\n"
        "loss = FocalLoss()(net(x), y)\n",
        set(),
    ),
    "a project loss built on nn.modules.loss._Loss, given probabilities": (
        TORCH
        + FOCAL_LOSS.replace("(nn.Module)", "(nn.modules.loss._Loss)")
        + "net = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
        "loss = FocalLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "a project loss module wrapping a logits loss, given logits": (
        TORCH + FOCAL_LOSS + "net = nn.Sequential(nn.Linear(8, 1))\n"
        "loss = FocalLoss()(net(x), y)\n",
        set(),
    ),
    "a project loss module that activates its input itself": (
        TORCH + "class SigmoidBCE(nn.Module):\n"
        "    def forward(self, scores, targets):\n"
        "        scores = torch.sigmoid(scores)\n"
        "        return F.binary_cross_entropy(scores, targets)\n"
        "net = nn.Sequential(nn.Linear(8, 1))\n"
        "loss = SigmoidBCE()(net(x), y)\n",
        set(),
    ),
    "a model calling itself through __call__ with a loss handed over by a setter": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(10, 4)\n"
        "        self.softmax = nn.Softmax(dim=1)\n"
        "    def forward(self, x):\n"
        "        return self.softmax(self.fc(x))\n"
        "    def set_loss(self, loss_op):\n"
        "        self.loss_op = loss_op\n"
        "    def run_epoch(self, loader):\n"
        "        for x, y in loader:\n"
        "            loss = self.loss_op(self.__call__(x), y)\n"
        "model = Net()\n"
        "model.set_loss(nn.NLLLoss())\n"
        "model.run_epoch(loader)\n",
        {"LG010"},
    ),
    # --- Keras and TensorFlow: objects, helpers, wrappers -----------------------------------------
    "TimeDistributed softmax head with a binary loss": (
        TIME_DISTRIBUTED_SOFTMAX.format(loss="binary_crossentropy"),
        {"LG005"},
    ),
    "TimeDistributed softmax head with a categorical loss": (
        TIME_DISTRIBUTED_SOFTMAX.format(loss="categorical_crossentropy"),
        set(),
    ),
    "TF1 graph class keeping its softmax on self": (
        TF1_GRAPH_CLASS.format(given="probs"),
        {"LG002"},
    ),
    "TF1 graph class giving its logits on self": (
        TF1_GRAPH_CLASS.format(given="scores"),
        set(),
    ),
    "output of a model's own method read as logits": (
        KERAS + "import tensorflow_probability as tfp\n"
        "class Agent(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.hidden = keras.layers.Dense(32, activation='relu')\n"
        "        self.policy = keras.layers.Dense(4, activation='softmax')\n"
        "    def action_probs(self, state):\n"
        "        return self.policy(self.hidden(state))\n"
        "agent = Agent()\n"
        "dist = tfp.distributions.Categorical(agent.action_probs(s))\n",
        {"LG012"},
    ),
    "output of a model's own method read as probabilities": (
        KERAS + "import tensorflow_probability as tfp\n"
        "class Agent(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.policy = keras.layers.Dense(4, activation='softmax')\n"
        "    def action_probs(self, state):\n"
        "        return self.policy(state)\n"
        "agent = Agent()\n"
        "dist = tfp.distributions.Categorical(probs=agent.action_probs(s))\n",
        set(),
    ),
    "a head layer set by the base class's __init__": (
        KERAS + "import tensorflow_probability as tfp\n"
        "class Actor(keras.Model):\n"
        "    def __init__(self, actions):\n"
        "        super().__init__()\n"
        "        self.out = keras.layers.Dense(actions, activation='softmax')\n"
        "class ActorCritic(Actor):\n"
        "    def __init__(self, actions):\n"
        "        super().__init__(actions)\n"
        "        self.value = keras.layers.Dense(1)\n"
        "    def call(self, x):\n"
        "        dist = tfp.distributions.Categorical(self.out(x))\n"
        "        return dist.sample(), self.value(x)\n",
        {"LG012"},
    ),
    "a Sequential subclass handing its layers to super().__init__": (
        KERAS + "class Classifier(keras.Sequential):\n"
        "    def __init__(self, classes=10):\n"
        "        top = keras.layers.Dense(classes, activation='softmax')\n"
        "        parts = [keras.layers.Flatten(), top]\n"
        "        super().__init__(parts)\n"
        "model = Classifier()\n"
        "model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n",
        {"LG002"},
    ),
    "a Sequential subclass adding its head in __init__": (
        KERAS + "class Classifier(keras.Sequential):\n"
        "    def __init__(self):\n"
        "        super().__init__([keras.layers.Flatten()])\n"
        "        self.add(keras.layers.Dense(10))\n"
        "model = Classifier()\n"
        "model.compile(loss='categorical_crossentropy')\n",
        {"LG001"},
    ),
    "a Sequential subclass adding its head in a branch": (
        KERAS + "class Classifier(keras.Sequential):\n"
        "    def __init__(self, top=True):\n"
        "        super().__init__([keras.layers.Flatten()])\n"
        "        if top:\n"
        "            self.add(keras.layers.Dense(10))\n"
        "model = Classifier()\n"
        "model.compile(loss='categorical_crossentropy')\n",
        set(),
    ),
    "a Keras loss helper given the model's output": (
        KERAS + "disc = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\n"
        "bce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "def real_loss(output):\n"
        "    return bce(tf.ones_like(output), output)\n"
        "def train_step(images):\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = real_loss(disc(images, training=True))\n",
        {"LG002"},
    ),
    "a Keras loss helper given logits": (
        KERAS + "disc = keras.Sequential([keras.layers.Dense(1)])\n"
        "bce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "def real_loss(output):\n"
        "    return bce(tf.ones_like(output), output)\n"
        "def train_step(images):\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = real_loss(disc(images, training=True))\n",
        set(),
    ),
    "TF1 log_loss on a dense layer's logits": (
        KERAS + "def build(x):\n"
        "    return tf.compat.v1.layers.dense(x, 1)\n"
        "loss = tf.compat.v1.losses.log_loss(y, build(x))\n",
        {"LG001"},
    ),
    "TF1 log_loss on sigmoid probabilities": (
        KERAS + "def build(x):\n"
        "    return tf.compat.v1.layers.dense(x, 1, activation=tf.nn.sigmoid)\n"
        "loss = tf.compat.v1.losses.log_loss(labels=y, predictions=build(x))\n",
        set(),
    ),
    "a compiled model trained itself and also applied to a tensor": (
        KERAS + "clf = keras.Sequential([keras.layers.Dense(10)])\n"
        "clf.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "clf.fit(x, y)\n"
        "features = clf(x)\n",
        {"LG001"},
    ),
    "a cross-entropy written by hand on a softmax (TF1)": (
        KERAS + "W = tf.Variable(tf.zeros([20, 10]))\n"
        "probs = tf.nn.softmax(tf.matmul(x, W))\n"
        "loss = -tf.reduce_sum(y * tf.math.log(probs))\n",
        {"LG011"},
    ),
    "a cross-entropy written by hand on clipped softmax probabilities (PyTorch)": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))\n"
        "loss = -(y * torch.log(torch.clamp(model(x), 1e-7, 1.0))).sum(dim=1).mean()\n",
        set(),
    ),
    "a cross-entropy written by hand on clipped probabilities (TF1)": (
        KERAS + "W = tf.Variable(tf.zeros([20, 10]))\n"
        "probs = tf.nn.softmax(tf.matmul(x, W))\n"
        "loss = -tf.reduce_sum(y * tf.math.log(tf.clip_by_value(probs, 1e-10, 1.0)))\n",
        set(),
    ),
    "a compiled model applied to data, never fit in the file": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(3)])\n"
        "print(model(tf.constant([[0.0, 1.0]])).numpy())\n"
        "model.compile(optimizer='adam', loss=keras.losses.categorical_crossentropy)\n",
        {"LG001"},
    ),
    "units passed to a builder, compiled by the caller": (
        KERAS + "def build(classes, act='softmax'):\n"
        "    model = keras.Sequential()\n"
        "    model.add(keras.layers.Dense(64, activation='relu'))\n"
        "    model.add(keras.layers.Dense(classes, activation=act))\n"
        "    return model\n"
        "model = build(1)\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n",
        {"LG004"},
    ),
    "units passed to a builder that compiles": (
        KERAS + "def create_model(n):\n"
        "    m = keras.Sequential([keras.layers.Dense(n, activation='softmax')])\n"
        "    m.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "    return m\n"
        "model = create_model(10)\n"
        "model.fit(x, y)\n",
        {"LG005"},
    ),
    "two units passed to a builder with a binary loss": (
        KERAS + "def create_model(n):\n"
        "    m = keras.Sequential([keras.layers.Dense(n, activation='softmax')])\n"
        "    m.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "    return m\n"
        "model = create_model(2)\n"
        "model.fit(x, y)\n",
        set(),
    ),
    "units passed to a builder from the command line": (
        KERAS + "def create_model(n):\n"
        "    m = keras.Sequential([keras.layers.Dense(n, activation='softmax')])\n"
        "    m.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "    return m\n"
        "model = create_model(args.classes)\n"
        "model.fit(x, y)\n",
        set(),
    ),
    # --- silence when unsure ------------------------------------------------------------------
    "two possible heads for one loss": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3)) if raw else "
        "nn.Sequential(nn.Linear(4, 3), nn.Softmax(1))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "loss chosen by a runtime key": (
        TORCH + "LOSSES = {'ce': nn.CrossEntropyLoss(), 'nll': nn.NLLLoss()}\n"
        "criterion = LOSSES[args.loss]\n"
        "loss = criterion(nn.Sequential(nn.Linear(4, 3))(x), y)\n",
        set(),
    ),
    "layers appended in a branch": (
        TORCH + "layers = [nn.Linear(4, 3)]\n"
        "if probs:\n"
        "    layers.append(nn.Softmax(dim=1))\n"
        "net = nn.Sequential(*layers)\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "a model built in both arms of an if, differently": (
        TORCH + "if probs:\n"
        "    net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "else:\n"
        "    net = nn.Sequential(nn.Linear(4, 3))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "an output activated in a one-armed if": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3))\n"
        "out = net(x)\n"
        "if probs:\n"
        "    out = F.softmax(out, dim=1)\n"
        "loss = nn.CrossEntropyLoss()(out, y)\n",
        set(),
    ),
    "different losses in the arms of an if": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3))\n"
        "if weighted:\n"
        "    criterion = nn.CrossEntropyLoss()\n"
        "else:\n"
        "    criterion = nn.NLLLoss()\n"
        "loss = criterion(net(x), y)\n",
        set(),
    ),
    "one-unit scores regrouped into choices": (
        TORCH + "class Chooser(nn.Module):\n"
        "    def __init__(self, hidden, choices):\n"
        "        super().__init__()\n"
        "        self.choices = choices\n"
        "        self.score = nn.Linear(hidden, 1)\n"
        "    def forward(self, x, labels):\n"
        "        flat = self.score(x).view(-1, self.choices)\n"
        "        return nn.CrossEntropyLoss()(flat, labels)\n",
        set(),
    ),
    "one-unit scores over positions, squeezed": (
        TORCH + "class Pointer(nn.Module):\n"
        "    def __init__(self, hidden):\n"
        "        super().__init__()\n"
        "        self.score = nn.Linear(hidden, 1)\n"
        "    def forward(self, tokens, position):\n"
        "        return F.cross_entropy(self.score(tokens).squeeze(-1), position)\n",
        set(),
    ),
    "one-unit scores reshaped by torch.reshape": (
        TORCH + "scorer = nn.Linear(16, 1)\n"
        "scores = torch.reshape(scorer(candidates), (batch, -1))\n"
        "loss = nn.CrossEntropyLoss()(scores, best)\n",
        set(),
    ),
    "a GAN generator compiled but trained inside the combined model": (
        KERAS + "gen = keras.Sequential([keras.layers.Dense(784, activation='tanh')])\n"
        "gen.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "disc = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\n"
        "disc.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "z = keras.Input((100,))\n"
        "combined = keras.Model(z, disc(gen(z)))\n"
        "combined.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "disc.train_on_batch(images, real)\n"
        "combined.train_on_batch(noise, real)\n",
        set(),
    ),
    "a model bound in one arm, imported before it": (
        TORCH + "from models import net\n"
        "if not resume:\n"
        "    net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "a model bound in one arm, after a star import": (
        TORCH + "from models import *\n"
        "if not resume:\n"
        "    net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "a loop over the rows of softmax outputs": (
        TORCH + "from zoo import scorer\n"
        "outputs = torch.softmax(scorer(x), dim=-1)\n"
        "criterion = nn.CrossEntropyLoss()\n"
        "total = 0\n"
        "for out in outputs:\n"
        "    total = total + criterion(out, target)\n",
        {"LG002"},
    ),
    "a loop over a tuple of a softmax model's outputs": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "for out in (net(a), net(b)):\n"
        "    loss = F.cross_entropy(out, y)\n",
        {"LG002"},
    ),
    "a loop over a tuple of a softmax and a logits output": (
        TORCH + "net = nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1))\n"
        "raw = nn.Sequential(nn.Linear(4, 3))\n"
        "for out in (net(a), raw(b)):\n"
        "    loss = F.cross_entropy(out, y)\n",
        set(),
    ),
    "a head built in both arms of an if, a softmax at the end of each": (
        TORCH_HEAD_BY_ARMS.format(shallow="nn.Softmax(dim=1)", deep="nn.Softmax(dim=1)", units=10),
        {"LG002"},
    ),
    "a head built in both arms of an if, only one ending in a softmax": (
        TORCH_HEAD_BY_ARMS.format(shallow="nn.Softmax(dim=1)", deep="nn.Identity()", units=10),
        set(),
    ),
    "a head built in both arms of an if with different units": (
        TORCH_HEAD_BY_ARMS.format(shallow="nn.Softmax(dim=1)", deep="nn.Softmax(dim=1)", units=1),
        set(),
    ),
    "a softmax model's output put through a softmax over the same axis": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))\n"
        "confidence = F.softmax(net(x), dim=1).max(dim=1)\n",
        {"LG021"},
    ),
    "a one-unit softmax model's output put through a softmax again": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 1), nn.Softmax(dim=1))\n"
        "again = F.softmax(net(x), dim=1)\n",
        {"LG004", "LG021"},  # the one unit at the head, the second softmax where it is
    ),
    "TF1: a helper's softmax of an affine layer put through a softmax again": (
        "import tensorflow as tf\n"
        "def model(x, w, b):\n"
        "    return tf.nn.softmax(tf.matmul(x, w) + b)\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 10])\n"
        "w = tf.Variable(tf.zeros([10, 3]))\n"
        "b = tf.Variable(tf.zeros([3]))\n"
        "shown = tf.nn.softmax(model(x, w, b), name='probabilities')\n",
        {"LG021"},
    ),
    "TF1: a dense layer's sigmoid put through a sigmoid again": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 10])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 1])\n"
        "p = tf.compat.v1.layers.dense(x, 1, activation=tf.sigmoid)\n"
        "loss = tf.compat.v1.losses.log_loss(y, p)\n"
        "flags = tf.sigmoid(p)\n",
        {"LG021"},
    ),
    "TF: attention weights over one axis softmaxed again over the last, no layer": (
        "import tensorflow as tf\n"
        "def attend(q, k):\n"
        "    weights = tf.nn.softmax(tf.matmul(q, k, transpose_b=True), axis=1)\n"
        "    return tf.nn.softmax(weights)\n",
        set(),
    ),
    "a softmax model's output put through a softmax over another axis": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=1))\n"
        "over_batch = F.softmax(net(x), dim=0)\n",
        set(),
    ),
    "a model's softmax over dim 1 put through one over dim -1, the same classes' axis": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 4)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.fc(x), dim=1)\n"
        "net = Net()\n"
        "shown = torch.softmax(net(x), dim=-1)\n",
        {"LG021"},
    ),
    "a helper's softmax over dim -1 put through one over dim 1": (
        TORCH + "def scores(model, x):\n"
        "    return model(x).softmax(-1)\n"
        "net = nn.Linear(8, 4)\n"
        "top, label = F.softmax(scores(net, x), dim=1).max(dim=1)\n",
        {"LG021"},
    ),
    "a sigmoid model's output rebound to its sigmoid and cut at 0.5": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 1), nn.Sigmoid())\n"
        "out = net(x)\n"
        "loss = nn.BCELoss()(out, y)\n"
        "out = torch.sigmoid(out)\n"
        "predicted = out > 0.5\n",
        {"LG021"},
    ),
    "a helper object's method returns softmax scores, softmaxed again": (
        TORCH + "class Scorer:\n"
        "    def __init__(self, model):\n"
        "        self.model = model\n"
        "    def probabilities(self, x):\n"
        "        scores = self.model(x)\n"
        "        return F.softmax(scores, dim=1)\n"
        "net = nn.Sequential(nn.Linear(16, 3))\n"
        "probs = Scorer(net).probabilities(x)\n"
        "flattened = torch.softmax(probs, dim=1)\n",
        {"LG021"},
    ),
    "a helper object's method returns softmax scores, used once": (
        TORCH + "class Scorer:\n"
        "    def __init__(self, model):\n"
        "        self.model = model\n"
        "    def probabilities(self, x):\n"
        "        return F.softmax(self.model(x), dim=1)\n"
        "net = nn.Sequential(nn.Linear(16, 3))\n"
        "probs = Scorer(net).probabilities(x)\n"
        "top = probs.argmax(dim=1)\n",
        set(),
    ),
    "a model's own method returning probabilities, given to cross-entropy": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(16, 3)\n"
        "    def forward(self, x):\n"
        "        return self.fc(x)\n"
        "    def predict_proba(self, x):\n"
        "        return F.softmax(self.forward(x), dim=1)\n"
        "model = Net()\n"
        "loss = F.cross_entropy(model.predict_proba(x), y)\n",
        {"LG002"},
    ),
    "a container module applying the modules its constructor takes as *args in turn": (
        CHAIN + "net = Chain(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3), nn.Softmax(dim=1))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "a container module given *args ending in a linear layer": (
        CHAIN + "net = Chain(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "a container module given its modules unpacked from a list": (
        CHAIN + "layers = [nn.Linear(8, 16), nn.Softmax(dim=1)]\n"
        "layers.pop()\n"
        "net = Chain(*layers)\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n",
        set(),
    ),
    "a wrapper module applying the softmax layer it is given": (
        TORCH_WRAPPER.format(given="nn.Sequential(self.fc, nn.Softmax(dim=1))"),
        {"LG002"},
    ),
    "a wrapper module applying the linear layer it is given": (
        TORCH_WRAPPER.format(given="self.fc"),
        set(),
    ),
    "the exp of a log_softmax is a softmax": (
        TORCH + "class Ranker(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(32, 5)\n"
        "        self.log_softmax = nn.LogSoftmax(dim=-1)\n"
        "    def forward(self, x):\n"
        "        return torch.exp(self.log_softmax(self.fc(x)))\n"
        "loss = nn.CrossEntropyLoss()(Ranker()(x), y)\n",
        {"LG002"},
    ),
    "the exp method of log-probabilities, given to NLLLoss after a log": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 4), nn.LogSoftmax(dim=1))\n"
        "probs = net(x).exp()\n"
        "loss = nn.NLLLoss()(probs.log(), y)\n",
        {"LG011"},
    ),
    "the exp of raw scores is no softmax": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 4))\n"
        "loss = nn.CrossEntropyLoss()(torch.exp(net(x)), y)\n",
        set(),
    ),
    "a Keras feature extractor compiled out of habit and only used to predict": (
        KERAS + "extractor = keras.Sequential([keras.layers.Dense(64, activation='relu')])\n"
        "for i, layer in enumerate(extractor.layers):\n"
        "    layer.set_weights(trained.layers[i].get_weights())\n"
        "extractor.compile(loss='categorical_crossentropy', optimizer='sgd')\n"
        "features = extractor.predict(x)\n",
        set(),
    ),
    "a Keras model given weights, compiled, used to predict, and saved for a later script": (
        KERAS + "extractor = keras.Sequential([keras.layers.Dense(64, activation='relu')])\n"
        "extractor.load_weights('pretrained.weights.h5')\n"
        "extractor.compile(loss='categorical_crossentropy', optimizer='sgd')\n"
        "features = extractor.predict(x)\n"
        "extractor.save('extractor.keras')\n",
        {"LG016"},
    ),
    "a Keras model compiled and used to predict in a snippet that leaves out its training": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(64, activation='relu')])\n"
        "model.compile(loss='categorical_crossentropy', optimizer='sgd')\n"
        "print(model.predict(x))\n",
        {"LG016"},
    ),
    "a Keras model compiled here and handed to a training function": (
        KERAS + "from training import train\n"
        "extractor = keras.Sequential([keras.layers.Dense(64, activation='relu')])\n"
        "extractor.compile(loss='categorical_crossentropy', optimizer='sgd')\n"
        "train(extractor)\n",
        {"LG016"},
    ),
    "a PyTorch model made with one class by its constructor's argument": (
        TORCH_UNITS_BY_CONSTRUCTOR + "model = Net(classes=1)\n"
        "loss = nn.CrossEntropyLoss()(model(x), y)\n",
        {"LG019"},
    ),
    "a PyTorch model made with one class by its constructor's default": (
        TORCH_UNITS_BY_CONSTRUCTOR.replace("classes)", "classes=1)", 1) + "model = Net()\n"
        "loss = nn.CrossEntropyLoss()(model(x), y)\n",
        {"LG019"},
    ),
    "a PyTorch model made with ten classes by its constructor's argument": (
        TORCH_UNITS_BY_CONSTRUCTOR + "model = Net(10)\nloss = nn.CrossEntropyLoss()(model(x), y)\n",
        set(),
    ),
    "a PyTorch model made with one or ten classes by the arms of an if": (
        TORCH_UNITS_BY_CONSTRUCTOR + "if binary:\n"
        "    model = Net(1)\n"
        "else:\n"
        "    model = Net(10)\n"
        "loss = nn.CrossEntropyLoss()(model(x), y)\n",
        set(),
    ),
    "a base class's training step run on a subclass whose forward applies softmax": (
        TORCH_BASE_CLASS_LOOP.format(activation="F.softmax(self.fc(x), dim=1)"),
        {"LG002"},
    ),
    "a base class's training step run on a subclass whose forward gives logits": (
        TORCH_BASE_CLASS_LOOP.format(activation="self.fc(x) * 2"),
        set(),
    ),
    "a base class's forward applying a softmax head that a subclass puts on self": (
        TORCH_HEAD_REPLACED_BY_SUBCLASS.format(
            base_head="nn.Linear(8, 3)",
            sub_head="nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))",
        ),
        {"LG002"},
    ),
    "a base class's forward applying a logits head that a subclass puts on self": (
        TORCH_HEAD_REPLACED_BY_SUBCLASS.format(
            base_head="nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))",
            sub_head="nn.Linear(8, 3)",
        ),
        set(),
    ),
    "a trainer's base class loop calling the subclass's loss on softmax outputs": (
        TORCH_TRAINER_HIERARCHY.format(output="F.softmax(self.fc(x), dim=-1)"),
        {"LG002"},
    ),
    "a trainer's base class loop calling the subclass's loss on logits": (
        TORCH_TRAINER_HIERARCHY.format(output="self.fc(x)"),
        set(),
    ),
    "a loss chosen by a constant name in a helper, on softmax outputs": (
        TORCH_CRITERION_BY_NAME.format(name="'ce'"),
        {"LG002"},
    ),
    "a regression loss chosen by a constant name in a helper": (
        TORCH_CRITERION_BY_NAME.format(name="'mse'"),
        set(),
    ),
    "a loss chosen by a name only known when the program runs": (
        TORCH_CRITERION_BY_NAME.format(name="args.loss"),
        set(),
    ),
    "a softmax head chosen by a constructor flag's default": (
        TORCH_HEAD_BY_FLAG.format(passed=""),
        {"LG002"},
    ),
    "a logits head chosen by a constructor flag": (
        TORCH_HEAD_BY_FLAG.format(passed="head='linear'"),
        set(),
    ),
    "a head chosen by a flag only known when the program runs": (
        TORCH_HEAD_BY_FLAG.format(passed="head=args.head"),
        set(),
    ),
    "a softmax applied in forward by a flag stored on self": (
        TORCH_SOFTMAX_BY_STORED_FLAG.format(passed=""),
        {"LG002"},
    ),
    "a softmax left out in forward by a flag stored on self": (
        TORCH_SOFTMAX_BY_STORED_FLAG.format(passed="False"),
        set(),
    ),
    "a forward returning softmax early when its caller asks": (
        TORCH_SOFTMAX_BY_FORWARD_FLAG.format(passed="x, probabilities=True"),
        {"LG002"},
    ),
    "a forward returning logits when its caller does not ask for softmax": (
        TORCH_SOFTMAX_BY_FORWARD_FLAG.format(passed="x"),
        set(),
    ),
    "logits cut at a threshold held in a module constant of 0.5": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))\n"
        "THRESHOLD = 0.5\n"
        "loss = nn.BCEWithLogitsLoss()(model(x), y)\n"
        "predicted = model(x_test) > THRESHOLD\n",
        {"LG009"},
    ),
    "logits cut at a threshold of 0.0 held in a module constant": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))\n"
        "THRESHOLD = 0.0\n"
        "loss = nn.BCEWithLogitsLoss()(model(x), y)\n"
        "predicted = model(x_test) > THRESHOLD\n",
        set(),
    ),
    "logits cut at a threshold an evaluator object keeps on self": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))\n"
        "loss = nn.BCEWithLogitsLoss()(model(x), y)\n"
        "class Evaluator:\n"
        "    def __init__(self, net):\n"
        "        self.net = net\n"
        "        self.threshold = 0.5\n"
        "    def predict(self, x):\n"
        "        return self.net(x) >= self.threshold\n"
        "Evaluator(model).predict(x_test)\n",
        {"LG009"},
    ),
    "a sigmoid head trained with MultiLabelSoftMarginLoss": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 6), nn.Sigmoid())\n"
        "loss = nn.MultiLabelSoftMarginLoss()(model(x), y)\n",
        {"LG002"},
    ),
    "a logits head trained with MultiLabelSoftMarginLoss": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 6))\n"
        "loss = F.multilabel_soft_margin_loss(model(x), y)\n",
        set(),
    ),
    "SciPy's softmax of a softmax model's outputs turned into NumPy": (
        TORCH + "import scipy.special\n"
        "net = nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))\n"
        "probs = scipy.special.softmax(net(x).detach().numpy(), axis=1)\n",
        {"LG021"},
    ),
    "SciPy's softmax of a logits model's outputs turned into NumPy": (
        TORCH + "from scipy.special import softmax\n"
        "net = nn.Sequential(nn.Linear(8, 3))\n"
        "loss = nn.CrossEntropyLoss()(net(x), y)\n"
        "probs = softmax(net(x).detach().numpy(), axis=1)\n",
        set(),
    ),
    "a Hugging Face classifier's logits given to BCELoss": (
        TORCH + "from transformers import AutoModelForSequenceClassification\n"
        "model = AutoModelForSequenceClassification.from_pretrained('bert', num_labels=6)\n"
        "for batch in loader:\n"
        "    outputs = model(input_ids=batch['ids'], attention_mask=batch['mask'])\n"
        "    nn.BCELoss()(outputs.logits, batch['labels']).backward()\n",
        {"LG001"},
    ),
    "a Hugging Face classifier's logits given to BCEWithLogitsLoss and a sigmoid": (
        TORCH + "from transformers import AutoModelForSequenceClassification\n"
        "model = AutoModelForSequenceClassification.from_pretrained('bert', num_labels=6)\n"
        "logits = model(**batch).logits\n"
        "loss = nn.BCEWithLogitsLoss()(logits, labels)\n"
        "predicted = torch.sigmoid(model(**test_batch)['logits']) > 0.5\n",
        set(),
    ),
    "a Hugging Face classifier's logits cut at 0.5": (
        TORCH + "import transformers\n"
        "model = transformers.BertForSequenceClassification.from_pretrained('bert')\n"
        "loss = nn.BCEWithLogitsLoss()(model(**batch).logits, labels)\n"
        "predicted = model(**test_batch).logits > 0.5\n",
        {"LG009"},
    ),
    "a Hugging Face classifier whose classifier layer the program replaces with a softmax": (
        TORCH + "from transformers import AutoModelForSequenceClassification\n"
        "model = AutoModelForSequenceClassification.from_pretrained('bert', num_labels=3)\n"
        "model.classifier = nn.Sequential(nn.Linear(768, 3), nn.Softmax(dim=-1))\n"
        "loss = nn.CrossEntropyLoss()(model(**batch).logits, labels)\n",
        {"LG002"},
    ),
    "a Hugging Face classifier given something the analysis cannot read as its head": (
        TORCH + "from transformers import AutoModelForSequenceClassification\n"
        "model = AutoModelForSequenceClassification.from_pretrained('bert', num_labels=3)\n"
        "model.score = build_head()\n"
        "loss = nn.NLLLoss()(model(**batch).logits, labels)\n",
        set(),
    ),
    "a Hugging Face classifier given a softmax head and another layer the analysis cannot place": (
        TORCH + "from transformers import AutoModelForSequenceClassification\n"
        "model = AutoModelForSequenceClassification.from_pretrained('bert', num_labels=3)\n"
        "model.classifier = nn.Sequential(nn.Linear(768, 3), nn.Softmax(dim=-1))\n"
        "model.score = build_head()\n"
        "loss = nn.CrossEntropyLoss()(model(**batch).logits, labels)\n",
        set(),
    ),
    "a Hugging Face language model's next-token logits sampled as probabilities": (
        TORCH + "from transformers import AutoModelForCausalLM\n"
        "model = AutoModelForCausalLM.from_pretrained('gpt2')\n"
        "logits = model(input_ids).logits[:, -1, :]\n"
        "loss = F.cross_entropy(model(ids).logits.view(-1, 50257), targets.view(-1))\n"
        "next_token = torch.multinomial(logits, num_samples=1)\n",
        {"LG009"},
    ),
    "a Hugging Face TF classifier compiled with a loss that expects probabilities": (
        KERAS + "from transformers import TFAutoModelForSequenceClassification\n"
        "model = TFAutoModelForSequenceClassification.from_pretrained('bert', num_labels=5)\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(train_ds, epochs=3)\n",
        {"LG001"},
    ),
    "a Hugging Face TF classifier compiled with from_logits=True": (
        KERAS + "from transformers import TFBertForSequenceClassification\n"
        "model = TFBertForSequenceClassification.from_pretrained('bert', num_labels=5)\n"
        "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "model.compile(optimizer='adam', loss=loss, metrics=['accuracy'])\n"
        "model.fit(train_ds, epochs=3)\n",
        set(),
    ),
    "a Hugging Face TF classifier compiled with its own loss": (
        KERAS + "from transformers import TFAutoModelForSequenceClassification\n"
        "model = TFAutoModelForSequenceClassification.from_pretrained('bert', num_labels=5)\n"
        "model.compile(optimizer='adam')\n"
        "model.fit(train_ds, epochs=3)\n",
        set(),
    ),
    "a one-output model compiled with a list of one loss": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(64), keras.layers.Dense(10)])\n"
        "model.compile(optimizer='adam', loss=['sparse_categorical_crossentropy'])\n"
        "model.fit(x_train, y_train)\n",
        {"LG001"},
    ),
    "a one-output model compiled with a dict of one loss for its output": (
        KERAS + "inputs = keras.Input(shape=(20,))\n"
        "scores = keras.layers.Dense(10, name='label')(inputs)\n"
        "model = keras.Model(inputs, scores)\n"
        "model.compile(optimizer='adam', loss={'label': 'sparse_categorical_crossentropy'})\n"
        "model.fit(x_train, y_train)\n",
        {"LG001"},
    ),
    "a model of two outputs, one trained on raw logits, by output name": (
        KERAS
        + TWO_OUTPUTS.format(
            churn="name='churn'", outputs="[churn, segment]", loss=_BY_NAME_LOSSES
        ),
        {"LG001"},
    ),
    "a model of two outputs, one trained on raw logits, by position": (
        KERAS
        + TWO_OUTPUTS.format(
            churn="name='churn'",
            outputs="[churn, segment]",
            loss="['binary_crossentropy', 'sparse_categorical_crossentropy']",
        ),
        {"LG001"},
    ),
    "a model of two outputs given as a dict, its losses bound to a name first": (
        KERAS
        + "losses = "
        + _BY_NAME_LOSSES
        + "\n"
        + TWO_OUTPUTS.format(
            churn="", outputs="{'churn': churn, 'segment': segment}", loss="losses"
        ),
        {"LG001"},
    ),
    "a model of two outputs, its softmax output trained with from_logits=True": (
        KERAS
        + TWO_OUTPUTS.format(
            churn="activation='sigmoid', name='churn'",
            outputs="[churn, segment]",
            loss="{'churn': 'binary_crossentropy', "
            "'segment': keras.losses.SparseCategoricalCrossentropy(from_logits=True)}",
        ),
        {"LG002"},
    ),
    "a model of two outputs, the loss of one of them given alone": (
        KERAS
        + TWO_OUTPUTS.format(
            churn="name='churn'", outputs="[churn, segment]", loss="{'churn': 'bce'}"
        ),
        {"LG001"},
    ),
    "a model of two outputs whose losses name no output it has": (
        KERAS + TWO_OUTPUTS.format(churn="", outputs="[churn, segment]", loss=_BY_NAME_LOSSES),
        set(),
    ),
    "a model of two outputs, a regression and a classification, both right": (
        KERAS
        + TWO_OUTPUTS.format(
            churn="name='churn'",
            outputs="[churn, segment]",
            loss="{'churn': 'mse', 'segment': 'sparse_categorical_crossentropy'}",
        ),
        set(),
    ),
    "a model of outputs made in a comprehension": (
        KERAS + "inputs = keras.Input(shape=(20,))\n"
        "heads = [keras.layers.Dense(1, name=n)(inputs) for n in ('a', 'b')]\n"
        "model = keras.Model(inputs, heads)\n"
        "model.compile(loss={'a': 'binary_crossentropy', 'b': 'binary_crossentropy'})\n"
        "model.fit(x, {'a': ya, 'b': yb})\n",
        set(),
    ),
    "a KerasNLP classifier task compiled with a loss that expects probabilities": (
        "import keras_nlp\n"
        "model = keras_nlp.models.BertClassifier.from_preset('bert_base_en', num_classes=2)\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(train_ds, epochs=3)\n",
        {"LG001"},
    ),
    "a KerasHub classifier task given a softmax, compiled for probabilities": (
        KERAS + "import keras_hub\n"
        "model = keras_hub.models.ImageClassifier.from_preset(\n"
        "    'resnet_50_imagenet', num_classes=3, activation='softmax')\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(train_ds, epochs=3)\n",
        set(),
    ),
    "a KerasHub classifier task compiled with from_logits=True": (
        KERAS + "import keras_hub\n"
        "model = keras_hub.models.TextClassifier.from_preset('bert_base_en', num_classes=4)\n"
        "loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "model.compile(optimizer='adam', loss=loss)\n"
        "model.fit(train_ds, epochs=3)\n",
        set(),
    ),
    "a KerasHub classifier task trained with its own compile": (
        KERAS + "import keras_hub\n"
        "model = keras_hub.models.BertClassifier.from_preset('bert_base_en', num_classes=4)\n"
        "model.fit(train_ds, epochs=3)\n",
        set(),
    ),
    "a head picked by a task name from a ModuleDict built by a comprehension": (
        TORCH + "class MultiTask(nn.Module):\n"
        "    def __init__(self, tasks):\n"
        "        super().__init__()\n"
        "        self.body = nn.Linear(16, 32)\n"
        "        self.heads = nn.ModuleDict({\n"
        "            name: nn.Sequential(nn.Linear(32, n), nn.Softmax(dim=1))\n"
        "            for name, n in tasks.items()\n"
        "        })\n"
        "    def forward(self, x, task):\n"
        "        return self.heads[task](self.body(x))\n"
        "model = MultiTask({'a': 3, 'b': 5})\n"
        "loss = F.cross_entropy(model(x, 'a'), y)\n",
        {"LG002"},
    ),
    "a head picked by a task name from a ModuleDict of logits heads": (
        TORCH + "class MultiTask(nn.Module):\n"
        "    def __init__(self, tasks):\n"
        "        super().__init__()\n"
        "        self.heads = nn.ModuleDict({t: nn.Linear(32, n) for t, n in tasks.items()})\n"
        "    def forward(self, x, task):\n"
        "        return self.heads[task](x)\n"
        "model = MultiTask({'a': 3, 'b': 5})\n"
        "loss = F.cross_entropy(model(x, 'a'), y)\n",
        set(),
    ),
    "members of a ModuleList built by a comprehension, each trained with a logits loss": (
        TORCH + "members = nn.ModuleList(\n"
        "    [nn.Sequential(nn.Linear(8, 1), nn.Sigmoid()) for _ in range(3)]\n"
        ")\n"
        "for member in members:\n"
        "    nn.BCEWithLogitsLoss()(member(x), y).backward()\n",
        {"LG002"},
    ),
    "a comprehension whose elements differ by position is no one head": (
        TORCH + "heads = nn.ModuleList(\n"
        "    [nn.Linear(8, 3) if i else nn.Sequential(nn.Linear(8, 3), nn.Softmax(1))\n"
        "     for i in range(2)]\n"
        ")\n"
        "loss = nn.CrossEntropyLoss()(heads[k](x), y)\n",
        set(),
    ),
    "a Trainer's metrics cutting the unpacked logits at 0.5": (
        TRAINER_METRICS.format(
            labels=6,
            metrics="    logits, labels = eval_pred\n    predicted = (logits > 0.5).astype(int)\n",
        ),
        {"LG009"},
    ),
    "a Trainer's metrics rounding the predictions turned into an array": (
        TRAINER_METRICS.format(
            labels=6,
            metrics="    predicted = np.round(np.asarray(eval_pred.predictions))\n",
        ),
        {"LG009"},
    ),
    "a Trainer's metrics taking the logits out of a tuple when they are one, then cutting rows": (
        TRAINER_METRICS.format(
            labels=6,
            metrics="    p = eval_pred.predictions\n"
            "    p = p[0] if isinstance(p, tuple) else p\n"
            "    predicted = np.array([np.where(row > 0.5, 1, 0) for row in p])\n",
        ),
        {"LG009"},
    ),
    "a Trainer's metrics whose rows shadow their own parameter's name": (
        TRAINER_METRICS.format(
            labels=6,
            metrics="    preds = eval_pred.predictions\n"
            "    predicted = np.array([eval_pred > 0 for eval_pred in preds])\n"
            "    predicted = np.array([np.where(eval_pred > 0.5, 1, 0) for eval_pred in preds])\n",
        ),
        {"LG009"},
    ),
    "a Trainer's metrics cutting at 0.5 only in the arm where an earlier arm activated": (
        TRAINER_METRICS.format(
            labels=6,
            metrics="    preds = eval_pred.predictions\n"
            "    if probabilities:\n"
            "        preds = 1 / (1 + np.exp(-preds))\n"
            "        predicted = preds > 0.5\n"
            "    elif multi_label:\n"
            "        predicted = preds > 0.5\n"
            "    else:\n"
            "        predicted = preds.argmax(-1)\n",
        ),
        {"LG009"},
    ),
    "a Trainer's metrics in a loop whose earlier turns may have activated the outputs": (
        TRAINER_METRICS.format(
            labels=6,
            metrics="    preds = eval_pred.predictions\n"
            "    for step in steps:\n"
            "        if step == 'sigmoid':\n"
            "            preds = 1 / (1 + np.exp(-preds))\n"
            "        else:\n"
            "            predicted = preds > 0.5\n",
        ),
        set(),
    ),
    "logits cut at 0.5 in one arm of an if-elif chain whose earlier arms rebind them": (
        ELIF_REPORT.format(loop="", indent=""),
        {"LG009"},
    ),
    "logits cut at 0.5 in one arm of an if-elif chain in a loop, whose earlier turns may "
    "have activated them": (
        ELIF_REPORT.format(loop="    for mode in modes:\n", indent="    "),
        set(),
    ),
    "a name bound in an if's test (`if scale := ...`) and read in an if inside its body": (
        TORCH + "def clamp(out, scale):\n"
        "    return out.clamp(-scale, scale)\n"
        "def clipped(model, x, config):\n"
        "    out = model(x)\n"
        "    if scale := config.get('scale'):\n"
        "        if config.get('clip'):\n"
        "            out = clamp(out, scale)\n"
        "    return F.cross_entropy(out, y)\n",
        set(),
    ),
    "probabilities returned through a helper function that detaches its argument": (
        DETACHING_HELPER.format(
            helper="def detach(value):\n    return value.detach()\n", call="detach(probs)"
        ),
        {"LG002"},
    ),
    "logits returned through a helper function that detaches its argument": (
        DETACHING_HELPER.format(
            helper="def detach(value):\n    return value.detach()\n", call="detach(scores)"
        ),
        set(),
    ),
    "probabilities returned through a static method called on self": (
        DETACHING_HELPER.format(
            helper="class Runner:\n"
            "    @staticmethod\n"
            "    def detach(value):\n"
            "        return value.detach()\n"
            "    def run(self, probs):\n"
            "        return self.detach(probs)\n",
            call="Runner().run(probs)",
        ),
        {"LG002"},
    ),
    "a Hugging Face multi-label model trained on its own loss, its logits cut at 0.5": (
        TASK_MODEL_LOOP.format(
            made="AutoModelForSequenceClassification.from_pretrained(\n"
            "    'bert', num_labels=5, problem_type='multi_label_classification'\n)",
            read="predicted = outputs.logits > 0.5",
        ),
        {"LG009"},
    ),
    "a Hugging Face multi-label model trained on its own loss, its sigmoids cut at 0.5": (
        TASK_MODEL_LOOP.format(
            made="AutoModelForSequenceClassification.from_pretrained(\n"
            "    'bert', num_labels=5, problem_type='multi_label_classification'\n)",
            read="predicted = torch.sigmoid(outputs.logits) > 0.5",
        ),
        set(),
    ),
    "a Hugging Face one-label model (a regression) trained on its own loss, cut at 0.5": (
        TASK_MODEL_LOOP.format(
            made="AutoModelForSequenceClassification.from_pretrained('bert', num_labels=1)",
            read="predicted = outputs.logits > 0.5",
        ),
        set(),
    ),
    "a Hugging Face checkpoint whose number of labels the program does not say, cut at 0.5": (
        TASK_MODEL_LOOP.format(
            made="AutoModelForSequenceClassification.from_pretrained('./finetuned')",
            read="predicted = outputs.logits > 0.5",
        ),
        set(),
    ),
    "a Hugging Face language model trained on its own loss, its logits sampled": (
        TASK_MODEL_LOOP.format(
            made="AutoModelForCausalLM.from_pretrained('gpt2')",
            read="token = torch.multinomial(outputs.logits[:, -1], 1)",
        ),
        {"LG009"},
    ),
    "a Hugging Face language model trained on its own loss, its softmax sampled": (
        TASK_MODEL_LOOP.format(
            made="AutoModelForCausalLM.from_pretrained('gpt2')",
            read="token = torch.multinomial(outputs.logits[:, -1].softmax(-1), 1)",
        ),
        set(),
    ),
    "integer labels given to a categorical cross-entropy in a tape loop": (
        KERAS_TAPE_LABELS.format(loss="CategoricalCrossentropy", labels="y"),
        {"LG007"},
    ),
    "one-hot labels given to a categorical cross-entropy in a tape loop": (
        KERAS_TAPE_LABELS.format(loss="CategoricalCrossentropy", labels="tf.one_hot(y, 10)"),
        set(),
    ),
    "integer labels given to a sparse categorical cross-entropy in a tape loop": (
        KERAS_TAPE_LABELS.format(loss="SparseCategoricalCrossentropy", labels="y"),
        set(),
    ),
    "integer labels from a tf.data loop given to a categorical cross-entropy": (
        KERAS + "import numpy as np\n"
        "model = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\n"
        "loss_fn = keras.losses.CategoricalCrossentropy()\n"
        "labels = np.random.randint(0, 10, size=(256,))\n"
        "data = tf.data.Dataset.from_tensor_slices((features, labels)).batch(32)\n"
        "for x, y in data:\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = loss_fn(y, model(x, training=True))\n",
        {"LG007"},
    ),
    "random integer labels from tf.random.uniform given to a categorical cross-entropy by "
    "hand, the model's head unknown": (
        KERAS_UNKNOWN_MODEL_TAPE.format(dtype="tf.int64"),
        {"LG007"},
    ),
    "random real targets from tf.random.uniform given to a categorical cross-entropy by hand": (
        KERAS_UNKNOWN_MODEL_TAPE.format(dtype="tf.float32"),
        set(),
    ),
    "logits cut at 0.5 row by row in a loop over zip(targets, outputs)": (
        ROWS_LOOP.format(loop="for target, row in zip(y, out):"),
        {"LG009"},
    ),
    "logits cut at 0.5 row by row in a loop over enumerate(outputs)": (
        ROWS_LOOP.format(loop="for i, row in enumerate(out):"),
        {"LG009"},
    ),
    "sigmoids cut at 0.5 row by row in a loop over zip(targets, outputs)": (
        ROWS_LOOP.format(loop="for target, row in zip(y, torch.sigmoid(out)):"),
        set(),
    ),
    "a loop over a zip the program defines itself": (
        ROWS_LOOP.format(loop="for target, row in zip(y, out):").replace(
            "model = Net()", "def zip(a, b):\n    return b, a\nmodel = Net()"
        ),
        set(),
    ),
    "a one-class model evaluated by a function whose `if net.n_classes > 1:` arm it never takes": (
        CLASS_COUNT_ARMS.format(classes=1),
        {"LG009"},
    ),
    "a three-class model evaluated by a function whose `if net.n_classes > 1:` arm it takes": (
        CLASS_COUNT_ARMS.format(classes=3),
        set(),
    ),
    "softmax probabilities made differently in the two arms of an if, then given to a loss "
    "on logits": (
        ARMS_OF_ONE_KIND.format(
            other="torch.stack([F.softmax(m(x), dim=1) for m in members]).mean(0)"
        ),
        {"LG002"},
    ),
    "softmax probabilities in one arm, logits in the other, then given to a loss on logits": (
        ARMS_OF_ONE_KIND.format(other="torch.stack([m(x) for m in members]).mean(0)"),
        set(),
    ),
    "a one-output Keras model compiled with its loss and metrics keyed by its output's name": (
        KERAS_NAMED_OUTPUT.format(
            outputs="o",
            loss="{'out': keras.losses.BinaryCrossentropy(from_logits=True)}",
            metrics="{'out': ['accuracy']}",
        ),
        {"LG003"},
    ),
    "a one-output Keras model given a categorical loss by its output's name, on sigmoids": (
        KERAS_NAMED_OUTPUT.format(
            outputs="o", loss="{'out': 'categorical_crossentropy'}", metrics="[]"
        ).replace("Dense(1, name='out')", "Dense(5, activation='sigmoid', name='out')"),
        {"LG006"},
    ),
    "a two-output Keras model whose loss dict names one of them": (
        KERAS_NAMED_OUTPUT.format(
            outputs="[o, keras.layers.Dense(3, name='aux')(i)]",
            loss="{'out': keras.losses.BinaryCrossentropy(from_logits=True)}",
            metrics="{'out': ['accuracy']}",
        ),
        set(),
    ),
    "a softmax model trained with a cross-entropy in the arm a module-level switch turns off": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 2)\n"
        "        self.softmax = nn.Softmax(dim=1)\n"
        "    def forward(self, x):\n"
        "        return self.softmax(self.fc(x))\n"
        "USE_PRETRAINED = True\n"
        "net = Net()\n"
        "if USE_PRETRAINED:\n"
        "    net.load_state_dict(torch.load('net.pt'))\n"
        "else:\n"
        "    loss = nn.CrossEntropyLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "an object made with a softmax model and a cross-entropy, handed to a function that "
    "trains with them": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 3)\n"
        "    def forward(self, x):\n"
        "        return F.softmax(self.fc(x), dim=1)\n"
        "class Holder:\n"
        "    def __init__(self, model, loss):\n"
        "        self.model = model\n"
        "        self.loss = loss\n"
        "def step(holder, x, y):\n"
        "    return holder.loss(holder.model(x), y)\n"
        "step(Holder(Net(), nn.CrossEntropyLoss()), x, y)\n",
        {"LG002"},
    ),
    "a Trainer's metrics cutting the sigmoid of the logits at 0.5": (
        TRAINER_METRICS.format(
            labels=6,
            metrics="    probs = 1 / (1 + np.exp(-eval_pred.predictions))\n"
            "    predicted = probs > 0.5\n",
        ),
        set(),
    ),
    "a Trainer's metrics cutting a one-output regression model's values at 0.5": (
        TRAINER_METRICS.format(
            labels=1, metrics="    predicted = eval_pred.predictions > 0.5\n"
        ).replace(", problem_type='multi_label_classification'", ""),
        set(),
    ),
    "a Trainer's metrics cutting logits that a preprocessing hook has turned into sigmoids": (
        TRAINER_METRICS.format(
            labels=6, metrics="    predicted = eval_pred.predictions > 0.5\n"
        ).replace(
            "compute_metrics=compute_metrics",
            "compute_metrics=compute_metrics, preprocess_logits_for_metrics=to_probabilities",
        ),
        set(),
    ),
    "a Trainer's metrics cutting outputs of a model whose number of labels is not known": (
        TRAINER_METRICS.format(
            labels="args.labels", metrics="    predicted = eval_pred.predictions > 0.5\n"
        ).replace(", problem_type='multi_label_classification'", ""),
        set(),
    ),
    "a Trainer's predictions cut at 0.5": (
        TRAINER_PREDICT.format(
            labels=6,
            trainer="model=model, args=args, train_dataset=train",
            use="    output = trainer.predict(test)\n"
            "    return (output.predictions > 0.5).astype(int)\n",
        ),
        {"LG009"},
    ),
    "a Trainer's predictions unpacked and cut at 0.5, the model given by position": (
        TRAINER_PREDICT.format(
            labels=6,
            trainer="model, args, train_dataset=train",
            use="    logits, labels, metrics = trainer.predict(test)\n    return logits >= 0.5\n",
        ),
        {"LG009"},
    ),
    "a Trainer's predictions put through a sigmoid, then cut at 0.5": (
        TRAINER_PREDICT.format(
            labels=6,
            trainer="model=model, args=args, train_dataset=train",
            use="    output = trainer.predict(test)\n"
            "    probs = 1 / (1 + np.exp(-output.predictions))\n"
            "    return probs > 0.5, output.label_ids > 0.5\n",
        ),
        set(),
    ),
    "a Trainer's predictions from a one-output regression model, cut at 0.5": (
        TRAINER_PREDICT.format(
            labels=1,
            trainer="model=model, args=args, train_dataset=train",
            use="    return trainer.predict(test).predictions > 0.5\n",
        ).replace(", problem_type='multi_label_classification'", ""),
        set(),
    ),
    "a Trainer's predictions that a preprocessing hook has turned into sigmoids": (
        TRAINER_PREDICT.format(
            labels=6,
            trainer="model=model, args=args, preprocess_logits_for_metrics=to_probabilities",
            use="    return trainer.predict(test).predictions > 0.5\n",
        ),
        set(),
    ),
    "a Trainer's predictions cut at 0.5, the model's config set to multi-label after it is made": (
        trainer_predict_with_config(
            "    config = AutoConfig.from_pretrained('bert', num_labels=6)\n"
            "    config.problem_type = 'multi_label_classification'\n"
        ),
        {"LG009"},
    ),
    "a Trainer's predictions cut at 0.5, the config made multi-label": (
        trainer_predict_with_config(
            "    config = AutoConfig.from_pretrained(\n"
            "        'bert', problem_type='multi_label_classification'\n"
            "    )\n"
        ),
        {"LG009"},
    ),
    "a Trainer's predictions cut at 0.5, the config made multi-label under a flag": (
        trainer_predict_with_config(
            "    config = AutoConfig.from_pretrained('bert')\n"
            "    if args.multi_label:\n"
            "        config.problem_type = 'multi_label_classification'\n"
        ),
        set(),
    ),
    "a Trainer's predictions cut at 0.5, the config's problem set to regression or multi-label": (
        trainer_predict_with_config(
            "    config = AutoConfig.from_pretrained('bert', num_labels=6)\n"
            "    if args.regression:\n"
            "        config.problem_type = 'regression'\n"
            "    else:\n"
            "        config.problem_type = 'multi_label_classification'\n"
        ),
        set(),
    ),
    "a Keras loss given its arguments by unpacking a dict": (
        KERAS + "loss_args = dict(from_logits=True)\n"
        "model = keras.Sequential([keras.layers.Dense(4)])\n"
        "model.compile(loss=keras.losses.SparseCategoricalCrossentropy(**loss_args))\n"
        "model.fit(x, y)\n",
        set(),
    ),
    # Each call is judged on its own, as a tape loop shared by two models is.
    "a Keras loss helper called with heads of two kinds": (
        KERAS + "probs = keras.Sequential([keras.layers.Dense(1, activation='sigmoid')])\n"
        "raw = keras.Sequential([keras.layers.Dense(1)])\n"
        "bce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "def real_loss(output):\n"
        "    return bce(tf.ones_like(output), output)\n"
        "a = real_loss(probs(x))\n"
        "b = real_loss(raw(x))\n",
        {"LG002"},
    ),
    "a Keras loss helper called with logits heads only": (
        KERAS + "raw = keras.Sequential([keras.layers.Dense(1)])\n"
        "other = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\n"
        "bce = keras.losses.BinaryCrossentropy(from_logits=True)\n"
        "def real_loss(output):\n"
        "    return bce(tf.ones_like(output), output)\n"
        "a = real_loss(other(x))\n"
        "b = real_loss(raw(x))\n",
        set(),
    ),
    "an ensemble's averaged softmax outputs given a softmax again": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs = torch.stack([m(x) for m in members]).mean(0)\n"
            "top = probs.softmax(dim=1)\n",
        ),
        {"LG021"},
    ),
    "an ensemble's averaged logits given a softmax": (
        ENSEMBLE.format(
            activation="self.fc(x)",
            use="probs = torch.stack([m(x) for m in members]).mean(0)\n"
            "top = probs.softmax(dim=1)\n",
        ),
        set(),
    ),
    "an ensemble's averaged softmax outputs given a softmax over the averaged axis": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs = torch.stack([m(x) for m in members], dim=1).mean(1)\n"
            "top = probs.softmax(dim=1)\n",
        ),
        {"LG021"},
    ),
    "an average over the classes themselves is no row of probabilities": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="spread = members[0](x).mean(1)\ntop = F.softmax(spread, dim=0)\n",
        ),
        set(),
    ),
    "an average kept to the mean's own shape keeps the classes": (
        ENSEMBLE.format(
            activation="torch.sigmoid(self.fc(x))",
            use="probs = torch.mean(torch.stack([m(x) for m in members]), dim=0, keepdim=True)\n"
            "loss = F.binary_cross_entropy_with_logits(probs[0], y)\n",
        ),
        {"LG002"},
    ),
    "an ensemble's averaged softmax outputs trained with a logits loss": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=-1)",
            use="for x, y in loader:\n"
            "    out = torch.stack([m(x) for m in members]).mean(dim=0)\n"
            "    loss = nn.CrossEntropyLoss()(out, y)\n",
        ),
        {"LG002"},
    ),
    "outputs appended to a list in a loop, joined, then given a softmax again": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="outputs = []\n"
            "for batch in loader:\n"
            "    outputs.append(members[0](batch))\n"
            "probs = F.softmax(torch.cat(outputs), dim=1)\n",
        ),
        {"LG021"},
    ),
    "softmax outputs collected in a list the name is then rebound to the join of": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs = []\n"
            "for batch in loader:\n"
            "    probs.append(members[0](batch))\n"
            "probs = torch.cat(probs, dim=0)\n"
            "top = probs.softmax(dim=1)\n",
        ),
        {"LG021"},
    ),
    "softmax outputs collected in an annotated list are read as well": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs: list = []\n"
            "for batch in loader:\n"
            "    probs.append(members[0](batch))\n"
            "top = torch.cat(probs).softmax(dim=1)\n",
        ),
        {"LG021"},
    ),
    "logits appended to a list in a loop, joined, then given a softmax": (
        ENSEMBLE.format(
            activation="self.fc(x)",
            use="outputs = []\n"
            "for batch in loader:\n"
            "    outputs.append(members[0](batch))\n"
            "probs = F.softmax(torch.cat(outputs), dim=1)\n",
        ),
        set(),
    ),
    "a list that holds softmax outputs and other values is no one kind": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="outputs = []\n"
            "for batch in loader:\n"
            "    outputs.append(members[0](batch))\n"
            "outputs.extend(other)\n"
            "probs = F.softmax(torch.cat(outputs), dim=1)\n",
        ),
        set(),
    ),
    "a list a nested function appends to is no one kind": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="outputs = []\n"
            "def keep(value):\n"
            "    outputs.append(value)\n"
            "for batch in loader:\n"
            "    outputs.append(members[0](batch))\n"
            "probs = F.softmax(torch.cat(outputs), dim=1)\n",
        ),
        set(),
    ),
    "each appended logits output cut at 0.5 in a later loop": (
        ENSEMBLE.format(
            activation="self.fc(x)",
            use="outputs = []\n"
            "for batch in loader:\n"
            "    outputs.append(members[0](batch))\n"
            "for out in outputs:\n"
            "    hits = out > 0.5\n"
            "loss = F.binary_cross_entropy_with_logits(members[0](x), y)\n",
        ),
        {"LG009"},
    ),
    "a comprehension's name is read from the list it runs over": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs = [F.softmax(m(x), dim=1) for m in members]\n",
        ),
        {"LG021"},
    ),
    "a comprehension over pairs binds no one model": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs = [F.softmax(m(x), dim=1) for i, m in enumerate(members)]\n",
        ),
        set(),
    ),
    "a hand-written affine layer of TensorFlow variables given a probabilities loss": (
        TF_AFFINE.format(
            scores="tf.matmul(x, W) + b",
            loss="tf.keras.losses.sparse_categorical_crossentropy(y, scores)",
        ),
        {"LG001"},
    ),
    "a hand-written affine layer given a probabilities loss told it has logits": (
        TF_AFFINE.format(
            scores="tf.matmul(x, W) + b",
            loss="tf.keras.losses.sparse_categorical_crossentropy(y, scores, from_logits=True)",
        ),
        set(),
    ),
    "a hand-written affine layer's softmax given a probabilities loss": (
        TF_AFFINE.format(
            scores="tf.nn.softmax(x @ W + b)",
            loss="tf.keras.losses.sparse_categorical_crossentropy(y, scores)",
        ),
        set(),
    ),
    "a hand-written affine layer's softmax given a logits loss": (
        TF_AFFINE.format(
            scores="tf.nn.softmax(tf.matmul(x, W) + b)",
            loss="tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=scores)",
        ),
        {"LG002"},
    ),
    "an affine layer of weights kept in dicts, the TF1 tutorial way": (
        TF_AFFINE.format(
            scores="tf.matmul(x, weights['out']) + biases['out']",
            loss="tf.compat.v1.losses.log_loss(y, scores)",
        ),
        {"LG001"},
    ),
    "TensorFlow's xw_plus_b given a probabilities loss": (
        TF_AFFINE.format(
            scores="tf.compat.v1.nn.xw_plus_b(x, W, b)",
            loss="tf.keras.losses.categorical_crossentropy(y, scores)",
        ),
        {"LG001"},
    ),
    "probabilities mixed by a constant matrix, plus a small constant": (
        TF_AFFINE.format(
            scores="tf.matmul(probs, transition) + 1e-8",
            loss="tf.keras.losses.categorical_crossentropy(y, scores)",
        ),
        set(),
    ),
    "probabilities mixed by a constant matrix, plus a variable": (
        TF_AFFINE.format(
            scores="tf.matmul(probs, transition) + b",
            loss="tf.keras.losses.categorical_crossentropy(y, scores)",
        ),
        set(),
    ),
    "an affine layer of variables kept on self in a tape loop": (
        KERAS + "class Linear:\n"
        "    def __init__(self):\n"
        "        self.w = tf.Variable(tf.random.normal((8, 3)))\n"
        "        self.b = tf.Variable(tf.zeros(3))\n"
        "    def __call__(self, x):\n"
        "        return x @ self.w + self.b\n"
        "    def step(self, x, y):\n"
        "        with tf.GradientTape() as tape:\n"
        "            scores = x @ self.w + self.b\n"
        "            loss = keras.losses.binary_crossentropy(y, scores)\n"
        "        return loss\n",
        {"LG001"},
    ),
    "a cross-entropy written by hand on an affine layer's raw scores": (
        TF_AFFINE.format(
            scores="tf.matmul(x, W) + b",
            loss="tf.reduce_mean(-tf.reduce_sum(y * tf.math.log(scores), axis=1))",
        ),
        {"LG001"},
    ),
    "a binary cross-entropy written by hand on an affine layer's raw scores": (
        TF_AFFINE.format(
            scores="tf.matmul(x, W) + b",
            loss="-tf.reduce_mean(y * tf.math.log(scores) + (1 - y) * tf.math.log(1 - scores))",
        ),
        {"LG001"},
    ),
    "a cross-entropy written by hand on an affine layer's softmax": (
        TF_AFFINE.format(
            scores="tf.nn.softmax(tf.matmul(x, W) + b)",
            loss="tf.reduce_mean(-tf.reduce_sum(y * tf.math.log(scores + 1e-9), axis=1))",
        ),
        set(),
    ),
    "a cross-entropy written by hand in a function its call gives raw scores": (
        TF_AFFINE.format(scores="tf.matmul(x, W) + b", loss="cost(scores, y)")
        + "def cost(output, target):\n"
        "    return -tf.reduce_mean(target * tf.math.log(output))\n",
        {"LG001"},
    ),
    "a cross-entropy written by hand in a function its call gives a softmax": (
        TF_AFFINE.format(scores="tf.nn.softmax(tf.matmul(x, W) + b)", loss="cost(scores, y)")
        + "def cost(output, target):\n"
        "    return -tf.reduce_mean(target * tf.math.log(output))\n",
        {"LG011"},
    ),
    "a cross-entropy written by hand in a function its calls give raw scores and a softmax": (
        TF_AFFINE.format(
            scores="tf.matmul(x, W) + b", loss="cost(scores, y) + cost(tf.nn.softmax(scores), y)"
        )
        + "def cost(output, target):\n"
        "    return -tf.reduce_mean(target * tf.math.log(output))\n",
        set(),
    ),
    "a cross-entropy written by hand in a base class's method given raw scores by self": (
        "import tensorflow as tf\n"
        "class Model:\n"
        "    def cost(self, output, target):\n"
        "        self.loss = -tf.reduce_mean(target * tf.math.log(output))\n"
        "class Network(Model):\n"
        "    def build(self, x, y):\n"
        "        self.scores = tf.compat.v1.layers.dense(x, 10)\n"
        "        self.cost(self.scores, y)\n",
        {"LG001"},
    ),
    "a Keras loss in a GAN's method given the discriminator's raw scores by self": (
        KERAS + "class GAN:\n"
        "    def __init__(self):\n"
        "        self.bce = keras.losses.BinaryCrossentropy()\n"
        "        self.discriminator = keras.Sequential([keras.layers.Dense(1)])\n"
        "    def real_loss(self, real_output):\n"
        "        return self.bce(tf.ones_like(real_output), real_output)\n"
        "    def step(self, images):\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = self.real_loss(self.discriminator(images))\n",
        {"LG001"},
    ),
    "a method called by self of another class of the same name is not followed": (
        "import tensorflow as tf\n"
        "class Model:\n"
        "    def cost(self, output, target):\n"
        "        self.loss = -tf.reduce_mean(target * tf.math.log(output))\n"
        "class Network:\n"
        "    def cost(self, output, target):\n"
        "        return output\n"
        "    def build(self, x, y):\n"
        "        self.scores = tf.compat.v1.layers.dense(x, 10)\n"
        "        self.cost(self.scores, y)\n",
        set(),
    ),
    "the log of raw scores summed on its own is no cross-entropy": (
        TF_AFFINE.format(scores="tf.matmul(x, W) + b", loss="tf.reduce_sum(tf.math.log(scores))"),
        set(),
    ),
    "a cross-entropy written by hand on a Keras model's raw scores": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = -tf.reduce_mean(y * tf.math.log(model(x)))\n",
        {"LG001"},
    ),
    "a log-likelihood written by hand on a one-output regression": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(1)])\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = -tf.reduce_mean(y * tf.math.log(model(x)))\n",
        set(),
    ),
    "softmax heads appended to an empty ModuleList in a loop, trained with a logits loss": (
        FILLED_HEADS.format(
            container="nn.ModuleList()",
            values="",
            fill="self.heads.append(nn.Sequential(nn.Linear(16, n), nn.Softmax(dim=1)))",
            use="loss = nn.CrossEntropyLoss()(model(x)[0], y)",
        ),
        {"LG002"},
    ),
    "logits heads appended to an empty ModuleList in a loop, trained with a logits loss": (
        FILLED_HEADS.format(
            container="nn.ModuleList()",
            values="",
            fill="self.heads.append(nn.Linear(16, n))",
            use="loss = nn.CrossEntropyLoss()(model(x)[0], y)",
        ),
        set(),
    ),
    "sigmoid heads stored by key in an empty ModuleDict, trained with a logits loss": (
        FILLED_HEADS.format(
            container="nn.ModuleDict()",
            values=".values()",
            fill="self.heads[str(n)] = nn.Sequential(nn.Linear(16, n), nn.Sigmoid())",
            use="loss = nn.BCEWithLogitsLoss()(model(x)[0], y)",
        ),
        {"LG002"},
    ),
    "logits heads stored by key in an empty dict, trained with a logits loss": (
        FILLED_HEADS.format(
            container="{}",
            values=".values()",
            fill="self.heads[str(n)] = nn.Linear(16, n)",
            use="loss = nn.BCEWithLogitsLoss()(model(x)[0], y)",
        ),
        set(),
    ),
    "a ModuleList filled with heads of two kinds is no one head": (
        FILLED_HEADS.format(
            container="nn.ModuleList()",
            values="",
            fill="self.heads.append(nn.Linear(16, n))\n"
            "            self.heads.append(nn.Sequential(nn.Linear(16, n), nn.Softmax(1)))",
            use="loss = nn.CrossEntropyLoss()(model(x)[0], y)",
        ),
        set(),
    ),
    "a ModuleList also extended is not read": (
        FILLED_HEADS.format(
            container="nn.ModuleList()",
            values="",
            fill="self.heads.append(nn.Sequential(nn.Linear(16, n), nn.Softmax(dim=1)))\n"
            "        self.heads.extend(extra)",
            use="loss = nn.CrossEntropyLoss()(model(x)[0], y)",
        ),
        set(),
    ),
    "an output activation chosen by a match on a constructor's argument: softmax": (
        MATCHED_ACTIVATION.format(chosen="softmax"),
        {"LG002"},
    ),
    "an output activation chosen by a match on a constructor's argument: none": (
        MATCHED_ACTIVATION.format(chosen="none"),
        set(),
    ),
    "a forward that applies a Sequential ending in softmax layer by layer": (
        LAYER_BY_LAYER.format(
            layers="nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3), nn.Softmax(1))",
            loss="nn.CrossEntropyLoss()",
        ),
        {"LG002"},
    ),
    "a forward that applies a Sequential ending in a linear layer layer by layer": (
        LAYER_BY_LAYER.format(
            layers="nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))",
            loss="nn.CrossEntropyLoss()",
        ),
        set(),
    ),
    "a forward that applies a ModuleList ending in sigmoid layer by layer": (
        LAYER_BY_LAYER.format(
            layers="nn.ModuleList([nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid()])",
            loss="nn.BCEWithLogitsLoss()",
        ),
        {"LG002"},
    ),
    "a forward whose loop also rebinds the value is not read as layers in turn": (
        LAYER_BY_LAYER.format(
            layers="nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3), nn.Softmax(1))",
            loss="nn.CrossEntropyLoss()",
        ).replace(
            "            x = layer(x)\n", "            x = layer(x)\n            x = x * 2\n"
        ),
        set(),
    ),
    "a forward filling an empty dict with softmax outputs under a key": (
        DICT_FILLED.format(fill="out['out'] = F.softmax(self.fc(x), dim=1)"),
        {"LG002"},
    ),
    "a forward filling an empty dict with logits under a key": (
        DICT_FILLED.format(fill="out['out'] = self.fc(x)\n        out['aux'] = F.softmax(x, 1)"),
        set(),
    ),
    "a key stored in both arms of an if is not one value": (
        DICT_FILLED.format(
            fill="if self.training:\n"
            "            out['out'] = F.softmax(self.fc(x), dim=1)\n"
            "        else:\n"
            "            out['out'] = self.fc(x)"
        ),
        set(),
    ),
    "a dict also updated is not read": (
        DICT_FILLED.format(
            fill="out['out'] = F.softmax(self.fc(x), dim=1)\n        out.update(self.extra)"
        ),
        set(),
    ),
    "a TF graph class whose method returns a sigmoid, kept on self, given a logits loss": (
        TF_GRAPH_METHODS.format(kept="self.d = self.discriminator(x)", given="self.d"),
        {"LG002"},
    ),
    "a TF graph class whose method returns a sigmoid and its logits, unpacked in order": (
        TF_GRAPH_METHODS.format(
            kept="self.d, self.d_logits = self.discriminator_pair(x)", given="self.d_logits"
        ),
        set(),
    ),
    "a TF graph class whose method returns a sigmoid and its logits, unpacked swapped": (
        TF_GRAPH_METHODS.format(
            kept="self.d_logits, self.d = self.discriminator_pair(x)", given="self.d_logits"
        ),
        {"LG002"},
    ),
    "a model wrapped by torch.nn.parallel.DataParallel, spelled out in full": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 4)\n"
        "    def forward(self, x):\n"
        "        return torch.sigmoid(self.fc(x))\n"
        "net = torch.nn.parallel.DataParallel(Net(), device_ids=[0]).cuda()\n"
        "loss = nn.BCEWithLogitsLoss()(net(x), y)\n",
        {"LG002"},
    ),
    "a trainer module whose forward is handed the network and applies its loss": (
        MODULE_TRAINER.format(activation="torch.sigmoid(self.fc(x))"),
        {"LG002"},
    ),
    "a trainer module whose forward is handed a network of logits": (
        MODULE_TRAINER.format(activation="self.fc(x)"),
        set(),
    ),
    "a loss computed inside forward is reported once, whatever the calls pass": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 3)\n"
        "    def forward(self, x, y=None):\n"
        "        out = F.softmax(self.fc(x), dim=1)\n"
        "        return F.cross_entropy(out, y) if y is not None else out\n"
        "model = Net()\n"
        "a = model(x, y)\n"
        "b = model(x, y=y)\n",
        ["LG002"],
    ),
    "a PyTorch cross-entropy written by hand on a linear head's raw scores": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))\n"
        "scores = model(x)\n"
        "loss = -(y * torch.log(scores)).sum(dim=1).mean()\n",
        {"LG001"},
    ),
    "a PyTorch cross-entropy written by hand on the softmax of the scores": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))\n"
        "probs = F.softmax(model(x), dim=1)\n"
        "loss = -torch.sum(y * torch.log(probs + 1e-9))\n",
        set(),
    ),
    "a PyTorch binary cross-entropy written by hand on raw scores": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 3))\n"
        "p = model(x)\n"
        "loss = -(y * p.log() + (1 - y) * (1 - p).log()).mean()\n",
        {"LG001"},
    ),
    "the log of a one-output model's value in a likelihood is no cross-entropy": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 1))\n"
        "rate = model(x)\n"
        "loss = -(y * torch.log(rate) - rate).sum()\n",
        set(),
    ),
    "the log of raw scores outside any product is not judged": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 4))\nspread = torch.log(model(x)).sum()\n",
        set(),
    ),
    "a JAX cross-entropy written by hand on a Flax module's raw scores": (
        "import jax.numpy as jnp\nimport flax.linen as nn\n"
        "class MLP(nn.Module):\n"
        "    @nn.compact\n"
        "    def __call__(self, x):\n"
        "        return nn.Dense(10)(nn.relu(nn.Dense(32)(x)))\n"
        "def loss_fn(params, x, y):\n"
        "    logits = MLP().apply(params, x)\n"
        "    return -jnp.mean(jnp.sum(y * jnp.log(logits), axis=-1))\n",
        {"LG001"},
    ),
    "softmax outputs taken to numpy and back, then given a softmax again": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs = torch.from_numpy(members[0](x).detach().numpy())\n"
            "top = probs.softmax(dim=1)\n",
        ),
        {"LG021"},
    ),
    "a tensor made from a literal list is no model output": (
        ENSEMBLE.format(
            activation="F.softmax(self.fc(x), dim=1)",
            use="probs = torch.tensor([[0.2, 0.8]])\ntop = probs.softmax(dim=1)\n",
        ),
        set(),
    ),
    "a softmax over the same axis twice, whatever model the function is handed": (
        TORCH + "def evaluate(model, x):\n"
        "    probs = model(x).softmax(dim=1)\n"
        "    return torch.max(probs.softmax(dim=1), 1)\n",
        {"LG021"},
    ),
    "softmaxes over two different axes of what a function is handed": (
        TORCH + "def attend(scores):\n"
        "    rows = scores.softmax(dim=1)\n"
        "    return rows.softmax(dim=2)\n",
        set(),
    ),
    "a model made by its class's classmethod factory, trained with a logits loss": (
        FACTORY.format(
            factory="    @classmethod\n"
            "    def load(cls, state):\n"
            "        model = cls()\n"
            "        model.load_state_dict(state)\n"
            "        return model\n",
            made="Net.load(state)",
        ),
        {"LG002"},
    ),
    "a model made by its class's staticmethod factory": (
        FACTORY.format(
            factory="    @staticmethod\n    def build():\n        return Net()\n",
            made="Net.build()",
        ),
        {"LG002"},
    ),
    "a plain method read off the class is no factory": (
        FACTORY.format(
            factory="    def load(self, state):\n        return self\n",
            made="Net.load(state)",
        ),
        set(),
    ),
    "logits heads filled into a dict that __init__ then wraps in a ModuleDict, cut at 0.5": (
        WRAPPED_HEADS.format(
            head="nn.Sequential(nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, n))",
            loss="nn.MultiLabelSoftMarginLoss()",
        ),
        {"LG009"},
    ),
    "sigmoid heads filled into a dict that __init__ then wraps in a ModuleDict, cut at 0.5": (
        WRAPPED_HEADS.format(
            head="nn.Sequential(nn.Linear(16, n), nn.Sigmoid())", loss="nn.BCELoss()"
        ),
        set(),
    ),
    "a head __init__ replaces in a branch is not the last one for sure": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self, probabilities):\n"
        "        super().__init__()\n"
        "        self.head = nn.Linear(16, 3)\n"
        "        if probabilities:\n"
        "            self.head = nn.Sequential(nn.Linear(16, 3), nn.Softmax(dim=1))\n"
        "    def forward(self, x):\n"
        "        return self.head(x)\n"
        "loss = nn.CrossEntropyLoss()(Net(flag)(x), y)\n",
        set(),
    ),
    "a head __init__ replaces later in its body: the last one holds": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.head = nn.Linear(16, 3)\n"
        "        self.head = nn.Sequential(self.head, nn.Softmax(dim=1))\n"
        "    def forward(self, x):\n"
        "        return self.head(x)\n"
        "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        {"LG002"},
    ),
    "a JAX linear layer written by hand, its raw scores in a cross-entropy written by hand": (
        "import jax.numpy as jnp\nimport optax\n"
        "def loss_fn(params, x, y):\n"
        "    w, b = params\n"
        "    scores = jnp.dot(x, w) + b\n"
        "    return -jnp.mean(jnp.sum(y * jnp.log(scores), axis=-1))\n",
        {"LG001"},
    ),
    "a JAX linear layer written by hand given optax's loss on logits": (
        "import jax.numpy as jnp\nimport optax\n"
        "def loss_fn(params, x, y):\n"
        "    w, b = params\n"
        "    return optax.softmax_cross_entropy(jnp.dot(x, w) + b, y).mean()\n",
        set(),
    ),
    "F.linear's raw scores given a loss on probabilities": (
        TORCH + "scores = F.linear(x, weight, bias)\nloss = nn.BCELoss()(scores, y)\n",
        {"LG001"},
    ),
    "the sigmoid of F.linear's scores given a loss on probabilities": (
        TORCH + "probs = torch.sigmoid(F.linear(x, weight, bias))\nloss = nn.BCELoss()(probs, y)\n",
        set(),
    ),
    "softmax outputs over a temperature given a loss on logits": (
        SOFTMAX_NET + "loss = nn.CrossEntropyLoss()(Net()(x) / 2.0, y)\n",
        {"LG002"},
    ),
    "logits scaled by a constant the module holds, given a loss on logits": (
        LOGITS_NET + "scale = 30.0\nloss = F.cross_entropy(scale * Net()(x), y)\n",
        set(),
    ),
    "logits scaled by a constant, given a loss on probabilities": (
        LOGITS_NET + "loss = nn.BCELoss()(Net()(x) * 0.5, y)\n",
        {"LG001"},
    ),
    "softmax outputs as percentages are no longer probabilities": (
        SOFTMAX_NET + "percent = Net()(x) * 100\nloss = nn.CrossEntropyLoss()(percent, y)\n",
        set(),
    ),
    "softmax outputs times another model's outputs are no longer known": (
        SOFTMAX_NET + "loss = nn.CrossEntropyLoss()(Net()(x) * Net()(x), y)\n",
        set(),
    ),
    "an ensemble's softmax outputs summed in a loop and averaged, given a loss on logits": (
        SOFTMAX_NET + "models = [Net(), Net()]\n"
        "total = 0\n"
        "for m in models:\n"
        "    total += m(x)\n"
        "total /= len(models)\n"
        "loss = nn.CrossEntropyLoss()(total, y)\n",
        {"LG002"},
    ),
    "an ensemble's logits summed from zeros, given a loss on logits": (
        LOGITS_NET + "total = torch.zeros(8, 3)\n"
        "for m in [Net(), Net()]:\n"
        "    total += m(x)\n"
        "loss = F.cross_entropy(total, y)\n",
        set(),
    ),
    "a sum of outputs that starts from something else is not known": (
        SOFTMAX_NET + "total = bias\n"
        "for m in [Net(), Net()]:\n"
        "    total += m(x)\n"
        "loss = nn.CrossEntropyLoss()(total, y)\n",
        set(),
    ),
    "a sum of outputs read before anything is added is not known": (
        SOFTMAX_NET + "total = 0\nloss = nn.CrossEntropyLoss()(total, y)\ntotal += Net()(x)\n",
        set(),
    ),
    "a segmentation model ending in a 1x1 convolution with no activation, default loss": (
        CONV_HEAD.format(
            head="Conv2D(n_classes, (1, 1))", loss="'sparse_categorical_crossentropy'"
        ),
        {"LG001"},
    ),
    "a segmentation model ending in a softmax convolution, default loss": (
        CONV_HEAD.format(
            head="Conv2D(n_classes, 1, activation='softmax')",
            loss="'sparse_categorical_crossentropy'",
        ),
        set(),
    ),
    "a sigmoid convolution head given a loss on logits": (
        CONV_HEAD.format(
            head="Conv2D(filters=1, kernel_size=1, activation='sigmoid')",
            loss="keras.losses.BinaryCrossentropy(from_logits=True)",
        ),
        {"LG002"},
    ),
    "a convolution head with channels first: the axis losses read is not its filters": (
        CONV_HEAD.format(
            head="Conv2D(n_classes, 1, data_format='channels_first')",
            loss="'categorical_crossentropy'",
        ),
        set(),
    ),
    "a convolution whose activation is given by position, which Keras versions move": (
        CONV_HEAD.format(
            head="Conv2D(n_classes, 1, 1, 'same', None, 1, 1, 'softmax')",
            loss="'categorical_crossentropy'",
        ),
        set(),
    ),
    "Keras' backend loss given the prediction by keyword, on a logits head": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(2)])\n"
        "def train_step(x, y):\n"
        "    return keras.backend.binary_crossentropy(target=y, output=model(x))\n",
        {"LG001"},
    ),
    "one of two discriminators chosen by a flag, both ending in a softmax class head": (
        TWO_DISCRIMINATORS.format(second="self.softmax(self.aux(h))"),
        {"LG010"},
    ),
    "one of two discriminators chosen by a flag, their class heads disagreeing": (
        TWO_DISCRIMINATORS.format(second="self.aux(h)"),
        set(),
    ),
    "a loss module's default criterion, the class made only elsewhere, given sigmoid outputs": (
        DEFAULT_CRITERION.format(made=""),
        {"LG002"},
    ),
    "a loss module made here with a criterion of its own: the call, not the default": (
        DEFAULT_CRITERION.format(made="pairs = PairLoss(loss=nn.BCELoss())\n"),
        set(),
    ),
    "a function's default loss, the function called only elsewhere, given logits": (
        TORCH + "def step(model, x, y, criterion=nn.BCELoss()):\n"
        "    scores = nn.Linear(8, 1)(x)\n"
        "    return criterion(scores, y)\n",
        {"LG001"},
    ),
    "a skorch net without criterion, given one later by set_params": (
        SKORCH_LOGITS_NET.format(after="clf.set_params(criterion=nn.CrossEntropyLoss)\n"),
        set(),
    ),
    "a skorch net without criterion in a pipeline given one under its step's name": (
        SKORCH_LOGITS_NET.format(after="params = {'clf__criterion': nn.CrossEntropyLoss}\n"),
        set(),
    ),
    "a skorch net without criterion whose parameters skorch's parse_args may set": (
        SKORCH_LOGITS_NET.format(after="from skorch.helper import parse_args\nparse_args({})\n"),
        set(),
    ),
    "a skorch net given unpacked parameters": (
        SKORCH_LOGITS_NET.replace("NeuralNetClassifier(Net)", "NeuralNetClassifier(Net, **kw)"),
        set(),
    ),
    "a skorch net without criterion, its other parameters set later": (
        SKORCH_LOGITS_NET.format(after="clf.set_params(lr=0.1)\n"),
        {"LG001"},
    ),
    "a loss class that masks the targets it ignores, given one out of range": (
        MASKED_BCE.format(mask="loss = loss * (target != self.ignore_index).float()\n        "),
        set(),
    ),
    "a loss class that does not mask its targets, given one out of range": (
        MASKED_BCE.format(mask=""),
        {"LG015"},
    ),
    "a KL between softmaxes only compared with a threshold: no loss, no gradient": (
        SOFTMAX_KL.format(use="tf.cond(mean_kl < threshold, grow, shrink)"),
        set(),
    ),
    "a KL between softmaxes minimised": (
        SOFTMAX_KL.format(use="tf.compat.v1.train.AdamOptimizer().minimize(mean_kl)"),
        {"LG011"},
    ),
    "a Keras layer list filled by extend, its start chosen by a flag, the head last": (
        FILLED_LAYERS.format(head="keras.layers.Dense(classes)", more=""),
        {"LG001"},
    ),
    "a Keras layer list filled by extend, a softmax head last": (
        FILLED_LAYERS.format(head="keras.layers.Dense(classes, activation='softmax')", more=""),
        set(),
    ),
    "a Keras layer list whose last layer is appended only on one path": (
        FILLED_LAYERS.format(
            head="keras.layers.Dense(classes)",
            more="    if probabilities:\n        layers.append(keras.layers.Softmax())\n",
        ),
        set(),
    ),
    "a Keras layer list with a layer inserted: not followed": (
        FILLED_LAYERS.format(
            head="keras.layers.Dense(classes)",
            more="    layers.insert(0, keras.layers.Softmax())\n",
        ),
        set(),
    ),
    "TensorFlow scores from weights a function is given, into a loss on probabilities": (
        TF_GIVEN_WEIGHTS.format(loss="tf.keras.losses.sparse_categorical_crossentropy(y, scores)"),
        {"LG001"},
    ),
    "TensorFlow scores from weights a function is given, into a loss on logits": (
        TF_GIVEN_WEIGHTS.format(
            loss="tf.keras.losses.sparse_categorical_crossentropy(y, scores, from_logits=True)"
        ),
        set(),
    ),
    "TensorFlow probabilities times a matrix it is given, plus a bias: no layer": (
        TF_GIVEN_WEIGHTS.replace(
            "tf.matmul(h, W_out)", "tf.matmul(tf.nn.softmax(h), W_out)"
        ).format(loss="tf.keras.losses.sparse_categorical_crossentropy(y, scores)"),
        set(),
    ),
    "TensorFlow scores from weights a function is given, a regression rounded": (
        TF_GIVEN_WEIGHTS.format(loss="tf.reduce_mean(tf.square(tf.round(scores) - y))"),
        set(),
    ),
    "a compile replaced by the next before anything trains: only the last sets the loss": (
        RECOMPILED.format(between="model.summary()\n"),
        set(),
    ),
    "a compile followed by a fit, then another compile: both set a loss": (
        RECOMPILED.format(between="model.fit(x, y)\n"),
        {"LG005"},
    ),
    "a compile whose model a function reads before the next compile": (
        RECOMPILED.format(between="report(model)\n"),
        {"LG005"},
    ),
    "a compile replaced only on one path": (
        RECOMPILED.replace(
            "model.compile(loss='sparse", "if multiclass:\n    model.compile(loss='sparse"
        ).format(between=""),
        {"LG005"},
    ),
    "softmax outputs with their axes moved, the classes where the loss reads them": (
        SOFTMAX_NET + "out = Net()(x).unsqueeze(1).transpose(1, 2)\n"
        "loss = nn.CrossEntropyLoss()(out.permute(0, 1, 2), y)\n",
        {"LG002"},
    ),
    "softmax outputs joined in a loop onto an empty tensor": (
        SOFTMAX_NET + "preds = torch.tensor([])\n"
        "for m in [Net(), Net()]:\n"
        "    preds = torch.cat((preds, m(x)), dim=0)\n"
        "loss = nn.CrossEntropyLoss()(preds, y)\n",
        {"LG002"},
    ),
    "logits joined in a loop onto an empty tensor": (
        LOGITS_NET + "preds = torch.empty(0)\n"
        "for m in [Net(), Net()]:\n"
        "    preds = torch.cat([preds, m(x)])\n"
        "loss = F.cross_entropy(preds, y)\n",
        set(),
    ),
    "outputs joined onto a tensor that holds something": (
        SOFTMAX_NET + "preds = torch.randn(4, 3)\n"
        "preds = torch.cat((preds, Net()(x)))\n"
        "loss = nn.CrossEntropyLoss()(preds, y)\n",
        set(),
    ),
    "a Sequential subclass handing a sigmoid head to super().__init__, given a logits loss": (
        TORCH + "class Output(nn.Sequential):\n"
        "    def __init__(self, k):\n"
        "        super().__init__(nn.Linear(k, 1), nn.Sigmoid())\n"
        "loss = nn.BCEWithLogitsLoss()(Output(8)(x), y)\n",
        {"LG002"},
    ),
    "a Sequential subclass with a forward of its own is read by that forward": (
        TORCH + "class Output(nn.Sequential):\n"
        "    def __init__(self, k):\n"
        "        super().__init__(nn.Linear(k, 1), nn.Sigmoid())\n"
        "    def forward(self, x):\n"
        "        return self[0](x)\n"
        "loss = nn.BCEWithLogitsLoss()(Output(8)(x), y)\n",
        set(),
    ),
    "a loss left to its fallback (`loss or ...`) when no call gives one": (
        FALLBACK_LOSS.format(made="Output()"),
        {"LG002"},
    ),
    "a loss given by the call, not its fallback": (
        FALLBACK_LOSS.format(made="Output(loss=nn.BCELoss())"),
        set(),
    ),
    "a callback that sets a softmax head on the module it is handed, then trains it": (
        CALLBACK_HEAD.format(head="nn.Sequential(nn.Linear(16, 3), nn.Softmax(dim=1))"),
        {"LG002"},
    ),
    "a callback that sets a logits head on the module it is handed": (
        CALLBACK_HEAD.format(head="nn.Linear(16, 3)"),
        set(),
    ),
    "a callback whose hooks set the head twice: which one is read is not known": (
        CALLBACK_HEAD.format(head="nn.Sequential(nn.Linear(16, 3), nn.Softmax(dim=1))").replace(
            "    def on_batch_end(",
            "    def reset(self, module):\n"
            "        module.probe = nn.Linear(16, 3)\n    def on_batch_end(",
        ),
        set(),
    ),
    "a Keras builder given its output activation by the caller, compiled on logits": (
        KERAS + "def mlp(units, output_activation=None):\n"
        "    return keras.Sequential([keras.layers.Dense(units, activation=output_activation)])\n"
        "model = mlp(3, tf.nn.softmax)\n"
        "model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n",
        {"LG002"},
    ),
    "a tensor helper given its output activation by the caller, sampled as logits": (
        KERAS + "import tensorflow_probability as tfp\n"
        "def head(x, activation):\n"
        "    return keras.layers.Dense(3, activation=activation)(x)\n"
        "def act(x):\n"
        "    return tfp.distributions.Categorical(head(x, tf.nn.softmax)).sample()\n",
        {"LG012"},
    ),
    "a tensor helper given no output activation, sampled as logits": (
        KERAS + "import tensorflow_probability as tfp\n"
        "def head(x, activation=None):\n"
        "    return keras.layers.Dense(3, activation=activation)(x)\n"
        "def act(x):\n"
        "    return tfp.distributions.Categorical(head(x)).sample()\n",
        set(),
    ),
    "a head's dict of outputs handed to the model's loss method, which reads one key": (
        DICT_TO_LOSS_METHOD.format(fill="out = self.head(x)"),
        {"LG002"},
    ),
    "a dict made empty and updated with a head's dict of outputs": (
        DICT_TO_LOSS_METHOD.format(fill="out = {}\n        out.update(self.head(x))"),
        {"LG002"},
    ),
    "a dict updated with something unknown as well": (
        DICT_TO_LOSS_METHOD.format(
            fill="out = {}\n        out.update(self.head(x))\n        out.update(extra)"
        ),
        set(),
    ),
    "TFLearn's fully connected softmax layer given TensorFlow's loss on logits": (
        "import tensorflow as tf\nimport tflearn\n"
        "net = tflearn.input_data(shape=[None, 784])\n"
        "net = tflearn.fully_connected(net, 10, activation='softmax')\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=net, labels=Y))\n",
        {"LG002"},
    ),
    "TensorFlow's softmax loss on logits compiled into a Keras softmax model": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss=tf.nn.softmax_cross_entropy_with_logits)\n",
        ["LG002"],
    ),
    "TensorFlow's sigmoid loss on logits compiled into a Keras logits model": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss=tf.nn.sigmoid_cross_entropy_with_logits)\n",
        [],
    ),
    "torchvision's sigmoid focal loss given sigmoid outputs": (
        TORCH + "from torchvision.ops import sigmoid_focal_loss\n"
        "model = nn.Sequential(nn.Linear(16, 4), nn.Sigmoid())\n"
        "loss = sigmoid_focal_loss(model(x), targets, reduction='mean')\n",
        ["LG002"],
    ),
    "torchvision's sigmoid focal loss given the raw scores": (
        TORCH + "import torchvision\n"
        "model = nn.Sequential(nn.Linear(16, 4))\n"
        "loss = torchvision.ops.sigmoid_focal_loss(model(x), targets)\n",
        [],
    ),
    "A custom Keras layer applying the activation it is given, a softmax": (
        KERAS_HEAD_LAYER.format(make="Head(10, activation='softmax')", from_logits=True),
        ["LG002"],
    ),
    "A custom Keras layer applying the activation it is given, none": (
        KERAS_HEAD_LAYER.format(make="Head(10)", from_logits=False),
        ["LG001"],
    ),
    "A custom Keras layer applying an activation known only at run time": (
        KERAS_HEAD_LAYER.format(make="Head(10, activation=args.act)", from_logits=True),
        [],
    ),
    "A custom Keras layer applying TensorFlow's softmax kept on self": (
        KERAS_HEAD_LAYER.format(make="Head(10)", from_logits=True).replace(
            "tf.keras.activations.get(activation)", "tf.nn.softmax"
        ),
        ["LG002"],
    ),
    "Keras logits given to scikit-learn's log loss": (
        KERAS_LOGITS_SCORED.format(metric="log_loss(y_test, p)"),
        ["LG009"],
    ),
    "Keras logits given to scikit-learn's Brier score by keyword": (
        KERAS_LOGITS_SCORED.format(metric="brier_score_loss(y_test, y_proba=p)"),
        ["LG009"],
    ),
    "Keras logits made probabilities before scikit-learn's log loss": (
        KERAS_LOGITS_SCORED.format(metric="log_loss(y_test, tf.sigmoid(p))"),
        [],
    ),
    "Keras logits given to a rank metric": (
        KERAS_LOGITS_SCORED.format(metric="roc_auc_score(y_test, p)"),
        [],
    ),
    "A loss kept as a class attribute of a config class": (
        TORCH_CONFIG_CLASS.format(use="Config.criterion(net(x), y)"),
        ["LG010"],
    ),
    "A loss kept as a class attribute, read through a name first": (
        TORCH_CONFIG_CLASS.format(use="(crit := Config.criterion)(net(x), y)"),
        ["LG010"],
    ),
    "A PyTorch head's units from a config class's attribute": (
        TORCH_CONFIG_CLASS.format(use="nn.CrossEntropyLoss()(net(x), y)")
        .replace("    lr = 1e-3\n", "    classes = 1\n")
        .replace("nn.Linear(64, 5)", "nn.Linear(64, Config.classes)"),
        ["LG019"],
    ),
    "A class attribute a method sets is no class constant": (
        TORCH_CONFIG_CLASS.format(use="nn.CrossEntropyLoss()(net(x), y)")
        .replace("    lr = 1e-3\n", "    def setup(self):\n        self.classes = 1\n")
        .replace("nn.Linear(64, 5)", "nn.Linear(64, Config.classes)"),
        [],
    ),
    "A config class's loss the script sets again": (
        TORCH_CONFIG_CLASS.format(use="Config.criterion(net(x), y)").replace(
            "net = ", "Config.criterion = nn.CrossEntropyLoss()\nnet = "
        ),
        [],
    ),
    "A Keras loss named by a config class's attribute": (
        KERAS_CONFIG_CLASS.format(units="10", extra=""),
        ["LG001"],
    ),
    "A Keras head's units from a config class's attribute": (
        KERAS_CONFIG_CLASS.format(units="1", extra="").replace(
            "Dense(Config.CLASSES)", "Dense(Config.CLASSES, activation='softmax')"
        ),
        ["LG004"],
    ),
    "A config class's attribute the script sets again": (
        KERAS_CONFIG_CLASS.format(units="10", extra="Config.LOSS = args.loss\n"),
        [],
    ),
    "TF-Slim's fully connected layer, a ReLU by default, given a loss on logits": (
        SLIM_LOGITS.format(last="slim.fully_connected(h, 10)"),
        {"LG022"},
    ),
    "TF contrib's fully connected layer with a softmax given a loss on logits": (
        SLIM_LOGITS.format(
            last="tf.contrib.layers.fully_connected(h, 10, activation_fn=tf.nn.softmax)"
        ),
        {"LG002"},
    ),
    "TF-Slim's fully connected layer made linear": (
        SLIM_LOGITS.format(last="slim.fully_connected(h, 10, activation_fn=None)"),
        set(),
    ),
    "TF-Slim's fully connected layer whose keywords are unpacked": (
        SLIM_LOGITS.format(last="slim.fully_connected(h, 10, **head_args)"),
        set(),
    ),
    "TensorFlow probabilities made in the arm of an if a module constant decides": (
        TF_CHOSEN_OUTPUT.format(kind="'softmax'", other="preds = tf.abs(logits)"),
        {"LG002"},
    ),
    "TensorFlow probabilities made in the arm a module constant rules out": (
        TF_CHOSEN_OUTPUT.format(kind="'abs'", other="preds = tf.abs(logits)"),
        set(),
    ),
    "TensorFlow probabilities made in one arm, the other raising: the only way on": (
        TF_CHOSEN_OUTPUT.format(kind="args.kind", other="raise ValueError(kind)"),
        {"LG002"},
    ),
    "TensorFlow outputs made differently in arms a flag known only at run time picks": (
        TF_CHOSEN_OUTPUT.format(kind="args.kind", other="preds = tf.abs(logits)"),
        set(),
    ),
    "a test that reads the name its own arm binds decides nothing": (
        "import tensorflow as tf\n"
        "if mode == 'a':\n"
        "    mode = tf.nn.softmax(logits)\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=mode)\n",
        {"LG002"},
    ),
    "logits a loss takes as logits cut at 0.5 by the tensor's own method": (
        TORCH + "scores = nn.Linear(40, 6)(x)\n"
        "loss = nn.BCEWithLogitsLoss()(scores, y)\n"
        "positive = scores.ge(0.5)\n",
        {"LG009"},
    ),
    "their sigmoid cut at 0.5 by the tensor's own method": (
        TORCH + "scores = nn.Linear(40, 6)(x)\n"
        "loss = nn.BCEWithLogitsLoss()(scores, y)\n"
        "positive = torch.sigmoid(scores).gt(0.5)\n",
        set(),
    ),
    "logits compared by the tensor's own method with 0": (
        TORCH + "scores = nn.Linear(40, 6)(x)\n"
        "loss = nn.BCEWithLogitsLoss()(scores, y)\n"
        "positive = scores.ge(0)\n",
        set(),
    ),
    "a sigmoid applied only in the arm where the loss takes logits: uses that never meet": (
        TORCH + "def step(scores, label, logits):\n"
        "    x = torch.nan_to_num(scores)\n"
        "    if logits:\n"
        "        loss = F.binary_cross_entropy_with_logits(x, label)\n"
        "    else:\n"
        "        loss = F.binary_cross_entropy(x, label)\n"
        "    predictions = torch.sigmoid(x) if logits else x\n"
        "    return loss, predictions\n",
        set(),
    ),
    "a sigmoid applied in the arm where the loss takes probabilities": (
        TORCH + "def step(scores, label, logits):\n"
        "    x = torch.nan_to_num(scores)\n"
        "    if logits:\n"
        "        loss = F.binary_cross_entropy_with_logits(x, label)\n"
        "    else:\n"
        "        loss = F.binary_cross_entropy(x, label)\n"
        "    predictions = x if logits else torch.sigmoid(x)\n"
        "    return loss, predictions\n",
        {"LG021"},
    ),
    "a parameter read by the call whose result rebinds it, then the outputs cut at 0.5": (
        TORCH + "def epoch(model, objective, x, y):\n"
        "    out = model(x)\n"
        "    return model, objective(out, y), out\n"
        "def training(model, objective, x, y):\n"
        "    model, loss, out = epoch(model, objective, x, y)\n"
        "    return (out.ge(0.5).float() == y).float().mean()\n"
        "model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 6))\n"
        "training(model=model, objective=nn.BCEWithLogitsLoss(), x=x, y=y)\n",
        {"LG009"},
    ),
    "a parameter read by the call whose result rebinds it, the outputs activated first": (
        TORCH + "def epoch(model, objective, x, y):\n"
        "    out = model(x)\n"
        "    return model, objective(out, y), out\n"
        "def training(model, objective, x, y):\n"
        "    model, loss, out = epoch(model, objective, x, y)\n"
        "    return (out.sigmoid().ge(0.5).float() == y).float().mean()\n"
        "model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 6))\n"
        "training(model=model, objective=nn.BCEWithLogitsLoss(), x=x, y=y)\n",
        set(),
    ),
    "a Keras compile given its loss in a literal dict unpacked into it": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(16, activation='relu'),"
        " keras.layers.Dense(10)])\n"
        "settings = {'loss': 'sparse_categorical_crossentropy', 'optimizer': 'adam'}\n"
        "model.compile(**settings)\n"
        "model.fit(x, y)\n",
        {"LG001"},
    ),
    "a Keras compile given its loss in dict(...) unpacked into it": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(16, activation='relu'),"
        " keras.layers.Dense(10)])\n"
        "settings = dict(loss='sparse_categorical_crossentropy', optimizer='adam')\n"
        "model.compile(**settings)\n"
        "model.fit(x, y)\n",
        {"LG001"},
    ),
    "a Keras compile given a dict whose loss is replaced before": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(16, activation='relu'),"
        " keras.layers.Dense(10)])\n"
        "settings = {'loss': 'sparse_categorical_crossentropy', 'optimizer': 'adam'}\n"
        "settings['loss'] = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "model.compile(**settings)\n"
        "model.fit(x, y)\n",
        set(),
    ),
    "a PyTorch loss handed to a training function in a literal dict unpacked into the call": (
        TORCH + "def train(model, x, y, criterion=None, metric=None):\n"
        "    out = model(x)\n"
        "    return criterion(out, y)\n"
        "net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=-1))\n"
        "options = {'criterion': nn.CrossEntropyLoss(), 'metric': None}\n"
        "train(net, x, y, **options)\n",
        {"LG002"},
    ),
    "a PyTorch loss handed over in an unpacked dict that is changed before the call": (
        TORCH + "def train(model, x, y, criterion=None, metric=None):\n"
        "    out = model(x)\n"
        "    return criterion(out, y)\n"
        "net = nn.Sequential(nn.Linear(8, 4), nn.Softmax(dim=-1))\n"
        "options = {'criterion': nn.CrossEntropyLoss()}\n"
        "options.update(criterion=nn.MSELoss())\n"
        "train(net, x, y, **options)\n",
        set(),
    ),
    "TF1 logits compared with a tensor of ones scaled to 0.5": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 64])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 1])\n"
        "w = tf.Variable(tf.zeros([64, 1]))\n"
        "b = tf.Variable(tf.zeros([1]))\n"
        "logits = tf.matmul(x, w) + b\n"
        "loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)\n"
        "hits = tf.cast(logits > tf.ones_like(logits) * 0.5, tf.float32)\n",
        {"LG009"},
    ),
    "PyTorch logits compared with 0.5 times a tensor of ones": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 1))\n"
        "out = model(x)\n"
        "loss = F.binary_cross_entropy_with_logits(out, y)\n"
        "hits = out > 0.5 * torch.ones_like(out)\n",
        {"LG009"},
    ),
    "PyTorch logits compared with a tensor of ones scaled to 0, their own threshold": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 1))\n"
        "out = model(x)\n"
        "loss = F.binary_cross_entropy_with_logits(out, y)\n"
        "hits = out > torch.ones_like(out) * 0.0\n",
        set(),
    ),
    "a model's outputs put through a sigmoid for a probabilities loss, cut raw at 0.5": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\n"
        "out = model(x)\n"
        "loss = F.binary_cross_entropy(torch.sigmoid(out), y)\n"
        "hits = (out > 0.5).float()\n",
        {"LG009"},
    ),
    "a loss module of the project applying the sigmoid itself, the outputs cut raw at 0.5": (
        FOCAL_LOSS_TRAINING + "hits = (out > 0.5).float()\n",
        {"LG009"},
    ),
    "a loss module of the project applying the sigmoid itself, the outputs' sigmoid cut": (
        FOCAL_LOSS_TRAINING + "hits = (torch.sigmoid(out) > 0.5).float()\n",
        set(),
    ),
    "a model computing its loss on the logits it returns, the caller cutting them at 0.5": (
        TAGGER.format(loss="nn.BCEWithLogitsLoss()", returned="logits")
        + "loss, scores = model(x, y)\nhits = scores > 0.5\n",
        {"LG009"},
    ),
    "the same, its outputs sliced before they are unpacked": (
        TAGGER.format(loss="nn.BCEWithLogitsLoss()", returned="logits") + "outputs = model(x, y)\n"
        "loss, scores = outputs[:2]\n"
        "hits = scores.detach().numpy() > 0.5\n",
        {"LG009"},
    ),
    "a model computing its loss on its logits and returning their sigmoid, cut at 0.5": (
        TAGGER.format(loss="nn.BCEWithLogitsLoss()", returned="probs")
        + "loss, scores = model(x, y)\nhits = scores > 0.5\n",
        set(),
    ),
    "a model computing a regression loss on the outputs it returns, cut at 0.5": (
        TAGGER.format(loss="nn.MSELoss()", returned="logits")
        + "loss, scores = model(x, y)\nhits = scores > 0.5\n",
        set(),
    ),
    "TF1: an argmax over the one unit of an affine layer's variables": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 2])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 1])\n"
        "w = tf.Variable(tf.random.uniform([2, 1], -1, 1))\n"
        "b = tf.Variable(tf.zeros([1]))\n"
        "y_hat = tf.matmul(x, w) + b\n"
        "loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=y_hat))\n"
        "hits = tf.equal(tf.argmax(y_hat, 1), tf.argmax(y, 1))\n",
        {"LG023"},
    ),
    "TF1: an argmax over the ten units of an affine layer's variables": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 2])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 10])\n"
        "w = tf.compat.v1.get_variable('w', [2, 10])\n"
        "b = tf.Variable(tf.zeros([10]))\n"
        "y_hat = tf.matmul(x, w) + b\n"
        "loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=y_hat))\n"
        "hits = tf.equal(tf.argmax(y_hat, 1), tf.argmax(y, 1))\n",
        set(),
    ),
    "TF1: a softmax over the one unit of an affine layer's variables": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 2])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 1])\n"
        "w = tf.Variable(tf.zeros([2, 1]))\n"
        "b = tf.Variable(tf.zeros([1]))\n"
        "p = tf.nn.softmax(tf.matmul(x, w) + b)\n"
        "loss = -tf.reduce_mean(y * tf.math.log(p))\n",
        {"LG004", "LG011"},
    ),
    "Keras: an argmax over the one unit of a sigmoid model's predictions": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(8, activation='relu'),"
        " keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "model.fit(x, y)\n"
        "predicted = model.predict(x).argmax(axis=1)\n",
        {"LG023"},
    ),
    "Keras 2: an argmax over axis 1 of a one-unit model's predict_proba": (
        KERAS + "import numpy as np\n"
        "model = keras.Sequential([keras.layers.Dense(8, activation='relu'),"
        " keras.layers.Dense(1, activation='sigmoid')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "model.fit(x, y)\n"
        "predicted = np.argmax(model.predict_proba(x), axis=1)\n",
        {"LG023"},
    ),
    **{
        f"Keras: a model a plain class's own method builds, trained in a tape with {loss}": (
            "import tensorflow as tf\nfrom tensorflow import keras\n"
            f"cross_entropy = keras.losses.BinaryCrossentropy({loss})\n"
            "class GAN:\n"
            "    def __init__(self):\n"
            "        self.discriminator = self.build_discriminator()\n"
            "    def build_discriminator(self):\n"
            "        body = keras.Sequential([keras.layers.Flatten(),"
            " keras.layers.Dense(1, activation='sigmoid')])\n"
            "        image = keras.Input(shape=(28, 28, 1))\n"
            "        return keras.Model(image, body(image))\n"
            "    def train_step(self, images):\n"
            "        with tf.GradientTape() as tape:\n"
            "            real = self.discriminator(images, training=True)\n"
            "            loss = cross_entropy(tf.ones_like(real), real)\n",
            expected,
        )
        for loss, expected in [("from_logits=True", {"LG002"}), ("", set())]
    },
    "PyTorch: an argmax over dim 1 of one-unit scores per position, no binary loss": (
        TORCH + "scorer = nn.Sequential(nn.Linear(16, 1))\nstart = scorer(tokens).argmax(dim=1)\n",
        set(),
    ),
    "Keras: an argmax over axis 1 of a one-unit regression model's predictions": (
        KERAS + "import numpy as np\n"
        "model = keras.Sequential([keras.layers.Dense(8, activation='relu'),"
        " keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n"
        "model.fit(x, y)\n"
        "position = np.argmax(model.predict(x), axis=1)\n",
        set(),
    ),
    "Keras: a one-unit softmax layer in a config's layer list, no model in sight": (
        KERAS + "CONFIG = {'layers': [keras.layers.Dense(32, activation='relu'),"
        " keras.layers.Dense(units=1, activation='softmax')]}\n",
        ["LG004"],
    ),
    "Keras: a one-unit softmax layer ending a model, reported once": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(32, activation='relu'),"
        " keras.layers.Dense(1, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n",
        ["LG004"],
    ),
    "Keras: a one-unit softmax layer of a subclassed model, reported once": (
        KERAS + "class Net(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.out = keras.layers.Dense(1, activation='softmax')\n"
        "    def call(self, x):\n"
        "        return self.out(x)\n"
        "net = Net()\n"
        "net.compile(optimizer='adam', loss='binary_crossentropy')\n",
        ["LG004"],
    ),
    "PyTorch: an argmax over the one unit of a model squeezed first": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 1))\n"
        "loss = nn.BCEWithLogitsLoss()(model(x), y)\n"
        "best = model(x).squeeze(1).argmax(dim=-1)\n",
        set(),
    ),
    "a module list begun by a literal and appended to, its last element applied": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self, classes):\n"
        "        super().__init__()\n"
        "        layers = [nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())]\n"
        "        for _ in range(3):\n"
        "            layers.append(nn.Sequential(nn.Conv2d(8, 8, 3), nn.ReLU()))\n"
        "        layers.append(nn.Conv2d(8, classes, 1))\n"
        "        self.layers = nn.ModuleList(layers)\n"
        "    def forward(self, x):\n"
        "        for layer in self.layers[:-1]:\n"
        "            x = layer(x)\n"
        "        return self.layers[-1](x)\n"
        "net = Net(5)\n"
        "loss = F.cross_entropy(net(x), y)\n",
        set(),
    ),
    "logits soft-capped by a scaled tanh before a cross-entropy": (
        TORCH + "head = nn.Linear(16, 100)\n"
        "cap = 30.0\n"
        "logits = torch.tanh(head(h) / cap) * cap\n"
        "loss = F.cross_entropy(logits, y)\n",
        set(),
    ),
    "logits squashed by a tanh before a cross-entropy": (
        TORCH + "head = nn.Linear(16, 100)\nloss = F.cross_entropy(torch.tanh(head(h)), y)\n",
        {"LG022"},
    ),
    "TF1 logits cut at 0.5 by tf.greater": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 64])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 1])\n"
        "logits = tf.compat.v1.layers.dense(x, 1)\n"
        "loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)\n"
        "hits = tf.equal(tf.greater(logits, 0.5), tf.greater(y, 0.5))\n",
        {"LG009"},
    ),
    "TF1 logits compared by tf.math.less with 0.5 first": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 64])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 1])\n"
        "logits = tf.compat.v1.layers.dense(x, 1)\n"
        "loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)\n"
        "negative = tf.math.less(0.5, logits)\n",
        {"LG009"},
    ),
    "TF1 logits' sigmoid cut at 0.5 by tf.greater": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 64])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 1])\n"
        "logits = tf.compat.v1.layers.dense(x, 1)\n"
        "loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)\n"
        "positive = tf.greater(tf.sigmoid(logits), 0.5)\n",
        set(),
    ),
    "PyTorch logits cut at 0.5 by torch.ge": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 1))\n"
        "out = model(x)\n"
        "loss = F.binary_cross_entropy_with_logits(out, y)\n"
        "hits = torch.ge(out, 0.5)\n",
        {"LG009"},
    ),
    "PyTorch logits cut at 0, their own threshold, by torch.gt": (
        TORCH + "model = nn.Sequential(nn.Linear(8, 1))\n"
        "out = model(x)\n"
        "loss = F.binary_cross_entropy_with_logits(out, y)\n"
        "hits = torch.gt(out, 0)\n",
        set(),
    ),
    "a comparison function of no array library given 0.5": (
        TORCH + "from mylib import greater\n"
        "model = nn.Sequential(nn.Linear(8, 1))\n"
        "out = model(x)\n"
        "loss = F.binary_cross_entropy_with_logits(out, y)\n"
        "hits = greater(out, 0.5)\n",
        set(),
    ),
    "Keras 2's legacy Model(input=..., output=...) keywords": (
        KERAS + "inp = keras.Input(shape=(8,))\n"
        "out = keras.layers.Dense(3, activation='softmax')(keras.layers.Dense(16)(inp))\n"
        "model = keras.Model(input=inp, output=out)\n"
        "model.compile(loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"
        "model.fit(x, y)\n",
        {"LG002"},
    ),
    "a Keras tape step in a static method called through its class": (
        KERAS + "class Backend:\n"
        "    @staticmethod\n"
        "    def grads(model, x, y, loss_fn):\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = loss_fn(y, model(x))\n"
        "        return tape.gradient(loss, model.trainable_weights)\n"
        "model = keras.Sequential([keras.layers.Dense(10), keras.layers.Softmax()])\n"
        "loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "Backend.grads(model, x, y, loss_fn)\n",
        {"LG002"},
    ),
    "a Keras tape step in a method that takes self, called through its class": (
        KERAS + "class Backend:\n"
        "    def grads(self, model, x, y, loss_fn):\n"
        "        with tf.GradientTape() as tape:\n"
        "            loss = loss_fn(y, model(x))\n"
        "        return tape.gradient(loss, model.trainable_weights)\n"
        "model = keras.Sequential([keras.layers.Dense(10), keras.layers.Softmax()])\n"
        "loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "Backend.grads(model, x, y, loss_fn)\n",
        set(),
    ),
    "a Keras model and its loss returned together by a helper and unpacked": (
        KERAS + "def make():\n"
        "    m = keras.Sequential([keras.layers.Dense(10), keras.layers.Softmax()])\n"
        "    return m, keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
        "model, loss_fn = make()\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = loss_fn(y, model(x))\n",
        {"LG002"},
    ),
    "a Keras model and its loss unpacked from a helper, then handed to a step function": (
        KERAS + "def make():\n"
        "    m = keras.Sequential([keras.layers.Dense(10), keras.layers.Softmax()])\n"
        "    return m, keras.losses.SparseCategoricalCrossentropy()\n"
        "def step(model, loss_fn):\n"
        "    with tf.GradientTape() as tape:\n"
        "        return loss_fn(y, model(x))\n"
        "model, loss_fn = make()\n"
        "step(model, loss_fn)\n",
        set(),
    ),
    "a softmax applied only when the values are not probabilities yet, given probabilities": (
        TORCH + "def to_probabilities(scores):\n"
        "    if scores.min() < 0 or scores.max() > 1:\n"
        "        scores = torch.softmax(scores, dim=1)\n"
        "    return scores\n"
        "probs = torch.softmax(model(x), dim=1)\n"
        "out = to_probabilities(probs)\n",
        set(),
    ),
    "a softmax under a test of a name made from the values, given probabilities": (
        TORCH + "def to_probabilities(scores):\n"
        "    bounded = bool((scores >= 0).all() and (scores <= 1).all())\n"
        "    if not bounded:\n"
        "        scores = torch.softmax(scores, dim=1)\n"
        "    return scores\n"
        "out = to_probabilities(torch.softmax(model(x), dim=1))\n",
        set(),
    ),
    "a softmax behind a flag the only call turns off, on a softmax model's output": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))\n"
        "def predict(m, x, apply_softmax=True):\n"
        "    out = m(x)\n"
        "    if apply_softmax:\n"
        "        out = torch.softmax(out, dim=1)\n"
        "    return out\n"
        "p = predict(net, x, apply_softmax=False)\n",
        set(),
    ),
    "a softmax behind a flag the only call leaves on, on a softmax model's output": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))\n"
        "def predict(m, x, apply_softmax=True):\n"
        "    out = m(x)\n"
        "    if apply_softmax:\n"
        "        out = torch.softmax(out, dim=1)\n"
        "    return out\n"
        "p = predict(net, x)\n",
        {"LG021"},
    ),
    "a Keras model compiled with a loss on probabilities, trained by a tape loop on logits": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)\n"
        "model.compile(optimizer='sgd', loss='categorical_crossentropy')\n"
        "for x, y in ds:\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = loss_fn(y, model(x, training=True))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n",
        set(),
    ),
    "a Keras model compiled with a loss on probabilities, handed with a logits loss to a "
    "library's trainer": (
        KERAS + "from art.estimators.classification import TensorFlowV2Classifier\n"
        "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "model.compile(optimizer='sgd', loss='categorical_crossentropy')\n"
        "loss_object = keras.losses.CategoricalCrossentropy(from_logits=True)\n"
        "clf = TensorFlowV2Classifier(model=model, loss_object=loss_object, nb_classes=10)\n"
        "clf.fit(x, y)\n",
        set(),
    ),
    "a Keras model compiled with a loss on probabilities, handed alone to a library's wrapper": (
        KERAS + "from art.estimators.classification import KerasClassifier\n"
        "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "model.compile(optimizer='sgd', loss='categorical_crossentropy')\n"
        "clf = KerasClassifier(model=model, clip_values=(0, 1))\n"
        "clf.fit(x, y)\n",
        {"LG001"},
    ),
    "a Keras model compiled with a loss on probabilities, fit, and also stepped by hand": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10)])\n"
        "loss_fn = keras.losses.CategoricalCrossentropy(from_logits=True)\n"
        "model.compile(optimizer='sgd', loss='categorical_crossentropy')\n"
        "model.fit(x_train, y_train)\n"
        "with tf.GradientTape() as tape:\n"
        "    loss = loss_fn(y, model(x, training=True))\n",
        {"LG001"},
    ),
    # TensorFlow 0.x's (logits, labels): TF 1.x refuses positions, TF 2 reads (labels, logits)
    "An optional output activation given an nn.Softmax(): applied": (
        optional_activation(made="MLP(8, 3, output_activation=nn.Softmax(dim=-1))"),
        {"LG002"},
    ),
    "An optional output activation tested for truth, given an nn.Sigmoid()": (
        optional_activation("if self.output_activation:", made="MLP(8, 3, nn.Sigmoid())"),
        {"LG002"},
    ),
    "An optional output activation given torch.softmax, a function": (
        optional_activation(made="MLP(8, 3, output_activation=torch.softmax)"),
        {"LG002"},
    ),
    "An optional output activation left at its default None: not applied": (
        optional_activation(made="MLP(8, 3)"),
        set(),
    ),
    "An optional output activation given None: not applied": (
        optional_activation(made="MLP(8, 3, output_activation=None)"),
        set(),
    ),
    "An output activation applied only when none is given: never here": (
        optional_activation(
            "if self.output_activation is None:", made="MLP(8, 3, nn.Softmax(dim=-1))"
        ),
        set(),
    ),
    "A subclass hands the base class's __init__ a softmax through super()": (
        optional_activation(made="Policy(8, 3)"),
        {"LG002"},
    ),
    "A subclass hands the base class's __init__ a softmax on one path of two": (
        optional_activation(
            init="if discrete:\n            "
            + SUPER_SOFTMAX
            + "\n        else:\n            super().__init__(n_in, n_actions)",
            made="Policy(8, 3)",
        ),
        set(),
    ),
    "A subclass hands the base class's __init__ a value the constants do not tell": (
        optional_activation(
            init="super().__init__(n_in, n_actions, output_activation=None if discrete else 1)",
            made="Policy(8, 3)",
        ),
        set(),
    ),
    "A model deep-copied before a trainer's method trains it": (
        TORCH + "import copy\n"
        "class MLP(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 3)\n"
        "        self.softmax = nn.Softmax(dim=1)\n"
        "    def forward(self, x):\n"
        "        return self.softmax(self.fc(x))\n"
        "class Client:\n"
        "    def __init__(self):\n"
        "        self.criterion = nn.CrossEntropyLoss()\n"
        "    def train(self, net, batches):\n"
        "        for x, y in batches:\n"
        "            self.criterion(net(x), y).backward()\n"
        "shared = MLP()\n"
        "Client().train(net=copy.deepcopy(shared), batches=data)\n",
        {"LG002"},
    ),
    "A Keras model cloned, then compiled for logits": (
        KERAS + "base = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\n"
        "student = keras.models.clone_model(base)\n"
        "student.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n",
        {"LG002"},
    ),
    "A Keras model deep-copied, then compiled for logits": (
        KERAS + "import copy\n"
        "base = keras.Sequential([keras.layers.Dense(10, activation='softmax')])\n"
        "student = copy.deepcopy(base)\n"
        "student.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n",
        {"LG002"},
    ),
    "Rounded sigmoid predictions given to BCEWithLogitsLoss": (
        ROUNDED_PREDICTIONS.format(loss_input="y_pred"),
        {"LG002"},
    ),
    "Rounded by the tensor's method, given to BCEWithLogitsLoss": (
        ROUNDED_PREDICTIONS.format(loss_input="y_logits.sigmoid().round()"),
        {"LG002"},
    ),
    "Rounded predictions for the accuracy, the logits to the loss": (
        ROUNDED_PREDICTIONS.format(loss_input="y_logits"),
        set(),
    ),
    "The indices of torch.max over a one-unit head, unpacked": (
        ONE_UNIT_MAXIMUM.format(read="_, pred = torch.max(out, dim=1)"),
        {"LG023"},
    ),
    "The indices of the tensor's own max over a one-unit head": (
        ONE_UNIT_MAXIMUM.format(read="score, pred = out.max(1)"),
        {"LG023"},
    ),
    "torch.max(...)[1] and .indices over a one-unit head": (
        ONE_UNIT_MAXIMUM.format(read="a = torch.max(out, 1)[1]\nb = out.max(dim=-1).indices"),
        ["LG023", "LG023"],
    ),
    "The values of a maximum over a one-unit head: no position read": (
        ONE_UNIT_MAXIMUM.format(
            read="top, _ = torch.max(out, 1)\nv = torch.max(out, 1)[0]\nw = out.max(1)[1]"
        ),
        set(),
    ),
    "torch.max of two tensors is no argmax": (
        ONE_UNIT_MAXIMUM.format(read="bigger = torch.max(out, torch.zeros_like(out))"),
        set(),
    ),
    "A Keras loss returned by a helper, the arm its argument picks": (
        KERAS_LOSS_HELPER.format(call="get_loss('ce')"),
        {"LG002"},
    ),
    "A Keras loss returned by a helper, by its default": (
        KERAS_LOSS_HELPER.format(call="get_loss()"),
        {"LG002"},
    ),
    "A Keras loss returned by a helper, its regression arm": (
        KERAS_LOSS_HELPER.format(call="get_loss('mse')"),
        set(),
    ),
    "A Keras loss returned by a helper, the arm not known": (
        KERAS_LOSS_HELPER.format(call="get_loss(args.loss)"),
        set(),
    ),
    "A Keras loss returned by a helper whose returns agree": (
        KERAS_LOSS_HELPER.format(call="get_loss(args.loss)").replace(
            "keras.losses.MeanSquaredError()",
            "keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)",
        ),
        {"LG002"},
    ),
    "A Keras loss returned by a helper whose returns differ in what they expect": (
        KERAS_LOSS_HELPER.format(call="get_loss(args.loss)").replace(
            "keras.losses.MeanSquaredError()", "'categorical_crossentropy'"
        ),
        set(),
    ),
    "A Keras model built by a plain class's method on an object made on the spot": (
        KERAS_BUILDER_CLASS.format(script="model = CNN(10).build()"),
        {"LG001"},
    ),
    "A Keras model built by a plain class's method on an object bound to a name": (
        KERAS_BUILDER_CLASS.format(script="net = CNN(10)\nmodel = net.build()"),
        {"LG001"},
    ),
    "A method the class does not define builds nothing known": (
        KERAS_BUILDER_CLASS.format(script="model = CNN(10).make()"),
        set(),
    ),
    "A layer appended by a builder under a flag its default sets": (
        FLAGGED_HEAD_BUILDER.format(calls="make_head(512, 10)"),
        {"LG002"},
    ),
    "A layer appended by a builder under a flag its every call turns off": (
        FLAGGED_HEAD_BUILDER.format(calls="make_head(512, 10, probabilities=False)"),
        set(),
    ),
    "A layer appended under a flag that calls set differently: not known": (
        FLAGGED_HEAD_BUILDER.format(calls="make_head(512, 10, probabilities=False)")
        + "scorer = make_head(512, 10, probabilities=True)\n",
        set(),
    ),
    "A model class picked from a registry by the name a factory is given": (
        MODEL_REGISTRY.format(script="model = get_model('softmax', classes=5)"),
        {"LG002"},
    ),
    "The registry's other class, by name": (
        MODEL_REGISTRY.format(script="model = get_model('logits')"),
        set(),
    ),
    "A registry name known only at run time": (
        MODEL_REGISTRY.format(script="model = get_model(args.model)"),
        set(),
    ),
    "A registry a later statement changes is not read as its literal": (
        MODEL_REGISTRY.format(script="MODELS['softmax'] = LogitsNet\nmodel = get_model('softmax')"),
        set(),
    ),
    "A registry a decorator fills is not read as its literal": (
        MODEL_REGISTRY.format(
            script="def register(name):\n"
            "    def add(cls):\n"
            "        MODELS[name] = cls\n"
            "        return cls\n"
            "    return add\n"
            "model = MODELS['softmax']()"
        ),
        set(),
    ),
    "A registry's builder handed its keywords through **kwargs": (
        MODEL_REGISTRY.replace("{script}", "model = get_model('logits', classes=1)")
        .replace("{{", "{")
        .replace("}}", "}"),
        {"LG019"},
    ),
    "Keywords handed on through **kwargs twice": (
        MODEL_REGISTRY.replace(
            "{script}",
            "def build(name, **kwargs):\n"
            "    return get_model(name, **kwargs)\n"
            "model = build('logits', classes=1)",
        )
        .replace("{{", "{")
        .replace("}}", "}"),
        {"LG019"},
    ),
    "Keywords handed on through **kwargs the function changes first": (
        MODEL_REGISTRY.replace(
            "{script}",
            "def build(name, **kwargs):\n"
            "    kwargs['classes'] = 10\n"
            "    return get_model(name, **kwargs)\n"
            "model = build('logits', classes=1)",
        )
        .replace("{{", "{")
        .replace("}}", "}"),
        set(),
    ),
    "A registry name read from a literal config dict": (
        MODEL_REGISTRY.format(
            script="CONFIG = {'model': 'softmax', 'lr': 0.1}\nmodel = get_model(CONFIG['model'])"
        ),
        {"LG002"},
    ),
    "A registry name from a literal config dict a parameter is given": (
        MODEL_REGISTRY.format(
            script="CONFIG = {'model': 'softmax', 'transform': make_transform()}\n"
            "def build(config):\n"
            "    return get_model(config['model'])\n"
            "model = build(CONFIG)"
        ),
        {"LG002"},
    ),
    "A registry name from a config dict the code changes": (
        MODEL_REGISTRY.format(
            script="CONFIG = {'model': 'softmax'}\n"
            "CONFIG['model'] = args.model\n"
            "model = get_model(CONFIG['model'])"
        ),
        set(),
    ),
    "A registry name from a config dict whose keys are not all known": (
        MODEL_REGISTRY.format(
            script="CONFIG = {'model': 'softmax', **overrides}\nmodel = get_model(CONFIG['model'])"
        ),
        set(),
    ),
    "A Keras model a builder method keeps on self, None until then, and returns": (
        KERAS_BUILDER_ON_SELF.format(
            build="        self.model = keras.Model(inputs, outputs)\n        return self.model\n",
            script="model = Builder(10).build()\n"
            "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "model.fit(x, y)",
        ),
        {"LG001"},
    ),
    "A Keras model one method keeps on self and another compiles and returns": (
        KERAS_BUILDER_ON_SELF.format(
            build="        self.model = keras.Model(inputs, outputs)\n"
            "    def compiled(self):\n"
            "        self.model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "        return self.model\n",
            script="builder = Builder(10)\nbuilder.build()\nbuilder.compiled().fit(x, y)",
        ),
        {"LG001"},
    ),
    "A Keras model kept on self by two methods: which one a read gets is not known": (
        KERAS_BUILDER_ON_SELF.format(
            build="        self.model = keras.Model(inputs, outputs)\n"
            "    def rebuild(self):\n"
            "        self.model = keras.Sequential([keras.layers.Dense(10, "
            "activation='softmax')])\n"
            "    def compiled(self):\n"
            "        self.model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "        return self.model\n",
            script="builder = Builder(10)\nbuilder.build()\nbuilder.compiled().fit(x, y)",
        ),
        set(),
    ),
    "A Keras builder picked from a registry by the name a factory is given": (
        KERAS_MODEL_REGISTRY.format(script="model = get_model('logits')"),
        {"LG001"},
    ),
    "A Keras builder picked from a registry, the keywords handed on": (
        KERAS_MODEL_REGISTRY.format(script="model = get_model('logits', classes=1)"),
        {"LG019"},
    ),
    "A Keras registry's other model, by name": (
        KERAS_MODEL_REGISTRY.format(script="model = get_model('softmax')"),
        set(),
    ),
    "A Keras registry name known only at run time": (
        KERAS_MODEL_REGISTRY.format(script="model = get_model(args.model)"),
        set(),
    ),
    "A Keras registry a later statement changes is not read as its literal": (
        KERAS_MODEL_REGISTRY.format(
            script="MODELS['logits'] = SoftmaxMLP\nmodel = get_model('logits')"
        ),
        set(),
    ),
    "A Keras loss named in a literal config dict": (
        KERAS_CONFIG_LOSS.format(config=LITERAL_CONFIG),
        {"LG001"},
    ),
    "A Keras loss named in a config dict that the code changes later": (
        KERAS_CONFIG_LOSS.format(config=LITERAL_CONFIG + "\nCONFIG.update(overrides)"),
        set(),
    ),
    "A Keras loss named in a config read from a file": (
        KERAS_CONFIG_LOSS.format(config="import json\nCONFIG = json.load(open('c.json'))"),
        set(),
    ),
    "A TF1 softmax over W of one column plus a bias of three broadcast: three units": (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.random_normal([4, 1]))\n"
        "b = tf.Variable(tf.random_normal([1, 3]))\n"
        "hyp = tf.nn.softmax(tf.matmul(x, w) + b)\n"
        "cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(hyp), axis=1))\n",
        {"LG011"},
    ),
    "A TF1 softmax over W of one column plus a bias of one: one unit": (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.random_normal([4, 1]))\n"
        "b = tf.Variable(tf.zeros([1]))\n"
        "hyp = tf.nn.softmax(tf.matmul(x, w) + b)\n"
        "cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(hyp), axis=1))\n",
        {"LG004", "LG011"},
    ),
    "TF1 scores given to a loss helper on logits, then cut at 0.5": (
        TF_LOSS_HELPER.format(helper=SIGMOID_LOSS_HELPER),
        {"LG009"},
    ),
    "TF1 scores given to a loss helper that takes logits or probabilities by a flag": (
        TF_LOSS_HELPER.format(
            helper=SIGMOID_LOSS_HELPER.replace(
                "    return",
                "    if probabilities:\n"
                "        return tf.compat.v1.losses.log_loss(target, z)\n    return",
            ).replace("(z, target)", "(z, target, probabilities=False)")
        ),
        set(),
    ),
    "A sigmoid of relu outputs given to BCELoss: never below 0.5": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 1), nn.ReLU())\n"
        "loss = nn.BCELoss()(torch.sigmoid(net(x)), y)\n",
        {"LG022"},
    ),
    "A sigmoid of tanh outputs given to BCELoss: never confident": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 1), nn.Tanh(), nn.Sigmoid())\n"
        "loss = nn.BCELoss()(net(x), y)\n",
        {"LG022"},
    ),
    "A Keras softmax layer over a relu Dense, with a categorical loss": (
        KERAS + "model = keras.Sequential([keras.layers.Dense(10, activation='relu'),\n"
        "    keras.layers.Softmax()])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\n",
        {"LG022"},
    ),
    "A sigmoid of a linear layer after a relu one: a classifier's usual head": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\n"
        "loss = nn.BCELoss()(torch.sigmoid(net(x)), y)\n",
        set(),
    ),
    "Probabilities collected per batch, joined by torch.cat, softmaxed again": (
        TORCH + "model = nn.Linear(16, 10)\n"
        "collected = []\n"
        "for x in batches:\n"
        "    collected.append(model(x).softmax(-1))\n"
        "joined = torch.cat(collected, dim=0)\n"
        "conf, preds = torch.max(joined.softmax(dim=1), 1)\n",
        {"LG021"},
    ),
    "Probabilities joined along another axis, softmaxed: the axes are not known": (
        TORCH + "model = nn.Linear(16, 10)\n"
        "collected = []\n"
        "for x in batches:\n"
        "    collected.append(model(x).softmax(-1))\n"
        "joined = torch.cat(collected, dim=1)\n"
        "weights = joined.softmax(dim=1)\n",
        set(),
    ),
    "A Keras loss helper with a bare return on one path: no loss known": (
        KERAS_LOSS_HELPER.format(call="get_loss(args.loss)").replace(
            "    return keras.losses.MeanSquaredError()\n", "    return\n"
        ),
        set(),
    ),
    "An optional block tested for truth, given a container: its truth is its length": (
        optional_activation(
            "if self.output_activation:", made="MLP(8, 3, nn.Sequential(nn.Softmax(dim=1)))"
        ),
        set(),
    ),
    "A custom Keras layer applying a sigmoid to its sigmoid Dense": (
        KERAS + "class BinaryTask(keras.layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.out = keras.layers.Dense(1, activation='sigmoid')\n"
        "        self.act = keras.layers.Activation('sigmoid')\n"
        "        self.loss_fn = keras.losses.BinaryCrossentropy()\n"
        "    def call(self, inputs):\n"
        "        return self.act(self.out(inputs))\n",
        {"LG021"},
    ),
    "A custom Keras layer applying a softmax to its softmax Dense: the axes may differ": (
        KERAS + "class Block(keras.layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.out = keras.layers.Dense(4, activation='softmax')\n"
        "        self.norm = keras.layers.Softmax(axis=1)\n"
        "        self.loss_fn = keras.losses.CategoricalCrossentropy()\n"
        "    def call(self, inputs):\n"
        "        return self.norm(self.out(inputs))\n",
        set(),
    ),
    "A custom Keras layer with one sigmoid": (
        KERAS + "class BinaryTask(keras.layers.Layer):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.out = keras.layers.Dense(1)\n"
        "        self.act = keras.layers.Activation('sigmoid')\n"
        "        self.loss_fn = keras.losses.BinaryCrossentropy()\n"
        "    def call(self, inputs):\n"
        "        return self.act(self.out(inputs))\n",
        set(),
    ),
    "TF scores appended in a loop, then tf.concat: raw logits": (
        TF_JOINED_SCORES.format(
            made="parts = []\nfor x in chunks:\n    parts.append(scores(x))\n",
            joined="tf.concat(parts, axis=0)",
            loss="",
        ),
        {"LG001"},
    ),
    "TF probabilities appended in a loop, then tf.stack, given as logits": (
        TF_JOINED_SCORES.format(
            made="parts = []\nfor x in chunks:\n    parts.append(probs(x))\n",
            joined="tf.stack(parts)",
            loss=", from_logits=True",
        ),
        {"LG002"},
    ),
    "TF scores made by a comprehension, then joined": (
        TF_JOINED_SCORES.format(
            made="parts = [scores(x) for x in chunks]\n",
            joined="tf.concat(parts, 0)",
            loss="",
        ),
        {"LG001"},
    ),
    "TF scores joined from a list written out, in a keras.ops call": (
        TF_JOINED_SCORES.format(
            made="", joined="keras.ops.concatenate([scores(a), scores(b)])", loss=""
        ).replace("import tensorflow as tf\n", "import tensorflow as tf\nimport keras\n"),
        {"LG001"},
    ),
    "TF scores joined with probabilities: the parts differ, no finding": (
        TF_JOINED_SCORES.format(made="", joined="tf.concat([scores(a), probs(b)], 0)", loss=""),
        set(),
    ),
    "TF scores appended after a list of unknown parts: no finding": (
        TF_JOINED_SCORES.format(
            made="parts = load()\nparts.append(scores(a))\n",
            joined="tf.concat(parts, 0)",
            loss="",
        ),
        set(),
    ),
    "TF scores appended in a loop by a helper that returns the list, then joined": (
        TF_JOINED_SCORES.format(
            made="def run(chunks):\n    parts = []\n    for x in chunks:\n"
            "        parts.append(scores(x))\n    return parts\n",
            joined="tf.concat(run(chunks), 0)",
            loss="",
        ),
        {"LG001"},
    ),
    "TF scores listed by a helper returning (list, state), unpacked, then joined": (
        TF_JOINED_SCORES.format(
            made="def run(chunks, h):\n    parts = []\n    for x in chunks:\n"
            "        parts.append(scores(x))\n    return parts, h\n"
            "outputs, h = run(chunks, h)\n",
            joined="tf.concat(outputs, 0)",
            loss="",
        ),
        {"LG001"},
    ),
    "TF probabilities listed by a helper, joined into a probabilities loss: no finding": (
        TF_JOINED_SCORES.format(
            made="def run(chunks):\n    parts = []\n    for x in chunks:\n"
            "        parts.append(probs(x))\n    return parts\n",
            joined="tf.concat(run(chunks), 0)",
            loss="",
        ),
        set(),
    ),
    "TF helper returning the state first, its second element joined: no finding": (
        TF_JOINED_SCORES.format(
            made="def run(chunks, h):\n    parts = []\n    for x in chunks:\n"
            "        parts.append(scores(x))\n    return h, parts\n"
            "outputs, h = run(chunks, h)\n",
            joined="tf.concat(outputs, 0)",
            loss="",
        ),
        set(),
    ),
    "a TF function handed the step function that computes raw scores": (
        TF_JOINED_SCORES.format(
            made="def train(step_fn, x, y):\n"
            "    outputs = step_fn(x)\n"
            "    return tf.keras.losses.categorical_crossentropy(y, outputs)\n"
            "train(scores, x, y)\n",
            joined="None",
            loss="",
        ),
        {"LG001"},
    ),
    "a TF function handed the step function that computes probabilities: no finding": (
        TF_JOINED_SCORES.format(
            made="def train(step_fn, x, y):\n"
            "    outputs = step_fn(x)\n"
            "    return tf.keras.losses.categorical_crossentropy(y, outputs)\n"
            "train(probs, x, y)\n",
            joined="None",
            loss="",
        ),
        set(),
    ),
    "TF 0.x positional order in a graph-API module, softmax given as the logits": (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 64])\n"
        "y = tf.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.zeros([64, 4]))\n"
        "b = tf.Variable(tf.zeros([4]))\n"
        "scores = tf.matmul(x, w) + b\n"
        "probs = tf.nn.softmax(scores)\n"
        "cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(probs, y))\n",
        {"LG002"},
    ),
    "TF 0.x positional order, the raw scores given as the logits": (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 64])\n"
        "y = tf.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.zeros([64, 4]))\n"
        "b = tf.Variable(tf.zeros([4]))\n"
        "scores = tf.matmul(x, w) + b\n"
        "probs = tf.nn.softmax(scores)\n"
        "cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(scores, y))\n",
        set(),
    ),
    "TF 0.x positional logits with the labels by keyword": (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 64])\n"
        "y = tf.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.zeros([64, 4]))\n"
        "b = tf.Variable(tf.zeros([4]))\n"
        "scores = tf.matmul(x, w) + b\n"
        "probs = tf.nn.softmax(scores)\n"
        "cost = tf.nn.sparse_softmax_cross_entropy_with_logits(probs, labels=y)\n",
        {"LG002"},
    ),
    "library classifier: sigmoid and categorical_crossentropy by default, never constructed": (
        KERAS_CLASSIFIER_DEFAULTS.format(
            loss="categorical_crossentropy", activation="sigmoid", use=""
        ),
        ["LG006"],
    ),
    "library classifier constructed with no arguments, then built": (
        KERAS_CLASSIFIER_DEFAULTS.format(
            loss="categorical_crossentropy",
            activation="sigmoid",
            use="model = Classifier().build_model((4,))\n",
        ),
        ["LG006"],
    ),
    "library classifier whose defaults agree: no finding": (
        KERAS_CLASSIFIER_DEFAULTS.format(
            loss="categorical_crossentropy", activation="softmax", use=""
        ),
        set(),
    ),
    "library classifier with no default activation: the head emits logits": (
        KERAS_CLASSIFIER_DEFAULTS.format(loss="categorical_crossentropy", activation=None, use=""),
        ["LG001"],
    ),
    "library classifier constructed with an activation here: its default decides nothing": (
        KERAS_CLASSIFIER_DEFAULTS.format(
            loss="categorical_crossentropy",
            activation="sigmoid",
            use="model = Classifier(activation='softmax').build_model((4,))\n",
        ),
        set(),
    ),
    "library classifier subclassed here: its defaults may be passed on, no finding": (
        KERAS_CLASSIFIER_DEFAULTS.format(
            loss="categorical_crossentropy",
            activation="sigmoid",
            use="class Wide(Classifier):\n    pass\n",
        ),
        set(),
    ),
    "library classifier handed on as a class: it may be constructed with anything": (
        KERAS_CLASSIFIER_DEFAULTS.format(
            loss="categorical_crossentropy", activation="sigmoid", use="REGISTRY = [Classifier]\n"
        ),
        set(),
    ),
    "Keras model whose call softmaxes unless told it trains, trained with it told: no finding": (
        KERAS + "class ConvNet(keras.Model):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.out = keras.layers.Dense(10)\n"
        "    def call(self, x, is_training=False):\n"
        "        x = self.out(x)\n"
        "        if not is_training:\n"
        "            x = tf.nn.softmax(x)\n"
        "        return x\n"
        "net = ConvNet()\n"
        "def cross_entropy(scores, y):\n"
        "    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=scores)\n"
        "def step(x, y):\n"
        "    with tf.GradientTape() as tape:\n"
        "        loss = cross_entropy(net(x, is_training=True), y)\n",
        set(),
    ),
    "builder function never called: its defaults are what it builds": (
        KERAS_BUILDER_DEFAULTS.format(use=""),
        ["LG006"],
    ),
    "builder function called with nothing: its defaults": (
        KERAS_BUILDER_DEFAULTS.format(use="model = build()\n"),
        ["LG006"],
    ),
    "builder function called with its activation: read for that call, no finding": (
        KERAS_BUILDER_DEFAULTS.format(use="model = build(activation='softmax')\n"),
        set(),
    ),
    "builder function given its arguments by unpacking: no finding": (
        KERAS_BUILDER_DEFAULTS.format(use="model = build(**settings)\n"),
        set(),
    ),
    "builder function decorated: called in ways not seen, no finding": (
        KERAS_BUILDER_DEFAULTS.format(use="").replace("def build", "@register\ndef build"),
        set(),
    ),
    "Keras model whose head is `head or Dense(softmax)`, made with no head": (
        KERAS_OPTIONAL_HEAD.format(made="Net()"),
        {"LG002"},
    ),
    "Keras model whose head is `head or Dense(softmax)`, made with a head of logits": (
        KERAS_OPTIONAL_HEAD.format(made="Net(keras.layers.Dense(10))"),
        set(),
    ),
    "Keras model whose head is `head or Dense(softmax)`, made with an unknown head": (
        KERAS_OPTIONAL_HEAD.format(made="Net(head=make_head())"),
        set(),
    ),
    "model chosen by a flag among if/elif/else, every choice a softmax": (
        TORCH_MODEL_BY_FLAG.format(
            choice="if args.model == 'a':\n    model = Soft()\nelif args.model == 'b':\n"
            "    model = Soft2()\nelse:\n    model = Soft()\n"
        ),
        {"LG002"},
    ),
    "model chosen by a flag, the last arm exits: every model that reaches the loss agrees": (
        TORCH_MODEL_BY_FLAG.format(
            choice="if args.model == 'a':\n    model = Soft()\nelif args.model == 'b':\n"
            "    model = Soft2()\nelse:\n    sys.exit('unknown model')\n"
        ),
        {"LG002"},
    ),
    "model chosen by a flag, the last arm raises": (
        TORCH_MODEL_BY_FLAG.format(
            choice="if args.model == 'a':\n    model = Soft()\nelif args.model == 'b':\n"
            "    model = Soft2()\nelse:\n    raise ValueError(args.model)\n"
        ),
        {"LG002"},
    ),
    "model chosen by a flag among a softmax and logits: no finding": (
        TORCH_MODEL_BY_FLAG.format(
            choice="if args.model == 'a':\n    model = Soft()\nelif args.model == 'b':\n"
            "    model = Raw()\nelse:\n    model = Soft2()\n"
        ),
        set(),
    ),
    "model chosen by a flag, one arm only logs: the model from before may reach the loss": (
        TORCH_MODEL_BY_FLAG.format(
            choice="model = Raw()\nif args.model == 'a':\n    model = Soft()\n"
            "elif args.model == 'b':\n    model = Soft2()\nelse:\n    print('default')\n"
        ),
        set(),
    ),
    "layers stored in an OrderedDict by key, a softmax last": (
        TORCH_ORDERED_DICT_LAYERS.format(
            stored="layers['out'] = nn.Linear(16, k)\n        layers['prob'] = nn.Softmax(-1)"
        ),
        {"LG002"},
    ),
    "layers stored in an OrderedDict by key, a linear layer last: no finding": (
        TORCH_ORDERED_DICT_LAYERS.format(stored="layers['out'] = nn.Linear(16, k)"),
        set(),
    ),
    "layers stored in an OrderedDict under computed keys: not followed": (
        TORCH_ORDERED_DICT_LAYERS.format(
            stored="layers[name] = nn.Linear(16, k)\n        layers['prob'] = nn.Softmax(-1)"
        ),
        set(),
    ),
    "a training mixin calling self(x) on a sigmoid model": (
        TORCH_TRAINING_MIXIN.format(call="self(x)"),
        {"LG002"},
    ),
    "a training mixin calling self.__call__(x) on a sigmoid model": (
        TORCH_TRAINING_MIXIN.format(call="self.__call__(x)"),
        {"LG002"},
    ),
    "relu under log_softmax into F.nll_loss": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.out = nn.Linear(64, 10)\n"
        "    def forward(self, x):\n"
        "        return F.log_softmax(F.relu(self.out(x)), dim=1)\n"
        "loss = F.nll_loss(Net()(x), y)\n",
        {"LG022"},
    ),
    "Keras model returning (output, state): the output's raw logits into a probabilities loss": (
        KERAS_TUPLE_RETURNING_MODEL.format(
            activation="", returned="output, state", from_logits="", given="outputs"
        ),
        {"LG001"},
    ),
    "Keras model returning (output, state): a softmax output into a logits loss": (
        KERAS_TUPLE_RETURNING_MODEL.format(
            activation=", activation='softmax'",
            returned="output, state",
            from_logits="from_logits=True",
            given="outputs",
        ),
        {"LG002"},
    ),
    "Keras model returning (output, state): the loss given the state, no finding": (
        KERAS_TUPLE_RETURNING_MODEL.format(
            activation="", returned="output, state", from_logits="", given="state"
        ),
        set(),
    ),
    "Keras model returning (state, output): the first element is the state, no finding": (
        KERAS_TUPLE_RETURNING_MODEL.format(
            activation="", returned="state, output", from_logits="", given="outputs"
        ),
        set(),
    ),
    "Keras custom layer called as the model: raw logits into a probabilities loss": (
        KERAS_LAYER_AS_MODEL.format(activation="", from_logits=""),
        {"LG001"},
    ),
    "Keras custom layer called as the model: raw logits into a logits loss, no finding": (
        KERAS_LAYER_AS_MODEL.format(activation="", from_logits="from_logits=True"),
        set(),
    ),
    "Keras custom layer called as the model: a softmax into a logits loss": (
        KERAS_LAYER_AS_MODEL.format(activation=", activation='softmax'", from_logits="True"),
        {"LG002"},
    ),
    "a custom layer applying a softmax ends a Sequential compiled with a logits loss": (
        KERAS_CUSTOM_LAST_LAYER.format(
            activation="",
            last="Softmaxed",
            loss="keras.losses.CategoricalCrossentropy(from_logits=True)",
        ),
        {"LG002"},
    ),
    "a custom layer scaling a softmax's probabilities: not probabilities, no finding": (
        KERAS_CUSTOM_LAST_LAYER.format(
            activation=", activation='softmax'", last="Scaled", loss="'categorical_crossentropy'"
        ),
        set(),
    ),
    "a custom layer pooling under a softmax's weights: no head read, no finding": (
        KERAS_CUSTOM_LAST_LAYER.format(
            activation="", last="Pooled", loss="'sparse_categorical_crossentropy'"
        ),
        set(),
    ),
    "a loss module joining 1 - p and p of sigmoid outputs before a logits loss": (
        TORCH_LOSS_RESHAPING_ITS_INPUT.format(
            output="torch.sigmoid(self.fc(x))",
            reshape="        scores = torch.cat([1 - scores, scores], 1)\n",
        ),
        {"LG002"},
    ),
    "a loss module joining 1 - s and s of raw scores: no finding": (
        TORCH_LOSS_RESHAPING_ITS_INPUT.format(
            output="self.fc(x)", reshape="        scores = torch.cat([1 - scores, scores], 1)\n"
        ),
        set(),
    ),
    "a loss module reshaping its sigmoid input on one path only, a logits loss after": (
        TORCH_LOSS_RESHAPING_ITS_INPUT.format(
            output="torch.sigmoid(self.fc(x))",
            reshape="        if scores.size(1) == 1:\n"
            "            scores = torch.cat([scores, scores], 1)\n",
        ),
        {"LG002"},
    ),
    "a loss module activating its raw input on one path only: the paths differ, no finding": (
        TORCH_LOSS_RESHAPING_ITS_INPUT.format(
            output="self.fc(x)",
            reshape="        if scores.size(1) == 1:\n            scores = scores.sigmoid()\n",
        ),
        set(),
    ),
    "1 - p of a softmax's rows is no distribution: no finding": (
        TORCH + "net = nn.Sequential(nn.Linear(8, 3), nn.Softmax(dim=1))\n"
        "p = net(x)\n"
        "loss = F.nll_loss(torch.log(torch.cat([1 - p, p], 1)), y)\n"
        "loss2 = F.cross_entropy(torch.cat([1 - p, p], 1), y)\n",
        set(),
    ),
    "a base class's loss default, its parameter left unpassed by super().__init__()": (
        TORCH_BASE_CLASS_LOSS_DEFAULT.format(
            made="nn.BCEWithLogitsLoss() if loss is None else loss", passed=""
        ),
        {"LG002"},
    ),
    "a base class's loss, the subclass's super().__init__ passing a probabilities loss": (
        TORCH_BASE_CLASS_LOSS_DEFAULT.format(
            made="nn.BCEWithLogitsLoss() if loss is None else loss", passed="nn.BCELoss()"
        ),
        set(),
    ),
    "a base class's loss made from the subclass's class attribute": (
        TORCH_BASE_CLASS_LOSS_DEFAULT.format(
            made="loss if loss is not None else self.loss_default()", passed=""
        ),
        {"LG002"},
    ),
    "a model handed to a tape helper and back, twice: raw logits into a probabilities loss": (
        KERAS_MODEL_HANDED_BACK.format(from_logits=""),
        ["LG001"],
    ),
    "a model handed to a tape helper and back, twice: raw logits into a logits loss": (
        KERAS_MODEL_HANDED_BACK.format(from_logits=", from_logits=True"),
        [],
    ),
    "a project loss deriving a logits loss, no forward of its own": (
        TORCH_DERIVED_LOSS.format(name="MyBCE", bases="nn.BCEWithLogitsLoss", body="    pass\n"),
        ["LG002"],
    ),
    "a project loss deriving a logits loss after bases of its file without a forward": (
        TORCH_DERIVED_LOSS.format(
            name="BCEWithLogitsLoss",
            bases="PointwiseLoss, nn.BCEWithLogitsLoss",
            body="    def __init__(self):\n        super().__init__(reduction='sum')\n",
        ),
        ["LG002"],
    ),
    "a project loss deriving a logits loss with a forward of its own on probabilities": (
        TORCH_DERIVED_LOSS.format(
            name="Clipped",
            bases="nn.BCEWithLogitsLoss",
            body="    def forward(self, probs, target):\n"
            "        return F.binary_cross_entropy(probs.clamp(1e-6, 1 - 1e-6), target)\n",
        ),
        [],
    ),
    "a module container's softmax module given a tensor is no tensor method: no finding": (
        TORCH + "class Brain:\n"
        "    def __init__(self, modules):\n"
        "        self.modules = nn.ModuleDict(modules)\n"
        "    def forward(self, x):\n"
        "        return self.modules.softmax(self.modules.to_output(x))\n"
        "def nll(log_probs, targets):\n"
        "    return F.nll_loss(log_probs, targets)\n"
        "loss = nll(Brain(load_modules()).forward(x), y)\n",
        [],
    ),
    "a tensor's softmax over a dim held by a name, into NLL": (
        TORCH + "def nll(scores, targets, dim=1):\n"
        "    return F.nll_loss(scores.softmax(dim), targets)\n"
        "def nll2(scores, targets):\n"
        "    return F.nll_loss(scores.softmax(-1), targets)\n",
        ["LG010", "LG010"],
    ),
    "sigmoid probabilities clamped, joined with 1 - p, into NLL": (
        TORCH_CLIPPED_PROBABILITY.format(
            clipped="self.fc(x).sigmoid().clamp(1e-3, 1 - 1e-3)",
            read="self.encode(x)['on']",
            loss="F.nll_loss(torch.cat([1 - p, p], dim=1), y)",
        ),
        ["LG010"],
    ),
    "sigmoid probabilities clipped by torch.clamp, regrouped by einops, into NLL": (
        TORCH_CLIPPED_PROBABILITY.format(
            clipped="torch.clamp(torch.sigmoid(self.fc(x)), 1e-3, 1 - 1e-3)",
            read="rearrange(self.encode(x)['on'], 'b n 1 -> (b n) 1')",
            loss="F.nll_loss(torch.cat([1 - p, p], dim=1), y)",
        ),
        ["LG010"],
    ),
    "clamped sigmoid probabilities into a probabilities loss: no finding": (
        TORCH_CLIPPED_PROBABILITY.format(
            clipped="self.fc(x).sigmoid().clamp(1e-3, 1 - 1e-3)",
            read="self.encode(x)['on']",
            loss="F.binary_cross_entropy(p, y)",
        ),
        [],
    ),
    "clamped raw scores into a logits loss: no finding": (
        TORCH_CLIPPED_PROBABILITY.format(
            clipped="self.fc(x).clamp(-20, 20)",
            read="self.encode(x)['on']",
            loss="F.binary_cross_entropy_with_logits(p, y)",
        ),
        [],
    ),
    "the log of a softmax clamped above zero is never -inf: no finding": (
        TORCH + "def kl(post_logits, prior_logits):\n"
        "    posterior = torch.softmax(post_logits, dim=-1).clamp(min=1e-8)\n"
        "    prior = torch.clamp(torch.softmax(prior_logits, dim=-1), 1e-8, 1.0)\n"
        "    eps = 1e-8\n"
        "    prior_sg = torch.softmax(prior_logits, dim=-1).detach().clamp(min=eps)\n"
        "    return (posterior * (posterior.log() - prior.log() - prior_sg.log())).sum(-1)\n",
        [],
    ),
    "the log of a softmax clamped into [0, 1] may still be -inf": (
        TORCH + "def loss(logits, y):\n"
        "    p = torch.softmax(logits, dim=-1).clamp(0, 1)\n"
        "    return F.nll_loss(p.log(), y)\n",
        ["LG011"],
    ),
    "logits masked by torch.where with -inf stay logits, not log-probabilities": (
        TORCH + "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(8, 5)\n"
        "    def forward(self, x, mask):\n"
        "        return torch.where(mask, self.fc(x), float('-inf'))\n"
        "model = Net()\n"
        "loss = F.nll_loss(model(x, mask), y)\n"
        "fine = F.cross_entropy(model(x, mask), y)\n",
        ["LG010"],
    ),
    "probabilities zeroed by jnp.where stay probabilities": (
        "import jax.numpy as jnp\nimport jax, optax\n"
        "def loss_fn(logits, labels, mask):\n"
        "    probs = jnp.where(mask, jax.nn.softmax(logits), 0.0)\n"
        "    return optax.softmax_cross_entropy(probs, labels).mean()\n",
        ["LG002"],
    ),
    "a pick between a head's logits and another tensor tells nothing": (
        TORCH + "model = nn.Linear(8, 5)\n"
        "scores = torch.where(mask, F.softmax(model(x), -1), prior)\n"
        "loss = F.cross_entropy(scores, y)\n",
        [],
    ),
    "one layer moved to a device is still that layer": (
        TORCH + "m = nn.Linear(20, 1)\nm = m.to(0)\nloss = F.cross_entropy(m(x), y)\n",
        ["LG019"],
    ),
    "one layer moved to a device by a trainer's constructor is still that layer": (
        TORCH + "class Trainer:\n"
        "    def __init__(self, model, device):\n"
        "        self.model = model.to(device)\n"
        "    def step(self, x, y):\n"
        "        F.cross_entropy(self.model(x), y).backward()\n"
        "trainer = Trainer(torch.nn.Linear(20, 1), 0)\n"
        "trainer.step(x, y)\n",
        ["LG019"],
    ),
    "TF: a cross-entropy written by hand on a softmax of relu outputs": (
        TF_AFFINE.format(
            scores="tf.nn.softmax(tf.nn.relu(x @ W + b))",
            loss="-tf.reduce_sum(y * tf.math.log(scores))",
        ),
        ["LG011", "LG022"],
    ),
    "TF: a cross-entropy written by hand on a clipped softmax of relu outputs": (
        TF_AFFINE.format(
            scores="tf.nn.softmax(tf.nn.relu(x @ W + b))",
            loss="-tf.reduce_sum(y * tf.math.log(tf.clip_by_value(scores, 1e-10, 1.0)))",
        ),
        ["LG022"],
    ),
    "TF: a cross-entropy written by hand on a softmax of raw scores": (
        TF_AFFINE.format(
            scores="tf.nn.softmax(x @ W + b)",
            loss="-tf.reduce_sum(y * tf.math.log(tf.clip_by_value(scores, 1e-10, 1.0)))",
        ),
        [],
    ),
    "TF 2 positional order: the second argument is the logits": (
        "import tensorflow as tf\n"
        "x = tf.compat.v1.placeholder(tf.float32, [None, 64])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.zeros([64, 4]))\n"
        "b = tf.Variable(tf.zeros([4]))\n"
        "probs = tf.nn.softmax(tf.matmul(x, w) + b)\n"
        "cost = tf.nn.softmax_cross_entropy_with_logits(probs, y)\n"
        "cost2 = tf.nn.softmax_cross_entropy_with_logits(y, probs)\n",
        ["LG002"],
    ),
}


@pytest.mark.parametrize(("source", "expected"), SHAPES.values(), ids=SHAPES.keys())
def test_shape(source: str, expected: set[str] | list[str]) -> None:
    if isinstance(expected, list):  # each finding, counted
        found = check_source(textwrap.dedent(source), "train.py")
        assert sorted(finding.code for finding in found) == expected
    else:
        assert codes(source) == expected


@pytest.mark.parametrize(
    ("source", "fix"),
    [
        (
            TORCH + "model = nn.Linear(8, 4)\nloss = -(y * torch.log(model(x))).sum()\n",
            "Use F.cross_entropy on the logits: it applies the softmax itself, stably.",
        ),
        (
            TF_AFFINE.format(scores="x @ W + b", loss="-tf.reduce_sum(y * tf.math.log(scores))"),
            "Use tf.nn.softmax_cross_entropy_with_logits on the logits: it applies the softmax "
            "itself, stably.",
        ),
        (  # raw scores clipped into the log's domain are still no probabilities
            TORCH + "model = nn.Linear(8, 4)\n"
            "loss = -(y * torch.log(torch.clamp(model(x), 1e-7, 1.0))).sum()\n",
            "Use F.cross_entropy on the logits: it applies the softmax itself, stably.",
        ),
        (
            TORCH + "model = nn.Linear(8, 4)\nout = model(x)\n"
            "loss = -(y * out.clamp(min=1e-7).log() + (1 - y) * (1 - out).clamp(min=1e-7).log())"
            ".mean()\n",
            "Use F.binary_cross_entropy_with_logits on the logits: it applies the sigmoid itself, "
            "stably.",
        ),
        (
            TF_AFFINE.format(
                scores="x @ W + b",
                loss="-tf.reduce_sum(y * tf.math.log(tf.clip_by_value(scores, 1e-10, 1.0)))",
            ),
            "Use tf.nn.softmax_cross_entropy_with_logits on the logits: it applies the softmax "
            "itself, stably.",
        ),
        (
            TF_AFFINE.format(
                scores="x @ W + b",
                loss="-tf.reduce_mean(y * tf.math.log(tf.clip_by_value(scores, 1e-10, 1.0))"
                " + (1 - y) * tf.math.log(tf.clip_by_value(1 - scores, 1e-10, 1.0)))",
            ),
            "Use tf.nn.sigmoid_cross_entropy_with_logits on the logits: it applies the sigmoid "
            "itself, stably.",
        ),
    ],
)
def test_a_cross_entropy_written_by_hand_is_told_the_loss_on_logits(source: str, fix: str) -> None:
    (finding,) = check_source(textwrap.dedent(source), "train.py")
    assert (finding.code, finding.fix) == ("LG001", fix)


def test_rounded_probabilities_into_a_logits_loss_are_not_fixed_by_a_probabilities_loss() -> None:
    """BCELoss on predictions rounded to 0 or 1 has no gradient: the fix is to pass the logits,
    which the finding says and no edit can make."""
    source = ROUNDED_PREDICTIONS.format(loss_input="y_pred")
    [finding] = check_source(source, "train.py")
    assert finding.code == "LG002" and finding.edit is None
    unrounded = source.replace("torch.round(torch.sigmoid(y_logits))", "torch.sigmoid(y_logits)")
    [finding] = check_source(unrounded, "train.py")
    assert finding.code == "LG002" and finding.edit is not None


def test_a_loss_a_helper_returns_is_not_edited_inside_the_helper() -> None:
    """Other calls may want the helper's loss as it is: the finding offers no edit there."""
    [finding] = check_source(KERAS_LOSS_HELPER.format(call="get_loss('ce')"), "train.py")
    assert finding.code == "LG002" and finding.edit is None


def test_a_loss_made_from_a_class_attribute_is_not_renamed_there() -> None:
    """`self.loss_default()` names no loss class: renaming its attribute would break it."""
    source = TORCH_BASE_CLASS_LOSS_DEFAULT.format(
        made="loss if loss is not None else self.loss_default()", passed=""
    )
    [finding] = check_source(source, "train.py")
    assert finding.code == "LG002" and finding.edit is None


def test_a_loss_class_deriving_a_library_loss_is_not_renamed() -> None:
    """Renaming `MyBCE`'s base would change every use of the class: no edit is offered."""
    source = TORCH_DERIVED_LOSS.format(
        name="MyBCE", bases="nn.BCEWithLogitsLoss", body="    pass\n"
    )
    [finding] = check_source(source, "train.py")
    assert finding.code == "LG002" and finding.edit is None


def test_a_loss_named_in_a_config_is_not_edited_there() -> None:
    """The config may name the loss of other models too: the finding offers no edit."""
    [finding] = check_source(KERAS_CONFIG_LOSS.format(config=LITERAL_CONFIG), "train.py")
    assert finding.code == "LG001" and finding.edit is None


def test_a_recursive_function_handing_its_parameters_on_is_read_once_per_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A converter calling itself at several places with `wrap=wrap` (for lists, tuples,
    dicts...), whose inner helper tests the flag: the flag's constant is read along the calls
    that give it a value, not again along every chain of recursive calls (exponential in the
    places it recurses)."""
    from logitguard.static.engine import evaluator

    recursions = "".join(
        f"    if isinstance(x, kinds[{n}]):\n"
        f"        return as_tensor(convert(x[0], dtype=dtype, wrap=wrap))\n"
        for n in range(4)
    )
    source = (
        TORCH + "kinds = (list, tuple, dict, set)\n"
        "def convert(x, dtype=None, wrap=False):\n"
        "    def as_tensor(t):\n"
        "        if wrap and not isinstance(t, torch.Tensor):\n"
        "            return torch.as_tensor(t, dtype=dtype)\n"
        "        return t\n" + recursions + "    return as_tensor(x)\n"
        "loss_fn = nn.CrossEntropyLoss()\n"
    )
    calls = []
    constant = evaluator.Evaluator.constant
    monkeypatch.setattr(
        evaluator.Evaluator,
        "constant",
        lambda self, *args, **kwargs: calls.append(args) or constant(self, *args, **kwargs),
    )
    check_source(source, "train.py")
    assert 0 < len(calls) < 2_000


def test_a_flag_handed_down_a_chain_of_functions_is_read_once_per_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seven functions, each handing `flag` to the next at three places: the flag that decides
    the last one's softmax is read once per function and depth, not once per path through
    the calls (three to the power of the chain's length). The softmax is still found."""
    from logitguard.static.engine import evaluator

    source = TORCH + "loss_fn = nn.CrossEntropyLoss()\n"
    for level in range(7):
        if level == 6:
            source += (
                f"def f{level}(x, flag):\n"
                "    if flag:\n        return torch.softmax(x, 1)\n    return x\n"
            )
        else:
            step = f"f{level + 1}(x, flag)"
            source += (
                f"def f{level}(x, flag):\n    if x is None:\n        return {step}\n"
                f"    if flag:\n        return {step}\n    return {step}\n"
            )
    source += "loss = loss_fn(f0(model(x), True), y)\n"
    calls = []
    constant = evaluator.Evaluator.constant
    monkeypatch.setattr(
        evaluator.Evaluator,
        "constant",
        lambda self, *args, **kwargs: calls.append(args) or constant(self, *args, **kwargs),
    )
    assert [finding.code for finding in check_source(source, "train.py")] == ["LG002"]
    assert len(calls) < 3_000
