"""Per-file check results kept between runs, so that an unchanged file is not analysed again.

One JSON entry per checked file, named by a hash of its path, holds the file's findings and
the key they are valid for: the file's content hash, the tool (logitguard's version and a hash
of its own sources, the Python version), the settings that reach the analysis, the content
hashes of the other files the analysis read (its dependencies), and the files its imports
looked for and did not find (creating one would change what an import finds). Those absent
files are many (each import of an outside package is looked for in every search root) and
shared by most files of a project: they are kept once per run, in one list named by its
hash, that the entries point to. An entry is used only when all of that still holds; anything
else in the folder (a truncated or garbage entry, another version's, one whose checksum does
not match) is ignored and overwritten by the next result.

Entries are written to a temporary file and renamed into place, so concurrent runs sharing a
folder never leave a half-written entry: the last complete write wins.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import json
import os
import re
import secrets
import sys
import time
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import logitguard
from logitguard.config import Config
from logitguard.core.findings import UNREADABLE_CODE, Finding
from logitguard.static.discovery import SourceFile

if TYPE_CHECKING:
    from logitguard.static.checker import FileResult

CACHE_DIR_NAME = ".logitguard_cache"
CACHE_DIR_ENV = "LOGITGUARD_CACHE_DIR"
ENTRY_FORMAT = 2
ENTRIES_FOLDER = "files"
ABSENT_FOLDER = "absent"
# An absent list no lookup has used for this long goes when a run writes a new one (its
# entries, if any are left, are analysed again).
ABSENT_LIST_DAYS = 30
# Config fields applied after the analysis (or before it, to choose files): they do not change
# a file's findings, so they stay out of the key and changing them keeps the cache warm. Any
# other field, including one added later, is part of the key.
POST_ANALYSIS_FIELDS = frozenset(
    {"select", "ignore", "exclude", "format", "strict", "root", "source"}
)
# Markers that make the folder ignored by git and by backup tools (https://bford.info/cachedir/).
FOLDER_MARKERS = {
    ".gitignore": "# Created by logitguard.\n*\n",
    "CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by logitguard.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n",
}


class InvalidEntry(ValueError):
    """A cache entry that cannot be trusted."""


def content_hash(path: str) -> str | None:
    """SHA-256 of the file's bytes; None when it cannot be read (gone, a folder, no access)."""
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


# What stands for a file's content while it is unchanged: size, modification time, inode.
Stamp = tuple[int, int, int]
# A file modified this shortly before it was hashed could change again within the same
# timestamp tick, unseen: its stamp is not recorded then (git's "racy clean" rule).
RACY_NS = 2_000_000_000


def stamp_of(path: str) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino


def settled_stamp(path: str) -> Stamp | None:
    """The file's stamp, unless it was modified too recently to stand for its content."""
    stamp = stamp_of(path)
    if stamp is None or stamp[1] > time.time_ns() - RACY_NS:
        return None
    return stamp


class FileHashes:
    """Content hashes computed at most once per file in one run, with the stamps they go with.

    A file whose stamp is the one recorded with its hash in a cache entry is not read again.
    """

    def __init__(self) -> None:
        self._known: dict[str, tuple[str | None, Stamp | None]] = {}
        self._absolute: dict[str, str] = {}
        # Per list of files that imports looked for (by name): whether none of them exists.
        self.absent_lists: dict[str, bool] = {}

    def absolute(self, path: str) -> str:
        """`absolute(path)`, computed once per path in a run."""
        found = self._absolute.get(path)
        if found is None:
            found = self._absolute[path] = absolute(path)
        return found

    def of(self, path: str) -> str | None:
        return self.of_absolute(self.absolute(path))

    def of_absolute(self, path: str) -> str | None:
        if path not in self._known:
            # Stamped before reading: a change while reading leaves a stamp that will not match.
            stamp = settled_stamp(path)
            digest = content_hash(path)
            self._known[path] = (digest, None if digest is None else stamp)
        return self._known[path][0]

    def stamp(self, path: str) -> Stamp | None:
        """The stamp `path`'s hash was computed under, if it can stand for the content later."""
        return self._known.get(self.absolute(path), (None, None))[1]

    def trust(self, path: str, digest: str, stamp: Stamp) -> None:
        """Take `digest` as the hash of `path` if the file's stamp is still `stamp`."""
        if path not in self._known and stamp_of(path) == stamp:
            self._known[path] = (digest, stamp)


def absolute(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


@functools.cache
def tool_fingerprint() -> str:
    """logitguard's version, a hash of its own sources (edits in a checkout count), Python's."""
    package = Path(logitguard.__file__).parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes() + b"\0")
    python = f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}"
    return f"{logitguard.__version__}/{python}/{digest.hexdigest()[:16]}"


