"""Compact records: frozen dataclasses with slots, pickled as their fields in order.

A build holds hundreds of thousands of small records (statements, citations, links, references) in
the site model and in the memo, and pickles most of them into the cache and back. A record with
slots holds its fields alone, with no dictionary of attributes, and one pickled as `(class, fields)`
is made again by its constructor: pickling reads no `__dict__` (which Python would otherwise make, and
keep, for every record pickled) and unpickling makes none. Declare a record so:

    @compact
    @dataclass(frozen=True, slots=True)
    class Point: ...
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


def compact(cls: T) -> T:
    """`cls` (a dataclass with slots whose every field is set by its constructor) pickled as its fields."""
    fields = dataclasses.fields(cls)
    if "__slots__" not in cls.__dict__ or not all(field.init and not field.kw_only for field in fields):
        raise TypeError(f"{cls.__qualname__}: a compact record is a dataclass with slots whose fields are all positional constructor arguments")
    names = [field.name for field in fields]
    values = operator.attrgetter(*names)
    if len(names) == 1:
        def reduce(self: Any) -> tuple[type, tuple[Any, ...]]:
            return cls, (values(self),)
    else:
        def reduce(self: Any) -> tuple[type, tuple[Any, ...]]:
            return cls, values(self)
    cls.__reduce__ = reduce  # type: ignore[assignment]
    return cls
