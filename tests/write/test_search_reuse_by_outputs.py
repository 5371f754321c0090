"""The search index is reused without reading any page while every HTML output has the bytes the
last index was made from; once any output's bytes change, the pages are read again to tell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.write import search_index
from tests.projects import page

pytest.importorskip("pagefind", reason="pip install 'pagefind[extended]'")

PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nA fact about the subject [@001:p4].\n", order=1),
}


@pytest.fixture
def documents_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times a build reads what Pagefind is given of the pages."""
    reads: list[int] = []
    real = search_index.indexed_documents

    def counted(outputs: object) -> dict[str, bytes]:
        reads.append(1)
        return real(outputs)  # type: ignore[arg-type]

    monkeypatch.setattr(search_index, "indexed_documents", counted)
    return reads


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
