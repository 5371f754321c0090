"""YAML of the project's files, parsed with `safe_load` semantics into a `YamlDocument` that knows the
line of every key, every failure a `path:line` problem: a syntax error, a key given twice in one
mapping, a value that cannot be constructed, and a document whose aliases would expand it beyond
`MAX_YAML_NODES` values (an alias bomb) or nest it too deeply.

YAML is parsed by libyaml (PyYAML's C parser, several times faster) when it is installed and the
text keeps to the constructs on which it and PyYAML's pure-Python parser agree exactly: the same
values, the same line for every key. Anything else, and every failure, goes to the pure parser, so
that what a document means and every error message (file, line, wording) never depend on libyaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import BuildError
from .yaml_hints import syntax_hint

MAX_YAML_NODES = 100_000

_LIBYAML_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)  # None: PyYAML built without libyaml

# libyaml composes nested collections by recursion in C: a document nested deeper than about
# 2,000 levels could exhaust a thread's stack (some 0.4 kB a level) instead of raising. Every
# collection starts with one of the characters [ { - : ? of its own, so their count bounds the depth.
_LIBYAML_MAX_INDICATORS = 1_000

# What libyaml accepts, or reads otherwise, where the pure parser refuses it or reads it differently,
# as found by comparing the two on millions of generated and mutated documents: tabs, carriage
# returns, NEL/LS/PS line breaks and byte-order marks; a tag ("!") where a token may start or right
# after ":", "?" or "-"; a directive ("%" at a line start); a comment right after a block scalar's "|" or ">".
_LIBYAML_DIFFERS = re.compile(r"[\t\r\x85\u2028\u2029\ufeff]|(?<![^\s\[\]{},:?-])!|^%|[|>][-+0-9]*#", re.MULTILINE)
# ... and, when there may be a flow collection ([…], {…}), a "?" or a ":" directly before , [ ] { or }.
_LIBYAML_DIFFERS_IN_FLOW = re.compile(r"\?|:[,\[\]{}]")


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML plus the line of every mapping key, by key path, for error messages."""

    data: Any
    key_lines: dict[tuple[Any, ...], int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *keys: Any) -> int:
        """Line of the deepest key of `keys` that is known (falls back to the document start)."""
        for end in range(len(keys), 0, -1):
            found = self.key_lines.get(tuple(keys[:end]))
            if found:
                return found
        return self.first_line


def parse_yaml(text: str, path: Path, first_line: int = 1) -> YamlDocument:
    """Parse YAML with `safe_load` semantics; syntax errors and alias bombs become problems."""
    if _LIBYAML_LOADER is not None and _libyaml_reads_like_pure(text):
        parsed = _parse_with_libyaml(_LIBYAML_LOADER, text, path, first_line)
        if parsed is not None:
            return parsed
    return _parse_with_pure_python(text, path, first_line)


def _libyaml_reads_like_pure(text: str) -> bool:
    """Whether `text` keeps to the YAML on which libyaml and the pure parser agree (see the module docstring)."""
    if sum(text.count(indicator) for indicator in "[{-:?") > _LIBYAML_MAX_INDICATORS or _LIBYAML_DIFFERS.search(text):
        return False
    return not (("[" in text or "{" in text) and _LIBYAML_DIFFERS_IN_FLOW.search(text))


def _parse_with_libyaml(loader_class: type[yaml.CSafeLoader], text: str, path: Path, first_line: int) -> YamlDocument | None:
    """The document as libyaml reads it; None on any failure, which the pure parser then reports in its own words."""
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDocument(None, {}, first_line)
            _refuse_bombs(node, path, first_line)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except Exception:  # whatever went wrong, the pure parser says it exactly as it always has
        return None
    lines: dict[tuple[Any, ...], int] = {}
    _collect_key_lines(node, (), lines, first_line, path)
    return YamlDocument(data, lines, first_line)


