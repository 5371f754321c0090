"""Verified storage: every file of the build cache, pickles and Jinja's compiled templates alike, is
written by `write_verified` and read back by `read_verified`, into folders readable by their owner alone.

Each file is a header (format, payload length, SHA-256 of the payload and of its label: what it
holds) and the payload, and is read only when it is a regular file owned by the user running the
build, no larger than `MAX_FILE_BYTES`, exactly as long as its header says and matching its digest
under the label asked for; anything else (absent, unreadable, truncated, flipped bytes, a FIFO, a
folder, a file written under another label) is a miss, and the file is removed (`discard`).

The digest guards against damage, not against a malicious writer. Unpickling runs code, so a file
an attacker wrote could run theirs; but whoever can write the user's own cache folder can equally
write the project's templates or the engine itself. A keyed digest would need a secret kept outside
the project (a file to read, to lose and to explain) for no gain against that writer; files owned
by another user are refused instead, and the folder is created private.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import shutil
import stat
import struct
import tempfile
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import jinja2

T = TypeVar("T")

_HEADER = struct.Struct(">16sQ32s")  # format, payload length, SHA-256 of the label and the payload
_MAGIC = b"sitegen-cache-2\n"
_CHUNK = 1 << 20
MAX_FILE_BYTES = 1 << 32  # 4 GiB: a 10,000-page site keeps about 300 MB; anything larger is damage
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _labelled_digest(label: str) -> Any:
    """A SHA-256 that starts with `label` (what the file holds), so a file moved or copied under another name is a miss."""
    data = label.encode("utf-8", "surrogatepass")
    return hashlib.sha256(b"%d:" % len(data) + data)


def _owned(status: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or status.st_uid == getuid()


def read_verified(path: Path, label: str, read: Callable[[BinaryIO], T] = lambda stream: stream.read()) -> T | None:
    """What `read` makes of the payload (default: its bytes) of the cache file at `path`, written by `write_verified`
    with the same `label`; None when there is none, it fails any check or `read` fails on it (then
    whatever is at `path` is removed). The digest is checked in chunks before `read` sees a byte,
    so a large file is never held in memory twice."""
    try:
        status = os.lstat(path)
    except OSError:
        return None  # absent, or the cache folder itself is not there
    if not stat.S_ISREG(status.st_mode):
        discard(path)  # a FIFO, socket or device is never opened: opening one could block
        return None
    try:
        handle = os.open(path, _OPEN_FLAGS)
    except OSError:
        discard(path)
        return None
    with os.fdopen(handle, "rb") as stream:
        value = _read_if_verified(stream, label, read)
    if value is None:
        discard(path)
    return value


def _read_if_verified(stream: BinaryIO, label: str, read: Callable[[BinaryIO], T]) -> T | None:
    try:
        status = os.fstat(stream.fileno())  # the file opened, which may not be the one looked at
        if not stat.S_ISREG(status.st_mode) or not _owned(status) or not _HEADER.size <= status.st_size <= MAX_FILE_BYTES:
            return None
        header = stream.read(_HEADER.size)
        if len(header) != _HEADER.size:
            return None
        magic, length, expected = _HEADER.unpack(header)
        if magic != _MAGIC or _HEADER.size + length != status.st_size or not _digest_matches(stream, label, length, expected):
            return None
        stream.seek(_HEADER.size)
        return read(stream)
    except Exception:  # unreadable, or a verified payload that this engine cannot read back: a miss all the same
        return None


def _digest_matches(stream: BinaryIO, label: str, length: int, expected: bytes) -> bool:
    digest = _labelled_digest(label)
    remaining = length
    while remaining:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            return False  # the file ends early
        digest.update(chunk)
        remaining -= len(chunk)
    return hmac.compare_digest(digest.digest(), expected)


class _DigestingWriter:
    """A binary stream that also feeds what is written to a digest."""

    def __init__(self, stream: Any, digest: Any) -> None:
        self.stream, self.digest, self.length = stream, digest, 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.length += len(data)
        return self.stream.write(data)


def write_verified(path: Path, label: str, dump: Callable[[Any], object]) -> None:
    """Atomically replace `path` by a cache file holding what `dump` writes to the stream it is given.

    Raises OSError when it cannot be written, ValueError when it would exceed `MAX_FILE_BYTES`.
    """
    _make_private_folder(path.parent)
    with _replaced_atomically(path, "wb") as stream:  # readable by its owner alone
        stream.write(bytes(_HEADER.size))
        writer = _DigestingWriter(stream, _labelled_digest(label))
        dump(writer)
        if _HEADER.size + writer.length > MAX_FILE_BYTES:
            raise ValueError(f"cache file larger than {MAX_FILE_BYTES} bytes")
        stream.seek(0)
        stream.write(_HEADER.pack(_MAGIC, writer.length, writer.digest.digest()))


def _make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parent, each readable by its owner alone."""
    missing: list[Path] = []
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(mode=0o700, exist_ok=True)


def write_text_atomically(path: Path, text: str) -> None:
    """Atomically write a small text file (never through a symbolic link left in its place)."""
    with _replaced_atomically(path, "w") as stream:
        stream.write(text)


@contextlib.contextmanager
def _replaced_atomically(path: Path, mode: str) -> Iterator[Any]:
    """A stream to a new file (readable by its owner alone) that replaces `path` once the block
    ends without an error; on any error the new file is removed and `path` left as it was."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def discard(path: Path) -> None:
    """Remove a damaged cache entry, whatever it is (a symbolic link itself, never what it points to)."""
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path)
        else:
            os.unlink(path)


def _load_bucket(bucket: jinja2.bccache.Bucket, stream: BinaryIO) -> bool:
    """Load compiled code into `bucket` from `stream`; True once done (Jinja's own load returns nothing)."""
    bucket.load_bytecode(stream)
    return True


class VerifiedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, one verified file per template in `folder`: a damaged one is compiled
    again. A template's file is written under the label `label_of` gives for its key (after "jinja" and a NUL)."""

    def __init__(self, folder: Path, label_of: Callable[[str], str]) -> None:
        self.folder = folder
        self.label_of = label_of

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._path(bucket)
        if read_verified(path, self.label_of(f"jinja\0{bucket.key}"), functools.partial(_load_bucket, bucket)) is None:
            bucket.reset()
            return
        if bucket.code is not None and not isinstance(bucket.code, types.CodeType):
            bucket.reset()
            discard(path)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError, ValueError):
            write_verified(self._path(bucket), self.label_of(f"jinja\0{bucket.key}"), bucket.write_bytecode)

    def clear(self) -> None:
        for path in self.folder.glob("*.cache"):
            discard(path)
