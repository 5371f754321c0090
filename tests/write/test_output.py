"""Writing the site: atomic replacement, refusing folders that are not ours, in-place updates."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import page

from sitegen.core.errors import BuildError
from sitegen.pipeline import build
from sitegen.write import output
from sitegen.write.output import MARKER, MIN_FILES_PER_THREAD, check_output_dir, update_site, write_site

OLD = {"index.html": b"<p>old home</p>", "topic/index.html": b"<p>old topic</p>", "static/a.css": b"a{}"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def old_site(tmp_path: Path) -> Path:
    out = tmp_path / "project" / "site"
    write_site(OLD, out, tmp_path / "project")
    return out


def test_write_site_writes_every_output_and_the_marker(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(OLD, out, tmp_path)
    assert snapshot(out) == {**OLD, MARKER: (out / MARKER).read_bytes()}


def test_write_site_writes_a_large_site_over_several_threads_completely(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITEGEN_WORKERS", "4")
    writers: set[int] = set()
    write_file = output._write_file

    def noting_the_thread(path: str, data: bytes) -> None:
        writers.add(threading.get_ident())
        time.sleep(0.001)  # long enough for every thread to take files
        write_file(path, data)

    monkeypatch.setattr(output, "_write_file", noting_the_thread)
    outputs = {f"section-{n % 7}/part-{n % 3}/page-{n}/index.html": f"<p>page {n}</p>".encode() for n in range(4 * MIN_FILES_PER_THREAD)}
    out = tmp_path / "site"
    write_site(outputs, out, tmp_path)
    assert len(writers) > 1 and threading.get_ident() not in writers
    assert snapshot(out) == {**outputs, MARKER: (out / MARKER).read_bytes()}


def test_a_likely_changed_output_that_differs_is_found_without_listing_the_folder(old_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_listing(folder: Path) -> None:
        raise AssertionError("the folder was listed")

    monkeypatch.setattr(output, "walk_tree", no_listing)
    assert not output.holds_exactly(old_site.resolve(), {**OLD, "topic/index.html": b"<p>new topic</p>"}, likely_changed=["topic/index.html"])


def test_a_folder_holding_exactly_the_outputs_is_recognised_when_some_are_named_as_likely_changed(old_site: Path) -> None:
    assert output.holds_exactly(old_site.resolve(), OLD, likely_changed=["topic/index.html", "not-an-output.html"])


def test_write_site_replaces_the_previous_site_wholly(old_site: Path) -> None:
    write_site({"index.html": b"new"}, old_site, old_site.parent)
    assert set(snapshot(old_site)) == {"index.html", MARKER}


def test_write_site_leaves_no_staging_folder_behind_only_the_replaced_site_as_the_spare(old_site: Path) -> None:
    write_site({"index.html": b"new"}, old_site, old_site.parent)
    beside = sorted(p.name for p in old_site.parent.iterdir())
    assert len(beside) == 2 and beside[0].startswith(".site.spare-") and beside[1] == "site"


def test_write_site_leaves_a_folder_holding_exactly_the_outputs_untouched(old_site: Path) -> None:
    folder = old_site.stat().st_ino
    assert write_site(OLD, old_site, old_site.parent) is False
    assert old_site.stat().st_ino == folder
    assert snapshot(old_site) == {**OLD, MARKER: (old_site / MARKER).read_bytes()}


def test_write_site_replaces_the_folder_when_one_file_differs(old_site: Path) -> None:
    folder = old_site.stat().st_ino
    assert write_site({**OLD, "static/a.css": b"b{}"}, old_site, old_site.parent) is True
    assert old_site.stat().st_ino != folder
    assert (old_site / "static" / "a.css").read_bytes() == b"b{}"


def test_write_site_replaces_a_file_that_only_starts_with_the_output(old_site: Path) -> None:
    (old_site / "index.html").write_bytes(OLD["index.html"] + b"<p>added by hand</p>")
    assert write_site(OLD, old_site, old_site.parent) is True
    assert (old_site / "index.html").read_bytes() == OLD["index.html"]


def test_write_site_removes_an_extra_file_from_an_otherwise_identical_folder(old_site: Path) -> None:
    (old_site / "topic" / "notes.txt").write_text("left over")
    assert write_site(OLD, old_site, old_site.parent) is True
    assert set(snapshot(old_site)) == {*OLD, MARKER}


def test_write_site_removes_an_extra_empty_folder_from_an_otherwise_identical_folder(old_site: Path) -> None:
    (old_site / "empty").mkdir()
    assert write_site(OLD, old_site, old_site.parent) is True
    assert not (old_site / "empty").exists()


def test_write_site_replaces_a_link_with_the_same_bytes_by_a_file(old_site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(OLD["index.html"])
    (old_site / "index.html").unlink()
    (old_site / "index.html").symlink_to(elsewhere)
    assert write_site(OLD, old_site, old_site.parent) is True
    assert not (old_site / "index.html").is_symlink()
    assert elsewhere.read_bytes() == OLD["index.html"]


def test_write_site_removes_a_link_to_a_folder_from_an_otherwise_identical_folder(old_site: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (old_site / "linked").symlink_to(tmp_path / "elsewhere")
    assert write_site(OLD, old_site, old_site.parent) is True
    assert not (old_site / "linked").exists() and (tmp_path / "elsewhere").is_dir()


def test_write_site_with_before_swap_always_writes_a_new_folder(old_site: Path) -> None:
    folder = old_site.stat().st_ino
    assert write_site(OLD, old_site, old_site.parent, before_swap=lambda staging: None) is True
    assert old_site.stat().st_ino != folder


def test_exception_before_the_swap_leaves_the_old_site_byte_identical(old_site: Path) -> None:
    before = snapshot(old_site)

    def fail(staging: Path) -> None:
        raise RuntimeError("search indexer crashed")

    with pytest.raises(RuntimeError):
        write_site({"index.html": b"new"}, old_site, old_site.parent, before_swap=fail)
    assert snapshot(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]


def test_a_file_that_cannot_be_written_is_named_as_in_the_site_and_the_old_site_stays(old_site: Path) -> None:
    before = snapshot(old_site)
    too_long = "a" * 300  # longer than any file system allows a name to be
    with pytest.raises(OSError) as raised:
        write_site({"index.html": b"new", f"{too_long}/index.html": b"page"}, old_site, old_site.parent)
    assert raised.value.filename == str(old_site.resolve() / too_long)
    assert snapshot(old_site) == before
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["site"]


def test_before_swap_can_add_files_to_the_new_site(old_site: Path) -> None:
    write_site({"index.html": b"new"}, old_site, old_site.parent, before_swap=lambda staging: (staging / "extra.txt").write_text("x"))
    assert (old_site / "extra.txt").read_text() == "x"


def rebuild_after(make_project: Callable[..., Path], path: str, text: str, strict: bool = False) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Build a project, overwrite its file `path` with `text`, build again (which must fail): the site's files before and after."""
    root = make_project()
    out = root / "site"
    build(root, out_dir=out)
    before = snapshot(out)
    (root / path).write_text(text, encoding="utf-8")
    with pytest.raises(BuildError):
        build(root, out_dir=out, strict=strict)
    return before, snapshot(out)


