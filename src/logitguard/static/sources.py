"""Check one Python source text: parse it, extract facts with the front ends (following what
it imports when it is part of a project), run the rules, drop what comments suppress.

Files, notebooks and whole runs are `checker`'s; a notebook's cells become one source here.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable
from pathlib import Path

from logitguard.core.findings import Finding, unreadable
from logitguard.rules import ALL_RULES
from logitguard.static import syntax
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.frontends import (
    FRONTENDS,
    Frontend,
    cuts_at_a_half,
    has_triggers,
)
from logitguard.static.shared_objects import SharedObjects
from logitguard.static.suppressions import without_suppressed


class Skipped(Exception):
    """A file that is deliberately not checked (a notebook for another language); says why."""


class Unparsable(Exception):
    """A source that cannot be analysed at all; `finding` is its LG000."""

    def __init__(self, path: str, reason: str, line: int = 1, col: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.finding = unreadable(path, reason, line, col)


def parse(source: str, path: str, *, allow_top_level_await: bool = False) -> ast.Module:
    """The module's tree; syntax of Python versions newer than the running one is read too."""
    # Notebooks may `await` at top level.
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if allow_top_level_await else 0
    try:
        return syntax.parse(source, path, flags=flags)
    except SyntaxError as error:
        line = error.lineno or 1
        col = max((error.offset or 1) - 1, 0)
        raise Unparsable(path, f"syntax error: {error.msg}", line, col) from error
    except ValueError as error:  # null bytes in the text, on Python 3.11
        raise Unparsable(path, str(error)) from error
    except (RecursionError, MemoryError) as error:
        raise Unparsable(path, "the code is nested too deeply to parse") from error


def read_source(path: str) -> str:
    """The text of a Python file, decoded as Python does (PEP 263 coding cookie, UTF-8 BOM)."""
    return decode_source(read_bytes(path), path)


def read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise Unparsable(path, f"cannot read it ({error.strerror or error})") from error


