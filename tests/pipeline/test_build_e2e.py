"""End to end: a small project builds, and the written files carry pages, sources and citations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from projects import page, write_project

from sitegen.commands.cli import main

PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nA fact [@001:p4], and the first one again [@001:p2].\n", order=1),
    "other-topic.md": page("Another topic", "The same fact [@001:p4].\n", order=2),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("e2e") / "project", PAGES)


@pytest.fixture(scope="module")
def built(project: Path) -> Path:
    out = project / "site"
    assert main(["--project", str(project), "build", "--out", str(out)]) == 0
    return out


def test_every_content_page_is_written_as_a_pretty_url(project: Path, built: Path) -> None:
    for source in (project / "content").glob("*.md"):
        expected = built / "index.html" if source.stem == "index" else built / source.stem / "index.html"
        assert expected.is_file(), f"{source.name} was not written"


def test_each_seed_gets_a_source_page_with_an_anchor_per_passage(project: Path, built: Path) -> None:
    for seed in (project / "seeds").glob("*.txt"):
        seed_id = seed.name.split("_")[0]
        html = (built / "sources" / seed_id / "index.html").read_text(encoding="utf-8")
        blocks = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        for number in range(1, len(blocks) + 1):
            assert f'id="p{number}"' in html
        assert f'id="p{len(blocks) + 1}"' not in html


def test_source_pages_link_back_to_citations_that_exist(built: Path) -> None:
    html = (built / "sources" / "001" / "index.html").read_text(encoding="utf-8")
    backlinks = re.findall(r'href="\.\./\.\./([a-z-]*/)#(cite-\d+-\d+)"', html)
    assert backlinks, "no 'cited on' links on the source page"
    for folder, anchor in backlinks:
        assert f'id="{anchor}"' in (built / folder / "index.html").read_text(encoding="utf-8")


def test_topic_pages_have_a_reference_list_quoting_the_passages(built: Path) -> None:
    html = (built / "topic" / "index.html").read_text(encoding="utf-8")
    assert 'id="references"' in html
    assert re.search(r'<li id="ref-1">.*?<blockquote class="ref-quote"', html, re.DOTALL)
    assert 'href="../sources/001/#p' in html
