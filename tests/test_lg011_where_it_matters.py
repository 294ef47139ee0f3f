"""LG011 where log(softmax(x)) is trained on, not on test data (issue 9, cause D).

A two-step log-softmax is reported where it feeds a loss or a gradient (a loss call, a
`.backward()`, `autograd.grad`, a returned value) or ends a model's forward; not where it is
only looked at, and not where a test builds it from random or constant tensors, which cannot
underflow.
"""

from __future__ import annotations

import textwrap

import pytest

from logitguard.static.checker import check_source

TORCH = """
import torch
import torch.nn.functional as F
from torch import nn

model = nn.Sequential(nn.Linear(20, 8), nn.ReLU(), nn.Linear(8, 5))
"""


def lg011_lines(source: str, prelude: str = TORCH) -> list[int]:
    found = check_source(prelude + textwrap.dedent(source), "case.py")
    offset = prelude.count("\n")
    return sorted(finding.location.line - offset for finding in found if finding.code == "LG011")


@pytest.mark.parametrize(
    "source",
    [
        # Module-level inputs of a test module, built once.
        """
        from typing import NamedTuple

        class Pair(NamedTuple):
            p: torch.Tensor
            q: torch.Tensor

        LOG_INPUTS = Pair(
            p=torch.rand(4, 10, 3).softmax(dim=-1).log(),
            q=torch.rand(4, 10, 3).softmax(dim=-1).log(),
        )
        """,
        # A test feeding a loss with made-up log-probabilities.
        """
        def test_nll_matches_by_hand():
            log_probs = torch.log(torch.softmax(torch.randn(3, 4), 1))
            target = torch.tensor([0, 3, 1])
            assert F.nll_loss(log_probs, target) > 0
        """,
        # Made up through a helper, names and tensor methods.
        """
        def random_probabilities(rows=2):
            return torch.randn(rows, 5).double().softmax(1)

        def test_kl():
            reference = random_probabilities().log()
            criterion = nn.KLDivLoss(reduction="batchmean", log_target=True)
            loss = criterion(reference, torch.zeros(2, 5))
            loss.backward()
        """,
        # Constants written out.
        """
        expected = F.nll_loss(torch.log(F.softmax(torch.tensor([[1.0, 2.0, 0.5]]), dim=1)),
                              torch.tensor([1]))
        """,
    ],
    ids=["module-level-test-inputs", "test-into-loss", "through-helpers", "constants"],
)
def test_no_lg011_on_made_up_test_data(source: str) -> None:
    assert lg011_lines(source) == []


def test_no_lg011_where_nothing_trains_on_it() -> None:
    source = """
        x = torch.randn(64, 20)
        with torch.no_grad():
            log_probabilities = torch.log(F.softmax(model(x), dim=1))
        print(log_probabilities.argmax(dim=1))
        """
    assert lg011_lines(source) == []


@pytest.mark.parametrize(
    "source",
    [
        """
        @torch.no_grad()
        def predictive_entropy(logits):
            p = F.softmax(logits, dim=1)
            return -(p * torch.log(p)).sum(1)
        """,
        """
        def evaluate(features):
            with torch.inference_mode():
                p = model(features).softmax(-1)
                return -(p * p.log()).sum(-1)
        """,
        """
        def entropy_score(logits):
            p = torch.softmax(logits, -1)
            return (-(p * torch.log(p)).sum(-1)).cpu().numpy()
        """,
        """
        def beam_step(model, ids, beam_scores, beams):
            with torch.no_grad():
                probs = F.softmax(model(ids)[:, -1], dim=-1)
                scores = beam_scores.unsqueeze(-1) + torch.log(probs)
                best, tokens = torch.topk(scores.view(1, -1), beams, dim=1)
            return best, tokens
        """,
    ],
    ids=["no-grad-decorator", "inference-mode-block", "to-numpy", "computed-in-a-no-grad-block"],
)
def test_no_lg011_on_a_score_returned_out_of_training(source: str) -> None:
    """An entropy computed for evaluation: no gradient ever flows through what is returned."""
    assert lg011_lines(source) == []


