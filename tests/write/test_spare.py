"""The site a build replaces is kept as the spare, and the next build brings it up to date as its
staging folder: it then holds exactly the outputs (whatever was left or put in it), the live site
is never touched while it is updated, and a kill while it is updated leaves the live site whole."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import ROOT

from sitegen.write.output import MARKER, update_site, write_site

FIRST = {"index.html": b"<p>home</p>", "topic/index.html": b"<p>topic one</p>", "static/a.css": b"a{}"}
SECOND = {**FIRST, "topic/index.html": b"<p>topic two</p>"}
THIRD = {**FIRST, "topic/index.html": b"<p>topic three</p>", "new/index.html": b"<p>new</p>"}


def files(folder: Path) -> dict[str, bytes]:
    """Every entry under `folder`: files with their bytes, anything else (links included) as None."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            found[relative] = b"<not a file>"
        elif path.is_file():
            found[relative] = path.read_bytes()
    return found


def spare_of(site: Path) -> Path:
    (spare,) = [path for path in site.parent.iterdir() if path.name.startswith(f".{site.name}.spare-")]
    return spare


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site written twice: its first version is now the spare."""
    out = tmp_path / "project" / "site"
    write_site(FIRST, out, out.parent)
    write_site(SECOND, out, out.parent)
    return out


def exactly(outputs: dict[str, bytes], site: Path) -> bool:
    return files(site) == {**outputs, MARKER: (site / MARKER).read_bytes()}


def test_the_replaced_site_is_kept_whole_as_the_spare(site: Path) -> None:
    assert files(spare_of(site)) == {**FIRST, MARKER: (site / MARKER).read_bytes()}


def test_the_next_build_makes_the_spare_the_site_holding_exactly_the_outputs(site: Path) -> None:
    spare = spare_of(site).stat().st_ino
    write_site(THIRD, site, site.parent)
    assert site.resolve().stat().st_ino == spare
    assert exactly(THIRD, site)


def test_a_spare_file_identical_to_its_output_is_kept_and_one_that_differs_is_a_new_file(site: Path) -> None:
    spare = spare_of(site)
    home, topic = (spare / "index.html").stat().st_ino, (spare / "topic" / "index.html").stat().st_ino
    write_site(THIRD, site, site.parent)
    assert (site / "index.html").stat().st_ino == home
    assert (site / "topic" / "index.html").stat().st_ino != topic


def test_whatever_was_put_in_the_spare_is_removed_or_replaced_and_nothing_outside_is_touched(site: Path, tmp_path: Path) -> None:
    spare = spare_of(site)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.css").write_bytes(b"a{}")
    (spare / "stray.txt").write_text("left over")
    (spare / "stray-folder" / "deep").mkdir(parents=True)
    (spare / "stray-folder" / "deep" / "x.html").write_text("x")
    (spare / "static" / "a.css").unlink()
    (spare / "static" / "a.css").symlink_to(outside / "a.css")  # a link with the right bytes
    (spare / "index.html").unlink()
    (spare / "index.html").mkdir()  # a folder where a file belongs
    (spare / "new").write_text("a file where a folder belongs")
    (spare / "topic" / "index.html").write_bytes(b"<p>topic ten</p>")  # edited by hand
    write_site(THIRD, site, site.parent)
    assert exactly(THIRD, site)
    assert files(outside) == {"a.css": b"a{}"}


def test_a_spare_whose_folder_was_replaced_by_a_link_is_not_followed(site: Path, tmp_path: Path) -> None:
    spare = spare_of(site)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes(b"<p>topic one</p>")
    for path in (spare / "topic").iterdir():
        path.unlink()
    (spare / "topic").rmdir()
    (spare / "topic").symlink_to(outside)
    write_site(THIRD, site, site.parent)
    assert exactly(THIRD, site)
    assert files(outside) == {"index.html": b"<p>topic one</p>"}


def test_updating_the_spare_leaves_the_live_site_untouched_until_the_swap(site: Path) -> None:
    live = {path: (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino) for path in site.resolve().rglob("*") if path.is_file()}
    seen: list[bool] = []

    def look(staging: Path) -> None:
        seen.append(all((path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino) == before for path, before in live.items()))
        raise RuntimeError("search indexer crashed")

    with pytest.raises(RuntimeError):
        write_site(THIRD, site, site.parent, before_swap=look)
    assert seen == [True]
    assert exactly(SECOND, site)


def test_only_one_spare_is_kept(site: Path) -> None:
    write_site(THIRD, site, site.parent)
    write_site(FIRST, site, site.parent)
    assert files(spare_of(site)) == {**THIRD, MARKER: (site / MARKER).read_bytes()}


KILLING_DRIVER = '''
import os, sys
from sitegen.commands.cli import main

replace = os.replace


def killed_at_the_first(source, target, **kwargs):
    if ".site.new-" in os.fspath(target):  # a file renamed into the spare being updated
        os.kill(os.getpid(), 9)
    return replace(source, target, **kwargs)


os.replace = killed_at_the_first if os.environ.get("KILL") else replace
sys.exit(main(sys.argv[1:]))
'''


def run_driver(root: Path, kill: bool) -> int:
    (root / "driver.py").write_text(KILLING_DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SITEGEN_CACHE": "off", "SITEGEN_WORKERS": "1", "KILL": "1" if kill else ""}
    return subprocess.run([sys.executable, "driver.py", "build", "--no-search"], cwd=root, env=env, capture_output=True, check=False).returncode


def say(root: Path, text: str) -> None:
    (root / "content" / "topic.md").write_text(f"---\ntitle: A topic\norder: 1\n---\n\n{text} [@001:p4].\n", encoding="utf-8")


def test_a_build_killed_while_updating_the_spare_leaves_the_live_site_whole_and_the_next_build_completes(make_project: Callable[..., Path]) -> None:
    root = make_project()
    say(root, "A first fact")
    assert run_driver(root, kill=False) == 0
    say(root, "A second fact")
    assert run_driver(root, kill=False) == 0  # the first site is now the spare
    site = root / "site"
    before = files(site)
    say(root, "A third fact")
    assert run_driver(root, kill=True) == -9  # killed at the first file renamed into the spare
    assert files(site) == before
    assert run_driver(root, kill=False) == 0
    assert b"A third fact" in (site / "topic" / "index.html").read_bytes()


def test_the_dev_servers_update_never_writes_into_a_file_the_live_site_shares_with_the_spare(site: Path) -> None:
    shared = {path.stat().st_ino: path.read_bytes() for path in spare_of(site).rglob("*") if path.is_file()}
    update_site({**SECOND, "index.html": b"<p>home, edited</p>"}, site, site.parent)
    assert {path.stat().st_ino: path.read_bytes() for path in spare_of(site).rglob("*") if path.is_file()} == shared
