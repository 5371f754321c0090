"""A build after an edit of a few pages, as the dev server asks for it (`last`, `changed`). Whenever
it amends the last build, its outputs, findings and warnings are those of a full build of the edited
project by a memo that remembers nothing; whenever an edit reaches beyond the page, the site is
built whole."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.commands.preview import Preview
from sitegen.core.errors import BuildError
from sitegen.incremental.memo import Memo
from sitegen.pipeline import BuildResult, build
from tests.projects import copy_of_example_site, page

PAGES = {
    "index.md": page("Home", "Welcome [@001:p2]. Read [the topic](topic.md) and [the notes](notes.md).\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nA fact [@001:p4].\n", order=1),
    "notes.md": page("Notes", "Some notes [@001:p4].\n\nMore [facts](topic.md#facts).\n", order=2),
    "about.md": page("About this site", "Who writes it.\n", statements="editorial"),
    "guides/first.md": page("A guide", "Editorial words.\n", order=3, statements="editorial"),
}


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    return make_project(PAGES)


def build_again(last: BuildResult, changed: list[Path], memo: Memo) -> BuildResult | None:
    """The build after `changed` as the dev server asks for it, when it amends `last` (None: it was built whole)."""
    result = build(last.site.settings.root, memo, write=False, drafts=True, last=last, changed=changed)
    return result if result.differing is not None else None


def first_build(root: Path) -> tuple[Memo, BuildResult]:
    memo = Memo.for_project(root)
    return memo, build(root, memo, write=False, drafts=True)


def edit(root: Path, name: str, text: str) -> Path:
    path = root / "content" / name
    path.write_text(text, encoding="utf-8")
    return path.absolute()


def full_build(root: Path) -> BuildResult:
    return build(root, Memo.off(), write=False, drafts=True)


def assert_same_as_full_build(result: BuildResult, root: Path) -> None:
    full = full_build(root)
    assert dict(result.outputs) == dict(full.outputs)
    assert result.findings == full.findings
    assert result.warnings == full.warnings


def test_an_edit_of_a_pages_text_renders_that_page_alone(project: Path) -> None:
    memo, last = first_build(project)
    changed = edit(project, "topic.md", page("A topic", "## Facts {#facts}\n\nA fact, said again [@001:p4].\n", order=1))
    result = build_again(last, [changed], memo)
    assert result is not None
    assert result.rendered == {"topic/index.html"}
    assert b"A fact, said again" in result.outputs["topic/index.html"]


def test_an_edit_of_a_pages_text_gives_what_a_full_build_gives(project: Path) -> None:
    memo, last = first_build(project)
    changed = edit(project, "topic.md", page("A topic", "## Facts {#facts}\n\nA fact, said again [@001:p4].\n", order=1))
    result = build_again(last, [changed], memo)
    assert result is not None
    assert_same_as_full_build(result, project)


def test_an_uncited_statement_added_is_found_as_a_full_build_finds_it(project: Path) -> None:
    memo, last = first_build(project)
    changed = edit(project, "notes.md", page("Notes", "Some notes [@001:p4].\n\nA claim with no source.\n\nMore [facts](topic.md#facts).\n", order=2))
    result = build_again(last, [changed], memo)
    assert result is not None
    assert any("statement without a citation" in problem.message for problem in result.findings)
    assert_same_as_full_build(result, project)


def test_an_edit_of_a_page_other_pages_look_up_renders_them_again(project: Path) -> None:
    memo, last = first_build(project)
    changed = edit(project, "about.md", page("About this site", "Who writes it, and why.\n", statements="editorial"))
    result = build_again(last, [changed], memo)
    assert result is not None
    assert {"about/index.html", "topic/index.html", "index.html"} <= result.rendered  # the theme's footer asks whether about/ exists
    assert_same_as_full_build(result, project)


def test_edits_one_after_another_each_give_what_a_full_build_gives(project: Path) -> None:
    memo, last = first_build(project)
    original = (project / "content" / "topic.md").read_text(encoding="utf-8")
    for body in ("A fact [@001:p4].\n\nA second paragraph.\n", "A fact [@001:p4], reworded.\n", None):
        text = original if body is None else page("A topic", "## Facts {#facts}\n\n" + body, order=1)
        result = build_again(last, [edit(project, "topic.md", text)], memo)
        assert result is not None
        assert_same_as_full_build(result, project)
        last = result


def test_an_editors_temporary_file_that_is_gone_changes_nothing(project: Path) -> None:
    memo, last = first_build(project)
    result = build_again(last, [(project / "content" / ".topic.md.swx").absolute()], memo)
    assert result is not None
    assert result.rendered == frozenset()
    assert dict(result.outputs) == dict(last.outputs)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("topic.md", page("A retitled topic", "## Facts {#facts}\n\nA fact [@001:p4].\n", order=1), id="title"),
        pytest.param("topic.md", page("A topic", "## Facts {#facts}\n\nA fact [@001:p4].\n", order=3), id="order"),
        pytest.param("topic.md", page("A topic", "## Facts {#facts}\n\nA fact [@001:p4].\n", order=1, slug="moved"), id="URL"),
        pytest.param("topic.md", page("A topic", "## Facts {#facts}\n\nA fact [@001:p4].\n", order=1, draft="true"), id="draft"),
        pytest.param("topic.md", page("A topic", "## Facts {#facts}\n\nA fact [@001:p2].\n", order=1), id="passage cited"),
        pytest.param("topic.md", page("A topic", "## Findings {#findings}\n\nA fact [@001:p4].\n", order=1), id="id others link to"),
        pytest.param("topic.md", page("A topic", "## Facts {#facts}\n\nA fact [@001:p4]. See [the about page](about.md).\n", order=1), id="page linked"),
        pytest.param("index.md", page("Home", "Welcome [@001:p2]. Read [the topic](topic.md).\n"), id="home page's links"),
    ],
)
def test_an_edit_that_reaches_beyond_its_page_is_left_to_a_full_build(project: Path, name: str, text: str) -> None:
    memo, last = first_build(project)
    assert build_again(last, [edit(project, name, text)], memo) is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(page("A topic", "## Facts {#facts}\n\nA fact [@001:p99].\n", order=1), id="unknown passage"),
        pytest.param("---\ntitle: [unclosed\n---\nText.\n", id="front matter that does not parse"),
    ],
)
def test_an_edit_with_an_error_is_reported_as_a_whole_build_reports_it(project: Path, text: str) -> None:
    memo, last = first_build(project)
    changed = edit(project, "topic.md", text)
    with pytest.raises(BuildError) as amended:
        build_again(last, [changed], memo)
    with pytest.raises(BuildError) as whole:
        full_build(project)
    assert amended.value.problems == whole.value.problems


@pytest.mark.parametrize(
    ("changed", "change"),
    [
        pytest.param("templates/page.html", lambda path: path.write_text("{{ page.title }}\n"), id="template"),
        pytest.param("site.yaml", lambda path: path.write_text("title: Another title\nlanguage: en\n"), id="settings"),
        pytest.param("seeds/sources.yaml", lambda path: path.write_text(path.read_text() + "# a comment\n"), id="seeds"),
        pytest.param("content/references.yaml", lambda path: path.write_text("{}\n"), id="bibliography"),
        pytest.param("content/new.md", lambda path: path.write_text(page("New", "Text.\n")), id="new page"),
        pytest.param("content/notes.md", lambda path: path.unlink(), id="page removed"),
        pytest.param("content/notes.md", lambda path: path.rename(path.with_name("renamed.md")), id="page renamed"),
        pytest.param("content/folder.md", lambda path: path.mkdir(), id="folder named like a page"),
        pytest.param("content/guides", lambda path: shutil.rmtree(path), id="folder of pages removed"),
        pytest.param("content/guides", lambda path: path.rename(path.with_name("moved")), id="folder of pages renamed"),
    ],
)
def test_a_change_to_anything_but_an_existing_page_is_left_to_a_full_build(project: Path, changed: str, change: Callable[[Path], object]) -> None:
    memo, last = first_build(project)
    change(project / changed)
    try:
        amended = build_again(last, [(project / changed).absolute()], memo)
    except BuildError:  # only a whole build reports problems: a folder named like a page is one
        amended = None
    assert amended is None


def test_a_build_that_wrote_the_site_is_not_built_on(project: Path) -> None:
    memo = Memo.for_project(project)
    last = build(project, memo, out_dir=project / "out", drafts=True)  # its outputs are held packed
    changed = edit(project, "topic.md", page("A topic", "## Facts {#facts}\n\nA fact, said again [@001:p4].\n", order=1))
    result = build(project, memo, out_dir=project / "out", write=False, drafts=True, last=last, changed=[changed])
    assert result.differing is None
    assert b"A fact, said again" in result.outputs["topic/index.html"]


def test_the_dev_server_writes_an_edited_page_rebuilt_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    preview = Preview(project, project / "site")
    preview.rebuild()
    changed = edit(project, "topic.md", page("A topic", "## Facts {#facts}\n\nA fact, said again [@001:p4].\n", order=1))
    assert preview.rebuild([str(changed)])
    assert "A fact, said again" in (project / "site" / "topic" / "index.html").read_text(encoding="utf-8")
    assert "1 output rewritten" in capsys.readouterr().out


def test_the_dev_server_after_a_failed_build_builds_the_whole_site_again(project: Path) -> None:
    preview = Preview(project, project / "site")
    preview.rebuild()
    good = (project / "content" / "topic.md").read_text(encoding="utf-8")
    changed = edit(project, "topic.md", "---\ntitle: [unclosed\n---\nText.\n")
    preview.rebuild([str(changed)])
    assert preview.problems
    (project / "content" / "notes.md").write_text(page("Notes, renamed", "Some notes [@001:p4].\n\nMore [facts](topic.md#facts).\n", order=2))
    edit(project, "topic.md", good)
    preview.rebuild([str(changed)])  # the watcher names only the last file saved: the rename must be seen too
    assert not preview.problems
    assert "Notes, renamed" in (project / "site" / "notes" / "index.html").read_text(encoding="utf-8")


def test_every_page_of_the_example_site_rebuilt_after_an_edit_gives_what_a_full_build_gives(tmp_path: Path) -> None:
    root = copy_of_example_site(tmp_path)
    memo, last = first_build(root)
    answered = 0
    for path in sorted((root / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + " An added word.\n", encoding="utf-8")
        result = build_again(last, [path.absolute()], memo)
        if result is not None:
            answered += 1
            assert_same_as_full_build(result, root)
            last = result
        else:
            last = build(root, memo, write=False, drafts=True)
    assert answered >= 10  # most pages' edits stay within them


@pytest.mark.parametrize(
    "asked", [pytest.param({"out_dir": Path("elsewhere")}, id="another output folder"), pytest.param({"drafts": False}, id="without drafts")],
)
def test_a_build_asked_for_otherwise_than_the_last_is_built_whole(project: Path, asked: dict[str, object]) -> None:
    memo, last = first_build(project)
    changed = edit(project, "topic.md", page("A topic", "## Facts {#facts}\n\nA fact, said again [@001:p4].\n", order=1))
    options: dict[str, object] = {"drafts": True, **asked}
    result = build(project, memo, write=False, last=last, changed=[changed], **options)  # type: ignore[arg-type]
    assert result.differing is None