@pytest.mark.parametrize(
    ("source", "line"),
    [
        (
            """
            for features, labels in loader:
                loss = -(labels * torch.log(F.softmax(model(features), 1))).sum()
                loss.backward()
            """,
            3,
        ),
        (
            """
            total = 0.0
            for features, labels in loader:
                total += F.one_hot(labels, 5).mul(model(features).softmax(-1).log()).sum()
            total.backward()
            """,
            4,
        ),
        (
            """
            log_probs = torch.log(F.softmax(model(inputs), dim=1))
            grads = torch.autograd.grad(log_probs.sum(), model.parameters())
            """,
            2,
        ),
        (
            """
            def cross_entropy_by_hand(logits, labels):
                probabilities = F.softmax(logits, dim=-1)
                return -(F.one_hot(labels, 5) * probabilities.log()).sum(dim=1).mean()
            """,
            4,
        ),
        (
            """
            # A model's output on random inputs is still a model's output.
            loss = F.nll_loss(torch.log(F.softmax(model(torch.randn(2, 20)), 1)), targets)
            """,
            3,
        ),
    ],
    ids=["backward", "accumulated-then-backward", "autograd-grad", "returned", "model-output"],
)
def test_lg011_where_a_loss_or_gradient_takes_it(source: str, line: int) -> None:
    assert lg011_lines(source) == [line]


def test_lg011_on_a_forward_ending_in_log_softmax_trained_with_nll() -> None:
    source = """
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.out = nn.Linear(20, 5)

            def forward(self, x):
                return torch.log(torch.softmax(self.out(x), dim=1))

        net = Net()
        criterion = nn.NLLLoss()
        loss = criterion(net(features), labels)
        """
    assert lg011_lines(source) == [8]


def test_lg011_in_a_jax_loss_function_and_not_on_random_keys() -> None:
    prelude = """
import jax
import jax.numpy as jnp
"""
    source = """
        def loss_fn(params, x, y):
            log_probs = jnp.log(jax.nn.softmax(x @ params["w"]))
            return -jnp.mean(jnp.sum(y * log_probs, axis=-1))

        grads = jax.grad(loss_fn)(params, batch, labels)

        def test_shapes():
            noise = jax.random.normal(jax.random.PRNGKey(0), (3, 4))
            log_probs = jnp.log(jax.nn.softmax(noise))
            return log_probs.shape
        """
    assert lg011_lines(source, prelude) == [3]


def test_no_lg011_on_the_log_of_an_ensembles_mean_probabilities() -> None:
    """log(mean of the members' softmaxes) is no log_softmax of one set of logits: the fix
    LG011 gives would change the maths (the stable form is a logsumexp over the members)."""
    source = """
    members = [model, nn.Sequential(nn.Linear(20, 5))]

    def nll(x, y):
        probs = torch.stack([F.softmax(m(x), dim=-1) for m in members]).mean(0)
        return F.nll_loss(torch.log(probs), y)

    def single(x, y):
        return F.nll_loss(torch.log(F.softmax(model(x), dim=-1)), y)
    """
    assert lg011_lines(source) == [9]  # the single model's, not the ensemble's


@pytest.mark.parametrize(
    "drawn",
    [
        "action = torch.distributions.Categorical(probs).sample()",
        "action = torch.distributions.Categorical(probs=probs).sample().item()",
        "action = torch.multinomial(probs, 1).squeeze(1)",
        "dist = torch.distributions.Categorical(probs); action = dist.sample()",
    ],
)
def test_no_lg011_on_the_chance_of_a_sampled_choice(drawn: str) -> None:
    """A policy's log-likelihood of the action it drew: a draw never picks a class whose
    chance underflowed to 0, so the log is finite."""
    source = f"""
    def reinforce(obs, reward):
        probs = F.softmax(model(obs), dim=-1)
        {drawn}
        log_likelihood = torch.log(probs[action])
        return -(reward * log_likelihood).mean()
    """
    assert [f.code for f in check_source(TORCH + textwrap.dedent(source), "case.py")] == []
    assert lg011_lines(
        source.replace("action]", "label]").replace("obs, reward", "obs, label")
    ) == [5]


def test_lg011_on_the_chance_of_a_label() -> None:
    """The labels' chances may have underflowed: a cross-entropy written this way is -inf."""
    source = """
    def cross_entropy(x, y):
        probs = F.softmax(model(x), dim=-1)
        return -torch.log(probs[range(len(y)), y]).mean()
    """
    assert lg011_lines(source) == [4]


