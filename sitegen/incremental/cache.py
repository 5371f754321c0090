"""The persistent build cache: content-addressed results of the expensive steps, kept between builds.

Every entry is stored under a key that is a digest of everything its value was computed from
(input bytes, the data a template can see, the templates, the settings, the engine's own code), so
an entry can never be stale: a changed input changes the key, and the old entry is simply not used
again. The folder (`.cache/sitegen/` in the project, or `$SITEGEN_CACHE`; `SITEGEN_CACHE=off`
turns it off) is safe to delete at any time. Each kind of entry has a folder of its own, its entries
spread over shard files by a hash of their key (`shards.py`): a build rewrites only the shards
whose entries changed or were dropped, atomically, so a build after one edit writes a few shards,
not the whole site's cache. Entries a build did not use are dropped when it saves, so the cache
stays the size of one site. Jinja's compiled templates live in its `jinja/` folder.

The cache can make a build faster, never different. Each shard goes through verified storage
(`verified.py`) under a label naming its kind, its name and the engine, and its entries must have
the type the engine keeps under that kind. Anything else (a file that fails verification, another
engine's file, a wrongly typed value) is a miss for the entries of that shard: the file is removed
and the others are used.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import markdown
import yaml

from ..core.errors import BuildError
from .shards import KindFolder, Layout, Shape
from .verified import discard, write_text_atomically

CACHE_ENV = "SITEGEN_CACHE"
DEFAULT_FOLDER = Path(".cache") / "sitegen"
_FORMAT = b"sitegen-cache-3"
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
    """Values by (kind, key), loaded from and saved to `folder` (None: in memory only), each kind in
    its own folder of shards (see `shards`).

    Each call names the shape its kind's values must have: a shard whose values do not all have it
    is a miss when it is loaded.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._entries: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._changed: dict[str, set[str]] = {}  # keys put since the last save
        self._layouts: dict[str, Layout] = {}  # what each kind's shard files hold on disk

    def _kind(self, kind: str, shape: Shape) -> dict[str, Any]:
        entries = self._entries.get(kind)
        if entries is None:
            entries = self._entries[kind] = self._load(kind, shape)
            self._used[kind] = set()
            self._changed[kind] = set()
        return entries

    def _load(self, kind: str, shape: Shape) -> dict[str, Any]:
        if self.folder is None:
            return {}
        wait_for_saves(self.folder)
        discard(self.folder / f"{kind}.pickle")  # the whole kind in one file, as engines before shards wrote it
        with _collection_paused():
            entries, self._layouts[kind] = self._folder_of(kind).load(shape)
        return entries

    def _folder_of(self, kind: str) -> KindFolder:
        assert self.folder is not None
        return KindFolder(self.folder, kind, label_of(kind))

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
        self._changed[kind].add(key)

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
        """Keep what this build used; rewrite the shards whose entries changed or were dropped."""
        written = False
        for kind, entries in self._entries.items():
            unused = set(entries) - self._used[kind]
            for key in unused:
                del entries[key]
            changed, self._changed[kind] = self._changed[kind], set()
            if self.folder is not None and (changed or unused):
                self._layouts[kind] = self._folder_of(kind).save(entries, self._layouts.get(kind, {}), changed)
                written = True
        if written:
            self._hide_from_git()

    def _hide_from_git(self) -> None:
        assert self.folder is not None
        ignore = self.folder / ".gitignore"
        if not os.path.lexists(ignore):  # like .pytest_cache: git never sees the cache, with or without a .gitignore of the project
            with contextlib.suppress(OSError):
                write_text_atomically(ignore, "# Written by sitegen: a build cache, safe to delete.\n*\n")


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
