"""The PyTorch static front end: the facts it reads from source, and where it stays silent."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from logitguard.core.facts import Emits, LabelFormat, LossFamily, PredictionMisuse, TrainingSetup
from logitguard.static.checker import check_paths, check_source
from logitguard.static.engine.module import ParsedModule
from logitguard.static.frameworks import torch as torch_frontend


def setups(source: str) -> list[TrainingSetup]:
    return torch_frontend.extract(ParsedModule.parse(textwrap.dedent(source), "model.py"))


def codes(source: str) -> set[str]:
    return {finding.code for finding in check_source(textwrap.dedent(source), "model.py")}


def line_of(source: str, text: str) -> int:
    return next(n for n, line in enumerate(source.splitlines(), 1) if text in line)


def trained(source: str) -> TrainingSetup:
    """The one set-up with a loss."""
    with_loss = [setup for setup in setups(source) if setup.loss is not None]
    assert len({(s.loss, s.head) for s in with_loss}) == 1, with_loss
    return with_loss[0]


ALIASES = "import torch.nn as nn\nimport torch.nn.functional as F"
SOFTMAX_NET = """
{imports}

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 32)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.hidden(x))
        x = self.out(x)
        return F.softmax(x, dim=1)

model = Net()
criterion = nn.CrossEntropyLoss()
for x, y in loader:
    outputs = model(x)
    loss = criterion(outputs, y)
