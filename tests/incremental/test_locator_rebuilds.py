"""A locator is part of what a page is made from: editing one alone, with the memo of the last build,
makes the site a build from nothing makes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from projects import page

from sitegen.incremental.memo import Memo
from sitegen.pipeline import build

BIBLIOGRAPHY = "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  journal: J Test\n  doi: 10.1/x\n"


def project(make_project: Callable[..., Path], locator: str) -> Path:
    root = make_project({"index.md": page("Home", "Welcome.\n"), "topic.md": page("Topic", f"A fact [@smith2020, {locator}].\n", order=1)})
    (root / "content" / "references.yaml").write_text(BIBLIOGRAPHY, encoding="utf-8")
    return root


def test_editing_a_locator_alone_builds_what_a_build_from_nothing_builds(make_project: Callable[..., Path], tmp_path: Path) -> None:
    memo = Memo(tmp_path / "cache")
    build(project(make_project, "abstract"), memo, write=False)
    root = project(make_project, "table 2")
    again = build(root, memo, write=False)
    assert "topic/index.html" in again.rendered
    assert again.outputs == build(root, Memo.off(), write=False).outputs
    assert "table 2" in again.outputs["topic/index.html"].decode("utf-8")
