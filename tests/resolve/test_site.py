"""Resolving a project into a `Site`: problems gathered from every stage, findings, nav, back-links, terms."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import load_site, page

from sitegen.core.errors import BuildError
from sitegen.incremental.memo import Memo
from sitegen.render.outputs import render_site
from sitegen.render.theme import theme_for
from sitegen.resolve.model import Backlink

HOME = page("Home", "Welcome.\n")


def test_broken_cross_link_is_a_finding_at_the_file_line(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("Topic", "Intro.\n\nSee [gone](gone.md).\n")})
    [finding] = load_site(root).findings
    assert finding.path.endswith("content/topic.md")
    assert finding.line == 6
    assert "no page content/gone.md" in finding.message


def test_problems_in_seeds_and_pages_are_reported_in_one_run(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("Topic", colour="red")})
    (root / "seeds" / "001_example.txt").write_text("Changed text.\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_site(root)
    messages = [p.message for p in info.value.problems]
    assert any("seed changed" in m for m in messages)
    assert any("unknown key 'colour'" in m for m in messages)


def test_citation_problems_of_several_pages_are_reported_together(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "a.md": page("A", "[@001:p99]\n"), "b.md": page("B", "\n[@009:p1]\n")})
    with pytest.raises(BuildError) as info:
        load_site(root)
    assert [(Path(p.path).name, p.line) for p in info.value.problems] == [("a.md", 4), ("b.md", 5)]


def test_home_comes_first_then_pages_by_order_then_by_title(make_project: Callable[..., Path]) -> None:
    root = make_project({
        "index.md": HOME, "z.md": page("Zeta", order=1), "a.md": page("Alpha", order=2),
        "m.md": page("Mu"), "b.md": page("Beta"),
    })
    assert [p.title for p in load_site(root).pages] == ["Home", "Zeta", "Alpha", "Beta", "Mu"]


def test_nav_holds_only_pages_with_an_order(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "z.md": page("Zeta", order=1), "a.md": page("Alpha", order=2), "m.md": page("Mu")})
    assert [p.title for p in load_site(root).nav] == ["Zeta", "Alpha"]


def test_neighbours_are_the_previous_and_next_topics(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "a.md": page("A", order=1), "b.md": page("B", order=2), "c.md": page("C", order=3)})
    site = load_site(root)
    previous, following = site.neighbours(site.nav[1])
    assert (previous.title if previous else None, following.title if following else None) == ("A", "C")


def test_source_page_lists_each_citing_page_with_its_citation_anchors(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("Topic", "One [@001:p4].\n\nTwo [@001:p4].\n")})
    [source_page] = load_site(root).source_pages
    assert source_page.url == "sources/001/"
    assert source_page.backlinks[4] == (Backlink("topic/", "Topic", ("cite-1-1", "cite-1-2")),)


def test_range_citation_links_back_from_every_passage_in_the_range(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("Topic", "Both [@001:p4-p5].\n")})
    [source_page] = load_site(root).source_pages
    assert sorted(source_page.backlinks) == [4, 5]


def test_term_pages_list_the_pages_that_use_a_term(make_project: Callable[..., Path]) -> None:
    root = make_project({
        "index.md": HOME, "a.md": page("A", "An aura.\n", order=1), "b.md": page("B", "No term here.\n", order=2),
        "c.md": page("C", "Auras again.\n", order=3), "glossary.md": page("Glossary"),
    })
    (root / "content" / "glossary.yaml").write_text("- term: aura\n  definition: A warning phase.\n  aliases: [auras]\n", encoding="utf-8")
    assert [p.title for p in load_site(root).term_pages["aura"]] == ["A", "C"]


def test_next_review_falls_due_after_the_review_interval(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("Topic", reviewed="2026-01-31")})
    (root / "site.yaml").write_text("title: T\nreview_interval_months: 1\n", encoding="utf-8")
    resolved = load_site(root).page("topic/")
    assert resolved is not None and resolved.next_review == dt.date(2026, 2, 28)


def test_page_at_a_source_url_is_an_error(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "sources/001.md": page("Clash")})
    with pytest.raises(BuildError, match=r"/sources/001/ is reserved"):
        load_site(root)


def test_a_page_that_fails_to_load_does_not_hide_citation_problems_elsewhere(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "a.md": page("A", colour="red"), "b.md": page("B", "[@001:p99]\n")})
    with pytest.raises(BuildError) as info:
        load_site(root)
    assert [(Path(p.path).name, p.line) for p in info.value.problems] == [("a.md", 3), ("b.md", 4)]


def test_citations_are_not_checked_against_seeds_that_failed_to_load(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("Topic", "[@001:p4]\n")})
    seed = root / "seeds" / "001_example.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("two sentences", "three sentences"), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_site(root)
    assert [Path(p.path).name for p in info.value.problems] == ["001_example.txt"]


def test_cross_link_to_a_page_with_a_slug_uses_the_slug_url(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "long-name.md": page("Long", slug="short"), "topic.md": page("Topic", "[l](long-name.md)\n")})
    resolved = load_site(root).page("topic/")
    assert resolved is not None and '<a href="../short/">l</a>' in resolved.html


def test_rendering_a_site_leaves_the_site_as_it_was(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "a.md": page("Alpha", order=1), "b.md": page("Beta", order=2)})
    site = load_site(root)
    before = {name: (value, dataclasses.replace(site).__dict__[name]) for name, value in vars(site).items()}
    memo = Memo.off()
    render_site(site, *theme_for(site.settings, memo), memo)
    assert vars(site).keys() == before.keys()
    assert all(vars(site)[name] is value and value == fresh for name, (value, fresh) in before.items())


def test_a_site_keeps_no_memo_for_later_stages(make_project: Callable[..., Path]) -> None:
    assert not hasattr(load_site(make_project()), "memo")


def test_a_site_made_by_replace_looks_up_its_own_pages(make_project: Callable[..., Path]) -> None:
    site = load_site(make_project({"index.md": HOME, "a.md": page("Alpha", order=1), "b.md": page("Beta", order=2)}))
    alpha, beta = site.nav
    fewer = dataclasses.replace(site, pages=site.pages[:2], nav=(alpha,), topics=site.topics[:1])
    assert fewer.page("b/") is None and site.page("b/") is beta
    assert fewer.neighbours(alpha) == (None, None)