@pytest.mark.parametrize(
    ("log", "lines"),
    [
        ("torch.log(probs + 1e-5)", []),
        ("(1e-8 + probs).log()", []),
        ("torch.log(probs.clamp(min=1e-8))", []),
        # A floor the file does not tell (an attribute, a setting) is an epsilon's.
        ("torch.log(probs.clamp(min=settings.eps))", []),
        ("torch.log(probs)", [4]),
        ("torch.log(probs.clamp(min=0))", [4]),
        ("torch.log(probs.clamp(max=1.0))", [4]),
        ("torch.log(probs.clamp(min=None, max=1.0))", [4]),
    ],
)
def test_no_lg011_once_an_epsilon_keeps_the_log_finite(log: str, lines: list[int]) -> None:
    source = f"""
    def entropy(x):
        probs = F.softmax(model(x), dim=1)
        return -torch.sum(probs * {log}, dim=1).mean()
    """
    assert lg011_lines(source) == lines


JAX = """
import functools
import jax
import jax.numpy as jnp
"""
STRAIGHT_THROUGH = """
        @{decorator}
        def straight_through(differentiable, value):
            return value

        def sharpened(scores, tau):
            probs = jax.nn.softmax(scores)
            return straight_through(scores, jax.nn.softmax(jnp.log(probs) / tau))
        """


@pytest.mark.parametrize(
    ("decorator", "lines"),
    [
        ("jax.custom_jvp", []),
        ("jax.custom_vjp", []),
        ("functools.partial(jax.custom_vjp, nondiff_argnums=(2,))", []),
        # A plain decorator derives the function as usual: the log's gradient flows.
        ("jax.jit", [8]),
    ],
)
def test_no_lg011_behind_a_function_with_its_own_derivative(
    decorator: str, lines: list[int]
) -> None:
    """A straight-through estimator's `@jax.custom_jvp` passes the gradient of one argument
    only: what it returns of the other takes none."""
    assert lg011_lines(STRAIGHT_THROUGH.format(decorator=decorator), JAX) == lines


def test_no_lg011_behind_a_stopped_gradient() -> None:
    source = """
        def sharpened(scores, tau):
            probs = jax.nn.softmax(scores)
            hard = jax.lax.stop_gradient(jax.nn.softmax(jnp.log(probs) / tau))
            return scores - jax.lax.stop_gradient(scores) + hard

        def unstopped(scores, tau):
            return jax.nn.softmax(jnp.log(jax.nn.softmax(scores)) / tau)
        """
    assert lg011_lines(source, JAX) == [8]


@pytest.mark.parametrize(
    ("source", "lines"),
    [
        (  # a reward model's pairwise ranking loss
            """
            def ranking_loss(chosen, rejected):
                return -torch.log(torch.sigmoid(chosen - rejected)).mean()
            """,
            [3],
        ),
        (
            """
            for features, labels in loader:
                loss = -(labels * model(features).sigmoid().log()).mean()
                loss.backward()
            """,
            [3],
        ),
        (  # a binary cross-entropy by hand: both logs, the complement's too
            """
            def bce(logits, y):
                p = torch.sigmoid(logits)
                return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
            """,
            [4, 4],
        ),
        (  # a discriminator ending in nn.Sigmoid, its log trained on
            """
            disc = nn.Sequential(nn.Linear(20, 1), nn.Sigmoid())
            for real, fake in loader:
                loss = -(torch.log(disc(real)) + torch.log(1 - disc(fake))).mean()
                loss.backward()
            """,
            [4, 4],
        ),
    ],
    ids=["ranking-loss", "method-form", "bce-by-hand", "discriminator"],
)
def test_lg011_on_the_log_of_a_sigmoid(source: str, lines: list[int]) -> None:
    assert lg011_lines(source) == lines


@pytest.mark.parametrize(
    "source",
    [
        """
        def ranking_loss(chosen, rejected):
            return -F.logsigmoid(chosen - rejected).mean()
        """,
        """
        def bce(logits, y):
            p = torch.sigmoid(logits)
            return -(y * torch.log(p + 1e-7) + (1 - y) * torch.log(1 - p + 1e-7)).mean()
        """,
        """
        def bce(logits, y):
            p = torch.sigmoid(logits).clamp(min=1e-6, max=1 - 1e-6)
            return -(y * p.log() + (1 - y) * (1 - p).log()).mean()
        """,
        """
        with torch.no_grad():
            log_p = torch.log(torch.sigmoid(model(x)))
        print(log_p)
        """,
        """
        def mean_log_chance(scores):
            return torch.log(torch.sigmoid(scores).mean())
        """,
    ],
    ids=["logsigmoid", "epsilon", "clamped", "only-printed", "log-of-a-mean"],
)
def test_no_lg011_on_a_sigmoid_kept_finite_or_not_trained_on(source: str) -> None:
    assert lg011_lines(source) == []


