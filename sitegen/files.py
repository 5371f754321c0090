"""Reading input files: UTF-8 text and YAML, with failures turned into `path:line` problems."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildError

MAX_YAML_NODES = 100_000


def read_text(path: Path) -> str:
    """A file's text, decoded as UTF-8 (a leading BOM is dropped)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError.at(path, 0, f"cannot read file: {exc.strerror}") from None
    if b"\x00" in data:
        raise BuildError.at(path, 0, "binary file: expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BuildError.at(path, line, "not valid UTF-8 text: save the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        raise BuildError.at(path, line, f"invalid YAML: {reason}") from None
    except yaml.YAMLError as exc:
        raise BuildError.at(path, first_line, f"invalid YAML: {exc}") from None
    except (ValueError, OverflowError) as exc:  # a well-formed scalar with an impossible value (2026-02-30)
        line = _unconstructable_line(loader, node, first_line)
        raise BuildError.at(path, line, f"invalid value: {exc}") from None
    except RecursionError:  # thousands of nested brackets: the parser itself recurses
        raise BuildError.at(path, first_line, "YAML nested too deeply: flatten the lists and mappings") from None
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _collect_key_lines(node, (), lines, first_line)
    return YamlDocument(data, lines, first_line)


def _unconstructable_line(loader: yaml.SafeLoader, root: yaml.Node, first_line: int) -> int:
    """The line of the first scalar whose value cannot be constructed (the document start if none is found)."""
    stack = [root]
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader.construct_object(loader, node)
            except Exception:
                return first_line + node.start_mark.line
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(child for pair in node.value for child in pair)
    return first_line


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
    node: yaml.Node, prefix: tuple[Any, ...], out: dict[tuple[Any, ...], int], first_line: int
) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                path = (*prefix, key.value)
                out.setdefault(path, first_line + key.start_mark.line)
                _collect_key_lines(value, path, out, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            path = (*prefix, index)
            out.setdefault(path, first_line + child.start_mark.line)
            _collect_key_lines(child, path, out, first_line)


def list_tree(folder: Path) -> tuple[list[str], list[str]]:
    """The files and the folders below `folder`, as POSIX paths relative to it, each list sorted
    as `sorted(Path.rglob(...))` sorts (by path components); empty when there is no such folder.
    Symbolic links to folders are not followed. One `os.scandir` per folder lists a large tree
    several times faster than `Path.rglob`."""
    files: list[str] = []
    folders: list[str] = []
    pending = [(str(folder), "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = os.scandir(current)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(prefix + entry.name)
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    files.append(prefix + entry.name)
    files.sort(key=_components)
    folders.sort(key=_components)
    return files, folders


def files_under(folder: Path) -> list[str]:
    """The files of `list_tree`."""
    return list_tree(folder)[0]


def _components(path: str) -> list[str]:
    return path.split("/")
