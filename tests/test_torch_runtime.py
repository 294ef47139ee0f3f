"""PyTorch at run time: `inspect`, `guard` and `probability_module` on real tiny models.

The models are trained for a few steps on scikit-learn's digits (10 classes) and breast cancer
(2 classes) data on the CPU.
"""

from __future__ import annotations

import warnings

import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_digits  # noqa: E402
from torch import nn  # noqa: E402

import logitguard  # noqa: E402
from logitguard.core.facts import Emits  # noqa: E402
from logitguard.errors import LogitMismatchError, LogitMismatchWarning  # noqa: E402
from logitguard.runtime.torch_inspect import (  # noqa: E402
    ProbabilityModule,
    inspect_torch,
    probability_module,
)
from logitguard.torch import guard  # noqa: E402

pytestmark = pytest.mark.slow

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def digits() -> tuple[torch.Tensor, torch.Tensor]:
    features, labels = load_digits(return_X_y=True)
    return torch.tensor(features / 16.0, dtype=torch.float32), torch.tensor(labels)


@pytest.fixture(scope="module")
def cancer() -> tuple[torch.Tensor, torch.Tensor]:
    features, labels = load_breast_cancer(return_X_y=True)
    features = (features - features.mean(axis=0)) / features.std(axis=0)
    return (
        torch.tensor(features, dtype=torch.float32),
        torch.tensor(labels, dtype=torch.float32),
    )


def mlp(inputs: int, units: int, *head: nn.Module) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(inputs, 32), nn.ReLU(), nn.Linear(32, units), *head)


class FunctionalSoftmaxNet(nn.Module):
    """The softmax is a function call in forward: no module shows it, torch.fx does."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = nn.Linear(64, 32)
        self.out = nn.Linear(32, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.softmax(self.out(torch.relu(self.hidden(x))), dim=1)


class UntraceableSoftmaxNet(FunctionalSoftmaxNet):
    """A branch on tensor values: torch.fx cannot trace it, so only the probe can judge it."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden = torch.relu(self.hidden(x))
        if hidden.sum() < 0:  # never true after a ReLU; fx does not know that
            hidden = -hidden
        return F.softmax(self.out(hidden), dim=1)


class LogOfSoftmaxNet(FunctionalSoftmaxNet):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log(F.softmax(self.out(torch.relu(self.hidden(x))), dim=1))


def train(
    model: nn.Module,
    loss_fn: object,
    x: torch.Tensor,
    y: torch.Tensor,
    steps: int,
    lr: float = 0.1,
) -> None:
    torch.manual_seed(1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        index = torch.randint(0, len(x), (64,))
        optimizer.zero_grad()
        loss = loss_fn(model(x[index]), y[index])  # type: ignore[operator]
        loss.backward()
        optimizer.step()


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


# --- inspect ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "loss_fn", "one_hot", "code"),
    [
        (lambda: mlp(64, 10, nn.Softmax(dim=1)), nn.CrossEntropyLoss(), False, "LG002"),
        (FunctionalSoftmaxNet, F.cross_entropy, False, "LG002"),
        (UntraceableSoftmaxNet, nn.CrossEntropyLoss(), False, "LG002"),
        (lambda: mlp(64, 10), nn.NLLLoss(), False, "LG010"),
        (lambda: mlp(64, 10, nn.Softmax(dim=1)), F.nll_loss, False, "LG010"),
        (
            lambda: mlp(64, 10, nn.Softmax(dim=1)),
            nn.KLDivLoss(reduction="batchmean"),
            True,
            "LG010",
        ),
        (LogOfSoftmaxNet, nn.NLLLoss(), False, "LG011"),
        (lambda: mlp(64, 10, nn.LogSoftmax(dim=1)), nn.NLLLoss(), True, "LG007"),
        (lambda: mlp(64, 8), nn.CrossEntropyLoss(), False, "LG008"),
    ],
)
def test_inspect_finds_the_mismatch_on_digits(digits, build, loss_fn, one_hot, code) -> None:
    x, y = digits
    model = build()
    targets = F.one_hot(y, 10).float() if one_hot else y
    report = logitguard.inspect(model, loss_fn, x[:256], targets[:256])
    assert code in report.codes, str(report)
    assert not report.ok


