"""A broken anchor written in a page's Markdown is reported as the author wrote the link, with the
headings the target has and the closest of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import page

from sitegen.check import anchors
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build

HOME = page("Home", "Welcome [@001:p2].\n")
STAGES = page("Stages", "## Early signs\n\nText [@001:p4].\n\n## Treatment\n\nMore.\n", order=1)


def findings_of(make_project: Callable[..., Path], body: str, **pages: str) -> list[str]:
    """The link findings of content/x.md (its body starts on line 4), as `line: message` (its text is
    uncited and the page an orphan: those findings are another check's)."""
    root = make_project({"index.md": HOME, "stages.md": STAGES, "x.md": page("X", body), **pages})
    found = build(root, Memo.off(), write=False).findings
    return [f"{p.line}: {p.message}" for p in found if p.path.endswith("content/x.md") and p.message.startswith("link to")]


def test_a_cross_link_to_a_missing_heading_names_the_link_as_written_and_the_headings_it_has(make_project: Callable[..., Path]) -> None:
    assert findings_of(make_project, "Intro.\n\nSee [it](stages.md#nowhere).\n") == [
        "6: link to 'stages.md#nowhere': that page has no heading 'nowhere' (it has: early-signs, treatment)"
    ]


def test_a_near_miss_suggests_the_closest_heading(make_project: Callable[..., Path]) -> None:
    [finding] = findings_of(make_project, "See [it](stages.md#early-sign).\n")
    assert finding.endswith("; did you mean 'early-signs'?")


def test_a_link_within_the_page_says_this_page(make_project: Callable[..., Path]) -> None:
    assert findings_of(make_project, "## Summary\n\nSee [it](#sumary).\n") == [
        "6: link to '#sumary': this page has no heading 'sumary' (it has: summary); did you mean 'summary'?"
    ]


def test_a_target_without_headings_says_so(make_project: Callable[..., Path]) -> None:
    [finding] = findings_of(make_project, "See [it](plain.md#part).\n", **{"plain.md": page("Plain", "Just text.\n", order=2)})
    assert finding == "4: link to 'plain.md#part': that page has no heading 'part' (it has no headings)"


def test_the_headings_listed_are_bounded(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anchors, "HEADINGS_LISTED", 1)
    [finding] = findings_of(make_project, "See [it](stages.md#zzz).\n")
    assert "(it has: early-signs, …)" in finding


def test_a_cross_link_in_a_subfolder_is_named_as_written(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "stages.md": STAGES, "guide/x.md": page("X", "See [it](../stages.md#treatmnt).\n")})
    [finding] = [p for p in build(root, Memo.off(), write=False).findings if p.path.endswith("content/guide/x.md") and p.message.startswith("link to")]
    assert finding.message.startswith("link to '../stages.md#treatmnt': that page has no heading 'treatmnt'")
