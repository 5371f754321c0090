"""update-source: every citation follows its passage's text into the new version, edited ones wait
for review, removed ones are refused (or dropped), and every file changes or none does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import COMPLETE, page, snapshot

from sitegen.commands.cli import main

ALPHA = "Alpha paragraph states the first fact about the subject in plain words."
BETA = "Beta paragraph states the second fact about the subject in other words."
ADVERT = "Advertising for the clinic's services and prices, with a number to call today."
GAMMA = "Gamma paragraph states a third fact that a page can cite as well, at the end."
BLOCKS = ["Example Article", ALPHA, BETA, "Section Two", ADVERT, GAMMA]  # p5 is excluded by the test project's sources.yaml
TOPIC = "Alpha [@001:p2].\n\nBeta and gamma [@001:p3; @001:p6].\n\nBoth [@001:p2-p3].\n"


@pytest.fixture
def root(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    pages = {**COMPLETE, "topic.md": page("A topic", TOPIC, order=1)}
    made = make_project(pages, seed_text="\n\n".join(BLOCKS) + "\n")
    monkeypatch.chdir(made)
    return made


def cli(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in `root` (messages name files relative to it): exit code, stdout, stderr."""
    code = main(["--project", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def update(root: Path, capsys: pytest.CaptureFixture[str], blocks: list[str], *options: str) -> tuple[int, str, str]:
    version = root.parent / "new-version.txt"
    version.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return cli(root, capsys, "update-source", "001", str(version), *options)


def topic(root: Path) -> str:
    return (root / "content" / "topic.md").read_text(encoding="utf-8").split("---\n", 2)[2]


def test_a_paragraph_inserted_at_the_top_moves_every_citation_to_the_same_text(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = update(root, capsys, ["A new first paragraph, added above everything else in the text.", *BLOCKS])
    assert code == 0, err
    assert topic(root) == "Alpha [@001:p3].\n\nBeta and gamma [@001:p4; @001:p7].\n\nBoth [@001:p3-p4].\n"
    assert "[@001:p3]" in (root / "content" / "index.md").read_text(encoding="utf-8")


def test_after_an_update_check_reports_only_the_added_passage_as_uncited(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    update(root, capsys, [*BLOCKS[:5], "A new paragraph the pages do not cite yet.", GAMMA])
    code, _, err = cli(root, capsys, "check", "--strict")
    assert code == 1
    assert "p6 is neither cited" in err  # the added passage, and nothing else
    assert err.count(": ") - err.count("check found") == 1


def test_exclusions_follow_their_passage(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    update(root, capsys, ["A new first paragraph, added above everything else in the text.", *BLOCKS])
    sources = (root / "seeds" / "sources.yaml").read_text(encoding="utf-8")
    assert "p6: \"Advertising for the clinic's services" in sources
    assert "    p5:" not in sources


def test_a_slightly_edited_passage_keeps_its_citations_and_check_asks_for_a_review(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = update(root, capsys, [BLOCKS[0], ALPHA, BETA.replace("second", "next"), *BLOCKS[3:]])
    assert code == 0, err
    assert topic(root) == TOPIC
    code, _, err = cli(root, capsys, "check", "--strict")
    assert code == 1
    flagged = [line for line in err.splitlines() if "changed on" in line]
    assert [line.split(": ")[0] for line in flagged] == ["content/topic.md:7", "content/topic.md:9"]
    assert flagged[0].split(": ", 1)[1].startswith("@001:p3 changed on ")


def test_the_edit_is_recorded_with_its_old_and_new_text(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    update(root, capsys, [BLOCKS[0], ALPHA, BETA.replace("second", "next"), *BLOCKS[3:]])
    sources = (root / "seeds" / "sources.yaml").read_text(encoding="utf-8")
    assert f'was: "{BETA}"' in sources
    assert f'now: "{BETA.replace("second", "next")}"' in sources


def test_a_page_marked_reviewed_is_no_longer_reported(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    update(root, capsys, [BLOCKS[0], ALPHA, BETA.replace("second", "next"), *BLOCKS[3:]])
    path = root / "seeds" / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    marker = next(line for line in text.splitlines(keepends=True) if line.lstrip().startswith("now: "))
    indent = marker[: len(marker) - len(marker.lstrip())]
    path.write_text(text.replace(marker, f"{marker}{indent}reviewed:\n{indent}  - topic.md\n"), encoding="utf-8")
    code, _, err = cli(root, capsys, "check", "--strict")
    assert code == 0, err


def test_a_citation_of_a_removed_passage_is_refused_at_its_line_and_nothing_changes(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root)
    code, _, err = update(root, capsys, [BLOCKS[0], ALPHA, *BLOCKS[3:]])
    assert code == 1
    assert "content/topic.md:7: @001:p3 cites p3, which the new version of seed 001 no longer has" in err
    assert "content/topic.md:9: @001:p2-p3 cites p3" in err
    assert "Traceback" not in err
    assert snapshot(root) == before


def test_a_rewritten_passage_counts_as_removed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rewritten = "Nothing in this sentence resembles the old one; the editors wrote it again from scratch."
    code, _, err = update(root, capsys, [BLOCKS[0], ALPHA, rewritten, *BLOCKS[3:]])
    assert code == 1
    assert "content/topic.md:7: @001:p3 cites p3" in err


def test_drop_removes_the_citations_of_a_removed_passage_and_keeps_the_rest(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = update(root, capsys, [BLOCKS[0], ALPHA, *BLOCKS[3:]], "--drop")
    assert code == 0, err
    assert topic(root) == "Alpha [@001:p2].\n\nBeta and gamma [@001:p5].\n\nBoth [@001:p2].\n"


def test_two_swapped_paragraphs_each_keep_their_citations(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = update(root, capsys, [BLOCKS[0], BETA, ALPHA, *BLOCKS[3:]])
    assert code == 0, err
    assert topic(root) == "Alpha [@001:p3].\n\nBeta and gamma [@001:p2; @001:p6].\n\nBoth [@001:p2-p3].\n"


def test_a_range_whose_passages_part_is_split_in_two(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = update(root, capsys, [BLOCKS[0], ALPHA, "An inserted paragraph between the two cited ones, new here.", *BLOCKS[2:]])
    assert code == 0, err
    assert topic(root).endswith("Both [@001:p2; @001:p4].\n")


def test_a_renamed_heading_changes_no_citation_and_check_strict_passes(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = update(root, capsys, [*BLOCKS[:3], "Section Two Renamed", *BLOCKS[4:]])
    assert code == 0, err
    assert "p4     p4     edited" in out
    assert topic(root) == TOPIC
    assert cli(root, capsys, "check", "--strict")[0] == 0


def test_dry_run_prints_the_plan_and_writes_nothing(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root)
    code, out, _ = update(root, capsys, ["A new first paragraph, added above everything else in the text.", *BLOCKS], "--dry-run")
    assert code == 0
    assert out.splitlines()[0].split() == ["old", "new", "change", "cited", "text"]
    assert any(line.split()[:4] == ["p2", "p3", "moved", "3"] for line in out.splitlines())
    assert "dry run: nothing was written" in out
    assert snapshot(root) == before


def test_the_previous_version_is_kept_and_the_source_page_says_when_it_changed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = (root / "seeds" / "001_example.txt").read_bytes()
    update(root, capsys, ["A new first paragraph, added above everything else in the text.", *BLOCKS])
    kept = list((root / "seeds" / "previous").iterdir())
    assert [path.read_bytes() for path in kept] == [old]
    cli(root, capsys, "build", "--no-search")
    html = (root / "site" / "sources" / "001" / "index.html").read_text(encoding="utf-8")
    assert "<dt>Last changed</dt>" in html


def test_an_unknown_seed_is_one_clear_problem(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    version = root.parent / "v.txt"
    version.write_text("Text.\n", encoding="utf-8")
    code, _, err = cli(root, capsys, "update-source", "042", str(version))
    assert code == 1
    assert "no seed '042' to update" in err
    assert "Traceback" not in err


def test_a_dry_run_with_removed_citations_prints_the_plan_and_each_refusal(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root)
    code, out, err = update(root, capsys, [BLOCKS[0], ALPHA, *BLOCKS[3:]], "--dry-run")
    assert code == 1
    assert any(line.split()[:4] == ["p3", "-", "removed", "2"] for line in out.splitlines())
    assert "content/topic.md:7: @001:p3 cites p3" in err
    assert snapshot(root) == before


def test_a_version_with_the_same_text_changes_nothing(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root)
    code, out, _ = update(root, capsys, BLOCKS)
    assert code == 0
    assert "nothing was written" in out
    assert snapshot(root) == before
