"""Which two-step log(softmax(x)) and log(sigmoid(x)) matter: those that feed a loss or a
gradient, on real data.

`torch.log(F.softmax(x, 1))` gives -inf once a logit trails the largest by about 104 (float32's
exp underflow), which ruins a loss and its gradients. That is worth a warning where the value
is trained on: passed to a loss, to `.backward()` / `autograd.grad`, or returned by a function
(a loss function, a helper computing log-probabilities, a model's forward; in a file that takes
no gradient, a function only ever called by name there, once one of those calls is given to a
loss). It is not worth one
where a test builds its inputs from random or constant tensors
(`torch.rand(3, 4).softmax(-1).log()`): nothing there can underflow, and nothing is trained;
nor where the value leaves training: computed or returned under `torch.no_grad()`, or turned
into a NumPy array or a Python number (an entropy score computed for evaluation).
"""

from __future__ import annotations

import ast
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logitguard.static.engine.evaluator import Evaluator

# Deep enough for test inputs built in a few steps; shallow enough for Python's recursion limit.
_MAX_DEPTH = 60
# Methods giving values no gradient flows through: `.numpy()`, `.item()`, `.detach()`.
_LEAVING_TRAINING_METHODS = frozenset({"numpy", "item", "tolist", "detach"})
# Methods that give the same choice another form: `.sample().item()`, `.long()`.
_KEEPING_THE_CHOICE = frozenset(
    {"item", "long", "int", "to", "cpu", "cuda", "unsqueeze", "squeeze", "view", "detach"}
)


class _Data(Enum):
    CONSTANT = "a literal"
    MADE_UP = "a tensor made from random or constant values"
    OTHER = "anything else: a model's output, a parameter, something loaded"


