"""`draft ID… [--topics FILE]`: draft pages from seeds, each passage quoted and cited, written all or nothing."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.incremental.memo import Memo
from sitegen.load.pages import parse_page
from sitegen.pipeline import build
from tests.projects import assert_clean_failure, page, run, write

DRAFTS = "content/drafts"
# Two sections whose words tell their topics apart, a paragraph in the wrong one, and a section that shares no word with either topic.
TOPICAL_SEED = """Field Notes

Gardens

Tomatoes grow well in sunny gardens when the soil is watered every morning.

Engines

A diesel engine needs clean fuel and fresh oil to run smoothly.

The garden hose waters the tomatoes and keeps the soil of the garden moist.

Wildlife

Zebras gallop quickly across open plains.
"""
TOPICS = """- title: Growing tomatoes
  keywords: [tomato, soil, garden, watered]
- title: Looking after engines
  keywords: [diesel engine, fuel, oil]
"""


def _with_seed(make_project: Callable[..., Path], text: str) -> Path:
    root = make_project({"index.md": page("Home", "Welcome.\n")})
    (root / "seeds" / "001_example.txt").write_text(text, encoding="utf-8")
    sources = root / "seeds" / "sources.yaml"
    old = sources.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = [line for line in old.splitlines() if "p5:" not in line and "exclude:" not in line]
    sources.write_text("\n".join(f"  sha256: {digest}" if "sha256:" in line else line for line in lines) + "\n", encoding="utf-8")
    return root


def test_without_topics_each_section_of_the_seed_becomes_a_draft_quoting_its_paragraphs(make_project: Callable[..., Path], capsys) -> None:
    root = make_project()
    code, err = run(root, ("draft", "001"), capsys)
    assert code == 0, err
    first = (root / DRAFTS / "001-example-article.md").read_text(encoding="utf-8")
    second = (root / DRAFTS / "001-section-two.md").read_text(encoding="utf-8")
    assert first.startswith('---\ntitle: "Example Article"\n') and "\ndraft: true\n" in first
    assert "## Example Article\n\n> A first paragraph about the topic. It has two sentences. [@001:p2]\n" in first
    assert "## Section Two\n\n> The second paragraph, with a fact worth citing. [@001:p4]\n" in second
    assert sorted(p.name for p in (root / DRAFTS).iterdir()) == ["001-example-article.md", "001-section-two.md"]


def test_an_excluded_passage_is_left_out_of_the_drafts(make_project: Callable[..., Path], capsys) -> None:
    root = make_project()
    run(root, ("draft", "001"), capsys)
    drafted = "".join(p.read_text(encoding="utf-8") for p in (root / DRAFTS).iterdir())
    assert "@001:p5" not in drafted and "promotional and excluded" not in drafted


def test_draft_prints_each_page_and_what_it_left_out(make_project: Callable[..., Path], capsys) -> None:
    root = make_project()
    assert main(["--project", str(root), "draft", "001"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("content/drafts/001-example-article.md: 1 passage")
    assert out[1].endswith("content/drafts/001-section-two.md: 1 passage")
    assert out[2] == "drafted 2 pages with draft: true; 1 excluded passage left out; rewrite each, then remove draft: true"


def test_with_topics_each_paragraph_goes_to_the_topic_it_fits_best(make_project: Callable[..., Path], capsys) -> None:
    root = _with_seed(make_project, TOPICAL_SEED)
    write(root / "topics.yaml", TOPICS)
    code, err = run(root, ("draft", "001", "--topics", str(root / "topics.yaml")), capsys)
    assert code == 0, err
    tomatoes = (root / DRAFTS / "growing-tomatoes.md").read_text(encoding="utf-8")
    engines = (root / DRAFTS / "looking-after-engines.md").read_text(encoding="utf-8")
    assert "[@001:p3]" in tomatoes and "[@001:p3]" not in engines
    assert "[@001:p5]" in engines and "[@001:p5]" not in tomatoes
    # p6 sits under "Engines" but speaks of the garden: it is quoted in the tomato draft under its own section heading
    assert tomatoes.index("## Gardens") < tomatoes.index("[@001:p3]") < tomatoes.index("## Engines") < tomatoes.index("[@001:p6]")


def test_with_topics_a_paragraph_that_fits_no_topic_is_listed_to_be_placed(make_project: Callable[..., Path], capsys) -> None:
    root = _with_seed(make_project, TOPICAL_SEED)
    write(root / "topics.yaml", TOPICS)
    run(root, ("draft", "001", "--topics", str(root / "topics.yaml")), capsys)
    unplaced = (root / DRAFTS / "unplaced.md").read_text(encoding="utf-8")
    assert 'title: "Passages to place"' in unplaced
    assert "> Zebras gallop quickly across open plains. [@001:p8]" in unplaced
    assert "[@001:p8]" not in (root / DRAFTS / "growing-tomatoes.md").read_text(encoding="utf-8")


def test_a_heading_a_topic_names_places_its_whole_section(make_project: Callable[..., Path], capsys) -> None:
    root = _with_seed(make_project, TOPICAL_SEED)
    write(root / "topics.yaml", TOPICS.replace("keywords: [diesel engine, fuel, oil]", "headings: [Engines]"))
    run(root, ("draft", "001", "--topics", str(root / "topics.yaml")), capsys)
    engines = (root / DRAFTS / "looking-after-engines.md").read_text(encoding="utf-8")
    assert "[@001:p5]" in engines and "[@001:p6]" in engines and "[@001:p6]" not in (root / DRAFTS / "growing-tomatoes.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("topics", "line", "says"), [
    ("- title: Tomatoes\n  keywords: [soil]\n  colour: red\n", 3, "unknown key 'colour'"),
    ("- title: Tomatoes\n- title: [not, text]\n", 2, "'title' must be text"),
    ("- title: Tomatoes\n- keywords: [oil]\n", 2, "missing required key 'title'"),
    ("- title: Tomatoes\n  keywords: [soil, 3]\n", 2, "keywords"),
    ("- title: Tomatoes\n  slug: Bad Slug\n", 2, "slug 'Bad Slug'"),
    ("- title: Tomatoes\n- title: Engines\n  slug: tomatoes\n", 2, "would be drafted as tomatoes.md"),
    ("- title: Tomatoes\n  headings: [Gardenz]\n", 1, "no section of the seeds drafted is headed 'Gardenz'"),
    ("title: Tomatoes\n", 1, "a topics file is a list of topics"),
    ("- title: Tomatoes\n  keywords: [soil\n", 3, "invalid YAML"),
])
def test_a_malformed_topics_file_is_an_error_at_its_line(make_project: Callable[..., Path], capsys, topics: str, line: int, says: str) -> None:
    root = _with_seed(make_project, TOPICAL_SEED)
    write(root / "topics.yaml", topics)
    code, err = run(root, ("draft", "001", "--topics", "topics.yaml"), capsys, in_subprocess=True)
    assert_clean_failure(code, err, "topics.yaml", line, says, command="draft")
    assert err.splitlines()[-1] == f"draft refused: {len(err.splitlines()) - 1} problem{'' if len(err.splitlines()) == 2 else 's'}; nothing was written"
    assert not (root / DRAFTS).exists()


def test_an_unknown_seed_is_refused_naming_the_seeds_there_are(make_project: Callable[..., Path], capsys) -> None:
    root = make_project()
    code, err = run(root, ("draft", "001", "009"), capsys, in_subprocess=True)
    assert_clean_failure(code, err, "seeds", None, "no seed '009' in this folder (its seeds: 001)", command="draft")
    assert not (root / DRAFTS).exists()


def test_draft_overwrites_nothing_and_writes_nothing_when_a_draft_exists(make_project: Callable[..., Path], capsys) -> None:
    root = make_project()
    existing = write(root / DRAFTS / "001-section-two.md", "---\ntitle: Mine\n---\nMy own words.\n")
    code, err = run(root, ("draft", "001"), capsys, in_subprocess=True)
    assert_clean_failure(code, err, f"{DRAFTS}/001-section-two.md", None, "a draft of this name exists already", command="draft")
    assert existing.read_text(encoding="utf-8") == "---\ntitle: Mine\n---\nMy own words.\n"
    assert sorted(p.name for p in (root / DRAFTS).iterdir()) == ["001-section-two.md"]


HOSTILE = [
    "# Not a heading *not emphasis* _nor this_ `no code` [@001:p2] [a](javascript:alert(1)) <script>alert(1)</script> &amp; {#id} |a|b|",
    "1. Not a list -- no dash... \"no curly quotes\" it's ![no image](x.png) \\ backslash > and !!! note",
    "- not a bullet + nor this; *[HTML]: no abbreviation [^1] ~~kept~~ ^up^ ==mark==",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_quoted_passage_shows_exactly_as_the_seed_writes_it(make_project: Callable[..., Path], capsys, text: str) -> None:
    root = _with_seed(make_project, f"Heading One\n\n{text}\n")
    assert run(root, ("draft", "001"), capsys)[0] == 0
    result = build(root, Memo.off(), write=False, drafts=True)
    page = result.outputs["drafts/001-heading-one/index.html"].decode("utf-8")
    assert f"<p>{html.escape(text, quote=False)}<sup" in page.replace("&quot;", '"').replace("&#x27;", "'")


def test_a_draft_title_reads_back_as_the_seed_heading_wrote_it(make_project: Callable[..., Path], capsys) -> None:
    heading = 'Odd "title": with # and \\ and \u2028 a line separator'
    root = _with_seed(make_project, f"{heading}\n\nA paragraph under it.\n")
    assert run(root, ("draft", "001"), capsys)[0] == 0
    (drafted,) = (root / DRAFTS).iterdir()
    assert parse_page(drafted, f"drafts/{drafted.name}").title == heading


def test_a_topics_file_outside_the_project_is_refused(make_project: Callable[..., Path], capsys, tmp_path: Path) -> None:
    root = make_project()
    outside = write(tmp_path / "elsewhere" / "topics.yaml", TOPICS)
    code, err = run(root, ("draft", "001", "--topics", str(outside)), capsys, in_subprocess=True)
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[0] == f"{outside}: a topics file is read only from inside the project: move or copy it into the project folder"
    assert not (root / DRAFTS).exists()


def test_two_sections_under_the_same_heading_are_two_drafts(make_project: Callable[..., Path], capsys) -> None:
    root = _with_seed(make_project, "Notes\n\nThe first paragraph of notes.\n\nOther\n\nSomething else entirely.\n\nNotes\n\nThe second paragraph of notes.\n")
    assert run(root, ("draft", "001"), capsys)[0] == 0
    assert sorted(p.name for p in (root / DRAFTS).iterdir()) == ["001-notes-2.md", "001-notes.md", "001-other.md"]
    assert "The second paragraph of notes. [@001:p6]" in (root / DRAFTS / "001-notes-2.md").read_text(encoding="utf-8")