"""


@pytest.mark.parametrize(
    "imports",
    [
        ALIASES,
        "from torch import nn\nfrom torch.nn import functional as F",
        "import torch as T\nfrom torch import nn\nimport torch.nn.functional as F",
    ],
)
def test_softmax_in_forward_is_followed_through_the_training_loop(imports: str) -> None:
    source = SOFTMAX_NET.format(imports=imports)
    setup = trained(source)
    assert setup.head is not None
    assert setup.head.emits is Emits.SOFTMAX
    assert setup.head.units == 10
    assert setup.head.display == "Net (nn.Linear(32, 10) -> F.softmax(...))"
    assert setup.head.location is not None
    assert setup.head.location.line == line_of(source, "nn.Linear(32, 10)")
    assert setup.head.activation_location is not None
    assert setup.head.activation_location.line == line_of(source, "F.softmax")
    assert setup.loss is not None and setup.loss.family is LossFamily.CATEGORICAL_ANY_TARGET
    assert setup.loss.location is not None
    assert setup.loss.location.line == line_of(source, "nn.CrossEntropyLoss()")
    assert codes(source) == {"LG002"}


@pytest.mark.parametrize(
    ("ending", "emits"),
    [
        ("torch.softmax(x, dim=1)", Emits.SOFTMAX),
        ("x.softmax(dim=-1)", Emits.SOFTMAX),
        ("torch.sigmoid(x)", Emits.SIGMOID),
        ("x.sigmoid()", Emits.SIGMOID),
        ("F.log_softmax(x, dim=1)", Emits.LOG_SOFTMAX),
        ("self.act(x)", Emits.LOG_SOFTMAX),
        ("self.out(x).squeeze(-1)", Emits.LOGITS),
        ("self.classifier(x)", Emits.SOFTMAX),
    ],
)
def test_the_last_step_of_forward_decides_the_head(ending: str, emits: Emits) -> None:
    source = f"""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.out = nn.Linear(16, 3)
            self.act = nn.LogSoftmax(dim=1)
            self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(16, 3), nn.Softmax(dim=1))

        def forward(self, x):
            x = self.out(x) if False else self.out(x)
            return {ending}
    """
    heads = [setup.head for setup in setups(source) if setup.head is not None]
    assert heads and {head.emits for head in heads} == {emits}
    assert {head.units for head in heads} == {3}


def test_sequential_heads_and_units() -> None:
    found = setups(
        """
        from torch import nn
        model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10),
                              nn.Softmax(dim=1))
        """
    )
    assert len(found) == 1
    head = found[0].head
    assert head is not None and head.emits is Emits.SOFTMAX and head.units == 10
    assert head.display == "nn.Linear(128, 10) -> nn.Softmax(dim=1)"


def test_loop_in_a_function_with_the_loss_and_model_passed_in() -> None:
    setup = trained(
        """
        import torch
        from torch import nn

        def build():
            return nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 1))

        def fit(model, loader, loss_fn, epochs=3):
            optimizer = torch.optim.Adam(model.parameters())
            for _ in range(epochs):
                for xb, yb in loader:
                    optimizer.zero_grad()
                    logits = model(xb).squeeze(1)
                    loss_fn(logits, yb).backward()
                    optimizer.step()

        net = build().to("cpu")
        fit(net, train_loader, nn.BCELoss())
        """
    )
    assert setup.head is not None and setup.head.emits is Emits.LOGITS
    assert setup.loss is not None and setup.loss.expects is Emits.SIGMOID
    edit = setup.loss.to_logits_edit
    assert edit is not None and edit.replacement == "nn.BCEWithLogitsLoss"
    assert (edit.target.line, edit.target.col) == (18, 23)


def test_imported_loss_class_gets_no_edit_that_would_need_an_import() -> None:
    setup = trained(
        """
        from torch.nn import BCELoss, Linear, Sequential
        model = Sequential(Linear(30, 1))
        loss = BCELoss()(model(x), y)
        """
    )
    assert setup.loss is not None and setup.loss.to_logits_edit is None
    assert codes(
        "from torch.nn import BCELoss, Linear, Sequential\n"
        "model = Sequential(Linear(30, 1))\nloss = BCELoss()(model(x), y)\n"
    ) == {"LG001"}


@pytest.mark.parametrize(
    "training_step",
    [
        "logits = self(x)\n            return F.cross_entropy(logits, y)",
        "return self.loss_fn(self.net(x), y)",
        "return self.loss_fn(self.forward(x), y)",
    ],
)
def test_lightning_training_step(training_step: str) -> None:
    source = f"""
    import lightning as L
    import torch.nn.functional as F
    from torch import nn

    class Classifier(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(64, 10), nn.Softmax(dim=1))
            self.loss_fn = nn.CrossEntropyLoss()

        def forward(self, x):
            return self.net(x)

        def training_step(self, batch, batch_idx):
            x, y = batch
            {training_step}
    """
    setup = trained(source)
    assert setup.head is not None and setup.head.emits is Emits.SOFTMAX
    assert codes(source) == {"LG002"}


def test_pytorch_lightning_alias_and_inherited_model_class() -> None:
    source = """
    import pytorch_lightning as pl
    import torch

    class Base(pl.LightningModule):
        def forward(self, x):
            return torch.sigmoid(self.fc(x))

    class Binary(Base):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(30, 1)

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.binary_cross_entropy_with_logits(self(x), y)
    """
    assert codes(source) == {"LG002"}


def test_unstable_log_softmax_and_one_hot_labels() -> None:
    found = setups(
        """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        model = nn.Sequential(nn.Linear(64, 10))
        targets = F.one_hot(y, num_classes=10).float()
        loss = F.nll_loss(torch.log(F.softmax(model(x), dim=1)), targets)
        """
    )
    (setup,) = [s for s in found if s.loss is not None]
    assert setup.head is not None
    assert setup.head.emits is Emits.LOG_SOFTMAX and setup.head.unstable_log is Emits.SOFTMAX
    assert setup.labels is not None and setup.labels.format is LabelFormat.ONE_HOT
    assert setup.labels.num_classes == 10


def test_predictions_on_a_logits_model() -> None:
    found = setups(
        """
        import numpy as np
        import torch
        from torch import nn
        model = nn.Sequential(nn.Linear(30, 1))
        regression = nn.Sequential(nn.Linear(30, 1))
        loss = nn.BCEWithLogitsLoss()(model(x_train), y_train)
        loss = nn.MSELoss()(regression(x_train), y_train)
        with torch.no_grad():
            ok4 = torch.round(regression(x))
            a = (model(x) > 0.5).float()
            b = torch.round(model(x))
            c = model(x).round()
            d = np.round(model(x).detach().numpy())
            e = torch.multinomial(model(x), 1)
            ok1 = torch.sigmoid(model(x)) > 0.5
            ok2 = model(x) > 0
            ok3 = torch.round(torch.sigmoid(model(x)))
        """
    )
    misuses = [p.misuse for s in found for p in s.predictions]
    assert sorted(m.name for m in misuses) == sorted(
        m.name
        for m in (
            PredictionMisuse.THRESHOLDED,
            PredictionMisuse.ROUNDED,
            PredictionMisuse.ROUNDED,
            PredictionMisuse.ROUNDED,
            PredictionMisuse.SAMPLED,
        )
    )


@pytest.mark.parametrize(
    "source",
    [
        # The model comes from elsewhere.
        "import torch\nfrom torch import nn\nmodel = torch.load('m.pt')\n"
        "loss = nn.CrossEntropyLoss()(model(x), y)\n",
        # The head depends on a flag.
        "import torch.nn as nn\nimport torch.nn.functional as F\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n"
        "    def forward(self, x):\n        x = self.fc(x)\n        if self.probs:\n"
        "            x = F.softmax(x, 1)\n        return x\n"
        "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        # Probabilities only in eval mode.
        "import torch.nn as nn\nimport torch.nn.functional as F\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n"
        "    def forward(self, x):\n        if self.training:\n            return self.fc(x)\n"
        "        return F.softmax(self.fc(x), 1)\n"
        "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        # The head is replaced from outside the class.
        "import torch.nn as nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Sequential(nn.Linear(4, 3), nn.Softmax(1))\n"
        "    def forward(self, x):\n        return self.fc(x)\n"
        "model = Net()\nmodel.fc = nn.Linear(4, 3)\n"
        "loss = nn.CrossEntropyLoss()(model(x), y)\n",
        # The loss comes from a config.
        "from torch import nn\nmodel = nn.Sequential(nn.Linear(4, 3), nn.Softmax(1))\n"
        "criterion = LOSSES[config['loss']]\nloss = criterion(model(x), y)\n",
        # The call site passes a loss chosen at run time.
        "from torch import nn\n"
        "def step(model, criterion):\n    return criterion(model(x), y)\n"
        "step(nn.Sequential(nn.Linear(4, 1)), nn.BCELoss() if probs else nn.BCEWithLogitsLoss())\n",
        # Layers applied in a loop that may stop before the last.
        "import torch.nn as nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.layers = nn.ModuleList([nn.Linear(4, 4), nn.Softmax(1)])\n"
        "    def forward(self, x):\n        for layer in self.layers:\n            x = layer(x)\n"
        "            if self.early:\n                break\n"
        "        return x\n"
        "loss = nn.CrossEntropyLoss()(Net()(x), y)\n",
        # Tuple outputs whose parts differ by path.
        "import torch.nn as nn\nimport torch.nn.functional as F\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n"
        "    def forward(self, x):\n        if self.training:\n            return self.fc(x), x\n"
        "        return F.softmax(self.fc(x), 1), x\n"
        "out, _ = Net()(x)\nloss = nn.CrossEntropyLoss()(out, y)\n",
        # A starred unpacking hides which part is which.
        "import torch.nn as nn\nimport torch.nn.functional as F\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n"
        "    def forward(self, x):\n        return x, x, F.softmax(self.fc(x), 1)\n"
        "*rest, out = Net()(x)\nloss = nn.CrossEntropyLoss()(out, y)\n",
        # A lambda parameter is not the module-level name it shadows.
        "import torch.nn.functional as F\nout = F.softmax(z, dim=1)\n"
        "loss_fn = lambda out, y: F.cross_entropy(out, y)\n",
    ],
)
def test_silent_where_it_cannot_know(source: str) -> None:
    assert codes(source) == set()


def test_the_checker_never_imports_torch_or_jax() -> None:
    program = (
        "import sys, textwrap\n"
        "from logitguard.static.checker import check_source\n"
        f"found = check_source(textwrap.dedent({SOFTMAX_NET.format(imports=ALIASES)!r}))\n"
        "assert [f.code for f in found] == ['LG002'], found\n"
        "assert not {'torch', 'jax', 'flax'} & set(sys.modules), sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED_IN_EXAMPLES = {
    "torch/buggy_softmax_cross_entropy.py": {"LG002"},
    "torch/buggy_bce_on_logits.py": {"LG001", "LG009"},
    "torch/buggy_nll_on_logits.py": {"LG007", "LG010"},
    "torch/buggy_lightning_classifier.py": {"LG002", "LG011"},
    "torch/correct_softmax_cross_entropy.py": set(),
    "torch/correct_bce_with_logits.py": set(),
    "torch/correct_nll_log_softmax.py": set(),
    "torch/correct_lightning_classifier.py": set(),
    "jax/buggy_flax_softmax_optax.py": {"LG002"},
    "jax/buggy_nnx_sigmoid.py": {"LG002", "LG011"},
    "jax/correct_flax_optax.py": set(),
    "jax/correct_nnx_logits.py": set(),
    # Its log(probabilities) only feeds an argmax: nothing trains on it, so no LG011.
    "notebooks/buggy_torch_softmax.ipynb": {"LG002"},
}


def test_every_torch_and_jax_example_is_listed() -> None:
    found = {
        path.relative_to(EXAMPLES).as_posix()
        for folder in ("torch", "jax")
        for path in (EXAMPLES / folder).glob("*.py")
    }
    assert found == {name for name in EXPECTED_IN_EXAMPLES if not name.endswith(".ipynb")}


@pytest.mark.parametrize(("name", "expected"), EXPECTED_IN_EXAMPLES.items())
def test_examples_report_what_they_show(name: str, expected: set[str]) -> None:
    found = {finding.code for finding in check_paths([str(EXAMPLES / name)])}
    assert found == expected


def test_torchvision_classifier_heads() -> None:
    source = """
    import torch
    import torchvision
    from torch import nn
    from torchvision import models

    model = models.resnet18(weights="IMAGENET1K_V1")
    model.fc = nn.Sequential(nn.Linear(model.fc.in_features, 2), nn.Softmax(dim=1))
    loss = nn.CrossEntropyLoss()(model(x), y)

    partly_replaced = torchvision.models.vgg16(weights="IMAGENET1K_V1")
    partly_replaced.classifier[6] = nn.Linear(4096, 5)
    loss2 = nn.BCELoss()(partly_replaced(x), y)

    untouched = models.mobilenet_v2(num_classes=10)
    loss3 = nn.BCELoss()(untouched(x), y)
    """
    heads = {s.head.display: s.head for s in setups(source) if s.head is not None}
    resnet = heads["resnet18 (fc = nn.Linear(model.fc.in_features, 2) -> nn.Softmax(dim=1))"]
    assert resnet.emits is Emits.SOFTMAX and resnet.units == 2
    mobilenet = heads["mobilenet_v2 (classifier: its linear classifier)"]
    assert mobilenet.emits is Emits.LOGITS and mobilenet.units == 10
    vgg = heads["vgg16 (classifier[6] = nn.Linear(4096, 5))"]
    assert vgg.emits is Emits.LOGITS and vgg.units == 5
    assert codes(source) == {"LG001", "LG002"}


@pytest.mark.parametrize(
    ("factory", "last_layer"),
    [
        ("vgg16", "classifier[6]"),
        ("alexnet", "classifier[-1]"),
        ("vgg19_bn", "classifier._modules['6']"),
        ("efficientnet_b0", "classifier[1]"),
        ("mobilenet_v2", "classifier[1]"),
        ("mobilenet_v3_large", "classifier[3]"),
        ("convnext_tiny", "classifier[2]"),
        ("vit_b_16", "heads.head"),
        ("vit_b_16", "heads[0]"),
    ],
)
def test_the_last_layer_of_a_torchvision_classifier_replaced(factory: str, last_layer: str) -> None:
    """Fine-tuning swaps the last layer of a stacked classifier: that layer is what the model
    emits, here one unit under a loss over the classes."""
    source = f"""
    import torch.nn as nn
    from torchvision import models

    model = models.{factory}(weights="DEFAULT")
    model.{last_layer} = nn.Linear(model.{last_layer}.in_features, 1)
    loss = nn.CrossEntropyLoss()(model(x), y)
    """
    assert codes(source) == {"LG019"}


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        ("torchvision.models.get_model('resnet50', weights=None, num_classes=1)", {"LG019"}),
        ("torchvision.models.get_model('vgg16', num_classes=10)", set()),
        ("torch.hub.load('pytorch/vision', 'resnet18', num_classes=1)", {"LG019"}),
        ("torch.hub.load('pytorch/vision:v0.10.0', 'resnet18', num_classes=1)", {"LG019"}),
        # Another repository's model of that name: what it emits is not torchvision's.
        ("torch.hub.load('someone/models', 'resnet18', num_classes=1)", set()),
        ("torchvision.models.get_model(args.arch, num_classes=1)", set()),
    ],
)
def test_a_torchvision_classifier_built_by_name(made: str, expected: set[str]) -> None:
    source = f"""
    import torch
    import torch.nn as nn
    import torchvision

    model = {made}
    loss = nn.CrossEntropyLoss()(model(x), y)
    """
    assert codes(source) == expected


@pytest.mark.parametrize(
    ("made", "replaced"),
    [
        ("models.vgg16(weights=None)", "classifier[3]"),  # the last layer stays; which is new?
        ("models.mobilenet_v3_large(weights=None)", "classifier[-2]"),
        ("models.vit_b_16(weights=None)", "heads.head"),
        ("timm.create_model('convnext_tiny', pretrained=True)", "head.fc"),
    ],
)
def test_a_layer_inside_a_library_head_replaced_is_not_the_linear_classifier(
    made: str, replaced: str
) -> None:
    """What the model emits after a layer inside its head is swapped is not its linear
    classifier: here the program ends it in a log-softmax, right for `NLLLoss`."""
    source = f"""
    import timm
    import torch.nn as nn
    from torchvision import models

    model = {made}
    model.{replaced} = nn.Sequential(nn.Linear(768, 10), nn.LogSoftmax(dim=1))
    loss = nn.NLLLoss()(model(x), y)
    """
    assert codes(source) == set()


def test_a_hugging_face_model_whose_config_is_set_keeps_its_classifier() -> None:
    source = """
    import torch.nn as nn
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained("gpt2", num_labels=3)
    model.config.pad_token_id = model.config.eos_token_id
    loss = nn.NLLLoss()(model(**batch).logits, labels)
    """
    assert codes(source) == {"LG010"}


@pytest.mark.parametrize(
    "grown",
    [
        "model.classifier._modules['7'] = nn.LogSoftmax(dim=1)",
        "model.classifier.add_module('7', nn.LogSoftmax(dim=1))",
        "model.classifier.append(nn.LogSoftmax(dim=1))",
    ],
)
def test_a_torchvision_head_grown_in_place_is_no_longer_its_linear_classifier(grown: str) -> None:
    """A layer added to the head's Sequential runs after its linear layer: the model emits
    what that layer makes, which the checker does not claim to know."""
    source = f"""
    import torch.nn as nn
    from torchvision import models

    model = models.vgg16(weights=None)
    {grown}
    loss = nn.NLLLoss()(model(x), y)
    """
    assert codes(source) == set()


def test_a_torchvision_head_whose_weights_are_set_is_still_its_linear_classifier() -> None:
    source = """
    import torch.nn as nn
    from torchvision import models

    model = models.vgg16(weights=None)
    model.classifier.requires_grad = False
    loss = nn.NLLLoss()(model(x), y)
    """
    assert codes(source) == {"LG010"}


DISTILLATION = """
import torch.nn as nn
import torch.nn.functional as F

student = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
teacher = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
T, alpha = 4.0, 0.7
for x, y in loader:
    s, t = student(x), teacher(x)
    soft = {soft}
    distilled = {divergence}
    loss = alpha * distilled * T * T + (1 - alpha) * F.cross_entropy(s, y)
    loss.backward()
"""


TEACHER_PROBABILITIES = "F.softmax(t / T, dim=1)"
STUDENT_LOG_PROBABILITIES = "F.log_softmax(s / T, dim=1)"


@pytest.mark.parametrize(
    ("divergence", "emits"),
    [
        ("F.kl_div(F.softmax(s / T, dim=1), soft)", "softmax probabilities"),
        ('nn.KLDivLoss(reduction="batchmean")(F.softmax(s, dim=1), soft)', "softmax probabilities"),
        ("F.kl_div(s / T, soft)", "raw logits"),
    ],
)
def test_a_kl_divergence_needs_log_probabilities(divergence: str, emits: str) -> None:
    source = DISTILLATION.format(soft=TEACHER_PROBABILITIES, divergence=divergence)
    found = check_source(textwrap.dedent(source), "distil.py")
    assert [finding.code for finding in found] == ["LG010"]
    assert "expects log-probabilities but nn.Linear(32, 10)" in found[0].message
    assert f"emits {emits}" in found[0].message


@pytest.mark.parametrize(
    ("soft", "divergence"),
    [
        (TEACHER_PROBABILITIES, f"F.kl_div({STUDENT_LOG_PROBABILITIES}, soft)"),
        ("t.log_softmax(1)", f"F.kl_div({STUDENT_LOG_PROBABILITIES}, soft, log_target=True)"),
        (TEACHER_PROBABILITIES, 'nn.KLDivLoss(reduction="batchmean")(s.log_softmax(1), soft)'),
    ],
)
def test_a_kl_divergence_on_log_probabilities_is_silent(soft: str, divergence: str) -> None:
    assert codes(DISTILLATION.format(soft=soft, divergence=divergence)) == set()


CONFIG_DATACLASS = """
import torch
import torch.nn as nn
from dataclasses import dataclass, field

