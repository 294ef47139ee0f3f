"""Resolve names in a module to canonical dotted paths, whatever aliases the imports used.

`import tensorflow as tf` then `tf.keras.layers.Dense` and `from keras.layers import Dense as D`
then `D` both resolve to "keras.layers.Dense". Front ends compare canonical paths only.
"""

from __future__ import annotations

import ast
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
_CANONICAL_NAMES = {"tensorflow.keras": "keras", "tf_keras": "keras"}


def _defined_at_module_level(body: list[ast.stmt]) -> set[str]:
    """Names a def or a class binds at module level (in `if`/`try`/`with` blocks too). An
    assignment does not count: `keras = tf.keras` in the `else:` of an `import tf_keras as
    keras` means the same library."""
    return {
        statement.name
        for statement in iter_statements(body, definitions=False)
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


# A snippet name used as code: called or its attribute read (`Dense(`, `layers.Dense`), not
# itself an attribute (`keras.layers.Dense(`).
_SNIPPET_NAME_USE = re.compile(
    r"(?<![\w.])("
    + "|".join(re.escape(name) for name in sorted(SNIPPET_IMPORTS, key=len, reverse=True))
    + r")\s*[(.]"
)


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
        # Whether the module reads library names it never imports, as a snippet pasted from
        # a question does (SNIPPET_IMPORTS).
        self.assumes_imports = False
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
        project_stars = any(canonical(module) not in STAR_EXPORTS for module in self.star_modules)
        if not project_stars:  # a project module's `*` may bind any name
            self._assume_snippet_imports(tree, source)

    def _assume_snippet_imports(self, tree: ast.Module, source: str) -> None:
        """The library names the module reads (`Dense(`, `layers.`) and never binds."""
        candidates = {
            name for name in _SNIPPET_NAME_USE.findall(source) if name not in self.aliases
        }
        if not candidates:
            return  # most modules: every library name they read is imported
        read, bound = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound.add(node.name)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
        for name in (candidates & read) - bound:  # not `keras.` in `from keras.layers import`
            self.aliases[name] = SNIPPET_IMPORTS[name]
            self.assumes_imports = True

    def _bind_module_aliases(self, body: list[ast.stmt]) -> None:
        """`F = nn.functional`, `Dense = tf.layers.dense`: a name assigned once at module
        level to an imported module or attribute is another alias of it."""
        assigned: dict[str, list[ast.expr]] = {}
        for node in iter_statements(body, definitions=False):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for name, values in assigned.items():
            if name in self.aliases or len(values) != 1:
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
        return {canonical(path).split(".")[0] for path in self.aliases.values()}

    def resolve(self, node: ast.AST) -> str | None:
        """The canonical dotted path of a Name/Attribute chain rooted in an import, else None."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in self.aliases:
            return None
        parts.append(self.aliases[node.id])
        return canonical(".".join(reversed(parts)))
