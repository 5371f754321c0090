"""The dev server's search index: a rebuild never waits for it; it catches up in the background,
and then is exactly the index a fresh build makes of the same project."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.commands import live_search
from sitegen.commands.live_search import LiveSearch
from sitegen.commands.preview import Preview
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.write.search import BUNDLE_DIR
from tests.projects import page, snapshot

pytest.importorskip("pagefind", reason="pip install 'pagefind[extended]'")

TOPIC = page("A topic", "## Facts {#facts}\n\nA fact about the subject [@001:p4].\n", order=1)
PAGES = {"index.md": page("Home", "Welcome [@001:p2].\n"), "topic.md": TOPIC}
WAIT_SECONDS = 60


@pytest.fixture
def served(make_project: Callable[..., Path]) -> Iterator[tuple[Preview, LiveSearch]]:
    root = make_project(PAGES)
    preview = Preview(root, root / "site", keep=lambda path: path.startswith(f"{BUNDLE_DIR}/"))
    live = LiveSearch(preview)
    preview.on_built = live.built
    yield preview, live
    live.stop()


def _index(folder: Path) -> dict[str, bytes]:
    return {path: data for path, data in snapshot(folder).items() if path.startswith(f"{BUNDLE_DIR}/")}


def _fresh_index(root: Path, out: Path) -> dict[str, bytes]:
    build(root, Memo.off(), out_dir=out, search=True)
    return _index(out)


def test_a_rebuild_is_written_before_the_index(served: tuple[Preview, LiveSearch], monkeypatch: pytest.MonkeyPatch) -> None:
    preview, live = served
    release = threading.Event()
    real = live_search.search_index

    def held(*args: object):  # type: ignore[no-untyped-def]
        release.wait(WAIT_SECONDS)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(live_search, "search_index", held)
    assert preview.rebuild() is True
    assert (preview.out_dir / "topic" / "index.html").is_file()
    assert not (preview.out_dir / BUNDLE_DIR).exists()
    release.set()
    assert live.wait_idle(WAIT_SECONDS)
    assert (preview.out_dir / BUNDLE_DIR / "pagefind-entry.json").is_file()


def test_the_served_index_catches_up_with_an_edit_of_a_pages_text(served: tuple[Preview, LiveSearch], tmp_path: Path) -> None:
    preview, live = served
    preview.rebuild()
    assert live.wait_idle(WAIT_SECONDS)
    before = _index(preview.out_dir)
    (preview.root / "content" / "topic.md").write_text(TOPIC.replace("about the subject", "about another subject"), encoding="utf-8")
    preview.rebuild()
    assert live.wait_idle(WAIT_SECONDS)
    after = _index(preview.out_dir)
    assert after != before
    assert after == _fresh_index(preview.root, tmp_path / "fresh")


def test_the_served_index_is_the_one_a_fresh_build_makes(served: tuple[Preview, LiveSearch], tmp_path: Path) -> None:
    preview, live = served
    preview.rebuild()
    assert live.wait_idle(WAIT_SECONDS)
    assert _index(preview.out_dir) == _fresh_index(preview.root, tmp_path / "fresh")
