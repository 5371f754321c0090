"""The persistent build cache: content-addressed results of the expensive steps, kept between builds,
and the verified storage every cache file goes through.

Every entry is stored under a key that is a digest of everything its value was computed from
(input bytes, the data a template can see, the templates, the settings, the engine's own code), so
an entry can never be stale: a changed input changes the key, and the old entry is simply not used
again. The folder (`.cache/sitegen/` in the project, or `$SITEGEN_CACHE`; `SITEGEN_CACHE=off`
turns it off) is safe to delete at any time. It holds one pickle file per kind of entry, written
atomically and only when something changed; entries a build did not use are dropped when it saves,
so the cache stays the size of one site. Jinja's compiled templates live in its `jinja/` folder.

The cache can make a build faster, never different. Each file is a header (format, payload
length, SHA-256 of the payload and of what it holds: the kind, the engine) and the payload, and is
read only when it is a regular file owned by the user running the build, no larger than
`MAX_FILE_BYTES`, exactly as long as its header says and matching its digest; only then is it
unpickled, and the entries must have the type the engine keeps under that kind. Anything else
(absent, unreadable, truncated, flipped bytes, a FIFO, a folder, another engine's file, a wrongly
typed value) is a miss: the file is removed and the kind starts empty.

The digest guards against damage, not against a malicious writer. Unpickling runs code, so a file
an attacker wrote could run theirs; but whoever can write the user's own cache folder can equally
write the project's templates or the engine itself. A keyed digest would need a secret kept outside
the project (a file to read, to lose and to explain) for no gain against that writer; files owned
by another user are refused instead, and the folder is created private.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import os
import pickle
import shutil
import stat
import struct
import sys
import tempfile
import threading
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePath
from typing import Any, BinaryIO, TypeVar

import jinja2
import markdown
import yaml

from ..core.errors import BuildError

T = TypeVar("T")

CACHE_ENV = "SITEGEN_CACHE"
DEFAULT_FOLDER = Path(".cache") / "sitegen"
_FORMAT = b"sitegen-cache-1"
_SAVING: dict[Path, threading.Thread] = {}  # cache folder → the thread writing it
_SAVING_LOCK = threading.Lock()


def wait_for_saves(folder: Path) -> None:
    """Wait until a background save into `folder` (by any builder of this process) is done."""
    with _SAVING_LOCK:
        thread = _SAVING.get(folder)
    if thread is not None:
        thread.join()


def engine_digest(package: Path) -> str:
    """The engine's own code (every module of `package`, in every subpackage) and the libraries whose
    output we keep: a change to any of them empties the cache."""
    digest = hashlib.sha256(_FORMAT)
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for version in (sys.version, jinja2.__version__, markdown.__version__, yaml.__version__):
        digest.update(version.encode() + b"\0")
    return digest.hexdigest()


ENGINE = engine_digest(Path(__file__).resolve().parent.parent)


def cache_folder(root: Path) -> Path | None:
    """Where the cache of the project at `root` lives, or None when caching is turned off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    return Path(setting) if setting else root / DEFAULT_FOLDER


