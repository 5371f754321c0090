"""`sitegen theme copy`: the default theme's every file into the project's templates/ and static/;
refused, copying nothing, where a file of the project is in the way (each one listed), unless --force."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from projects import PROBLEM_LINE, page, snapshot, write

from sitegen.commands.cli import main
from sitegen.render.bundled import default_theme


def project(root: Path) -> Path:
    write(root / "site.yaml", "title: Copy site\nlanguage: en\n")
    write(root / "content" / "index.md", page("Home"))
    return root


def theme_snapshot() -> dict[str, bytes]:
    theme = default_theme()
    return {f"{folder.name}/{name}": data for folder in (theme.templates, theme.static) for name, data in snapshot(folder).items()}


def copy(root: Path, *options: str) -> int:
    return main(["--project", str(root), "theme", "copy", *options])


def test_theme_copy_puts_every_file_of_the_default_theme_into_the_project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "p")
    assert copy(root) == 0, capsys.readouterr().err
    copied = {name: data for name, data in snapshot(root).items() if name.startswith(("templates/", "static/"))}
    assert copied == theme_snapshot()
    assert f"copied {len(copied)} files" in capsys.readouterr().out


def test_theme_copy_refuses_to_replace_a_project_file_and_lists_each_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "p")
    write(root / "templates" / "home.html", "mine\n")
    write(root / "static" / "style.css", "mine too\n")
    before = snapshot(root)
    assert copy(root) == 1
    err = capsys.readouterr().err.splitlines()
    named = [match["path"] for match in map(PROBLEM_LINE.match, err[:-1]) if match]
    assert named == [str(root / "templates" / "home.html"), str(root / "static" / "style.css")]
    assert err[-1] == "theme copy refused: 2 problems; nothing was copied"
    assert snapshot(root) == before


def test_theme_copy_with_force_replaces_the_project_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "p")
    write(root / "templates" / "home.html", "mine\n")
    assert copy(root, "--force") == 0, capsys.readouterr().err
    assert (root / "templates" / "home.html").read_bytes() == (default_theme().templates / "home.html").read_bytes()
    assert "replacing 1" in capsys.readouterr().out


def test_theme_copy_with_force_never_writes_through_a_symbolic_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path / "p")
    outside = write(tmp_path / "outside" / "style.css", "theirs\n")
    (root / "static").mkdir()
    os.symlink(outside, root / "static" / "style.css")
    assert copy(root, "--force") == 1
    assert "symbolic link" in capsys.readouterr().err
    assert outside.read_text(encoding="utf-8") == "theirs\n"


def test_a_project_with_the_copied_theme_builds_the_same_site_as_without(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sites = []
    for name, copied in (("without", False), ("with", True)):
        root = project(tmp_path / name)
        write(root / "seeds" / "sources.yaml", "{}\n")
        if copied:
            assert copy(root) == 0
        assert main(["--project", str(root), "build", "--no-search"]) == 0, capsys.readouterr().err
        sites.append(snapshot(root / "site"))
    assert sites[0] == sites[1]
