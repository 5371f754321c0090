"""A new site shares the previous site's unchanged files by hard links, and stays exactly as safe:
the previous site is never modified (its files keep their bytes and times), an output rendered anew
or differing from the previous file is a new file, nothing is linked through a symbolic link, and a
failure or a kill between linking and the swap leaves the previous site whole."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import ROOT

from sitegen.pipeline import build
from sitegen.write import linking, output
from sitegen.write.output import MARKER, write_site

OLD = {"index.html": b"<p>old home</p>", "topic/index.html": b"<p>old topic</p>", "static/a.css": b"a{}"}
EDITED_TOPIC = "---\ntitle: A topic\norder: 1\n---\n\nA fact, said anew [@001:p4].\n"
NEW_TOPIC = {**OLD, "topic/index.html": b"<p>new topic</p>"}


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    out = tmp_path / "project" / "site"
    write_site(OLD, out, tmp_path / "project")
    return out


def inode(path: Path) -> int:
    return path.stat().st_ino


def witnesses(site: Path, folder: Path) -> dict[Path, tuple[bytes, int]]:
    """A second name, outside the site, for every file of `site` (so that each file can be looked at
    after the site is replaced), with the file's bytes and modification time now."""
    folder.mkdir()
    seen: dict[Path, tuple[bytes, int]] = {}
    for path in sorted(site.resolve().rglob("*")):
        if path.is_file():
            witness = folder / str(len(seen))
            os.link(path, witness)
            seen[witness] = (witness.read_bytes(), witness.stat().st_mtime_ns)
    return seen


def unchanged(seen: dict[Path, tuple[bytes, int]]) -> bool:
    return all((path.read_bytes(), path.stat().st_mtime_ns) == before for path, before in seen.items())


def test_an_output_not_rendered_anew_is_the_previous_sites_file_linked_with_the_same_bytes(old_site: Path) -> None:
    home = inode(old_site / "index.html")
    write_site(NEW_TOPIC, old_site, old_site.parent, likely_changed=["topic/index.html"])
    assert inode(old_site / "index.html") == home
    assert (old_site / "index.html").read_bytes() == OLD["index.html"]


def test_an_output_rendered_anew_is_a_new_file(old_site: Path) -> None:
    topic = inode(old_site / "topic" / "index.html")
    write_site(NEW_TOPIC, old_site, old_site.parent, likely_changed=["topic/index.html"])
    assert inode(old_site / "topic" / "index.html") != topic
    assert (old_site / "topic" / "index.html").read_bytes() == NEW_TOPIC["topic/index.html"]


def test_the_marker_is_a_new_file(old_site: Path) -> None:
    marker = inode(old_site / MARKER)
    write_site(NEW_TOPIC, old_site, old_site.parent, likely_changed=["topic/index.html"])
    assert inode(old_site / MARKER) != marker


def test_the_previous_sites_files_keep_their_bytes_and_times(old_site: Path, tmp_path: Path) -> None:
    seen = witnesses(old_site, tmp_path / "witnesses")
    write_site(NEW_TOPIC, old_site, old_site.parent, likely_changed=["topic/index.html"])
    assert unchanged(seen)


def test_an_output_whose_previous_file_differs_is_written_anew_though_not_named_as_changed(old_site: Path, tmp_path: Path) -> None:
    (old_site / "static" / "a.css").write_bytes(b"b{}")  # same size, other bytes: edited by hand
    edited = inode(old_site / "static" / "a.css")
    seen = witnesses(old_site, tmp_path / "witnesses")
    write_site(NEW_TOPIC, old_site, old_site.parent, likely_changed=["topic/index.html"])
    assert (old_site / "static" / "a.css").read_bytes() == b"a{}"
    assert inode(old_site / "static" / "a.css") != edited
    assert unchanged(seen)


