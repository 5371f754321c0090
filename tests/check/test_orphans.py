"""Orphans: a page that nothing links to and that is not in the navigation is a finding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sitegen.pipeline import build
from tests.projects import page

HOME = page("Home", "Welcome [@001:p2].\n")
ORPHAN = "no page links to this one and it is not in the navigation"


def orphans(root: Path) -> list[tuple[str, int]]:
    """(path relative to the project, line) of each orphan finding of a check."""
    return [(str(Path(p.path).relative_to(root)), p.line) for p in build(root, write=False).findings if ORPHAN in p.message]


def test_a_page_nothing_links_to_outside_the_navigation_is_an_orphan(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "hidden.md": page("Hidden", "Ours.\n", statements="editorial")})
    assert orphans(root) == [("content/hidden.md", 1)]


def test_a_page_linked_from_another_pages_markdown_is_not_an_orphan(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": page("Home", "Welcome [@001:p2]. See [more](more.md).\n"), "more.md": page("More", "More.\n", statements="editorial")})
    assert orphans(root) == []


def test_a_page_in_the_navigation_is_not_an_orphan(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": page("Topic", "Ours.\n", order=1, statements="editorial")})
    assert orphans(root) == []


def test_the_home_page_is_not_an_orphan(make_project: Callable[..., Path]) -> None:
    assert orphans(make_project({"index.md": HOME})) == []


def test_a_link_from_the_page_to_itself_does_not_reach_it(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "alone.md": page("Alone", "See [this page](alone.md).\n", statements="editorial")})
    assert orphans(root) == [("content/alone.md", 1)]


def test_a_page_that_cites_a_passage_is_reached_from_its_source_page(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "cites.md": page("Cites", "A fact [@001:p4].\n")})
    assert orphans(root) == []


def test_a_page_the_theme_links_from_every_page_is_not_an_orphan(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "about.md": page("About", "Ours.\n", statements="editorial")})  # the footer links about/
    assert orphans(root) == []
