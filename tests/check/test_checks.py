"""Checks on a rendered site: the link checker and seed coverage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from projects import load_site, page

from sitegen.check.coverage import coverage_problems, coverage_table
from sitegen.check.links import link_problems, scan_links
from sitegen.check.origins import MarkdownOrigins
from sitegen.core.errors import shown
from sitegen.pipeline import build
from sitegen.resolve.coverage import coverage
from sitegen.resolve.model import ResolvedPage, Site

TARGET = b'<h2 id="aura">Aura</h2>'


def site_with(page: str) -> dict[str, bytes]:
    """A two-page site: `a/index.html` holds `page`, `b/index.html` has one anchor."""
    return {"index.html": b"<p>home</p>", "a/index.html": page.encode(), "b/index.html": TARGET, "static/x.css": b""}


def messages(outputs: dict[str, bytes]) -> list[str]:
    """The link problems as the command line prints them (the default output folder is site/ of the working folder)."""
    return [shown(p) for p in link_problems(outputs)]


def test_links_that_resolve_are_not_reported() -> None:
    assert messages(site_with('<a href="../b/#aura">b</a><a href="../">home</a><link href="../static/x.css"><a href="#top" id="top">t</a>')) == []


def test_broken_anchor_on_another_page_is_reported_with_its_line() -> None:
    assert messages(site_with('<p>x</p>\n<a href="../b/#stages">b</a>')) == [
        "site/a/index.html:2: broken anchor '../b/#stages': b/index.html has no id 'stages'"
    ]


def test_broken_anchor_on_the_same_page_is_reported() -> None:
    assert messages(site_with('<a href="#nowhere">x</a>')) == ["site/a/index.html:1: broken anchor '#nowhere': a/index.html has no id 'nowhere'"]


def test_link_to_a_missing_page_is_reported() -> None:
    assert messages(site_with('<a href="../c/">c</a>')) == ["site/a/index.html:1: broken link '../c/': no c/index.html in the site"]


def test_link_to_a_folder_without_a_trailing_slash_is_reported() -> None:
    assert messages(site_with('<a href="../b">b</a>')) == ["site/a/index.html:1: link '../b' to a folder needs a trailing slash"]


def test_root_absolute_link_is_reported() -> None:
    assert messages(site_with('<a href="/b/">b</a>')) == ["site/a/index.html:1: root-absolute link '/b/': internal links must be relative"]


def test_link_leaving_the_site_is_reported() -> None:
    assert messages(site_with('<a href="../../x/">x</a>')) == ["site/a/index.html:1: link '../../x/' leaves the site"]


def test_missing_image_source_is_reported() -> None:
    assert messages(site_with('<img src="../static/missing.png" alt="">')) == [
        "site/a/index.html:1: broken link '../static/missing.png': no static/missing.png in the site"
    ]


def test_external_links_are_ignored() -> None:
    assert messages(site_with('<a href="https://example.org/nowhere/#x">e</a><a href="mailto:a@b.c">m</a><a href="//cdn.example/x">c</a>')) == []


def test_not_found_page_is_not_checked_for_relative_links() -> None:
    outputs = site_with("<p>x</p>")
    outputs["404.html"] = b'<a href="/">home</a>'
    assert messages(outputs) == []


def test_the_same_broken_link_is_reported_on_every_page_that_has_it() -> None:
    outputs = site_with('<a href="../c/">c</a>')
    outputs["d/index.html"] = b'<p>x</p>\n<a href="../c/">c</a>'
    assert messages(outputs) == [
        "site/a/index.html:1: broken link '../c/': no c/index.html in the site",
        "site/d/index.html:2: broken link '../c/': no c/index.html in the site",
    ]


def test_a_link_within_a_page_is_checked_against_that_pages_own_ids() -> None:
    outputs = site_with('<h2 id="top">A</h2><a href="#top">t</a>')
    outputs["d/index.html"] = b'<a href="#top">t</a>'
    assert messages(outputs) == ["site/d/index.html:1: broken anchor '#top': d/index.html has no id 'top'"]


def test_the_same_link_on_pages_at_different_depths_resolves_from_each_page() -> None:
    outputs = site_with('<a href="../b/#aura">b</a>')
    outputs["a/x/index.html"] = b'<a href="../b/#aura">b</a>'
    assert messages(outputs) == ["site/a/x/index.html:1: broken link '../b/#aura': no a/b/index.html in the site"]


def test_a_scan_lists_the_links_with_their_lines_in_order() -> None:
    scanned = scan_links(b'<a href="one/">1</a>\n<p>x</p>\n<img src="two.png"><a href="">3</a>')
    assert scanned.links == [(1, "one/"), (3, "two.png"), (3, "")]


def test_a_scan_of_a_page_without_links_has_none() -> None:
    assert scan_links(b"<p>plain</p>").links == []


def test_a_scan_knows_each_id_and_nothing_between_or_around_them() -> None:
    scanned = scan_links(b'<h2 id="aura">A</h2><h2 id="stages">S</h2>')
    assert scanned.ids == ["aura", "stages"]
    assert scanned.has_id("aura") and scanned.has_id("stages")
    assert not any(scanned.has_id(value) for value in ("", "aur", "ura", "aura\0stages", "stages\0"))


def test_findings_lie_in_the_given_output_folder(tmp_path: Path) -> None:
    [problem] = link_problems(site_with('<a href="#nowhere">x</a>'), tmp_path / "public")
    assert problem.path == (tmp_path / "public" / "a" / "index.html").as_posix()


# Coverage, on the seed 001 of projects.SEED_TEXT: p1 and p3 are headings; p2, p4, p5 paragraphs; p5 excluded.
HOME = page("Home", "Welcome.\n")


def coverage_of(make_project: Callable[..., Path], body: str, seed_text: str | None = None) -> Site:
    pages = {"index.md": HOME, "topic.md": f"---\ntitle: Topic\n---\n{body}"}
    root = make_project(pages) if seed_text is None else make_project(pages, seed_text=seed_text)
    return load_site(root)


def test_cited_excluded_and_uncited_paragraphs_are_counted(make_project: Callable[..., Path]) -> None:
    [row] = coverage(coverage_of(make_project, "A fact [@001:p4].\n"))
    assert (row.passages, row.paragraphs, row.cited, row.excluded, row.uncited) == (5, 3, 1, 1, (2,))


def test_a_range_citation_counts_every_passage_in_the_range(make_project: Callable[..., Path]) -> None:
    seed = "Heading\nFirst sentence here.\nSecond sentence here.\nThird sentence here.\nFourth sentence here.\nFifth sentence here.\n"
    site = coverage_of(make_project, "All [@001:p2-p4].\n", seed_text=seed)
    [row] = coverage(site)
    assert row.cited == 3


def test_headings_are_not_counted_as_paragraphs(make_project: Callable[..., Path]) -> None:
    [row] = coverage(coverage_of(make_project, "Facts [@001:p2; @001:p4].\n"))
    assert row.paragraphs == 3 and row.complete


def test_a_cited_excluded_passage_counts_as_cited_only(make_project: Callable[..., Path]) -> None:
    [row] = coverage(coverage_of(make_project, "Facts [@001:p2; @001:p4; @001:p5].\n"))
    assert (row.cited, row.excluded) == (3, 0)


def test_each_uncited_paragraph_is_a_problem_at_its_seed_line(make_project: Callable[..., Path]) -> None:
    site = coverage_of(make_project, "A fact [@001:p4].\n")
    [problem] = coverage_problems(site)
    assert (problem.path, problem.line) == ((site.settings.root / "seeds" / "001_example.txt").as_posix(), 3)
    assert problem.message == "p2 is neither cited by any page nor excluded in seeds/sources.yaml"


def test_full_coverage_has_no_problems(make_project: Callable[..., Path]) -> None:
    assert coverage_problems(coverage_of(make_project, "Facts [@001:p2; @001:p4].\n")) == []


def test_coverage_table_has_one_row_per_seed_with_its_counts(make_project: Callable[..., Path]) -> None:
    table = coverage_table(coverage_of(make_project, "A fact [@001:p4].\n")).splitlines()
    assert table[0].split() == ["seed", "passages", "paragraphs", "cited", "excluded", "uncited"]
    assert table[1].split() == ["001", "5", "3", "1", "1", "1"]


def test_cross_link_to_a_missing_anchor_is_found_in_the_rendered_site(make_project: Callable[..., Path]) -> None:
    root = make_project({
        "index.md": HOME,
        "topic.md": page("Topic", "## Aura\n\nText.\n"),
        "other.md": page("Other", "See [stages](topic.md#stages) and [aura](topic.md#aura).\n"),
    })
    problems = [p for p in link_problems(build(root, write=False).outputs, root / "site") if "#" in p.message]
    assert [(p.path, p.message) for p in problems] == [
        ((root / "site" / "other" / "index.html").as_posix(), "broken anchor '../topic/#stages': topic/index.html has no id 'stages'")
    ]


# Where in a page's Markdown a problem was written: one mechanism for broken links and raw-HTML notes.


def topic_page(make_project: Callable[..., Path], body: str) -> tuple[ResolvedPage, Path]:
    """The resolved page content/topic.md (its body starts on line 4) and the project's content folder."""
    site = coverage_of(make_project, body)
    return next(page for page in site.pages if page.source == "topic.md"), site.settings.content_dir


