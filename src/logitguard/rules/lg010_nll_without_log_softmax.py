"""LG010: a loss on log-probabilities (NLLLoss, KLDivLoss) fed raw logits or probabilities."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import Emits, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid

_CONSEQUENCE = {
    Emits.LOGITS: "it maximises the raw score of the target class without bound instead of its "
    "probability",
    Emits.SOFTMAX: "it maximises the probability itself, not its log, so confident mistakes "
    "barely cost anything",
    Emits.SIGMOID: "it maximises an independent sigmoid, not a log-probability over the classes",
}


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head, loss = setup.head, setup.loss
    if head is None or loss is None or loss.expects is not Emits.LOG_SOFTMAX:
        return
    if head.emits not in _CONSEQUENCE:
        return
    if head.emits is Emits.LOGITS:
        instead = loss.logits_remedy or "nn.CrossEntropyLoss()"
        fix = f"Use {instead}, or end the model with F.log_softmax(x, dim=1)."
    else:
        fix = (
            "Replace the activation with F.log_softmax(x, dim=1), or drop it and use "
            "nn.CrossEntropyLoss()."
        )
    yield Diagnosis(
        message=f"{loss.display} expects log-probabilities but {head.display} emits "
        f"{head.emits.value}: {_CONSEQUENCE[head.emits]}",
        location=loss.location or head.location,
        fix=fix,
    )


RULE = Rule(
    code="LG010",
    name="nll-without-log-softmax",
    severity=Severity.ERROR,
    summary="NLLLoss / nll_loss (or KLDivLoss / kl_div) fed raw logits or probabilities instead "
    "of log_softmax outputs",
    why="PyTorch's NLLLoss does not take a log: it returns minus the input at the target index, "
    "so it is a cross-entropy only when its input is log_softmax output. Fed raw logits, the "
    "loss is unbounded below: training pushes the target logit up forever and the loss goes to "
    "minus infinity. Fed softmax probabilities, it optimises -p instead of -log p: gradients "
    "vanish on the examples the model gets most wrong and it trains far worse. No error is "
    "raised in either case. KLDivLoss (a distillation's loss, F.kl_div) takes log-probabilities "
    "as its input in the same way, against the target's probabilities: on a softmax it "
    "optimises the target-weighted probabilities themselves, and reports a wrong, often "
    "negative, divergence.",
    fix="End the model with F.log_softmax(x, dim=1) (or nn.LogSoftmax(dim=1)), or keep raw "
    "logits and use nn.CrossEntropyLoss, which is log_softmax followed by NLLLoss. Give "
    "KLDivLoss F.log_softmax of the student's scores.",
    check=check,
    examples=(
        invalid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 32)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))

model = Net()
criterion = nn.NLLLoss()
for x, y in loader:
    loss = criterion(model(x), y)
""",
        ),
        invalid(
            "torch",
            """
import torch
from torch import nn
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 2), nn.Softmax(dim=1))
loss_fn = nn.NLLLoss()
for x, y in loader:
    loss = loss_fn(model(x), y)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn.functional as F
import lightning as L
from torch import nn

class Classifier(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 10))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.nll_loss(self(x), y)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F
student = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
distillation = nn.KLDivLoss(reduction="batchmean")
for x, teacher_probabilities in loader:
    loss = distillation(F.softmax(student(x), dim=1), teacher_probabilities)
    loss.backward()
""",
        ),
        valid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F
student = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
teacher = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
T = 4.0
for x, y in loader:
    soft = F.softmax(teacher(x) / T, dim=1)
    loss = F.kl_div(F.log_softmax(student(x) / T, dim=1), soft, reduction="batchmean") * T * T
    loss.backward()
""",
        ),
        valid(
            "torch",
            """
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        return F.log_softmax(self.out(x), dim=1)

model = Net()
criterion = nn.NLLLoss()
for x, y in loader:
    loss = criterion(model(x), y)
""",
        ),
        valid(
            "torch",
            """
from torch import nn
model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 2), nn.LogSoftmax(dim=1))
loss_fn = nn.NLLLoss()
for x, y in loader:
    loss = loss_fn(model(x), y)
""",
        ),
        valid(
            "torch",
            """
import torch.nn.functional as F
from torch import nn
model = nn.Sequential(nn.Linear(64, 10))
for x, y in loader:
    loss = F.nll_loss(F.log_softmax(model(x), dim=1), y)
""",
        ),
        valid(
            "torch",
            """
from torch import nn
# The model comes from elsewhere: the checker cannot know what it emits.
model = load_model()
criterion = nn.NLLLoss()
loss = criterion(model(x), y)
""",
        ),
    ),
)