@pytest.mark.parametrize(
    ("scores", "lines"),
    [
        ("F.cosine_similarity(a, b, dim=1)", []),
        ("torch.tanh(a @ b.T)", []),
        ("(a @ b.T).tanh()", []),
        ("a @ b.T", [4]),  # a dot product has no bound
    ],
)
def test_no_lg011_on_the_sigmoid_of_a_bounded_value(scores: str, lines: list[int]) -> None:
    """A sigmoid of values in [-1, 1] lies in [0.27, 0.73]: its log is finite. Read through a
    helper's parameter, from this file's calls of it."""
    source = f"""
    def log_chances(similarity):
        positive = torch.sigmoid(similarity)
        return torch.log(torch.cat([positive, 1.0 - positive], dim=1))

    def pair_loss(a, b, y):
        similarity = {scores}
        return F.nll_loss(log_chances(similarity), y)
    """
    assert lg011_lines(source) == lines


def test_the_log_of_a_sigmoid_is_named_and_its_one_step_function_given() -> None:
    source = """
    def ranking_loss(chosen, rejected):
        return -torch.log(torch.sigmoid(chosen - rejected)).mean()
    """
    (finding,) = [
        f for f in check_source(TORCH + textwrap.dedent(source), "case.py") if f.code == "LG011"
    ]
    assert "takes the log of a sigmoid" in finding.message
    assert "F.logsigmoid(x)" in finding.fix and "F.logsigmoid(-x)" in finding.fix


TENSORFLOW = "import tensorflow as tf\n"


@pytest.mark.parametrize(
    ("log", "lines"),
    [
        ("tf.math.log(tf.sigmoid(fake_logit))", [3]),
        ("tf.math.log(1 - tf.sigmoid(fake_logit))", [3]),
        ("tf.math.log(1. - tf.nn.sigmoid(fake_logit))", [3]),
        ("tf.math.log(1. - tf.nn.sigmoid(fake_logit) + 1e-8)", []),
        ("tf.math.log(1. - tf.clip_by_value(tf.nn.sigmoid(fake_logit), 1e-7, 1 - 1e-7))", []),
        ("tf.math.log_sigmoid(-fake_logit)", []),
        # Of a softmax's rows, 1 - p is no probability of one class: not this rule's.
        ("tf.math.log(1. - tf.nn.softmax(fake_logit))", []),
    ],
)
def test_lg011_on_a_tensorflow_log_of_a_sigmoid_or_its_complement(
    log: str, lines: list[int]
) -> None:
    source = f"""
    def generator_loss(fake_logit):
        fake = {log}
        return -tf.reduce_mean(fake)
    """
    assert lg011_lines(source, TENSORFLOW) == lines


HAND_WRITTEN_BCE = """
    def bce(p, y):
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()

    for x, y in loader:
        p = torch.sigmoid(x @ w)
        loss = bce(p, y)
        {use}
"""


@pytest.mark.parametrize(
    ("use", "lines"),
    [
        # Gradients written by hand: the loss is only printed, nothing trains on its log.
        ("w -= 0.1 * x.T @ (p - y); print(loss.item())", []),
        ("loss.backward()", [3, 3]),
        ("total = loss * 2; total.backward()", [3, 3]),
        # Gathered in a list for one backward: a file that takes gradients keeps every return.
        ("losses.append(loss); torch.stack(losses).mean().backward()", [3, 3]),
    ],
    ids=["printed-only", "backward", "backward-through-a-name", "gathered-in-a-list"],
)
def test_lg011_on_a_helpers_return_only_where_a_call_of_it_is_trained(
    use: str, lines: list[int]
) -> None:
    """A helper only ever called here by name returns into training when a call does."""
    assert lg011_lines(HAND_WRITTEN_BCE.format(use=use)) == lines


def test_lg011_on_a_helper_handed_on_by_name() -> None:
    """A helper whose name is passed on (to a trainer, to `jax.grad`) may be trained on."""
    source = HAND_WRITTEN_BCE.format(use="print(loss.item())\n        Trainer(loss_fn=bce).fit()")
    assert lg011_lines(source) == [3, 3]


