"""The default theme that ships in the package: a project with no templates/ or static/ builds with
it, the project's own files override it file by file (templates by name, static files by path), the
build's keys follow its files, and a template or static file that is nowhere is one line saying how
to restore it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from projects import ROOT, assert_clean_failure, page, run, write

from sitegen.commands.cli import main
from sitegen.incremental.memo import Memo
from sitegen.load.settings import load_settings
from sitegen.pipeline import build
from sitegen.render import theme as theme_module
from sitegen.render.bundled import ThemeFolders, default_theme
from sitegen.render.theme import theme_for


def bare_project(root: Path) -> Path:
    """A project of only site.yaml, content/index.md and an empty seeds/sources.yaml: no theme of its own."""
    write(root / "site.yaml", "title: Bare site\nlanguage: en\n")
    write(root / "content" / "index.md", page("Home", "Welcome.\n", statements="editorial"))
    write(root / "seeds" / "sources.yaml", "{}\n")
    return root


def copy_of_theme(folder: Path) -> ThemeFolders:
    """A copy of the default theme at `folder`, to change in a test as if it were the installed one."""
    source = default_theme()
    shutil.copytree(source.templates, folder / "templates")
    shutil.copytree(source.static, folder / "static")
    return ThemeFolders(folder)


def asset_named(outputs: dict[str, bytes], stem: str, suffix: str) -> bytes:
    """The bytes of the one published static file `static/<stem>.<digest><suffix>`."""
    found = [data for path, data in outputs.items() if path.startswith(f"static/{stem}.") and path.endswith(suffix)]
    assert len(found) == 1, sorted(outputs)
    return found[0]


@pytest.fixture
def installed_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ThemeFolders:
    """A copy of the default theme that builds in this test use as the installed one."""
    theme = copy_of_theme(tmp_path / "installed")
    monkeypatch.setattr(theme_module, "default_theme", lambda: theme)
    return theme


def test_the_default_theme_of_a_source_tree_is_its_own_templates_and_static() -> None:
    theme = default_theme()
    assert (theme.templates / "home.html").read_bytes() == (ROOT / "templates" / "home.html").read_bytes()
    assert (theme.static / "favicon.svg").read_bytes() == (ROOT / "static" / "favicon.svg").read_bytes()


def test_a_project_without_templates_or_static_builds_with_the_default_theme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = bare_project(tmp_path / "bare")
    assert main(["--project", str(root), "build", "--strict", "--no-search"]) == 0, capsys.readouterr().err
    assert "<html" in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert asset_named(build(root, Memo.off(), write=False).outputs, "favicon", ".svg") == (default_theme().static / "favicon.svg").read_bytes()


def test_a_project_with_a_full_copy_of_the_theme_builds_the_same_bytes_as_one_without(tmp_path: Path) -> None:
    bare = build(bare_project(tmp_path / "bare"), Memo.off(), write=False).outputs
    copied = bare_project(tmp_path / "copied")
    copy_of_theme(copied)
    assert build(copied, Memo.off(), write=False).outputs == bare


def test_a_project_template_overrides_the_themes_and_the_others_come_from_the_theme(tmp_path: Path) -> None:
    root = bare_project(tmp_path / "bare")
    write(root / "templates" / "home.html", '{% extends "base.html" %}\n{% block main %}<p>Our own home</p>{% endblock %}\n')
    outputs = build(root, Memo.off(), write=False).outputs
    home = outputs["index.html"].decode("utf-8")
    assert "<p>Our own home</p>" in home
    assert "style." in home  # base.html, from the theme, links the stylesheet
    assert "Our own home" not in outputs["404.html"].decode("utf-8")


def test_a_project_static_file_overrides_the_themes_of_the_same_path(tmp_path: Path) -> None:
    root = bare_project(tmp_path / "bare")
    write(root / "static" / "style.css", "body { color: teal; }\n")
    outputs = build(root, Memo.off(), write=False).outputs
    assert asset_named(outputs, "style", ".css") == b"body { color: teal; }\n"
    assert asset_named(outputs, "site", ".js") == (default_theme().static / "site.js").read_bytes()


def test_a_project_static_file_the_theme_lacks_is_published_beside_the_themes(tmp_path: Path) -> None:
    root = bare_project(tmp_path / "bare")
    write(root / "static" / "images" / "logo.svg", "<svg/>\n")
    outputs = build(root, Memo.off(), write=False).outputs
    assert asset_named(outputs, "images/logo", ".svg") == b"<svg/>\n"
    assert asset_named(outputs, "favicon", ".svg") == (default_theme().static / "favicon.svg").read_bytes()


def test_a_project_template_linked_out_of_the_project_is_refused_not_replaced_by_the_themes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = bare_project(tmp_path / "bare")
    outside = write(tmp_path / "elsewhere" / "home.html", "<p>secret</p>\n")
    (root / "templates").mkdir()
    os.symlink(outside, root / "templates" / "home.html")
    code, err = run(root, ("build",), capsys)
    assert_clean_failure(code, err, str(root / "templates" / "home.html"), None, "outside the project")


def test_the_theme_key_covers_the_files_of_the_default_theme(tmp_path: Path) -> None:
    settings = load_settings(bare_project(tmp_path / "bare"))
    theme = copy_of_theme(tmp_path / "installed")
    before = theme_for(settings, Memo.off(), theme)[1]
    write(theme.templates / "_macros.html", (theme.templates / "_macros.html").read_text(encoding="utf-8") + "\n")
    assert theme_for(settings, Memo.off(), theme)[1] != before


def test_a_changed_default_theme_template_is_never_served_stale_from_the_memo(tmp_path: Path, installed_theme: ThemeFolders) -> None:
    root = bare_project(tmp_path / "bare")
    memo = Memo.for_project(root)
    build(root, memo, write=False)
    base = installed_theme.templates / "base.html"
    write(base, base.read_text(encoding="utf-8").replace("<body", "<body data-changed", 1))
    again = build(root, memo, write=False).outputs
    assert b"data-changed" in again["index.html"]
    assert again == build(root, Memo.off(), write=False).outputs


def test_a_changed_default_theme_static_file_is_never_served_stale_from_the_memo(tmp_path: Path, installed_theme: ThemeFolders) -> None:
    root = bare_project(tmp_path / "bare")
    memo = Memo.for_project(root)
    build(root, memo, write=False)
    write(installed_theme.static / "style.css", "body { margin: 0; }\n")
    again = build(root, memo, write=False).outputs
    assert asset_named(again, "style", ".css") == b"body { margin: 0; }\n"
    assert again == build(root, Memo.off(), write=False).outputs


def test_an_override_extending_a_missing_template_says_how_to_restore_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = bare_project(tmp_path / "bare")
    write(root / "templates" / "home.html", '{% extends "nope.html" %}\n')
    code, err = run(root, ("build",), capsys)
    assert_clean_failure(code, err, str(root / "templates" / "home.html"), 1, "template not found: nope.html")
    assert "remove this override (templates/home.html) to use the default theme's" in err


def test_a_new_template_including_a_missing_one_says_where_the_themes_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = bare_project(tmp_path / "bare")
    write(root / "templates" / "home.html", '{% extends "base.html" %}\n{% block main %}{% include "parts.html" %}{% endblock %}\n')
    write(root / "templates" / "parts.html", '<div>\n{% include "missing.html" %}\n</div>\n')
    code, err = run(root, ("build",), capsys)
    assert_clean_failure(code, err, str(root / "templates" / "parts.html"), 2, "missing.html, neither in templates/ nor in the default theme")
    assert "sitegen theme copy" in err


def test_an_asset_in_neither_the_project_nor_the_theme_is_one_line_at_the_template_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = bare_project(tmp_path / "bare")
    write(root / "templates" / "home.html", '{% extends "base.html" %}\n{% block main %}\n<img src="{{ asset(\'logo.png\') }}" alt="">{% endblock %}\n')
    code, err = run(root, ("build",), capsys)
    assert_clean_failure(code, err, str(root / "templates" / "home.html"), 3, "static/logo.png does not exist, neither in the project nor in the default theme")


def test_a_default_theme_lacking_a_static_file_it_needs_is_one_line_at_its_template(
    tmp_path: Path, installed_theme: ThemeFolders, capsys: pytest.CaptureFixture[str]
) -> None:
    (installed_theme.static / "favicon.svg").unlink()
    root = bare_project(tmp_path / "bare")
    code, err = run(root, ("build",), capsys)
    uses = next(n for n, line in enumerate((installed_theme.templates / "base.html").read_text(encoding="utf-8").splitlines(), 1) if "favicon.svg" in line)
    assert_clean_failure(code, err, str(installed_theme.templates / "base.html"), uses, "static/favicon.svg does not exist")