def test_origins_place_a_thing_at_the_first_markdown_line_that_spells_it(make_project: Callable[..., Path]) -> None:
    page, content = topic_page(make_project, "One.\n\nA zebra here.\n\nA zebra again.\n")
    assert MarkdownOrigins(page, content).of("zebra") == ((content / "topic.md").as_posix(), 6)


def test_origins_find_nothing_for_a_thing_the_markdown_does_not_spell(make_project: Callable[..., Path]) -> None:
    page, content = topic_page(make_project, "One.\n")
    assert MarkdownOrigins(page, content).of("zebra") is None


def test_origins_use_a_known_line_before_any_search(make_project: Callable[..., Path]) -> None:
    page, content = topic_page(make_project, "One.\n\nA zebra here.\n")
    assert MarkdownOrigins(page, content, known={"zebra": 9}).of("zebra") == ((content / "topic.md").as_posix(), 9)


def test_origins_search_the_markdown_for_the_first_max_searches_things_only(make_project: Callable[..., Path]) -> None:
    count = MarkdownOrigins.MAX_SEARCHES + 5
    page, content = topic_page(make_project, "".join(f"thing-{i}\n\n" for i in range(count)))
    origins = MarkdownOrigins(page, content)
    found = [origins.of(f"thing-{i}") for i in range(count)]
    assert [place is not None for place in found] == [True] * MarkdownOrigins.MAX_SEARCHES + [False] * 5
    assert origins.of("thing-0") == ((content / "topic.md").as_posix(), 4)  # what was found stays found


def test_duplicate_ids_past_the_searched_first_hundred_are_still_each_reported(make_project: Callable[..., Path]) -> None:
    count = MarkdownOrigins.MAX_SEARCHES + 20
    twice = "".join(f"## Part {i} {{#part-{i}}}\n\n<div id=\"part-{i}\">Raw.</div>\n\n" for i in range(count))
    root = make_project({"index.md": HOME, "topic.md": f"---\ntitle: Topic\n---\n{twice}"})
    result = build(root, write=False)
    notes = [p for p in link_problems(result.outputs, root / "site", result.site) if "duplicate id" in p.message]
    in_markdown = [p for p in notes if p.path == (root / "content" / "topic.md").as_posix()]
    assert len(notes) == count
    assert len(in_markdown) == MarkdownOrigins.MAX_SEARCHES
    assert (in_markdown[0].line, in_markdown[0].message) == (4, "duplicate id 'part-0': links to #part-0 reach only its first use")
