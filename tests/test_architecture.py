"""The layout is the architecture: the lower layers never import the upper ones, and no two
modules import each other at load time."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src"

# Each lower layer and the layers it may import (imports inside a layer are free).
ALLOWED = {
    "core": set(),
    "knowledge": {"core"},
    "rules": {"core", "knowledge"},
    "runtime": {"core", "knowledge", "rules"},
    "static.engine": {"core", "knowledge"},
    "static.frameworks": {"core", "knowledge", "static.engine"},
}


def modules(source: Path) -> dict[str, Path]:
    return {
        ".".join(path.relative_to(source).with_suffix("").parts).removesuffix(".__init__"): path
        for path in source.rglob("*.py")
    }


def layer(module: str) -> str:
    parts = module.split(".")[1:]
    if parts[:2] in (["static", "engine"], ["static", "frameworks"]):
        return ".".join(parts[:2])
    return parts[0] if parts else ""


def imported(path: Path, known: dict[str, Path], *, at_load_only: bool) -> set[str]:
    """The logitguard modules a file imports (all, or only those its import runs)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if at_load_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:  # `from logitguard.static import sources` names a module
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return {name for name in found if name.split(".")[0] == "logitguard"}


def layer_violations(source: Path) -> list[str]:
    known = modules(source)
    return sorted(
        f"{module} imports {target}"
        for module, path in known.items()
        if layer(module) in ALLOWED
        for target in imported(path, known, at_load_only=False)
        if layer(target) not in ALLOWED[layer(module)] | {layer(module)}
    )


def load_time_cycles(source: Path) -> list[str]:
    known = modules(source)
    graph = {
        module: {t for t in imported(path, known, at_load_only=True) if t in known and t != module}
        for module, path in known.items()
    }
    cycles = []
    for start in sorted(graph):
        stack, seen = [(start, (start,))], set()
        while stack:  # depth first from `start`: a path back to it is a cycle
            module, trail = stack.pop()
            for target in sorted(graph[module]):
                if target == start:
                    cycles.append(" -> ".join((*trail, start)))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*trail, target)))
    return cycles


def test_lower_layers_import_only_the_layers_below_them() -> None:
    assert layer_violations(SOURCE) == []


def test_no_two_modules_import_each_other_at_load_time() -> None:
    assert load_time_cycles(SOURCE) == []


def test_an_upward_import_and_a_cycle_are_found(tmp_path: Path) -> None:
    def write(module: str, text: str) -> None:
        path = tmp_path.joinpath(*module.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("logitguard.static.engine.index", "from logitguard.static.frameworks import torch\n")
    write("logitguard.static.frameworks.torch", "from logitguard.core import facts\n")
    write("logitguard.core.facts", "import logitguard.static.checker\n")
    write("logitguard.static.checker", "from logitguard.static import notebooks\n")
    write("logitguard.static.notebooks", "from logitguard.static import checker\n")

    assert layer_violations(tmp_path) == [
        "logitguard.core.facts imports logitguard.static.checker",
        "logitguard.static.engine.index imports logitguard.static.frameworks.torch",
    ]
    assert (
        "logitguard.static.checker -> logitguard.static.notebooks -> logitguard.static.checker"
        in (load_time_cycles(tmp_path))
    )
