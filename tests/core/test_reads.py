"""Nothing outside the project is read into the site, and nothing that is not a regular file.

At every place the build reads (a page, the glossary, the bibliography, the seed metadata, a seed,
the settings, a static file, a template), a symbolic link that leads out of the project and a FIFO
are each one `path: message` line at the place itself, exit 1, the previous site byte for byte as
it was. Seed files are named `<id>_<name>.txt` with a plain URL segment as id; hidden files
(AppleDouble `._name`) are never read; a template naming a static file that is gone is an error at
the template's line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from projects import ROOT, SEED, assert_clean_failure, page, run, snapshot

from sitegen.core.errors import BuildError
from sitegen.core.files import list_inputs, read_input_bytes
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build

MARKER = "OUTSIDE-THE-PROJECT-7f3a"


def _page(root: Path) -> bytes:
    return (root / "content" / "topic.md").read_bytes() + f"\n{MARKER} is a sentence.\n".encode()


def _glossary(root: Path) -> bytes:
    return f"- term: Outside\n  definition: {MARKER}.\n".encode()


def _references(root: Path) -> bytes:
    return f"outside2020:\n  authors: [Doe J]\n  year: 2020\n  title: {MARKER}\n  doi: 10.1/x\n".encode()


def _sources(root: Path) -> bytes:
    return (root / "seeds" / "sources.yaml").read_bytes() + f"# {MARKER}\n".encode()


def _seed(root: Path) -> bytes:
    """The seed with a line added, and its new checksum recorded, so that reading it would succeed."""
    old = (root / SEED).read_bytes()
    new = old + f"{MARKER} is one more paragraph of the seed.\n".encode()
    sources = root / "seeds" / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(new).hexdigest()), encoding="utf-8")
    return new


def _settings(root: Path) -> bytes:
    return (root / "site.yaml").read_bytes() + f"description: {MARKER}\n".encode()


def _static(root: Path) -> bytes:
    return (root / "static" / "style.css").read_bytes() + f"/* {MARKER} */\n".encode()


def _template(root: Path) -> bytes:
    return (root / "templates" / "page.html").read_bytes() + f"<!-- {MARKER} -->\n".encode()


# Each place the build reads, and what a file there could hold (with MARKER) that the build would accept.
PLACES: dict[str, Callable[[Path], bytes]] = {
    "content/topic.md": _page,
    "content/glossary.yaml": _glossary,
    "content/references.yaml": _references,
    "seeds/sources.yaml": _sources,
    SEED: _seed,
    "site.yaml": _settings,
    "static/style.css": _static,
    "templates/page.html": _template,
}


def only_problem(stderr: str) -> str:
    problems = [line for line in stderr.splitlines() if not line.startswith("build failed")]
    assert len(problems) == 1, stderr
    return problems[0]


def everything_shown(root: Path, stderr: str) -> str:
    return stderr + "".join(data.decode("utf-8", "replace") for data in snapshot(root / "site").values())


def link_out(root: Path, place: str, outside: Path) -> None:
    """Put at `place` a link to a file outside the project that the build would accept if it read it."""
    outside.mkdir(exist_ok=True)
    target = outside / Path(place).name
    target.write_bytes(PLACES[place](root))
    (root / place).unlink(missing_ok=True)
    (root / place).symlink_to(target)


@pytest.mark.parametrize("place", PLACES)
def test_a_link_to_a_file_outside_the_project_is_one_error_at_the_link(
    place: str, built_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(built_project / "site")
    link_out(built_project, place, tmp_path / "outside")
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, place, None, "symbolic link to a file outside the project")
    only_problem(stderr)
    assert snapshot(built_project / "site") == before


@pytest.mark.parametrize("place", PLACES)
def test_a_link_to_a_file_outside_the_project_is_never_read(place: str, built_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link_out(built_project, place, tmp_path / "outside")
    code, stderr = run(built_project, ("build",), capsys)
    assert code == 1
    assert MARKER not in everything_shown(built_project, stderr)


def build_in_subprocess(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python build.py build` in `root`, stopped (a test failure) if it waits for a minute."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "build", *args], cwd=root, capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("place", PLACES)
def test_a_fifo_where_a_file_is_expected_is_one_error_and_never_a_hang(place: str, built_project: Path) -> None:
    before = snapshot(built_project / "site")
    (built_project / place).unlink(missing_ok=True)
    os.mkfifo(built_project / place)
    done = build_in_subprocess(built_project)
    assert_clean_failure(done.returncode, done.stderr, place, None, "not a regular file (a FIFO)")
    only_problem(done.stderr)
    assert snapshot(built_project / "site") == before


@pytest.fixture
def page_socket(built_project: Path) -> Iterator[str]:
    """A listening Unix socket at content/socket.md (bound by a relative name: socket paths are short)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind("content/socket.md")
        server.listen()
        yield "content/socket.md"


