"""Check files, notebooks and whole runs: read each file, check its source (`sources`) as part
of one project, and collect the findings.

Every file is checked on its own: whatever goes wrong with one (undecodable bytes, a syntax
error, code nested too deeply, a bug in a front end) becomes an LG000 finding for that file and
the run goes on with the next.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from logitguard.atomic_write import fingerprint
from logitguard.config import Config
from logitguard.core.findings import Finding, unreadable
from logitguard.static import notebooks
from logitguard.static.check_log import CheckLog
from logitguard.static.discovery import (
    ExcludeGlobs,
    FileKind,
    SourceFile,
    discover,
    project_roots,
)
from logitguard.static.engine.project import Project
from logitguard.static.sources import (
    Skipped,
    Unparsable,
    check_source,
    check_tree,
    decode_source,
    load_module,
    parse,
    read_bytes,
    read_source,
    sort_findings,
)

__all__ = [
    "CheckLog",
    "FileResult",
    "Skipped",
    "Unparsable",
    "check_file",
    "check_files",
    "check_paths",
    "check_saved_model",
    "check_source",
    "check_tree",
    "checked_in_one_run",
    "collector_paused",
    "load_module",
    "parse",
    "project_roots",
    "read_source",
    "sort_findings",
]

KERAS_EXTRA_HINT = "pip install 'logitguard[keras]'"


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


# Files checked between two collections of the young objects while a run pauses the collector.
YOUNG_COLLECTION_EVERY = 200


def checked_in_one_run(files: Iterable[SourceFile]) -> Iterator[SourceFile]:
    """The files, with the collector paused for the whole run, not file by file.

    A project keeps every file it parsed: re-enabled between files, the collector walks that
    growing heap again and again (half the time of a 3,000-file run). Paused throughout, it
    collects only the young objects now and then, which frees the cycles an analysis leaves
    behind; what the project holds is freed when the run is over.
    """
    with collector_paused():
        for index, source_file in enumerate(files, 1):
            yield source_file
            if index % YOUNG_COLLECTION_EVERY == 0:
                gc.collect(1)


def check_file(
    source_file: SourceFile,
    project: Project | None = None,
    log: CheckLog | None = None,
    *,
    dependencies: bool = False,
) -> FileResult:
    """The findings of one file, with what it imports from `project` followed; `log` (if given)
    records what was read and what was skipped. With `dependencies` (what a cache needs), the
    result also names the other files the analysis read (what the imports missed is the
    project's: `Project.missed_files`)."""
    with collector_paused():
        findings = _check_file(source_file, project, log if log is not None else CheckLog())
    if not dependencies or project is None or source_file.kind is FileKind.SAVED_MODEL:
        return FileResult(findings)
    try:
        module = project.module_at(source_file.path)
        if module is None:
            return FileResult(findings)
        read = project.dependencies(module)
    except Exception as error:  # a bug of ours: reported, and the result is never cached
        reason = f"internal error following its imports ({type(error).__name__}: {error})"
        return FileResult([*findings, unreadable(source_file.path, reason)])
    return FileResult(findings, read)


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
            for source_file in checked_in_one_run(files)
            for finding in check_file(source_file, project, log).findings
            if config.reports(finding.code)
        }
    )


def check_paths(paths: Sequence[str], config: Config | None = None) -> list[Finding]:
    """Check files and folders (walked for .py and .ipynb files) as one project; missing
    paths are LG000."""
    config = config or Config()
    found = discover(paths, ExcludeGlobs(config.exclude, config.root))
    missing = [unreadable(path, "no such file or directory") for path in found.missing]
    problems = [unreadable(path, reason) for path, reason in found.unreadable]
    files = [source_file.path for source_file in found.files]
    project = Project(load_module, project_roots([*paths, *files]))
    return sort_findings([*missing, *problems, *check_files(found.files, config, project)])
