"""Turn the PATH arguments of `logitguard check` into the files to check, in a stable order.

Folders are walked recursively for Python files and notebooks, skipping what is never the
user's own code (hidden folders, virtual environments, caches, installed packages). Saved Keras
models are checked only when named explicitly: loading one needs Keras and takes seconds.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class FileKind(Enum):
    PYTHON = "python"
    NOTEBOOK = "notebook"
    SAVED_MODEL = "saved model"


NOTEBOOK_SUFFIX = ".ipynb"
SAVED_MODEL_SUFFIXES = (".keras", ".h5")
SKIPPED_FOLDERS = frozenset(
    {"__pycache__", "node_modules", "site-packages", "dist-packages", "venv"}
)
_VENV_MARKER = "pyvenv.cfg"


@dataclass(frozen=True)
class SourceFile:
    path: str  # as the user will see it: the argument, joined with the walked names
    kind: FileKind


@dataclass(frozen=True)
class Discovery:
    files: list[SourceFile]
    missing: list[str]  # arguments that name nothing on disk


def kind_of(path: str) -> FileKind:
    lowered = path.lower()
    if lowered.endswith(NOTEBOOK_SUFFIX):
        return FileKind.NOTEBOOK
    if lowered.endswith(SAVED_MODEL_SUFFIXES):
        return FileKind.SAVED_MODEL
    return FileKind.PYTHON


class ExcludeGlobs:
    """Glob patterns matched against a path relative to `root`, and against each of its parts.

    `build` excludes any file or folder named build; `legacy/*.py` the Python files in
    root/legacy (and below: `*` crosses `/` as in fnmatch); `*_pb2.py` generated modules.
    """

    def __init__(self, patterns: Sequence[str], root: Path) -> None:
        self.patterns = tuple(pattern.rstrip("/") for pattern in patterns if pattern.strip())
        self.root = root.resolve()

    def excludes(self, path: str) -> bool:
        if not self.patterns:
            return False
        absolute = Path(os.path.abspath(path))
        try:
            relative = absolute.relative_to(self.root).as_posix()
        except ValueError:
            relative = absolute.as_posix()
        candidates = (relative, absolute.name)
        return any(
            fnmatch.fnmatch(candidate, pattern)
            for pattern in self.patterns
            for candidate in candidates
        )


def discover(paths: Iterable[str], exclude: ExcludeGlobs | None = None) -> Discovery:
    exclude = exclude or ExcludeGlobs((), Path.cwd())
    files: list[SourceFile] = []
    missing: list[str] = []
    seen: set[str] = set()
    for argument in paths:
        if os.path.isdir(argument):
            found: Iterable[SourceFile] = _walk(argument, exclude)
        elif os.path.isfile(argument):
            excluded = exclude.excludes(argument)
            found = [] if excluded else [SourceFile(argument, kind_of(argument))]
        else:
            missing.append(argument)
            continue
        for source_file in found:
            key = os.path.normcase(os.path.abspath(source_file.path))
            if key not in seen:
                seen.add(key)
                files.append(source_file)
    return Discovery(files=files, missing=missing)


def _walk(folder: str, exclude: ExcludeGlobs) -> Iterator[SourceFile]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return  # unreadable folder: nothing in it can be checked, and nothing to report on
    for entry in entries:
        path = os.path.join(folder, entry.name) if folder != "." else entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError:
            continue
        if is_dir:
            if not _skipped_folder(entry) and not exclude.excludes(path):
                yield from _walk(path, exclude)
        elif (
            is_file and entry.name.endswith((".py", NOTEBOOK_SUFFIX)) and not exclude.excludes(path)
        ):
            yield SourceFile(path, kind_of(path))


def _skipped_folder(entry: os.DirEntry[str]) -> bool:
    return (
        entry.name.startswith(".")
        or entry.name in SKIPPED_FOLDERS
        or os.path.exists(os.path.join(entry.path, _VENV_MARKER))
    )