def test_a_socket_where_a_page_is_expected_is_one_error_at_its_path(built_project: Path, page_socket: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(built_project / "site")
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, page_socket, None, "not a regular file (a socket)")
    only_problem(stderr)
    assert snapshot(built_project / "site") == before


@pytest.mark.parametrize("folder", ["content", "seeds", "static", "templates"])
def test_an_input_folder_linked_from_outside_the_project_is_one_error_at_the_link(
    folder: str, built_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(built_project / "site")
    for place in ("content/glossary.yaml", "content/references.yaml"):  # files read by name, not only by listing
        (built_project / place).write_bytes(PLACES[place](built_project))
    (built_project / "content" / "glossary.md").write_text(page("Glossary"), encoding="utf-8")  # the page glossary terms need
    outside = tmp_path / "outside" / folder
    shutil.move(built_project / folder, outside)
    (built_project / folder).symlink_to(outside, target_is_directory=True)
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, folder, None, "symbolic link to a folder outside the project")
    only_problem(stderr)
    assert snapshot(built_project / "site") == before


def test_a_link_to_a_folder_inside_content_is_an_error_not_a_silent_skip(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built_project / "notes").mkdir()
    (built_project / "notes" / "extra.md").write_text(page("Extra", "Text.\n"), encoding="utf-8")
    (built_project / "content" / "more").symlink_to(built_project / "notes", target_is_directory=True)
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, "content/more", None, "links to folders are not followed")


def test_a_link_to_nothing_in_static_is_an_error_at_the_link(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built_project / "static" / "gone.css").symlink_to(built_project / "static" / "never-there.css")
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, "static/gone.css", None, "symbolic link to nothing")


def test_a_link_to_a_file_inside_the_project_is_read_like_the_file(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built_project / "drafts").mkdir()
    (built_project / "drafts" / "extra.md").write_text(page("Extra page", "Welcome [@001:p2].\n"), encoding="utf-8")
    (built_project / "content" / "extra.md").symlink_to(Path("..") / "drafts" / "extra.md")
    code, stderr = run(built_project, ("build", "--no-search"), capsys)
    assert code == 0, stderr
    assert "Extra page" in (built_project / "site" / "extra" / "index.html").read_text(encoding="utf-8")


def test_a_builder_that_built_before_refuses_a_page_replaced_by_a_link_out(built_project: Path, tmp_path: Path) -> None:
    memo = Memo.off()
    build(built_project, memo, write=False, persist=False)
    link_out(built_project, "content/topic.md", tmp_path / "outside")
    with pytest.raises(BuildError) as raised:
        build(built_project, memo, write=False, persist=False)
    assert [(p.path, p.message.split(":")[0]) for p in raised.value.problems] == [
        ((built_project / "content" / "topic.md").absolute().as_posix(), "symbolic link to a file outside the project")
    ]


@pytest.mark.parametrize("name", ["a b_notes.txt", "a#b_notes.txt", "ABC_notes.txt", "a.b_notes.txt", "-a_notes.txt", "_notes.txt"])
def test_a_seed_file_whose_id_is_not_a_plain_url_segment_is_an_error_at_its_path(
    name: str, built_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(built_project / "site")
    (built_project / "seeds" / name).write_text("Another Seed\n\nA paragraph of it.\n", encoding="utf-8")
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, f"seeds/{name}", None, "is not a plain URL segment")
    only_problem(stderr)
    assert snapshot(built_project / "site") == before