def settings_fingerprint(config: Config, search_roots: Sequence[str] = ()) -> str:
    """A hash of the configuration fields and the import search roots that reach the analysis
    of a file."""
    settings = {
        field.name: repr(getattr(config, field.name))
        for field in dataclasses.fields(config)
        if field.name not in POST_ANALYSIS_FIELDS
    }
    if search_roots:
        settings["search roots"] = repr(list(search_roots))
    return _digest(settings)


def default_folder(config: Config, paths: list[str]) -> Path:
    """$LOGITGUARD_CACHE_DIR, else .logitguard_cache in the project's root folder.

    The root is the folder of the pyproject.toml configuring logitguard, else the nearest
    folder holding a pyproject.toml or .git above the checked paths, else their common folder.
    """
    from_environment = os.environ.get(CACHE_DIR_ENV)
    if from_environment:
        return Path(from_environment)
    if config.source is not None:
        return config.root / CACHE_DIR_NAME
    from logitguard.config import common_folder

    start = common_folder(paths)
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file() or (folder / ".git").exists():
            return folder / CACHE_DIR_NAME
    return start / CACHE_DIR_NAME


def cacheable(result: FileResult) -> bool:
    """LG000 results (unreadable file, internal error, too deep to analyse) are never kept:
    they may say more about this run than about the file."""
    return not any(finding.code == UNREADABLE_CODE for finding in result.findings)


@dataclasses.dataclass(frozen=True)
class Stored:
    """A file's findings as an entry keeps them: with the content hash they were found for,
    the dependencies' hashes and the file's stamp."""

    source_file: SourceFile
    content: str
    findings: Sequence[Finding]
    dependency_hashes: Mapping[str, str | None]
    stamp: Stamp | None = None


