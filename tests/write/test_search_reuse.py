"""The search index is never stale: a build reuses the last index only while what Pagefind is given
of every page is unchanged (told without reading a page while every output's bytes are unchanged),
and the reused index is byte for byte the one Pagefind makes afresh."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.write import pagefind_service, search_index
from sitegen.write.search import BUNDLE_DIR
from sitegen.write.search_index import CACHE_KIND, indexed_document
from tests.projects import page, snapshot

pytest.importorskip("pagefind", reason="pip install 'pagefind[extended]'")

PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nA fact about the subject [@001:p4].\n", order=1),
}


def _counted_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Counts the calls of `search_index.<name>` (one item per call)."""
    calls: list[int] = []
    real = getattr(search_index, name)

    def counted(*args: object) -> object:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(search_index, name, counted)
    return calls


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times a build starts Pagefind."""
    return _counted_calls(monkeypatch, "PagefindService")


@pytest.fixture
def documents_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times a build reads what Pagefind is given of the pages (not needed while every output's bytes are those the last index was made from)."""
    return _counted_calls(monkeypatch, "indexed_documents")


def _index(folder: Path) -> dict[str, bytes]:
    return {path: data for path, data in snapshot(folder).items() if path.startswith(f"{BUNDLE_DIR}/")}


def _fresh_index(root: Path, out: Path) -> dict[str, bytes]:
    build(root, Memo.off(), out_dir=out, search=True)
    return _index(out)


def test_a_repeat_build_reuses_the_index_without_running_pagefind(make_project: Callable[..., Path], tmp_path: Path, pagefind_runs: list[int]) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    result = build(root, out_dir=tmp_path / "out", search=True)
    assert (len(pagefind_runs), result.written) == (1, False)


def test_a_reused_index_is_byte_identical_to_a_fresh_one(make_project: Callable[..., Path], tmp_path: Path, pagefind_runs: list[int]) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "first", search=True)
    build(root, out_dir=tmp_path / "reused", search=True)
    assert len(pagefind_runs) == 1
    assert _index(tmp_path / "reused") == _fresh_index(root, tmp_path / "fresh")


