"""Check many files fast: results from the cache where still valid, the rest over processes.

Files are analysed in chunks by worker processes started from a fork server that imports only
logitguard's static checker (never TensorFlow, PyTorch or JAX, whatever the calling process
has loaded), or in this process when `jobs` is 1 or too few files are left to repay starting
workers, which hand back what the cache may keep: this process writes it, one entry per file
and one list of the files the run's imports looked for and missed. Saved models are
loaded in this process: that needs Keras. The findings are the same, and in the same order,
whatever the number of jobs and whether the cache was used.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from logitguard.config import Config
from logitguard.core.findings import Finding
from logitguard.static.cache import (
    Cache,
    FileHashes,
    Stored,
    absolute,
    content_hash,
    settled_stamp,
)
from logitguard.static.check_log import CheckLog
from logitguard.static.discovery import FileKind, SourceFile, project_roots

if TYPE_CHECKING:
    from types import ModuleType

    from logitguard.static.checker import FileResult
    from logitguard.static.engine.module import ParsedModule
    from logitguard.static.engine.project import Project

# Below this many files per worker, starting workers costs more than it saves.
MIN_FILES_PER_WORKER = 32
# Chunks per worker: enough for an even finish. A worker keeps its project from one chunk to
# the next; before it did, keras-hub (1,329 files, one package) with 2 workers took 16 s in 32
# chunks and 10 s in 4, each chunk reading the package's shared imports again.
CHUNKS_PER_WORKER = 4


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class RunStats:
    analysed: list[str] = field(default_factory=list)  # the paths analysed, not from the cache
    from_cache: int = 0
    workers: int = 1  # processes that analysed files (1: this process)


@dataclass(frozen=True)
class RunResult:
    findings: list[Finding]
    stats: RunStats


def check_files(
    files: Sequence[SourceFile],
    config: Config | None = None,
    *,
    jobs: int = 1,
    cache: Cache | None = None,
    log: CheckLog | None = None,
    paths: Sequence[str] | None = None,
) -> RunResult:
    """Check `files` with up to `jobs` processes, reusing and filling `cache` if given; `log`
    (if given) gets the fingerprint of every file's content and the notes on skipped files,
    as the checker's `check_files` gives them. The project's imports are searched from the
    folders of `paths`, the files and folders the user named, and of each file (any of them
    may be the script Python runs, whose folder it puts on the path), as the checker's
    `check_paths` does."""
    config = config or Config()
    stats = RunStats()
    hashes = FileHashes()
    findings_by_file: dict[int, list[Finding]] = {}
    saved_models = [i for i, file in enumerate(files) if file.kind is FileKind.SAVED_MODEL]
    sources = [i for i, file in enumerate(files) if file.kind is not FileKind.SAVED_MODEL]
    pending: list[int] = []
    if cache is None:
        pending = sources
    else:
        cached = cache.lookup_all([files[index] for index in sources], hashes)
        for index, findings in zip(sources, cached, strict=True):
            if findings is None:
                pending.append(index)
                continue
            findings_by_file[index] = findings
            stats.from_cache += 1
            content = hashes.of(files[index].path)  # what the entry was checked against
            if log is not None and content is not None:
                log.fingerprints[files[index].path] = content  # the same SHA-256
    if pending:
        # The project's import search roots, as the checker sets them for the same files.
        roots = project_roots([*(paths or ()), *(source_file.path for source_file in files)])
        pending_files = [files[index] for index in pending]
        chunk, stats.workers = analyse(pending_files, jobs, roots, cache is not None)
        if cache is not None:
            cache.store_all(chunk.kept, chunk.missed)
        for index, result in zip(pending, chunk.results, strict=True):
            findings_by_file[index] = result.findings
            stats.analysed.append(files[index].path)
        if log is not None:
            log.fingerprints.update(chunk.log.fingerprints)
            log.notes.extend(chunk.log.notes)
    for index in saved_models:
        findings_by_file[index] = _checker_module().check_file(files[index], log=log).findings
        stats.analysed.append(files[index].path)
    # A finding found from two files (a loss in one, its model in another) is reported once.
    unique = {
        finding
        for found in findings_by_file.values()
        for finding in found
        if config.reports(finding.code)
    }
    # The order of checker.sort_findings, without importing the checker when all was cached.
    findings = sorted(unique, key=lambda finding: (*finding.sort_key, finding.message))
    return RunResult(findings, stats)


def analyse(
    files: Sequence[SourceFile], jobs: int, roots: Sequence[str], for_cache: bool
) -> tuple[ChunkResult, int]:
    """The files' results (in order) and log, what of them a cache may keep (`for_cache`),
    and the number of processes that worked on them."""
    workers = min(jobs, len(files) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        return analyse_chunk(files, roots, for_cache), 1
    size = -(-len(files) // (workers * CHUNKS_PER_WORKER))
    chunks = [list(files[start : start + size]) for start in range(0, len(files), size)]
    pool = worker_pool(workers)
    try:
        futures = [pool.submit(analyse_chunk, chunk, roots, for_cache) for chunk in chunks]
        done = [future.result() for future in futures]
    finally:
        pool.shutdown(cancel_futures=True)
    log = CheckLog()
    for chunk in done:
        log.fingerprints.update(chunk.log.fingerprints)
        log.notes.extend(chunk.log.notes)
    return ChunkResult(
        [result for chunk in done for result in chunk.results],
        log,
        [kept for chunk in done for kept in chunk.kept],
        frozenset().union(*(chunk.missed for chunk in done)),
    ), workers


def _checker_module() -> ModuleType:
    """The checker, imported when a file must be analysed: a warm run does without its cost."""
    from logitguard.static import checker

    return checker


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """Processes that have imported the static checker and nothing heavier."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["logitguard.static.checker", __name__])
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_keep_projects_for_the_run
    )


