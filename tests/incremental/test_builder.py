"""A build through a `Memo` reuses unchanged work of earlier builds and says which outputs it rendered anew."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import load_site, page

from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.render.menu import MENU_LIMIT, menu

TOPICS = 5


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    pages = {"index.md": page("Home", "Welcome [@001:p2].\n")}
    for n in range(1, TOPICS + 1):
        pages[f"topic{n}.md"] = f"---\ntitle: Topic {n}\norder: {n}\n---\n## Part {{#part}}\n\nText {n}.\n"
    pages["topic1.md"] = pages["topic1.md"].replace("Text 1.", "Text 1 [@001:p4].")
    return make_project(pages=pages)


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "content" / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_second_build_with_nothing_changed_renders_nothing(project: Path, tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    first = build(project, memo, write=False)
    second = build(project, memo, write=False)
    assert second.rendered == frozenset()
    assert second.outputs == first.outputs


def test_the_first_build_renders_every_page(project: Path, tmp_path: Path) -> None:
    result = build(project, Memo(tmp_path / "cache"), write=False)
    assert result.rendered == {path for path in result.outputs if path.endswith(".html")}


def test_editing_a_page_body_rerenders_that_page_alone(project: Path, tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit(project, "topic5.md", "Text 5.", "Text five.")
    assert build(project, memo, write=False).rendered == {"topic5/index.html"}  # menus, previous/next links and the glossary show titles only


def test_retitling_a_page_rerenders_its_neighbours(project: Path, tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit(project, "topic5.md", "title: Topic 5", "title: Topic five")
    rendered = build(project, memo, write=False).rendered
    assert rendered is not None
    assert "topic4/index.html" in rendered  # its "next" link names topic 5


def test_citing_a_passage_again_rerenders_the_source_page(project: Path, tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit(project, "topic1.md", "Text 1 [@001:p4].", "Text 1 [@001:p4]. Again [@001:p4].")
    rendered = build(project, memo, write=False).rendered
    assert rendered is not None
    assert "sources/001/index.html" in rendered  # a new back-link to the second citation
    assert "topic3/index.html" not in rendered


def test_editing_text_around_a_citation_leaves_the_source_page_alone(project: Path, tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit(project, "topic1.md", "Text 1", "Text one")
    rendered = build(project, memo, write=False).rendered
    assert rendered is not None
    assert "topic1/index.html" in rendered
    assert "sources/001/index.html" not in rendered  # its back-links (page, title, anchors) did not change


def test_renaming_a_page_rerenders_every_page_whose_menu_lists_it(project: Path, tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    build(project, memo, write=False)
    edit(project, "topic3.md", "title: Topic 3", "title: Topic three")
    rendered = build(project, memo, write=False).rendered
    assert rendered is not None
    assert {f"topic{n}/index.html" for n in range(1, TOPICS + 1)} <= rendered


def test_a_new_builder_reuses_the_cache_folder(project: Path, tmp_path: Path) -> None:
    first = Memo(tmp_path / "cache")
    build(project, first, write=False)
    first.wait()
    assert build(project, Memo(tmp_path / "cache"), write=False).rendered == frozenset()


def test_deleting_the_cache_folder_rebuilds_the_same_site(project: Path, tmp_path: Path) -> None:
    first = Memo(tmp_path / "cache")
    before = build(project, first, write=False)
    first.wait()
    shutil.rmtree(tmp_path / "cache")
    after = build(project, Memo(tmp_path / "cache"), write=False)
    assert after.outputs == before.outputs
    assert after.rendered == {path for path in after.outputs if path.endswith(".html")}


def test_the_menu_lists_every_topic_when_there_are_few(project: Path) -> None:
    site = load_site(project)
    assert [item.title for item in menu(site, "topic2/")] == [f"Topic {n}" for n in range(1, TOPICS + 1)]


def test_the_menu_of_a_site_loaded_anew_follows_its_new_topics(project: Path) -> None:
    assert [item.title for item in menu(load_site(project), "topic2/")][1] == "Topic 2"
    edit(project, "topic2.md", "title: Topic 2", "title: Second topic")
    assert [item.title for item in menu(load_site(project), "topic2/")][1] == "Second topic"


def test_the_menu_stays_bounded_when_there_are_many_topics(make_project: Callable[..., Path]) -> None:
    pages = {"index.md": page("Home", "Welcome [@001:p2] [@001:p4].\n")}
    for n in range(300):
        pages[f"part-{n // 10:02d}/t{n:03d}.md"] = f"---\ntitle: Topic {n}\norder: {n + 1}\n---\nText.\n"
    site = load_site(make_project(pages=pages))
    items = menu(site, "part-29/t295/")
    assert len(items) <= MENU_LIMIT + 15
    assert any(item.url == "part-29/t295/" for item in items)  # the current page is in its section's list
    assert [item.title for item in items if item.level == 1][:2] == ["Part 00", "Part 01"]
