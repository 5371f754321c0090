"""The change record of a seed in `sources.yaml` (written by `update-source`): under `edited:`, each
passage whose text changed, when, what it said before and said after, and the pages whose citations
of it an author has reviewed since, one line each:

    edited:
      p16:
        changed: 2026-12-01
        was: "… the old text …"
        now: "… the new text …"
        reviewed:
          - topic.md
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .fields import Fields
from .schema import DATE, TEXT, TEXTS, Key, Schema, read_mapping

EDIT_ENTRY = Schema((Key("changed", DATE, required=True), Key("was", TEXT), Key("now", TEXT), Key("reviewed", TEXTS)))


@dataclass(frozen=True)
class Edit:
    """A passage of a seed whose text changed on `changed`, with the pages (paths in content/) reviewed since."""

    number: int
    changed: str
    was: str
    now: str
    reviewed: tuple[str, ...]


def read_edits(seed_id: str, value: dict[Any, Any] | None, numbers: dict[Any, int], fields: Fields) -> tuple[Edit, ...]:
    """The `edited:` mapping of seed `seed_id` (`numbers`: its valid passage ids, already checked, by key), validated, in passage order."""
    edits: list[Edit] = []
    for key, entry in (value or {}).items():
        at = (seed_id, "edited", key)
        if not isinstance(entry, dict):
            fields.problems.add(fields.path, fields.doc.line(*at), f"seed {seed_id!r}: edited {key} must map changed, was, now and reviewed")
            continue
        values = read_mapping(fields, entry, EDIT_ENTRY, at)
        changed = fields.date(values["changed"], (*at, "changed"), f"seed {seed_id!r}: edited {key}: changed")
        reviewed = fields.words(values["reviewed"], (*at, "reviewed"), f"seed {seed_id!r}: edited {key}: reviewed") if values["reviewed"] else ()
        if key in numbers and changed:
            was = fields.text(values["was"], (*at, "was"), "was")
            now = fields.text(values["now"], (*at, "now"), "now")
            edits.append(Edit(numbers[key], changed, was, now, tuple(path.strip().removeprefix("content/") for path in reviewed)))
    return tuple(sorted(edits, key=lambda edit: edit.number))