@dataclass({frozen})
class TrainConfig:
    hidden: int = 64
    num_classes: int = {default}
    layers: list = field(default_factory=list)

cfg = {made}
{changed}
model = nn.Sequential(nn.Linear(20, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.num_classes))
criterion = nn.CrossEntropyLoss()
for x, y in loader:
    loss = criterion(model(x), y)
    loss.backward()
"""


@pytest.mark.parametrize(
    ("default", "made"),
    [
        ("1", "TrainConfig()"),
        ("10", "TrainConfig(num_classes=1)"),
        ("10", "TrainConfig(32, 1)"),
        ("field(default=1)", "TrainConfig(hidden=32)"),
    ],
)
def test_a_frozen_dataclass_config_field_gives_the_units(default: str, made: str) -> None:
    source = CONFIG_DATACLASS.format(frozen="frozen=True", default=default, made=made, changed="")
    found = check_source(textwrap.dedent(source), "train.py")
    assert [finding.code for finding in found] == ["LG019"]
    assert "nn.Linear(cfg.hidden, cfg.num_classes) has one unit" in found[0].message


@pytest.mark.parametrize(
    ("frozen", "default", "made", "changed"),
    [
        ("frozen=True", "10", "TrainConfig()", ""),
        ("frozen=True", "1", "TrainConfig(**overrides)", ""),
        ("frozen=True", "1", "tyro.cli(TrainConfig)", ""),
        ("frozen=True", "field(default_factory=lambda: 1)", "TrainConfig()", ""),
        # Not frozen: a helper the object is handed to may set its fields.
        ("", "1", "TrainConfig()", ""),
        ("", "1", "TrainConfig()", "cfg.num_classes = len(classes)"),
    ],
)
def test_a_dataclass_field_not_known_to_be_one_is_silent(
    frozen: str, default: str, made: str, changed: str
) -> None:
    source = CONFIG_DATACLASS.format(frozen=frozen, default=default, made=made, changed=changed)
    assert codes(source) == set()


def test_a_plain_config_class_set_in_another_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text("class Config:\n    hidden = 64\n    num_classes = 1\n")
    (tmp_path / "train.py").write_text(
        textwrap.dedent(
            """
            import torch.nn as nn
            from config import Config

            cfg = Config()
            cfg.num_classes = len(class_names)
            net = nn.Linear(16, cfg.num_classes)
            criterion = nn.CrossEntropyLoss()
            for x, y in loader:
                criterion(net(x), y).backward()
            """
        )
    )
    assert check_paths([str(tmp_path)]) == []


def test_a_dataclass_config_in_another_file_gives_the_units(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(
        "from dataclasses import dataclass\n\n\n@dataclass(frozen=True)\nclass Config:\n"
        "    classes: int = 1\n"
    )
    (tmp_path / "train.py").write_text(
        textwrap.dedent(
            """
            import torch.nn as nn
            from config import Config

            config = Config()
            net = nn.Linear(16, config.classes)
            criterion = nn.CrossEntropyLoss()
            for x, y in loader:
                criterion(net(x), y).backward()
            """
        )
    )
    found = check_paths([str(tmp_path)])
    assert [(Path(f.location.path).name, f.code) for f in found] == [("train.py", "LG019")]


SOFTMAX_MODEL = """
import torch
import torch.nn as nn
{imports}