# In a worker process, the project each `analyse_chunk` built, by its roots and whether it
# hashes what it reads: the worker's next chunk reads the same imports (a package most files
# import) without parsing and analysing them again. A worker lives for one run, so nothing
# read is kept past it; this process keeps none (an editor's server checks again and again).
_kept_projects: dict[tuple[tuple[str, ...], bool], tuple[Project, dict[str, str | None]]] | None
_kept_projects = None


def _keep_projects_for_the_run() -> None:
    global _kept_projects
    _kept_projects = {}


def _project(
    checker: ModuleType, roots: Sequence[str], for_cache: bool
) -> tuple[Project, dict[str, str | None]]:
    """The project a chunk's files are checked in, and (for a cache) the hash of each file's
    content as the project read it."""
    from logitguard.static.engine.project import Project

    key = (tuple(roots), for_cache)
    if _kept_projects is not None and key in _kept_projects:
        return _kept_projects[key]
    read: dict[str, str | None] = {}  # absolute path -> hash of the content the project holds

    def load_and_hash(path: str) -> ParsedModule | None:
        before = content_hash(path)
        module = checker.load_module(path)
        read[absolute(path)] = before if content_hash(path) == before else None
        return module

    made = Project(load_and_hash if for_cache else checker.load_module, roots), read
    if _kept_projects is not None:
        _kept_projects[key] = made
    return made


@dataclass(frozen=True)
class ChunkResult:
    results: list[FileResult]
    log: CheckLog
    # For a cache: each result it may keep, and the files the imports looked for and missed.
    kept: list[tuple[Stored, FileResult]] = field(default_factory=list)
    missed: frozenset[str] = frozenset()


def analyse_chunk(
    files: Sequence[SourceFile], roots: Sequence[str] = (), for_cache: bool = False
) -> ChunkResult:
    """Check each file as part of one project (`roots` as discovery's `project_roots`); for a
    cache, with the hashes of the contents each analysis read: the file's own (the fingerprint
    the checker logs), and each dependency's, hashed before and after it was parsed (where
    those differ, it changed meanwhile: the result is not kept). A file the checker skipped
    with a note is not kept, so that the note is given every run."""
    checker = _checker_module()
    log = CheckLog()
    project, read = _project(checker, roots, for_cache)
    if not for_cache:
        results = [
            checker.check_file(source_file, project, log)
            for source_file in checker.checked_in_one_run(files)
        ]
        return ChunkResult(results, log)
    absolute_of = functools.cache(absolute)  # files of the project are each others' dependencies
    results, kept = [], []
    for source_file in checker.checked_in_one_run(files):
        stamp = settled_stamp(source_file.path)  # taken before the file is read
        file_log = CheckLog()
        result = checker.check_file(source_file, project, file_log, dependencies=True)
        content = file_log.fingerprints.get(source_file.path)
        read[absolute(source_file.path)] = content
        if content is not None and not file_log.notes:
            dependencies = {absolute_of(path): None for path in result.dependencies}
            dependencies = {path: read.get(path) for path in dependencies}
            kept.append(
                (Stored(source_file, content, result.findings, dependencies, stamp), result)
            )
        log.fingerprints.update(file_log.fingerprints)
        log.notes.extend(file_log.notes)
        results.append(result)
    return ChunkResult(results, log, kept, project.missed_files())
