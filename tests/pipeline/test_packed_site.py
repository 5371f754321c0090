"""A build that writes holds its outputs packed, and writes the same site a build holding plain bytes
would: every file, the comparison with the site in place, and nothing at all when the check fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import snapshot, topic_line

from sitegen.core.errors import BuildError
from sitegen.core.layout import OUTPUT_MARKER
from sitegen.core.packed import PackedOutputs
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build


def _files(site: Path) -> dict[str, bytes]:
    return {path: data for path, data in snapshot(site).items() if path != OUTPUT_MARKER}


def test_a_build_that_writes_holds_its_outputs_packed(make_project: Callable[..., Path]) -> None:
    root = make_project()
    assert isinstance(build(root, Memo.off(), out_dir=root / "site").outputs, PackedOutputs)


def test_the_written_site_holds_exactly_the_bytes_a_build_that_writes_nothing_renders(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, Memo(tmp_path / "cache"), out_dir=root / "site")
    assert _files(root / "site") == dict(build(root, Memo.off(), write=False).outputs)


def test_a_written_file_changed_on_disk_to_other_bytes_of_its_length_is_written_again(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, Memo(tmp_path / "cache"), out_dir=root / "site")
    before = snapshot(root / "site")
    page = root / "site" / "topic" / "index.html"
    data = page.read_bytes()
    page.write_bytes(data.replace(b"<html", b"<HTML", 1))
    result = build(root, Memo(tmp_path / "cache"), out_dir=root / "site")
    assert (result.written, snapshot(root / "site")) == (True, before)


def test_a_repeat_build_over_an_unchanged_site_leaves_it_alone(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, Memo(tmp_path / "cache"), out_dir=root / "site")
    assert build(root, Memo(tmp_path / "cache"), out_dir=root / "site").written is False


def test_a_strict_build_that_finds_a_problem_leaves_the_previous_site_as_it_was_and_no_staging_folder(
    make_project: Callable[..., Path], tmp_path: Path,
) -> None:
    root = make_project()
    build(root, Memo(tmp_path / "cache"), out_dir=root / "site")
    before, entries = snapshot(root / "site"), sorted(path.name for path in root.iterdir())
    topic_line("A statement that cites nothing.")(root)
    with pytest.raises(BuildError):
        build(root, Memo(tmp_path / "cache"), out_dir=root / "site", strict=True)
    assert (snapshot(root / "site"), sorted(path.name for path in root.iterdir())) == (before, entries)
