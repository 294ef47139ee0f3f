"""Project-wide analysis: the head in one file, the loss in another, imports in every form.

Each test writes a small project of its own into a temporary folder and checks the folder (or
one file of it) as a user would.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from logitguard.cli import main
from logitguard.core.findings import Finding
from logitguard.static.checker import check_paths

TORCH_SOFTMAX_NET = """
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 10)
        self.act = nn.Softmax(dim=1)

    def forward(self, x):
        return self.act(self.fc(x))
"""
TORCH_LOGITS_NET = """
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(x)
"""
KERAS_LOGITS_BUILDER = """
from tensorflow import keras

def build_model():
    return keras.Sequential([
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),
    ])
"""


# A model class ending in a softmax, for a module of its own.
SOFTMAX_MLP = """
class MLP(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, classes), nn.Softmax(dim=1))

    def forward(self, x):
        return self.net(x)
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")


def check(root: Path, *names: str) -> list[Finding]:
    paths = [str(root / name) for name in names] or [str(root)]
    return check_paths(paths)


def found(findings: list[Finding]) -> set[tuple[str, str]]:
    """(code, file name) of each finding."""
    return {(f.code, Path(f.location.path).name) for f in findings if f.location}


def line(root: Path, name: str, text: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, content in enumerate(lines, 1) if text in content)


def test_model_class_imported_from_the_scripts_folder(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": TORCH_SOFTMAX_NET,
            "train.py": """
                import torch.nn as nn
                from model import Net

                net = Net()
                criterion = nn.CrossEntropyLoss()
                for x, y in loader:
                    loss = criterion(net(x), y)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG002", "train.py")}
    (finding,) = findings
    assert finding.location.line == line(tmp_path, "train.py", "CrossEntropyLoss()")
    (head,) = finding.related
    assert Path(head.path).name == "model.py"
    assert head.line == line(tmp_path, "model.py", "nn.Linear")


def test_checking_the_training_script_alone_still_follows_its_imports(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": TORCH_SOFTMAX_NET,
            "train.py": "import torch.nn as nn\nfrom model import Net\n"
            "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        },
    )
    assert found(check(tmp_path, "train.py")) == {("LG002", "train.py")}
    assert check(tmp_path, "model.py") == []


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("pyproject.toml", {("LG002", "train.py")}),
        (".git/HEAD", {("LG002", "train.py")}),
        # No repository: Python, running the script from its folder, cannot import `project`.
        (None, set()),
    ],
)
def test_a_script_checked_alone_imports_from_its_repositorys_top(
    tmp_path: Path, marker: str | None, expected: set[tuple[str, str]]
) -> None:
    """`scripts/train.py` importing `project.nets` is run from the repository's top."""
    files = {
        "project/__init__.py": "",
        "project/nets.py": TORCH_SOFTMAX_NET,
        "scripts/train.py": "import torch.nn as nn\nfrom project.nets import Net\n"
        "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
    }
    if marker is not None:
        files[marker] = ""
    write(tmp_path, files)
    findings = check(tmp_path / "scripts", "train.py")
    assert found(findings) == expected
    heads = [related.path for finding in findings for related in finding.related]
    assert [Path(path).parts[-2:] for path in heads] == [("project", "nets.py")] * len(expected)


KERAS_CONFIG_MODULE = """
NUM_CLASSES = 1
FINAL_ACTIVATION = None
LOSS = "binary_crossentropy"
"""


@pytest.mark.parametrize(
    ("importing", "head", "config_more", "script_more", "expected"),
    [
        ("from config import *", "NUM_CLASSES, activation=FINAL_ACTIVATION", "", "", {"LG001"}),
        (
            "from config import NUM_CLASSES, FINAL_ACTIVATION, LOSS",
            "NUM_CLASSES, activation=FINAL_ACTIVATION",
            "",
            "",
            {"LG001"},
        ),
        (
            "import config as cfg",
            "cfg.NUM_CLASSES, activation=cfg.FINAL_ACTIVATION",
            "",
            "",
            {"LG001"},
        ),
        # Set for real by the script, or bound twice: what the head holds is not known.
        (
            "import config as cfg",
            "cfg.NUM_CLASSES, activation=cfg.FINAL_ACTIVATION",
            "",
            "cfg.FINAL_ACTIVATION = 'sigmoid'\n",
            set(),
        ),
        (
            "from config import NUM_CLASSES, FINAL_ACTIVATION, LOSS",
            "NUM_CLASSES, activation=FINAL_ACTIVATION",
            "if FAST:\n    FINAL_ACTIVATION = 'sigmoid'\n",
            "",
            set(),
        ),
    ],
    ids=["star", "names", "module-alias", "set-by-the-script", "bound-twice"],
)
def test_keras_head_and_loss_read_from_a_config_module(
    tmp_path: Path,
    importing: str,
    head: str,
    config_more: str,
    script_more: str,
    expected: set[str],
) -> None:
    loss = "cfg.LOSS" if importing.endswith("cfg") else "LOSS"
    write(
        tmp_path,
        {
            "config.py": KERAS_CONFIG_MODULE + config_more,
            "train.py": f"from tensorflow import keras\n{importing}\n{script_more}"
            "model = keras.Sequential([keras.layers.Dense(32, activation='relu'),\n"
            f"                          keras.layers.Dense({head})])\n"
            f"model.compile(optimizer='adam', loss={loss})\n"
            "model.fit(x, y)\n",
        },
    )
    assert {finding.code for finding in check(tmp_path)} == expected


def test_correct_twin_across_files_is_silent(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": TORCH_LOGITS_NET,
            "train.py": "import torch.nn as nn\nfrom model import Net\n"
            "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        },
    )
    assert check(tmp_path) == []


def test_package_relative_import(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/models/__init__.py": "",
            "proj/models/net.py": TORCH_SOFTMAX_NET,
            "proj/train.py": """
                import torch.nn.functional as F
                from .models.net import Net

                def step(x, y):
                    return F.cross_entropy(Net()(x), y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "train.py")}


def test_module_imported_under_an_alias(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "models/__init__.py": "",
            "models/net.py": TORCH_SOFTMAX_NET,
            "train.py": "import torch.nn as nn\nimport models.net as N\n"
            "loss = nn.CrossEntropyLoss()(N.Net()(x), y)\n",
        },
    )
    assert found(check(tmp_path)) == {("LG002", "train.py")}


def test_reexport_through_package_init(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "models/__init__.py": "from .net import Net as Classifier\n",
            "models/net.py": TORCH_SOFTMAX_NET,
            "train.py": "import torch.nn as nn\nfrom models import Classifier\n"
            "loss = nn.CrossEntropyLoss()(Classifier()(x), y)\n",
        },
    )
    assert found(check(tmp_path)) == {("LG002", "train.py")}


def test_star_import_from_a_local_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": TORCH_SOFTMAX_NET,
            "train.py": "import torch.nn as nn\nfrom model import *\n"
            "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        },
    )
    assert found(check(tmp_path)) == {("LG002", "train.py")}


def test_keras_builder_function_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": KERAS_LOGITS_BUILDER,
            "train.py": """
                from model import build_model

                model = build_model()
                model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
                model.fit(x, y)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG001", "train.py")}
    assert Path(findings[0].related[0].path).name == "model.py"


def test_keras_model_subclass_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "nets.py": """
                import keras

                class Classifier(keras.Model):
                    def __init__(self):
                        super().__init__()
                        self.hidden = keras.layers.Dense(32, activation="relu")
                        self.out = keras.layers.Dense(3, activation="softmax")

                    def call(self, x):
                        return self.out(self.hidden(x))
            """,
            "train.py": """
                import keras
                from nets import Classifier

                model = Classifier()
                model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "train.py")}


def test_keras_model_object_built_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "net.py": "from tensorflow import keras\n"
            "model = keras.Sequential([keras.layers.Dense(10)])\n",
            "train.py": "from net import model\nmodel.compile(loss='categorical_crossentropy')\n",
        },
    )
    assert found(check(tmp_path)) == {("LG001", "train.py")}


def test_keras_layer_list_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "layers.py": "from tensorflow import keras\n"
            "LAYERS = [keras.layers.Dense(32, activation='relu'), keras.layers.Dense(1)]\n",
            "train.py": "from tensorflow import keras\nfrom layers import LAYERS\n"
            "model = keras.Sequential(LAYERS)\n"
            "model.compile(loss='binary_crossentropy', metrics=['accuracy'])\n",
        },
    )
    assert ("LG001", "train.py") in found(check(tmp_path))


def test_keras_loss_defined_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "losses.py": "import keras\nLOSS = keras.losses.SparseCategoricalCrossentropy()\n",
            "train.py": "import keras\nfrom losses import LOSS\n"
            "model = keras.Sequential([keras.layers.Dense(10)])\n"
            "model.compile(loss=LOSS)\n",
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG001", "losses.py")}  # at the loss, with the head related
    assert Path(findings[0].related[0].path).name == "train.py"


def test_torch_loss_defined_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.py": "import torch.nn as nn\ncriterion = nn.BCELoss()\n",
            "train.py": "import torch.nn as nn\nfrom config import criterion\n"
            "net = nn.Sequential(nn.Linear(8, 1))\nloss = criterion(net(x), y)\n",
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG001", "config.py")}


def test_training_function_in_another_file_gets_model_and_loss(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "engine.py": """
                def train_one_epoch(model, criterion, loader, optimizer):
                    for images, targets in loader:
                        outputs = model(images)
                        loss = criterion(outputs, targets)
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
            """,
            "model.py": TORCH_SOFTMAX_NET,
            "main.py": """
                import torch
                import torch.nn as nn
                from engine import train_one_epoch
                from model import Net

                net = Net()
                train_one_epoch(net, nn.CrossEntropyLoss(), loader, opt)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG002", "main.py")}
    assert findings[0].location.line == line(tmp_path, "main.py", "CrossEntropyLoss")


def test_trainer_class_stores_the_criterion_on_self(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "trainer.py": """
                class Trainer:
                    def __init__(self, model, criterion):
                        self.model = model
                        self.criterion = criterion

                    def fit(self, loader):
                        for x, y in loader:
                            loss = self.criterion(self.model(x), y)
                            loss.backward()
            """,
            "run.py": """
                import torch.nn as nn
                from trainer import Trainer

                model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
                Trainer(model, nn.BCELoss()).fit(loader)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG001", "run.py")}


def test_loss_handed_over_by_a_setter_method(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "wrapper.py": """
                class Wrapper:
                    def __init__(self, net):
                        self.net = net

                    def add_loss_op(self, loss):
                        self.loss = loss

                    def step(self, x, y):
                        return self.loss(self.net(x), y)
            """,
            "run.py": """
                import torch.nn as nn
                from wrapper import Wrapper

                wrapper = Wrapper(nn.Sequential(nn.Linear(4, 3), nn.Softmax(dim=1)))
                wrapper.add_loss_op(nn.CrossEntropyLoss())
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "run.py")}


def test_loss_function_passed_as_a_value(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "loop.py": "def fit(model, loss_fn, x, y):\n    return loss_fn(model(x), y)\n",
            "run.py": "import torch.nn as nn\nimport torch.nn.functional as F\n"
            "from loop import fit\n"
            "fit(nn.Sequential(nn.Linear(4, 1)), F.binary_cross_entropy, x, y)\n",
        },
    )
    assert found(check(tmp_path)) == {("LG001", "loop.py")}


