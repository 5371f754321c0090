"""Projects under git with a local bare repository as `origin`, for the deploy tests (no network)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import page


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd`; its output, stripped."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def branch_commit(repo: Path, branch: str = "gh-pages") -> str:
    """The commit `branch` points at in `repo`, or "" when the branch does not exist."""
    result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd=repo, capture_output=True, text=True)
    return result.stdout.strip()


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git that ignores this machine's configuration and finds no repository above tmp_path."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Site Editor")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "editor@example.org")


PAGES = {  # a strict-clean project
    "index.md": page("Home", "Welcome [@001:p2].\n"),
    "topic.md": page("A topic", "## Facts {#facts}\n\nA fact [@001:p4].\n", order=1),
    "sources.md": page("Sources", "The texts this site quotes.\n", statements="editorial"),
}


@pytest.fixture
def repo(make_project: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path]:
    """A strict-clean project under git, with `origin` a bare repository in tmp_path."""
    root = make_project(PAGES)
    git(root, "init", "--quiet")
    (root / ".gitignore").write_text("/site/\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "Project")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    git(root, "remote", "add", "origin", str(bare))
    return root, bare
