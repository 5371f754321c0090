"""add-source: a document becomes a seed, its entry and its kept original, all three or none."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import snapshot

from sitegen.commands.cli import main
from sitegen.intake import add
from sitegen.load.sources import load_sources

NOTE = "# Cold Water\n\nSwimming in cold water makes the heart beat faster at first.\n\n## After a swim\n\nA warm hat and dry clothes help.\n"


@pytest.fixture
def root(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    made = make_project()
    monkeypatch.chdir(made)
    return made


def cli(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def bring(root: Path, name: str = "note.md", text: str = NOTE) -> Path:
    path = root.parent / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_writes_the_seed_one_passage_a_line(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(root, capsys, "add-source", str(bring(root)))
    assert code == 0, err
    seed = root / "seeds" / "002_cold-water.txt"
    assert seed.read_text(encoding="utf-8") == (
        "Cold Water\n\nSwimming in cold water makes the heart beat faster at first.\n\nAfter a swim\n\nA warm hat and dry clothes help.\n"
    )


def test_it_prints_the_coverage_line_of_the_new_seed(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(root, capsys, "add-source", str(bring(root)))
    assert "seed 002: 4 passages (2 headings, 2 paragraphs), 0 cited, 0 excluded" in out


def test_it_names_the_fields_a_person_must_fill_in(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = cli(root, capsys, "add-source", str(bring(root)))
    assert "next: fill in publisher and kind of seed 002 in seeds/sources.yaml, then cite its passages as [@002:p2]" in out


def test_the_entry_loads_once_its_publisher_and_kind_are_filled_in(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli(root, capsys, "add-source", str(bring(root)), "--url", "https://example.org/cold")
    path = root / "seeds" / "sources.yaml"
    filled = path.read_text(encoding="utf-8").replace('kind: ""', "kind: health article").replace('publisher: ""', "publisher: Example Health")
    path.write_text(filled, encoding="utf-8")
    source = load_sources(root / "seeds")["002"]
    assert (source.title, source.kind, source.url) == ("Cold Water", "health article", "https://example.org/cold")
    assert [passage.is_heading for passage in source.passages] == [True, False, True, False]


def test_the_entry_names_the_extractor_the_retrieval_date_and_the_kept_original(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = bring(root)
    cli(root, capsys, "add-source", str(document))
    entry = (root / "seeds" / "sources.yaml").read_text(encoding="utf-8").split('"002":', 1)[1]
    assert 'extractor: "Markdown ' in entry
    assert "retrieved: " in entry
    assert 'original: "originals/002_cold-water.md"' in entry
    assert (root / "seeds" / "originals" / "002_cold-water.md").read_bytes() == document.read_bytes()


def test_an_unfilled_kind_is_reported_by_check(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli(root, capsys, "add-source", str(bring(root)))
    code, _, err = cli(root, capsys, "check")
    assert code == 1
    assert "'kind' must not be empty" in err


def test_an_id_in_use_is_refused_and_nothing_is_written(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = bring(root)
    before = snapshot(root)
    code, _, err = cli(root, capsys, "add-source", str(document), "--id", "001")
    assert code == 1
    assert "seed id '001' is taken" in err
    assert snapshot(root) == before


def test_an_existing_file_is_never_overwritten_and_nothing_else_is_written(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taken = root / "seeds" / "originals" / "002_cold-water.md"
    taken.parent.mkdir()
    taken.write_text("mine", encoding="utf-8")
    before = snapshot(root)
    code, _, err = cli(root, capsys, "add-source", str(bring(root)))
    assert code == 1
    assert "already exists" in err
    assert snapshot(root) == before


def test_a_url_that_is_not_a_web_address_is_refused(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(root, capsys, "add-source", str(bring(root)), "--url", "javascript:alert(1)")
    assert code == 1
    assert "javascript" in err
    assert not (root / "seeds" / "002_cold-water.txt").exists()


def test_a_missing_document_is_one_clear_problem(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(root, capsys, "add-source", str(root / "nowhere.html"))
    assert code == 1
    assert "cannot read the document" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("given", "written"), [("2024-05-17", "2024-05-17"), ("2024-05", "2024-05"), ("2024-13-45", None), ("yesterday", None)])
def test_the_documents_date_is_kept_only_when_the_loader_reads_it_as_a_date(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, given: str, written: str | None,
) -> None:
    real = add.extract
    monkeypatch.setattr(add, "extract", lambda path, data: dataclasses.replace(real(path, data), date=given))
    cli(root, capsys, "add-source", str(bring(root)))
    path = root / "seeds" / "sources.yaml"
    filled = path.read_text(encoding="utf-8").replace('kind: ""', "kind: health article").replace('publisher: ""', "publisher: Example Health")
    path.write_text(filled, encoding="utf-8")
    assert load_sources(root / "seeds")["002"].date == written