def _parse_with_pure_python(text: str, path: Path, first_line: int) -> YamlDocument:
    """The document as PyYAML's pure-Python parser reads it, every failure turned into a `path:line` problem."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character anywhere in the text
        line = first_line + text.count("\n", 0, exc.position)
        raise BuildError.at(path, line, f"invalid YAML: character U+{exc.character:04X} is not allowed here; remove it") from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_bombs(node, path, first_line)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        reason = exc.problem or exc.context or "invalid YAML"
        hint = syntax_hint(reason, text.splitlines(), mark.line) if mark else ""
        raise BuildError.at(path, line, f"invalid YAML: {reason}" + (f" ({hint})" if hint else "")) from None
    except yaml.YAMLError as exc:
        raise BuildError.at(path, first_line, f"invalid YAML: {exc}") from None
    except (ValueError, OverflowError) as exc:  # a well-formed scalar with an impossible value (2026-02-30)
        line, key, scalar = _unconstructable(loader, node, first_line)
        raise BuildError.at(path, line, _invalid_value(exc, key, scalar)) from None
    except RecursionError:  # thousands of nested brackets: the parser itself recurses
        raise BuildError.at(path, first_line, "YAML nested too deeply: flatten the lists and mappings") from None
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _collect_key_lines(node, (), lines, first_line, path)
    return YamlDocument(data, lines, first_line)


def _unconstructable(loader: yaml.SafeLoader, root: yaml.Node, first_line: int) -> tuple[int, str, yaml.ScalarNode | None]:
    """The line of the first scalar whose value cannot be constructed, the key it is the value of ("" if
    none) and the scalar (the document start, "" and None if none is found)."""
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, key = stack.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader.construct_object(loader, node)
            except Exception:
                return first_line + node.start_mark.line, key, node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, key) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend((child, str(name.value) if isinstance(name, yaml.ScalarNode) else "") for name, value in node.value for child in (name, value))
    return first_line, "", None


def _invalid_value(exc: Exception, key: str, scalar: yaml.ScalarNode | None) -> str:
    """The message of a scalar that cannot be constructed: a date names its key and the form dates take."""
    if scalar is not None and scalar.tag == "tag:yaml.org,2002:timestamp":
        named = f"{key} " if key else ""
        return f"{named}{scalar.value!r} is not a date of the calendar ({exc}): write a real date as YYYY-MM-DD"
    return f"invalid value: {exc}"


def _refuse_bombs(root: yaml.Node, path: Path, first_line: int) -> None:
    """Count nodes as if aliases were expanded; refuse documents that would explode in size."""
    expanded: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in expanded:
            return expanded[id(node)]
        if depth > 200:
            raise BuildError.at(path, first_line + node.start_mark.line, "YAML nested too deeply")
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        if total > MAX_YAML_NODES:
            raise BuildError.at(
                path, first_line + node.start_mark.line,
                "YAML expands to too many values (aliases nested in aliases?)",
            )
        expanded[id(node)] = total
        return total

    size(root, 0)


def _collect_key_lines(
    node: yaml.Node, prefix: tuple[Any, ...], out: dict[tuple[Any, ...], int], first_line: int, file: Path
) -> None:
    """The line of every key and list item below `node`, by key path; a key given twice in one
    mapping is an error (YAML keeps the last silently, so the first would be lost unseen)."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[tuple[str, str], int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = first_line + key.start_mark.line
                if key.tag != "tag:yaml.org,2002:merge" and (key.tag, key.value) in seen:
                    earlier = seen[(key.tag, key.value)]
                    raise BuildError.at(file, line, f"key {key.value!r} is given twice in one mapping (first at line {earlier}): keep one")
                seen[(key.tag, key.value)] = line
                path = (*prefix, key.value)
                out.setdefault(path, line)
                _collect_key_lines(value, path, out, first_line, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            path = (*prefix, index)
            out.setdefault(path, first_line + child.start_mark.line)
            _collect_key_lines(child, path, out, first_line, file)
