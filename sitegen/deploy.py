"""Deploy: publish a built site folder as the whole content of a git branch (`gh-pages` for GitHub
Pages), then push it.

The commit is made by ghp-import (the tool behind `mkdocs gh-deploy`), which writes the branch
with `git fast-import`: the working tree, the index and the checked-out branch are never touched.
The branch receives exactly the site's files; the `.sitegen-output` marker of the output folder is
left out. Git's state is checked before anything is built, so a missing repository or remote is
one clear line, not a half-done deploy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import BuildError
from .output import MARKER


class DeployError(BuildError):
    """Git is not in a state to publish to (no repository, no such remote, a push refused)."""


@dataclass(frozen=True)
class Target:
    """Where a deploy goes: the repository holding the project, a branch, and the remote (if pushing)."""

    root: Path  # the project folder (inside the repository)
    branch: str
    remote: str | None  # None: commit only


@dataclass(frozen=True)
class Deployment:
    branch: str
    commit: str
    files: int
    remote: str | None  # the remote pushed to, None when only committed


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DeployError.at(root, 0, "git is not installed: install git to deploy, or upload the output folder to your host yourself") from None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "unknown git error").removeprefix("fatal: ").removeprefix("error: ")


def check_target(root: Path, branch: str = "gh-pages", remote: str | None = "origin") -> Target:
    """Refuse early, before building, when git cannot take the deploy. With a remote, fetch its
    copy of `branch` so the new commit continues the published history."""
    if _git(root, "rev-parse", "--show-toplevel").returncode != 0:
        raise DeployError.at(root, 0, "not a git repository: run `git init` and `git remote add origin URL` first, or upload the output folder yourself")
    if _git(root, "check-ref-format", "--branch", branch).returncode != 0:
        raise DeployError.at(root, 0, f"{branch!r} is not a valid branch name")
    if not (os.environ.get("GIT_COMMITTER_NAME") or _git(root, "config", "user.name").stdout.strip()):
        raise DeployError.at(root, 0, "git does not know who you are: set `git config user.name` and `git config user.email` (the deploy commit records them)")
    if remote is not None:
        if _git(root, "remote", "get-url", remote).returncode != 0:
            raise DeployError.at(
                root, 0, f"no git remote {remote!r}: add it with `git remote add {remote} URL`, name another with --remote, or commit only with --no-push"
            )
        fetched = _git(root, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
        if fetched.returncode != 0 and "couldn't find remote ref" not in fetched.stderr:
            raise DeployError.at(root, 0, f"cannot fetch from remote {remote!r}: {_last_line(fetched.stderr)}")
    return Target(root, branch, remote)


def default_message(root: Path) -> str:
    head = _git(root, "rev-parse", "--short=12", "HEAD")
    source = f" {head.stdout.strip()}" if head.returncode == 0 and head.stdout.strip() else ""
    return f"Deploy{source} with sitegen {__version__}"


def _branch_commit(root: Path, branch: str) -> str:
    result = _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
    return result.stdout.strip() if result.returncode == 0 else ""


def publish(folder: Path, target: Target, message: str | None = None) -> Deployment:
    """Commit `folder` (a built site) as the whole content of `target.branch`, then push it."""
    import ghp_import  # imported here: only deploys need it

    root = target.root
    before = _branch_commit(root, target.branch)
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as temporary:
        staging = Path(temporary) / "site"
        shutil.copytree(folder, staging, ignore=lambda where, names: [MARKER] if Path(where) == folder else [])
        files = {path.relative_to(staging).as_posix() for path in staging.rglob("*") if path.is_file()} | {".nojekyll"}
        try:
            with contextlib.chdir(root):
                ghp_import.ghp_import(
                    str(staging),
                    mesg=message or default_message(root),
                    remote=target.remote or "origin",
                    branch=target.branch,
                    nojekyll=True,
                    push=False,
                )
        except ghp_import.GhpError as exc:
            raise DeployError.at(root, 0, f"cannot commit the site to branch {target.branch!r}: {exc.message}") from None
    after = _branch_commit(root, target.branch)
    if not after or after == before:
        raise DeployError.at(root, 0, f"git did not record a commit on branch {target.branch!r}; nothing was published")
    if target.remote is not None:
        pushed = _git(root, "push", "--quiet", target.remote, f"refs/heads/{target.branch}:refs/heads/{target.branch}")
        if pushed.returncode != 0:
            raise DeployError.at(
                root, 0, f"committed {after[:12]} to {target.branch!r}, but pushing to {target.remote!r} failed: {_last_line(pushed.stderr)}"
            )
    return Deployment(target.branch, after, len(files), target.remote)
