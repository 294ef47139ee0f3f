"""Replace a file's contents so that it is never left half-written or overwritten when stale.

The new bytes go to a temporary file in the same folder, are flushed and fsynced, get the
original's permission bits (and owner, where this process may set it), and are then renamed
over the original with `os.replace`, which is atomic on POSIX. Whatever fails before the rename
(a full disk, a size limit, Ctrl-C) leaves the original exactly as it was and removes the
temporary file. Just before the rename the original is read again: if its bytes are no longer
the ones the new contents were computed from, nothing is replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile

TEMPORARY_SUFFIX = ".logitguard-tmp"


class StaleFile(Exception):
    """The file changed after it was read: writing would overwrite someone else's edit."""


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def replace_contents(path: str, data: bytes, expected: str) -> None:
    """Write `data` to `path` if the file still has the contents whose fingerprint is `expected`.

    Raises StaleFile when it does not, OSError when it cannot be written; in both cases the
    file is untouched. A symbolic link stays a link: the file it points to is replaced.
    """
    target = os.path.realpath(path)
    original = os.stat(target)
    if not stat.S_ISREG(original.st_mode):
        raise OSError(f"{path} is not a regular file")
    folder, name = os.path.split(target)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _copy_mode_and_owner(original, temporary)
        if _current_fingerprint(target) != expected:
            raise StaleFile(f"{path} changed after it was checked")
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _current_fingerprint(path: str) -> str:
    with open(path, "rb") as stream:
        return fingerprint(stream.read())


def _copy_mode_and_owner(original: os.stat_result, temporary: str) -> None:
    os.chmod(temporary, stat.S_IMODE(original.st_mode))
    written = os.stat(temporary)
    if (written.st_uid, written.st_gid) != (original.st_uid, original.st_gid):
        # Only a privileged process may give a file away; otherwise it becomes ours.
        with contextlib.suppress(OSError):
            os.chown(temporary, original.st_uid, original.st_gid)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable; not every platform or file system allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