model = nn.Sequential(nn.Linear(20, 5), nn.Softmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
{prepared}
for x, y in loader:
    loss = nn.functional.cross_entropy({trained}(x), y)
    {backward}
"""


@pytest.mark.parametrize(
    ("imports", "prepared", "trained", "backward"),
    [
        (
            "from accelerate import Accelerator\naccelerator = Accelerator()",
            "model, optimizer, loader = accelerator.prepare(model, optimizer, loader)",
            "model",
            "accelerator.backward(loss)",
        ),
        (
            "from accelerate import Accelerator\naccelerator = Accelerator()",
            "model = accelerator.prepare(model)",
            "model",
            "accelerator.backward(loss)",
        ),
        (
            "import lightning as L\nfabric = L.Fabric()",
            "model, optimizer = fabric.setup(model, optimizer)",
            "model",
            "fabric.backward(loss)",
        ),
        (
            "from lightning.fabric import Fabric\nfabric = Fabric()",
            "model = fabric.setup_module(model)",
            "model",
            "fabric.backward(loss)",
        ),
        (
            "import deepspeed",
            "engine, optimizer, _, _ = deepspeed.initialize(model=model, config=cfg)",
            "engine",
            "engine.backward(loss)",
        ),
    ],
)
def test_a_model_handed_back_by_a_distributed_library_is_the_model(
    imports: str, prepared: str, trained: str, backward: str
) -> None:
    source = SOFTMAX_MODEL.format(
        imports=imports, prepared=prepared, trained=trained, backward=backward
    )
    found = check_source(textwrap.dedent(source), "train.py")
    assert [finding.code for finding in found] == ["LG002"]
    assert "nn.Linear(20, 5) -> nn.Softmax(dim=1) already emits" in found[0].message


def test_objects_handed_back_unpacked_from_a_starred_list_are_not_known() -> None:
    source = SOFTMAX_MODEL.format(
        imports="from accelerate import Accelerator\naccelerator = Accelerator()",
        prepared="model, optimizer = accelerator.prepare(*objects)",
        trained="model",
        backward="accelerator.backward(loss)",
    )
    assert codes(source) == set()


def test_a_library_backward_of_a_loss_trains_it() -> None:
    source = """
    import torch
    import torch.nn as nn
    from accelerate import Accelerator

    accelerator = Accelerator()
    model = accelerator.prepare(nn.Linear(20, 5))
    for x, y in loader:
        p = torch.softmax(model(x), dim=1)
        loss = -torch.log(p.gather(1, y[:, None])).mean()
        accelerator.backward(loss)
    """
    assert codes(source) == {"LG011"}


def test_outputs_gathered_from_every_device_are_the_same_logits() -> None:
    source = """
    import torch
    import torch.nn as nn
    from accelerate import Accelerator

    accelerator = Accelerator()
    model = accelerator.prepare(nn.Sequential(nn.Linear(20, 8), nn.ReLU(), nn.Linear(8, 1)))
    criterion = nn.BCEWithLogitsLoss()
    for x, y in loader:
        accelerator.backward(criterion(model(x), y))
    for x, y in val_loader:
        scores = accelerator.gather_for_metrics(model(x))
        predicted = (scores > 0.5).float()
    """
    assert codes(source) == {"LG009"}


IGNITE_TRAINER = """
import torch
import torch.nn as nn
from ignite.engine import create_supervised_trainer

model = nn.Sequential(nn.Linear(20, 5), {head})
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, optimizer, {loss})
trainer.run(loader, max_epochs=5)
"""


@pytest.mark.parametrize("loss", ["criterion", "nn.CrossEntropyLoss()", "loss_fn=criterion"])
def test_ignite_trains_the_model_output_with_the_loss_it_is_given(loss: str) -> None:
    found = check_source(
        textwrap.dedent(IGNITE_TRAINER.format(head="nn.Softmax(dim=1)", loss=loss)), "train.py"
    )
    assert [finding.code for finding in found] == ["LG002"]


@pytest.mark.parametrize(
    ("head", "loss"),
    [
        ("nn.ReLU()", "criterion"),  # no double softmax
        ("nn.Softmax(dim=1)", "criterion, model_transform=lambda out: out.log()"),
        ("nn.Softmax(dim=1)", "**settings"),
    ],
)
def test_ignite_with_a_transform_or_unknown_settings_is_silent(head: str, loss: str) -> None:
    assert "LG002" not in codes(IGNITE_TRAINER.format(head=head, loss=loss))


def test_a_segmentation_head_under_softmax2d_emits_probabilities() -> None:
    source = """
    import torch.nn as nn

    class Segmenter(nn.Module):
        def __init__(self, classes):
            super().__init__()
            self.body = nn.Conv2d(3, 64, 3, padding=1)
            self.head = nn.Conv2d(64, classes, 1)
            self.act = nn.Softmax2d()

        def forward(self, x):
            return self.act(self.head(self.body(x)))

    model = Segmenter(5)
    criterion = nn.CrossEntropyLoss()
    for x, y in loader:
        criterion(model(x), y).backward()
    """
    found = check_source(textwrap.dedent(source), "train.py")
    assert [finding.code for finding in found] == ["LG002"]
    assert "nn.Conv2d(64, classes, 1) -> nn.Softmax2d()" in found[0].message
