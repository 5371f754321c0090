"""Listing a folder's files and folders the way the build reads them."""

from __future__ import annotations

from pathlib import Path

from sitegen.files import list_tree


def test_list_tree_gives_relative_posix_paths_sorted_by_component(tmp_path: Path) -> None:
    for name in ("b.md", "a/z.md", "a-b/c.md", "a/b/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, folders = list_tree(tmp_path)
    assert files == ["a/b/c.md", "a/z.md", "a-b/c.md", "b.md"]
    assert folders == ["a", "a/b", "a-b"]
    assert files == [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*")) if p.is_file()]


def test_list_tree_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    assert list_tree(tmp_path / "absent") == ([], [])


def test_list_tree_does_not_follow_a_link_to_a_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "page.md").write_text("x", encoding="utf-8")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert list_tree(tmp_path / "tree") == ([], [])
