"""Helpers for writing small projects in tests and for running the command line on them (importable
from any test module, unlike conftest)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.incremental.memo import Memo
from sitegen.load.inputs import load_inputs
from sitegen.load.settings import load_settings
from sitegen.resolve.model import Site
from sitegen.resolve.site import resolve_site

ROOT = Path(__file__).resolve().parent.parent  # the repository: build.py, the theme (templates/, static/)


def write(path: Path, text: str) -> Path:
    """Write dedented `text` to `path`, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


SEED_TEXT = """Example Article

A first paragraph about the topic. It has two sentences.

Section Two

The second paragraph, with a fact worth citing.

The third paragraph, promotional and excluded.
"""


def page(title: str, body: str = "Text.\n", **front_matter: object) -> str:
    """A page's text: front matter (`title`, then each of `front_matter` as `key: value`, in the order given), then `body`."""
    keys = "".join(f"{key}: {value}\n" for key, value in front_matter.items())
    return f"---\ntitle: {title}\n{keys}---\n{body}"


SEED = "seeds/001_example.txt"
TOPIC = "---\ntitle: A topic\norder: 1\n---\n\nA fact [@001:p4].\n\n{}\n"  # line 8 holds the inserted text
PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "sources.md": page("Sources", "The texts this site rests on.\n", statements="editorial"),
    "topic.md": TOPIC.format(""),
}
DEFAULT_PAGES = {
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nA fact [@001:p4].\n", order=1, reviewed="2026-01-15"),
}
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\n]+?)(?::(?P<line>\d+))?: (?P<message>\S.*)$")


def write_project(root: Path, pages: dict[str, str] | None = None, seed_text: str = SEED_TEXT, sources_extra: str = "") -> Path:
    """A minimal valid project at `root`: the real templates and static files, one seed (001) and
    `pages` (content/ path: text; two pages by default). `sources_extra` is appended to seeds/sources.yaml."""
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "static", root / "static")
    write(root / "site.yaml", "title: Test site\nlanguage: en\n")
    seed = root / SEED
    seed.parent.mkdir(parents=True)
    seed.write_bytes(seed_text.encode("utf-8"))
    digest = hashlib.sha256(seed_text.encode("utf-8")).hexdigest()
    # The entry is indented 12 spaces, as `sources_extra` is (see test_theme).
    write(root / "seeds" / "sources.yaml", f"""
            "001":
              title: Example Article
              publisher: Example Clinic
              date: 2022-01-01
              kind: promotional clinic article
              promotional: true
              sha256: {digest}
              exclude:
                p5: "Advertising for the clinic's services, no medical facts"
            {sources_extra}
            """)
    for name, text in (pages if pages is not None else DEFAULT_PAGES).items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    return root


def load_site(root: Path) -> Site:
    """The site model of the project at `root`: its inputs loaded and resolved, with a memo that remembers nothing."""
    memo = Memo.off()
    with memo.build(persist=False):
        return resolve_site(load_inputs(load_settings(root), memo), memo)


def put(relative: str, text: str | bytes) -> Callable[[Path], None]:
    """A change that writes `text` to `relative` in the project it is given."""

    def apply(root: Path) -> None:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return apply


def topic_line(text: str) -> Callable[[Path], None]:
    """content/topic.md with `text` on line 8."""
    return put("content/topic.md", TOPIC.format(text))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, args: tuple[str, ...], capsys: pytest.CaptureFixture[str], in_subprocess: bool = False) -> tuple[int, str]:
    """Run the command line in `root` (so messages name files relative to it); exit code and stderr."""
    if in_subprocess:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=root, capture_output=True, text=True, env=env, timeout=120)
        return done.returncode, done.stderr
    code = main(["--project", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.err


def assert_clean_failure(code: int, stderr: str, file: str, line: int | None, says: str, command: str = "build") -> None:
    """Exit code 1, no traceback, only `path:line: message` lines, and one of them at `file`:`line` saying `says`."""
    assert code == 1, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    problems = [PROBLEM_LINE.match(text) for text in lines if not text.startswith("build failed")]
    assert all(problems), f"a line that is not path:line: message in:\n{stderr}"
    if command == "build":
        assert lines[-1].startswith("build failed"), stderr  # the summary comes last
    matching = [m for m in problems if m and m["path"] == file and (m["line"] is None if line is None else m["line"] == str(line))]
    assert matching, f"no problem at {file}:{line} in:\n{stderr}"
    assert any(says in m["message"] for m in matching), stderr


HOME = page("Home", "Welcome [@001:p2].\n")
# Every page the shared footer links to, and every paragraph of the seed (projects.SEED_TEXT) cited or excluded.
COMPLETE = {
    "index.md": HOME,
    "topic.md": page("A topic", "A fact [@001:p4].\n", order=1),
    "glossary.md": page("Glossary", "Terms.\n", statements="editorial"),
    "sources.md": page("Sources", "Seeds.\n", statements="editorial"),
    "about.md": page("About", "About.\n", statements="editorial"),
}


def copy_of_example_site(tmp_path: Path) -> Path:
    """The example site's content, seeds and settings copied into `tmp_path/site` (the theme is the packaged default)."""
    root = tmp_path / "site"
    for folder in ("content", "seeds"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "site.yaml", root / "site.yaml")
    return root
