"""`new FOLDER`: writes a project that builds, checks clean under --strict and deploys; refuses a
folder that holds anything; every setting is in its site.yaml; its seed's checksum is true."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import git_repos
import pytest
import yaml
from git_repos import branch_commit, git
from projects import PROBLEM_LINE, ROOT, load_site, snapshot
from serving import ServeProcess

from sitegen.commands.cli import main
from sitegen.commands.new import scaffold_files
from sitegen.load.settings import SETTINGS_SCHEMA, load_settings
from sitegen.resolve.coverage import coverage

isolated_git = git_repos.isolated_git  # git without this machine's configuration (autouse)
EXPECTED_FILES = {
    ".gitignore", "site.yaml", "content/index.md", "content/how-it-works.md", "content/glossary.yaml", "content/references.yaml",
    "seeds/sources.yaml", "seeds/001_how-sitegen-works.txt",
}



def _new(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["new", str(folder)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def test_new_writes_the_scaffold_into_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _new(tmp_path / "parent" / "mysite", capsys)
    assert code == 0
    assert _files(tmp_path / "parent" / "mysite") == EXPECTED_FILES
    assert "8 files" in out


def test_new_writes_into_an_existing_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mysite").mkdir()
    code, _, _ = _new(tmp_path / "mysite", capsys)
    assert code == 0
    assert _files(tmp_path / "mysite") == EXPECTED_FILES


def test_new_writes_the_files_exactly_as_the_scaffold_holds_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _new(tmp_path / "mysite", capsys)
    assert snapshot(tmp_path / "mysite") == scaffold_files()


def test_new_refuses_a_folder_that_is_not_empty_in_one_line_and_touches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mysite"
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "draft.md").write_text("mine\n", encoding="utf-8")
    code, out, err = _new(folder, capsys)
    assert code == 1
    assert len(err.splitlines()) == 1
    assert PROBLEM_LINE.match(err.strip())
    assert "not empty" in err
    assert "Traceback" not in err and out == ""
    assert snapshot(folder) == {"notes/draft.md": b"mine\n"}


def test_new_refuses_a_folder_holding_only_a_hidden_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mysite"
    folder.mkdir()
    (folder / ".git").mkdir()
    code, _, err = _new(folder, capsys)
    assert code == 1
    assert "not empty" in err


def test_new_refuses_a_path_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "mysite"
    target.write_text("a file\n", encoding="utf-8")
    code, _, err = _new(target, capsys)
    assert code == 1
    assert len(err.splitlines()) == 1
    assert "not a folder" in err
    assert target.read_text(encoding="utf-8") == "a file\n"


def test_the_new_project_checks_with_no_findings_under_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    code = main(["--project", str(root), "check", "--strict"])
    out = capsys.readouterr().out
    assert code == 0
    assert "check found no problems" in out


def test_the_new_project_builds_under_strict_with_its_topic_page_and_source_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    code = main(["--project", str(root), "build", "--strict", "--no-search"])
    assert code == 0, capsys.readouterr().err
    built = _files(root / "site")
    assert {"index.html", "how-it-works/index.html", "sources/001/index.html"} <= built


def test_the_new_project_cites_every_paragraph_of_its_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    (seed,) = coverage(load_site(root))
    assert seed.paragraphs > 0
    assert (seed.cited, seed.excluded, seed.uncited) == (seed.paragraphs, 0, ())


def test_the_checksum_in_sources_yaml_is_the_seeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    entries = yaml.safe_load((root / "seeds" / "sources.yaml").read_text(encoding="utf-8"))
    seeds = sorted((root / "seeds").glob("*.txt"))
    assert [seed.name.partition("_")[0] for seed in seeds] == list(entries)
    for seed in seeds:
        assert entries[seed.name.partition("_")[0]]["sha256"] == hashlib.sha256(seed.read_bytes()).hexdigest()


def test_site_yaml_sets_or_explains_every_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    lines = (root / "site.yaml").read_text(encoding="utf-8").splitlines()
    for name in SETTINGS_SCHEMA.names:
        at = [n for n, line in enumerate(lines) if re.match(rf"^#?\s*{name}:", line)]
        assert at, f"site.yaml does not name {name!r}"
        assert lines[at[0] - 1].startswith("#"), f"no comment explains {name!r}"


def test_site_yaml_loads_with_its_defaults_where_it_sets_none(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    settings = load_settings(root)
    assert settings.output_dir == SETTINGS_SCHEMA.default("output_dir")
    assert settings.review_interval_months == SETTINGS_SCHEMA.default("review_interval_months")


def test_the_glossary_and_bibliography_are_empty_and_show_their_format_in_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    glossary = (root / "content" / "glossary.yaml").read_text(encoding="utf-8")
    references = (root / "content" / "references.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(glossary) in (None, [])
    assert yaml.safe_load(references) in (None, {})
    for key in ("term", "id", "definition", "aliases"):
        assert re.search(rf"^#\s*-?\s*{key}:", glossary, re.MULTILINE), key
    for key in ("authors", "year", "title", "journal"):
        assert re.search(rf"^#\s+{key}:", references, re.MULTILINE), key


def test_gitignore_keeps_the_built_site_and_the_cache_out_of_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "New site")
    assert main(["--project", str(root), "build"]) == 0
    assert (root / "site" / "index.html").is_file() and (root / ".cache").is_dir()
    assert git(root, "status", "--porcelain", "--ignored=no") == ""


def test_the_new_project_deploys_once_committed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "New site")
    assert main(["--project", str(root), "deploy", "--no-push"]) == 0, capsys.readouterr().err
    assert "My cited site" in git(root, "show", f"{branch_commit(root)}:index.html")


def test_the_new_project_serves_its_topic_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    _new(root, capsys)
    with ServeProcess(root) as server:
        server.ready()
        with urllib.request.urlopen(server.url + "how-it-works/", timeout=30) as response:
            status, body = response.status, response.read().decode("utf-8")
        server.stop()
    assert status == 200
    assert "<title>How this site works" in body


def test_a_wheel_carries_every_scaffold_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".cache", "site", "build", "*.egg-info", "__pycache__", "node_modules"))
    command = [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "--quiet", "-w", str(tmp_path / "wheel")]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "wheel").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    stored = {f"sitegen/commands/scaffold/{'gitignore' if name == '.gitignore' else name}" for name in scaffold_files()}
    assert stored <= names