def test_two_call_sites_are_judged_each_on_its_own(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "loop.py": "def fit(model, criterion):\n    return criterion(model(x), y)\n",
            "run.py": "import torch.nn as nn\nfrom loop import fit\n"
            "fit(nn.Sequential(nn.Linear(4, 1)), nn.BCEWithLogitsLoss())\n"
            "fit(nn.Sequential(nn.Linear(4, 1), nn.Sigmoid()), nn.BCELoss())\n",
        },
    )
    assert check(tmp_path) == []


KERAS_TAPE_LOOP = """
import tensorflow as tf
from tensorflow import keras

def fit(model, data, epochs=2):
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = keras.optimizers.Adam()
    for _ in range(epochs):
        for x, y in data:
            with tf.GradientTape() as tape:
                logits = model(x, training=True)
                loss = loss_fn(y, logits)
            grads = tape.gradient(loss, model.trainable_weights)
            optimizer.apply_gradients(zip(grads, model.trainable_weights))
"""


def test_keras_tape_loop_in_another_file_gets_the_model(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "training.py": KERAS_TAPE_LOOP,
            "models.py": """
                from tensorflow import keras

                def classifier(classes):
                    inputs = keras.Input(shape=(32,))
                    outputs = keras.layers.Dense(classes, activation="softmax")(inputs)
                    return keras.Model(inputs, outputs)
            """,
            "main.py": """
                from models import classifier
                from training import fit

                fit(classifier(4), dataset)
            """,
        },
    )
    [finding] = check(tmp_path)
    assert (finding.code, Path(finding.location.path).name) == ("LG002", "training.py")
    assert Path(finding.related[0].path).name == "models.py"
    assert finding.location.line == line(tmp_path, "training.py", "loss_fn =")


def test_keras_tape_loop_shared_by_two_models_is_judged_per_call_without_a_fix(
    tmp_path: Path,
) -> None:
    """One call trains a softmax model, the other a logits model: the loss object inside the
    loop is right for one of them, so the finding stands and offers no edit."""
    write(
        tmp_path,
        {
            "training.py": KERAS_TAPE_LOOP,
            "main.py": """
                from tensorflow import keras
                from training import fit

                fit(keras.Sequential([keras.layers.Dense(4, activation="softmax")]), dataset)
                fit(keras.Sequential([keras.layers.Dense(4)]), dataset)
            """,
        },
    )
    [finding] = check(tmp_path)
    assert finding.code == "LG002"
    assert finding.edit is None


KERAS_SOFTMAX_SUBCLASS = """
import tensorflow as tf

class Segmenter(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = tf.keras.layers.Conv2D(3, 1)

    def call(self, x):
        return tf.keras.activations.{activation}(self.conv(x), axis=-1)
"""
# A loss helper that reshapes and casts what it is given before a TF op on logits.
TF_LOSS_HELPER = """
import tensorflow as tf

def pixel_loss(predicted, target):
    classes = predicted.shape[-1]
    flat = tf.reshape(tf.cast(predicted, tf.float32), [-1, classes])
    labels = tf.reshape(target, [-1, classes])
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=flat, labels=labels))
"""


@pytest.mark.parametrize("activation", ["softmax", "linear"])
def test_keras_output_handed_to_a_loss_helper_in_another_file(
    tmp_path: Path, activation: str
) -> None:
    write(
        tmp_path,
        {
            "model.py": KERAS_SOFTMAX_SUBCLASS.replace("{activation}", activation),
            "losses.py": TF_LOSS_HELPER,
            "run.py": """
                import tensorflow as tf
                from model import Segmenter
                from losses import pixel_loss

                model = Segmenter()
                for images, masks in dataset:
                    with tf.GradientTape() as tape:
                        loss = pixel_loss(model(images), masks)
            """,
        },
    )
    findings = check(tmp_path)
    if activation == "linear":
        assert findings == []
        return
    [finding] = findings
    assert (finding.code, Path(finding.location.path).name) == ("LG002", "losses.py")
    assert Path(finding.related[0].path).name == "model.py"


@pytest.mark.parametrize("activation", ["softmax", "linear"])
def test_keras_model_passed_to_a_loop_that_calls_a_loss_helper(
    tmp_path: Path, activation: str
) -> None:
    """Two calls deep: the script passes the model to `train`, whose loop passes the model's
    output to the loss helper of a third file."""
    write(
        tmp_path,
        {
            "model.py": KERAS_SOFTMAX_SUBCLASS.replace("{activation}", activation),
            "losses.py": TF_LOSS_HELPER,
            "training.py": """
                import tensorflow as tf
                from losses import pixel_loss

                def train(params, model, dataset):
                    optimizer = tf.keras.optimizers.Adam()
                    for images, masks in dataset:
                        with tf.GradientTape() as tape:
                            output = model(images, training=True)
                            loss = pixel_loss(output, masks)
                        grads = tape.gradient(loss, model.trainable_variables)
                        optimizer.apply_gradients(zip(grads, model.trainable_variables))
            """,
            "run.py": """
                from model import Segmenter
                from training import train

                train(params, Segmenter(), dataset)
            """,
        },
    )
    findings = check(tmp_path)
    if activation == "linear":
        assert findings == []
        return
    assert found(findings) == {("LG002", "losses.py")}


@pytest.mark.parametrize("passed", ["out", "torch.sigmoid(out)"])
def test_torch_output_cut_at_half_by_a_metric_helper_of_another_file(
    tmp_path: Path, passed: str
) -> None:
    write(
        tmp_path,
        {
            "metrics.py": """
                def binary_accuracy(output, target):
                    predicted = (output.detach() > 0.5).float()
                    return (predicted == target).float().mean()
            """,
            "train.py": f"""
                import torch
                import torch.nn as nn
                from metrics import binary_accuracy

                model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
                criterion = nn.BCEWithLogitsLoss()
                for x, y in loader:
                    out = model(x)
                    loss = criterion(out, y)
                    accuracy = binary_accuracy({passed}, y)
            """,
        },
    )
    findings = check(tmp_path)
    if passed != "out":
        assert findings == []
        return
    [finding] = findings
    assert (finding.code, Path(finding.location.path).name) == ("LG009", "metrics.py")
    assert finding.location.line == line(tmp_path, "metrics.py", "> 0.5")
    assert Path(finding.related[0].path).name == "train.py"


