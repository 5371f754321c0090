"""New files for a staged site: each created exclusively (never written into a file that exists,
which may be the live site's own), or made a hard link to the live site's file when that holds
exactly the same bytes, checked on the linked name so that the bytes checked are the ones linked."""

from __future__ import annotations

import os
import stat

from ..core.packed import Packed, matches, size_of, unpacked

NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOSE_ON_EXEC = getattr(os, "O_CLOEXEC", 0)


def link_or_create(path: str, data: bytes | Packed, old: str) -> None:
    """Make the new file `path` hold `data` (bytes, or packed ones): a hard link to the live site's file `old` ("" for none)
    when that is a regular file with exactly these bytes, else a file written anew."""
    if old:
        try:
            os.link(old, path, follow_symlinks=False)
        except OSError:  # another file system, a system without hard links, too many links
            pass
        else:
            if holds_regular(path, data):
                return
            os.unlink(path)
    create(path, data)


def holds_regular(path: str, data: bytes | Packed) -> bool:
    """Whether `path` is a regular file (not a link to one) with exactly the bytes `data` (by their digest, when packed)."""
    try:
        handle = os.open(path, os.O_RDONLY | NO_FOLLOW | CLOSE_ON_EXEC)
    except OSError:
        return False
    with os.fdopen(handle, "rb") as stream:
        return stat.S_ISREG(os.fstat(handle).st_mode) and matches(data, stream.read(size_of(data) + 1))


def create(path: str, data: bytes | Packed) -> None:
    """Write a new file at `path`: refused if anything is there already, so that no write ever goes
    into a file shared with the live site, or through a link."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW | CLOSE_ON_EXEC, 0o666)
    with os.fdopen(handle, "wb") as stream:
        stream.write(unpacked(data))


class LiveFiles:
    """Where the live site's copy of an output is, for a new file to be linked to: only files reached
    through real folders (no symbolic link on the way), each folder looked at once, when first needed."""

    def __init__(self, folder: str) -> None:
        self.folder = folder  # "" when there is no live site
        self._real: dict[str, bool] = {"": bool(folder)}

    def path(self, relative: str) -> str:
        """The live site's file at `relative`, or "" when it cannot be one of its files."""
        return os.path.join(self.folder, relative) if self._is_real_folder(relative.rpartition("/")[0]) else ""

    def _is_real_folder(self, relative: str) -> bool:
        known = self._real.get(relative)
        if known is None:
            known = self._is_real_folder(relative.rpartition("/")[0]) and _is_folder_not_link(os.path.join(self.folder, relative))
            self._real[relative] = known
        return known


def _is_folder_not_link(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False
