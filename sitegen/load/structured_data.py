"""What a page's schema.org description (JSON-LD) says it is and what it is about: the
`structured_data` mapping of `site.yaml` (the site's default) and of a page's front matter (that page).

```yaml
structured_data:
  type: WebPage            # a schema.org type name: a capital letter, then letters and digits
  about:                   # what the page is about; [] for nothing
    - {type: Thing, name: Example}
    - Another example      # a name alone (or without a type) is a Thing
```

A page's `type` and `about` each replace the site's when given; the site's default is a `WebPage`
about nothing. The engine gives the values to the theme as written, never as HTML: the theme's JSON
encoder escapes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..core.records import compact
from .fields import Fields, describe, text_problem
from .schema import LIST, TEXT, Key, Schema, read_mapping

DEFAULT_TYPE = "WebPage"
MAX_ABOUT = 50  # things one page can be about
MAX_NAME = 300  # characters of a thing's name
_TYPE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")


def type_problem(value: str) -> str:
    """Why `value` is not a schema.org type name ("" when it is one)."""
    if _TYPE_NAME.match(value):
        return ""
    return f"type must be a schema.org type name such as WebPage or Thing (a capital letter, then letters and digits), not {value[:70]!r}"


STRUCTURED_DATA = Schema((Key("type", TEXT, check=type_problem), Key("about", LIST)))
THING = Schema((Key("type", TEXT, default="Thing", check=type_problem), Key("name", TEXT, required=True)))


@dataclass(frozen=True)
class Thing:
    """One thing a page is about: its schema.org type and its name (plain text)."""

    type: str
    name: str


@compact
@dataclass(frozen=True, slots=True)
class StructuredData:
    """What the JSON-LD of a page says: its type and what it is about. In a page's front matter, None
    is a value the page leaves to the site."""

    type: str | None = None
    about: tuple[Thing, ...] | None = None

    def over(self, default: StructuredData) -> StructuredData:
        """These values where given, `default`'s where not."""
        return StructuredData(self.type if self.type is not None else default.type, self.about if self.about is not None else default.about)


SITE_DEFAULT = StructuredData(DEFAULT_TYPE, ())
NOTHING_GIVEN = StructuredData()


def read_structured_data(fields: Fields, value: dict[Any, Any] | None, key: str) -> StructuredData:
    """The `structured_data` mapping written at top-level `key` of `fields.doc` (None when absent: nothing
    given; `schema.read_mapping` has checked it is a mapping); every problem goes to `fields.problems` at its line."""
    if value is None:
        return NOTHING_GIVEN
    values = read_mapping(fields, value, STRUCTURED_DATA, (key,))
    about = _about(fields, values["about"], (key, "about")) if values["about"] is not None else None
    return StructuredData(values["type"], about)


def _about(fields: Fields, items: list[Any], at: tuple[Any, ...]) -> tuple[Thing, ...]:
    """The things of an `about` list at key path `at`: mappings of type and name, or names alone."""
    if len(items) > MAX_ABOUT:
        fields.problems.add(fields.path, fields.doc.line(*at), f"about lists {len(items)} things: keep it to {MAX_ABOUT}")
        return ()
    things = []
    for index, item in enumerate(items):
        thing = _thing(fields, item, (*at, index))
        if thing is not None:
            things.append(thing)
    return tuple(things)


def _thing(fields: Fields, item: object, at: tuple[Any, ...]) -> Thing | None:
    """One entry of `about` (a mapping of type and name, or a name alone), or None with its problem added."""
    label = "a name of about"
    if isinstance(item, dict):
        values = read_mapping(fields, item, THING, at)
        if values["name"] is None:
            return None  # its problem is added
        type_name, written, where = values["type"], values["name"], (*at, "name")
    elif isinstance(item, str):
        type_name, written, where = "Thing", item, at
    else:
        fields.problems.add(fields.path, fields.doc.line(*at), f"each entry of about must be a name or a mapping of type and name, not {describe(item)}")
        return None
    name = fields.text(written, where, label)
    if not name:
        if not text_problem(written, label):
            fields.problems.add(fields.path, fields.doc.line(*where), f"{label} must not be empty")
        return None
    if len(name) > MAX_NAME:
        fields.problems.add(fields.path, fields.doc.line(*where), f"{label} is {len(name)} characters long: keep it to {MAX_NAME}")
        return None
    return Thing(type_name, name)