@pytest.mark.parametrize("loss", ["BinaryCrossentropy(from_logits=True)", "MeanSquaredError()"])
def test_keras_predictions_rounded_by_a_helper_of_another_file(tmp_path: Path, loss: str) -> None:
    write(
        tmp_path,
        {
            "evaluation.py": """
                import numpy as np

                def accuracy(scores, labels):
                    return np.mean(np.round(np.squeeze(scores)) == labels)
            """,
            "train.py": f"""
                from tensorflow import keras
                from evaluation import accuracy

                model = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(1)])
                model.compile(optimizer="adam", loss=keras.losses.{loss})
                model.fit(x, y)
                print(accuracy(model.predict(x_test), y_test))
            """,
        },
    )
    findings = check(tmp_path)
    if "MeanSquared" in loss:
        assert findings == []  # a regression output may be rounded
        return
    [finding] = findings
    assert (finding.code, Path(finding.location.path).name) == ("LG009", "evaluation.py")
    assert "given model.predict(x_test)" in finding.message


@pytest.mark.parametrize("net", [TORCH_SOFTMAX_NET, TORCH_LOGITS_NET])
def test_trainer_default_loss_reached_through_its_own_helper_method(
    tmp_path: Path, net: str
) -> None:
    """The loss is the trainer's `__init__` default; `train` hands the model to
    `self._step`, which calls the loss: the object made by the call is the same in both."""
    write(
        tmp_path,
        {
            "net.py": net,
            "trainer.py": """
                from torch.nn import CrossEntropyLoss

                class Trainer:
                    def __init__(self, loss_func=CrossEntropyLoss(), batch_size=64):
                        self.loss_func = loss_func
                        self.batch_size = batch_size

                    def _step(self, x, y, model):
                        outputs = model(x)
                        if len(outputs.size()) == 1:
                            outputs = outputs.unsqueeze(0)
                        self.loss_func(outputs, y).backward()

                    def train(self, model, data):
                        for x, y in data:
                            self._step(x, y, model)
            """,
            "main.py": """
                from net import Net
                from trainer import Trainer

                Trainer(batch_size=32).train(Net(), data)
            """,
        },
    )
    findings = check(tmp_path)
    if net is TORCH_LOGITS_NET:
        assert findings == []
        return
    assert found(findings) == {("LG002", "trainer.py")}


@pytest.mark.parametrize("output", ["F.softmax(self.fc(x), dim=-1)", "self.fc(x)"])
def test_base_class_of_another_file_trains_the_subclass(tmp_path: Path, output: str) -> None:
    """The training step is a method of a base class in another file; it calls `self(x)` and
    `self.criterion`, which the subclass defines."""
    write(
        tmp_path,
        {
            "base.py": """
                import torch.nn as nn

                class Classifier(nn.Module):
                    def fit_batch(self, x, y, optimizer):
                        self.criterion(self(x), y).backward()
                        optimizer.step()
            """,
            "models.py": f"""
                import torch.nn as nn
                import torch.nn.functional as F

                from base import Classifier

                class Net(Classifier):
                    def __init__(self):
                        super().__init__()
                        self.fc = nn.Linear(4, 5)
                        self.criterion = nn.CrossEntropyLoss()

                    def forward(self, x):
                        return {output}
            """,
        },
    )
    findings = check(tmp_path)
    if "softmax" not in output:
        assert findings == []
        return
    [finding] = findings
    assert (finding.code, Path(finding.location.path).name) == ("LG002", "models.py")
    assert "Net (nn.Linear(4, 5) -> F.softmax(...))" in finding.message


def test_finding_in_both_files_is_reported_once(tmp_path: Path) -> None:
    """The head's own finding (one-unit softmax) is seen from both files: reported once."""
    write(
        tmp_path,
        {
            "model.py": "import torch.nn as nn\n"
            "net = nn.Sequential(nn.Linear(4, 1), nn.Softmax(dim=1))\n",
            "train.py": "import torch.nn as nn\nfrom model import net\n"
            "loss = nn.NLLLoss()(net(x), y)\n",
        },
    )
    findings = check(tmp_path)
    assert len(findings) == len(set(findings))
    assert [f.code for f in findings].count("LG004") == 1


def test_suppression_comment_in_the_other_file_is_honoured(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.py": "import torch.nn as nn\n"
            "criterion = nn.BCELoss()  # logitguard: ignore[LG001]\n",
            "train.py": "import torch.nn as nn\nfrom config import criterion\n"
            "loss = criterion(nn.Sequential(nn.Linear(8, 1))(x), y)\n",
        },
    )
    assert check(tmp_path) == []


@pytest.mark.parametrize("root_name", ["keras", "torch", "os"])
def test_library_names_are_never_project_files(tmp_path: Path, root_name: str) -> None:
    """A checkout of a library (a keras/ folder) does not turn `keras.layers` into a file."""
    write(
        tmp_path,
        {
            f"{root_name}/__init__.py": "",
            f"{root_name}/layers.py": "def Dense(units):\n    return None\n",
            "train.py": "from tensorflow import keras\n"
            "model = keras.Sequential([keras.layers.Dense(10)])\n"
            "model.compile(loss='sparse_categorical_crossentropy')\n",
        },
    )
    assert found(check(tmp_path)) == {("LG001", "train.py")}


def test_import_cycles_and_missing_modules_are_harmless(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.py": "import torch.nn as nn\nfrom b import Net\nfrom missing import thing\n"
            "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
            "b.py": "from a import loss\nfrom b import Net\n",
        },
    )
    assert check(tmp_path) == []


def test_sarif_has_related_location_and_fix_edits_the_loss_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path,
        {
            "model.py": KERAS_LOGITS_BUILDER,
            "losses.py": "import keras\nLOSS = keras.losses.SparseCategoricalCrossentropy()\n",
            "train.py": "from model import build_model\nfrom losses import LOSS\n"
            "model = build_model()\nmodel.compile(loss=LOSS)\n",
        },
    )
    assert main(["check", "--format", "sarif", str(tmp_path)]) == 1
    (result,) = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["ruleId"] == "LG001"
    primary = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    related = result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert primary.endswith("losses.py") and related.endswith("model.py")
    assert main(["check", "--fix", str(tmp_path)]) == 0
    assert "from_logits=True" in (tmp_path / "losses.py").read_text(encoding="utf-8")
    assert "from_logits" not in (tmp_path / "train.py").read_text(encoding="utf-8")