class Cache:
    """The results of one configuration of the tool, in `folder`."""

    def __init__(
        self,
        folder: Path,
        config: Config,
        *,
        tool: str | None = None,
        search_roots: Sequence[str] = (),
    ) -> None:
        """`search_roots`: where the run searches the project's imports (a file's result
        depends on them: checking a folder finds packages that its subfolders' files import)."""
        self.folder = Path(folder)
        self.tool = tool or tool_fingerprint()
        self.settings = settings_fingerprint(config, [absolute(root) for root in search_roots])
        self.invalid_entries = 0  # entries found corrupt, foreign or inconsistent (then replaced)
        self.write_error: OSError | None = None  # set on the first failed write; writes stop
        self._entries = os.path.join(self.folder, ENTRIES_FOLDER)
        self._absent = os.path.join(self.folder, ABSENT_FOLDER)
        self._prepared = False

    def entry_path(self, source_file: SourceFile) -> Path:
        return Path(self._entry_path(source_file.path, absolute(source_file.path)))

    def _entry_path(self, path: str, absolute_path: str) -> str:
        name = hashlib.sha256(f"{absolute_path}\0{path}".encode()).hexdigest()
        return os.path.join(self._entries, f"{name[:40]}.json")

    def lookup(self, source_file: SourceFile, hashes: FileHashes) -> list[Finding] | None:
        """The file's findings if a valid entry for its present content and dependencies
        exists. `hashes` keeps the contents hashed on the way, for other lookups."""
        return self.lookup_all([source_file], hashes)[0]

    def lookup_all(
        self, files: Sequence[SourceFile], hashes: FileHashes
    ) -> list[list[Finding] | None]:
        """`lookup` for each file; all entries are read first, so that every file whose stamp
        is unchanged is trusted before any is hashed as another file's dependency."""
        located = [(source_file, hashes.absolute(source_file.path)) for source_file in files]
        entries = []
        for source_file, absolute_path in located:
            entry = self._read(self._entry_path(source_file.path, absolute_path))
            if entry is not None and entry["stamp"] is not None:
                hashes.trust(absolute_path, entry["key"]["content"], tuple(entry["stamp"]))
            entries.append(entry)
        return [
            self._valid_findings(source_file, absolute_path, entry, hashes)
            for (source_file, absolute_path), entry in zip(located, entries, strict=True)
        ]

    def _valid_findings(
        self,
        source_file: SourceFile,
        absolute_path: str,
        entry: dict[str, Any] | None,
        hashes: FileHashes,
    ) -> list[Finding] | None:
        if entry is None:
            return None
        content = hashes.of_absolute(absolute_path)
        if content is None:
            return None
        if entry["key"] != self._key(source_file, absolute_path, content):
            return None  # another version, other settings, or the file changed
        if not _dependencies_unchanged(entry["dependencies"], hashes):
            return None
        if entry["absent"] is not None and not self._none_there_now(entry["absent"], hashes):
            return None
        stamp = hashes.stamp(absolute_path)
        if entry["stamp"] is None and stamp is not None:
            # Hashed too soon after a change last time; now settled, the stamp can stand in.
            stored = Stored(source_file, content, entry["findings"], entry["dependencies"], stamp)
            self._write(stored, absolute_path, entry["absent"])
        return entry["findings"]

    def _none_there_now(self, name: str, hashes: FileHashes) -> bool:
        """Whether none of the files of the absent list `name` exists (read once per run)."""
        if name not in hashes.absent_lists:
            paths = self._read_absent(name)
            hashes.absent_lists[name] = paths is not None and all(
                hashes.of(path) is None for path in paths
            )
            if paths is not None:
                with contextlib.suppress(OSError):  # in use: kept by `_prune_absent_lists`
                    os.utime(os.path.join(self._absent, f"{name}.json"))
        return hashes.absent_lists[name]

    def _read_absent(self, name: str, counted: bool = True) -> list[str] | None:
        """The absent list `name`; None when gone or damaged (`counted` as invalid then)."""
        try:
            with open(os.path.join(self._absent, f"{name}.json"), "rb") as stream:
                data = stream.read()
        except OSError:
            return None  # gone: the entries pointing to it are checked again
        layout = _ENTRY_LAYOUT.fullmatch(data)
        paths = None
        if layout is not None and layout[1].decode() == _checksum(layout[2]) == name:
            with contextlib.suppress(ValueError):
                paths = json.loads(layout[2])
        if isinstance(paths, list) and all(isinstance(path, str) for path in paths):
            return paths
        if counted:
            self.invalid_entries += 1
        return None

    def _read(self, path: str) -> dict[str, Any] | None:
        """The entry at `path` with its findings decoded; None if absent or not trustworthy."""
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except OSError:
            return None  # no entry yet (or unreadable: it will be rewritten)
        try:
            entry = _verified(data)
            entry["findings"] = [_finding(item) for item in entry["findings"]]
        except (InvalidEntry, ValueError, KeyError, TypeError, AttributeError):
            self.invalid_entries += 1
            return None
        return entry

    def store(
        self,
        source_file: SourceFile,
        content: str,
        result: FileResult,
        dependency_hashes: Mapping[str, str | None],
        stamp: Stamp | None = None,
        absent: Iterable[str] = (),
    ) -> None:
        """Keep `result`, found for the file's `content` hash, unless it must not be trusted.

        `dependency_hashes`: the files the analysis read, with the content hashes it read;
        `absent`: the files its imports looked for and did not find; `stamp`: the file's stamp
        when `content` was hashed, if it can stand for the content.
        """
        stored = Stored(source_file, content, result.findings, dependency_hashes, stamp)
        self.store_all([(stored, result)], absent)

    def store_all(
        self, results: Sequence[tuple[Stored, FileResult]], absent: Iterable[str]
    ) -> None:
        """Keep each result (as `store`) that can be trusted, all pointing to one list of
        `absent`, the files the run's imports looked for and did not find: an entry then holds
        while none of them exists, a few more than its own imports looked for."""
        if self.write_error is not None:
            return
        kept = [
            stored
            for stored, result in results
            if cacheable(result)
            # Else a dependency changed while it was read, or was not read through the project.
            and all(digest is not None for digest in stored.dependency_hashes.values())
        ]
        if not kept:
            return
        absent_files = sorted({absolute(path) for path in absent})
        name = self._write_absent(absent_files) if absent_files else None
        for stored in kept:
            self._write(stored, absolute(stored.source_file.path), name)

    def _write_absent(self, paths: list[str]) -> str | None:
        """The absent list's name (its checksum), written unless already there."""
        body = json.dumps(paths, separators=(",", ":"))
        name = _checksum(body.encode())
        path = os.path.join(self._absent, f"{name}.json")
        try:
            self._prepare()
            if self._read_absent(name, counted=False) is None:  # not there yet, or damaged
                _write_atomically(path, f'{{"checksum":"{name}","entry":{body}}}')
                self._prune_absent_lists()
        except OSError as error:
            self.write_error = error
            return None
        return name

    def _prune_absent_lists(self) -> None:
        """Remove the absent lists unused for `ABSENT_LIST_DAYS`: each run that analyses files
        writes one (the same one again when its files import the same)."""
        cutoff = time.time() - ABSENT_LIST_DAYS * 86400
        with os.scandir(self._absent) as found:
            for item in found:
                with contextlib.suppress(OSError):
                    if item.stat().st_mtime < cutoff:
                        os.remove(item.path)

    def _write(self, stored: Stored, absolute_path: str, absent: str | None) -> None:
        if self.write_error is not None:
            return
        body = json.dumps(
            {
                "format": ENTRY_FORMAT,
                "key": self._key(stored.source_file, absolute_path, stored.content),
                "stamp": stored.stamp,
                "dependencies": dict(sorted(stored.dependency_hashes.items())),
                "absent": absent,
                "findings": [finding.to_dict() for finding in stored.findings],
            },
            separators=(",", ":"),
        )
        try:
            self._prepare()
            _write_atomically(
                self._entry_path(stored.source_file.path, absolute_path), _entry_text(body)
            )
        except OSError as error:
            self.write_error = error

    def _key(self, source_file: SourceFile, absolute_path: str, content: str) -> dict[str, str]:
        return {
            "path": source_file.path,
            "absolute": absolute_path,
            "kind": source_file.kind.value,
            "content": content,
            "tool": self.tool,
            "settings": self.settings,
        }

    def _prepare(self) -> None:
        if self._prepared:
            return
        os.makedirs(self._entries, exist_ok=True)
        os.makedirs(self._absent, exist_ok=True)
        for name, text in FOLDER_MARKERS.items():
            marker = os.path.join(self.folder, name)
            if not os.path.exists(marker):
                _write_atomically(marker, text)
        self._prepared = True


