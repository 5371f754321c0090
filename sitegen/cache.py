"""The persistent build cache: content-addressed results of the expensive steps, kept between builds.

Every entry is stored under a key that is a digest of everything its value was computed from
(input bytes, the data a template can see, the templates, the settings, the engine's own code), so
an entry can never be stale: a changed input changes the key, and the old entry is simply not used
again. The folder (`.cache/sitegen/` in the project, or `$SITEGEN_CACHE`; `SITEGEN_CACHE=off`
turns it off) is safe to delete at any time. It holds one pickle file per kind of entry, written
atomically and only when something changed; entries a build did not use are dropped when it saves,
so the cache stays the size of one site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any

import jinja2
import markdown
import yaml

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


def _engine_digest() -> str:
    """The engine's own code and the libraries whose output we keep: a change to any of them empties the cache."""
    digest = hashlib.sha256(_FORMAT)
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for version in (sys.version, jinja2.__version__, markdown.__version__, yaml.__version__):
        digest.update(version.encode() + b"\0")
    return digest.hexdigest()


ENGINE = _engine_digest()


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
            names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(value))
        inner = hashlib.sha256(f"D{kind.__module__}.{kind.__qualname__}".encode())
        for name in names:
            inner.update(name.encode())
            self._feed(inner, getattr(value, name))
        result = inner.digest()
        self._memo[id(value)] = (value, result)
        return result


_FIELDS: dict[type, tuple[str, ...]] = {}


class BuildCache:
    """Values by (kind, key), loaded from and saved to `folder` (None: in memory only)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._entries: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._dirty: set[str] = set()

    def _kind(self, kind: str) -> dict[str, Any]:
        entries = self._entries.get(kind)
        if entries is None:
            entries = self._entries[kind] = self._load(kind)
            self._used[kind] = set()
        return entries

    def _load(self, kind: str) -> dict[str, Any]:
        if self.folder is None:
            return {}
        wait_for_saves(self.folder)
        try:
            with open(self.folder / f"{kind}.pickle", "rb") as stream:
                engine, entries = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, IndexError):
            return {}  # absent, unreadable or from another version: start empty
        return entries if engine == ENGINE and isinstance(entries, dict) else {}

    def load_all(self) -> None:
        """Read every kind kept in the folder now, rather than on first use."""
        if self.folder is None:
            return
        try:
            names = sorted(path.name for path in self.folder.iterdir())
        except OSError:
            return
        for name in names:
            if name.endswith(".pickle") and not name.startswith("."):
                self._kind(name[: -len(".pickle")])

    def get(self, kind: str, key: str) -> Any | None:
        entries = self._kind(kind)
        value = entries.get(key)
        if value is not None:
            self._used[kind].add(key)
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        self._kind(kind)[key] = value
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
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():  # like .pytest_cache: git never sees the cache, with or without a .gitignore of the project
                ignore.write_text("# Written by sitegen: a build cache, safe to delete.\n*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(prefix=f".{kind}-", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((ENGINE, entries), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / f"{kind}.pickle")
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