def test_tf_helper_in_another_file_returns_softmax(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "convnet.py": """
                import tensorflow as tf

                def classifier(x, weights, bias):
                    hidden = tf.nn.relu(tf.matmul(x, weights) + bias)
                    return tf.nn.softmax(tf.matmul(hidden, weights) + bias)
            """,
            "main.py": """
                import tensorflow as tf
                from convnet import classifier

                scores = classifier(x, w, b)
                loss = tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits(logits=scores, labels=y)
                )
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "main.py")}


def test_tf1_dense_layers_built_in_another_file(tmp_path: Path) -> None:
    """A TF1 graph: the network function in one file ends in `tf.layers.dense(...,
    activation=tf.nn.softmax)`, the training script gives its output to TensorFlow's own
    softmax cross-entropy op, which no Keras backend rescues."""
    write(
        tmp_path,
        {
            "network/layers.py": """
                import tensorflow as tf

                def forward(images, classes=10):
                    hidden = tf.layers.dense(inputs=images, units=128, activation=tf.nn.relu)
                    dropped = tf.layers.dropout(hidden, rate=0.5)
                    return tf.layers.dense(inputs=dropped, units=classes, activation=tf.nn.softmax)
            """,
            "network/__init__.py": "",
            "train.py": """
                import tensorflow as tf
                from network.layers import forward

                output = forward(images)
                loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=output)
            """,
        },
    )
    [finding] = check(tmp_path)
    assert (finding.code, Path(finding.location.path).name) == ("LG002", "train.py")
    assert "tf.layers.dense(..., classes, activation=tf.nn.softmax)" in finding.message
    assert "Keras" not in finding.message  # TensorFlow's op: no Keras backend involved
    [related] = finding.related
    assert Path(related.path).name == "layers.py"

    write(
        tmp_path,
        {
            "network/layers.py": (tmp_path / "network" / "layers.py")
            .read_text()
            .replace(", activation=tf.nn.softmax)", ")")
        },
    )
    assert check(tmp_path) == []


def test_tf1_graph_builder_in_a_package_returns_a_tuple(tmp_path: Path) -> None:
    """`x, y, output, prediction = graph()` from `lib/graph.py`: the third element is a dense
    layer with a softmax, trained with TensorFlow's softmax cross-entropy op."""
    write(
        tmp_path,
        {
            "lib/__init__.py": "",
            "lib/graph.py": """
                import tensorflow as tf

                CLASSES = 10

                def graph():
                    x = tf.placeholder(tf.float32, [None, 3072])
                    y = tf.placeholder(tf.float32, [None, CLASSES])
                    hidden = tf.layers.dense(inputs=x, units=256, activation=tf.nn.relu)
                    out = tf.layers.dense(inputs=hidden, units=CLASSES, activation=tf.nn.softmax)
                    return x, y, out, tf.argmax(out, axis=1)
            """,
            "train.py": """
                import tensorflow as tf
                from lib.graph import graph

                x, y, output, prediction = graph()
                loss = tf.nn.softmax_cross_entropy_with_logits_v2(logits=output, labels=y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "train.py")}
    fixed = (tmp_path / "lib" / "graph.py").read_text().replace(", activation=tf.nn.softmax)", ")")
    write(tmp_path, {"lib/graph.py": fixed})
    assert check(tmp_path) == []


def test_module_alias_model_trained_by_a_local_function(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "network.py": """
                import torch.nn as nn
                import torch.nn.functional as F

                class Network(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.fc = nn.Linear(in_features=20, out_features=6)

                    def forward(self, x):
                        return F.softmax(self.fc(x), dim=1)
            """,
            "main.py": """
                import torch.nn as nn
                import network as net

                def train(model, loader):
                    criterion = nn.CrossEntropyLoss()
                    for sample, target in loader:
                        loss = criterion(model(sample), target)

                if __name__ == "__main__":
                    train(net.Network(), loader)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "main.py")}


def test_keras_model_compiled_by_a_function_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": KERAS_LOGITS_BUILDER,
            "training.py": """
                def compile_and_fit(model, x, y, loss="sparse_categorical_crossentropy"):
                    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
                    return model.fit(x, y, epochs=5)
            """,
            "main.py": """
                from model import build_model
                from training import compile_and_fit

                compile_and_fit(build_model(), x, y)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG001", "training.py")}


def test_two_files_that_build_each_others_classes(tmp_path: Path) -> None:
    """Keras layers of each file built in the other (an import cycle of classes) are read
    once each, and the finding in either file is kept."""
    write(
        tmp_path,
        {
            "a.py": """
            import tensorflow as tf
            from b import Block

            class Head(tf.keras.layers.Layer):
                pass

            model = tf.keras.Sequential([Block(), tf.keras.layers.Dense(10)])
            model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy())
            """,
            "b.py": """
            import tensorflow as tf
            from a import Head

            class Block(tf.keras.layers.Layer):
                pass

            def other():
                return Head()
            """,
        },
    )
    assert [(f.code, Path(f.location.path).name) for f in check(tmp_path)] == [("LG001", "a.py")]


# A helper that compiles the model it is given, to list its layers.
INSPECTING_HELPER = """
def summary(model):
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return [layer.name for layer in model.layers]
"""


def test_a_helper_compiling_to_inspect_before_the_real_compile(tmp_path: Path) -> None:
    """A helper in another file compiles the model it is given (to print a summary); the
    script compiles it again, rightly, before training: the helper's compile trains nothing."""
    write(
        tmp_path,
        {
            "inspect_utils.py": INSPECTING_HELPER,
            "train.py": """
            from tensorflow import keras
            from inspect_utils import summary

            model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                      keras.layers.Dense(1)])
            print(summary(model))
            model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
            model.fit(x, y)
            """,
        },
    )
    assert check(tmp_path) == []


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Rebuilt before it is compiled for real and trained: the inspected model trains never.
        (
            "model = build(3)\n"
            "model.compile(optimizer='adam',\n"
            "              loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n"
            "model.fit(x, y)\n",
            set(),
        ),
        # Only inspected, again by the same helper.
        ("assert len(summary(model)) == 2\n", set()),
        # Trained with the helper's compile, or handed to a function that may train it.
        ("model.fit(x, y)\n", {("LG001", "inspect_utils.py")}),
        ("fit_for_a_while(model, x, y)\n", {("LG001", "inspect_utils.py")}),
    ],
    ids=["rebuilt", "inspected-again", "fitted", "handed-on"],
)
def test_a_helper_compiling_to_inspect_a_model_then_left(
    tmp_path: Path, after: str, expected: set[tuple[str, str]]
) -> None:
    write(
        tmp_path,
        {
            "inspect_utils.py": INSPECTING_HELPER,
            "train.py": "from tensorflow import keras\nfrom inspect_utils import summary\n"
            "def build(classes=3):\n"
            "    return keras.Sequential([keras.layers.Dense(8, activation='relu'),\n"
            "                             keras.layers.Dense(classes)])\n"
            "model = build()\n"
            "print(summary(model))\n" + after,
        },
    )
    assert found(check(tmp_path)) == expected


