"""scripts/citation_sheet.py: every statement of every page beside the passage or publication it cites,
made from the engine's build of a project; uncited statements marked; plain text or a Markdown table."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from projects import ROOT, page, snapshot

BIBLIOGRAPHY = (
    "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  journal: J Test\n  doi: 10.1/x\n"
    "  note: Reports 48 of 61 cases improved.\n"
)
TOPIC = page(
    "A topic",
    "A fact [@001:p4].\n\nA finding [@smith2020, abstract].\n\nA claim with no source.\n\n"
    "!!! note\n    An editorial aside.\n\nA | B\n--- | ---\nrow | a cell with a pipe \\| in it [@001:p2]\n",
    order=1,
)


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("citation_sheet", ROOT / "scripts" / "citation_sheet.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script()


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    root = make_project({"index.md": page("Home", "Welcome [@001:p2].\n"), "topic.md": TOPIC})
    (root / "content" / "references.yaml").write_text(BIBLIOGRAPHY, encoding="utf-8")
    return root


def sheet_of(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    assert script.main([str(project), *options]) == 0
    return capsys.readouterr().out


def block_of(sheet: str, line: int) -> str:
    """The text sheet's block for the statement at `line` of content/topic.md."""
    topic = sheet[sheet.index("content/topic.md: A topic") :]
    start = topic.index(f"  line {line}, ")
    return topic[start : topic.find("\n\n", start)]


def test_a_statement_is_printed_beside_the_full_text_of_the_passage_it_cites(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = block_of(sheet_of(script, project, capsys), 5)
    assert block.splitlines() == [
        "  line 5, paragraph: cited",
        "    A fact [@001:p4].",
        "    [1] @001:p4",
        "        Example Clinic, “Example Article”, p4, section “Section Two”: The second paragraph, with a",
        "        fact worth citing.",
    ]


def test_a_publication_is_printed_with_its_entry_the_part_cited_and_its_note(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = block_of(sheet_of(script, project, capsys), 7)
    assert "[2] @smith2020, abstract" in block
    assert "Smith J. A study. J Test 2020. doi:10.1/x" in block
    assert "Part cited: abstract" in block and "Note: Reports 48 of 61 cases improved." in block


def test_an_uncited_statement_is_printed_marked_uncited(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert block_of(sheet_of(script, project, capsys), 9).splitlines() == ["  line 9, paragraph: UNCITED", "    A claim with no source."]


def test_an_editorial_statement_is_marked_editorial(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert block_of(sheet_of(script, project, capsys), 12).startswith("  line 12, paragraph: editorial\n    An editorial aside.")


def test_each_page_is_counted_and_so_is_the_whole_site(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = sheet_of(script, project, capsys)
    assert "content/topic.md: A topic\n5 statements: 3 cited, 1 editorial, 1 uncited\n" in sheet
    assert sheet.rstrip().endswith("All 2 pages: 6 statements: 4 cited, 1 editorial, 1 uncited")


def test_markdown_prints_a_table_row_per_statement_with_its_pipes_escaped(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = sheet_of(script, project, capsys, "--markdown")
    topic = sheet[sheet.index("## content/topic.md: A topic") :].split("\n## ")[0]
    rows = [line for line in topic.splitlines() if line.startswith("| ") and not line.startswith(("| Line", "| ---"))]
    assert len(rows) == 5
    assert "| a cell with a pipe \\\\\\| in it [@001:p2] | cited | [3] @001:p2 |" in rows[-1]  # as written: a backslash, then a pipe


def test_markdown_escapes_the_markup_of_what_it_quotes(script: ModuleType, make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({"index.md": page("Home", "Welcome <img src=x onerror=alert(1)> [@001:p2].\n")})
    sheet = sheet_of(script, root, capsys, "--markdown")
    assert "&lt;img src=x onerror=alert(1)&gt;" in sheet and "<img" not in sheet


def test_the_sheet_writes_nothing_into_the_project(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(project)
    sheet_of(script, project, capsys)
    assert snapshot(project) == before


def test_a_project_that_does_not_build_prints_its_problems_and_exits_1(script: ModuleType, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "content" / "topic.md").write_text(page("A topic", "One.\n\nA fact [@001:p4, abstract].\n"), encoding="utf-8")
    assert script.main([str(project)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"{project / 'content' / 'topic.md'}:6: locator in '@001:p4, abstract': a seed passage is its own locator; write [@001:p4] alone",
    ]
