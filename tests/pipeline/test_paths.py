"""Paths: problems name their files by absolute paths, shown relative to the working folder only by
the command line; hidden folders are never read; the project's folders and the output guard are
named once."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import load_site, write

from sitegen.commands.cli import main
from sitegen.core.errors import BuildError, Problem, shown
from sitegen.load.settings import load_settings
from sitegen.pipeline import build
from sitegen.resolve.coverage import coverage
from sitegen.write.output import check_output_dir

PRIVATE = "private-7c1e9a"  # the text of a file that must not be published
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:]+):(?:(?P<line>\d+):)? (?P<message>.+)$")
# Every paragraph of the conftest seed cited (p2, p4) or excluded (p5), every page the footer links to present.
HOME = "---\ntitle: Home\n---\nWelcome [@001:p2].\n"
TOPIC = "---\ntitle: A topic\n---\nA fact [@001:p4].\n"
FOOTER_PAGES = {"glossary.md": "---\ntitle: Glossary\nstatements: editorial\n---\nTerms.\n",
                "sources.md": "---\ntitle: Sources\nstatements: editorial\n---\nSeeds.\n",
                "about.md": "---\ntitle: About\nstatements: editorial\n---\nAbout.\n"}


@pytest.fixture(params=["beside", "above"])
def elsewhere(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A working folder other than the project (tmp_path/project): one beside it, or the one that holds it."""
    folder = tmp_path / "elsewhere" if request.param == "beside" else tmp_path
    folder.mkdir(exist_ok=True)
    return folder


def run_elsewhere(root: Path, elsewhere: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> list[tuple[str, str]]:
    """Run the command line with `--project` (relative) from `elsewhere`; (path, message) of each problem printed."""
    monkeypatch.chdir(elsewhere)
    main(["--project", os.path.relpath(root, elsewhere), *args])
    printed = [PROBLEM_LINE.match(line) for line in capsys.readouterr().err.splitlines()]
    return [(match["path"], match["message"]) for match in printed if match and not match["path"].startswith("build")]


def printed_at(problems: list[tuple[str, str]], says: str) -> str:
    [path] = [path for path, message in problems if says in message]
    return path


def test_a_broken_link_in_a_page_is_printed_at_a_path_that_exists_from_the_working_folder(
    make_project: Callable[..., Path], elsewhere: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"index.md": HOME, "topic.md": TOPIC + "\nSee [gone](gone.md) [@001:p4].\n", **FOOTER_PAGES})
    path = printed_at(run_elsewhere(root, elsewhere, capsys, monkeypatch, "check"), "gone")
    assert Path(path).exists() and Path(path).samefile(root / "content" / "topic.md")


def test_an_uncited_seed_passage_is_printed_at_a_path_that_exists_from_the_working_folder(
    make_project: Callable[..., Path], elsewhere: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"index.md": "---\ntitle: Home\n---\nWelcome.\n", "topic.md": TOPIC, **FOOTER_PAGES})
    path = printed_at(run_elsewhere(root, elsewhere, capsys, monkeypatch, "check"), "p2 is neither cited")
    assert Path(path).exists() and Path(path).samefile(root / "seeds" / "001_example.txt")


def test_a_broken_citation_in_a_page_is_printed_at_a_path_that_exists_from_the_working_folder(
    make_project: Callable[..., Path], elsewhere: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"index.md": HOME, "topic.md": "---\ntitle: A topic\n---\nA fact [@001:p99].\n", **FOOTER_PAGES})
    path = printed_at(run_elsewhere(root, elsewhere, capsys, monkeypatch, "build", "--no-search"), "p99")
    assert Path(path).exists() and Path(path).samefile(root / "content" / "topic.md")


