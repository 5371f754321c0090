"""Reading input files: listing a folder the way the build reads it, and YAML, which libyaml (where it
is used) reads exactly as the pure-Python parser does (the same values, the same line for every key),
anything else falling back to the pure parser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from yaml_parsers import needs_libyaml, read_by_both

from sitegen.core.errors import BuildError
from sitegen.core.files import list_tree
from sitegen.load import yaml_files
from sitegen.load.yaml_files import YamlDocument, parse_yaml

NESTED_MAPPINGS = "title: T\nseo:\n  description: D\n  keywords:\n    primary: migraine\n    secondary: aura\norder: 2\n"
LISTS_OF_MAPPINGS = (
    "- term: Aura\n  definition: A warning sign.\n  aliases: [auras, visual aura]\n"
    "- term: Trigger\n  definition: >\n    Something that\n    starts an attack.\n"
)
MULTI_LINE_STRINGS = (
    "title: |\n  First line\n  second line\n\ndescription: >-\n  Folded\n  text\nplain: a plain scalar\n  continued here\n"
    "quoted: \"a quoted\n  scalar\"\nafter: 2026-01-15\n"
)
REPRESENTATIVE = [NESTED_MAPPINGS, LISTS_OF_MAPPINGS, MULTI_LINE_STRINGS, "{flow: mapping, with: [a, b]}\n", "", "# only a comment\n"]


def test_list_tree_gives_relative_posix_paths_sorted_by_component(tmp_path: Path) -> None:
    for name in ("b.md", "a/z.md", "a-b/c.md", "a/b/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, folders = list_tree(tmp_path)
    assert files == ["a/b/c.md", "a/z.md", "a-b/c.md", "b.md"]
    assert folders == ["a", "a/b", "a-b"]
    assert files == [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]


def test_list_tree_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert list_tree(tmp_path / "absent") == ([], [])


def test_list_tree_does_not_follow_a_link_to_a_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "page.md").write_text("x", encoding="utf-8")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert list_tree(tmp_path / "tree") == ([], [])


# --- YAML ---


@needs_libyaml
@pytest.mark.parametrize("text", REPRESENTATIVE)
def test_libyaml_gives_the_same_values_and_key_lines_as_the_pure_parser(text: str) -> None:
    fast, pure = read_by_both(text)
    assert fast is not None
    assert (fast.data, fast.key_lines) == (pure.data, pure.key_lines)


@needs_libyaml
def test_key_lines_of_front_matter_are_offset_by_its_first_line() -> None:
    fast, pure = read_by_both(NESTED_MAPPINGS, first_line=2)
    assert fast is not None
    assert fast.key_lines == pure.key_lines
    assert (fast.line("title"), fast.line("seo", "keywords", "secondary"), fast.line("order")) == (2, 7, 8)


@pytest.mark.parametrize("text", [
    pytest.param("title: T\t\n", id="tab"),  # the pure parser refuses it there, libyaml does not
    pytest.param("tags: [a?b]\n", id="question-mark-in-flow"),
    pytest.param("{'key':!}\n", id="tag-after-colon"),
    pytest.param("text: |#\n  x\n", id="comment-glued-to-block-scalar-header"),
    pytest.param("%YAML 1.1\n---\ntitle: T\n", id="directive"),
    pytest.param("title: T\r\n", id="carriage-return"),
    pytest.param("list: " + "[" * 1200 + "]" * 1200 + "\n", id="nested-deeper-than-libyaml-recurses-safely"),
])
def test_constructs_libyaml_reads_differently_go_to_the_pure_parser(text: str) -> None:
    assert not yaml_files._libyaml_reads_like_pure(text)
    assert outcome(parse_yaml, text) == outcome(yaml_files._parse_with_pure_python, text)


def outcome(parse: Callable[[str, Path, int], YamlDocument], text: str) -> tuple[object, ...]:
    try:
        document = parse(text, Path("doc.yaml"), 2)
    except BuildError as error:
        return tuple(str(problem) for problem in error.problems)
    return document.data, document.key_lines


def test_an_error_is_reported_in_the_pure_parsers_words() -> None:
    text = "title: T\norder: [1, 2\n"
    with pytest.raises(BuildError) as fast:
        parse_yaml(text, Path("doc.yaml"), first_line=2)
    with pytest.raises(BuildError) as pure:
        yaml_files._parse_with_pure_python(text, Path("doc.yaml"), first_line=2)
    assert [str(p) for p in fast.value.problems] == [str(p) for p in pure.value.problems]


def test_an_impossible_date_is_reported_in_the_pure_parsers_words() -> None:
    text = "title: T\nreviewed: 2026-02-30\n"
    with pytest.raises(BuildError) as fast:
        parse_yaml(text, Path("doc.yaml"), first_line=2)
    with pytest.raises(BuildError) as pure:
        yaml_files._parse_with_pure_python(text, Path("doc.yaml"), first_line=2)
    assert [str(p) for p in fast.value.problems] == [str(p) for p in pure.value.problems]
    assert fast.value.problems[0].line == 3


def test_without_libyaml_the_pure_parser_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_files, "_LIBYAML_LOADER", None)
    monkeypatch.setattr(yaml_files, "_parse_with_libyaml", lambda *args: pytest.fail("libyaml used"))
    document = parse_yaml(NESTED_MAPPINGS, Path("doc.yaml"), first_line=2)
    assert (document.data["seo"]["keywords"]["secondary"], document.line("order")) == ("aura", 8)