def test_build_with_a_bad_page_leaves_the_old_site_byte_identical(make_project: Callable[..., Path]) -> None:
    before, after = rebuild_after(make_project, "content/topic.md", "---\ntitle: T\ncolour: red\n---\nA fact [@001:p99].\n")
    assert after == before


def test_strict_build_with_findings_leaves_the_old_site_byte_identical(make_project: Callable[..., Path]) -> None:
    before, after = rebuild_after(make_project, "content/topic.md", page("T", "See [gone](gone.md).\n"), strict=True)
    assert after == before


def test_build_with_a_template_error_leaves_the_old_site_byte_identical(make_project: Callable[..., Path]) -> None:
    before, after = rebuild_after(make_project, "templates/page.html", "{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}")
    assert after == before


def test_refuses_a_non_empty_folder_without_the_marker(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "notes.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(BuildError, match="did not create"):
        write_site({"index.html": b"x"}, out, tmp_path)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "precious"


def test_accepts_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    write_site({"index.html": b"x"}, out, tmp_path / "project")
    assert (out / "index.html").read_bytes() == b"x"


@pytest.mark.parametrize("name", [".", "content", "seeds", "templates"])
def test_refuses_the_project_folder_and_its_input_folders(tmp_path: Path, name: str) -> None:
    with pytest.raises(BuildError, match="refusing to write the site here"):
        check_output_dir(tmp_path / name, tmp_path)


def test_refuses_a_parent_of_the_project(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="refusing to write the site here"):
        check_output_dir(tmp_path, tmp_path / "project")


def test_output_path_escaping_the_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="escapes the output folder"):
        write_site({"../evil.html": b"x"}, tmp_path / "site", tmp_path)
    assert not (tmp_path / "evil.html").exists()


def test_update_site_rewrites_only_changed_files(old_site: Path) -> None:
    untouched = old_site / "static" / "a.css"
    stamp = untouched.stat().st_mtime_ns
    changed = update_site({**OLD, "index.html": b"<p>new home</p>"}, old_site, old_site.parent)
    assert changed == ["index.html"]
    assert (old_site / "index.html").read_bytes() == b"<p>new home</p>"
    assert untouched.stat().st_mtime_ns == stamp


def test_update_site_removes_stale_files(old_site: Path) -> None:
    changed = update_site({"index.html": OLD["index.html"]}, old_site, old_site.parent)
    assert sorted(changed) == ["static/a.css", "topic/index.html"]
    assert set(snapshot(old_site)) == {"index.html", MARKER}


def test_update_site_keeps_files_the_keep_function_claims(old_site: Path) -> None:
    (old_site / "pagefind").mkdir()
    (old_site / "pagefind" / "index.bin").write_bytes(b"idx")
    update_site(OLD, old_site, old_site.parent, keep=lambda path: path.startswith("pagefind/"))
    assert (old_site / "pagefind" / "index.bin").read_bytes() == b"idx"


def test_update_site_with_identical_outputs_changes_nothing(old_site: Path) -> None:
    assert update_site(OLD, old_site, old_site.parent) == []


def test_update_site_without_pruning_leaves_other_files(old_site: Path) -> None:
    changed = update_site({"index.html": b"<p>new home</p>"}, old_site, old_site.parent, prune=False)
    assert changed == ["index.html"]
    assert set(snapshot(old_site)) == {*OLD, MARKER}


def test_update_site_never_prunes_through_a_link_to_a_folder_outside(old_site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_bytes(b"keep me")
    (old_site / "linked").symlink_to(outside, target_is_directory=True)
    update_site(OLD, old_site, old_site.parent)
    assert (outside / "precious.txt").read_bytes() == b"keep me"
