"""PyTorch (and Lightning) front end: reads source, never imports torch.

Understands heads built in `forward` (returned expressions, locals, `self.layer` attributes set
in `__init__`, `nn.Sequential` attributes) and as `nn.Sequential(...)`; functional and module
activations (`F.softmax`, `torch.sigmoid`, `x.softmax(1)`, `nn.LogSoftmax`); and follows a
model through the training loop to the loss it is trained with (`criterion(model(x), y)`,
`F.cross_entropy(self(x), y)` in a LightningModule) and to its predictions.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from logitguard.core.facts import Edit, Emits, LossUse, TrainingSetup
from logitguard.knowledge import activations, transformers
from logitguard.knowledge import torch as knowledge
from logitguard.static.engine.ast_tools import argument, called_name, keyword, location
from logitguard.static.engine.evaluator import (
    Evaluator,
    Imported,
    LayerKind,
    LayerSpec,
    LibraryHead,
    LossCall,
    LossModule,
    Model,
    ModelClass,
    Tensor,
    Vocabulary,
    extract_with,
)
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.frameworks.transformers_trainer import (
    task_model_loss,
    trainer_method_result,
    trainer_metrics_setup,
)

_LINEAR = {
    "torch.nn.Linear": LayerSpec(LayerKind.LINEAR, units_argument=(1, "out_features")),
    "torch.nn.LazyLinear": LayerSpec(LayerKind.LINEAR, units_argument=(0, "out_features")),
    **{
        f"torch.nn.Conv{dims}d": LayerSpec(
            LayerKind.LINEAR, units_argument=(1, "out_channels"), units_last=False
        )
        for dims in (1, 2, 3)
    },
}
_ACTIVATION_LAYERS = {
    "torch.nn.Softmax": LayerSpec(LayerKind.ACTIVATION, Emits.SOFTMAX),
    # Over the channels of each pixel: a segmentation head's classes.
    "torch.nn.Softmax2d": LayerSpec(LayerKind.ACTIVATION, Emits.SOFTMAX),
    "torch.nn.Sigmoid": LayerSpec(LayerKind.ACTIVATION, Emits.SIGMOID),
    "torch.nn.LogSoftmax": LayerSpec(LayerKind.ACTIVATION, Emits.LOG_SOFTMAX),
    **{
        f"torch.nn.{module}": LayerSpec(LayerKind.ACTIVATION, Emits.UNKNOWN, activation=name)
        for module, name in activations.TORCH_MODULES.items()
    },
}
_PASS_THROUGH_LAYERS = {
    f"torch.nn.{name}": LayerSpec(LayerKind.PASS_THROUGH)
    for name in ("Flatten", "Unflatten", "Identity", "Dropout", "Dropout1d", "Dropout2d")
}
_ACTIVATIONS = {
    **{
        f"{module}.softmax": Emits.SOFTMAX
        for module in ("torch", "torch.nn.functional", "torch.special")
    },
    **{
        f"{module}.log_softmax": Emits.LOG_SOFTMAX
        for module in ("torch", "torch.nn.functional", "torch.special")
    },
    "torch.sigmoid": Emits.SIGMOID,
    "torch.nn.functional.sigmoid": Emits.SIGMOID,
    "torch.special.expit": Emits.SIGMOID,
    **activations.SCIPY_ACTIVATIONS,
}
_LIGHTNING = ("lightning", "lightning.pytorch", "pytorch_lightning")
# Tensor methods (and torch functions) that move axes.
_PERMUTING = frozenset({"permute", "transpose", "movedim", "moveaxis", "swapaxes", "swapdims"})
_TENSOR_PASS_THROUGH = frozenset(
    {
        "squeeze",
        "unsqueeze",
        "view",
        "view_as",
        "reshape",
        "reshape_as",
        "resize",
        "flatten",
        "float",
        "double",
        "half",
        "long",
        "to",
        "type",
        "detach",
        "cpu",
        "cuda",
        "contiguous",
        "clone",
        "numpy",
        *_PERMUTING,
    }
)

# Conversions that keep the values they are given: `torch.from_numpy(probs.numpy())`.
_CONVERSIONS = frozenset(
    {"numpy.array", "numpy.asarray", "torch.tensor", "torch.as_tensor", "torch.Tensor"}
    | {"torch.from_numpy"}
)

# Random and constant tensors: what tests feed, never a model's outputs.
_MADE_UP_DATA = frozenset(
    {
        *(
            f"torch.{name}"
            for name in (
                "rand",
                "randn",
                "randint",
                "rand_like",
                "randn_like",
                "randint_like",
                "randperm",
                "normal",
                "tensor",
                "as_tensor",
                "zeros",
                "ones",
                "full",
                "empty",
                "eye",
                "arange",
                "linspace",
                "zeros_like",
                "ones_like",
                "full_like",
                "empty_like",
            )
        ),
        *(f"numpy.{name}" for name in ("array", "asarray", "zeros", "ones", "full", "arange")),
        "numpy.linspace",
        "numpy.eye",
        "numpy.random.",
    }
)

# torchvision classifiers, the attribute that holds their classifier and, where that is a
# stack of layers, the keys of its last (linear) layer.
_TORCHVISION_HEADS: tuple[tuple[re.Pattern[str], str, frozenset[int | str]], ...] = (
    (
        re.compile(
            r"(resnet|resnext|wide_resnet|regnet_|shufflenet_v2_)\w*|googlenet|inception_v3"
        ),
        "fc",
        frozenset(),
    ),
    (re.compile(r"densenet\w*"), "classifier", frozenset()),
    (re.compile(r"vgg\w*|alexnet"), "classifier", frozenset({6})),
    (re.compile(r"(mobilenet_v2|efficientnet_|mnasnet)\w*"), "classifier", frozenset({1})),
    (re.compile(r"mobilenet_v3\w*"), "classifier", frozenset({3})),
    (re.compile(r"convnext_\w+"), "classifier", frozenset({2})),
    # `heads` holds `head` alone in every pretrained ViT torchvision ships.
    (re.compile(r"vit_\w+"), "heads", frozenset({0, "head"})),
    (re.compile(r"swin_\w+"), "head", frozenset()),
)


def _library_head(path: str) -> LibraryHead | None:
    return _torchvision_head(path) or _timm_head(path) or _transformers_head(path)


def _named_model(path: str, call: ast.Call, constant: Callable[[ast.expr], object]) -> str | None:
    """The torchvision classifier a call builds by name: `torchvision.models.get_model(
    "resnet50", num_classes=10)`, or `torch.hub.load("pytorch/vision", "resnet18")`."""
    if path == "torchvision.models.get_model":
        name = constant(call.args[0]) if call.args else None
    elif path == "torch.hub.load" and len(call.args) >= 2:
        repository = constant(call.args[0])
        if not isinstance(repository, str) or repository.split(":")[0] != "pytorch/vision":
            return None
        name = constant(call.args[1])
    else:
        return None
    return f"torchvision.models.{name}" if isinstance(name, str) else None


_TIMM_FACTORIES = frozenset({"timm.create_model", "timm.models.create_model"})


def _timm_head(path: str) -> LibraryHead | None:
    """`timm.create_model(name, num_classes=n)`: a classifier whose last layer is linear,
    whatever the architecture calls it."""
    if path not in _TIMM_FACTORIES:
        return None
    return LibraryHead(
        None,
        name="timm model",
        headless_keywords=("features_only",),
        resetting_methods=frozenset({"reset_classifier"}),
    )


def _torchvision_head(path: str) -> LibraryHead | None:
    module, _, name = path.rpartition(".")
    if module != "torchvision.models" and not module.startswith("torchvision.models."):
        return None
    found = (
        LibraryHead(attribute, last_layer_keys=last)
        for pattern, attribute, last in _TORCHVISION_HEADS
        if pattern.fullmatch(name)
    )
    return next(found, None)


def _transformers_head(path: str) -> LibraryHead | None:
    """A Hugging Face model with a task head: its output's `logits` are raw scores. Which
    attribute holds the head differs by architecture: any layer set on the model counts."""
    name = transformers.task_model(path, "torch")
    if name is None:
        return None
    return LibraryHead(
        None,
        units_keyword=transformers.UNITS_KEYWORD,
        output_key="logits",
        name=name,
        computes_loss=True,
    )


def _loss_edit(func: ast.expr, current: str, name: str | None, module: ParsedModule) -> Edit | None:
    """`nn.BCELoss` -> `nn.BCEWithLogitsLoss`: only where the module prefix and the loss's
    own name are spelled out (not `self.loss_default()`, a class attribute holding it)."""
    if name is None or not isinstance(func, ast.Attribute) or func.attr != current:
        return None
    prefix = module.text.segment(func.value, limit=200)
    return Edit(target=location(module.path, func), replacement=f"{prefix}.{name}")


def _loss_module(path: str, call: ast.Call, module: ParsedModule) -> LossUse | None:
    loss = knowledge.loss_class(path)
    if loss is None:
        return None
    to_logits = knowledge.variant(loss, for_logits=True)
    to_probabilities = knowledge.variant(loss, for_logits=False)
    return knowledge.loss_use(
        loss,
        module.text.segment(call),
        location=location(module.path, call),
        to_logits_edit=_loss_edit(
            call.func, loss.class_name, to_logits and to_logits.class_name, module
        ),
        to_probabilities_edit=_loss_edit(
            call.func, loss.class_name, to_probabilities and to_probabilities.class_name, module
        ),
    )


def _functional_loss(path: str, call: ast.Call, module: ParsedModule) -> LossCall | None:
    loss = knowledge.loss_function(path)
    if loss is None:
        return None
    functional = path.startswith("torch.nn.functional.")
    to_logits = knowledge.variant(loss, for_logits=True) if functional else None
    to_probabilities = knowledge.variant(loss, for_logits=False) if functional else None
    use = knowledge.loss_use(
        loss,
        module.text.segment(call.func),
        location=location(module.path, call),
        to_logits_edit=_loss_edit(
            call.func, loss.function_name, to_logits and to_logits.function_name, module
        ),
        to_probabilities_edit=_loss_edit(
            call.func,
            loss.function_name,
            to_probabilities and to_probabilities.function_name,
            module,
        ),
    )
    return LossCall(use, argument(call, 0, "input"), argument(call, 1, "target"))


def _library_setup(evaluator: Evaluator, path: str, call: ast.Call) -> TrainingSetup | None:
    if path in transformers.TRAINERS:
        return trainer_metrics_setup(evaluator, call)
    if path in _IGNITE_TRAINERS:
        return _ignite_setup(evaluator, call)
    return _skorch_setup(evaluator, path, call)


_IGNITE_TRAINERS = frozenset(
    {"ignite.engine.create_supervised_trainer", "ignite.engine.engine.create_supervised_trainer"}
)
# What makes the trainer give the model something other than a batch's inputs, or the loss
# something other than the model's output.
_IGNITE_TRANSFORMS = ("model_transform", "model_fn", "prepare_batch")


def _ignite_setup(evaluator: Evaluator, call: ast.Call) -> TrainingSetup | None:
    """`create_supervised_trainer(model, optimizer, loss_fn)`: ignite's trainer gives the
    loss the model's output on each batch."""
    if any(keyword(call, name) is not None for name in _IGNITE_TRANSFORMS):
        return None
    if any(given.arg is None for given in call.keywords):
        return None
    model = evaluator.value(argument(call, 0, "model"))
    output = evaluator.output_of(model) if isinstance(model, Model) else None
    loss = evaluator.value(argument(call, 2, "loss_fn"))
    if not isinstance(output, Tensor) or not isinstance(loss, LossModule):
        return None
    return TrainingSetup("torch", head=output.head, loss=loss.use)