def test_an_edit_to_a_pages_indexed_text_changes_the_index(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    before = _index(tmp_path / "out")
    (root / "content" / "topic.md").write_text(PAGES["topic.md"].replace("about the subject", "about another subject"), encoding="utf-8")
    build(root, out_dir=tmp_path / "out", search=True)
    assert _index(tmp_path / "out") != before
    assert _index(tmp_path / "out") == _fresh_index(root, tmp_path / "fresh")


def test_a_change_outside_the_indexed_region_reuses_the_index(make_project: Callable[..., Path], tmp_path: Path, pagefind_runs: list[int]) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    before = snapshot(tmp_path / "out")
    base = root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<head>", "<head>\n<!-- a comment of the theme -->", 1), encoding="utf-8")
    build(root, out_dir=tmp_path / "out", search=True)
    after = snapshot(tmp_path / "out")
    assert after["topic/index.html"] != before["topic/index.html"]
    assert (len(pagefind_runs), _index(tmp_path / "out")) == (1, _index_of(before))


def test_an_edit_to_a_page_pagefind_does_not_index_reuses_the_index(make_project: Callable[..., Path], tmp_path: Path, pagefind_runs: list[int]) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    before = snapshot(tmp_path / "out")
    not_found = root / "templates" / "404.html"
    not_found.write_text(not_found.read_text(encoding="utf-8").replace("</h1>", "</h1>\n<p>Sorry.</p>", 1), encoding="utf-8")
    build(root, out_dir=tmp_path / "out", search=True)
    after = snapshot(tmp_path / "out")
    assert after["404.html"] != before["404.html"]
    assert b"data-pagefind-body" not in after["404.html"]
    assert (len(pagefind_runs), _index(tmp_path / "out")) == (1, _index_of(before))


def test_a_damaged_cached_index_is_a_miss(make_project: Callable[..., Path], tmp_path: Path, pagefind_runs: list[int]) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    cached = next(root.rglob(f"{CACHE_KIND}.pickle"))
    data = bytearray(cached.read_bytes())
    data[-10] ^= 0xFF
    cached.write_bytes(bytes(data))
    build(root, out_dir=tmp_path / "out", search=True)
    assert len(pagefind_runs) == 2
    assert _index(tmp_path / "out") == _fresh_index(root, tmp_path / "fresh")


def test_a_damaged_index_in_the_output_folder_is_written_again(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    entry = tmp_path / "out" / BUNDLE_DIR / "pagefind-entry.json"
    entry.write_text("{}", encoding="utf-8")
    build(root, out_dir=tmp_path / "out", search=True)
    assert _index(tmp_path / "out") == _fresh_index(root, tmp_path / "fresh")


def test_a_failing_pagefind_leaves_the_previous_site(make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(PAGES)
    out = tmp_path / "out"
    build(root, out_dir=out)
    before = snapshot(out)
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: the index broke' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind_service, "pagefind_executable", lambda: failing)
    with pytest.raises(BuildError) as caught:
        build(root, Memo.off(), out_dir=out, search=True)
    assert "search index not built: pagefind failed: it stopped (exit status 3): Error: the index broke" in str(caught.value)
    assert snapshot(out) == before


def test_without_pagefind_the_build_says_how_to_install_it(make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(PAGES)
    monkeypatch.setattr(pagefind_service, "pagefind_executable", lambda: None)
    with pytest.raises(BuildError) as caught:
        build(root, Memo.off(), out_dir=tmp_path / "out", search=True)
    assert "Pagefind is not installed; install it with: pip install 'pagefind[extended]' (or build with --no-search)" in str(caught.value)
    assert not (tmp_path / "out").exists()


def _index_of(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path.startswith(f"{BUNDLE_DIR}/")}


HEAD = b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>T</title></head><body><nav><a href="/">Menu</a></nav>'


def test_the_document_given_to_pagefind_leaves_out_what_precedes_the_indexed_element() -> None:
    html = HEAD + b"<article data-pagefind-body><h1>T</h1><p>Text</p></article></body></html>"
    document = indexed_document(html, any_body=True)
    assert document == b'<html lang="en"><head><title>T</title></head>\n<article data-pagefind-body><h1>T</h1><p>Text</p></article></body></html>'


@pytest.mark.parametrize("before_body", [b'<meta data-pagefind-meta="image[content]" content="/a.png">', b"<h1>Title</h1>", b'<img src="/a.png" alt="">'])
def test_a_page_with_something_pagefind_reads_before_the_indexed_element_is_given_whole(before_body: bytes) -> None:
    html = HEAD.replace(b"<nav>", before_body + b"<nav>") + b"<article data-pagefind-body><p>Text</p></article></body></html>"
    assert indexed_document(html, any_body=True) == html


def test_a_page_without_the_indexed_element_is_given_only_when_no_page_has_one() -> None:
    html = HEAD + b"<p>Text</p></body></html>"
    assert (indexed_document(html, any_body=True), indexed_document(html, any_body=False)) == (None, html)


def test_the_indexed_element_is_found_whatever_the_case_of_its_attribute() -> None:
    html = HEAD + b"<ARTICLE DATA-PAGEFIND-BODY><p>Text</p></ARTICLE></body></html>"
    document = indexed_document(html, any_body=True)
    assert document is not None and document.endswith(b"<ARTICLE DATA-PAGEFIND-BODY><p>Text</p></ARTICLE></body></html>")


def test_a_repeat_build_reuses_the_index_kept_in_the_cache_folder_without_reading_the_pages(
    make_project: Callable[..., Path], tmp_path: Path, documents_read: list[int],
) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    build(root, out_dir=tmp_path / "out", search=True)
    assert len(documents_read) == 1


def test_a_repeat_build_through_the_same_memo_reuses_the_index_without_reading_the_pages(
    make_project: Callable[..., Path], tmp_path: Path, documents_read: list[int],
) -> None:
    root = make_project(PAGES)
    memo = Memo.for_project(root)
    build(root, memo, out_dir=tmp_path / "out", search=True)
    build(root, memo, out_dir=tmp_path / "out", search=True)  # the index kept in this process, not read from the cache folder
    assert len(documents_read) == 1


def test_an_edit_to_a_page_reads_the_pages_again(make_project: Callable[..., Path], tmp_path: Path, documents_read: list[int]) -> None:
    root = make_project(PAGES)
    build(root, out_dir=tmp_path / "out", search=True)
    (root / "content" / "topic.md").write_text(page("A topic", "## Facts {#facts}\n\nAnother fact [@001:p4].\n", order=1), encoding="utf-8")
    build(root, out_dir=tmp_path / "out", search=True)
    assert len(documents_read) == 2
    assert "Another fact" in (tmp_path / "out" / "topic" / "index.html").read_text(encoding="utf-8")
