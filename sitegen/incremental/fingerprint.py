"""Fingerprints of plain data: `Fingerprint` digests dataclasses, tuples, mappings, text, numbers and
dates into a SHA-256 that is the same in every run, the keys under which the build cache keeps its entries."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any


class Fingerprint:
    """Digests of plain data (dataclasses, tuples, mappings, text, numbers, dates), stable across runs.

    Frozen dataclass objects shared by many values (a source cited by a thousand pages) are hashed
    once per `Fingerprint` instance; use one instance per build. A build's instance may start from the
    last build's (`after`): an object that build hashed, if it is the very same object now (a page
    the memo handed out again), is not hashed again. Only that one build's digests are carried, so
    what is kept alive is bounded by two builds.
    """

    def __init__(self, after: Fingerprint | None = None) -> None:
        self._memo: dict[int, tuple[object, bytes]] = {}
        self._last: dict[int, tuple[object, bytes]] = after._memo if after is not None else {}

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
        known = self._memo.get(id(value)) or self._last.get(id(value))
        if known is not None and known[0] is value:
            self._memo[id(value)] = known
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