def test_a_helper_compiling_the_model_it_is_given_for_training(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "inspect_utils.py": """
            def prepare(model):
                model.compile(optimizer="adam", loss="categorical_crossentropy")
                return model
            """,
            "train.py": """
            from tensorflow import keras
            from inspect_utils import prepare

            model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                      keras.layers.Dense(3)])
            prepare(model).fit(x, y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG001", "inspect_utils.py")}


def test_a_star_import_brings_the_library_names_its_module_imports(tmp_path: Path) -> None:
    """`from model import *` binds `nn` too (model.py imports it), as Python does; a module
    whose `__all__` leaves `nn` out does not."""
    model = TORCH_SOFTMAX_NET
    train = """
    from model import *

    net = Net()
    criterion = nn.CrossEntropyLoss()
    for x, y in loader:
        loss = criterion(net(x), y)
    """
    write(tmp_path / "a", {"model.py": model, "train.py": train})
    write(tmp_path / "b", {"model.py": model + '\n__all__ = ["Net"]\n', "train.py": train})
    assert found(check(tmp_path / "a")) == {("LG002", "train.py")}
    assert check(tmp_path / "b") == []


def test_units_a_script_passes_to_a_builder_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "models.py": """
            from tensorflow import keras

            def build(classes):
                return keras.Sequential([keras.layers.Dense(32, activation="relu"),
                                         keras.layers.Dense(classes, activation="softmax")])
            """,
            "train.py": """
            from models import build

            model = build(1)
            model.compile(optimizer="adam", loss="binary_crossentropy")
            model.fit(x, y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG004", "models.py")}


KERAS_TRAINER = """
import tensorflow as tf

class Trainer:
    def __init__(self, model, loss_fn, optimizer):
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer

    def train(self, batches):
        for x, y in batches:
            with tf.GradientTape() as tape:
                logits = self.model(x, training=True)
                loss = self.loss_fn(y, logits)
            grads = tape.gradient(loss, self.model.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.model.trainable_weights))
"""


@pytest.mark.parametrize(
    ("activation", "from_logits", "expected"),
    [
        ('"softmax"', "True", {("LG002", "main.py")}),
        ("None", "False", {("LG001", "main.py")}),
        ('"softmax"', "False", set()),
        ("None", "True", set()),
    ],
)
def test_a_keras_trainer_class_given_the_model_and_loss_by_its_constructor(
    tmp_path: Path, activation: str, from_logits: str, expected: set[tuple[str, str]]
) -> None:
    write(
        tmp_path,
        {
            "trainers.py": KERAS_TRAINER,
            "main.py": f"""
                import tensorflow as tf
                from trainers import Trainer

                model = tf.keras.Sequential([tf.keras.layers.Dense(10, activation={activation})])
                loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits={from_logits})
                Trainer(model, loss_fn, tf.keras.optimizers.Adam()).train(batches)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == expected
    for finding in findings:
        assert finding.location.line == line(tmp_path, "main.py", "SparseCategorical")
    assert check(tmp_path, "trainers.py") == []


def test_a_keras_trainer_class_made_in_its_own_file(tmp_path: Path) -> None:
    script = (
        "model = tf.keras.Sequential([tf.keras.layers.Dense(10)])\n"
        "Trainer(model, tf.keras.losses.CategoricalCrossentropy(), None).train(batches)\n"
    )
    write(tmp_path, {"train.py": KERAS_TRAINER + script})
    assert found(check(tmp_path)) == {("LG001", "train.py")}


@pytest.mark.parametrize("cache", [["--no-cache"], []])
def test_a_script_in_a_subfolder_imports_a_package_of_the_checked_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: list[str]
) -> None:
    write(
        tmp_path,
        {
            "lab/__init__.py": "",
            "lab/nets.py": TORCH_SOFTMAX_NET,
            "experiments/run.py": """
                import torch.nn as nn
                from lab.nets import Net

                loss = nn.CrossEntropyLoss()(Net()(x), y)
            """,
        },
    )
    arguments = ["check", "--format", "json", *cache, str(tmp_path)]
    for _ in range(2):  # the second run reads what the first cached, if it cached
        assert main(arguments) == 1
        reported = json.loads(capsys.readouterr().out)["findings"]
        assert [(f["code"], Path(f["location"]["path"]).name) for f in reported] == [
            ("LG002", "run.py")
        ]
    # Named alone, the script's folder is where its imports are searched, as Python would.
    assert main(["check", "--no-cache", str(tmp_path / "experiments" / "run.py")]) == 0


def test_a_module_imported_from_the_entry_scripts_folder_by_a_file_below_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `python main.py` puts app/ on the path: runtime/step.py's `from model.net import Net`
    # names app/model/net.py, though the checked folder is app's parent.
    write(
        tmp_path,
        {
            "app/main.py": "from runtime.step import step\n",
            "app/model/net.py": TORCH_SOFTMAX_NET,
            "app/runtime/step.py": """
                import torch.nn.functional as F
                from model.net import Net

                def step(x, y):
                    return F.cross_entropy(Net()(x), y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "step.py")}
    assert main(["check", "--no-cache", "--format", "json", str(tmp_path)]) == 1
    reported = json.loads(capsys.readouterr().out)["findings"]
    assert [Path(f["location"]["path"]).name for f in reported] == ["step.py"]


def test_a_default_flag_decides_no_branch_of_a_function_called_from_another_file(
    tmp_path: Path,
) -> None:
    # `likelihood="classification"` picks NLLLoss only when no caller passes another value;
    # run.py passes "regression", so the arm giving the loss probabilities may run with
    # GaussianNLLLoss, and nothing is known.
    write(
        tmp_path,
        {
            "evaluate.py": """
                import torch
                from torch import nn

                def evaluate(model, loader, likelihood="classification"):
                    if likelihood == "classification":
                        loss_fn = nn.NLLLoss()
                    else:
                        loss_fn = nn.GaussianNLLLoss()
                    out = torch.cat([model(x) for x, _ in loader]).softmax(dim=1)
                    y = torch.cat([y for _, y in loader])
                    if likelihood == "regression":
                        return loss_fn(out, y, torch.ones_like(out))
                    return loss_fn(out.log_softmax(dim=1), y)
            """,
            "run.py": """
                from evaluate import evaluate

                def main(model, loader):
                    return evaluate(model, loader, likelihood="regression")
            """,
        },
    )
    assert found(check(tmp_path)) == set()


def test_a_plain_module_beside_the_importer_does_not_hide_the_package_it_imports_from(
    tmp_path: Path,
) -> None:
    # experiments/models.py is a module, not a package: Python cannot import `models.utils`
    # from it, so `from models.utils import Net` names the top-level package.
    write(
        tmp_path,
        {
            "main.py": "from experiments.train import step\n",
            "models/__init__.py": "",
            "models/utils.py": TORCH_SOFTMAX_NET,
            "experiments/models.py": "def make(kind):\n    return kind\n",
            "experiments/train.py": """
                import torch.nn.functional as F
                from models.utils import Net

                def step(x, y):
                    return F.cross_entropy(Net()(x), y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG002", "train.py")}


def test_probabilities_handed_to_a_helper_of_another_file_that_applies_softmax_again(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "scores.py": """
                import torch

                def confidence(scores):
                    return torch.max(scores.softmax(dim=1), 1)
            """,
            "run.py": """
                import torch.nn.functional as F
                from model import Net
                from scores import confidence

                model = Net()
                top, predicted = confidence(F.softmax(model(x), dim=1))
                top_of_logits, _ = confidence(model(x))
            """,
            "model.py": TORCH_LOGITS_NET,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG021", "scores.py")}
    assert [f.location.line for f in findings] == [line(tmp_path, "scores.py", "softmax")]


def test_probabilities_handed_back_by_a_helper_of_another_file(tmp_path: Path) -> None:
    # Called from another file, the helper's parameter is bound by the call itself.
    write(
        tmp_path,
        {
            "util.py": "def detach(value):\n    return value.detach()\n",
            "model.py": TORCH_LOGITS_NET,
            "train.py": """
                import torch.nn.functional as F
                from model import Net
                from util import detach

                model = Net()
                loss = F.cross_entropy(detach(F.softmax(model(x), dim=1)), y)
                loss_on_logits = F.cross_entropy(detach(model(x)), y)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG002", "train.py")}
    assert [f.location.line for f in findings] == [line(tmp_path, "train.py", "loss = ")]


# A generic MLP whose output activation is optional, in a package of its own.
OPTIONAL_ACTIVATION_MLP = """
    import torch.nn as nn

    class MLP(nn.Module):
        def __init__(self, n_in, n_out, output_activation=None):
            super().__init__()
            self.fc = nn.Linear(n_in, n_out)
            self.output_activation = output_activation

        def forward(self, x):
            x = self.fc(x)
            if self.output_activation is not None:
                x = self.output_activation(x)
            return x
"""


@pytest.mark.parametrize(
    ("handed_over", "expected"),
    [
        ("output_activation=nn.Softmax(dim=-1)", {("LG002", "train.py")}),
        ("output_activation=None", set()),
        ("", set()),
    ],
)
def test_a_subclass_hands_its_base_in_another_file_an_output_activation(
    tmp_path: Path, handed_over: str, expected: set[tuple[str, str]]
) -> None:
    """The subclass's `super().__init__(...)` binds the base's parameters for the base's own
    `forward`, read in its own file."""
    write(
        tmp_path,
        {
            "nets/__init__.py": "",
            "nets/mlp.py": OPTIONAL_ACTIVATION_MLP,
            "train.py": f"""
                import torch.nn as nn
                from nets.mlp import MLP

                class Policy(MLP):
                    def __init__(self, n_in, n_actions):
                        super().__init__(n_in, n_actions, {handed_over})

                policy = Policy(4, 3)
                loss = nn.CrossEntropyLoss()(policy(x), y)
            """,
        },
    )
    assert found(check(tmp_path)) == expected


def test_a_keras_loss_returned_by_a_helper_of_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "losses.py": """
                from tensorflow import keras

                def get_loss(name):
                    if name == "ce":
                        return keras.losses.CategoricalCrossentropy(from_logits=True)
                    return keras.losses.MeanSquaredError()
            """,
            "train.py": """
                from tensorflow import keras
                from losses import get_loss

                model = keras.Sequential([keras.layers.Dense(5, activation="softmax")])
                model.compile(optimizer="adam", loss=get_loss("ce"))
                model.fit(x, y)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG002", "losses.py")}
    [finding] = findings
    assert finding.location.line == line(tmp_path, "losses.py", "from_logits=True")
    assert [Path(r.path).name for r in finding.related] == ["train.py"]


def test_a_keras_model_built_by_a_method_of_a_class_in_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": """
                from tensorflow import keras

                class CNN:
                    def __init__(self, num_classes):
                        self.num_classes = num_classes

                    def build(self):
                        inputs = keras.Input(shape=(28, 28, 1))
                        x = keras.layers.Flatten()(inputs)
                        outputs = keras.layers.Dense(self.num_classes)(x)
                        return keras.Model(inputs, outputs)
            """,
            "train.py": """
                from model import CNN

                model = CNN(10).build()
                model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
                model.fit(x_train, y_train)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG001", "train.py")}


def test_a_model_picked_from_a_package_registry_by_name(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "models/__init__.py": """
                from .mlp import MLP
                from .cnn import CNN

                MODELS = {"mlp": MLP, "cnn": CNN}

                def get_model(name, **kwargs):
                    return MODELS[name](**kwargs)
            """,
            "models/mlp.py": "import torch.nn as nn\n" + SOFTMAX_MLP,
            "models/cnn.py": TORCH_LOGITS_NET.replace("class Net", "class CNN"),
            "train.py": """
                import torch.nn as nn
                from models import get_model

                mlp = get_model("mlp", classes=10)
                cnn = get_model("cnn")
                criterion = nn.CrossEntropyLoss()
                loss = criterion(mlp(x), y) + criterion(cnn(x), y)
            """,
        },
    )
    findings = check(tmp_path)
    assert found(findings) == {("LG002", "train.py")}
    assert "MLP" in findings[0].message


DECORATED_REGISTRY = {
    "models/__init__.py": """
        from .registry import build_model
        from . import mlp, cnn
    """,
    "models/registry.py": """
        MODELS = {{}}

        {register}

        def build_model(name, **kwargs):
            return MODELS[name](**kwargs)
    """,
    "models/mlp.py": "import torch.nn as nn\nfrom .registry import {decorator_name}\n"
    "@{decorate_mlp}" + SOFTMAX_MLP,
    "models/cnn.py": """
        import torch.nn as nn
        from .registry import {decorator_name}

        @{decorate_cnn}
        class CNN(nn.Module):
            def __init__(self, classes=10):
                super().__init__()
                self.fc = nn.Linear(784, classes)

            def forward(self, x):
                return self.fc(x)
    """,
    "train.py": """
        import torch.nn as nn
        from models import build_model

        model = build_model({picked}, classes=10)
        loss = nn.CrossEntropyLoss()(model(x), y)
    """,
}
REGISTER_BY_NAME = """
        def register_model(name):
            def add(cls):
                MODELS[name] = cls
                return cls
            return add
"""
REGISTER_BY_CLASS_NAME = """
        def register(cls):
            MODELS[cls.__name__] = cls
            return cls
"""
REGISTER_NAME_OR_CLASS_NAME = """
        def register_model(name=None):
            def add(cls):
                MODELS[name or cls.__name__] = cls
                return cls
            return add
"""


@pytest.mark.parametrize(
    ("register", "decorate_mlp", "decorate_cnn", "picked", "expected"),
    [
        (REGISTER_BY_NAME, 'register_model("mlp")', 'register_model("cnn")', '"mlp"', {"LG002"}),
        (REGISTER_BY_NAME, 'register_model("mlp")', 'register_model("cnn")', '"cnn"', set()),
        (REGISTER_BY_NAME, 'register_model(name="mlp")', 'register_model("x")', '"mlp"', {"LG002"}),
        (REGISTER_BY_CLASS_NAME, "register", "register", '"MLP"', {"LG002"}),
        (REGISTER_NAME_OR_CLASS_NAME, "register_model()", "register_model()", '"MLP"', {"LG002"}),
        (REGISTER_NAME_OR_CLASS_NAME, 'register_model("a")', "register_model()", '"a"', {"LG002"}),
        # Two classes under one name: which one the registry keeps is not for the checker.
        (REGISTER_BY_NAME, 'register_model("mlp")', 'register_model("mlp")', '"mlp"', set()),
        (REGISTER_BY_NAME, 'register_model("mlp")', 'register_model("cnn")', "args.model", set()),
        (  # the registry is also changed some other way
            REGISTER_BY_NAME + "        MODELS.update(EXTRA)\n",
            'register_model("mlp")',
            'register_model("cnn")',
            '"mlp"',
            set(),
        ),
        (  # a decorator that hands back something else than the class
            REGISTER_BY_NAME.replace("return cls", "return wrap(cls)"),
            'register_model("mlp")',
            'register_model("cnn")',
            '"mlp"',
            set(),
        ),
    ],
)
def test_a_model_picked_from_a_registry_that_decorators_fill(
    tmp_path: Path,
    register: str,
    decorate_mlp: str,
    decorate_cnn: str,
    picked: str,
    expected: set[str],
) -> None:
    """`@register_model("mlp")` on a model class in one file stores it in a registry of
    another; a training script builds it by that name."""
    decorator_name = decorate_mlp.partition("(")[0]
    files = {
        name: source.format(
            register=textwrap.indent(textwrap.dedent(register), " " * 8).strip(),
            decorator_name=decorator_name,
            decorate_mlp=decorate_mlp,
            decorate_cnn=decorate_cnn,
            picked=picked,
        )
        for name, source in DECORATED_REGISTRY.items()
    }
    write(tmp_path, files)
    findings = check(tmp_path)
    assert {finding.code for finding in findings} == expected
    assert all("MLP" in finding.message for finding in findings)


def test_a_registry_of_functions_that_build_models(tmp_path: Path) -> None:
    """timm's shape: `@register_model` stores each builder function by its name, and
    `create_model(name)` calls the one it is given."""
    write(
        tmp_path,
        {
            "zoo.py": """
                import torch.nn as nn

                _entrypoints = {}

                def register_model(fn):
                    _entrypoints[fn.__name__] = fn
                    return fn

                def create_model(name, **kwargs):
                    return _entrypoints[name](**kwargs)

                class Net(nn.Module):
                    def __init__(self, classes):
                        super().__init__()
                        self.fc = nn.Linear(64, classes)

                    def forward(self, x):
                        return self.fc(x)

                @register_model
                def tiny_net(classes=10):
                    return Net(classes)
            """,
            "train.py": """
                import torch.nn as nn
                from zoo import create_model

                model = create_model("tiny_net", classes=1)
                loss = nn.CrossEntropyLoss()(model(x), y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG019", "train.py")}


def test_labels_a_function_of_another_file_fits_the_model_with(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "training.py": """
                def run(model, xs, ys):
                    return model.fit(xs, ys, epochs=3)
            """,
            "main.py": """
                import numpy as np
                from tensorflow import keras
                from training import run

                x = np.random.rand(100, 8)
                y = np.random.randint(0, 3, 100)
                net = keras.Sequential([keras.layers.Dense(3, activation="softmax")])
                net.compile(optimizer="adam", loss="categorical_crossentropy")
                run(net, x, y)
            """,
        },
    )
    assert found(check(tmp_path)) == {("LG007", "main.py")}


def test_a_package_star_importing_submodules_that_import_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`models/__init__.py` star-imports every submodule, and each imports its base class
    back from the package: each name is looked up once per module, not once per path
    through the star imports (which grows exponentially with the submodules)."""
    from logitguard.static.engine import project

    submodules = [f"net{i}" for i in range(12)]
    files = {
        "models/__init__.py": "from .base import *\n"
        + "".join(f"from .{name} import *\n" for name in submodules),
        "models/base.py": "import torch.nn as nn\n\nclass Base(nn.Module):\n    pass\n",
        "train.py": """
            import torch.nn as nn
            from models import Net3

            net = Net3()
            loss = nn.CrossEntropyLoss()(net(x), y)
        """,
    }
    for number, name in enumerate(submodules):
        files[f"models/{name}.py"] = f"""
            import torch.nn as nn
            from models import Base

            class Net{number}(Base):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 3)
                    self.act = nn.Softmax(dim=1)

                def forward(self, x):
                    return self.act(self.fc(x))
        """
    write(tmp_path, files)
    calls = []
    binding = project.Project._binding
    monkeypatch.setattr(
        project.Project, "_binding", lambda self, *args: calls.append(args) or binding(self, *args)
    )
    assert ("LG002", "train.py") in found(check(tmp_path))
    assert len(calls) < 5_000, len(calls)


def test_a_task_layer_whose_base_class_is_the_projects_sigmoid_twice(tmp_path: Path) -> None:
    """A library's task block derives from its own `PredictionTask` (a keras Layer, in another
    file) and, given no output layer, makes a sigmoid Dense, then applies a sigmoid again."""
    write(
        tmp_path,
        {
            "tasks/base.py": """
            import tensorflow as tf

            class PredictionTask(tf.keras.layers.Layer):
                def compute_loss(self, labels, scores):
                    return self.loss(labels, scores)
            """,
            "tasks/binary.py": """
            import tensorflow as tf
            from .base import PredictionTask

            class BinaryTask(PredictionTask):
                def __init__(self, output_layer=None):
                    super().__init__()
                    self.loss = tf.keras.losses.BinaryCrossentropy()
                    default = tf.keras.layers.Dense(1, activation="sigmoid")
                    self.output_layer = output_layer or default
                    self.output_activation = tf.keras.layers.Activation("sigmoid")

                def call(self, inputs):
                    return self.output_activation(self.output_layer(inputs))
            """,
            "tasks/__init__.py": "",
        },
    )
    assert [(f.code, Path(f.location.path).name) for f in check(tmp_path)] == [
        ("LG021", "binary.py")
    ]
    task = tmp_path / "tasks/binary.py"
    task.write_text(task.read_text() + "\nTASK = BinaryTask(tf.keras.layers.Dense(1))\n")
    assert check(tmp_path) == []


NET_MODULE = """
import torch.nn as nn


class Net(nn.Module):
    def __init__(self, units=1):
        super().__init__()
        self.hidden = nn.Linear(30, 16)
        self.out = nn.Linear(16, units)

    def forward(self, x):
        return self.out(self.hidden(x).relu())
"""
TRAINED_WITH = """
import torch
import torch.nn as nn
import torch.nn.functional as F
from model import Net

net = Net({units})
for x, y in loader:
    loss = {loss}
    loss.backward()
"""
PREDICT = """
import torch
from model import Net

net = Net({units})
net.load_state_dict(torch.load("net.pt"))
with torch.no_grad():
    scores = {read_out}
"""


@pytest.mark.parametrize(
    ("loss", "read_out", "expected"),
    [
        ("nn.BCEWithLogitsLoss()(net(x), y)", "(net(x_new) > 0.5).int()", {"LG009"}),
        ("F.binary_cross_entropy(torch.sigmoid(net(x)), y)", "net(x_new) > 0.5", {"LG009"}),
        ("nn.BCEWithLogitsLoss()(net(x), y)", "torch.sigmoid(net(x_new)) > 0.5", set()),
        # A regression model's outputs may be cut anywhere.
        ("nn.MSELoss()(net(x), y)", "net(x_new) > 0.5", set()),
    ],
)
def test_outputs_read_beside_the_script_that_trains_the_model(
    tmp_path: Path, loss: str, read_out: str, expected: set[str]
) -> None:
    write(
        tmp_path,
        {
            "model.py": NET_MODULE,
            "train.py": TRAINED_WITH.format(units=1, loss=loss),
            "predict.py": PREDICT.format(units=1, read_out=read_out),
        },
    )
    findings = check(tmp_path)
    assert {(f.code, Path(f.location.path).name) for f in findings} == {
        (code, "predict.py") for code in expected
    }


def test_scripts_training_the_model_two_ways_leave_its_outputs_unjudged(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": NET_MODULE,
            "train.py": TRAINED_WITH.format(units=1, loss="nn.BCEWithLogitsLoss()(net(x), y)"),
            "finetune.py": TRAINED_WITH.format(units=1, loss="nn.BCELoss()(net(x), y)"),
            "predict.py": PREDICT.format(units=1, read_out="net(x_new) > 0.5"),
        },
    )
    assert not [f for f in check(tmp_path) if Path(f.location.path).name == "predict.py"]


@pytest.mark.parametrize(
    ("train", "predict"),
    [
        ("scripts/train.py", "predict.py"),  # a folder below the reading script
        ("train.py", "tools/predict.py"),  # the folder above
        ("training/train.py", "inference/predict.py"),  # a folder beside its own
    ],
)
def test_a_training_script_in_a_folder_near_the_reading_one(
    tmp_path: Path, train: str, predict: str
) -> None:
    write(
        tmp_path,
        {
            "model.py": NET_MODULE,
            train: TRAINED_WITH.format(units=1, loss="nn.BCEWithLogitsLoss()(net(x), y)"),
            predict: PREDICT.format(units=1, read_out="net(x_new) > 0.5"),
        },
    )
    assert found(check(tmp_path)) == {("LG009", Path(predict).name)}


FACTORY = """
from model import Net


def load_model(units):
    return Net(units)
"""
FACTORY_TRAINED_WITH = TRAINED_WITH.replace("from model import Net", "from utils import load_model")
FACTORY_PREDICT = PREDICT.replace("from model import Net", "from utils import load_model")


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("nn.BCEWithLogitsLoss()(net(x), y)", {("LG009", "predict.py")}),
        ("nn.MSELoss()(net(x), y)", set()),
    ],
)
def test_a_model_built_by_a_factory_both_scripts_import(
    tmp_path: Path, loss: str, expected: set[tuple[str, str]]
) -> None:
    """Neither script names the class: both build it by `load_model` of `utils.py`."""
    write(
        tmp_path,
        {
            "model.py": NET_MODULE,
            "utils.py": FACTORY,
            "train.py": FACTORY_TRAINED_WITH.format(units=1, loss=loss).replace(
                "Net(1)", "load_model(1)"
            ),
            "predict.py": FACTORY_PREDICT.format(units=1, read_out="net(x_new) > 0.5").replace(
                "Net(1)", "load_model(1)"
            ),
        },
    )
    assert found(check(tmp_path)) == expected


LIGHTNING_MODULE = """
import torch.nn as nn
import torch.nn.functional as F
import lightning.pytorch as pl


class LitNet(pl.LightningModule):
    def __init__(self, hidden=16):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, x):
        return {output}

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.{loss}(self(x), y)
"""
RESTORED_READ_OUT = """
import torch
from model import LitNet

model = LitNet.load_from_checkpoint("last.ckpt")
model.eval()
with torch.no_grad():
    print(model(torch.zeros(4, 20)) > 0.5)
"""


@pytest.mark.parametrize(
    ("output", "loss", "expected"),
    [
        ("self.net(x)", "binary_cross_entropy_with_logits", {("LG009", "predict.py")}),
        ("torch.sigmoid(self.net(x))", "binary_cross_entropy", set()),
    ],
)
def test_a_lightning_module_restored_from_a_checkpoint_and_read(
    tmp_path: Path, output: str, loss: str, expected: set[tuple[str, str]]
) -> None:
    """The module trains itself in `training_step`; `predict.py` restores it with the
    library's `load_from_checkpoint` and cuts its outputs at 0.5."""
    module = LIGHTNING_MODULE.format(output=output, loss=loss)
    if "torch." in output:
        module = "import torch\n" + module
    write(tmp_path, {"model.py": module, "predict.py": RESTORED_READ_OUT})
    assert found(check(tmp_path)) == expected


def test_a_training_script_two_folders_away_is_not_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": NET_MODULE,
            "experiments/old/train.py": TRAINED_WITH.format(
                units=1, loss="nn.BCEWithLogitsLoss()(net(x), y)"
            ),
            "predict.py": PREDICT.format(units=1, read_out="net(x_new) > 0.5"),
        },
    )
    assert check(tmp_path) == []


def test_the_folder_above_a_checked_folder_is_not_searched(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": NET_MODULE,
            "train.py": TRAINED_WITH.format(units=1, loss="nn.BCEWithLogitsLoss()(net(x), y)"),
            "tools/predict.py": PREDICT.format(units=1, read_out="net(x_new) > 0.5"),
        },
    )
    assert check(tmp_path, "tools") == []


