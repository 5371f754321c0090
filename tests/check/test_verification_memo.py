"""The verification's findings are kept in the memo page by page, and a cached build finds exactly
what a build without a memo finds: after a page's statement changes, after the passage it cites
changes, and with nothing changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from projects import SEED, SEED_TEXT, page

from sitegen.incremental.memo import Memo
from sitegen.pipeline import build

FACT = "The second paragraph, with a fact worth citing."
SCORED = "The second paragraph, with a score of 7.5 on a scale of 10."


def _project(make_project: Callable[..., Path]) -> Path:
    pages = {"index.md": page("Home", "The score was 7.5 [@001:p4].\n")}
    return make_project(pages=pages, seed_text=SEED_TEXT.replace(FACT, SCORED))


def _numbers(root: Path, memo: Memo) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in build(root, memo, write=False).findings if "not in the cited passage" in problem.message]


def _edit_seed(root: Path, old: str, new: str) -> None:
    """Change the seed's text and the digest sources.yaml pins for it."""
    seed = root / SEED
    before = seed.read_bytes()
    after = before.replace(old.encode(), new.encode())
    seed.write_bytes(after)
    sources = root / "seeds" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(hashlib.sha256(before).hexdigest(), hashlib.sha256(after).hexdigest()), encoding="utf-8")


def test_a_cached_build_with_nothing_changed_finds_what_a_fresh_build_finds(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = _project(make_project)
    (root / "content" / "index.md").write_text(page("Home", "The score was 7.8 [@001:p4].\n"), encoding="utf-8")
    memo = Memo(tmp_path / "cache")
    first = _numbers(root, memo)
    assert first and first == _numbers(root, memo) == _numbers(root, Memo.off())


def test_a_statement_changed_to_a_number_its_passage_lacks_is_found_by_the_next_cached_build(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = _project(make_project)
    memo = Memo(tmp_path / "cache")
    assert _numbers(root, memo) == []
    (root / "content" / "index.md").write_text(page("Home", "The score was 7.8 [@001:p4].\n"), encoding="utf-8")
    assert _numbers(root, memo) == _numbers(root, Memo.off()) != []


def test_a_passage_changed_under_its_citation_is_found_by_the_next_cached_build(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = _project(make_project)
    memo = Memo(tmp_path / "cache")
    assert _numbers(root, memo) == []
    _edit_seed(root, "7.5 on", "7.8 on")
    assert _numbers(root, memo) == _numbers(root, Memo.off()) != []
