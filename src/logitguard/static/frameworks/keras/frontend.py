"""Keras / tf.keras front end: one `TrainingSetup` per model and compile, from the AST alone.

Never imports TensorFlow or Keras. Models come from `keras_models`, compile arguments from
`keras_compile`, labels from `keras_labels`, predictions from `keras_predictions`; this
module matches them up by the variable each model is bound to, including models returned by
helper functions. The labels of a `fit` go with the compile it trains with (`keras_pairing`).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace

from logitguard.core.facts import (
    Emits,
    Head,
    LabelFormat,
    Labels,
    LossFamily,
    MetricUse,
    Prediction,
    TrainingSetup,
)
from logitguard.static.engine.ast_tools import passed_arguments
from logitguard.static.engine.context import MAX_DEPTH
from logitguard.static.engine.index import UNCERTAIN, end, start
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.engine.tensor_uses import (
    Activation,
    Misuse,
    TensorKeys,
    TensorUses,
    clause_in_statement,
    mutated_in_place,
    statement_origin,
)
from logitguard.static.frameworks.keras.calls import called_setups
from logitguard.static.frameworks.keras.compile import CompileFacts, CompileReader, metric_uses
from logitguard.static.frameworks.keras.context import KerasContext
from logitguard.static.frameworks.keras.labels import (
    TRAINING_METHODS,
    LabelReader,
    trained_name,
)
from logitguard.static.frameworks.keras.layers import DenseStep, head_from_steps, layer_step
from logitguard.static.frameworks.keras.loops import (
    enclosing_class,
    hand_trained_setups,
    loss_inputs,
    probability_activations,
)
from logitguard.static.frameworks.keras.models import (
    CUSTOM_LAYER_BASES,
    CallSite,
    ModelDef,
    ModelFinder,
    finder_of,
    model_finder_for,
)
from logitguard.static.frameworks.keras.pairing import Chain, CompilePairing, InstanceChains
from logitguard.static.frameworks.keras.predictions import PredictionReader
from logitguard.static.frameworks.keras.unused_compiles import (
    a_test_fitting_made_up_data,
    compiled_for_nothing,
)

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_COMPILE_OR_FIT = frozenset({"compile", *TRAINING_METHODS})
# Methods that leave a compiled loss unread: a compile replaced after them set nothing.
_NOT_READING_THE_LOSS = frozenset({"compile", "summary", "count_params"})
_INPUTS = frozenset({"keras.Input", "keras.layers.Input"})


def extract(module: ParsedModule, project: Project | None = None) -> list[TrainingSetup]:
    return _Extraction(model_finder_for(module, project)).setups()


class _Extraction:
    def __init__(self, finder: ModelFinder) -> None:
        self.ctx = finder.ctx
        self.finder = finder
        self.compiles: dict[object, list[CompileFacts]] = defaultdict(list)
        # The labels of the first fit trained with each compile (by its call) that shows them.
        self.labels: dict[ast.Call, Labels] = {}
        # ...and of a model's first such fit, for a model whose compile is not in the file.
        self.fit_labels: dict[object, Labels] = {}
        self.predictions: dict[object, list[Prediction]] = defaultdict(list)
        # The file a compile is read in, for one of another file's builder (see
        # `_compiled_by_builders`); the others are this file's.
        self._compiled_in: dict[ast.Call, KerasContext] = {}
        self._read_uses()

    def receiver_key(self, expr: ast.AST, at: ast.stmt) -> object | None:
        """The model `expr` is: a ModelDef, else the binding it comes from; None if unclear."""
        model = self.finder.model_at(expr, at)
        if model is not None:
            return model
        if not isinstance(expr, ast.Name) or expr.id in self.ctx.resolver.aliases:
            return None
        binding = self.ctx.index.lookup(expr.id, at)
        if binding is None:
            return ("unbound", expr.id)
        if binding is UNCERTAIN or isinstance(binding.value, _DEFINITIONS):
            return None
        return binding

    def _read_uses(self) -> None:
        compiles, labels = CompileReader(self.ctx), LabelReader(self.ctx)
        chains, pairing = InstanceChains(self.ctx), CompilePairing(self.ctx)
        fits, trained = [], set()
        # The names each model is compiled under: `model.compile(...)`.
        compiled_as: dict[object, set[str]] = defaultdict(set)
        for call, at in self.ctx.index.calls_named(_COMPILE_OR_FIT.__contains__):
            func = call.func
            if not isinstance(func, ast.Attribute):
                continue
            if func.attr in TRAINING_METHODS:
                trained.add(self.receiver_key(func.value, at))
            if func.attr == "compile":
                key = self.receiver_key(func.value, at)
                if key is not None:
                    compiled = compiles.read(call, at)
                    self.compiles[key].append(compiled)
                    pairing.add(compiled, chains.of(func.value, call, at))
                    if isinstance(func.value, ast.Name):
                        compiled_as[key].add(func.value.id)
            elif func.attr in TRAINING_METHODS:
                key = self.receiver_key(func.value, at)
                found = labels.of_fit(call, at) if key is not None else None
                if found is not None:
                    self.fit_labels.setdefault(key, found)
                    fits.append((chains.of(func.value, call, at), found))
        for key, chain, found in self._fits_in_called_functions(chains):
            trained.add(key)
            self.fit_labels.setdefault(key, found)
            fits.append((chain, found))
        for key, names in compiled_as.items():
            self.compiles[key] = self._in_force(self.compiles[key], names)
        untrained = [key for key in self.compiles if key not in trained]
        if untrained:
            applied = self._applied_models()
            trained_otherwise: list[object] | None = None  # read for the first key that asks
            for key in untrained:
                if key in applied:  # a GAN's generator: trained inside the combined model
                    del self.compiles[key]
                    continue
                if compiled_as[key] and self._compiled_only_to_predict(compiled_as[key]):
                    del self.compiles[key]  # compiled out of habit: its loss trains nothing
                    continue
                if trained_otherwise is None:
                    trained_otherwise = self._models_given_to_losses() + (
                        self._models_handed_over_with_a_loss(compiles)
                    )
                if key in trained_otherwise:
                    # Trained by hand with the loss it is given, or by another library with
                    # the loss handed over with it: its compile's loss trains nothing.
                    del self.compiles[key]
        for chain, found in fits:
            compiled = pairing.compile_of(chain)
            if compiled is not None:
                self.labels.setdefault(compiled.call, found)
        self._compiled_by_builders(trained)
        reader = PredictionReader(self.ctx, self.receiver_key)
        misuses = list(reader.misuses())
        # Axis 1 is the unit's of a (batch, 1) output, but a position's of (batch, length, 1)
        # scores: for a model, only when a binary loss trains it.
        argmaxes = list(reader.argmaxes())
        over_last = [found for found, axis in argmaxes if axis == -1]
        over_second = [found for found, axis in argmaxes if axis == 1]
        for key, prediction in reader.predictions([*misuses, *over_last]):
            if prediction.misuse.reads_probabilities or self._has_one_unit(key):
                self.predictions[key].append(prediction)
        for key, prediction in reader.predictions(over_second):
            if self._has_one_unit(key) and self._trained_binary(key):
                self.predictions[key].append(prediction)
        for key, prediction in self._predictions_in_called_functions(reader):
            self.predictions[key].append(prediction)
        self._compiled_by_builders(self.predictions)
        self._compiled_beside(self.predictions)
        with_models = {
            prediction.location for key in self.compiles for prediction in self.predictions[key]
        }
        alone = [found for found in misuses if self.ctx.location(found.node) not in with_models]
        alone += self._misuses_in_called_helpers()
        self.misread_tensors = _contradicting_uses(self.finder, reader, alone) + [
            setup
            for found, axis in argmaxes
            if reader.output_of(found.operand, found.at) is None
            and (setup := _argmax_of_a_layer(self.finder, found, written_out=axis == 1)) is not None
        ]

    def _compiled_by_builders(self, keys: Iterable[object]) -> None:
        """A model that a function of another project file builds and compiles before
        returning it (`def build(): ...; model.compile(...); return model`), trained or read
        here with no compile of this file: it trains with the builder's compile, judged with
        this file's labels and predictions. Calls that build it with different compiles leave
        it with none."""
        wanted = {
            key
            for key in keys
            if isinstance(key, ModelDef)
            and key.finder is not self.finder
            and key not in self.compiles
            and not self.finder.changed_here(key)  # compiled before this file's layers
        }
        if not wanted:
            return
        found: dict[ModelDef, dict[ast.Call | None, CompileFacts | None]] = defaultdict(dict)
        for call, at in self.ctx.index.calls:
            model = self.finder.model_at(call, at)
            if model in wanted:
                compiled = self._compile_of_builder(call, at, model)  # type: ignore[arg-type]
                found[model][compiled.call if compiled else None] = compiled  # type: ignore[index]
        for key, compiles in found.items():
            compiled = next(iter(compiles.values())) if len(compiles) == 1 else None
            if compiled is not None:
                self.compiles[key] = [compiled]
                if key in self.fit_labels:
                    self.labels.setdefault(compiled.call, self.fit_labels[key])

    def _compiled_beside(self, keys: Iterable[object]) -> None:
        """A model of another project file that this file only reads (`predict.py`: `model =
        build_model(); model.load_weights(w); model.predict(x) > 0.5`), compiled and fitted by
        the scripts near it that name its builder (`train.py`, see `Project.files_beside`):
        judged by their compile when they agree, as a PyTorch model read in `predict.py` is by
        its training script's loss. Their metrics are theirs to report."""
        project = self.ctx.project
        if project is None:
            return
        for key in list(keys):
            if not isinstance(key, ModelDef) or key.finder is self.finder or key in self.compiles:
                continue
            name = _builder_name(key)
            beside = project.files_beside(self.ctx.module, [name]) if name else []
            found = [
                (finder.ctx, compiled)
                for module in beside
                for finder in [model_finder_for(module, project)]
                for compiled in _compiles_of_a_fitted(finder, key.node)
            ]
            kinds = {(c.loss.family, c.loss.expects) if c.loss else None for _, c in found}
            if len(kinds) != 1 or None in kinds:
                continue  # none, a loss of no classifier, or losses that disagree
            ctx, compiled = found[0]
            self._compiled_in[compiled.call] = ctx
            self.compiles[key] = [replace(compiled, metrics=())]

    def _compile_of_builder(
        self, call: ast.Call, at: ast.stmt, model: ModelDef
    ) -> CompileFacts | None:
        """The compile in force on what `call` returns, for a function or a method (`CNN(3)
        .build()`) of another file, read with the parameters bound as the call binds them
        (`build(from_logits=False)`); those of this file are paired with its fits directly."""
        target = self.ctx.called_function(call, at)
        if target is None and isinstance(call.func, ast.Attribute):
            method = self.finder.builder_method(call.func, at, 0)
            target = (method[0].ctx, method[1]) if method is not None else None
        if target is None or target[0] is self.ctx:
            return None
        ctx, function = target
        if model.arguments:
            with ctx.bound(model.arguments):
                compiled = _compile_returned(ctx, function, keep=False)
        else:
            compiled = _compile_returned(ctx, function)
        if compiled is not None:
            self._compiled_in[compiled.call] = ctx
        return compiled

    def _fits_in_called_functions(
        self, chains: InstanceChains
    ) -> Iterator[tuple[object, Chain | None, Labels]]:
        """`run(model, x, y)` with `def run(m, xs, ys): m.fit(xs, ys)`, in this file or
        another: the labels the call hands the fit, for the model it hands over."""
        for call, at, callee, function in self.ctx.calls_of_functions():
            fits = [
                (fit, fit_at)
                for fit, fit_at in callee.index.calls_in(function)
                if trained_name(fit) is not None
            ]
            passed = passed_arguments(function, call) if fits else None
            if not passed:
                continue
            site = CallSite(self.finder, at, finder_of(callee), function, passed)
            for fit, fit_at in fits:
                name = fit.func.value.id  # type: ignore[attr-defined]
                binding = callee.index.lookup(name, fit_at)
                if name not in passed or binding is None or binding is UNCERTAIN:
                    continue
                if binding.value is not None:
                    continue  # rebound in the function: not the model handed over
                key = self.receiver_key(passed[name], at)
                with callee.bound(site.arguments()):
                    found = LabelReader(callee).of_fit(fit, fit_at)
                if key is not None and found is not None:
                    yield key, chains.of(passed[name], call, at), found

    def _misuses_handed_over(
        self,
    ) -> Iterator[
        tuple[ast.stmt, KerasContext, ast.FunctionDef | ast.AsyncFunctionDef, Misuse, ast.expr]
    ]:
        """Each misuse a function of the project makes of one of its parameters, with the call
        of this file that runs it (its statement) and what that call passes for the parameter."""
        for call, at, callee, function in self.ctx.calls_of_functions():
            passed = passed_arguments(function, call)
            for misuse, parameter in _parameter_misuses(finder_of(callee), function):
                if parameter in passed:
                    yield at, callee, function, misuse, passed[parameter]

    def _misuses_in_called_helpers(self) -> list[Misuse]:
        """`predictions(logits)` with `def predictions(z): return tf.greater(z, 0.5)` in this
        file: the threshold, read at each call as one of what the call passes."""
        return [
            Misuse(misuse.misuse, misuse.node, given, at)
            for at, callee, _, misuse, given in self._misuses_handed_over()
            if callee is self.ctx  # a misuse is shown in the file being checked
        ]

    def _has_one_unit(self, key: object) -> bool:
        head = self.finder.head(key) if isinstance(key, ModelDef) else None
        return head is not None and head.units == 1

    def _trained_binary(self, key: object) -> bool:
        compiled = self.compiles.get(key) or []
        return any(c.loss is not None and c.loss.family is LossFamily.BINARY for c in compiled)

    def _predictions_in_called_functions(
        self, reader: PredictionReader
    ) -> Iterator[tuple[object, Prediction]]:
        """A model's output handed to a function of the project that rounds it or cuts it at
        0.5 (`accuracy(model.predict(x), y)` with `def accuracy(pred, y): ... pred > 0.5`)."""
        for at, callee, function, found, given in self._misuses_handed_over():
            output = reader.output_of(given, at)
            if output is None:
                continue
            shown = (
                f"{callee.text(found.node)} (in {function.name}(), given {self.ctx.text(given)})"
            )
            yield output[0], Prediction(found.misuse, shown, callee.location(found.node))

    def _in_force(self, compiles: list[CompileFacts], names: set[str]) -> list[CompileFacts]:
        """The compiles of one model, but those another compile replaces before anything
        reads the model (`compile(loss="binary_crossentropy")`, then, in the next notebook
        cell, `compile(loss="sparse_categorical_crossentropy")` and `fit`): a compile that
        nothing trains with sets no loss."""
        kept = []
        for compiled, following in zip(compiles, [*compiles[1:], None], strict=True):
            if following is None or not self._replaced(compiled, following, names):
                kept.append(compiled)
        return kept

    def _replaced(self, compiled: CompileFacts, following: CompileFacts, names: set[str]) -> bool:
        """Whether `following` surely runs after `compiled` with nothing reading the model in
        between but `summary()` and the compiles themselves."""
        if self.ctx.index.scope_of(compiled.at) is not self.ctx.index.scope_of(following.at):
            return False
        if self.ctx.index.conditional_relative_to(following.at, compiled.at):
            return False
        after, before = end(compiled.call), start(following.call)
        if not after <= before:
            return False
        scope = self.ctx.index.scope_of(compiled.at).node
        for node in ast.walk(scope):
            for child in ast.iter_child_nodes(node):
                if not (isinstance(child, ast.Name) and child.id in names):
                    continue
                if after <= start(child) < before and not (
                    isinstance(node, ast.Attribute) and node.attr in _NOT_READING_THE_LOSS
                ):
                    return False
        return True

    def _models_given_to_losses(self) -> list[object]:
        """The models whose outputs the file hands to a loss it calls itself (`loss_fn(y,
        model(x))` in a tape loop): one compiled but never fit is trained there, with that
        loss, and its compile's loss trains nothing."""
        found = []
        for given in loss_inputs(self.finder):
            made = self.ctx.through_names(given.operand, given.at) if given.at else None
            if made is not None and isinstance(made[0], ast.Call):
                found.append(self.receiver_key(made[0].func, made[1]))
        return found

    def _models_handed_over_with_a_loss(self, reader: CompileReader) -> list[object]:
        """The models handed, with a loss, to an object or function of another library
        (`TensorFlowV2Classifier(model=model, loss_object=loss)`): one the file never fits
        is trained there with that loss, and its compile's loss trains nothing."""
        found = []
        for call, at in self.ctx.index.calls:
            if len(call.args) + len(call.keywords) < 2:
                continue
            path = self.ctx.qualified(call.func, at)
            if path is None or self.ctx.imported(path) is not None:
                continue  # not a library's: the project's functions are followed instead
            given = [*call.args, *(keyword.value for keyword in call.keywords)]
            models = [self.finder.model_at(value, at) for value in given]
            if any(models) and any(reader.loss(value, at) for value in given):
                found.extend(model for model in models if model is not None)
        return found

    def _compiled_only_to_predict(self, names: set[str]) -> bool:
        """`_only_predicts`, looked at only when the file asks the model to predict (the
        indexed calls tell that cheaply; the full check walks the tree)."""
        predicts = any(
            isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id in names
            for call, _ in self.ctx.index.calls_named(_PREDICTING.__contains__)
        )
        return predicts and _only_predicts(self.ctx.module.tree, names)

    def _applied_models(self) -> list[object]:
        """The models the file applies to a symbolic tensor, as layers of another model
        (`discriminator(generator(z))`, z an `Input`), or adds to another model
        (`combined.add(generator)`): one it compiles but never trains itself is trained as a
        part of that model, and its own compile is never used."""
        applied = []
        for call, at in self.ctx.index.calls:
            func = call.func
            if not call.args or not isinstance(func, ast.Name | ast.Attribute):
                continue
            if self._symbolic(call.args[0], at):
                applied.append(self.receiver_key(func, at))
            elif _adds_one(call) and self.receiver_key(func.value, at) is not None:  # type: ignore[union-attr]
                applied.append(self.receiver_key(call.args[0], at))
        return applied

    def _symbolic(self, expr: ast.AST, at: ast.stmt, depth: int = 0) -> bool:
        """Whether a tensor is a Keras `Input`, or a model or layer applied to one."""
        found = self.ctx.through_names(expr, at) if depth < MAX_DEPTH else None
        if found is None or not isinstance(found[0], ast.Call):
            return False
        call, at = found  # type: ignore[assignment]
        if _is_input(call, self.ctx, at):
            return True
        return bool(call.args) and self._symbolic(call.args[0], at, depth + 1)  # type: ignore[attr-defined]

    def setups(self) -> list[TrainingSetup]:
        models = sorted(self.finder.models, key=lambda model: start(model.node))
        # Models built in other project files, compiled here; and compiled unknowns.
        elsewhere = [
            key
            for key in self.compiles
            if (isinstance(key, ModelDef) and key.finder is not self.finder)
            or (not isinstance(key, ModelDef) and any(c.loss for c in self.compiles[key]))
        ]
        compiled = [setup for key in [*models, *elsewhere] for setup in self._setups_of(key)]
        hand_trained = hand_trained_setups(self.finder) + called_setups(self.finder)
        found = compiled + hand_trained + self.misread_tensors
        found += _layers_activating_twice(self.finder)
        return found + _one_unit_softmax_layers(self.finder, found)

    def _setups_of(self, key: object) -> list[TrainingSetup]:
        model = key if isinstance(key, ModelDef) else None
        head = self.finder.head(model) if model is not None else None
        # A subclass whose call() returns logits in training and probabilities otherwise:
        # which of the two a metric or a prediction sees cannot be told.
        outputs_vary = model is not None and model.outputs_vary
        predictions = [] if outputs_vary else self.predictions.get(key, [])
        setups = []
        in_force = [
            compiled
            for compiled in self.compiles.get(key, [])
            if model is None or not self._compiled_before_changes(model, compiled)
        ]
        compiles = [compiled for compiled in in_force if not self._trains_nothing_real(compiled)]
        if in_force and not compiles:
            # A stand-in compile, or a test's fit on random numbers: neither its loss nor what
            # it fits tells what the model is for (an mse fit of `randint(1000)` has no classes).
            return []
        for compiled in compiles or [None]:
            if compiled is None:
                labels = self.fit_labels.get(key)
            else:
                labels = self.labels.get(compiled.call)
            setups.append(
                TrainingSetup(
                    "keras",
                    _as_trained(head, compiled),
                    compiled.loss if compiled else None,
                    [] if outputs_vary else self._metrics(compiled, head, labels),
                    labels,
                    list(predictions),
                    regression_loss=compiled.regression_loss if compiled else None,
                    backend=self.ctx.backend,
                )
            )
            if compiled is not None and compiled.output_losses and model is not None:
                setups += self._output_setups(model, compiled)
        return setups

    def _output_setups(self, model: ModelDef, compiled: CompileFacts) -> list[TrainingSetup]:
        """A model with several outputs, each trained with its own loss: one set-up each (their
        labels and metrics, given per output too, are not read)."""
        heads = self.finder.output_heads(model)
        return [
            TrainingSetup("keras", heads[key], loss, backend=self.ctx.backend)
            for key, loss in compiled.output_losses
            if key in heads
        ]

    def _trains_nothing_real(self, compiled: CompileFacts) -> bool:
        ctx = self._compiled_in.get(compiled.call, self.ctx)
        return compiled_for_nothing(ctx, compiled) or a_test_fitting_made_up_data(ctx, compiled)

    def _compiled_before_changes(self, model: ModelDef, compiled: CompileFacts) -> bool:
        """Whether `compiled` is the builder's own compile of the model it constructs, and
        layers are added to (or popped from) the model outside the builder, after it returned
        (`model = make(); model.add(Activation("sigmoid"))`): that compile trained the model
        as it was then, not the head read now."""
        ctx = model.finder.ctx
        if self._compiled_in.get(compiled.call, self.ctx) is not ctx:
            return False
        building = ctx.index.scope_of(model.at)
        if isinstance(building.node, ast.Module) or ctx.index.scope_of(compiled.at) is not building:
            return False
        return any(ctx.index.scope_of(at) is not building for _, at in model.changes)

    def _metrics(
        self, compiled: CompileFacts | None, head: Head | None, labels: Labels | None
    ) -> list[MetricUse]:
        if compiled is None:
            return []
        return metric_uses(
            compiled.metrics,
            self._compiled_in.get(compiled.call, self.ctx),
            units=head.units if head else None,
            loss_family=compiled.loss.family if compiled.loss else None,
            labels=labels.format if labels else LabelFormat.UNKNOWN,
        )


