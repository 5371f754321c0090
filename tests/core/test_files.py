"""Reading input files: listing a folder the way the build reads it, and YAML, which libyaml (where it
is used) reads exactly as the pure-Python parser does (the same values, the same line for every key),
anything else falling back to the pure parser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from sitegen.core import files
from sitegen.core.errors import BuildError
from sitegen.core.files import YamlDocument, list_tree, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
needs_libyaml = pytest.mark.skipif(getattr(yaml, "CSafeLoader", None) is None, reason="PyYAML built without libyaml")

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


def read_by_both(text: str, first_line: int = 1) -> tuple[YamlDocument | None, YamlDocument]:
    path = Path("doc.yaml")
    return files._parse_with_libyaml(yaml.CSafeLoader, text, path, first_line), files._parse_with_pure_python(text, path, first_line)


def front_matters() -> list[tuple[str, str]]:
    found = []
    for page in sorted((ROOT / "content").rglob("*.md")):
        lines = files.read_text(page, ROOT).split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
        found.append((page.name, "\n".join(lines[1:end])))
    return found


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


@needs_libyaml
@pytest.mark.parametrize("name", ["site.yaml", "content/glossary.yaml", "content/references.yaml", "seeds/sources.yaml"])
def test_the_projects_yaml_files_read_alike_by_both_parsers(name: str) -> None:
    text = files.read_text(ROOT / name, ROOT)
    assert files._libyaml_reads_like_pure(text)
    fast, pure = read_by_both(text)
    assert fast is not None
    assert (fast.data, fast.key_lines) == (pure.data, pure.key_lines)


@needs_libyaml
def test_the_projects_front_matter_reads_alike_by_both_parsers() -> None:
    for name, text in front_matters():
        assert files._libyaml_reads_like_pure(text), name
        fast, pure = read_by_both(text, first_line=2)
        assert fast is not None, name
        assert (fast.data, fast.key_lines) == (pure.data, pure.key_lines), name


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
    assert not files._libyaml_reads_like_pure(text)
    assert outcome(parse_yaml, text) == outcome(files._parse_with_pure_python, text)


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
        files._parse_with_pure_python(text, Path("doc.yaml"), first_line=2)
    assert [str(p) for p in fast.value.problems] == [str(p) for p in pure.value.problems]


def test_an_impossible_date_is_reported_in_the_pure_parsers_words() -> None:
    text = "title: T\nreviewed: 2026-02-30\n"
    with pytest.raises(BuildError) as fast:
        parse_yaml(text, Path("doc.yaml"), first_line=2)
    with pytest.raises(BuildError) as pure:
        files._parse_with_pure_python(text, Path("doc.yaml"), first_line=2)
    assert [str(p) for p in fast.value.problems] == [str(p) for p in pure.value.problems]
    assert fast.value.problems[0].line == 3


def test_without_libyaml_the_pure_parser_reads_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_LIBYAML_LOADER", None)
    monkeypatch.setattr(files, "_parse_with_libyaml", lambda *args: pytest.fail("libyaml used"))
    document = parse_yaml(NESTED_MAPPINGS, Path("doc.yaml"), first_line=2)
    assert (document.data["seo"]["keywords"]["secondary"], document.line("order")) == ("aura", 8)
