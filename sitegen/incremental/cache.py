"""The persistent build cache: content-addressed results of the expensive steps, kept between builds.

Every entry is stored under a key that is a digest of everything its value was computed from
(input bytes, the data a template can see, the templates, the settings, the engine's own code), so
an entry can never be stale: a changed input changes the key, and the old entry is simply not used
again. The folder (`.cache/sitegen/` in the project, or `$SITEGEN_CACHE`; `SITEGEN_CACHE=off`
turns it off) is safe to delete at any time. It holds one file per kind of entry (its entries pickled
in chunks of `ENTRIES_PER_CHUNK`, so that pickling never holds more than one chunk's bookkeeping), written
atomically and only when something changed; entries a build did not use are dropped when it saves,
so the cache stays the size of one site. Jinja's compiled templates live in its `jinja/` folder.

The cache can make a build faster, never different. Each file goes through verified storage
(`verified.py`) under a label naming its kind and the engine, and its entries must have the type the
engine keeps under that kind. Anything else (a file that fails verification, another engine's file,
a wrongly typed value) is a miss: the file is removed and the kind starts empty.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import markdown
import yaml

from ..core.errors import BuildError
from .verified import discard, read_verified, write_text_atomically, write_verified

CACHE_ENV = "SITEGEN_CACHE"
DEFAULT_FOLDER = Path(".cache") / "sitegen"
_FORMAT = b"sitegen-cache-2"
ENTRIES_PER_CHUNK = 64
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
        with _collection_paused():
            entries = read_verified(path, label_of(kind), load_entries)
        if entries is None:
            return {}
        if type(entries) is dict and all(type(key) is str and shape(value) for key, value in entries.items()):
            return entries
        discard(path)
        return {}

    def load(self, kind: str, shape: Shape) -> None:
        """Read the entries of `kind` now, rather than on first use."""
        self._kind(kind, shape)

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
            write_verified(path, label_of(kind), functools.partial(dump_entries, entries))
        except (OSError, ValueError):
            discard(path)  # a cache that cannot be written only makes the next build slower
            return
        ignore = self.folder / ".gitignore"
        if not os.path.lexists(ignore):  # like .pytest_cache: git never sees the cache, with or without a .gitignore of the project
            with contextlib.suppress(OSError):
                write_text_atomically(ignore, "# Written by sitegen: a build cache, safe to delete.\n*\n")


def dump_entries(entries: dict[str, Any], stream: Any) -> None:
    """Pickle `entries` to `stream`: the number of chunks, then each chunk, a list of (key, value),
    each a pickle of its own.

    A pickler keeps every object it has written (and every tuple a record's `__reduce__` made) until
    it is done: a chunk's worth, not a whole kind's of a whole site."""
    items = list(entries.items())
    chunks = range(0, len(items), ENTRIES_PER_CHUNK)
    pickle.dump(len(chunks), stream, protocol=pickle.HIGHEST_PROTOCOL)
    for start in chunks:
        pickle.dump(items[start : start + ENTRIES_PER_CHUNK], stream, protocol=pickle.HIGHEST_PROTOCOL)


def load_entries(stream: Any) -> dict[str, Any]:
    """What `dump_entries` wrote, as a dict; ValueError when the stream holds anything else."""
    count = pickle.load(stream)
    if type(count) is not int:
        raise ValueError("not a chunked cache file")
    entries: dict[str, Any] = {}
    for _ in range(count):
        chunk = pickle.load(stream)
        if type(chunk) is not list or not all(type(item) is tuple and len(item) == 2 for item in chunk):
            raise ValueError("a chunk of the cache file is not a list of entries")
        entries.update(chunk)
    if stream.read(1):
        raise ValueError("data after the last chunk")
    return entries


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: unpickling makes millions of objects and no garbage,
    and each collection it would set off walks everything made so far (a second at 10,000 pages)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def label_of(kind: str) -> str:
    """What a file of `kind` is written under: a file of another kind, or of another engine, is a miss."""
    return f"{ENGINE}\0{kind}"