def _compile_returned(
    ctx: KerasContext, function: ast.FunctionDef | ast.AsyncFunctionDef, keep: bool = True
) -> CompileFacts | None:
    """The compile in force on the model `function` returns, when the function compiles it
    itself before its one `return`: every model it returns trains with that compile unless its
    caller compiles it again. With `keep`, read once per function (as its parameters' defaults
    give it: a call binding none)."""
    kept = ctx.analyses.get("compiles returned")
    if not isinstance(kept, dict):
        kept = ctx.analyses["compiles returned"] = {}
    if keep and function in kept:
        return kept[function]
    returns = ctx.index.returns(function)
    compiled = None
    if len(returns) == 1:
        chains, pairing, reader = InstanceChains(ctx), CompilePairing(ctx), CompileReader(ctx)
        for call, at in ctx.index.calls_in(function):
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr == "compile":
                pairing.add(reader.read(call, at), chains.of(func.value, call, at))
        compiled = pairing.compile_of(chains.returned(returns[0]))
    if keep:
        kept[function] = compiled
    return compiled


def _builder_name(model: ModelDef) -> str | None:
    """The name a script uses to build `model`: its class's, or its builder function's."""
    if isinstance(model.node, ast.ClassDef):
        return model.node.name
    function = model.finder.ctx.index.scope_of(model.at).node
    return function.name if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _compiles_of_a_fitted(finder: ModelFinder, built_at: ast.AST) -> list[CompileFacts]:
    """The compiles a file makes of the models built at `built_at` (a builder's construction,
    a class), when the file also fits one of them; none otherwise."""
    ctx, reader = finder.ctx, CompileReader(finder.ctx)
    compiles, fitted = [], False
    for call, at in ctx.index.calls_named(_COMPILE_OR_FIT.__contains__):
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        model = finder.model_at(func.value, at)
        if model is None or model.node is not built_at:
            continue
        if func.attr == "compile":
            compiles.append(reader.read(call, at))
        else:
            fitted = True
    return compiles if fitted else []