def _skorch_setup(evaluator: Evaluator, path: str, call: ast.Call) -> TrainingSetup | None:
    """`NeuralNetClassifier(Net, criterion=nn.CrossEntropyLoss)`: skorch trains the module's
    output with the criterion (the class is given, skorch makes the loss)."""
    if not knowledge.is_skorch_net(path):
        return None
    module = evaluator.value(argument(call, 0, "module"))
    if isinstance(module, ModelClass):
        module = Model(module.definition, module.definition.name)
    output = evaluator.output_of(module) if isinstance(module, Model) else None
    if not isinstance(output, Tensor):
        return None
    criterion_node = argument(call, 1, "criterion")
    if criterion_node is None and _criterion_set_elsewhere(evaluator, call):
        return None
    criterion = evaluator.value(criterion_node) if criterion_node is not None else None
    if criterion_node is not None and not isinstance(criterion, Imported):
        return None
    loss = knowledge.skorch_criterion(path, criterion.path if criterion else None)
    if loss is None:
        return None
    where = criterion_node if criterion_node is not None else call
    shown = evaluator.module.text.segment(where)
    if criterion_node is None:
        shown = f"{shown}'s default criterion ({loss.class_name})"
    if loss is knowledge.SKORCH_LOG_THEN_NLL:
        shown += ", applied to the log of the module's output"
    use = knowledge.loss_use(loss, shown, location=location(evaluator.module.path, where))
    return TrainingSetup("torch", head=output.head, loss=use)