def test_a_seed_file_without_an_underscore_is_an_error_naming_the_rule(built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (built_project / "seeds" / "002.txt").write_text("Another Seed\n\nA paragraph of it.\n", encoding="utf-8")
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, "seeds/002.txt", None, "<id>_<name>.txt")


@pytest.mark.parametrize("key", [".", "a b", "a#b", "A1"])
def test_a_seed_id_in_sources_yaml_that_is_not_a_plain_url_segment_is_an_error_at_its_line(
    key: str, built_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = built_project / "seeds" / "sources.yaml"
    line = len(sources.read_text(encoding="utf-8").splitlines()) + 1
    with sources.open("a", encoding="utf-8") as stream:
        stream.write(f'"{key}":\n  title: T\n  publisher: P\n  kind: article\n  sha256: abc\n')
    code, stderr = run(built_project, ("build",), capsys)
    assert_clean_failure(code, stderr, "seeds/sources.yaml", line, "is not a plain URL segment")


APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\x09"


@pytest.mark.parametrize("name", ["seeds/._notes.txt", "content/._index.md", "seeds/._001_example.txt", "static/._style.css"])
def test_an_apple_double_file_is_never_read(name: str, built_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(built_project / "site")
    (built_project / name).write_bytes(APPLE_DOUBLE)
    code, stderr = run(built_project, ("build", "--no-search"), capsys)
    assert code == 0, stderr
    assert snapshot(built_project / "site") == before


def test_a_hidden_fifo_is_never_opened(built_project: Path) -> None:
    os.mkfifo(built_project / "content" / ".notes.md")
    done = build_in_subprocess(built_project, "--no-search")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("change", ["deleted", "renamed"])
def test_a_static_file_the_project_no_longer_has_comes_from_the_default_theme(
    change: str, built_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    favicon = built_project / "static" / "favicon.svg"
    if change == "deleted":
        favicon.unlink()
    else:
        favicon.rename(favicon.with_name("icon.svg"))
    code, stderr = run(built_project, ("build", "--no-search"), capsys)
    assert code == 0, stderr
    published = list((built_project / "site" / "static").glob("favicon.*.svg"))
    assert [path.read_bytes() for path in published] == [(ROOT / "static" / "favicon.svg").read_bytes()]


# The two functions every read and every listing goes through


def test_reading_a_fifo_returns_at_once_with_a_problem_at_its_path(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "content.md")
    with pytest.raises(BuildError) as raised:
        read_input_bytes(tmp_path / "content.md", tmp_path)
    assert "not a regular file (a FIFO)" in str(raised.value)


def test_reading_through_a_folder_linked_out_of_the_project_is_a_problem_at_the_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "page.md").write_text(MARKER, encoding="utf-8")
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "content").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    monkeypatch.chdir(tmp_path / "project")
    with pytest.raises(BuildError) as raised:
        read_input_bytes(Path("content/page.md"), Path("."))
    [problem] = raised.value.problems
    assert (problem.path, problem.message.split(":")[0]) == ((tmp_path / "project" / "content").as_posix(), "symbolic link to a folder outside the project")
    assert MARKER not in str(raised.value)


def test_a_listing_names_each_entry_it_refuses_and_lists_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "project" / "static"
    folder.mkdir(parents=True)
    (folder / "plain.css").write_text("a", encoding="utf-8")
    (folder / "inside.css").symlink_to("plain.css")
    (folder / "out.css").symlink_to(tmp_path / "secret.css")
    (tmp_path / "secret.css").write_text("b", encoding="utf-8")
    os.mkfifo(folder / "pipe.css")
    (folder / ".hidden.css").symlink_to(tmp_path / "secret.css")
    listing = list_inputs(folder)
    assert listing.files == ["inside.css", "plain.css"]
    assert {name: why.split(":")[0] for name, why in listing.refused.items()} == {
        "out.css": "symbolic link to a file outside the project",
        "pipe.css": "not a regular file (a FIFO)",
    }


def test_a_project_named_by_a_relative_path_is_found_again_after_the_working_folder_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "site.yaml").write_text(f"title: {name}\n", encoding="utf-8")
        monkeypatch.chdir(tmp_path / name)
        assert read_input_bytes(Path("site.yaml"), Path(".")) == f"title: {name}\n".encode()
