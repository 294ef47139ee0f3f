"""A parsed source module, as every static front end receives it."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field

from logitguard.static.engine.ast_tools import SourceText, module_constants
from logitguard.static.engine.imports import ImportResolver
from logitguard.static.engine.index import ModuleIndex


@dataclass
class ParsedModule:
    source: str
    path: str
    tree: ast.Module
    resolver: ImportResolver = field(init=False)
    constants: dict[str, object] = field(init=False)

    def __post_init__(self) -> None:
        self.resolver = ImportResolver(self.tree, self.source)
        self.constants = module_constants(self.tree)

    @functools.cached_property
    def index(self) -> ModuleIndex:
        """Scopes, bindings, calls and comparisons: built in one pass, on first use, and shared
        by every analysis of the module."""
        return ModuleIndex(self.tree)

    @functools.cached_property
    def text(self) -> SourceText:
        return SourceText(self.source)

    @classmethod
    def parse(cls, source: str, path: str) -> ParsedModule:
        """Raises SyntaxError (or ValueError for null bytes) when the source does not parse."""
        return cls(source=source, path=path, tree=ast.parse(source, filename=path))
