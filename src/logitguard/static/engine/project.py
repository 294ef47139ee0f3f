"""The files of a project and how their imports connect them, without running any of them.

A `Project` answers "what does `from model import Net` (or `from .models.net import Net`, or
`import models.net as N` then `N.Net`) name, seen from this file?" with the definition in the
other file: a class, a function, or the value of a module-level assignment. It searches the
importing script's own folder (Python puts it first on the path), the folder above the
script's package, and the project's roots, as Python would; follows re-exports through
`__init__.py` and star imports; and parses each file at most once, lazily.

Framework and standard-library imports are never looked up in the project: `keras`,
`torch` or `os` keep their library meaning even inside a checkout of Keras itself.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from logitguard.static.engine.module import ParsedModule

# Names whose meaning comes from the frameworks' vocabularies, never from project files.
_LIBRARY_ROOTS = frozenset(
    {
        "keras",
        "tensorflow",
        "tf_keras",
        "tensorflow_datasets",
        "tensorflow_probability",
        "torch",
        "torchvision",
        "torchaudio",
        "torchtext",
        "lightning",
        "pytorch_lightning",
        "jax",
        "jaxlib",
        "flax",
        "optax",
        "haiku",
        "distrax",
        "numpy",
        "scipy",
        "sklearn",
        "pandas",
        "skorch",
        "ray_skorch",
        "braindecode",
        "transformers",
        "timm",
        "accelerate",
        "deepspeed",
        "lightning_fabric",
        "ignite",
        "keras_hub",
        "keras_nlp",
    }
)
# Re-exports followed before giving up (a.py re-exports b.py's name, which re-exports c.py's...).
_MAX_HOPS = 12
# How many steps of imports beyond a file's own are searched for the framework it trains with.
_FURTHER_LEVELS = 2


@dataclass(frozen=True)
class Definition:
    """What an imported name is bound to in the file that defines it.

    `node` is a ClassDef or FunctionDef, the value expression of a module-level assignment, or
    the module's tree when the name is a module itself; `statement` is the binding statement.
    """

    module: ParsedModule
    node: ast.AST
    statement: ast.stmt | None


class Project:
    """Files reachable from the checked ones through imports, parsed on first use."""

    def __init__(
        self, load: Callable[[str], ParsedModule | None], roots: Iterable[str] = ()
    ) -> None:
        """`load(path)` parses one file, or returns None when it cannot be read."""
        self._load = load
        self._roots = [Path(root) for root in roots]
        self._modules: dict[Path, ParsedModule | None] = {}
        self._found: dict[tuple[Path, str], tuple[Path, list[str]] | None] = {}
        # (folder, dotted) -> the candidate files probed before the one found (or all of them):
        # creating one of them would change what the import finds.
        self._absent: dict[tuple[Path, str], list[Path]] = {}
        # Per module (checked by identity): the project files it imports.
        self._imports: dict[Path, tuple[ParsedModule, list[Path]]] = {}
        # Analyses kept per module (evaluators, model finders), so each file is analysed once.
        self.analyses: dict[tuple[str, str], object] = {}
        # What a module's name is bound to, by (module, name, hops left): packages whose
        # `__init__` star-imports submodules that import the package back would otherwise be
        # searched again for every name, every hop (exponential in the submodules).
        self._bindings: dict[tuple[int, str, int], Definition | None] = {}
        # Per module: the files beside it that an analysis read for it though it does not import
        # them (the script that trains a model it only loads and reads).
        self._read_beside: dict[Path, set[Path]] = {}
        # Folder -> the `.py` files near it, and path -> the text of a file only read (not
        # parsed) for what it names: asked again for each read-out, read once per run.
        self._near: dict[Path, list[Path]] = {}
        self._texts: dict[Path, str | None] = {}
        # (function's id, parameter) -> whether a file near the function's passes it a value.
        self._passed: dict[tuple[int, str], bool] = {}
        # Folder -> the repository it is in (see `_repository_root`).
        self._repositories: dict[Path, Path | None] = {}

    # --- files -------------------------------------------------------------------------------

    def add(self, module: ParsedModule) -> ParsedModule:
        """A module the checker has parsed (the file being checked, a notebook); returns the
        project's copy, the same one other files' analyses already use when the text is."""
        key = _key(module.path)
        known = self._modules.get(key)
        if known is not None and known.source == module.source:
            return known
        if known is not None:
            self._bindings.clear()  # a file changed: what names are bound to may have too
        self._modules[key] = module
        self._bind_star_library_names(module)
        return module

    def parsed(self, path: str, source: str) -> ParsedModule | None:
        """The module already parsed for `path`, if its text is `source` (no second parse)."""
        known = self._modules.get(_key(path))
        return known if known is not None and known.source == source else None

    def module_at(self, path: str | Path) -> ParsedModule | None:
        key = _key(path)
        if key not in self._modules:
            self._modules[key] = loaded = self._load(str(path))
            if loaded is not None:
                self._bind_star_library_names(loaded)
        return self._modules[key]

    def _bind_star_library_names(self, module: ParsedModule) -> None:
        """`from model import *` binds what model.py imports from libraries too (`nn`, `F`),
        as Python does (unless its `__all__` leaves them out): they become aliases here."""
        aliases = module.resolver.aliases
        for star in module.resolver.star_modules:
            found = self.find_module(module.path, star)
            starred = self.module_at(found[0]) if found is not None and not found[1] else None
            if starred is None or starred is module:
                continue
            exported = _declared_exports(starred.tree)
            for name, path in list(starred.resolver.aliases.items()):
                left_out = exported is not None and name not in exported
                if name in aliases or name.startswith("_") or left_out:
                    continue
                if not path.startswith(".") and is_library_root(path.split(".", 1)[0]):
                    aliases[name] = path

    # --- imports -----------------------------------------------------------------------------

    def find_module(self, importer: str, dotted: str) -> tuple[Path, list[str]] | None:
        """The file of the longest importable prefix of `dotted`, and the names after it.

        `dotted` is what `ImportResolver` records: `models.net.Net`, or `.models.Net` /
        `..utils.f` for relative imports (one dot per level).
        """
        level = len(dotted) - len(dotted.lstrip("."))
        parts = [part for part in dotted[level:].split(".") if part]
        if level == 0 and (not parts or is_library_root(parts[0])):
            return None
        folder = Path(importer).parent
        key = (folder, dotted)
        if key not in self._found:  # scripts of one folder import the same modules
            absent: list[Path] = []
            self._found[key] = self._search(folder, parts, level, absent)
            self._absent[key] = absent
        return self._found[key]

    def _search(
        self, folder: Path, parts: list[str], level: int, absent: list[Path]
    ) -> tuple[Path, list[str]] | None:
        """The first root's module for `parts`; a root whose match is a plain module with a
        dotted path still after it (`models.py` for `from models.utils import C`: Python
        cannot import a submodule of it) only when no other root matches better."""
        fallback: tuple[Path, list[str]] | None = None
        for root in self._search_roots(folder, level):
            found = self._in_root(root, parts, level, absent)
            if found is None:
                continue
            path, rest = found
            if len(rest) < 2 or path.name == "__init__.py":
                return found
            fallback = fallback or found
        return fallback

    @staticmethod
    def _in_root(
        root: Path, parts: list[str], level: int, absent: list[Path]
    ) -> tuple[Path, list[str]] | None:
        for end in range(len(parts), -1 if level else 0, -1):
            found = _module_file(root, parts[:end], absent)
            if found is not None:
                return found, parts[end:]
        return None

    def _search_roots(self, folder: Path, level: int) -> Iterator[Path]:
        if level:
            for _ in range(level - 1):
                folder = folder.parent
            yield folder
            return
        seen: set[Path] = set()
        repository = self._repository_of(folder)
        # Last, the repository's top: a script in `scripts/` is run from there (`python -m
        # scripts.train`, or with it on PYTHONPATH) to import the repository's `project/`.
        at_top = [repository, repository / "src"] if repository is not None else []
        for root in (folder, _package_root(folder), *self._roots, *at_top):
            resolved = _key(root)
            if resolved not in seen:
                seen.add(resolved)
                yield root

    def _repository_of(self, folder: Path) -> Path | None:
        if folder not in self._repositories:
            self._repositories[folder] = _repository_root(folder)
        return self._repositories[folder]

    def lookup(self, importer: ParsedModule, dotted: str) -> Definition | None:
        """The definition `dotted` (as the importer's resolver spells it) names, if local."""
        return self._lookup(importer, dotted, _MAX_HOPS)

    def _lookup(self, importer: ParsedModule, dotted: str, hops: int) -> Definition | None:
        found = self.find_module(importer.path, dotted)
        if found is None or hops <= 0:
            return None
        path, names = found
        module = self.module_at(path)
        if module is None:
            return None
        definition = Definition(module, module.tree, None)
        for name in names:
            if not isinstance(definition.node, ast.Module):
                return None  # an attribute of a class or of a value: not followed
            found_here = self.binding(definition.module, name, hops - 1)
            if found_here is None:
                return None
            definition = found_here
        return definition

    def binding(self, module: ParsedModule, name: str, hops: int = _MAX_HOPS) -> Definition | None:
        """What a module-level `name` of `module` is bound to, when bound exactly once."""
        key = (id(module), name, hops)
        if key not in self._bindings:
            self._bindings[key] = None  # through itself (an import cycle): bound to nothing
            self._bindings[key] = self._binding(module, name, hops)
        return self._bindings[key]

    def _binding(self, module: ParsedModule, name: str, hops: int) -> Definition | None:
        statements = [s for s in _top_level(module.tree.body) if name in _names_bound(s)]
        if len(statements) > 1:
            return None
        if not statements:
            return self._from_star_imports(module, name, hops)
        statement = statements[0]
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            return Definition(module, statement, statement)
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            if statement.value is None or not _assigns_whole(statement, name):
                return None
            return Definition(module, statement.value, statement)
        if isinstance(statement, ast.Import | ast.ImportFrom):
            target = module.resolver.aliases.get(name)
            return self._lookup(module, target, hops - 1) if target else None
        return None

    def _from_star_imports(self, module: ParsedModule, name: str, hops: int) -> Definition | None:
        found = [
            definition
            for star in module.resolver.star_modules
            if (definition := self._lookup(module, f"{star}.{name}", hops - 1)) is not None
        ]
        return found[0] if len(found) == 1 else None

    def imported_files(self, module: ParsedModule) -> list[Path]:
        """The project files `module` imports directly, as the search found them."""
        return self._imports_of(module)[1]

    def _imports_of(self, module: ParsedModule) -> tuple[ParsedModule, list[Path]]:
        key = _key(module.path)
        known = self._imports.get(key)
        if known is not None and known[0] is module:
            return known
        files: dict[Path, Path] = {}
        for dotted in [*module.resolver.aliases.values(), *module.resolver.star_modules]:
            found = self.find_module(module.path, dotted)
            if found is not None:
                files.setdefault(_key(found[0]), found[0])
        known = self._imports[key] = (module, list(files.values()))
        return known

    def files_behind_packages(self, module: ParsedModule) -> list[Path]:
        """The files that the packages `module` imports (their `__init__.py`) import in turn:
        `from models import build` brings in what `models/__init__.py` re-exports from them,
        or a function of its own that calls theirs."""
        packages = [path for path in self.imported_files(module) if path.name == "__init__.py"]
        return self._imported_by(packages, {_key(Path(module.path))})

    def imported_further(self, module: ParsedModule, levels: int = _FURTHER_LEVELS) -> list[Path]:
        """The project files that the files `module` imports import, and so on for `levels`
        steps: not `module`'s own imports."""
        current = self.imported_files(module)
        seen = {_key(Path(module.path)), *(_key(path) for path in current)}
        found: list[Path] = []
        for _ in range(levels):
            current = self._imported_by(current, seen)
            found += current
        return found

    def _imported_by(self, paths: Iterable[Path], seen: set[Path]) -> list[Path]:
        """The project files that the files at `paths` import, but those in `seen` (which
        gains them)."""
        found: list[Path] = []
        for path in paths:
            importer = self.module_at(path)
            for imported in self.imported_files(importer) if importer is not None else ():
                if _key(imported) not in seen:
                    seen.add(_key(imported))
                    found.append(imported)
        return found

    def files_beside(self, module: ParsedModule, mentioning: Iterable[str]) -> list[ParsedModule]:
        """The other Python files near `module` whose text mentions one of `mentioning`,
        parsed (see `_python_files_near`: `train.py` above `tools/predict.py`, or in
        `scripts/` beside it), each folder's in name order; read for `module`, so they count
        among its dependencies."""
        own, names = _key(module.path), tuple(mentioning)
        found = []
        for path in self._python_files_near(Path(module.path).parent):
            if _key(path) == own or not self._mentions(path, names):
                continue
            beside = self.module_at(path)
            if beside is not None:
                self._read_beside.setdefault(own, set()).add(path)
                found.append(beside)
        return found

    def passed_beside(
        self,
        module: ParsedModule,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        owner: ast.ClassDef | None,
        name: str,
    ) -> bool:
        """Whether a file near `module` calls `function` (for an `__init__`, its class `owner`)
        passing a value for its parameter `name`: then the default, which `module` read alone
        would take, may never hold (a builder's `channels=1, activation="softmax"` that every
        caller overrides)."""
        key = (id(function), name)
        if key in self._passed:
            return self._passed[key]
        called = owner.name if owner is not None else function.name
        positional = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)]
        index = positional.index(name) if name in positional else None
        if index is not None and owner is not None:
            index -= 1  # `self` is not passed
        self._passed[key] = any(
            _passes(call, name, index)
            for beside in self.files_beside(module, [called])
            for call, _ in beside.index.calls_by_name.get(called, ())  # `unets.build(...)` too
        )
        return self._passed[key]

    def project_names(self, module: ParsedModule) -> set[str]:
        """The names `module` imports from files of the project (`load_model` of `from utils
        import load_model`), not from installed packages."""
        return {
            name
            for name, dotted in module.resolver.aliases.items()
            if self.find_module(module.path, dotted) is not None
        }

    def _mentions(self, path: Path, names: tuple[str, ...]) -> bool:
        """Whether the file's text names one of `names`: read from its parse when there is
        one, else from the file, so that a file that does not is never parsed for it."""
        key = _key(path)
        known = self._modules.get(key)
        if known is not None:
            text: str | None = known.source
        elif key in self._texts:
            text = self._texts[key]
        else:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = None
            self._texts[key] = text
        return text is not None and any(name in text for name in names)

    def _python_files_near(self, folder: Path) -> list[Path]:
        """The `.py` files of `folder` and of its subfolders, then, inside the project's
        roots, of the folder above and of its other subfolders; listed once per folder."""
        if folder not in self._near:
            self._near[folder] = self._list_python_files_near(folder)
        return self._near[folder]

    def _list_python_files_near(self, folder: Path) -> list[Path]:
        folders = [folder, *_subfolders(folder)]
        parent = folder.parent
        if parent != folder and any(_within(parent, root) for root in self._roots):
            folders += [parent, *(near for near in _subfolders(parent) if near != folder)]
        files: list[Path] = []
        for near in folders:
            try:
                files += sorted(path for path in near.glob("*.py") if path.is_file())
            except OSError:
                continue
        return files

    def missed_files(self) -> frozenset[str]:
        """The files the imports searched so far looked for and did not find: creating one
        would change what an import finds. Kept once for all the files of a run, they are a
        few more than those of any one file's imports."""
        return frozenset(str(path) for missed in self._absent.values() for path in missed)

    def dependencies(self, module: ParsedModule) -> frozenset[str]:
        """What an analysis of `module` so far may have read: the project files it imports,
        and theirs, transitively, and the files beside them read for them (`files_beside`),
        the file itself excluded, among those the project has loaded (an analysis reads a
        file only through the imports that lead to it, and only once loaded). Files not
        loaded are not parsed for this."""
        start = _key(module.path)
        seen: dict[Path, Path] = {}
        pending = [module]
        while pending:
            current = pending.pop()
            beside = self._read_beside.get(_key(current.path), ())
            for path in [*self._imports_of(current)[1], *beside]:
                key = _key(path)
                if key in seen or key not in self._modules:
                    continue  # followed already, or never read
                seen[key] = path  # an unreadable file too: fixing it changes what is read
                imported = self._modules[key]
                if imported is not None:
                    pending.append(imported)
        return frozenset(str(path) for key, path in seen.items() if key != start)


