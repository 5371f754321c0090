"""Messages of the loaded files in the author's terms: the checksum to paste, a hint after a YAML
syntax error, an impossible date by its key and the form dates take."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import SEED_TEXT

from sitegen.core.errors import BuildError
from sitegen.load.fields import date_problem
from sitegen.load.sources import load_sources
from sitegen.load.yaml_files import parse_yaml

DIGEST = hashlib.sha256(SEED_TEXT.encode("utf-8")).hexdigest()


def problems_of(root: Path) -> list[str]:
    """The problems of the seeds of the project at `root`, as `path:line: message` relative to it."""
    with pytest.raises(BuildError) as raised:
        load_sources(root / "seeds")
    return [f"{Path(p.path).relative_to(root).as_posix()}:{p.line}: {p.message}" for p in raised.value.problems]


def with_sources_line(root: Path, old: str, new: str) -> Path:
    path = root / "seeds" / "sources.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return root


def test_a_missing_sha256_prints_the_value_to_paste_at_the_seed_entry(make_project: Callable[..., Path]) -> None:
    root = with_sources_line(make_project(), f"  sha256: {DIGEST}\n", "")
    assert problems_of(root) == [
        f"seeds/sources.yaml:1: seed '001' has no sha256: add `sha256: {DIGEST}` to its entry (the checksum of 001_example.txt as it is now)"
    ]


def test_a_wrong_sha256_gives_the_files_checksum_and_what_to_do_if_the_seed_changed_on_purpose(make_project: Callable[..., Path]) -> None:
    root = with_sources_line(make_project(), DIGEST, "f" * 64)
    [problem] = problems_of(root)
    assert problem.startswith(f"seeds/001_example.txt:0: seed changed: the file's sha256 is {DIGEST}, sources.yaml records {'f' * 64}")
    assert f"if the seed changed on purpose, re-check every citation of it (passage numbers may have moved), then record `sha256: {DIGEST}`" in problem


def test_a_seed_without_an_entry_is_told_its_sha256(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "seeds" / "002_other.txt").write_text(SEED_TEXT, encoding="utf-8")
    expected = f"seeds/002_other.txt:0: seed '002' has no entry in seeds/sources.yaml: add its title, publisher, kind and sha256 (sha256: {DIGEST})"
    assert expected in problems_of(root)


def yaml_error(text: str) -> str:
    with pytest.raises(BuildError) as raised:
        parse_yaml(text, Path("/p/site.yaml"))
    [problem] = raised.value.problems
    return f"{problem.line}: {problem.message}"


def test_a_tab_in_yaml_is_explained() -> None:
    assert yaml_error("title: x\n\tlanguage: en\n").endswith("(YAML indents with spaces, never tabs: replace the tab with spaces)")


def test_an_unquoted_colon_in_a_value_shows_the_value_quoted() -> None:
    assert yaml_error("title: Part one: the basics\n") == (
        '1: invalid YAML: mapping values are not allowed here (a value that holds ": " must be quoted: title: "Part one: the basics")'
    )


@pytest.mark.parametrize("text", ["title:Welcome\nlanguage: en\n", "language: en\ntitle:Welcome\n"])
def test_a_missing_space_after_a_colon_is_pointed_out(text: str) -> None:
    assert yaml_error(text).endswith("(put a space after the colon in 'title:Welcome')")


def test_a_drifting_indentation_is_pointed_out() -> None:
    assert yaml_error("a:\n  b: 1\n c: 2\n").endswith("(check the indentation: the keys of one mapping start in the same column)")


@pytest.mark.parametrize(("value", "char"), [("@home", "@"), ("`code`", "`"), ("*star", "*")])
def test_a_value_starting_with_a_reserved_character_must_be_quoted(value: str, char: str) -> None:
    assert yaml_error(f"title: {value}\n").endswith(f"(a value starting with {char} must be quoted)")


def test_an_unclosed_list_is_pointed_out() -> None:
    assert "(a [list] or {mapping} is not closed" in yaml_error("language: [en\n")


def test_an_unclosed_quote_is_pointed_out() -> None:
    assert yaml_error('title: "open\n').endswith("(a quoted value is not closed)")


def test_an_impossible_date_names_its_key_and_the_form_of_dates() -> None:
    assert yaml_error("title: x\nreviewed: 2026-02-30\n") == (
        "2: reviewed '2026-02-30' is not a date of the calendar (day is out of range for month): write a real date as YYYY-MM-DD"
    )


def test_an_impossible_quoted_date_names_its_key_and_the_form_of_dates() -> None:
    assert date_problem("2026-13-01", "reviewed") == (
        "", "reviewed '2026-13-01' is not a date of the calendar (month must be in 1..12): write a real date as YYYY-MM-DD"
    )
