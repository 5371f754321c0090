"""Markdown conversion: relative URLs, `.md` cross-links, glossary terms, headings."""

from __future__ import annotations

import re

import pytest

from sitegen.core.urls import relative_url
from sitegen.load.glossary import GlossaryTerm
from sitegen.resolve.markup import Markup, MarkupResult
from sitegen.resolve.page_state import LinkTarget

URLS = {"index.md": "", "other.md": "other/", "guide/index.md": "guide/", "guide/deep.md": "guide/deep/"}
TERMS = (GlossaryTerm("aura", "aura", "A warning phase.", ("auras",)), GlossaryTerm("nmda-receptor", "NMDA receptor", "A receptor.", ()))


def convert(body: str, source: str = "topic.md", url: str = "topic/", terms: tuple[GlossaryTerm, ...] = ()) -> MarkupResult:
    return Markup(URLS, terms, "glossary/").convert(body, source, url)


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


@pytest.mark.parametrize(
    ("from_url", "to_url", "expected"),
    [
        ("", "", "./"),
        ("", "topic/", "./topic/"),
        ("topic/", "", "../"),
        ("topic/", "other/", "../other/"),
        ("guide/deep/", "other/", "../../other/"),
        ("a/b/c/", "sources/001/", "../../../sources/001/"),
        ("guide/deep/", "static/style.css", "../../static/style.css"),
    ],
)
def test_relative_url_climbs_one_level_per_folder_of_the_current_page(from_url: str, to_url: str, expected: str) -> None:
    assert relative_url(from_url, to_url) == expected


def test_link_to_a_markdown_file_becomes_its_relative_page_url() -> None:
    assert hrefs(convert("[other](other.md)").html) == ["../other/"]


def test_link_keeps_its_fragment() -> None:
    assert hrefs(convert("[aura](other.md#aura)").html) == ["../other/#aura"]


def test_link_from_a_nested_page_climbs_out_of_its_folder() -> None:
    assert hrefs(convert("[other](../other.md)", "guide/deep.md", "guide/deep/").html) == ["../../other/"]


def test_link_to_a_sibling_in_the_same_content_folder() -> None:
    assert hrefs(convert("[deep](deep.md)", "guide/index.md", "guide/").html) == ["../guide/deep/"]


def test_link_to_index_md_goes_to_the_home_page() -> None:
    assert hrefs(convert("[home](index.md)").html) == ["../"]


def test_link_to_the_same_page_with_a_fragment_stays_on_the_page() -> None:
    assert hrefs(convert("[below](other.md#later)", "other.md", "other/").html) == ["#later"]


def test_rewritten_links_are_recorded_with_their_target_fragment_and_href_as_written() -> None:
    result = convert("Intro.\n\nSee [aura](other.md#aura).")
    assert result.links == (LinkTarget(3, "other/", "aura", "other.md#aura"),)


def test_link_to_a_missing_page_is_a_problem_at_its_line() -> None:
    result = convert("Intro.\n\nMore.\n\nSee [gone](gone.md).")
    [problem] = result.link_problems
    assert problem.line == 5
    assert "no page content/gone.md" in problem.message


def test_external_and_plain_fragment_links_are_left_alone() -> None:
    result = convert("[a](https://example.org/x.md) [b](#here) [c](mailto:a@b.c)")
    assert hrefs(result.html) == ["https://example.org/x.md", "#here", "mailto:a@b.c"]
    assert result.link_problems == () and result.links == ()


def test_headings_get_ids_and_a_permalink() -> None:
    html = convert("## Triggers and causes\n").html
    assert '<h2 id="triggers-and-causes">' in html
    assert 'class="headerlink" href="#triggers-and-causes"' in html


def test_explicit_heading_id_from_attr_list_is_kept() -> None:
    result = convert("## Aura phase {#aura}\n")
    assert result.toc[0].id == "aura" and result.toc[0].title == "Aura phase"


def test_tables_and_admonitions_are_enabled() -> None:
    html = convert('| a |\n|---|\n| b |\n\n!!! warning "Careful"\n    Text.\n').html
    assert "<table>" in html and 'class="admonition warning"' in html


def test_first_use_of_a_glossary_term_is_linked_once_per_page() -> None:
    html = convert("An aura comes first. The aura fades.\n\nAnother aura.", terms=TERMS).html
    assert html.count('class="term"') == 1
    assert re.search(r'<a class="term"[^>]*href="\.\./glossary/#aura"[^>]*>aura</a> comes first', html)


def test_glossary_alias_links_to_the_main_term() -> None:
    html = convert("Some auras last an hour.", terms=TERMS).html
    assert re.search(r'<a class="term"[^>]*data-term="aura"[^>]*>auras</a>', html)


def test_glossary_term_is_not_linked_inside_headings_links_or_code() -> None:
    body = "## The aura\n\n[aura](https://example.org) and `aura`\n\n```\naura\n```\n"
    result = convert(body, terms=TERMS)
    assert 'class="term"' not in result.html and result.terms == ()


def test_glossary_term_after_a_heading_use_is_linked_in_the_body() -> None:
    result = convert("## The aura\n\nAn aura comes first.", terms=TERMS)
    assert re.search(r"An <a class=\"term\"[^>]*>aura</a> comes first", result.html)


def test_glossary_term_is_matched_as_a_whole_word_only() -> None:
    assert convert("Laura went home.", terms=TERMS).terms == ()


def test_glossary_terms_are_not_linked_on_the_glossary_page_itself() -> None:
    result = Markup(URLS, TERMS, "glossary/").convert("An aura.", "glossary.md", "glossary/")
    assert result.terms == () and 'class="term"' not in result.html


def test_linked_terms_are_listed_in_order_of_use() -> None:
    assert convert("The NMDA receptor and the aura.", terms=TERMS).terms == ("nmda-receptor", "aura")


def test_one_markup_instance_starts_each_page_afresh() -> None:
    markup = Markup(URLS, TERMS, "glossary/")
    markup.convert("An aura [@001:p4].", "a.md", "a/")
    second = markup.convert("An aura [@001:p2].", "b.md", "b/")
    assert second.terms == ("aura",)
    assert 'id="cite-1-1"' in second.html and [k.first for k, _ in second.citations] == [2]


def test_each_use_of_the_same_broken_link_is_reported_at_its_own_line() -> None:
    result = convert("The file gone.md is named here.\n\n[a](gone.md)\n\nText.\n\n[b](gone.md)\n")
    assert [p.line for p in result.link_problems] == [3, 7]