class LogSoftmaxUses:
    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator
        self.index = evaluator.index
        self.vocabulary = evaluator.vocabulary
        self._libraries = {path.split(".")[0] for path in self.vocabulary.made_up_data}
        self._fed: set[int] | None = None
        self._data: dict[int, _Data] = {}

    # -- fed to a loss or a gradient ---------------------------------------------------------

    def feeds_training(self, node: ast.AST) -> bool:
        """Whether the value of `node` may flow into a loss, a gradient or a returned value."""
        if self._fed is None:
            self._fed = self._fed_values()
        return id(node) in self._fed

    def _fed_values(self) -> set[int]:
        """What reaches a sink. What a function returns is one, unless the file takes no
        gradient (no `.backward()`, no `jax.grad`) and the function is only ever called by name
        in it: then it is one once one of those calls is (a loss computed by hand only to be
        printed, beside gradients written by hand, is not)."""
        sinks, held_back = self._sinks()
        fed = self._reached_from(sinks)
        while True:
            trained = [
                function
                for function, (calls, _) in held_back.items()
                if any(id(call) in fed for call in calls)
            ]
            if not trained:
                return fed
            returned = [value for function in trained for value in held_back.pop(function)[1]]
            fed |= self._reached_from(returned)

    def _sinks(self) -> tuple[list[ast.AST], dict[ast.AST, tuple[list[ast.Call], list[ast.AST]]]]:
        """The sinks, and by function only called by name here, its calls and the values it
        returns (held back: sinks once a call is fed; none when the file takes gradients, whose
        paths from a call to them, through lists and containers, are not all followed)."""
        sinks: list[ast.AST] = []
        gradients_taken = False
        returned: dict[ast.AST, list[ast.AST]] = {}
        calls: dict[str, list[ast.Call]] = {}
        loads: dict[str, int] = {}
        for node in ast.walk(self.index.tree):
            if isinstance(node, ast.Return) and node.value is not None:
                function = self.index.scope_of(node).node
                if not (self._without_gradients(node) or self._has_own_derivatives(function)):
                    returned.setdefault(function, []).append(node.value)
            elif isinstance(node, ast.Lambda):
                sinks.append(node.body)
            elif isinstance(node, ast.Call):
                sinks.extend(self._trained_arguments(node))
                gradients_taken = gradients_taken or self._takes_gradients(node)
                if isinstance(node.func, ast.Name):
                    calls.setdefault(node.func.id, []).append(node)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                loads[node.id] = loads.get(node.id, 0) + 1
        held_back: dict[ast.AST, tuple[list[ast.Call], list[ast.AST]]] = {}
        for function, values in returned.items():
            name = getattr(function, "name", None)
            called = calls.get(name, []) if name is not None else []
            only_called = called and loads.get(name, 0) == len(called)
            if only_called and not gradients_taken and self._plain_function(function):
                held_back[function] = (called, values)
            else:
                sinks.extend(values)
        return sinks, held_back

    def _plain_function(self, function: ast.AST) -> bool:
        """A function, not a method, the only one of its name in the module."""
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return False
        if self.index.enclosing_class(function.body[0]) is not None:
            return False
        return len(self.index.functions.get(function.name, [])) == 1

    def _takes_gradients(self, call: ast.Call) -> bool:
        """`torch.autograd.grad(...)`, `jax.grad(f)`, `loss.backward()`."""
        func = call.func
        path = self.evaluator.resolve(func)
        if path is not None:
            return path in self.vocabulary.gradient_functions
        return isinstance(func, ast.Attribute) and func.attr in self.vocabulary.gradient_methods

    def _trained_arguments(self, call: ast.Call) -> list[ast.AST]:
        func = call.func
        path = self.evaluator.resolve(func)
        if path in self.vocabulary.gradient_functions or self.evaluator.loss_call(call):
            return [*call.args, *(keyword.value for keyword in call.keywords)]
        gradient_method = isinstance(func, ast.Attribute) and path is None
        if gradient_method and func.attr in self.vocabulary.gradient_methods:  # type: ignore[attr-defined]
            # `loss.backward()`, or a library's `accelerator.backward(loss)`.
            return [func.value, *call.args]  # type: ignore[attr-defined]
        return []

    def _without_gradients(self, node: ast.AST) -> bool:
        """Whether `node` runs under `with torch.no_grad():` or in a function decorated so."""
        for block, _, _ in self.index.blocks_around(node):
            if isinstance(block, ast.With | ast.AsyncWith) and any(
                self._stops_gradients(item.context_expr) for item in block.items
            ):
                return True
        function = self.index.scope_of(node).node
        decorators = getattr(function, "decorator_list", [])
        return any(self._stops_gradients(decorator) for decorator in decorators)

    def _stops_gradients(self, expr: ast.expr) -> bool:
        called = expr.func if isinstance(expr, ast.Call) else expr
        return self.evaluator.resolve(called) in self.vocabulary.no_gradient

    def _leaves_training(self, node: ast.AST) -> bool:
        """A call whose result no gradient flows through: to NumPy, to a Python number, a
        sample drawn (`jax.random.categorical(key, jnp.log(p))`: a -inf is a zero chance), a
        gradient stopped (`jax.lax.stop_gradient`), or a function with derivative rules of
        its own (a straight-through estimator's `@jax.custom_jvp`), which may pass none."""
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        path = self.evaluator.resolve(func)
        vocabulary = self.vocabulary
        if path is not None:
            stops = vocabulary.draws | vocabulary.gradient_stops
            return path.split(".")[0] == "numpy" or path in stops
        if isinstance(func, ast.Attribute) and func.attr in _LEAVING_TRAINING_METHODS:
            return True
        return self._derived_by_its_own_rules(func)

    def _derived_by_its_own_rules(self, func: ast.expr) -> bool:
        """Whether `func` names a function of the project with derivative rules of its own."""
        if not isinstance(func, ast.Name):
            return False
        sources = self.index.sources_of_name(func)
        return bool(sources) and len(sources) == 1 and self._has_own_derivatives(sources[0][0])

    def _has_own_derivatives(self, function: ast.AST) -> bool:
        """Whether `function` is decorated with `@jax.custom_jvp` or `@jax.custom_vjp` (also
        through `functools.partial(jax.custom_vjp, ...)`): what it returns takes the gradient
        its own rules give, perhaps none."""
        if not self.vocabulary.custom_derivatives:
            return False
        for decorator in getattr(function, "decorator_list", ()):
            called = decorator.func if isinstance(decorator, ast.Call) else decorator
            path = self.evaluator.resolve(called)
            if path == "functools.partial" and isinstance(decorator, ast.Call) and decorator.args:
                path = self.evaluator.resolve(decorator.args[0])
            if path in self.vocabulary.custom_derivatives:
                return True
        return False

    def _reached_from(self, sinks: list[ast.AST]) -> set[int]:
        """Every node whose value may flow into one of `sinks`, through names too."""
        seen: set[int] = set()
        stack = list(sinks)
        while stack:
            node = stack.pop()
            if id(node) in seen or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if self._leaves_training(node):
                continue
            seen.add(id(node))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                # A value computed under `torch.no_grad()` carries no gradient wherever it goes
                # (beam scores ranked after the block).
                bound = self._bound_values(node)
                stack.extend(value for value in bound if not self._without_gradients(value))
            elif not isinstance(node, ast.ClassDef):
                stack.extend(ast.iter_child_nodes(node))
        return seen

    def _bound_values(self, use: ast.Name) -> list[ast.AST]:
        """What `use` may hold: its sources, or else every value the name gets in its scope."""
        sources = self.index.sources_of_name(use)
        if sources:
            return [value for value, _ in sources]
        scope = self.index.scope_of(use)
        values: list[ast.AST] = []
        for binding in scope.bindings.get(use.id, []):
            if binding.value is not None:
                values.append(binding.value)
        for node in self.index.walk_scope(scope):  # `loss += ...` binds no single value
            target = node.target if isinstance(node, ast.AugAssign) else None
            if isinstance(target, ast.Name) and target.id == use.id:
                values.append(node.value)  # type: ignore[attr-defined]
        return values

    # -- the chance of a sampled choice -------------------------------------------------------

    def of_a_drawn_choice(self, log_call: ast.Call) -> bool:
        """Whether the log is taken of the probabilities at an index a sample drew
        (`torch.log(probs[a])` with `a = Categorical(probs).sample()`, a policy's log-likelihood
        of its action): what was drawn had a chance above zero, so its log is finite."""
        inner = self._log_argument(log_call)
        return isinstance(inner, ast.Subscript) and self._drawn(inner.slice, 0)

    def _drawn(self, node: ast.AST, depth: int) -> bool:
        """Whether the value of `node` is a sample: a distribution's `.sample()`, a draw
        (`torch.multinomial`, `np.random.choice(n, p=probs)`), or one reshaped or converted."""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, ast.Name):
            sources = self.index.sources_of_name(node)
            return bool(sources) and all(self._drawn(value, depth + 1) for value, _ in sources)
        if isinstance(node, ast.Subscript):
            return self._drawn(node.value, depth + 1)
        if not isinstance(node, ast.Call):
            return False
        path = self.evaluator.resolve(node.func)
        if path is not None:
            return path in self.vocabulary.draws or path in self.vocabulary.sampling
        if not isinstance(node.func, ast.Attribute):
            return False
        if node.func.attr == "sample":
            return True
        return node.func.attr in _KEEPING_THE_CHOICE and self._drawn(node.func.value, depth + 1)

    def _log_argument(self, log_call: ast.Call) -> ast.expr | None:
        """What `torch.log(x)` or `x.log()` takes the log of."""
        if self.evaluator.resolve(log_call.func) is not None:
            return log_call.args[0] if log_call.args else None
        func = log_call.func
        return func.value if isinstance(func, ast.Attribute) else None

    # -- made from random or constant values -------------------------------------------------

    def on_made_up_data(self, log_call: ast.Call) -> bool:
        """Whether the log in `log_call` is taken of values a test made up, not of a model's."""
        inner = self._log_argument(log_call)
        return inner is not None and self._made_of(inner, 0) is not _Data.OTHER

    def _made_of(self, node: ast.AST, depth: int) -> _Data:
        key = id(node)
        if key not in self._data:
            self._data[key] = _Data.OTHER  # a value defined through itself is not made up
            if depth <= _MAX_DEPTH:
                self._data[key] = self._evaluate(node, depth + 1)
        return self._data[key]

    def _evaluate(self, node: ast.AST, depth: int) -> _Data:
        if isinstance(node, ast.Constant):
            return _Data.CONSTANT
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return self._all_of(node.elts, depth)
        if isinstance(node, ast.Starred | ast.Subscript):
            return self._made_of(node.value, depth)
        if isinstance(node, ast.UnaryOp):
            return self._made_of(node.operand, depth)
        if isinstance(node, ast.BinOp):
            return self._all_of([node.left, node.right], depth)
        if isinstance(node, ast.Name | ast.Attribute):
            return self._named(node, depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        return _Data.OTHER

    def _all_of(self, nodes: list[ast.expr], depth: int) -> _Data:
        kinds = {self._made_of(node, depth) for node in nodes}
        if _Data.OTHER in kinds:
            return _Data.OTHER
        return _Data.MADE_UP if _Data.MADE_UP in kinds else _Data.CONSTANT

    def _named(self, node: ast.Name | ast.Attribute, depth: int) -> _Data:
        path = self.evaluator.resolve(node)
        if path is not None:  # torch.float32, np.pi: constants of a tensor library
            return _Data.CONSTANT if path.split(".")[0] in self._libraries else _Data.OTHER
        if isinstance(node, ast.Attribute):  # x.T, x.shape
            return self._made_of(node.value, depth)
        sources = self.index.sources_of_name(node)
        if not sources:
            return _Data.OTHER
        return self._all_of([value for value, _ in sources], depth)  # type: ignore[misc]

    def _call(self, call: ast.Call, depth: int) -> _Data:
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        func = call.func
        path = self.evaluator.resolve(func)
        if path is not None:
            if self._makes_up_data(path):
                return _Data.MADE_UP
            if path.split(".")[0] not in self._libraries:
                return _Data.OTHER
            # An operation of a tensor library on made-up tensors: torch.cat, F.softmax.
            made = self._all_of(arguments, depth)
            return _Data.MADE_UP if made is _Data.MADE_UP else _Data.OTHER
        if isinstance(func, ast.Attribute):  # x.softmax(-1), x.to(device)
            if self._made_of(func.value, depth) is not _Data.MADE_UP:
                return _Data.OTHER
            made = self._all_of(arguments, depth)
            return _Data.OTHER if made is _Data.OTHER else _Data.MADE_UP
        sources = self.index.sources_of_name(func) if isinstance(func, ast.Name) else None
        if sources and len(sources) == 1:  # a local helper making the test's inputs
            function = sources[0][0]
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                returns = self.index.returns(function)
                if returns and self._all_of(returns, depth) is _Data.MADE_UP:
                    return _Data.MADE_UP
        return _Data.OTHER

    def _makes_up_data(self, path: str) -> bool:
        made_up = self.vocabulary.made_up_data
        return path in made_up or any(
            entry.endswith(".") and path.startswith(entry) for entry in made_up
        )