def test_a_problem_in_a_data_file_is_printed_at_a_path_that_exists_from_the_working_folder(
    make_project: Callable[..., Path], elsewhere: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"index.md": HOME, "topic.md": TOPIC, **FOOTER_PAGES})
    with (root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write("    p42: Navigation links\n")  # excludes a passage the seed does not have
    path = printed_at(run_elsewhere(root, elsewhere, capsys, monkeypatch, "build", "--no-search"), "passage p42 does not exist")
    assert Path(path).exists() and Path(path).samefile(root / "seeds" / "sources.yaml")


def test_a_problem_names_its_file_by_the_same_absolute_path_from_any_working_folder(
    make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({"index.md": HOME, "topic.md": "---\ntitle: A topic\ncolour: red\n---\nText.\n"})
    found = []
    for folder in (root, root / "content", tmp_path):
        monkeypatch.chdir(folder)
        with pytest.raises(BuildError) as raised:
            load_site(Path(os.path.relpath(root, folder)))
        found.append(raised.value.problems)
    assert found[0] == found[1] == found[2]
    assert [problem.path for problem in found[0]] == [(root / "content" / "topic.md").as_posix()]


def test_the_command_line_shows_a_path_inside_the_working_folder_relative_to_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown(Problem.at(tmp_path / "content" / "a.md", 3, "wrong")) == "content/a.md:3: wrong"


def test_the_command_line_shows_a_path_outside_the_working_folder_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert shown(Problem.at(tmp_path / "there" / "a.md", 0, "wrong")) == f"{(tmp_path / 'there' / 'a.md').as_posix()}: wrong"


def test_coverage_problems_lie_in_the_seeds_folder_of_the_project(make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({"index.md": "---\ntitle: Home\n---\nWelcome.\n", "topic.md": TOPIC})
    monkeypatch.chdir(tmp_path)
    [problem] = [p for p in build(root, write=False).findings if "neither cited" in p.message]
    assert (problem.path, problem.line) == ((root / "seeds" / "001_example.txt").as_posix(), 3)


# Hidden folders


@pytest.mark.parametrize("hidden", ["static/.git/config", "static/.secret/key.txt", "static/fonts/.cache/x.txt", "static/.well-known/.notes"])
def test_a_file_in_a_hidden_folder_of_static_is_not_published(make_project: Callable[..., Path], hidden: str) -> None:
    root = make_project()
    write(root / hidden, f"{PRIVATE}\n")
    assert [path for path, data in build(root, write=False).outputs.items() if PRIVATE.encode() in data] == []


def test_static_well_known_is_published_at_the_site_root_under_its_own_name(make_project: Callable[..., Path]) -> None:
    root = make_project()
    write(root / "static" / ".well-known" / "security.txt", "Contact: mailto:security@example.org\n")
    outputs = build(root, write=False).outputs
    assert outputs[".well-known/security.txt"] == b"Contact: mailto:security@example.org\n"


@pytest.mark.parametrize("folder", ["content/.drafts", "content/topics/.old", "templates/.backup"])
def test_a_broken_file_in_a_hidden_folder_of_an_input_is_never_read(make_project: Callable[..., Path], folder: str) -> None:
    root = make_project()
    write(root / folder / "page.md", "---\ntitle: [unclosed\n---\n{% broken\n")
    write(root / folder / "page.html", "{% broken\n")
    build(root, write=False)  # raises if either file were read


def test_a_hidden_seed_folder_is_not_a_problem(make_project: Callable[..., Path]) -> None:
    root = make_project()
    write(root / "seeds" / ".old" / "002_gone.txt", "Gone\n\nA paragraph.\n")
    assert [source.id for source in load_site(root).sources.values()] == ["001"]


# One list of names, one output guard


@pytest.mark.parametrize("folder", ["content", "content/site", "static/out", "seeds", "templates/x", ".git", ".", ".."])
def test_site_yaml_refuses_an_output_folder_that_would_replace_part_of_the_project(make_project: Callable[..., Path], folder: str) -> None:
    root = make_project()
    write(root / "site.yaml", f"title: Test site\noutput_dir: {folder}\n")
    with pytest.raises(BuildError, match="output_dir"):
        load_settings(root)


@pytest.mark.parametrize("folder", ["content", "content/site", "static/out", "seeds", "templates/x", ".git", ".", ".."])
def test_the_writer_refuses_the_same_output_folders_as_site_yaml(make_project: Callable[..., Path], folder: str) -> None:
    root = make_project()
    with pytest.raises(BuildError, match="refusing to write the site here"):
        check_output_dir(root / folder, root)


@pytest.mark.parametrize("slug", ["pagefind", "static", "sitemap.xml"])
def test_a_page_may_not_take_a_name_the_build_writes_at_the_site_root(make_project: Callable[..., Path], slug: str) -> None:
    root = make_project({"index.md": HOME, "topic.md": f"---\ntitle: A topic\nslug: {slug}\n---\nText.\n"})
    with pytest.raises(BuildError, match="reserved for a file the build writes"):
        load_site(root)


def test_the_sources_page_shows_the_counts_of_the_coverage_check(make_project: Callable[..., Path]) -> None:
    root = make_project({"index.md": HOME, "topic.md": TOPIC, "sources.md": "---\ntitle: Sources\n---\nSeeds.\n"})
    result = build(root, write=False)
    [row] = coverage(result.site)
    page = result.outputs["sources/index.html"].decode("utf-8")
    assert f"{row.passages} ({row.paragraphs} paragraphs: {row.cited} cited, {row.excluded} excluded)" in page