def _write_atomically(path: str, text: str) -> None:
    # A name of our own, created with the umask's permissions (mkstemp would make it private).
    name = f".tmp-{os.getpid()}-{secrets.token_hex(8)}"
    temporary = os.path.join(os.path.dirname(path), name)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


def _digest(data: object) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


# An entry is `{"checksum":"<sha256 of BODY>","entry":BODY}`: valid JSON, checked without
# encoding anything again.
_ENTRY_LAYOUT = re.compile(rb'\{"checksum":"([0-9a-f]{64})","entry":(.*)\}', re.DOTALL)


def _checksum(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _entry_text(body: str) -> str:
    return f'{{"checksum":"{_checksum(body.encode())}","entry":{body}}}'


def _verified(data: bytes) -> dict[str, Any]:
    layout = _ENTRY_LAYOUT.fullmatch(data)
    if layout is None or layout[1].decode() != _checksum(layout[2]):
        raise InvalidEntry("not a logitguard cache entry, or a damaged one")
    body = layout[2]
    entry = json.loads(body)
    if not isinstance(entry, dict) or set(entry) != _ENTRY_FIELDS:
        raise InvalidEntry("not a logitguard cache entry")
    if entry["format"] != ENTRY_FORMAT:
        raise InvalidEntry(f"entry format {entry['format']!r}")
    if not isinstance(entry["dependencies"], dict) or not isinstance(entry["findings"], list):
        raise InvalidEntry("malformed entry")
    if entry["absent"] is not None and not isinstance(entry["absent"], str):
        raise InvalidEntry("malformed list of absent files")
    stamp = entry["stamp"]
    if stamp is not None and not (
        isinstance(stamp, list) and len(stamp) == 3 and all(isinstance(n, int) for n in stamp)
    ):
        raise InvalidEntry("malformed stamp")
    if not isinstance(entry["key"], dict) or not isinstance(entry["key"].get("content"), str):
        raise InvalidEntry("malformed key")
    return entry


def _dependencies_unchanged(dependencies: dict[str, Any], hashes: FileHashes) -> bool:
    return all(hashes.of(path) == digest for path, digest in dependencies.items())


_ENTRY_FIELDS = {"format", "key", "stamp", "dependencies", "absent", "findings"}


def _finding(data: Any) -> Finding:
    return typing.cast(Finding, _decode(Finding, data))


def _decode(kind: Any, data: Any) -> Any:
    """`data` (as `dataclasses.asdict` and JSON left it) back into a value of type `kind`:
    dataclasses field by field (exactly their fields), enums by value, tuples, optionals."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in typing.get_args(kind):
            return None
        [option] = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _decode(option, data)
    if origin is tuple:
        item, ellipsis = typing.get_args(kind)
        if ellipsis is not Ellipsis or not isinstance(data, list):
            raise InvalidEntry(f"expected a list for {kind}")
        return tuple(_decode(item, element) for element in data)
    if dataclasses.is_dataclass(kind):
        hints = _field_types(kind)
        if not isinstance(data, dict) or set(data) != set(hints):
            raise InvalidEntry(f"expected the fields of {kind.__name__}")
        return kind(**{name: _decode(hints[name], data[name]) for name in hints})
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(data)  # ValueError for an unknown value
    if kind in (str, int) and type(data) is kind:
        return data
    raise InvalidEntry(f"expected {kind}, found {type(data).__name__}")


@functools.cache
def _field_types(kind: type) -> dict[str, Any]:
    hints = typing.get_type_hints(kind)
    return {field.name: hints[field.name] for field in dataclasses.fields(kind)}