def _parameter_misuses(
    finder: ModelFinder, function: ast.FunctionDef | ast.AsyncFunctionDef
) -> list[tuple[Misuse, str]]:
    """The misuses in `function` of what one of its parameters holds, with that parameter:
    the file's are read once, by the function they are in."""
    ctx = finder.ctx
    by_function = ctx.analyses.get("parameter misuses")
    if not isinstance(by_function, dict):
        reader = PredictionReader(ctx, lambda expr, at: None)
        by_function = ctx.analyses["parameter misuses"] = defaultdict(list)
        for misuse in reader.misuses():
            parameter = ctx.parameter_read(misuse.operand, misuse.at, reader.seen_through)
            scope = ctx.index.scope_of(misuse.at).node
            if parameter is not None and parameter[0] is scope:  # its own, not a closure's
                by_function[scope].append((misuse, parameter[1]))
    return by_function.get(function, [])


def _contradicting_uses(
    finder: ModelFinder, reader: PredictionReader, misuses: list[Misuse]
) -> list[TrainingSetup]:
    """A tensor a loss takes as logits and that is rounded, cut at 0.5 or sampled elsewhere, or
    one a loss takes as probabilities and that is activated again, whatever made it (a TF1
    graph, a model the file does not show)."""
    ctx = finder.ctx
    activations, on_models = [], []
    for found in probability_activations(ctx):
        setup = _model_output_activated_again(finder, reader, found)
        if setup is None:
            activations.append(found)
        else:
            on_models.append(setup)
    if not misuses and not activations:
        return on_models
    uses = TensorUses(
        "keras",
        TensorKeys(
            statement_origin(ctx.index),
            reader.kept_values,
            _mutated(ctx),
            clause_of=clause_in_statement,
        ),
        loss_inputs(finder),
        misuses,
        activations,
        ctx.text,
        ctx.location,
    )
    return on_models + uses.contradictions()


