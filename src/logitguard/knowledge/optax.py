"""optax losses: every classification loss in optax takes raw logits.

Used by the JAX/Flax static front end; nothing here imports jax or optax.
"""

from __future__ import annotations

from dataclasses import dataclass

from logitguard.core.facts import Emits, Location, LossFamily, LossUse


@dataclass(frozen=True)
class OptaxLoss:
    family: LossFamily
    function_name: str
    probabilities_remedy: str | None = None


LOSSES: tuple[OptaxLoss, ...] = (
    OptaxLoss(
        LossFamily.CATEGORICAL,
        "softmax_cross_entropy",
        probabilities_remedy="jax.nn.log_softmax in place of the softmax",
    ),
    OptaxLoss(
        LossFamily.SPARSE_CATEGORICAL,
        "softmax_cross_entropy_with_integer_labels",
        probabilities_remedy="jax.nn.log_softmax in place of the softmax",
    ),
    OptaxLoss(LossFamily.BINARY, "sigmoid_binary_cross_entropy"),
)
_BY_NAME = {loss.function_name: loss for loss in LOSSES}

# optax re-exports its losses at the top level; newer versions also under optax.losses.
_MODULES = ("optax", "optax.losses")

# Positions and keywords of the two arguments, the same for every loss above.
LOGITS_ARGUMENT = (0, "logits")
LABELS_ARGUMENT = (1, "labels")


def loss_function(path: str) -> OptaxLoss | None:
    """The loss a canonical dotted path such as "optax.softmax_cross_entropy" names, if any."""
    module, _, name = path.rpartition(".")
    return _BY_NAME.get(name) if module in _MODULES else None


def loss_use(loss: OptaxLoss, display: str, *, location: Location | None = None) -> LossUse:
    return LossUse(
        family=loss.family,
        expects=Emits.LOGITS,
        display=display,
        location=location,
        probabilities_remedy=loss.probabilities_remedy,
    )