@pytest.mark.parametrize(
    ("made", "picked", "lines"),
    [
        ("torch.sigmoid(logits)", "p * targets + (1 - p) * (1 - targets)", [5]),
        ("torch.sigmoid(logits)", "targets * p + (1 - targets) * (1 - p)", [5]),
        ("torch.sigmoid(logits)", "(1 - p) * (1 - targets) + p * targets", [5]),
        (
            "torch.sigmoid(logits).clamp(1e-6, 1 - 1e-6)",
            "p * targets + (1 - p) * (1 - targets)",
            [],
        ),
        ("torch.sigmoid(logits)", "(p * targets + (1 - p) * (1 - targets)).clamp(min=1e-6)", []),
        # Weights that are not one and one minus the other: no pick.
        ("torch.sigmoid(logits)", "p * targets + (1 - p) * (1 - weights)", []),
        ("torch.sigmoid(logits)", "p * targets + logits * (1 - targets)", []),
    ],
)
def test_lg011_on_the_log_of_sigmoid_probabilities_picked_by_label_weights(
    made: str, picked: str, lines: list[int]
) -> None:
    """A focal loss's p_t written as a sum, the label weighing p and 1 - p."""
    source = f"""
    def focal_loss(logits, targets, gamma=2.0):
        p = {made}
        pt = {picked}
        return (-((1 - pt) ** gamma) * torch.log(pt)).mean()
    """
    assert lg011_lines(source) == lines


@pytest.mark.parametrize(
    ("picked", "lines"),
    [
        ("torch.where(targets == 1, p, 1 - p)", [5]),  # a focal loss's p_t
        ("torch.where(targets == 1, p, 1 - p) + 1e-6", []),
        ("torch.where(targets == 1, p, 1 - p).clamp(min=1e-6)", []),
        # A fill on one side: the log still takes the other's sigmoid outputs.
        ("torch.where(targets == 1, p, torch.ones_like(p))", [5]),
        ("torch.where(targets == 1, p, 1.0)", [5]),
        ("torch.where(targets == 1, 1.0, 0.0)", []),
        # One side is no sigmoid output: nothing is known of the picks.
        ("torch.where(targets == 1, p, logits)", []),
        ("torch.where(targets == 1, p, weights)", []),
    ],
)
def test_lg011_on_the_log_of_sigmoid_probabilities_picked_by_where(
    picked: str, lines: list[int]
) -> None:
    source = f"""
    def focal_loss(logits, targets, gamma=2.0):
        p = torch.sigmoid(logits)
        pt = {picked}
        return (-((1 - pt) ** gamma) * torch.log(pt)).mean()
    """
    assert lg011_lines(source) == lines


@pytest.mark.parametrize(
    ("picked", "lines"),
    [
        ("probs.gather(1, labels[:, None]).squeeze(1)", [5]),
        ("torch.gather(probs, 1, labels.unsqueeze(1))", [5]),
        ("probs.take_along_dim(labels.view(-1, 1), dim=1)", [5]),
        ("probs.gather(1, y[:, None])", [5]),
        ("probs.gather(1, labels[:, None]).clamp(min=1e-8)", []),
        ("weights.gather(1, labels[:, None])", []),
        # At an action the policy drew from these probabilities: a chance that is never 0.
        ("probs.gather(1, actions[:, None])", []),
    ],
)
def test_lg011_on_the_log_of_probabilities_picked_at_the_labels(
    picked: str, lines: list[int]
) -> None:
    source = f"""
    def nll(x, labels, y, actions, weights):
        probs = torch.softmax(model(x), dim=1)
        picked = {picked}
        loss = -torch.log(picked).mean()
        loss.backward()
    """
    assert lg011_lines(source) == lines


def test_lg011_on_probabilities_picked_at_labels_a_loader_gives() -> None:
    source = """
    from torchvision import datasets, transforms

    train = datasets.MNIST("data", train=True, transform=transforms.ToTensor())
    loader = torch.utils.data.DataLoader(train, batch_size=32)
    for inputs, answers in loader:
        probs = torch.softmax(model(inputs), dim=1)
        loss = -torch.log(probs.gather(1, answers[:, None])).mean()
        loss.backward()
    """
    assert lg011_lines(source) == [8]


def test_lg011_on_the_log_of_jax_probabilities_picked_along_an_axis() -> None:
    source = """
    import jax
    import jax.numpy as jnp

    def loss_fn(logits, labels):
        probs = jax.nn.softmax(logits)
        picked = jnp.take_along_axis(probs, labels[:, None], axis=1)
        return -jnp.log(picked).mean()

    grads = jax.grad(loss_fn)(logits, labels)
    """
    assert lg011_lines(source, prelude="") == [8]
