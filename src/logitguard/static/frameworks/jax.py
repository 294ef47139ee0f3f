"""JAX / Flax / Haiku / Equinox / optax front end: reads source, never imports jax.

Understands Flax linen modules (`nn.Dense(n)` in `@nn.compact __call__` or assigned in
`setup`), nnx modules (`nnx.Linear(in, out)` in `__init__`), `nn.Sequential([...])`, Haiku
modules and the functions `hk.transform` makes models of (`net.apply(params, x)`), Equinox
modules (called through `jax.vmap(model)`), plain functions whose result is
`jax.nn.softmax(...)`, and follows outputs (`model.apply(params, x)`, `state.apply_fn(...)` of a
`TrainState.create(apply_fn=model.apply, ...)`) into optax losses. Every optax classification
loss takes raw logits.
"""

from __future__ import annotations

import ast

from logitguard.core.facts import Emits, LossUse, TrainingSetup
from logitguard.knowledge import activations
from logitguard.knowledge import optax as knowledge
from logitguard.static.engine.ast_tools import argument, location
from logitguard.static.engine.evaluator import (
    LayerKind,
    LayerSpec,
    LossCall,
    Vocabulary,
    extract_with,
)
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project

_FLAX = ("flax.linen", "flax.nnx")
_ACTIVATION_MODULES = ("jax.nn", *_FLAX)
_LAYERS = {
    "flax.linen.Dense": LayerSpec(LayerKind.LINEAR, units_argument=(0, "features")),
    "flax.linen.Conv": LayerSpec(LayerKind.LINEAR, units_argument=(0, "features")),
    "flax.nnx.Linear": LayerSpec(LayerKind.LINEAR, units_argument=(1, "out_features")),
    "flax.nnx.Conv": LayerSpec(LayerKind.LINEAR, units_argument=(1, "out_features")),
    "flax.linen.Dropout": LayerSpec(LayerKind.PASS_THROUGH),
    "flax.nnx.Dropout": LayerSpec(LayerKind.PASS_THROUGH),
    "haiku.Linear": LayerSpec(LayerKind.LINEAR, units_argument=(0, "output_size")),
    **{
        f"haiku.Conv{n}D": LayerSpec(LayerKind.LINEAR, units_argument=(0, "output_channels"))
        for n in (1, 2, 3)
    },
    "haiku.nets.MLP": LayerSpec(
        LayerKind.LINEAR,
        units_argument=(0, "output_sizes"),
        final_keywords=("activate_final",),
        units_last_of_list=True,
    ),
    "haiku.Flatten": LayerSpec(LayerKind.PASS_THROUGH),
    "equinox.nn.Linear": LayerSpec(LayerKind.LINEAR, units_argument=(1, "out_features")),
    # An Equinox model sees one sample, channels first: its batch is put before them.
    **{
        f"equinox.nn.Conv{n}d": LayerSpec(
            LayerKind.LINEAR, units_argument=(1, "out_channels"), units_last=False
        )
        for n in (1, 2, 3)
    },
    "equinox.nn.MLP": LayerSpec(
        LayerKind.LINEAR, units_argument=(1, "out_size"), final_activation="final_activation"
    ),
    "equinox.nn.Dropout": LayerSpec(LayerKind.PASS_THROUGH),
}
_ACTIVATIONS = {
    f"{module}.{name}": emits
    for module in _ACTIVATION_MODULES
    for name, emits in (
        ("softmax", Emits.SOFTMAX),
        ("sigmoid", Emits.SIGMOID),
        ("log_softmax", Emits.LOG_SOFTMAX),
    )
} | activations.SCIPY_ACTIVATIONS


def _no_loss_module(path: str, call: ast.Call, module: ParsedModule) -> LossUse | None:
    return None  # optax losses are functions


def _optax_loss(path: str, call: ast.Call, module: ParsedModule) -> LossCall | None:
    loss = knowledge.loss_function(path)
    if loss is None:
        return None
    use = knowledge.loss_use(
        loss, module.text.segment(call.func), location=location(module.path, call)
    )
    return LossCall(
        use,
        argument(call, *knowledge.LOGITS_ARGUMENT),
        argument(call, *knowledge.LABELS_ARGUMENT),
    )


# jax.numpy functions (and array methods) that move axes.
_PERMUTING = frozenset({"transpose", "swapaxes", "moveaxis"})


