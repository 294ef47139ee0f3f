"""PyTorch losses: what each one expects as input, and what to use instead.

Shared by the static front end (which sees `nn.CrossEntropyLoss` or `F.cross_entropy` in source)
and the runtime inspector (which sees a loss module or function), so both describe a set-up with
the same words. Nothing here imports torch.
"""

from __future__ import annotations

from dataclasses import dataclass

from logitguard.core.facts import Edit, Emits, Location, LossFamily, LossUse


@dataclass(frozen=True)
class TorchLoss:
    family: LossFamily
    expects: Emits
    class_name: str  # nn.<class_name>
    function_name: str  # F.<function_name>
    # Said after "Use ..." when the head emits logits, and after "or use ..." when it emits
    # probabilities (see rules LG001, LG002, LG010).
    logits_remedy: str | None = None
    probabilities_remedy: str | None = None
    # Class name of the loss with the same signature that takes the other kind of input
    # (logits vs probabilities), for safe rewrites.
    logits_variant: str | None = None
    probabilities_variant: str | None = None


BCE_WITH_LOGITS = TorchLoss(
    LossFamily.BINARY,
    Emits.LOGITS,
    "BCEWithLogitsLoss",
    "binary_cross_entropy_with_logits",
    probabilities_remedy="nn.BCELoss() (less stable than dropping the sigmoid)",
    probabilities_variant="BCELoss",
)
BCE = TorchLoss(
    LossFamily.BINARY,
    Emits.SIGMOID,
    "BCELoss",
    "binary_cross_entropy",
    logits_remedy="nn.BCEWithLogitsLoss(): it applies the sigmoid itself, stably",
    logits_variant="BCEWithLogitsLoss",
)
CROSS_ENTROPY = TorchLoss(
    LossFamily.CATEGORICAL_ANY_TARGET,
    Emits.LOGITS,
    "CrossEntropyLoss",
    "cross_entropy",
    probabilities_remedy="F.log_softmax in place of the softmax with nn.NLLLoss() "
    "(CrossEntropyLoss applies log_softmax itself)",
)
NLL = TorchLoss(
    LossFamily.NEGATIVE_LOG_LIKELIHOOD,
    Emits.LOG_SOFTMAX,
    "NLLLoss",
    "nll_loss",
    logits_remedy="nn.CrossEntropyLoss(): it applies log_softmax itself",
    probabilities_remedy="F.log_softmax in place of the softmax",
)
# Knowledge distillation's loss: the student's log-probabilities (`input`) against the teacher's
# probabilities (`target`, or its log-probabilities with `log_target=True`).
KL_DIV = TorchLoss(
    LossFamily.KL_DIVERGENCE,
    Emits.LOG_SOFTMAX,
    "KLDivLoss",
    "kl_div",
    logits_remedy="F.kl_div(F.log_softmax(scores, dim=1), target): its input is log-probabilities",
    probabilities_remedy="F.log_softmax in place of the softmax",
)

# One sigmoid per class, applied by the loss itself: multi-hot targets, as BCEWithLogitsLoss.
MULTILABEL_SOFT_MARGIN = TorchLoss(
    LossFamily.BINARY,
    Emits.LOGITS,
    "MultiLabelSoftMarginLoss",
    "multilabel_soft_margin_loss",
    probabilities_remedy="nn.BCELoss() (less stable than dropping the sigmoid)",
)

# torchvision's focal loss for dense detection, a function only: one sigmoid per output,
# applied by the loss itself.
SIGMOID_FOCAL = TorchLoss(
    LossFamily.BINARY,
    Emits.LOGITS,
    "",
    "sigmoid_focal_loss",
    probabilities_remedy="the raw scores: sigmoid_focal_loss applies the sigmoid itself",
)

LOSSES: tuple[TorchLoss, ...] = (
    CROSS_ENTROPY,
    BCE_WITH_LOGITS,
    BCE,
    NLL,
    KL_DIV,
    MULTILABEL_SOFT_MARGIN,
)
_BY_CLASS = {loss.class_name: loss for loss in LOSSES}
_BY_FUNCTION = {loss.function_name: loss for loss in LOSSES}

