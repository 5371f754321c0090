"""The source page: each passage links into the original web page when the source has an address, and the
page says when the source last changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from projects import COMPLETE

from sitegen.commands.cli import main


def build(root: Path) -> str:
    assert main(["--project", str(root), "build", "--no-search", "--quiet"]) == 0
    return (root / "site" / "sources" / "001" / "index.html").read_text(encoding="utf-8")


def test_each_passage_links_to_its_text_in_the_original(make_project: Callable[..., Path]) -> None:
    html = build(make_project(COMPLETE, sources_extra='  url: "https://example.org/article"'))
    assert 'href="https://example.org/article#:~:text=The%20second%20paragraph%2C%20with%20a%20fact%20worth%20citing."' in html
    assert html.count('class="passage-original"') == 5


def test_a_source_without_an_address_has_no_such_links(make_project: Callable[..., Path]) -> None:
    assert 'class="passage-original"' not in build(make_project(COMPLETE))


def test_the_page_says_when_the_source_last_changed(make_project: Callable[..., Path]) -> None:
    html = build(make_project(COMPLETE, sources_extra="  changed: 2026-11-30"))
    assert "<dt>Last changed</dt><dd>2026-11-30</dd>" in html