@pytest.mark.parametrize(
    ("head", "loss_fn", "code"),
    [
        ((), nn.BCELoss(), "LG001"),
        ((nn.Sigmoid(),), nn.BCEWithLogitsLoss(), "LG002"),
        ((nn.Softmax(dim=1),), nn.BCELoss(), "LG004"),
    ],
)
def test_inspect_finds_the_mismatch_on_breast_cancer(cancer, head, loss_fn, code) -> None:
    x, y = cancer
    report = inspect_torch(mlp(30, 1, *head), loss_fn, x[:128], y[:128, None])
    assert code in report.codes, str(report)


@pytest.mark.parametrize(
    ("build", "loss_fn", "lr"),
    [
        (lambda: mlp(64, 10), nn.CrossEntropyLoss(), 0.1),
        (lambda: mlp(64, 10), F.cross_entropy, 0.1),
        (lambda: mlp(64, 10, nn.LogSoftmax(dim=1)), nn.NLLLoss(), 0.1),
        (lambda: mlp(64, 10, nn.LogSoftmax(dim=1)), F.nll_loss, 0.1),
    ],
)
def test_inspect_is_silent_on_correct_trained_models(digits, build, loss_fn, lr) -> None:
    x, y = digits
    model = build()
    train(model, loss_fn, x, y, steps=20, lr=lr)
    report = inspect_torch(model, loss_fn, x[:256], y[:256])
    assert report.findings == [], str(report)
    assert report.setups[0].head is not None


@pytest.mark.parametrize(
    ("head", "loss_fn"),
    [((), nn.BCEWithLogitsLoss()), ((nn.Sigmoid(),), nn.BCELoss())],
)
def test_inspect_is_silent_on_correct_binary_models(cancer, head, loss_fn) -> None:
    x, y = cancer
    model = mlp(30, 1, *head)
    train(model, loss_fn, x, y[:, None], steps=20)
    report = inspect_torch(model, loss_fn, x[:128], y[:128, None])
    assert report.findings == [], str(report)


def test_inspect_reads_the_structure_without_a_batch() -> None:
    report = inspect_torch(FunctionalSoftmaxNet(), nn.CrossEntropyLoss())
    head = report.setups[0].head
    assert head is not None and head.emits is Emits.SOFTMAX and head.units == 10
    assert "LG002" in report.codes


def test_inspect_says_what_it_could_not_read() -> None:
    report = inspect_torch(UntraceableSoftmaxNet(), nn.CrossEntropyLoss())
    assert report.findings == []
    assert any("could not tell" in note for note in report.notes)


def test_inspect_leaves_the_training_mode_and_hooks_as_they_were(digits) -> None:
    x, y = digits
    model = mlp(64, 10, nn.Dropout(0.5))
    model.train()
    inspect_torch(model, nn.CrossEntropyLoss(), x[:64], y[:64])
    assert model.training
    assert all(not layer._forward_hooks for layer in model.modules())


# --- guard -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [lambda: mlp(64, 10, nn.Softmax(dim=1)), FunctionalSoftmaxNet],
    ids=["softmax-module", "softmax-function-in-forward"],
)
def test_guard_raises_on_the_first_step_before_any_update(digits, build) -> None:
    x, y = digits
    model = build()
    criterion = nn.CrossEntropyLoss()
    before = [parameter.detach().clone() for parameter in model.parameters()]
    with pytest.raises(LogitMismatchError) as raised, guard(model, criterion):
        train(model, criterion, x, y, steps=5)
    assert [finding.code for finding in raised.value.findings] == ["LG002"]
    assert "CrossEntropyLoss" in str(raised.value)
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters(), strict=True))
    assert not model._forward_hooks and not criterion._forward_pre_hooks


