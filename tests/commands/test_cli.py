"""The command line: exit codes, `path:line: message` reports, summaries, `check --strict`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import COMPLETE, HOME, page

from sitegen.commands.cli import main

LINE = re.compile(r"^\S+:\d+: \S")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def broken_project(make_project: Callable[..., Path]) -> Path:
    """Three problems in two pages."""
    return make_project({
        "index.md": HOME,
        "a.md": "---\ntitle: A\ncolour: red\n---\nText.\n",
        "b.md": page("B", "One [@001:p99].\n\nTwo [@009:p1].\n"),
    })


def test_bad_input_exits_1(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "--project", str(broken_project(make_project)), "build", "--no-search")
    assert code == 1


def test_every_problem_is_reported_as_a_path_line_message_line(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "--project", str(broken_project(make_project)), "build", "--no-search")
    problems = err.splitlines()[:-1]
    assert len(problems) == 3
    assert all(LINE.match(line) for line in problems), problems
    assert "Traceback" not in err


def test_problems_name_files_relative_to_the_working_folder(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = broken_project(make_project)
    monkeypatch.chdir(root)
    _, _, err = run(capsys, "build", "--no-search")
    assert err.splitlines()[:3] == [
        "content/a.md:3: unknown key 'colour'; allowed: description, draft, order, reviewed, slug, statements, structured_data, title",
        "content/b.md:4: @001:p99: seed 001 has no passage p99 (it has p1-p5)",
        "content/b.md:6: @009:p1: unknown source '009' (known: 001)",
    ]


def test_failed_build_ends_with_a_summary_line(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "--project", str(broken_project(make_project)), "build", "--no-search")
    assert err.splitlines()[-1] == "build failed: 3 problems; the previous site was left as it was"


def test_failed_build_writes_nothing(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = broken_project(make_project)
    run(capsys, "--project", str(root), "build", "--no-search")
    assert not (root / "site").exists()


def test_build_writes_the_site_and_says_what_it_wrote(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(COMPLETE)
    code, out, _ = run(capsys, "--project", str(root), "build", "--no-search")
    assert code == 0
    assert (root / "site" / "topic" / "index.html").is_file()
    assert re.match(r"built \d+ files into site/ \(5 pages, 1 sources\)", out)


def test_a_repeat_build_of_an_unchanged_site_says_the_folder_is_up_to_date(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(COMPLETE)
    run(capsys, "--project", str(root), "build", "--no-search")
    code, out, _ = run(capsys, "--project", str(root), "build", "--no-search")
    assert code == 0
    assert re.match(r"site/ already up to date: \d+ files \(5 pages, 1 sources\)", out)


def test_build_out_writes_to_the_given_folder(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = make_project(COMPLETE)
    code, _, _ = run(capsys, "--project", str(root), "build", "--no-search", "--out", str(tmp_path / "public"))
    assert code == 0 and (tmp_path / "public" / "index.html").is_file()


def test_strict_build_fails_on_a_broken_cross_link(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({**COMPLETE, "topic.md": page("A topic", "A fact [@001:p4]. See [gone](gone.md).\n")})
    code, _, err = run(capsys, "--project", str(root), "build", "--strict", "--no-search")
    assert code == 1
    assert re.search(r"content/topic\.md:4: link to 'gone\.md': no page content/gone\.md", err)


def test_check_prints_the_coverage_table(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--project", str(make_project(COMPLETE)), "check")
    assert out.splitlines()[0].split() == ["seed", "passages", "paragraphs", "cited", "excluded", "uncited"]
    assert out.splitlines()[1].split() == ["001", "5", "3", "2", "1", "0"]


def test_check_strict_exits_1_while_a_paragraph_is_uncited(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({**COMPLETE, "index.md": page("Home", "Welcome.\n", statements="editorial")})
    code, out, err = run(capsys, "--project", str(root), "check", "--strict")
    assert code == 1
    assert "seeds/001_example.txt:3: p2 is neither cited by any page nor excluded" in err
    assert re.fullmatch(r"check found 1 problem in \d+ files", out.splitlines()[-1])


def test_check_strict_exits_0_when_every_paragraph_is_accounted_for(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--project", str(make_project(COMPLETE)), "check", "--strict")
    assert (code, err) == (0, "")
    assert re.fullmatch(r"check found no problems in \d+ files", out.splitlines()[-1])


def test_check_without_strict_reports_findings_but_exits_0(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({**COMPLETE, "index.md": page("Home", "Welcome.\n")})
    code, _, err = run(capsys, "--project", str(root), "check")
    assert code == 0 and "p2 is neither cited" in err


def test_check_writes_nothing(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(COMPLETE)
    run(capsys, "--project", str(root), "check")
    assert not (root / "site").exists()