def decode_source(data: bytes, path: str) -> str:
    if b"\0" in data:
        raise Unparsable(path, "it contains null bytes (a binary file?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # undecodable first lines, or a cookie naming no codec
        encoding, cookie_problem = "utf-8", error
    else:
        cookie_problem = None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise Unparsable(
            path,
            f"it is not valid {error.encoding} text (byte {data[error.start]:#04x} at offset "
            f"{error.start}); save it as UTF-8 or declare its encoding",
        ) from error
    if cookie_problem is not None:
        raise Unparsable(path, f"its encoding declaration is unusable ({cookie_problem})")
    return text


def check_source(
    source: str, path: str = "<string>", project: Project | None = None
) -> list[Finding]:
    """Statically check one Python source text; returns the findings, sorted.

    With a `project`, what the source imports from other project files is followed.
    """
    try:
        tree = parse(source, path)
    except Unparsable as error:
        return [error.finding]
    return check_tree(source, path, tree, project)


def check_tree(
    source: str, path: str, tree: ast.Module, project: Project | None = None
) -> list[Finding]:
    triggered = None
    if project is None:
        triggered = has_triggers([source])
        if not (triggered or cuts_at_a_half([source])):
            return []
    try:
        module = ParsedModule(source=source, path=path, tree=tree)
    except (RecursionError, MemoryError):
        return [unreadable(path, "the code is nested too deeply to analyse")]
    if project is not None:
        module = project.add(module)
    findings: list[Finding] = []
    for frontend in _frontends_for(module, project, triggered):
        findings.extend(_run_frontend(frontend, module, project))
    return sort_findings(_without_suppressed(set(findings), module, project))


def _frontends_for(
    module: ParsedModule, project: Project | None, triggered: bool | None = None
) -> list[Frontend]:
    """The front ends whose framework the module, or a project file it imports, uses;
    `triggered`: whether the module's own text holds a trigger, when it was read alone."""
    # Import roots are names ("keras", "torch") that any import resolving to them spells out,
    # so a source without them cannot interest a front end: skip the tree walks entirely.
    imported = [module]
    if project is not None:
        imported += [m for p in project.imported_files(module) if (m := project.module_at(p))]
    sources = [m.source for m in imported]
    if triggered is None or len(sources) > 1:
        triggered = has_triggers(sources)  # read once: each front end's test needs it
    if project is not None and not triggered:  # what a package's `__init__` brings in
        behind = project.files_behind_packages(module)
        imported += [m for p in behind if (m := project.module_at(p))]
        sources = [m.source for m in imported]
        triggered = has_triggers(sources)
    if not (triggered or cuts_at_a_half(sources)):
        return []
    roots = set().union(*(m.resolver.imported_roots for m in imported))
    if project is not None and not roots & _FRAMEWORK_ROOTS:
        # A script importing only project modules (`from factory import build_model`), whose
        # framework is imported further down: by the modules they import, in turn.
        further = project.imported_further(module)
        imported += [m for p in further if (m := project.module_at(p))]
        sources = [m.source for m in imported]
        roots = set().union(*(m.resolver.imported_roots for m in imported))
    return [
        frontend
        for frontend in FRONTENDS
        if roots & frontend.roots
        and (
            any(r in text for r in frontend.roots for text in sources)
            or _reads_unimported(module, frontend)  # a snippet: roots from names, not imports
        )
        and frontend.may_judge(sources, triggered)
    ]


_FRAMEWORK_ROOTS = frozenset().union(*(frontend.roots for frontend in FRONTENDS))


def _reads_unimported(module: ParsedModule, frontend: Frontend) -> bool:
    names = module.resolver.unimported_library_names().values()
    return any(path.split(".")[0] in frontend.roots for path in names)


def _without_suppressed(
    findings: set[Finding], module: ParsedModule, project: Project | None
) -> list[Finding]:
    """Each finding judged by the comments of the file it points at."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        path = finding.location.path if finding.location else module.path
        by_path.setdefault(path, []).append(finding)
    kept: list[Finding] = []
    for path, found in by_path.items():
        owner = module if path == module.path or project is None else project.module_at(path)
        if owner is None:
            kept.extend(found)
        else:
            kept.extend(without_suppressed(found, owner.source, owner.tree))
    return kept


# Nesting deeper than this may exhaust an analysis that recurses along the tree; below it, a
# RecursionError is a bug of the analysis, not a property of the code.
_DEEP_NESTING = 100


def _nesting(tree: ast.AST) -> int:
    """How deeply the tree nests, counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _run_frontend(
    frontend: Frontend, module: ParsedModule, project: Project | None
) -> list[Finding]:
    stage = f"the {frontend.framework} front end"
    try:
        setups = frontend.extract(module, project)
        shared = SharedObjects(setups)
        findings = []
        for setup in setups:
            for rule in ALL_RULES:
                stage = f"rule {rule.code}"
                findings.extend(shared.guard(setup, rule.run(setup)))
        return findings
    except (RecursionError, MemoryError) as error:
        if _nesting(module.tree) > _DEEP_NESTING:
            return [unreadable(module.path, f"the code is nested too deeply for {stage}")]
        return [
            unreadable(
                module.path,
                f"internal error in {stage} ({type(error).__name__}, on code nested "
                "only a little); please report it to logitguard",
            )
        ]
    except Exception as error:  # a bug of ours must not stop the run: report it for this file
        return [
            unreadable(
                module.path,
                f"internal error in {stage} ({type(error).__name__}: {error}); "
                "please report it to logitguard",
            )
        ]


def load_module(path: str) -> ParsedModule | None:
    """A project file parsed for what other files import from it; None if unreadable."""
    try:
        source = read_source(path)
        return ParsedModule(source=source, path=path, tree=parse(source, path))
    except (Unparsable, RecursionError, MemoryError):
        return None


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda finding: (*finding.sort_key, finding.message))
