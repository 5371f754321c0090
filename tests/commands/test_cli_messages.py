"""What the command line says: its version, its name in the usage line, the last line of `check`, and
the findings the dev server prints after each build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import COMPLETE, ROOT, page

from sitegen import __version__
from sitegen.commands import preview
from sitegen.commands.cli import main, program_name
from sitegen.commands.preview import Preview


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version_prints_the_package_version_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"sitegen {__version__}"


@pytest.mark.parametrize(("argv0", "name"), [("/usr/local/bin/sitegen", "sitegen"), ("build.py", "build.py"), ("/x/project/build.py", "build.py")])
def test_the_program_is_named_as_it_was_run(argv0: str, name: str) -> None:
    assert program_name(argv0) == name


def test_usage_line_says_build_py_when_run_as_python_build_py(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.startswith("usage: build.py ")


def test_usage_line_says_sitegen_when_run_as_sitegen(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/usr/local/bin/sitegen", "--help"])
    with pytest.raises(SystemExit):
        main()
    assert capsys.readouterr().out.startswith("usage: sitegen ")


def test_check_with_findings_ends_by_counting_them_as_problems(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({**COMPLETE, "index.md": page("Home", "Welcome.\n")})
    code, out, _ = run(capsys, "--project", str(root), "check")
    assert code == 0
    assert re.fullmatch(r"check found 2 problems in \d+ files", out.splitlines()[-1])  # an uncited passage, an uncited statement


def test_check_strict_with_findings_exits_1(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({**COMPLETE, "index.md": page("Home", "Welcome.\n")})
    code, _, _ = run(capsys, "--project", str(root), "check", "--strict")
    assert code == 1


def test_check_of_input_that_does_not_load_ends_with_check_found_not_build_failed(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({**COMPLETE, "a.md": "---\ntitle: A\ncolour: red\n---\nText.\n", "b.md": page("B", "One [@001:p99].\n")})
    code, _, err = run(capsys, "--project", str(root), "check")
    assert code == 1
    assert err.splitlines()[-1] == "check found 2 problems"
    assert "build failed" not in err


def test_build_failure_keeps_its_summary_line(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project({**COMPLETE, "a.md": "---\ntitle: A\ncolour: red\n---\nText.\n"})
    _, _, err = run(capsys, "--project", str(root), "build", "--no-search")
    assert err.splitlines()[-1] == "build failed: 1 problem; the previous site was left as it was"


def pages_with_broken_links(count: int) -> dict[str, str]:
    """The complete project with `count` pages each linking to a page that does not exist."""
    return {**COMPLETE, **{f"p{i}.md": page(f"P{i}", f"See [gone](gone{i}.md).\n", order=i + 2, statements="editorial") for i in range(count)}}


def test_dev_server_prints_each_finding_as_path_line_message(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(pages_with_broken_links(2))
    monkeypatch.chdir(root)
    Preview(root, root / "site").rebuild()
    captured = capsys.readouterr()
    assert captured.out.strip().endswith("; 2 findings:")
    assert captured.err.splitlines() == [
        "content/p0.md:6: link to 'gone0.md': no page content/gone0.md",
        "content/p1.md:6: link to 'gone1.md': no page content/gone1.md",
    ]


def test_dev_server_prints_at_most_the_first_findings_then_how_many_more(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview, "FINDINGS_SHOWN", 3)
    root = make_project(pages_with_broken_links(5))
    monkeypatch.chdir(root)
    Preview(root, root / "site").rebuild()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("content/p") for line in lines[:3])
    assert lines[3] == "… and 2 more (`check` lists them all)"
