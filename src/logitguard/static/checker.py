"""Check Python sources and notebooks: parse, extract facts with the front ends, run the rules.

Every file is checked on its own: whatever goes wrong with one (undecodable bytes, a syntax
error, code nested too deeply, a bug in a front end) becomes an LG000 finding for that file and
the run goes on with the next.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import os
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from logitguard.atomic_write import fingerprint
from logitguard.config import Config
from logitguard.core.findings import Finding, unreadable
from logitguard.rules import ALL_RULES
from logitguard.static import notebooks, syntax
from logitguard.static.check_log import CheckLog
from logitguard.static.discovery import ExcludeGlobs, FileKind, SourceFile, discover
from logitguard.static.engine.module import ParsedModule
from logitguard.static.engine.project import Project
from logitguard.static.frontends import FRONTENDS, Frontend, may_have_findings
from logitguard.static.shared_objects import SharedObjects
from logitguard.static.suppressions import without_suppressed

KERAS_EXTRA_HINT = "pip install 'logitguard[keras]'"


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
    if project is None and not may_have_findings([source]):
        return []
    try:
        module = ParsedModule(source=source, path=path, tree=tree)
    except (RecursionError, MemoryError):
        return [unreadable(path, "the code is nested too deeply to analyse")]
    if project is not None:
        module = project.add(module)
    findings: list[Finding] = []
    for frontend in _frontends_for(module, project):
        findings.extend(_run_frontend(frontend, module, project))
    return sort_findings(_without_suppressed(set(findings), module, project))


def _frontends_for(module: ParsedModule, project: Project | None) -> list[Frontend]:
    """The front ends whose framework the module, or a project file it imports, uses."""
    # Import roots are names ("keras", "torch") that any import resolving to them spells out,
    # so a source without them cannot interest a front end: skip the tree walks entirely.
    imported = [module]
    if project is not None:
        imported += [m for p in project.imported_files(module) if (m := project.module_at(p))]
    sources = [m.source for m in imported]
    if not may_have_findings(sources):
        return []
    roots = set().union(*(m.resolver.imported_roots for m in imported))
    return [
        frontend
        for frontend in FRONTENDS
        if roots & frontend.roots
        and any(r in text for r in frontend.roots for text in sources)
        and frontend.may_judge(sources)
    ]


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
    except (RecursionError, MemoryError):
        return [unreadable(module.path, f"the code is nested too deeply for {stage}")]
    except Exception as error:  # a bug of ours must not stop the run: report it for this file
        return [
            unreadable(
                module.path,
                f"internal error in {stage} ({type(error).__name__}: {error}); "
                "please report it to logitguard",
            )
        ]


def check_saved_model(path: str) -> list[Finding]:
    """A saved Keras model (.keras, .h5), loaded and inspected by the runtime front end."""
    # TensorFlow's C++ start-up chatter would bury the report on stderr.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        from logitguard.runtime.keras_inspect import inspect_keras_file

        return list(inspect_keras_file(path))
    except ImportError as error:
        return [
            unreadable(path, f"checking a saved model needs Keras: {KERAS_EXTRA_HINT} ({error})")
        ]
    except Exception as error:  # a corrupt or foreign file: Keras raises many kinds
        return [unreadable(path, f"could not load the model ({type(error).__name__}: {error})")]


@dataclass(frozen=True)
class FileResult:
    """What checking one file found, and which other files' contents that analysis read.

    `dependencies` lets a cache tell when a result is stale although the file itself is not.
    """

    findings: list[Finding]
    dependencies: frozenset[str] = frozenset()
    absent: frozenset[str] = frozenset()  # files its imports looked for, not found


def load_module(path: str) -> ParsedModule | None:
    """A project file parsed for what other files import from it; None if unreadable."""
    try:
        source = read_source(path)
        return ParsedModule(source=source, path=path, tree=parse(source, path))
    except (Unparsable, RecursionError, MemoryError):
        return None


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one file is analysed.

    A syntax tree is millions of objects for a big file, and the collector walks them all again
    at each full collection: on a 9 MB file it took two thirds of `ast.parse`'s time. Trees
    hold no reference cycles (reference counting frees them); what cycles the analysis makes
    are collected once the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_file(
    source_file: SourceFile,
    project: Project | None = None,
    log: CheckLog | None = None,
    *,
    dependencies: bool = False,
) -> FileResult:
    """The findings of one file, with what it imports from `project` followed; `log` (if given)
    records what was read and what was skipped. With `dependencies` (what a cache needs), the
    result also names the other files the analysis read and the files its imports looked for
    and did not find."""
    with collector_paused():
        findings = _check_file(source_file, project, log if log is not None else CheckLog())
    if not dependencies or project is None or source_file.kind is FileKind.SAVED_MODEL:
        return FileResult(findings)
    try:
        module = project.module_at(source_file.path)
        if module is None:
            return FileResult(findings)
        read, absent = project.dependencies(module), project.absent_dependencies(module)
    except Exception as error:  # a bug of ours: reported, and the result is never cached
        reason = f"internal error following its imports ({type(error).__name__}: {error})"
        return FileResult([*findings, unreadable(source_file.path, reason)])
    return FileResult(findings, read, absent)


def _check_file(source_file: SourceFile, project: Project | None, log: CheckLog) -> list[Finding]:
    path = source_file.path
    try:
        if source_file.kind is FileKind.SAVED_MODEL:
            return check_saved_model(path)
        data = read_bytes(path)
        log.fingerprints[path] = fingerprint(data)
        if source_file.kind is FileKind.NOTEBOOK:
            return notebooks.check_notebook_data(data, path, project)
        source = decode_source(data, path)
        known = project.parsed(path, source) if project is not None else None
        if known is not None:  # already parsed for a file that imports it
            return check_tree(source, path, known.tree, project)
        return check_source(source, path, project)
    except Skipped as skipped:
        log.notes.append(f"{path}: not checked: {skipped}")
        return []
    except Unparsable as error:
        return [error.finding]
    except (RecursionError, MemoryError):
        return [unreadable(path, "the code is nested too deeply to analyse")]
    except Exception as error:  # never let one file stop the run
        return [
            unreadable(
                path,
                f"internal error ({type(error).__name__}: {error}); please report it to logitguard",
            )
        ]


def check_files(
    files: Iterable[SourceFile],
    config: Config | None = None,
    project: Project | None = None,
    log: CheckLog | None = None,
) -> list[Finding]:
    """Check files as one project (a finding found from two files is reported once); `log`
    (if given) collects fingerprints and notes."""
    config = config or Config()
    files = list(files)
    project = project or Project(load_module, project_roots(f.path for f in files))
    return sort_findings(
        {
            finding
            for source_file in files
            for finding in check_file(source_file, project, log).findings
            if config.reports(finding.code)
        }
    )


def project_roots(paths: Iterable[str]) -> list[str]:
    """Where a project's own imports are searched besides each file's folder and package."""
    roots: list[str] = []
    for path in paths:
        folder = path if os.path.isdir(path) else os.path.dirname(path) or "."
        for root in (folder, os.path.join(folder, "src")):
            if root not in roots and os.path.isdir(root):
                roots.append(root)
    return roots


def check_paths(paths: Sequence[str], config: Config | None = None) -> list[Finding]:
    """Check files and folders (walked for .py and .ipynb files) as one project; missing
    paths are LG000."""
    config = config or Config()
    found = discover(paths, ExcludeGlobs(config.exclude, config.root))
    missing = [unreadable(path, "no such file or directory") for path in found.missing]
    problems = [unreadable(path, reason) for path, reason in found.unreadable]
    project = Project(load_module, project_roots(paths))
    return sort_findings([*missing, *problems, *check_files(found.files, config, project)])


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda finding: (*finding.sort_key, finding.message))
