"""Content pages: front matter validated per the contract, URLs from file paths and slugs, the glossary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.load.glossary import load_glossary
from sitegen.load.pages import MAX_SLUG, load_pages, parse_page


def page_file(tmp_path: Path, front: str, body: str = "Body text.\n", name: str = "topic.md") -> Path:
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    return path


def error_of(path: Path, relative: str = "topic.md") -> list[str]:
    with pytest.raises(BuildError) as info:
        parse_page(path, relative)
    return [str(p) for p in info.value.problems]


def test_valid_front_matter_is_read_into_the_page(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: Stages\ndescription: The four stages.\norder: 3\nreviewed: 2026-01-15\n")
    page = parse_page(path, "topic.md")
    assert (page.title, page.description, page.order, page.reviewed) == ("Stages", "The four stages.", 3, dt.date(2026, 1, 15))


def test_body_starts_after_the_closing_line_and_knows_its_file_line(tmp_path: Path) -> None:
    page = parse_page(page_file(tmp_path, "title: T\n", body="First line.\nSecond.\n"), "topic.md")
    assert page.body.startswith("First line.")
    assert page.body_line == 4


def test_unknown_key_is_an_error_at_the_line_of_that_key(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: T\ndescription: D\ncolour: red\n")
    assert error_of(path) == [f"{path}:4: unknown key 'colour'; allowed: description, draft, order, reviewed, slug, statements, structured_data, title"]


def test_missing_title_is_an_error_at_the_first_line_of_the_front_matter(tmp_path: Path) -> None:
    path = page_file(tmp_path, "description: D\n")
    assert error_of(path) == [f"{path}:2: missing required key 'title'"]


def test_empty_title_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = page_file(tmp_path, "order: 1\ntitle: ''\n")
    assert error_of(path) == [f"{path}:3: 'title' must not be empty"]


def test_order_that_is_not_a_whole_number_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: T\norder: first\n")
    assert error_of(path) == [f"{path}:3: 'order' must be a whole number, not text"]


def test_reviewed_that_is_not_a_date_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: T\nreviewed: last spring\n")
    assert error_of(path) == [f"{path}:3: reviewed must be a date YYYY-MM-DD, not 'last spring'"]


def test_reviewed_on_an_impossible_calendar_day_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: T\nreviewed: 2026-02-30\n")
    assert error_of(path) == [f"{path}:3: reviewed '2026-02-30' is not a date of the calendar (day is out of range for month): write a real date as YYYY-MM-DD"]


@pytest.mark.parametrize("slug", ["a/b", "..", "two words", "Upper", ""])
def test_slug_that_is_not_a_plain_url_segment_is_an_error_at_its_line(tmp_path: Path, slug: str) -> None:
    path = page_file(tmp_path, f"title: T\nslug: '{slug}'\n")
    [message] = error_of(path)
    assert message.startswith(f"{path}:3: slug {slug!r} is not a plain URL segment")


def test_slug_longer_than_a_folder_name_should_be_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = page_file(tmp_path, f"title: T\nslug: {'a' * (MAX_SLUG + 1)}\n")
    assert error_of(path) == [f"{path}:3: slug is {MAX_SLUG + 1} characters long: keep it to {MAX_SLUG} (it names a folder of the site)"]


def test_slug_of_the_longest_allowed_length_gives_the_url(tmp_path: Path) -> None:
    path = page_file(tmp_path, f"title: T\nslug: {'a' * MAX_SLUG}\n")
    assert parse_page(path, "topic.md").url == f"{'a' * MAX_SLUG}/"


def test_slug_replaces_the_last_part_of_the_url(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: T\nslug: renamed\n", name="guide/topic.md")
    assert parse_page(path, "guide/topic.md").url == "guide/renamed/"


def test_front_matter_that_is_not_closed_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text("---\ntitle: T\nBody without a closing line.\n", encoding="utf-8")
    assert error_of(path, "open.md") == [f"{path}:1: front matter not closed: add a line '---' after the last key"]


def test_front_matter_that_is_a_list_is_an_error(tmp_path: Path) -> None:
    path = page_file(tmp_path, "- title\n- T\n")
    [message] = error_of(path)
    assert message.startswith(f"{path}:2: front matter must be a mapping")


def test_file_without_front_matter_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bare.md"
    path.write_text("# Just Markdown\n", encoding="utf-8")
    [message] = error_of(path, "bare.md")
    assert message.startswith(f"{path}:1: front matter missing")


def test_yaml_syntax_error_points_at_the_file_line(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: T\ndescription: [unclosed\n")
    [message] = error_of(path)
    assert message.startswith(f"{path}:") and "invalid YAML" in message
    assert int(message.split(":")[1]) >= 3


def test_every_front_matter_problem_of_a_page_is_reported_together(tmp_path: Path) -> None:
    path = page_file(tmp_path, "colour: red\norder: x\nslug: A B\n")
    assert len(error_of(path)) == 4


def test_home_page_is_the_site_root(tmp_path: Path) -> None:
    page = parse_page(page_file(tmp_path, "title: Home\n", name="index.md"), "index.md")
    assert page.url == "" and page.output == "index.html"


def test_nested_content_folder_gives_a_nested_url(tmp_path: Path) -> None:
    page = parse_page(page_file(tmp_path, "title: Deep\n", name="guide/deep/stages.md"), "guide/deep/stages.md")
    assert page.url == "guide/deep/stages/"
    assert page.output == "guide/deep/stages/index.html"


def test_index_md_in_a_folder_is_the_folder_url(tmp_path: Path) -> None:
    page = parse_page(page_file(tmp_path, "title: Guide\n", name="guide/index.md"), "guide/index.md")
    assert page.url == "guide/"


def test_two_pages_with_the_same_url_are_an_error(tmp_path: Path) -> None:
    page_file(tmp_path, "title: A\n", name="a.md")
    second = page_file(tmp_path, "title: B\nslug: a\n", name="b.md")
    with pytest.raises(BuildError) as info:
        load_pages(tmp_path / "content")
    [problem] = info.value.problems
    assert str(problem).startswith(f"{second}:3: duplicate URL /a/")


def test_problems_of_several_pages_are_reported_together(tmp_path: Path) -> None:
    page_file(tmp_path, "colour: red\ntitle: A\n", name="a.md")
    page_file(tmp_path, "title: B\norder: x\n", name="b.md")
    with pytest.raises(BuildError) as info:
        load_pages(tmp_path / "content")
    assert [(Path(p.path).name, p.line) for p in info.value.problems] == [("a.md", 2), ("b.md", 3)]


def test_non_markdown_file_in_content_is_an_error(tmp_path: Path) -> None:
    page_file(tmp_path, "title: A\n", name="a.md")
    (tmp_path / "content" / "photo.png").write_bytes(b"\x89PNG")
    with pytest.raises(BuildError) as info:
        load_pages(tmp_path / "content")
    assert "unexpected file in content/" in str(info.value)


def test_pages_are_loaded_in_a_stable_path_order(tmp_path: Path) -> None:
    for name in ("b.md", "a.md", "sub/c.md"):
        page_file(tmp_path, f"title: {name}\n", name=name)
    assert [p.source for p in load_pages(tmp_path / "content")] == ["a.md", "b.md", "sub/c.md"]


def glossary_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "content" / "glossary.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_glossary_terms_get_an_id_from_the_term_and_keep_aliases(tmp_path: Path) -> None:
    glossary_file(tmp_path, "- term: NMDA receptor\n  definition: A receptor.\n  aliases: [NMDA receptors]\n")
    [term] = load_glossary(tmp_path / "content")
    assert (term.id, term.names) == ("nmda-receptor", ("NMDA receptor", "NMDA receptors"))


def test_duplicate_glossary_id_is_an_error_at_its_entry(tmp_path: Path) -> None:
    path = glossary_file(tmp_path, "- term: Aura\n  definition: A.\n- term: aura\n  definition: B.\n")
    with pytest.raises(BuildError) as info:
        load_glossary(tmp_path / "content")
    assert [str(p) for p in info.value.problems] == [f"{path}:3: duplicate glossary id 'aura'"]


def test_glossary_entry_without_definition_is_an_error(tmp_path: Path) -> None:
    glossary_file(tmp_path, "- term: Aura\n")
    with pytest.raises(BuildError, match="missing required key 'definition'"):
        load_glossary(tmp_path / "content")


def test_a_slug_that_no_other_page_uses_is_not_a_duplicate(tmp_path: Path) -> None:
    page_file(tmp_path, "title: A\n", name="a.md")
    page_file(tmp_path, "title: B\nslug: short\n", name="long-name.md")
    assert sorted(p.url for p in load_pages(tmp_path / "content")) == ["a/", "short/"]


@pytest.mark.parametrize("name", ["My Page.md", "FAQ.md", "Guide/topic.md", "two words/index.md"])
def test_file_or_folder_name_that_is_not_a_plain_url_segment_is_an_error(tmp_path: Path, name: str) -> None:
    path = page_file(tmp_path, "title: T\n", name=name)
    [message] = error_of(path, name)
    assert message.startswith(f"{path}:1: the URL /") and "not plain URL segments" in message


def test_a_slug_fixes_a_file_name_that_is_not_a_plain_url_segment(tmp_path: Path) -> None:
    path = page_file(tmp_path, "title: T\nslug: faq\n", name="FAQ.md")
    assert parse_page(path, "FAQ.md").url == "faq/"
