"""Check many files fast: results from the cache where still valid, the rest over processes.

Files are analysed in chunks by worker processes started from a fork server that imports only
logitguard's static checker (never TensorFlow, PyTorch or JAX, whatever the calling process
has loaded), or in this process when `jobs` is 1 or too few files are left to repay starting
workers. Saved models are loaded in this process: that needs Keras. The findings are the same,
and in the same order, whatever the number of jobs and whether the cache was used.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from logitguard.config import Config
from logitguard.core.findings import Finding
from logitguard.static.cache import Cache, FileHashes, absolute, content_hash
from logitguard.static.discovery import FileKind, SourceFile

if TYPE_CHECKING:
    from types import ModuleType

    from logitguard.static.checker import FileResult
    from logitguard.static.module import ParsedModule

# Below this many files per worker, starting workers costs more than it saves.
MIN_FILES_PER_WORKER = 32
# Chunks per worker: enough for an even finish, few enough that messaging costs nothing.
CHUNKS_PER_WORKER = 32


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Outcome:
    """A file's result, with the content hashes an entry for it needs (when caching)."""

    result: FileResult
    # Of the file as its analysis read it: None without a cache, or if it changed meanwhile.
    content_hash: str | None = None
    dependency_hashes: dict[str, str | None] = field(default_factory=dict)


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
) -> RunResult:
    """Check `files` with up to `jobs` processes, reusing and filling `cache` if given."""
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
            else:
                findings_by_file[index] = findings
                stats.from_cache += 1
    if pending:
        # The project's import search roots, as the checker sets them for the same files.
        roots = _checker_module().project_roots(source_file.path for source_file in files)
        pending_files = [files[index] for index in pending]
        outcomes, stats.workers = analyse(pending_files, jobs, cache is not None, roots)
    else:
        outcomes = []
    for index, outcome in zip(pending, outcomes, strict=True):
        source_file = files[index]
        findings_by_file[index] = outcome.result.findings
        stats.analysed.append(source_file.path)
        if cache is not None and _consistent(source_file, outcome, hashes):
            stamp = hashes.stamp(source_file.path)
            content = outcome.content_hash
            cache.store(source_file, content, outcome.result, outcome.dependency_hashes, stamp)
    for index in saved_models:
        findings_by_file[index] = _checker_module().check_file(files[index]).findings
        stats.analysed.append(files[index].path)
    # A finding found from two files (a loss in one, its model in another) is reported once.
    unique = {
        finding
        for index in sorted(findings_by_file)
        for finding in findings_by_file[index]
        if config.reports(finding.code)
    }
    # The order of checker.sort_findings, without importing the checker when all was cached.
    findings = sorted(unique, key=lambda finding: (*finding.sort_key, finding.message))
    return RunResult(findings, stats)


def _consistent(source_file: SourceFile, outcome: Outcome, hashes: FileHashes) -> bool:
    """Whether the contents the analysis read are those this run saw before it (the file)
    and after it (its dependencies): else a file changed during the run, and the result may
    not match any content. This run's own hashes are the ones the cache entry will use."""
    content = hashes.of(source_file.path)
    return (
        content is not None
        and content == outcome.content_hash
        and all(
            digest is not None and hashes.of(path) == digest
            for path, digest in outcome.dependency_hashes.items()
        )
    )


def analyse(
    files: Sequence[SourceFile], jobs: int, hashing: bool, roots: Sequence[str]
) -> tuple[list[Outcome], int]:
    """Each file's outcome, in order, and the number of processes that worked on them."""
    workers = min(jobs, len(files) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        return analyse_chunk(files, hashing, roots), 1
    size = -(-len(files) // (workers * CHUNKS_PER_WORKER))
    chunks = [list(files[start : start + size]) for start in range(0, len(files), size)]
    pool = worker_pool(workers)
    try:
        futures = [pool.submit(analyse_chunk, chunk, hashing, roots) for chunk in chunks]
        outcomes = [outcome for future in futures for outcome in future.result()]
    finally:
        pool.shutdown(cancel_futures=True)
    return outcomes, workers


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
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def analyse_chunk(
    files: Sequence[SourceFile], hashing: bool, roots: Sequence[str] = ()
) -> list[Outcome]:
    """Check each file, following imports into the project's files (`roots` as the checker's
    `project_roots`). With `hashing`, each outcome carries the hashes of the contents its
    analysis read: of the file, hashed before and after its analysis, and of each dependency,
    hashed before and after it was parsed (None where they differ: it changed meanwhile)."""
    checker = _checker_module()
    from logitguard.static.engine.project import Project

    if not hashing:
        project = Project(checker.load_module, roots)
        return [Outcome(checker.check_file(source_file, project)) for source_file in files]
    read: dict[str, str | None] = {}  # absolute path -> hash of the content the project holds

    def load_and_hash(path: str) -> ParsedModule | None:
        before = content_hash(path)
        module = checker.load_module(path)
        read[absolute(path)] = before if content_hash(path) == before else None
        return module

    project = Project(load_and_hash, roots)
    outcomes = []
    for source_file in files:
        before = content_hash(source_file.path)
        result = checker.check_file(source_file, project)
        after = content_hash(source_file.path)
        read[absolute(source_file.path)] = before if before == after else None
        dependency_hashes = {absolute(path): None for path in result.dependencies}
        for path in dependency_hashes:
            dependency_hashes[path] = read[path] if path in read else content_hash(path)
        outcomes.append(Outcome(result, read[absolute(source_file.path)], dependency_hashes))
    return outcomes