def _mutated(ctx: KerasContext) -> frozenset[str]:
    calls = ctx.index.calls_named(lambda name: name.endswith("_"))
    return mutated_in_place(call for call, _ in calls)


def _is_custom_layer(cls: ast.ClassDef, ctx: KerasContext, depth: int = 0) -> bool:
    """Whether `cls` derives from `keras.layers.Layer`, itself or through classes of the
    project (a `PredictionTask` base of the library's own)."""
    for base in cls.bases:
        if ctx.qualified(base, cls) in CUSTOM_LAYER_BASES:
            return True
        found = ctx.definition(base, cls) if depth < MAX_DEPTH else None
        derived = found is not None and isinstance(found[1], ast.ClassDef) and found[1] is not cls
        if derived and _is_custom_layer(found[1], found[0], depth + 1):  # type: ignore[index]
            return True
    return False


def _layers_activating_twice(finder: ModelFinder) -> list[TrainingSetup]:
    """A custom `keras.layers.Layer` (a task block, a head) whose `call` applies a sigmoid to
    what a layer of its own already activated: `self.act(self.out(x))` with `Dense(1,
    activation="sigmoid")` and `Activation("sigmoid")`, compiled into a model or not."""
    ctx, found = finder.ctx, []
    for cls in (node for node in ctx.module.tree.body if isinstance(node, ast.ClassDef)):
        if not _is_custom_layer(cls, ctx):
            continue
        calls = [node for node in cls.body if isinstance(node, ast.FunctionDef)]
        returns = [r for f in calls if f.name == "call" for r in ctx.index.returns(f)]
        if len(returns) != 1 or returns[0].value is None:
            continue
        head = head_from_steps(finder.tensor_steps(returns[0].value, returns[0], cls))
        # A sigmoid, which has no axis: two softmaxes of a block may normalise two.
        if head is not None and head.activated_twice and head.emits is Emits.SIGMOID:
            found.append(TrainingSetup("keras", head))
    return found