def _subfolders(folder: Path) -> list[Path]:
    with contextlib.suppress(OSError):
        return sorted(path for path in folder.iterdir() if path.is_dir())
    return []


def _within(folder: Path, root: Path) -> bool:
    """Whether `folder` is `root` or inside it (a root given as a file counts as its folder)."""
    top = _key(root)
    top = top if not top.is_file() else top.parent
    here = _key(folder)
    return here == top or top in here.parents


@functools.lru_cache(maxsize=65536)
def _key(path: str | Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop: keep the path as given
        return Path(path).absolute()


def is_library_root(root: str) -> bool:
    """A top-level module name that always means the library, never a project file."""
    return root in _LIBRARY_ROOTS or root in sys.stdlib_module_names


def _module_file(root: Path, parts: list[str], absent: list[Path]) -> Path | None:
    """The file of module `parts` under `root`; the candidates that are not files are added
    to `absent`."""
    if not parts:
        candidates = [root / "__init__.py"]
    else:
        candidates = [
            root.joinpath(*parts[:-1], f"{parts[-1]}.py"),
            root.joinpath(*parts, "__init__.py"),
        ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
        absent.append(candidate)
    return None


# What marks the top of a repository, the folder its scripts are run from.
_REPOSITORY_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")
_MAX_REPOSITORY_DEPTH = 8


def _repository_root(folder: Path) -> Path | None:
    """The nearest folder above `folder` (not itself: that is searched first anyway) that
    holds a repository's marker, a few levels up at most; None when none does."""
    try:
        above = folder.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return None
    for _ in range(_MAX_REPOSITORY_DEPTH):
        if above.parent == above:
            return None
        above = above.parent
        with contextlib.suppress(OSError):
            if any((above / marker).exists() for marker in _REPOSITORY_MARKERS):
                return above if folder.is_absolute() else _relative(above)
    return None


def _relative(folder: Path) -> Path:
    """`folder` from the working directory, as a relative path given is spelt, so that
    findings name its files alike (`../model.py`); absolute on another drive."""
    try:
        return Path(os.path.relpath(folder))
    except ValueError:
        return folder


def _package_root(folder: Path) -> Path:
    """The folder above the outermost package holding `folder` (itself when not a package)."""
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def _declared_exports(tree: ast.Module) -> set[str] | None:
    """The names a module's literal `__all__` lists; None when it has none (every public name
    is exported)."""
    for statement in _top_level(tree.body):
        if isinstance(statement, ast.Assign) and "__all__" in _names_bound(statement):
            value = statement.value
            if isinstance(value, ast.List | ast.Tuple):
                return {e.value for e in value.elts if isinstance(e, ast.Constant)}  # type: ignore[misc]
            return set()  # built at run time: nothing is known to be exported
    return None


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, with those inside `try:` and `if` blocks (guarded imports)."""
    for statement in body:
        if isinstance(statement, ast.Try | ast.If):
            yield from _top_level(statement.body)
        else:
            yield statement


def _names_bound(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Assign):
        return {name for target in statement.targets for name in _target_names(target)}
    if isinstance(statement, ast.AnnAssign | ast.AugAssign):
        return set(_target_names(statement.target))
    if isinstance(statement, ast.Import):
        return {alias.asname or alias.name.split(".")[0] for alias in statement.names}
    if isinstance(statement, ast.ImportFrom):
        return {alias.asname or alias.name for alias in statement.names if alias.name != "*"}
    return set()


def _target_names(target: ast.AST) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _assigns_whole(statement: ast.Assign | ast.AnnAssign, name: str) -> bool:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
    return any(isinstance(target, ast.Name) and target.id == name for target in targets)


def _passes(call: ast.Call, name: str, index: int | None) -> bool:
    """Whether `call` may pass the parameter `name` (at positional `index`, if it has one)."""
    if any(keyword.arg in (name, None) for keyword in call.keywords):  # `**options` may
        return True
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        return True
    return index is not None and len(call.args) > index