def test_a_previous_file_that_is_a_symbolic_link_is_neither_linked_nor_written_through(old_site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(OLD["index.html"])
    (old_site / "index.html").unlink()
    (old_site / "index.html").symlink_to(elsewhere)
    write_site(NEW_TOPIC, old_site, old_site.parent, likely_changed=["topic/index.html"])
    assert not (old_site / "index.html").is_symlink()
    assert inode(old_site / "index.html") != inode(elsewhere)
    assert elsewhere.read_bytes() == OLD["index.html"]


def test_a_file_below_a_folder_that_is_a_symbolic_link_is_not_linked(old_site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(OLD["topic/index.html"])
    for path in (old_site / "topic").iterdir():
        path.unlink()
    (old_site / "topic").rmdir()
    (old_site / "topic").symlink_to(outside)
    write_site(OLD, old_site, old_site.parent, likely_changed=["index.html"])
    assert inode(old_site / "topic" / "index.html") != inode(outside / "index.html")


def test_where_hard_links_are_refused_the_outputs_are_written_anew(old_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def other_file_system(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    home = inode(old_site / "index.html")
    monkeypatch.setattr(output.os, "link", other_file_system)
    write_site(NEW_TOPIC, old_site, old_site.parent, likely_changed=["topic/index.html"])
    assert inode(old_site / "index.html") != home
    assert (old_site / "index.html").read_bytes() == OLD["index.html"]


def test_a_new_file_is_never_written_into_an_existing_one(tmp_path: Path) -> None:
    existing = tmp_path / "index.html"
    existing.write_bytes(b"the live site's file")
    with pytest.raises(FileExistsError):
        linking.create(str(existing), b"new bytes")
    assert existing.read_bytes() == b"the live site's file"


def test_a_failure_after_linking_and_before_the_swap_leaves_the_previous_site_intact(old_site: Path, tmp_path: Path) -> None:
    seen = witnesses(old_site, tmp_path / "witnesses")
    linked: list[bool] = []

    def fail(staging: Path) -> None:
        linked.append(inode(staging / "index.html") == inode(old_site / "index.html"))
        raise RuntimeError("search indexer crashed")

    with pytest.raises(RuntimeError):
        write_site(NEW_TOPIC, old_site, old_site.parent, before_swap=fail, likely_changed=["topic/index.html"])
    assert linked == [True]
    assert unchanged(seen)
    assert {path.relative_to(old_site).as_posix(): path.read_bytes() for path in old_site.rglob("*") if path.is_file() and path.name != MARKER} == OLD
    assert sorted(path.name for path in old_site.parent.iterdir()) == ["site"]


def test_a_build_after_one_page_edit_links_the_other_pages_and_writes_the_edited_one(
    make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_project()
    out = root / "site"
    monkeypatch.setenv("SITEGEN_CACHE", str(tmp_path / "cache"))
    build(root, out_dir=out)
    home, topic = inode(out / "index.html"), inode(out / "topic" / "index.html")
    seen = witnesses(out, tmp_path / "witnesses")
    (root / "content" / "topic.md").write_text(EDITED_TOPIC, encoding="utf-8")
    result = build(root, out_dir=out)
    assert "topic/index.html" in result.rendered and "index.html" not in result.rendered
    assert inode(out / "index.html") == home
    assert inode(out / "topic" / "index.html") != topic
    assert b"said anew" in (out / "topic" / "index.html").read_bytes()
    assert unchanged(seen)


KILLING_DRIVER = '''
import os, sys
from sitegen.commands.cli import main

link = os.link
count = 0


def counted(*args, **kwargs):
    global count
    count += 1
    if count == int(os.environ["KILL_AT_LINK"]):
        os.kill(os.getpid(), 9)
    return link(*args, **kwargs)


os.link = counted
sys.exit(main(sys.argv[1:]))
'''


def run_driver(root: Path, cache: Path, kill_at_link: int) -> int:
    (root / "driver.py").write_text(KILLING_DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SITEGEN_CACHE": str(cache), "SITEGEN_WORKERS": "1", "KILL_AT_LINK": str(kill_at_link)}
    return subprocess.run([sys.executable, "driver.py", "build", "--no-search"], cwd=root, env=env, capture_output=True, check=False).returncode


@pytest.mark.parametrize("kill_at_link", [1, 2, 5])
def test_a_build_killed_while_linking_leaves_the_previous_site_intact_and_the_next_build_completes_it(
    make_project: Callable[..., Path], tmp_path: Path, kill_at_link: int,
) -> None:
    root = make_project()
    cache = tmp_path / "cache"
    assert run_driver(root, cache, kill_at_link=0) == 0
    site = root / "site"
    before = {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}
    seen = witnesses(site, tmp_path / "witnesses")
    (root / "content" / "topic.md").write_text(EDITED_TOPIC, encoding="utf-8")
    assert run_driver(root, cache, kill_at_link=kill_at_link) == -9
    assert {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()} == before
    assert unchanged(seen)
    assert run_driver(root, cache, kill_at_link=0) == 0
    assert b"said anew" in (site / "topic" / "index.html").read_bytes()
    live = os.readlink(site) if site.is_symlink() else None
    assert not [name for name in os.listdir(root) if name.startswith(".site.") and name not in (".site.lock", live) and not name.startswith(".site.spare-")]