def _one_unit_softmax_layers(
    finder: ModelFinder, found: list[TrainingSetup]
) -> list[TrainingSetup]:
    """`Dense(1, activation="softmax")` wherever it is made (a layer list of a config, a model
    the file does not show): a softmax over its one unit is 1.0 whatever it is given. Those
    the heads already found hold are left to them."""
    ctx = finder.ctx
    held = {setup.head.location for setup in found if setup.head is not None}
    held |= {setup.head.activation_location for setup in found if setup.head is not None}
    setups = []
    for call, at in ctx.index.calls_by_name.get("Dense", []):
        path = ctx.qualified(call.func, at)
        head = head_from_steps([layer_step(call, path, ctx, at)]) if path else None
        if head is None or head.emits is not Emits.SOFTMAX or head.units != 1:
            continue
        if head.location not in held and head.activation_location not in held:
            setups.append(TrainingSetup("keras", head))
    return setups


def _head_of_a_layer(
    finder: ModelFinder, expr: ast.expr, at: ast.stmt
) -> tuple[Head, DenseStep] | None:
    """The head `expr` holds when it is the output of a layer the file makes (a Dense, a
    product written out), with that layer; None for a model's output or scores no layer made."""
    steps = finder.tensor_steps(expr, at, enclosing_class(finder.ctx, at))
    layer = next((step for step in steps if isinstance(step, DenseStep)), None)
    head = head_from_steps(steps) if layer is not None else None
    return (head, layer) if head is not None and layer is not None else None


