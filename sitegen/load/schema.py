"""The keys of the five YAML formats, each declared once, and the one check of a mapping against them.

Each format (`site.yaml`, a page's front matter, a seed of `seeds/sources.yaml`, a publication of
`content/references.yaml`, a term of `content/glossary.yaml`, and a topic of the topics file `draft`
reads) is a `Schema`: its keys, each with the
kind of value it takes, whether it is required, and its default. `read_mapping` checks one mapping
against its schema and adds every problem at its line, in one wording for all five formats:

- `unknown key 'titel'; allowed: base_url, cname, …; did you mean 'title'?`
- `'order' must be a whole number, not text`
- `missing required key 'title'` (at the line of the mapping), and `'title' must not be empty`

A key written without a value (`date:`, which YAML reads as null) counts as absent. A check a key
needs beyond its kind (the form of a slug, a range) plugs in as `Key.check`; checks that need the
label of an entry or other keys stay with the loader, which reads the values `read_mapping` returns.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .fields import Fields, describe

_MAX_SHOWN_KEY = 60  # characters of an unknown key's repr that a message quotes


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Kind:
    """The kind of value a key takes: its words in a message and the test a value must pass."""

    words: str
    accepts: Callable[[object], bool]


TEXT = Kind("text", lambda value: isinstance(value, str))
TEXT_OR_NUMBER = Kind("text or a whole number", lambda value: isinstance(value, str) or _whole_number(value))  # a volume: 43
WHOLE_NUMBER = Kind("a whole number", _whole_number)
TRUE_OR_FALSE = Kind("true or false", lambda value: isinstance(value, bool))
DATE = Kind("a date", lambda value: isinstance(value, (str, dt.date)))  # the loader checks the calendar
TEXTS = Kind("a list of texts", lambda value: isinstance(value, (str, list)))  # one text alone is a list of one
MAPPING = Kind("a mapping", lambda value: isinstance(value, dict))
LIST = Kind("a list", lambda value: isinstance(value, list))


@dataclass(frozen=True)
class Key:
    """One key of a format. `check` says why a value of the right kind is still wrong ("" when it is right)."""

    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    check: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Schema:
    """The keys of one format, in the order its documentation lists them."""

    keys: tuple[Key, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def default(self, name: str) -> Any:
        return next(key.default for key in self.keys if key.name == name)


def read_mapping(fields: Fields, data: Mapping[Any, Any], schema: Schema, at: tuple[Any, ...] = ()) -> dict[str, Any]:
    """The value of each key of `schema` in `data` (the mapping at key path `at` of `fields.doc`).

    Every problem goes to `fields.problems` at its line; a key that is absent or has a problem gets
    its default, so the loader reads only values of the declared kind.
    """
    for name in data:
        if name not in schema.names:
            fields.problems.add(fields.path, fields.doc.line(*at, name), _unknown_key(name, schema.names))
    return {key.name: _value(fields, data.get(key.name), key, at) for key in schema.keys}


def _value(fields: Fields, value: object, key: Key, at: tuple[Any, ...]) -> Any:
    """`value` if it is right for `key`, else `key.default`, with its problem added."""
    problem = _problem(value, key)
    if problem:
        fields.problems.add(fields.path, fields.doc.line(*at, key.name), problem)  # an absent key: the line of the mapping
    return key.default if problem or value is None else value


def _problem(value: object, key: Key) -> str:
    """Why `value` is wrong for `key` ("" when it is right, or absent from an optional key)."""
    if value is None:
        return f"missing required key {key.name!r}" if key.required else ""
    if not key.kind.accepts(value):
        return f"{key.name!r} must be {key.kind.words}, not {describe(value)}"
    if key.required and _is_empty(value):
        return f"{key.name!r} must not be empty"
    return key.check(value) if key.check else ""


def _is_empty(value: object) -> bool:
    return not value.strip() if isinstance(value, str) else isinstance(value, (list, dict)) and not value


def _unknown_key(name: object, allowed: tuple[str, ...]) -> str:
    shown = repr(name)
    if len(shown) > _MAX_SHOWN_KEY:
        shown = shown[: _MAX_SHOWN_KEY - 1] + "…"
    message = f"unknown key {shown}; allowed: {', '.join(sorted(allowed))}"
    close = difflib.get_close_matches(name, allowed, n=1) if isinstance(name, str) and len(name) <= _MAX_SHOWN_KEY else []
    return f"{message}; did you mean {close[0]!r}?" if close else message
