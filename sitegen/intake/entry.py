"""Seed entries of `sources.yaml`, written as text so that everything around them (comments, quoting,
the order of keys) stays as the author wrote it: a new entry appended, an entry's fields set, and the
passage ids of its `blocks:`, `exclude:` and `edited:` mappings renumbered, line by line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError

_PASSAGE_KEY = re.compile(r"^(\s*)([\"']?)p([1-9][0-9]*)\2(\s*:.*)$")
_FIELD_KEY = re.compile(r"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")
RENUMBERED = ("blocks", "exclude", "edited")


def yaml_text(value: str) -> str:
    """`value` as a YAML double-quoted scalar (JSON's string syntax, which YAML reads alike), non-ASCII letters kept."""
    quoted = json.dumps(value, ensure_ascii=False)
    return "".join(char if char.isprintable() or char == " " else f"\\u{ord(char):04x}" for char in quoted)


def entry_text(seed_id: str, fields: list[tuple[str, str]], mappings: Mapping[str, Mapping[int, str]]) -> str:
    """A new entry: `fields` (name, YAML text of the value) in order, then each non-empty mapping of passage numbers to YAML text."""
    lines = [f"{yaml_text(seed_id)}:", *(f"  {name}: {value}" for name, value in fields)]
    for name, values in mappings.items():
        if values:
            lines.append(f"  {name}:")
            lines.extend(f"    p{number}: {value}" for number, value in sorted(values.items()))
    return "\n".join(lines) + "\n"


@dataclass
class _Segment:
    """One field of an entry: its name and its lines (the first holds the key)."""

    name: str
    lines: list[str]


def update_entry(
    text: str, entry_line: int, path: Path, renumber: Callable[[int], int], fields: Mapping[str, str], replaced: Mapping[str, list[str]],
) -> str:
    """`text` of sources.yaml with the entry whose key is on line `entry_line` changed: each passage id of `blocks:` and
    `exclude:` renumbered (`renumber` gives 0 for a passage removed: its line goes), each of `fields` set to its YAML text
    (added at the end when missing), and each mapping of `replaced` made the given lines (none: the field goes)."""
    lines = text.split("\n")
    start, end = entry_line, _entry_end(lines, entry_line)
    segments = _segments(lines[start:end], path, entry_line)
    indent = re.match(r"^\s*", segments[0].lines[0]).group(0) if segments else "  "  # type: ignore[union-attr]
    by_name = {segment.name: segment for segment in segments}
    for name in ("blocks", "exclude"):
        if name in by_name and name not in replaced:
            by_name[name].lines = _renumbered(by_name[name].lines, renumber, path, entry_line)
    for name, value in fields.items():
        line = f"{indent}{name}: {value}"
        if name in by_name:
            by_name[name].lines = [line]
        else:
            segments.append(_Segment(name, [line]))
    for name, body in replaced.items():
        new_lines = [f"{indent}{name}:", *(f"{indent}  {line}" for line in body)] if body else []
        if name in by_name:
            by_name[name].lines = new_lines
        elif new_lines:
            segments.append(_Segment(name, new_lines))
    kept = [segment for segment in segments if len(segment.lines) > 1 or (segment.lines and not segment.lines[0].rstrip().endswith(":"))
            or segment.name not in RENUMBERED]
    body = [line for segment in kept for line in segment.lines]
    return "\n".join([*lines[:start], *body, *lines[end:]])


def _entry_end(lines: list[str], entry_line: int) -> int:
    """The index after the entry's last line: before the next top-level line, trailing blank and comment lines left outside."""
    end = entry_line
    while end < len(lines) and (not lines[end] or lines[end][0] in " \t#"):
        end += 1
    while end > entry_line and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end


def _segments(lines: list[str], path: Path, entry_line: int) -> list[_Segment]:
    segments: list[_Segment] = []
    indent = None
    for offset, line in enumerate(lines):
        match = _FIELD_KEY.match(line)
        own = len(line) - len(line.lstrip())
        if match and not line.lstrip().startswith("#") and (indent is None or own == indent):
            indent = own
            segments.append(_Segment(match.group(2), [line]))
        elif segments:
            segments[-1].lines.append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise BuildError.at(path, entry_line + offset + 1, "cannot read this line of the entry: write one field a line")
    return segments


def _renumbered(lines: list[str], renumber: Callable[[int], int], path: Path, entry_line: int) -> list[str]:
    """A `blocks:` or `exclude:` field's lines with each passage id renumbered, entries of removed passages left out, in passage order."""
    head, *rest = lines
    if head.split(":", 1)[1].split("#", 1)[0].strip():
        raise BuildError.at(path, entry_line, f"write {head.split(':', 1)[0].strip()}: one passage a line (not {{...}}) so that its passages can be renumbered")
    entries: list[tuple[int, list[str]]] = []
    for line in rest:
        match = _PASSAGE_KEY.match(line)
        if match:
            number = renumber(int(match.group(3)))
            entries.append((number, [f"{match.group(1)}{match.group(2)}p{number}{match.group(2)}{match.group(4)}"]))
        elif entries:
            entries[-1][1].append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise BuildError.at(path, entry_line, f"cannot read {line.strip()!r} under {head.strip()} as a passage id such as p12")
    kept = sorted((entry for entry in entries if entry[0]), key=lambda entry: entry[0])
    return [head, *(line for _, entry_lines in kept for line in entry_lines)] if kept else [head]