def _argmax_of_a_layer(
    finder: ModelFinder, found: Misuse, written_out: bool
) -> TrainingSetup | None:
    """`tf.argmax(y_hat, 1)` of a layer's output the file makes, not a model's: TF1's
    `y_hat = tf.matmul(x, W) + b`; `written_out`, only of such a product, whose two axes are
    (batch, units)."""
    found_head = _head_of_a_layer(finder, found.operand, found.at)
    if found_head is None or (written_out and found_head[1].expression is None):
        return None
    head = found_head[0]
    if head.units != 1:
        return None
    shown = Prediction(found.misuse, finder.ctx.text(found.node), finder.ctx.location(found.node))
    return TrainingSetup("keras", head, predictions=[shown])


def _model_output_activated_again(
    finder: ModelFinder, reader: PredictionReader, found: Activation
) -> TrainingSetup | None:
    """`tf.sigmoid(model.predict(x))` on a model that ends in a sigmoid, `tf.nn.softmax(p)` on
    what a softmax of the file (a helper's) already gives."""
    output = reader.output_of(found.operand, found.at)
    model = output[0] if output is not None else None
    head = finder.head(model) if isinstance(model, ModelDef) else None
    if head is None and output is None:  # of no layer's output: perhaps not over the classes
        found_head = _head_of_a_layer(finder, found.operand, found.at)
        head = found_head[0] if found_head is not None else None
    if head is None or not head.emits.squashed_by(found.emits):
        return None
    where = finder.ctx.location(found.node)
    again = replace(
        head,
        emits=found.emits,
        display=f"{head.display} -> {finder.ctx.text(found.node)}",
        units=None,  # what the units say is reported with the model's own head
        activation_location=where,
        activated_twice=head.emits,
    )
    return TrainingSetup("keras", again)


