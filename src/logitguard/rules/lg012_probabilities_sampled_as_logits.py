"""LG012: probabilities passed where logits are expected (sampling, Gumbel-softmax)."""

from __future__ import annotations

from collections.abc import Iterator

from logitguard.core.facts import PredictionMisuse, TrainingSetup
from logitguard.core.findings import Severity
from logitguard.rules.base import Diagnosis, Rule, invalid, valid


def check(setup: TrainingSetup) -> Iterator[Diagnosis]:
    head = setup.head
    if head is None or not head.emits.is_probability:
        return
    for prediction in setup.predictions:
        if prediction.misuse is PredictionMisuse.READ_AS_LOGITS:
            yield Diagnosis(
                message=f"{prediction.display}: {head.display} emits {head.emits.value}, "
                "which are read as logits and squashed a second time",
                location=prediction.location,
                fix="Pass them as probabilities (Categorical(probs=...)) or pass the raw "
                "logits from before the activation.",
            )


RULE = Rule(
    code="LG012",
    name="probabilities-sampled-as-logits",
    severity=Severity.ERROR,
    summary="softmax/sigmoid outputs given to a sampler or distribution as logits",
    why="torch.distributions.Categorical(logits=...), jax.random.categorical and "
    "F.gumbel_softmax apply a softmax to what they receive. Probabilities all lie in [0, 1], "
    "so their softmax is nearly uniform: a policy that is 99% sure of one action samples it "
    "barely more often than the others, and entropy bonuses and log-probabilities computed "
    "from the distribution are wrong. Nothing raises.",
    fix="Use Categorical(probs=probabilities), or give the sampler the raw logits.",
    check=check,
    examples=(
        invalid(
            "torch",
            """
import torch
import torch.nn.functional as F
from torch import nn
from torch.distributions import Categorical

class Policy(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 64)
        self.action = nn.Linear(64, 2)

    def forward(self, state):
        return F.softmax(self.action(torch.relu(self.hidden(state))), dim=-1)

policy = Policy()
dist = Categorical(logits=policy(state))
action = dist.sample()
""",
        ),
        invalid(
            "torch",
            """
import torch
probs = torch.softmax(scores, dim=-1)
choice = torch.distributions.Categorical(None, probs).sample()
""",
        ),
        invalid(
            "jax",
            """
import jax

def sample(key, params, x):
    probabilities = jax.nn.softmax(x @ params["w"])
    return jax.random.categorical(key, probabilities)
""",
        ),
        invalid(
            "torch",
            """
import torch.nn.functional as F
from torch import nn
head = nn.Sequential(nn.Linear(32, 8), nn.Softmax(dim=-1))
codes = F.gumbel_softmax(head(h), tau=0.5, hard=True)
""",
        ),
        valid(
            "torch",
            """
import torch
import torch.nn.functional as F
from torch.distributions import Categorical
probs = F.softmax(scores, dim=-1)
a = Categorical(probs=probs).sample()
b = Categorical(logits=scores).sample()
""",
        ),
        valid(
            "jax",
            """
import jax

def sample(key, params, x):
    return jax.random.categorical(key, x @ params["w"])
""",
        ),
        valid(
            "torch",
            """
import torch.nn.functional as F
from torch import nn
head = nn.Sequential(nn.Linear(32, 8))
codes = F.gumbel_softmax(head(h), tau=0.5, hard=True)
""",
        ),
    ),
)