def _criterion_set_elsewhere(evaluator: Evaluator, call: ast.Call) -> bool:
    """Whether a net made without `criterion=` may be given one all the same: by `**params`
    at the call, `net.set_params(criterion=...)`, a `"net__criterion"` key of the parameters
    a pipeline is given, or skorch's `parse_args`, which sets any parameter from the command
    line. Its default is then not known to be what trains."""
    if any(keyword.arg is None for keyword in call.keywords):
        return True
    for node in ast.walk(evaluator.module.tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value == "criterion" or node.value.endswith("__criterion"):
                return True
        elif isinstance(node, ast.Call):
            if any((k.arg or "").endswith("criterion") for k in node.keywords) and (
                called_name(node) == "set_params"
            ):
                return True
            if evaluator.resolve(node.func) in _SKORCH_PARAMETER_PARSERS:
                return True
    return False


_SKORCH_PARAMETER_PARSERS = frozenset({"skorch.helper.parse_args"})


# Libraries that move a model, its optimizer and its data to their devices and hand them back
# (and gather outputs from every device, or unwrap the model again: the same values).
_FABRIC_SETUP = frozenset({"setup", "setup_module"})
_PREPARING_METHODS = {
    **dict.fromkeys(
        ("accelerate.Accelerator", "accelerate.accelerator.Accelerator"),
        frozenset({"prepare", "prepare_model", "unwrap_model", "gather", "gather_for_metrics"}),
    ),
    **dict.fromkeys(
        (
            "lightning.Fabric",
            "lightning.fabric.Fabric",
            "lightning.fabric.fabric.Fabric",
            "lightning_fabric.Fabric",
            "lightning_fabric.fabric.Fabric",
        ),
        _FABRIC_SETUP,
    ),
}


VOCABULARY = Vocabulary(
    framework="torch",
    # PyTorch's own bases of its losses count as modules: a project's loss built on them has
    # a forward the evaluator reads like any module's.
    model_bases=frozenset(
        {
            "torch.nn.Module",
            *(f"torch.nn.modules.loss.{name}" for name in ("_Loss", "_WeightedLoss")),
        }
        | {f"{root}.LightningModule" for root in _LIGHTNING}
    ),
    entry_methods=("forward",),
    layers={**_LINEAR, **_ACTIVATION_LAYERS, **_PASS_THROUGH_LAYERS},
    activations=_ACTIVATIONS,
    logs=frozenset({"torch.log", "numpy.log"}),
    exponentials=frozenset({"torch.exp", "numpy.exp"}),
    sequentials={"torch.nn.Sequential": False},
    loss_module=_loss_module,
    functional_loss=_functional_loss,
    one_hot={"torch.nn.functional.one_hot": (1, "num_classes")},
    identity_matrices=frozenset({"torch.eye"}),
    rounding=frozenset({"torch.round", "numpy.round", "numpy.rint", "numpy.around"}),
    sampling={
        "torch.multinomial": (0, "input"),
        "torch.distributions.Categorical": (0, "probs"),
        "torch.distributions.categorical.Categorical": (0, "probs"),
        "torch.distributions.Bernoulli": (0, "probs"),
        "torch.distributions.bernoulli.Bernoulli": (0, "probs"),
        "numpy.random.choice": (3, "p"),
    },
    logits_readers={
        **{
            f"torch.distributions.{path}": (1, "logits")
            for path in (
                "Categorical",
                "categorical.Categorical",
                "OneHotCategorical",
                "one_hot_categorical.OneHotCategorical",
                "Bernoulli",
                "bernoulli.Bernoulli",
            )
        },
        "torch.nn.functional.gumbel_softmax": (0, "logits"),
    },
    activation_methods={
        "softmax": Emits.SOFTMAX,
        "sigmoid": Emits.SIGMOID,
        "log_softmax": Emits.LOG_SOFTMAX,
    },
    pass_through_functions=frozenset(
        {"torch.flatten", "torch.squeeze", "torch.reshape", "einops.rearrange", *_CONVERSIONS}
        | {f"torch.{name}" for name in _PERMUTING}
    ),
    pass_through_methods=_TENSOR_PASS_THROUGH,
    pass_through_attributes=frozenset({"data"}),
    squeezing=frozenset({"squeeze", "unsqueeze"}),
    picks={
        "gather": (1, "index"),
        "take_along_dim": (0, "indices"),
        "torch.gather": (2, "index"),
        "torch.take_along_dim": (1, "indices"),
    },
    permuting=_PERMUTING,
    reshaping=frozenset(
        {"squeeze", "unsqueeze", "view", "view_as", "reshape", "reshape_as", "resize", "flatten"}
        | {"rearrange"}  # einops: any regrouping of axes
    ),
    clips=frozenset({"torch.clamp", "torch.clip", "numpy.clip", "clamp", "clip"}),
    bounded=frozenset(
        {
            "torch.nn.functional.cosine_similarity",
            "torch.cosine_similarity",
            "torch.tanh",
            "torch.nn.functional.tanh",
            "torch.sin",
            "torch.cos",
            "cosine_similarity",
            "tanh",
            "sin",
            "cos",
        }
    ),
    concatenations=frozenset(
        {"torch.cat", "torch.concat", "torch.concatenate", "numpy.concatenate"}
    ),
    stacks=frozenset({"torch.stack", "numpy.stack"}),
    selections=frozenset({"torch.where"}),
    averages=frozenset({"mean", "torch.mean", "numpy.mean"}),
    sums=frozenset({"sum", "torch.sum", "numpy.sum"}),
    products=frozenset({"torch.matmul", "torch.mm", "numpy.dot", "numpy.matmul"}),
    linear_functions=frozenset({"torch.nn.functional.linear"}),
    logits_cross_entropies=("F.cross_entropy", "F.binary_cross_entropy_with_logits"),
    containers=frozenset({"torch.nn.ModuleList", "torch.nn.ModuleDict"}),
    restoring_methods=frozenset({"load_from_checkpoint"}),  # Lightning's
    model_wrappers=frozenset(
        {
            "torch.compile",
            "torch.jit.script",
            "torch.nn.DataParallel",
            "torch.nn.parallel.DataParallel",
            "torch.nn.parallel.data_parallel.DataParallel",
            "torch.nn.parallel.DistributedDataParallel",
            "torch.nn.parallel.distributed.DistributedDataParallel",
            "apex.parallel.DistributedDataParallel",
        }
    ),
    function_transforms=frozenset(
        {"torch.compile", "torch.vmap", "torch.func.vmap", "torch.func.grad"}
    ),
    library_model_head=_library_head,
    named_model=_named_model,
    library_trainer=_library_setup,
    library_objects=transformers.TRAINERS | frozenset(_PREPARING_METHODS),
    preparing_methods=_PREPARING_METHODS,
    model_engines={"deepspeed.initialize": (1, "model", 4)},
    library_method_result=trainer_method_result,
    own_loss=task_model_loss,
    is_loss=lambda path: (
        knowledge.loss_class(path) is not None or knowledge.loss_function(path) is not None
    ),
    other_activations=activations.TORCH_FUNCTIONS,
    gradient_functions=frozenset({"torch.autograd.grad", "torch.autograd.backward"}),
    gradient_methods=frozenset({"backward"}),
    no_gradient=frozenset({"torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad"}),
    draws=frozenset({"torch.multinomial"}),
    made_up_data=_MADE_UP_DATA,
    model_returning_methods=frozenset(
        {"to", "cuda", "cpu", "train", "eval", "float", "double", "half", "requires_grad_"}
    ),
)


def extract(module: ParsedModule, project: Project | None = None) -> list[TrainingSetup]:
    return extract_with(module, VOCABULARY, project)