# Where torch defines or re-exports the loss classes and functions.
_CLASS_MODULES = ("torch.nn", "torch.nn.modules.loss")
_FUNCTION_MODULE = "torch.nn.functional"
_TOP_LEVEL_FUNCTIONS = {
    "torch.binary_cross_entropy_with_logits": BCE_WITH_LOGITS,
    "torchvision.ops.sigmoid_focal_loss": SIGMOID_FOCAL,
    "torchvision.ops.focal_loss.sigmoid_focal_loss": SIGMOID_FOCAL,
}


def loss_class(path: str) -> TorchLoss | None:
    """The loss a canonical dotted path such as "torch.nn.CrossEntropyLoss" names, if any."""
    module, _, name = path.rpartition(".")
    return _BY_CLASS.get(name) if module in _CLASS_MODULES else None


def loss_function(path: str) -> TorchLoss | None:
    """The loss a canonical dotted path such as "torch.nn.functional.nll_loss" names, if any."""
    module, _, name = path.rpartition(".")
    if module == _FUNCTION_MODULE:
        return _BY_FUNCTION.get(name)
    return _TOP_LEVEL_FUNCTIONS.get(path)


# skorch's NeuralNetClassifier takes the log of the module's output before an NLLLoss (its
# default criterion), so the module must emit probabilities; other criteria get the output as
# it is. NeuralNetBinaryClassifier defaults to BCEWithLogitsLoss.
SKORCH_LOG_THEN_NLL = TorchLoss(
    LossFamily.SPARSE_CATEGORICAL,
    Emits.SOFTMAX,
    "NLLLoss",
    "nll_loss",
    logits_remedy="criterion=nn.CrossEntropyLoss: it applies log_softmax to the logits itself",
)
_SKORCH_CLASSIFIERS = ("skorch.NeuralNetClassifier", "skorch.classifier.NeuralNetClassifier")
# Other libraries' subclasses, read only with the criterion the program gives: braindecode's
# classifier is a NeuralNetClassifier (it takes the log before an NLLLoss too).
_DERIVED_CLASSIFIERS = ("braindecode.EEGClassifier", "braindecode.classifier.EEGClassifier")
_SKORCH_DEFAULTS: dict[str, TorchLoss | None] = {
    "skorch.NeuralNet": None,
    "skorch.net.NeuralNet": None,
    **dict.fromkeys(_SKORCH_CLASSIFIERS, SKORCH_LOG_THEN_NLL),
    "skorch.NeuralNetBinaryClassifier": BCE_WITH_LOGITS,
    "skorch.classifier.NeuralNetBinaryClassifier": BCE_WITH_LOGITS,
    "ray_skorch.RayTrainNeuralNet": None,
    **dict.fromkeys(_DERIVED_CLASSIFIERS),
}


def is_skorch_net(path: str) -> bool:
    return path in _SKORCH_DEFAULTS


def skorch_criterion(net: str, criterion: str | None) -> TorchLoss | None:
    """What a skorch net trains its module's output with, given its `criterion=` class."""
    if criterion is None:
        return _SKORCH_DEFAULTS.get(net)
    loss = loss_class(criterion)
    if loss is NLL and net in (*_SKORCH_CLASSIFIERS, *_DERIVED_CLASSIFIERS):
        return SKORCH_LOG_THEN_NLL
    return loss


def variant(loss: TorchLoss, *, for_logits: bool) -> TorchLoss | None:
    """The loss that takes logits (or probabilities) instead, with the same signature."""
    name = loss.logits_variant if for_logits else loss.probabilities_variant
    return _BY_CLASS.get(name) if name else None


def loss_use(
    loss: TorchLoss,
    display: str,
    *,
    location: Location | None = None,
    to_logits_edit: Edit | None = None,
    to_probabilities_edit: Edit | None = None,
) -> LossUse:
    return LossUse(
        family=loss.family,
        expects=loss.expects,
        display=display,
        location=location,
        logits_remedy=loss.logits_remedy,
        probabilities_remedy=loss.probabilities_remedy,
        to_logits_edit=to_logits_edit,
        to_probabilities_edit=to_probabilities_edit,
    )
