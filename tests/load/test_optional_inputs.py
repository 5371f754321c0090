"""Everything optional is optional: a project needs site.yaml and content/index.md, nothing more.
No seeds means no seeds/ and no sources.yaml; no glossary.yaml or references.yaml is needed; a
glossary with terms but no page to show them is one error at the glossary file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from projects import assert_clean_failure, page, run, write


def _bare_project(root: Path, pages: dict[str, str] | None = None) -> Path:
    """site.yaml and content/ with `pages` (only index.md by default): no seeds, glossary or bibliography."""
    write(root / "site.yaml", "title: Bare site\n")
    for name, text in (pages or {"index.md": page("Home", "Hello.\n", statements="editorial")}).items():
        write(root / "content" / name, text)
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a test writes its project, made the working folder (so messages name files relative to it)."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def test_a_project_of_only_site_yaml_and_an_index_page_checks_clean(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare_project(project)
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 0, err


def test_a_project_without_seeds_builds_its_home_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare_project(project)
    code, err = run(root, ("build", "--strict", "--no-search"), capsys)
    assert code == 0, err
    assert "Hello." in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_an_empty_seeds_folder_needs_no_sources_yaml(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare_project(project)
    (root / "seeds").mkdir()
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 0, err


def test_a_seed_without_sources_yaml_is_one_error_at_the_seed_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare_project(project)
    write(root / "seeds" / "001_notes.txt", "A paragraph of the seed.\n")
    code, err = run(root, ("build",), capsys)
    assert_clean_failure(code, err, "seeds/001_notes.txt", None, "seeds/sources.yaml does not exist")


def test_a_citation_in_a_project_without_seeds_is_an_error_at_the_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare_project(project, {"index.md": page("Home", "A fact [@001:p1].\n")})
    code, err = run(root, ("build",), capsys)
    assert_clean_failure(code, err, "content/index.md", 4, "001")


def test_a_project_without_glossary_yaml_or_references_yaml_builds(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project()
    assert not (root / "content" / "glossary.yaml").exists() and not (root / "content" / "references.yaml").exists()
    code, err = run(root, ("build", "--strict", "--no-search"), capsys)
    assert code == 0, err


def test_glossary_terms_without_a_glossary_page_are_one_error_at_the_glossary_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare_project(project, {"index.md": page("Home", "A word about seeds.\n", statements="editorial")})
    write(root / "content" / "glossary.yaml", "- term: seed\n  definition: A source text.\n")
    code, err = run(root, ("build",), capsys)
    assert_clean_failure(code, err, "content/glossary.yaml", 1, "no glossary page")
    assert len(err.splitlines()) == 2  # the problem and the summary


def test_glossary_terms_with_a_glossary_page_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = {"index.md": page("Home", "A word about seeds.\n", statements="editorial"), "glossary.md": page("Glossary", "Words.\n", statements="editorial")}
    root = _bare_project(project, pages)
    write(root / "content" / "glossary.yaml", "- term: seed\n  definition: A source text.\n  aliases: [seeds]\n")
    code, err = run(root, ("build", "--strict", "--no-search"), capsys)
    assert code == 0, err
    assert 'href="./glossary/#seed"' in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_a_glossary_page_may_take_its_url_from_a_slug(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = {"index.md": page("Home", "Hello.\n", statements="editorial"), "words.md": page("Words", "Words.\n", slug="glossary", statements="editorial")}
    root = _bare_project(project, pages)
    write(root / "content" / "glossary.yaml", "- term: seed\n  definition: A source text.\n")
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 0, err


def test_an_empty_glossary_needs_no_glossary_page(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _bare_project(project)
    write(root / "content" / "glossary.yaml", "# No terms yet.\n[]\n")
    code, err = run(root, ("check", "--strict"), capsys)
    assert code == 0, err
