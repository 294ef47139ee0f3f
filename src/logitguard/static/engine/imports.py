"""Resolve names in a module to canonical dotted paths, whatever aliases the imports used.

`import tensorflow as tf` then `tf.keras.layers.Dense` and `from keras.layers import Dense as D`
then `D` both resolve to "keras.layers.Dense". Front ends compare canonical paths only.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re

from logitguard.knowledge.star_exports import SNIPPET_IMPORTS, STAR_EXPORTS
from logitguard.static.engine.ast_tools import iter_statements

# Longest prefix first: the first match is rewritten.
_CANONICAL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.keras.", "keras."),
    ("tf_keras.", "keras."),
    ("keras.src.", "keras."),
    ("keras.api.", "keras."),
    ("tensorflow.compat.v1.", "tensorflow."),
    ("tensorflow.compat.v2.", "tensorflow."),
    ("tensorflow.math.", "tensorflow."),
    ("keras.models.", "keras."),
)
_CANONICAL_NAMES = {
    "tensorflow.keras": "keras",
    "tf_keras": "keras",
    # Keras 2's own module paths, which old code imports from (`from keras.engine import Model`).
    "keras.engine.Model": "keras.Model",
    "keras.engine.training.Model": "keras.Model",
    "keras.engine.Sequential": "keras.Sequential",
    "keras.engine.sequential.Sequential": "keras.Sequential",
    "keras.engine.Input": "keras.Input",
    "keras.engine.topology.Input": "keras.Input",
    "keras.engine.input_layer.Input": "keras.Input",
}


def _defined_at_module_level(body: list[ast.stmt]) -> set[str]:
    """Names a def or a class binds at module level (in `if`/`try`/`with` blocks too). An
    assignment does not count: `keras = tf.keras` in the `else:` of an `import tf_keras as
    keras` means the same library."""
    return {
        statement.name
        for statement in iter_statements(body, definitions=False)
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


# Words without which a module reads none of the snippet names as code: a cheap test before
# the walk that finds the names it reads unimported.
_SNIPPET_WORDS = ("Sequential", "Dense", "Model(", "nn.", "keras", "torch", "tf.", "layers.")
_FRAMEWORK_ROOTS = frozenset({"keras", "tensorflow", "torch", "jax", "flax", "optax"})


def canonical(path: str) -> str:
    if path in _CANONICAL_NAMES:
        return _CANONICAL_NAMES[path]
    for prefix, replacement in _CANONICAL_PREFIXES:
        if path.startswith(prefix):
            return canonical(replacement + path[len(prefix) :])
    return path


class ImportResolver:
    """Maps the local names bound by a module's imports (at any depth) to canonical paths."""

    def __init__(self, tree: ast.Module, source: str = "") -> None:
        self.aliases: dict[str, str] = {}
        # Modules imported with `from M import *`, spelled like the aliases' paths.
        self.star_modules: list[str] = []
        self._tree, self._source = tree, source
        # The library names the module reads and never binds, as a snippet pasted from a
        # question does (SNIPPET_IMPORTS): found on first need.
        self._snippet_names: dict[str, str] | None = None
        self._bound: set[str] | None = None
        for node in iter_statements(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom):
                # Relative imports keep their leading dots (`.models.Net`): only the project
                # knows which file they name.
                module = "." * node.level + (node.module or "")
                for alias in node.names:
                    if alias.name == "*":
                        self.star_modules.append(module)
                        self._bind_library_star(module)
                    else:
                        separator = "." if node.module else ""
                        name = alias.asname or alias.name
                        self.aliases[name] = f"{module}{separator}{alias.name}"
        # A name the module also defines (`class Softmax(nn.Module)` after `from torch.nn
        # import *`) is the module's own: its bindings say which value it has where.
        for name in _defined_at_module_level(tree.body):
            self.aliases.pop(name, None)
        self._bind_module_aliases(tree.body)

    def unimported_library_names(self) -> dict[str, str]:
        """The library names (`Dense`, `layers`, `nn`) the module reads but never imports,
        defines or assigns, with their paths; none in a module with a project star import,
        which may bind any name."""
        if self._snippet_names is None:
            self._snippet_names = {}
            project_stars = any(canonical(m) not in STAR_EXPORTS for m in self.star_modules)
            if not project_stars and any(word in self._source for word in _SNIPPET_WORDS):
                read, bound = _read_and_bound_names(self._tree)
                unimported = (read & SNIPPET_IMPORTS.keys()) - bound - self.aliases.keys()
                self._snippet_names = {name: SNIPPET_IMPORTS[name] for name in unimported}
        return self._snippet_names

    def never_bound(self, name: str) -> bool:
        """Whether nothing in the module binds `name` (an import, an assignment, a definition,
        a parameter), nor may: a snippet's name, made in code it leaves out."""
        if self.star_modules or _assigned_in(self._source, name):
            return False  # a star import may bind any name
        if self._bound is None:
            self._bound = _read_and_bound_names(self._tree)[1] | self.aliases.keys()
        return name not in self._bound and not hasattr(builtins, name)

    def _bind_module_aliases(self, body: list[ast.stmt]) -> None:
        """`F = nn.functional`, `Dense = tf.layers.dense`: a name assigned once, in the
        module's own top-level statements, to an imported module or attribute is another alias
        of it."""
        assigned: dict[str, list[ast.expr]] = {}
        in_blocks: set[str] = set()  # assigned in an `if`/`try`/`with` too: no one value
        for node in body:
            if node.__class__ is ast.Assign:
                for target in node.targets:  # type: ignore[attr-defined]
                    if target.__class__ is ast.Name:
                        assigned.setdefault(target.id, []).append(node.value)  # type: ignore[attr-defined]
            elif isinstance(node, ast.If | ast.Try | ast.With):
                for inner in iter_statements([node], definitions=False):
                    targets = inner.targets if isinstance(inner, ast.Assign) else ()
                    in_blocks.update(t.id for t in targets if isinstance(t, ast.Name))
        for name, values in assigned.items():
            if name in self.aliases or name in in_blocks or len(values) != 1:
                continue
            if isinstance(values[0], ast.Attribute | ast.Name):
                path = self.resolve(values[0])
                if path is not None and not path.startswith("."):
                    self.aliases[name] = path

    def _bind_library_star(self, module: str) -> None:
        """`from keras.layers import *`: the names of the library module that the front ends
        read (an import naming one explicitly keeps it)."""
        for name in STAR_EXPORTS.get(canonical(module), ()):
            self.aliases.setdefault(name, f"{module}.{name}")

    @property
    def imported_roots(self) -> set[str]:
        """The libraries the module imports; for one that imports none of the frameworks, the
        libraries of the names it reads unimported too."""
        roots = {canonical(path).split(".")[0] for path in self.aliases.values()}
        if roots.isdisjoint(_FRAMEWORK_ROOTS):
            snippet = self.unimported_library_names().values()
            roots |= {canonical(path).split(".")[0] for path in snippet}
        return roots

    def resolve(self, node: ast.AST) -> str | None:
        """The canonical dotted path of a Name/Attribute chain rooted in an import (or in a
        library name read unimported), else None."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        root = self.aliases.get(node.id)
        if root is None and node.id in SNIPPET_IMPORTS and not _assigned_in(self._source, node.id):
            root = self.unimported_library_names().get(node.id)
        if root is None:
            return None
        parts.append(root)
        return canonical(".".join(reversed(parts)))


def _assigned_in(source: str, name: str) -> bool:
    """Whether the text assigns or defines `name` (`losses = []`, `class Model(`): a name the
    module binds, no snippet's missing import. A test before walking every node of the tree
    for what it binds; one in a string or a keyword argument (`f(layers=2)`) only makes the
    checker quieter."""
    return _assignment_pattern(name).search(source) is not None


@functools.lru_cache(maxsize=256)
def _assignment_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.])(?:(?:class|def)\s+{name}\b|{name}\s*(?::[^=\n]*)?=(?!=))")


def _read_and_bound_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names a module reads, and those it binds anywhere (assignments, definitions,
    parameters)."""
    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            bound.update(node.names)  # bound elsewhere, perhaps by code not shown
    return read, bound
