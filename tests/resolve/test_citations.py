"""Citations: the `[@000:p20]` syntax, its checks against the seeds, numbering and the reference list."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import load_site, page

from sitegen.core.errors import BuildError
from sitegen.pipeline import build
from sitegen.resolve.citations import CitationKey, CitationSyntaxError, find_citations, parse_citation
from sitegen.resolve.markup import Markup

# The seed 001 of projects.SEED_TEXT: p1 heading, p2 paragraph, p3 heading "Section Two", p4 and p5 paragraphs (p5 excluded).
HOME = page("Home", "Welcome.\n")


def topic(body: str) -> dict[str, str]:
    return {"index.md": HOME, "topic.md": f"---\ntitle: Topic\n---\n{body}"}


def problems(make_project: Callable[..., Path], body: str) -> list[str]:
    with pytest.raises(BuildError) as info:
        load_site(make_project(topic(body)))
    return [str(p) for p in info.value.problems]


def convert(body: str) -> str:
    return Markup({}).convert(body, "topic.md", "topic/").html


def test_single_passage() -> None:
    assert parse_citation("@001:p4") == (CitationKey("001", 4, 4),)


def test_range_of_passages() -> None:
    assert parse_citation("@001:p2-p4") == (CitationKey("001", 2, 4),)


def test_several_citations_in_one_bracket() -> None:
    assert parse_citation("@001:p2; @003:p16") == (CitationKey("001", 2, 2), CitationKey("003", 16, 16))


def test_publication_key_without_passage() -> None:
    assert parse_citation("@schwenk2018") == (CitationKey("schwenk2018", 0, 0),)


def test_reversed_range_is_a_syntax_error() -> None:
    with pytest.raises(CitationSyntaxError, match="reversed range"):
        parse_citation("@001:p5-p3")


@pytest.mark.parametrize("inner", ["@000:", "@:p3", "@000:3", "@000:p0", "@000:p1;", "@000 p1"])
def test_malformed_citation_is_a_syntax_error(inner: str) -> None:
    with pytest.raises(CitationSyntaxError, match="malformed citation"):
        parse_citation(inner)


def test_find_citations_reports_the_line_of_each_bracket() -> None:
    found = find_citations("intro\n\nfact [@001:p2]\nand [@001:p4; @001:p2]\n")
    assert [(f.line, f.keys) for f in found] == [
        (3, (CitationKey("001", 2, 2),)),
        (4, (CitationKey("001", 4, 4), CitationKey("001", 2, 2))),
    ]


def test_citations_in_code_spans_and_fenced_blocks_are_not_found() -> None:
    assert find_citations("`[@001:p2]`\n\n```\n[@001:p4]\n```\n") == ()


def test_unknown_seed_is_an_error_at_the_page_line(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "Intro.\n\nA fact [@009:p2].\n")
    assert re.match(r".*content/topic\.md:6: @009:p2: unknown source '009'", message)


def test_unknown_passage_is_an_error_naming_the_passages_the_seed_has(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "A fact [@001:p99].\n")
    assert message.endswith("content/topic.md:4: @001:p99: seed 001 has no passage p99 (it has p1-p5)")


def test_citing_a_heading_is_an_error(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "A fact [@001:p3].\n")
    assert "p3 of seed 001 is a heading ('Section Two')" in message


def test_range_that_includes_a_heading_is_an_error(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "Facts [@001:p2-p4].\n")
    assert "p3 of seed 001 is a heading" in message


def test_seed_cited_without_a_passage_is_an_error(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "A fact [@001].\n")
    assert "cite a passage of seed 001" in message


def test_malformed_citation_in_a_page_is_an_error_at_its_line(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "One.\nTwo [@001:].\n")
    assert message.endswith("content/topic.md:5: malformed citation '@001:' in [@001:]: write [@000:p12], [@000:p3-p5], [@key] or [@key, locator]")


def test_reversed_range_in_a_page_is_an_error(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "Two [@001:p4-p2].\n")
    assert "content/topic.md:4: reversed range" in message


def test_every_bad_citation_of_a_page_is_reported_in_one_run(make_project: Callable[..., Path]) -> None:
    assert len(problems(make_project, "[@009:p1]\n\n[@001:p99]\n\n[@001:p3]\n\n[@:p3]\n")) == 4


def test_citation_inside_code_is_neither_checked_nor_rendered(make_project: Callable[..., Path]) -> None:
    site = load_site(make_project(topic("Write `[@001:p99]` to cite.\n")))
    page = site.page("topic/")
    assert page is not None and page.references == ()
    assert "<code>[@001:p99]</code>" in page.html


def test_citation_renders_as_a_numbered_superscript_link_to_the_reference() -> None:
    assert convert("A fact [@001:p4].") == (
        '<p>A fact<sup class="cite" id="cite-1-1"><a href="#ref-1">[1]</a></sup>.</p>'
    )


def test_superscripts_of_one_bracket_are_joined_so_they_never_wrap_apart() -> None:
    html = convert("Facts [@001:p2; @001:p4].")
    assert "</sup>\u2060<sup" in html
    assert "Facts<sup" in html


def test_several_citations_in_a_bracket_render_as_several_superscripts() -> None:
    html = convert("Facts [@001:p2; @001:p4].")
    assert re.findall(r'href="#ref-(\d)"', html) == ["1", "2"]


def test_numbers_follow_first_use_across_admonitions_lists_and_tables() -> None:
    body = (
        "First [@001:p4].\n\n"
        '!!! note "Note"\n    In a note [@001:p2].\n\n'
        "- In a list [@001:p5]\n\n"
        "| a | b |\n|---|---|\n| In a table [@001:p6] | again [@001:p4] |\n"
    )
    result = Markup({}).convert(body, "topic.md", "topic/")
    assert [key.first for key, _ in result.citations] == [4, 2, 5, 6]
    assert re.findall(r'href="#ref-(\d)"', result.html) == ["1", "2", "3", "4", "1"]


def test_same_passage_cited_twice_is_one_reference_with_two_anchors() -> None:
    result = Markup({}).convert("One [@001:p4].\n\nTwo [@001:p2].\n\nThree [@001:p4].\n", "topic.md", "topic/")
    assert result.citations[0] == (CitationKey("001", 4, 4), ("cite-1-1", "cite-1-2"))
    assert 'id="cite-1-2"><a href="#ref-1">[1]</a>' in result.html


def test_citation_in_a_heading_does_not_change_the_heading_id_or_toc_title() -> None:
    result = Markup({}).convert("## Aura [@001:p4]\n", "topic.md", "topic/")
    assert result.toc[0].id == "aura"
    assert result.toc[0].title == "Aura"


@pytest.fixture
def reference_page(make_project: Callable[..., Path]) -> str:
    root = make_project(topic("One [@001:p4].\n\nTwo [@001:p2].\n\nThree [@001:p4].\n"))
    return build(root, write=False).outputs["topic/index.html"].decode("utf-8")


def references_section(html: str) -> str:
    match = re.search(r'<section class="references".*?</section>', html, re.DOTALL)
    assert match, "no reference list"
    return match.group(0)


def test_reference_list_is_in_order_of_first_use(reference_page: str) -> None:
    section = references_section(reference_page)
    assert section.index("The second paragraph, with a fact") < section.index("A first paragraph about the topic")


def test_reference_list_quotes_the_cited_passage(reference_page: str) -> None:
    assert re.search(
        r'<li id="ref-1">.*<blockquote class="ref-quote"[^>]*><p>The second paragraph, with a fact worth citing\.</p></blockquote>',
        references_section(reference_page), re.DOTALL,
    )


def test_reference_links_to_the_passage_on_the_source_page(reference_page: str) -> None:
    assert 'href="../sources/001/#p4"' in references_section(reference_page)


def test_reference_cited_twice_links_back_to_each_use_as_a_and_b(reference_page: str) -> None:
    ref = re.search(r'<li id="ref-1">.*?</li>', references_section(reference_page), re.DOTALL)
    assert ref is not None
    assert re.findall(r'<a href="#(cite-1-\d)"[^>]*>([ab])</a>', ref.group(0)) == [("cite-1-1", "a"), ("cite-1-2", "b")]


def test_reference_names_the_section_heading_of_the_passage(reference_page: str) -> None:
    assert re.search(r'class="ref-section">[Ss]ection “Section Two”', references_section(reference_page))


def test_range_reference_quotes_every_passage_of_the_range(make_project: Callable[..., Path]) -> None:
    root = make_project(topic("Both [@001:p4-p5].\n"))
    section = references_section(build(root, write=False).outputs["topic/index.html"].decode("utf-8"))
    assert section.count('<blockquote class="ref-quote"') == 2


def test_publication_citation_renders_the_bibliography_entry(make_project: Callable[..., Path]) -> None:
    root = make_project(topic("Studied [@smith2020].\n"))
    (root / "content" / "references.yaml").write_text(
        "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  journal: J Test\n  doi: 10.1/x\n", encoding="utf-8"
    )
    section = references_section(build(root, write=False).outputs["topic/index.html"].decode("utf-8"))
    assert "Smith J. A study. J Test 2020. doi:10.1/x" in section
    assert 'href="https://doi.org/10.1/x"' in section


def test_publication_cited_with_a_passage_is_an_error(make_project: Callable[..., Path]) -> None:
    root = make_project(topic("Studied [@smith2020:p1].\n"))
    (root / "content" / "references.yaml").write_text(
        "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  doi: 10.1/x\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match="is a publication; cite it as"):
        load_site(root)


def test_fenced_code_block_is_code_and_its_citations_are_not_rendered() -> None:
    result = Markup({}).convert("Text.\n\n```text\nExample:\n\n[@001:p99]\n```\n", "topic.md", "topic/")
    assert result.citations == ()
    assert '<pre><code class="language-text">Example:\n\n[@001:p99]\n</code></pre>' in result.html


def test_citation_in_an_indented_code_block_is_not_checked(make_project: Callable[..., Path]) -> None:
    site = load_site(make_project(topic("Example:\n\n    A fact [@001:p99].\n\nText.\n")))
    page = site.page("topic/")
    assert page is not None and "<pre><code>A fact [@001:p99].\n</code></pre>" in page.html


def test_citation_in_an_indented_list_paragraph_is_checked(make_project: Callable[..., Path]) -> None:
    [message] = problems(make_project, "- First item.\n\n    More about it [@001:p99].\n")
    assert message.endswith("content/topic.md:6: @001:p99: seed 001 has no passage p99 (it has p1-p5)")