class Fingerprint:
    """Digests of plain data (dataclasses, tuples, mappings, text, numbers, dates), stable across runs.

    Frozen dataclass objects shared by many values (a source cited by a thousand pages) are hashed
    once per `Fingerprint` instance; use one instance per build.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}

    def of(self, *values: object) -> str:
        digest = hashlib.sha256()
        for value in values:
            self._feed(digest, value)
        return digest.hexdigest()

    def _feed(self, digest: Any, value: object) -> None:
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")  # type: ignore[attr-defined]
            digest.update(b"s%d:" % len(data))
            digest.update(data)
        elif value is None:
            digest.update(b"N")
        elif hasattr(kind, "__dataclass_fields__"):
            digest.update(self._dataclass(value))
        elif kind in (tuple, list, frozenset, set):
            items = sorted(value, key=repr) if kind in (frozenset, set) else value  # type: ignore[call-overload]
            digest.update(b"(%d" % len(items))
            for item in items:
                self._feed(digest, item)
        elif kind is bytes:
            digest.update(b"b%d:" % len(value))  # type: ignore[arg-type]
            digest.update(value)  # type: ignore[arg-type]
        elif kind in (bool, int, float):
            digest.update(f"{kind.__name__[0]}{value!r};".encode())
        elif isinstance(value, Mapping):
            digest.update(b"{%d" % len(value))
            for key, item in value.items():
                self._feed(digest, key)
                self._feed(digest, item)
        elif isinstance(value, dt.date):
            digest.update(b"d" + value.isoformat().encode())
        elif isinstance(value, PurePath):
            digest.update(b"p" + str(value).encode())
        else:
            raise TypeError(f"cannot fingerprint {kind.__name__}")

    def remember(self, value: object, digest: str) -> None:
        """Use `digest` for `value` (a dataclass object whose inputs the caller has already hashed)."""
        self._memo[id(value)] = (value, bytes.fromhex(digest))

    def _dataclass(self, value: Any) -> bytes:
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        kind = type(value)
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(value) if field.init)  # the others follow from these
        inner = hashlib.sha256(f"D{kind.__module__}.{kind.__qualname__}".encode())
        for name in names:
            inner.update(name.encode())
            self._feed(inner, getattr(value, name))
        result = inner.digest()
        self._memo[id(value)] = (value, result)
        return result


_FIELDS: dict[type, tuple[str, ...]] = {}



# Verified storage: every cache file, pickles and compiled templates alike, is read and written here.

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


def _write_text(path: Path, text: str) -> None:
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


# What each kind may hold: a check of a value's type, made on every value loaded.

Shape = Callable[[Any], bool]


def instance_of(*kinds: type) -> Shape:
    return lambda value: isinstance(value, kinds)


def tuple_of(item: Shape) -> Shape:
    """A tuple of any length whose every item has the shape `item`."""
    return lambda value: type(value) is tuple and all(item(each) for each in value)


def tuple_with(*items: Shape) -> Shape:
    """A tuple of exactly these items."""
    return lambda value: type(value) is tuple and len(value) == len(items) and all(check(each) for check, each in zip(items, value, strict=True))


def dict_of(key: Shape, item: Shape) -> Shape:
    return lambda value: type(value) is dict and all(key(k) and item(v) for k, v in value.items())


def check_cache_folder(folder: Path, protected: Mapping[str, Path]) -> None:
    """Refuse a cache folder inside or around one of the `protected` folders (by what they are): the
    cache must never be read as an input, nor written into the site."""
    cache = folder.resolve()
    for name, path in protected.items():
        place = path.resolve()
        if cache == place or place in cache.parents or cache in place.parents:
            raise BuildError.at(
                folder, 0, f"the build cache ({CACHE_ENV}) must not be in the {name} nor contain it: set {CACHE_ENV} to a folder of its own, or to off",
            )


class BuildCache:
    """Values by (kind, key), loaded from and saved to `folder` (None: in memory only).

    Each call names the shape its kind's values must have: a file whose values do not all have it is
    a miss when it is loaded.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._entries: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._dirty: set[str] = set()

    def _kind(self, kind: str, shape: Shape) -> dict[str, Any]:
        entries = self._entries.get(kind)
        if entries is None:
            entries = self._entries[kind] = self._load(kind, shape)
            self._used[kind] = set()
        return entries

    def _load(self, kind: str, shape: Shape) -> dict[str, Any]:
        if self.folder is None:
            return {}
        wait_for_saves(self.folder)
        path = self.folder / f"{kind}.pickle"
        entries = read_verified(path, label_of(kind), pickle.load)
        if entries is None:
            return {}
        if type(entries) is dict and all(type(key) is str and shape(value) for key, value in entries.items()):
            return entries
        discard(path)
        return {}

    def get(self, kind: str, key: str, shape: Shape) -> Any | None:
        entries = self._kind(kind, shape)
        value = entries.get(key)
        if value is not None:
            self._used[kind].add(key)
        return value

    def put(self, kind: str, key: str, value: Any, shape: Shape) -> None:
        self._kind(kind, shape)[key] = value
        self._used[kind].add(key)
        self._dirty.add(kind)

    def start(self) -> None:
        """Begin a build: from now on, entries not used are dropped at `save`."""
        for kind in self._used:
            self._used[kind] = set()

    def save_in_background(self) -> None:
        """`save` in a thread (not a daemon: the process finishes writing before it exits)."""
        if self.folder is None:
            self.save()
            return
        folder = self.folder
        wait_for_saves(folder)
        thread = threading.Thread(target=self.save, name=f"sitegen-cache-{folder}")
        with _SAVING_LOCK:
            _SAVING[folder] = thread
        thread.start()

    def save(self) -> None:
        """Keep what this build used; write the kinds that changed."""
        for kind, entries in self._entries.items():
            unused = set(entries) - self._used[kind]
            if unused:
                for key in unused:
                    del entries[key]
                self._dirty.add(kind)
        if self.folder is None:
            self._dirty.clear()
            return
        for kind in sorted(self._dirty):
            self._write(kind, self._entries[kind])
        self._dirty.clear()

    def _write(self, kind: str, entries: dict[str, Any]) -> None:
        assert self.folder is not None
        path = self.folder / f"{kind}.pickle"
        try:
            write_verified(path, label_of(kind), functools.partial(pickle.dump, entries, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, ValueError):
            discard(path)  # a cache that cannot be written only makes the next build slower
            return
        ignore = self.folder / ".gitignore"
        if not os.path.lexists(ignore):  # like .pytest_cache: git never sees the cache, with or without a .gitignore of the project
            with contextlib.suppress(OSError):
                _write_text(ignore, "# Written by sitegen: a build cache, safe to delete.\n*\n")


def label_of(kind: str) -> str:
    """What a file of `kind` is written under: a file of another kind, or of another engine, is a miss."""
    return f"{ENGINE}\0{kind}"


def _load_bucket(bucket: jinja2.bccache.Bucket, stream: BinaryIO) -> bool:
    """Load compiled code into `bucket` from `stream`; True once done (Jinja's own load returns nothing)."""
    bucket.load_bytecode(stream)
    return True


class VerifiedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates, one verified file per template in `folder`: a damaged one is compiled again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._path(bucket)
        if read_verified(path, label_of(f"jinja\0{bucket.key}"), functools.partial(_load_bucket, bucket)) is None:
            bucket.reset()
            return
        if bucket.code is not None and not isinstance(bucket.code, types.CodeType):
            bucket.reset()
            discard(path)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError, ValueError):
            write_verified(self._path(bucket), label_of(f"jinja\0{bucket.key}"), bucket.write_bytecode)

    def clear(self) -> None:
        for path in self.folder.glob("*.cache"):
            discard(path)
