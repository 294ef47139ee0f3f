"""Turn the PATH arguments of `logitguard check` into the files to check, in a stable order.

Folders are walked recursively for Python files and notebooks, skipping what is never the
user's own code (hidden folders, virtual environments, caches, installed packages). Saved Keras
models are checked only when named explicitly: loading one needs Keras and takes seconds.
An argument that cannot be read as a file or folder (a symbolic link loop, a named pipe, a
device) is reported for itself, and is never opened: reading a pipe would block the run.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
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
    # Arguments that exist but cannot be checked, with the reason (a FIFO, a symlink loop).
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    # Why arguments that name files gave nothing to check (all excluded by the configuration).
    notes: list[str] = field(default_factory=list)


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
    found = Discovery(files=[], missing=[])
    seen: set[str] = set()
    for argument in paths:
        kind = _kind_of_argument(argument)
        if kind == "folder":
            excluded: list[str] = []
            candidates: Iterable[SourceFile] = list(_walk(argument, exclude, excluded))
            if excluded and not candidates:
                found.notes.append(
                    f"{argument}: not checked: its {len(excluded)} Python file(s) and notebook(s) "
                    "are all excluded by the configuration (exclude)"
                )
        elif kind == "file":
            if exclude.excludes(argument):
                found.notes.append(
                    f"{argument}: not checked: excluded by the configuration (exclude)"
                )
                continue
            candidates = [SourceFile(argument, kind_of(argument))]
        elif kind == "missing":
            found.missing.append(argument)
            continue
        else:
            found.unreadable.append((argument, kind))
            continue
        for source_file in candidates:
            key = os.path.normcase(os.path.abspath(source_file.path))
            if key not in seen:
                seen.add(key)
                found.files.append(source_file)
    return found


def _kind_of_argument(path: str) -> str:
    """What `path` names: "file", "folder", "missing", or why it cannot be checked."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "it is a broken symbolic link" if os.path.islink(path) else "missing"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "it is a symbolic link loop"
        return f"it cannot be read ({error.strerror or error})"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    for test, what in _SPECIAL_FILES:
        if test(mode):
            return f"it is {what}, not a regular file"
    return "it is not a regular file"


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _walk(folder: str, exclude: ExcludeGlobs, excluded: list[str]) -> Iterator[SourceFile]:
    """The Python files and notebooks under `folder`; those excluded go to `excluded`."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return  # unreadable folder: nothing in it can be checked, and nothing to report on
    for entry in entries:
        path = os.path.join(folder, entry.name) if folder != "." else entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()  # False for pipes, devices, broken links, link loops
        except OSError:
            continue
        if is_dir:
            if not _skipped_folder(entry) and not exclude.excludes(path):
                yield from _walk(path, exclude, excluded)
        elif is_file and entry.name.endswith((".py", NOTEBOOK_SUFFIX)):
            if exclude.excludes(path):
                excluded.append(path)
            else:
                yield SourceFile(path, kind_of(path))


def _skipped_folder(entry: os.DirEntry[str]) -> bool:
    return (
        entry.name.startswith(".")
        or entry.name in SKIPPED_FOLDERS
        or os.path.exists(os.path.join(entry.path, _VENV_MARKER))
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
