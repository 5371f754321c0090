"""A kind's entries on disk: a folder of its own, its entries spread over shard files by a hash of
their key, so that a build that changes or drops a few entries rewrites the few shards that hold them.

A kind of N entries has a power of two of shards near N / `ENTRIES_PER_SHARD`, named
`{index:04x}-of-{count:04x}.pickle`; entry `key` belongs to shard `shard_of(key, count)`. The count
is kept while it stays within a factor of four of that ideal, so a growing site does not rewrite
every shard at each page added. After each save the folder holds exactly the shards of the entries
kept, each holding exactly those entries: a shard whose entries are unchanged is left as it is, one
that would be empty is removed, and so is every shard of another count (one a killed save left).

Each shard is a verified file (`verified.py`) written atomically under its kind's label and its
own name: a file moved to another name or kind is a miss. A shard that fails verification, is not
a list of entries, holds a value of the wrong type or an entry that belongs to another shard is a
miss for its own entries only, and is removed; what is not a shard (nor a write under way, whose
name starts with a dot) is removed too, and a kind's folder that is not a real folder is replaced.
"""

from __future__ import annotations

import functools
import os
import pickle
import re
import stat
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .verified import discard, read_verified, write_verified

ENTRIES_PER_SHARD = 64
ENTRIES_PER_CHUNK = 64
MAX_SHARDS = 1 << 15  # four hexadecimal digits name every shard of the largest count
_NAME = re.compile(r"([0-9a-f]{4})-of-([0-9a-f]{4})\.pickle")

Shape = Callable[[Any], bool]
Layout = dict[str, frozenset[str]]  # each shard file's name → the keys it holds


def shard_of(key: str, count: int) -> int:
    """The shard of `count` that holds `key`."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % count


def shard_name(index: int, count: int) -> str:
    return f"{index:04x}-of-{count:04x}.pickle"


def shard_count(entries: int, current: int | None) -> int:
    """How many shards hold `entries` entries: the `current` count while it is near the ideal one."""
    ideal = 1
    while ideal * ENTRIES_PER_SHARD < entries and ideal < MAX_SHARDS:
        ideal *= 2
    if current is not None and ideal // 4 <= current <= ideal * 4:
        return current
    return ideal


def _parsed(name: str) -> tuple[int, int] | None:
    """(index, count) of a shard's file name; None for any other name."""
    match = _NAME.fullmatch(name)
    if match is None:
        return None
    index, count = int(match[1], 16), int(match[2], 16)
    return (index, count) if 0 < count <= MAX_SHARDS and count & (count - 1) == 0 and index < count else None


class KindFolder:
    """The folder `folder/kind` holding one kind's shards, each written under `label` and its name."""

    def __init__(self, folder: Path, kind: str, label: str) -> None:
        self.path = folder / kind
        self.label = label

    def shard_label(self, name: str) -> str:
        return f"{self.label}\0{name}"

    def load(self, shape: Shape) -> tuple[dict[str, Any], Layout]:
        """Every entry of every sound shard whose values have `shape`, and what each such shard holds."""
        entries: dict[str, Any] = {}
        layout: Layout = {}
        if not self._is_real_folder():
            return entries, layout
        for name in sorted(os.listdir(self.path)):
            if name.startswith("."):
                continue  # a shard being written, or one a killed save left half written
            shard = self._load_shard(name, shape)
            if shard is not None:
                entries.update(shard)
                layout[name] = frozenset(shard)
        return entries, layout

    def _load_shard(self, name: str, shape: Shape) -> dict[str, Any] | None:
        path = self.path / name
        place = _parsed(name)
        if place is None:
            discard(path)
            return None
        shard = read_verified(path, self.shard_label(name), load_entries)
        if shard is None:
            return None
        index, count = place
        if all(type(key) is str and shard_of(key, count) == index and shape(value) for key, value in shard.items()):
            return shard
        discard(path)
        return None

    def _is_real_folder(self) -> bool:
        """Whether the kind's folder is a folder (not a link to one); anything else in its place is removed."""
        try:
            mode = os.lstat(self.path).st_mode
        except OSError:
            return False
        if stat.S_ISDIR(mode):
            return True
        discard(self.path)
        return False

    def save(self, entries: Mapping[str, Any], layout: Layout, changed: set[str]) -> Layout:
        """Make the folder hold exactly `entries`, knowing it held `layout` and that the entries of
        `changed` were put since; returns what it holds now. A shard that cannot be written is removed."""
        counts = {place[1] for place in map(_parsed, layout) if place is not None}
        count = shard_count(len(entries), counts.pop() if len(counts) == 1 else None)
        shards: dict[str, dict[str, Any]] = {}
        for key, value in entries.items():
            shards.setdefault(shard_name(shard_of(key, count), count), {})[key] = value
        if shards:
            self._is_real_folder()  # anything else in its place is removed; writing a shard creates the folder
        now: Layout = {}
        for name, shard in sorted(shards.items()):
            keys = frozenset(shard)
            if (layout.get(name) == keys and keys.isdisjoint(changed)) or self._write(name, shard):
                now[name] = keys
        for name in layout.keys() - now.keys():
            discard(self.path / name)
        return now

    def _write(self, name: str, shard: dict[str, Any]) -> bool:
        path = self.path / name
        try:
            write_verified(path, self.shard_label(name), functools.partial(dump_entries, shard))
        except (OSError, ValueError):
            discard(path)  # a cache that cannot be written only makes the next build slower
            return False
        return True


def dump_entries(entries: Mapping[str, Any], stream: Any) -> None:
    """Pickle `entries` to `stream`: the number of chunks, then each chunk, a list of (key, value),
    each a pickle of its own.

    A pickler keeps every object it has written (and every tuple a record's `__reduce__` made) until
    it is done: a chunk's worth at most."""
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