VOCABULARY = Vocabulary(
    framework="jax",
    model_bases=frozenset(f"{module}.Module" for module in (*_FLAX, "haiku", "equinox")),
    entry_methods=("__call__",),
    layers=_LAYERS,
    activations=_ACTIVATIONS,
    logs=frozenset({"jax.numpy.log", "numpy.log"}),
    exponentials=frozenset({"jax.numpy.exp", "numpy.exp"}),
    sequentials={
        "flax.linen.Sequential": True,
        "flax.nnx.Sequential": False,
        "haiku.Sequential": True,
        "equinox.nn.Sequential": True,
    },
    function_models={"haiku.transform": False, "haiku.transform_with_state": True},
    # The same model, run another way: over a batch (an Equinox model sees one sample),
    # compiled, or without a random key.
    model_wrappers=frozenset(
        {"jax.vmap", "jax.jit", "equinox.filter_vmap", "equinox.filter_jit"}
        | {"haiku.without_apply_rng"}
    ),
    loss_module=_no_loss_module,
    functional_loss=_optax_loss,
    one_hot={"jax.nn.one_hot": (1, "num_classes")},
    identity_matrices=frozenset({"jax.numpy.eye"}),
    rounding=frozenset({"jax.numpy.round", "numpy.round", "numpy.rint", "numpy.around"}),
    sampling={"numpy.random.choice": (3, "p")},
    draws=frozenset({"jax.random.categorical"}),
    gradient_stops=frozenset({"jax.lax.stop_gradient"}),
    custom_derivatives=frozenset({"jax.custom_jvp", "jax.custom_vjp"}),
    logits_readers={
        "jax.random.categorical": (1, "logits"),
        # distrax's distributions, like tfp's, take logits first.
        **{
            f"distrax.{name}": (0, "logits")
            for name in ("Categorical", "OneHotCategorical", "Bernoulli", "Softmax")
        },
    },
    pass_through_functions=frozenset(
        {"jax.numpy.squeeze", "jax.numpy.reshape", "jax.device_get"}
        | {f"jax.numpy.{name}" for name in _PERMUTING}
        | {"jax.numpy.asarray", "jax.numpy.array", "numpy.asarray", "numpy.array"}
    ),
    pass_through_methods=frozenset(
        {"squeeze", "reshape", "astype", "block_until_ready", "transpose", "swapaxes"}
    ),
    squeezing=frozenset({"squeeze"}),
    picks={
        "jax.numpy.take_along_axis": (1, "indices"),
        "numpy.take_along_axis": (1, "indices"),
    },
    permuting=_PERMUTING,
    reshaping=frozenset({"squeeze", "reshape"}),
    clips=frozenset({"jax.numpy.clip", "numpy.clip", "clip"}),
    bounded=frozenset(
        {
            "jax.numpy.tanh",
            "jax.nn.tanh",
            "jax.numpy.sin",
            "jax.numpy.cos",
            "optax.cosine_similarity",
        }
    ),
    concatenations=frozenset({"jax.numpy.concatenate"}),
    stacks=frozenset({"jax.numpy.stack"}),
    selections=frozenset({"jax.numpy.where"}),
    averages=frozenset({"mean", "jax.numpy.mean"}),
    sums=frozenset({"sum", "jax.numpy.sum"}),
    products=frozenset({"jax.numpy.dot", "jax.numpy.matmul"}),
    logits_cross_entropies=("optax.softmax_cross_entropy", "optax.sigmoid_binary_cross_entropy"),
    is_loss=lambda path: knowledge.loss_function(path) is not None,
    apply_methods=frozenset({"apply"}),
    train_state_apply=frozenset({"apply_fn"}),
    function_transforms=frozenset(
        {
            f"{module}.{name}"
            for module in ("jax", "flax.nnx")
            for name in ("jit", "grad", "value_and_grad", "vmap")
        }
        | {f"equinox.filter_{name}" for name in ("jit", "grad", "value_and_grad", "vmap", "pmap")}
    ),
    made_up_data=frozenset(
        {
            "jax.random.",
            "numpy.random.",
            *(
                f"{module}.{name}"
                for module in ("jax.numpy", "numpy")
                for name in ("array", "asarray", "zeros", "ones", "full", "arange", "linspace")
            ),
        }
    ),
)


def extract(module: ParsedModule, project: Project | None = None) -> list[TrainingSetup]:
    return extract_with(module, VOCABULARY, project)