def test_a_softmax_read_out_beside_a_multi_label_training_script(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "model.py": NET_MODULE,
            "train.py": TRAINED_WITH.format(units=20, loss="nn.BCEWithLogitsLoss()(net(x), y)"),
            "evaluate.py": PREDICT.format(units=20, read_out="torch.softmax(net(x_new), dim=1)"),
        },
    )
    assert found(check(tmp_path)) == {("LG024", "evaluate.py")}


@pytest.mark.parametrize(
    ("act", "expected"),
    [
        ("", {("LG022", "train.py")}),
        (", act=nn.ReLU()", {("LG022", "train.py")}),
        (", act=None", set()),
        (", act=lambda t: t", set()),
        (", act=nn.Identity()", set()),
    ],
)
def test_a_layer_of_another_file_called_with_two_inputs_keeps_what_made_it(
    tmp_path: Path, act: str, expected: set[tuple[str, str]]
) -> None:
    """A graph layer's `act` given by the call that made it holds when `forward` is run with
    the call's own arguments (`conv(x, edges)`), not the layer's default ReLU."""
    write(
        tmp_path,
        {
            "layers.py": """
                from torch import nn

                class GraphConv(nn.Module):
                    def __init__(self, n_in, n_out, act=nn.ReLU()):
                        super().__init__()
                        self.lin = nn.Linear(n_in, n_out)
                        self.act = act

                    def forward(self, x, edges):
                        out = self.lin(x)
                        if self.act is not None:
                            out = self.act(out)
                        return out
                """,
            "train.py": f"""
                import torch.nn.functional as F
                from torch import nn
                from layers import GraphConv

                class Net(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.out = GraphConv(16, 3{act})

                    def forward(self, x, edges):
                        return F.log_softmax(self.out(x, edges), dim=1)

                model = Net()
                loss = F.nll_loss(model(x, edges), y)
                """,
        },
    )
    assert found(check(tmp_path)) == expected


