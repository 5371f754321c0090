"""The memo a build passes to its stages: each stage consults it for its own results, by a key it
makes from everything the result depends on, and fills it with what it computed.

A `Memo` lives as long as its owner wants builds to share work: one build on the command line, or
every rebuild of the dev server. It keeps three things:

- entries by (kind, key) in the persistent, verified `BuildCache` (see `cache`), each kind declared
  by the stage that owns it as a `Kind` with the type its values must have;
- what a stage carries in this process from one build to the next: what it noted in the last build
  (`carried`: the status of the files it read, so that an unchanged file is not even read again;
  the pages it resolved) or one value it keeps while its inputs are unchanged (`kept`: the theme);
- the fingerprint of this build (`fingerprint`), through which a stage that knows what a value was
  made from records its digest for the later stages that depend on it.

`Memo.off()` remembers nothing: a build through it does all the work, which is what the never-stale
tests compare every memoised build with.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from ..core.errors import BuildError
from ..core.files import list_inputs, read_input_bytes
from .cache import ENGINE, BuildCache, Shape, cache_folder, check_cache_folder, label_of, wait_for_saves
from .fingerprint import Fingerprint
from .verified import VerifiedBytecodeCache, discard

T = TypeVar("T")
JINJA_FOLDER = "jinja"  # in the cache folder, beside each kind's


@dataclass(frozen=True)
class Kind:
    """A kind of memo entry: its name (its folder in the cache folder) and the type of its values.

    Each stage declares its own kinds; two of one name would share a folder, so a second is refused,
    and so is a name that is not a plain one or is the compiled templates' folder.
    """

    name: str
    shape: Shape

    def __post_init__(self) -> None:
        if self.name in _KINDS:
            raise ValueError(f"two kinds of memo entry named {self.name!r}")
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.name) or self.name == JINJA_FOLDER:
            raise ValueError(f"a kind of memo entry may not be named {self.name!r}")
        _KINDS[self.name] = self


_KINDS: dict[str, Kind] = {}


def all_kinds() -> dict[str, Kind]:
    """Every kind declared by the stages imported so far, by name."""
    return dict(_KINDS)


class Memo:
    """What builds remember; see the module's docstring. `folder`: where the cache persists (None:
    in this process only)."""

    def __init__(self, folder: Path | None, remember: bool = True) -> None:
        self.folder = folder
        self.remember = remember
        self.store = BuildCache(folder)
        self.fingerprint = Fingerprint()
        self._kept: dict[str, Any] = {}
        self._last: dict[str, dict[Any, Any]] = {}
        self._now: dict[str, dict[Any, Any]] = {}
        self._building = False
        self._last_digests: dict[tuple[object, ...], str] = {}
        self._digests: dict[tuple[object, ...], str] = {}

    @classmethod
    def for_project(cls, root: Path) -> Memo:
        """The memo of the project at `root`: in `.cache/sitegen/`, or where `$SITEGEN_CACHE` says."""
        return cls(cache_folder(root))

    @classmethod
    def off(cls) -> Memo:
        """A memo that remembers nothing, not even within a build."""
        return cls(None, remember=False)

    def check_folder(self, protected: Mapping[str, Path]) -> None:
        """Before anything is read from the cache: its folder lies in none of the `protected` folders."""
        if self.folder is not None:
            check_cache_folder(self.folder, protected)

    @contextlib.contextmanager
    def build(self, persist: bool = True) -> Iterator[None]:
        """One build: a fresh fingerprint; afterwards, with `persist`, what it used is saved in the
        background (the caller can write or serve the result meanwhile) and the rest dropped.

        Cyclic garbage collection leaves alone what existed before the build, and whatever `settle`
        adds as the stages go: each full collection would otherwise walk the loaded cache, the
        converted pages, the site and the outputs again (a fifth of a rebuild's time in a 1,000-page
        site, 2 s of a cold build's at 10,000). New garbage is still collected; all thaws afterwards.
        """
        self.wait()
        self.store.start()
        if self.remember:
            for kind in _KINDS.values():  # every kind the stages declare, read before the freeze below
                self.store.load(kind.name, kind.shape)
        self.fingerprint = Fingerprint(after=self.fingerprint if self.remember else None)
        self._last, self._now = (self._now, {}) if self.remember else ({}, {})
        self._last_digests, self._digests = self.carried("digests")  # asked for thousands of times a build
        gc.freeze()
        self._building = True
        try:
            yield
            if persist:
                self.store.save_in_background()
        finally:
            self._building = False
            gc.unfreeze()

    @contextlib.contextmanager
    def amend(self) -> Iterator[None]:
        """Add to the last build (the dev server's rebuild of a few pages): its fingerprint, carried
        notes and used entries stay, so what it did not redo is still known to the next build.
        Garbage collection leaves the whole site alone meanwhile, as during `build`."""
        if self._building:
            raise RuntimeError("a build cannot be amended while it runs")
        self.wait()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()

    def settle(self) -> None:
        """What the build made so far lives until it ends: leave it out of garbage collections (only
        within `build`, which thaws it all at its end)."""
        if self._building:
            gc.freeze()

    def persist(self) -> None:
        """Write what the last build used to disk now."""
        self.wait()
        self.store.save()

    def wait(self) -> None:
        """Wait until the cache of the previous build is on disk."""
        if self.folder is not None:
            wait_for_saves(self.folder)

    def get(self, kind: Kind, key: str) -> Any | None:
        return self.store.get(kind.name, key, kind.shape) if self.remember else None

    def put(self, kind: Kind, key: str, value: object) -> None:
        if self.remember:
            self.store.put(kind.name, key, value, kind.shape)

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """What the stage naming itself `name` keeps in this process from build to build (a fresh
        `make()` each build when the memo remembers nothing)."""
        if not self.remember:
            return make()
        if name not in self._kept:
            self._kept[name] = make()
        return self._kept[name]  # type: ignore[no-any-return]

    def carried(self, name: str) -> tuple[dict[Any, Any], dict[Any, Any]]:
        """What the stage naming itself `name` noted in the previous build of this process, and where it
        notes what this build finds (only that is carried to the next build: nothing piles up)."""
        return self._last.get(name, {}), self._now.setdefault(name, {})

    def digest(self, *parts: object) -> str:
        """`digest` of short parts, taken from the previous build when it made the same one: a rebuild
        after a small edit asks again for almost every digest the last one made."""
        known = self._last_digests.get(parts)
        if known is None:
            known = digest(*parts)
        self._digests[parts] = known
        return known

    def bytecode_cache(self) -> jinja2.BytecodeCache | None:
        """Compiled templates kept in the cache folder, verified like every cache file (and Jinja checks
        each against its template's source)."""
        if self.folder is None or not self.remember:
            return None
        folder = self.folder / JINJA_FOLDER
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            discard(folder)  # a file or a link where the folder should be
        return VerifiedBytecodeCache(folder, label_of)


def digest(*parts: object) -> str:
    """One SHA-256 of the parts (text or bytes), each length-prefixed so that no two lists of parts share one."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        hashed.update(b"%d:" % len(data))
        hashed.update(data)
    return hashed.hexdigest()


def files_digest(paths: tuple[Path, ...], root: Path) -> str:
    """The names and bytes of `paths` (files, or every file of an input folder) of the project at `root`;
    absent ones count too, and so do the entries that reading or listing refuses (a link out, a FIFO),
    so that adding one is never hidden by an earlier result."""
    hashed = hashlib.sha256()
    for path in paths:
        if path.is_dir():
            listing = list_inputs(path)
            files = [path / name for name in listing.files]
            hashed.update(repr(sorted(listing.refused.items())).encode("utf-8", "surrogatepass"))
        else:
            files = [path]
        hashed.update(f"\0{path}\0{len(files)}".encode())
        for file in files:
            try:
                data = read_input_bytes(file, root)
            except BuildError as exc:
                data = b"\0refused\0" + str(exc).encode("utf-8", "surrogatepass")
            hashed.update(f"\0{file}\0{len(data)}\0".encode())
            hashed.update(data)
    return hashed.hexdigest()


def memoised_load(memo: Memo, kind: Kind, load: Callable[[], T], files: tuple[Path, ...], root: Path) -> tuple[T, str]:
    """`load()`, which depends only on the bytes of `files`, from the memo when they are unchanged; with
    the key it is kept under. A file that changes while it is loaded leaves nothing in the memo."""
    before = files_digest(files, root)
    key = digest(ENGINE, kind.name, before)
    value = memo.get(kind, key)
    if value is None:
        value = load()
        if files_digest(files, root) == before:
            memo.put(kind, key, value)
    return value, key