def test_guard_lets_a_correct_loop_train_and_removes_its_hooks(digits) -> None:
    x, y = digits
    model = mlp(64, 10)
    criterion = nn.CrossEntropyLoss()
    watch = guard(model, criterion)
    train(model, criterion, x, y, steps=100, lr=0.5)
    assert watch.checked and not watch.active
    assert watch.report is not None and watch.report.findings == []
    assert all(not layer._forward_hooks for layer in model.modules())
    assert not criterion._forward_pre_hooks
    assert accuracy(model, x, y) > 0.8


def test_guard_called_as_a_function_loss_checks_the_labels(digits) -> None:
    x, y = digits
    model = mlp(64, 10, nn.LogSoftmax(dim=1))
    loss_fn = guard(model, F.nll_loss)
    with pytest.raises(LogitMismatchError) as raised:
        train(model, loss_fn, x, F.one_hot(y, 10).float(), steps=3)
    assert "LG007" in {finding.code for finding in raised.value.findings}


def test_guard_sees_an_activation_applied_in_the_loop(digits) -> None:
    x, y = digits
    model = mlp(64, 10)
    criterion = nn.CrossEntropyLoss()
    with pytest.raises(LogitMismatchError, match="LG002"), guard(model, criterion):
        criterion(torch.softmax(model(x[:64]), dim=1), y[:64])


def test_guard_with_an_unhooked_function_loss_checks_at_the_next_step(digits) -> None:
    x, y = digits
    model = mlp(64, 10)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with guard(model, F.nll_loss, on_mismatch="warn") as watch:
            train(model, F.nll_loss, x, y, steps=3)
    assert [w.category for w in caught] == [LogitMismatchWarning]
    assert "LG010" in str(caught[0].message)
    assert not watch.active


# --- probabilities, and what fixing a finding is worth ---------------------------------------


def test_probability_module_outputs_probabilities(digits, cancer) -> None:
    x, y = digits
    logits_model = mlp(64, 10)
    train(logits_model, nn.CrossEntropyLoss(), x, y, steps=10)
    wrapped = logitguard.probability_model(logits_model)
    assert isinstance(wrapped, ProbabilityModule)
    with torch.no_grad():
        rows = wrapped(x[:50])
        assert torch.allclose(rows.sum(dim=1), torch.ones(50), atol=1e-5)
        assert torch.equal(rows.argmax(dim=1), logits_model(x[:50]).argmax(dim=1))
    binary = probability_module(mlp(30, 1))
    with torch.no_grad():
        values = binary(cancer[0][:50])
    assert values.shape == (50, 1) and bool(((values > 0) & (values < 1)).all())
    already = mlp(64, 10, nn.Softmax(dim=1))
    assert probability_module(already) is already
    with pytest.raises(ValueError, match="pass a batch x"):
        probability_module(UntraceableSoftmaxNet())


@pytest.mark.parametrize(
    ("broken_head", "broken_loss", "code"),
    [((nn.Softmax(dim=1),), nn.CrossEntropyLoss(), "LG002"), ((), nn.NLLLoss(), "LG010")],
)
def test_the_fixed_model_trains_clearly_better(digits, broken_head, broken_loss, code) -> None:
    x, y = digits
    train_x, train_y, test_x, test_y = x[:1200], y[:1200], x[1200:], y[1200:]
    broken = mlp(64, 10, *broken_head)
    finding = next(f for f in inspect_torch(broken, broken_loss).findings if f.code == code)
    assert "CrossEntropyLoss" in finding.fix or "Remove the activation" in finding.fix
    fixed = mlp(64, 10)  # per the fix: raw logits into nn.CrossEntropyLoss
    fixed_loss = nn.CrossEntropyLoss()
    assert inspect_torch(fixed, fixed_loss).findings == []
    train(broken, broken_loss, train_x, train_y, steps=150)
    train(fixed, fixed_loss, train_x, train_y, steps=150)
    broken_accuracy = accuracy(broken, test_x, test_y)
    fixed_accuracy = accuracy(fixed, test_x, test_y)
    assert fixed_accuracy > 0.8
    assert fixed_accuracy > broken_accuracy + 0.3