BASE_TRAINER = """
class BaseTrainer:
    def __init__(self, model, optimizer, loader):
        self.model = model
        self.optimizer = optimizer
        self.loader = loader

    def compute_loss(self, batch):
        raise NotImplementedError

    def train_epoch(self):
        for batch in self.loader:
            self.optimizer.zero_grad()
            self.compute_loss(batch).backward()
            self.optimizer.step()
"""
CLASSIFICATION_TRAINER = """
import torch.nn as nn
from trainer.base import BaseTrainer

class ClassificationTrainer(BaseTrainer):
    def __init__(self, model, optimizer, loader):
        super().__init__(model, optimizer, loader)
        self.criterion = nn.CrossEntropyLoss()

    def compute_loss(self, batch):
        images, labels = batch
        return self.criterion(self.model(images), labels)
"""
TRAINER_SCRIPT = """
import torch
from models.net import Net
from trainer.classifier import ClassificationTrainer

model = Net()
trainer = ClassificationTrainer(model, torch.optim.Adam(model.parameters()), train_loader)
trainer.train_epoch()
"""


BUILT_WITH_ITS_CRITERION = """
import torch.nn as nn
import torch.nn.functional as F

class Classifier(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.head = nn.Linear(256, num_classes)

    def forward(self, x):
        return {output}

def build(args):
    model = Classifier(num_classes=args.num_classes)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    return model, criterion
"""
ENGINE = """
def train_one_epoch(model, criterion, data_loader, optimizer):
    model.train()
    for samples, targets in data_loader:
        loss = criterion(model(samples), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
"""
RE_EXPORT = "from .classifier import build\n"
ENGINE_SCRIPT = """
import torch
from models import {imported}
from engine import train_one_epoch

def main(args):
    model, criterion = {imported}(args)
    optimizer = torch.optim.AdamW(model.parameters())
    for epoch in range(args.epochs):
        train_one_epoch(model, criterion, data_loader_train, optimizer)
"""


