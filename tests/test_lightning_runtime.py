"""The PyTorch guard and inspect_torch on real LightningModules trained by a real Trainer."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
L = pytest.importorskip("lightning")
datasets = pytest.importorskip("sklearn.datasets")

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

import logitguard  # noqa: E402
from logitguard.core.findings import Severity  # noqa: E402
from logitguard.errors import LogitMismatchError  # noqa: E402
from logitguard.torch import guard  # noqa: E402

MAX_STEPS = 3

# Lightning's own use of a deprecated torch pytree name, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:.*LeafSpec")


@pytest.fixture(scope="module")
def digits() -> tuple[torch.Tensor, torch.Tensor]:
    x, y = datasets.load_digits(return_X_y=True)
    return torch.tensor(x[:256] / 16.0, dtype=torch.float32), torch.tensor(y[:256])


class Classifier(L.LightningModule):
    """An MLP trained with a loss module, calling itself in training_step."""

    def __init__(self, softmax_head: bool) -> None:
        super().__init__()
        head = [nn.Linear(32, 10), *([nn.Softmax(dim=1)] if softmax_head else [])]
        self.net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), *head)
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_index):
        x, y = batch
        return self.criterion(self(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


class FunctionalClassifier(Classifier):
    """Calls its network directly and computes the loss with a function, not a module."""

    def training_step(self, batch, batch_index):
        x, y = batch
        return F.cross_entropy(self.net(x), y)


class TwoPartClassifier(Classifier):
    """Runs an encoder and a head one after the other, never its own forward."""

    def __init__(self, softmax_head: bool) -> None:
        super().__init__(softmax_head)
        self.encoder, self.head = self.net[:2], self.net[2:]
        del self.net

    def training_step(self, batch, batch_index):
        x, y = batch
        return F.cross_entropy(self.head(self.encoder(x)), y)


def trainer() -> L.Trainer:
    return L.Trainer(
        max_steps=MAX_STEPS,
        accelerator="cpu",
        devices=1,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )


def fit(module: L.LightningModule, digits, loss_fn) -> tuple[L.Trainer, object]:
    x, y = digits
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
    run = trainer()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(num_workers|does not have many workers).*")
        with guard(module, loss_fn) as checking:
            run.fit(module, loader)
    return run, checking


def test_guard_stops_a_lightning_run_at_its_first_step(digits):
    module = Classifier(softmax_head=True)
    before = [p.detach().clone() for p in module.parameters()]
    with pytest.raises(LogitMismatchError, match="LG002") as raised:
        fit(module, digits, module.criterion)
    assert [f.code for f in raised.value.findings] == ["LG002"]
    assert "nn.CrossEntropyLoss()" in raised.value.findings[0].message
    # Stopped before the optimizer ever stepped.
    assert all(torch.equal(a, b) for a, b in zip(before, module.parameters(), strict=True))


def test_guard_lets_a_correct_lightning_run_train_and_removes_itself(digits):
    module = Classifier(softmax_head=False)
    run, checking = fit(module, digits, module.criterion)
    assert run.global_step == MAX_STEPS
    assert checking.report is not None and checking.report.findings == []
    assert not checking.active
    assert module.net[0].weight.grad is not None


@pytest.mark.parametrize("kind", [FunctionalClassifier, TwoPartClassifier])
def test_guard_on_a_functional_loss_checks_the_first_outputs(digits, kind):
    module = kind(softmax_head=True)
    with pytest.raises(LogitMismatchError, match="LG002") as raised:
        fit(module, digits, F.cross_entropy)
    assert "F.cross_entropy" in raised.value.findings[0].message
    correct = kind(softmax_head=False)
    run, checking = fit(correct, digits, F.cross_entropy)
    assert run.global_step == MAX_STEPS and checking.report.findings == []


@pytest.mark.parametrize(("softmax_head", "codes"), [(True, {"LG002"}), (False, set())])
def test_inspect_a_trained_lightning_module(digits, softmax_head, codes):
    module = Classifier(softmax_head=softmax_head)
    run, _ = fit(module, digits, nn.MSELoss())  # a loss the guard does not judge
    assert run.global_step == MAX_STEPS
    x, y = digits
    report = logitguard.inspect(module, module.criterion, x[:64], y[:64])
    assert report.codes == codes, str(report)
    assert all(finding.severity is Severity.WARNING for finding in report.findings)
    probabilities = logitguard.probability_model(module)
    with torch.no_grad():
        rows = probabilities(x[:8]).sum(dim=1).numpy()
    np.testing.assert_allclose(rows, 1.0, atol=1e-5)
