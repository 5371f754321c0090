"""A small valid project whose data files (site.yaml, seeds/sources.yaml, content/glossary.yaml,
content/references.yaml) are written from Python values, so a test replaces one part of one of them."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from projects import assert_clean_failure, page, run, snapshot, write_project

SEED = "Example Article\n\nA first paragraph about the topic. It has two sentences.\n\nSection Two\n\nThe second paragraph, with a fact worth citing.\n"
PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nAura is a fact [@001:p4] and a study [@smith2020].\n", order=1, reviewed="2026-01-15"),
    "glossary.md": page("Glossary", "The terms.\n", statements="editorial"),
    "sources.md": page("Sources", "The texts.\n", statements="editorial"),
}


def data(settings: dict[str, object] | None = None, source: dict[str, object] | None = None, glossary: list[object] | None = None,
         references: dict[str, object] | None = None) -> dict[str, object]:
    """The data files of a small valid project, with the given parts replaced (see `write_data`)."""
    return {
        "site.yaml": {"title": "Test site", "language": "en", "disclaimer": "Education only, not *advice*.", **(settings or {})},
        "seeds/sources.yaml": {"001": {"title": "Example Article", "publisher": "Example Clinic", "date": "2022-01-01", "kind": "article",
                                        "promotional": False, "sha256": hashlib.sha256(SEED.encode()).hexdigest(),
                                        "exclude": {"p2": "Navigation of the clinic website"}, **(source or {})}},
        "content/glossary.yaml": glossary if glossary is not None else [{"term": "Aura", "id": "aura", "definition": "Lights *before* a migraine."}],
        "content/references.yaml": {"smith2020": {"authors": ["Smith J"], "year": 2020, "title": "A study", "journal": "J", "doi": "10.1/x",
                                                  **(references or {})}},
    }


def write_data(root: Path, files: dict[str, object]) -> None:
    """Write each data file of `files` (relative path: value) into the project at `root` as YAML."""
    for relative, value in files.items():
        (root / relative).write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")


def line_of(root: Path, relative: str, needle: str) -> int:
    """The line of `relative` on which `needle` (a key) first appears."""
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, start=1) if re.match(rf"^\s*(- )?{re.escape(needle)}:", text))


def write_data_project(root: Path) -> Path:
    """The small valid project of `data()` at `root`, not built: four pages, a glossary, a bibliography, one seed."""
    write_project(root, PAGES, seed_text=SEED)
    write_data(root, data())
    return root


@pytest.fixture(scope="module")
def data_project_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project of `write_data_project`, written once per module."""
    return write_data_project(tmp_path_factory.mktemp("built") / "project")


@pytest.fixture
def project(data_project_once: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A valid project with its site built (the working folder, so messages name files relative to it)."""
    root = tmp_path / "project"
    shutil.copytree(data_project_once, root)
    monkeypatch.chdir(root)
    monkeypatch.setenv("SITEGEN_CACHE", "off")
    code, err = run(root, ("build", "--no-search"), capsys)
    assert code == 0, err
    return root


def fails_cleanly(root: Path, capsys: pytest.CaptureFixture[str], file: str, line: int | None, says: str) -> None:
    """The build of `root` fails cleanly at `file`:`line` saying `says`, and leaves the old site as it was."""
    before = snapshot(root / "site")
    code, err = run(root, ("build", "--no-search"), capsys)
    assert_clean_failure(code, err, file, line, says)
    assert snapshot(root / "site") == before