@pytest.mark.parametrize(
    ("package", "imported"),
    [
        (RE_EXPORT, "build"),
        (RE_EXPORT + "\ndef build_model(args):\n    return build(args)\n", "build_model"),
    ],
)
@pytest.mark.parametrize(
    ("output", "expected"),
    [("F.softmax(self.head(x), dim=-1)", ["LG002"]), ("self.head(x)", [])],
)
def test_a_model_and_criterion_built_behind_a_package_s_init(
    tmp_path: Path, package: str, imported: str, output: str, expected: list[str]
) -> None:
    write(
        tmp_path,
        {
            "models/__init__.py": package,
            "models/classifier.py": BUILT_WITH_ITS_CRITERION.format(output=output),
            "engine.py": ENGINE,
            "main.py": ENGINE_SCRIPT.format(imported=imported),
        },
    )
    assert [finding.code for finding in check(tmp_path)] == expected


KERAS_CNN_BUILDER = """
from tensorflow import keras

def make_cnn(num_classes):
    return keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(num_classes{act})])
"""
KERAS_SCRIPT_WITHOUT_KERAS = """
from {module} import build_model

model = build_model("cnn", 10)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train, y_train, epochs=3)
"""


@pytest.mark.parametrize(
    ("files", "module"),
    [
        ({"factory.py": "from cnn import make_cnn\n", "cnn.py": KERAS_CNN_BUILDER}, "factory"),
        (
            {
                "models/__init__.py": "from .cnn import make_cnn\n",
                "models/cnn.py": KERAS_CNN_BUILDER,
            },
            "models",
        ),
    ],
)
@pytest.mark.parametrize(("act", "expected"), [("", {"LG001"}), (', activation="softmax"', set())])
def test_a_script_that_imports_keras_only_through_its_factory(
    tmp_path: Path, files: dict[str, str], module: str, act: str, expected: set[str]
) -> None:
    factory = next(name for name in files if not name.endswith("cnn.py"))
    write(
        tmp_path,
        {
            **{name: source.format(act=act) for name, source in files.items()},
            factory: files[factory]
            + "\ndef build_model(name, num_classes):\n    return make_cnn(num_classes)\n",
            "train.py": KERAS_SCRIPT_WITHOUT_KERAS.format(module=module),
        },
    )
    assert found(check(tmp_path)) == {(code, "train.py") for code in expected}


KERAS_BASE_TRAINER = """
import tensorflow as tf

class BaseTrainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer

    def compute_loss(self, x, y):
        raise NotImplementedError

    def train_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = self.compute_loss(x, y)
        grads = tape.gradient(loss, self.model.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables))
"""
KERAS_CLASSIFIER_TRAINER = """
import tensorflow as tf
from trainer.base import BaseTrainer

class ClassifierTrainer(BaseTrainer):
    def __init__(self, model, optimizer):
        super().__init__(model, optimizer)
        self.loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def compute_loss(self, x, y):
        return self.loss_fn(y, self.model(x, training=True))
"""
KERAS_BUILDER_OF_HEAD = """
import tensorflow as tf

def build_classifier(n_classes):
    return tf.keras.Sequential(
        [tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(n_classes{act})]
    )
"""
KERAS_TRAINER_SCRIPT = """
import tensorflow as tf
from net import build_classifier
from trainer.classifier import ClassifierTrainer

trainer = ClassifierTrainer(build_classifier(10), tf.keras.optimizers.Adam())
for x, y in dataset:
    trainer.train_step(x, y)
"""


def _base_trainer_project(framework: str, softmax: bool) -> dict[str, str]:
    """A model module, a trainer base class, its classification subclass and the script."""
    if framework == "torch":
        net = TORCH_SOFTMAX_NET if softmax else TORCH_LOGITS_NET
        return {
            "models/__init__.py": "",
            "models/net.py": net,
            "trainer/base.py": BASE_TRAINER,
            "trainer/classifier.py": CLASSIFICATION_TRAINER,
            "main.py": TRAINER_SCRIPT,
        }
    act = ', activation="softmax"' if softmax else ""
    return {
        "net.py": KERAS_BUILDER_OF_HEAD.format(act=act),
        "trainer/base.py": KERAS_BASE_TRAINER,
        "trainer/classifier.py": KERAS_CLASSIFIER_TRAINER,
        "main.py": KERAS_TRAINER_SCRIPT,
    }


@pytest.mark.parametrize("framework", ["torch", "keras"])
@pytest.mark.parametrize(("softmax", "expected"), [(True, ["LG002"]), (False, [])])
def test_a_model_kept_by_a_base_trainer_of_another_file(
    tmp_path: Path, framework: str, softmax: bool, expected: list[str]
) -> None:
    write(tmp_path, {"trainer/__init__.py": "", **_base_trainer_project(framework, softmax)})
    findings = check(tmp_path)
    assert [finding.code for finding in findings] == expected
    if expected:
        assert findings[0].location.path.endswith("classifier.py")
        assert "already emits softmax probabilities" in findings[0].message


def test_labels_of_loaders_a_data_module_makes(tmp_path: Path) -> None:
    """`data.py` makes the loaders, `model.py` the model, `train.py` hands both to its
    training function: MNIST's class indices under `BCEWithLogitsLoss` on ten units."""
    write(
        tmp_path,
        {
            "data.py": """
                from torch.utils.data import DataLoader
                from torchvision import datasets, transforms

                def get_loaders(batch_size=64):
                    to_tensor = transforms.ToTensor()
                    train = datasets.MNIST("data", train=True, transform=to_tensor)
                    test = datasets.MNIST("data", train=False, transform=to_tensor)
                    return DataLoader(train, batch_size), DataLoader(test, batch_size)
            """,
            "model.py": TORCH_LOGITS_NET,
            "train.py": """
                import torch.nn as nn
                from data import get_loaders
                from model import Net

                def fit(model, loader, criterion):
                    for inputs, targets in loader:
                        criterion(model(inputs), targets).backward()

                if __name__ == "__main__":
                    train_loader, _ = get_loaders()
                    fit(Net(), train_loader, nn.BCEWithLogitsLoss())
            """,
        },
    )
    findings = check(tmp_path)
    assert [finding.code for finding in findings] == ["LG007"]
    assert "MNIST" in findings[0].message


def test_a_loss_kept_on_a_config_class_of_another_file(tmp_path: Path) -> None:
    """`config.py` keeps the criterion as a class attribute, `Config.criterion`, which the
    training script computes on a model of raw logits."""
    write(
        tmp_path,
        {
            "config.py": """
                import torch.nn as nn

                class Config:
                    epochs = 10
                    criterion = nn.NLLLoss()
            """,
            "model.py": TORCH_LOGITS_NET,
            "train.py": """
                from config import Config
                from model import Net

                net = Net()
                for epoch in range(Config.epochs):
                    for x, y in loader:
                        Config.criterion(net(x), y).backward()
            """,
        },
    )
    assert [finding.code for finding in check(tmp_path)] == ["LG010"]


def test_a_keras_loss_named_by_a_config_class_of_another_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.py": """
                class Config:
                    NUM_CLASSES = 10
                    LOSS = "sparse_categorical_crossentropy"
            """,
            "train.py": """
                from tensorflow import keras
                from config import Config

                model = keras.Sequential([keras.layers.Dense(Config.NUM_CLASSES)])
                model.compile(optimizer="adam", loss=Config.LOSS)
                model.fit(x, y)
            """,
        },
    )
    findings = check(tmp_path)
    assert [finding.code for finding in findings] == ["LG001"]
    assert findings[0].edit is None  # the config may serve other models: not rewritten