# What a model compiled only to predict may be asked: nothing of this trains or scores it, or
# hands it to code that may (`save` does: a later script may load it and train it).
_INFERENCE_ATTRIBUTES = frozenset(
    {"compile", "predict", "predict_on_batch", "summary", "layers", "get_layer", "add", "pop"}
    | {"set_weights", "get_weights", "load_weights", "input", "output", "inputs", "outputs"}
    | {"name", "trainable", "weights", "count_params"}
)


def _only_predicts(tree: ast.Module, names: set[str]) -> bool:
    """Whether the model named `names` is given its weights (`.load_weights`, `.set_weights`,
    its `.layers` set one by one) and asked to predict, and every other read of it is one of a
    model's inference attributes (`.summary()`): never trained, scored or handed to other code,
    here or elsewhere. A snippet that only builds and compiles a model is still judged."""
    attributes = {
        id(node.value): node.attr for node in ast.walk(tree) if _inference_read(node, names)
    }
    used = set(attributes.values())
    if not used & _PREDICTING or not used & _WEIGHT_SETTING:
        return False
    return all(
        id(node) in attributes
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load)
    )


_PREDICTING = frozenset({"predict", "predict_on_batch"})
_WEIGHT_SETTING = frozenset({"load_weights", "set_weights", "layers"})


def _inference_read(node: ast.AST, names: set[str]) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in names
        and node.attr in _INFERENCE_ATTRIBUTES
    )


def _adds_one(call: ast.Call) -> bool:
    """`model.add(part)`."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr == "add" and len(call.args) == 1


def _is_input(expr: ast.AST, ctx: KerasContext, at: ast.stmt) -> bool:
    return isinstance(expr, ast.Call) and ctx.qualified(expr.func, at) in _INPUTS


def _as_trained(head: Head | None, compiled: CompileFacts | None) -> Head | None:
    """Trained with mse, hinge or a custom loss, a linear output is a score, not a logit."""
    if head is None or compiled is None or not compiled.other_loss:
        return head
    return replace(head, emits=Emits.UNKNOWN) if head.emits is Emits.LOGITS else head
