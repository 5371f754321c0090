"""Deploy: publish a built site folder as the whole content of one git branch (`gh-pages` for GitHub
Pages), then push that branch. This module holds the command's rules; git.py drives git.

Deploy never touches the source: the commit is written with git's plumbing (git.py), and exactly
one ref is then written, the target branch, with the value it was read at, so nothing else can
move: not the working tree, not the index, not the checked-out branch, not any other branch or tag.

Refused before anything is built: a target branch checked out in any worktree (whatever `--force`
says), a target that is a symbolic ref, and a target whose last commit, locally or on the remote,
was not made by this tool (unless `--force`, which then commits on top of it). A deploy commit is
recognised by its `Deployed-with: sitegen …` trailer, or by the subject "Deploy … with sitegen …" of
earlier versions. With a remote, the new commit is pushed first and the local branch moved only once
the remote has taken it, so a failed push leaves both as they were. The published tree is the site,
a `.nojekyll`, and the CNAME named in site.yaml or else the one the branch already had.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.layout import CNAME, NOJEKYLL
from ..core.layout import OUTPUT_MARKER as MARKER
from . import git
from .git import fail

TRAILER = "Deployed-with"
_OLD_SUBJECT = re.compile(r"Deploy( [0-9a-f]{4,64})? with sitegen \S+")
_FORCE_DOES = "--force makes a deploy commit on top of it that replaces all its files with the site (its old commits stay in its history)"


@dataclass(frozen=True)
class Target:
    """Where a deploy goes: the repository holding the project, a branch, and the remote (if pushing)."""

    root: Path  # the project folder (inside the repository)
    branch: str  # the short name: `gh-pages`, never `refs/heads/gh-pages`
    remote: str | None  # None: commit only
    remote_tip: str = ""  # the remote's commit of `branch` (fetched), "" when it has none
    force: bool = False  # commit on top of a history this tool did not write


@dataclass(frozen=True)
class Deployment:
    branch: str
    commit: str
    files: int
    remote: str | None  # the remote pushed to, None when only committed


# --- the target branch --------------------------------------------------------------------------------


def normalise_branch(root: Path, name: str) -> str:
    """The short name of the branch `name` (`refs/heads/x` → `x`); refuses anything that is not a plain branch name."""
    short = name.removeprefix("refs/heads/")
    valid = short not in ("", "HEAD", "@") and not short.startswith(("-", "refs/")) and git.is_branch_name(root, short)
    if not valid:
        raise fail(root, f"{name!r} is not a valid branch name: name a branch such as gh-pages")
    return short


def refuse_checked_out(root: Path, branch: str) -> None:
    """Refuse a branch that a worktree has checked out (or is rebasing or bisecting): its files are someone's work."""
    ref = f"refs/heads/{branch}"
    for held, where in [*git.held_branches(root)]:
        if held == ref or git.full_name(root, held) == ref:
            raise fail(
                root,
                f"branch {branch!r} is checked out in {where}: deploy never replaces the files of a checked-out branch (not even with --force); "
                f"deploy to a branch of its own such as gh-pages",
            )
    if git.is_symbolic(root, branch):
        raise fail(root, f"branch {branch!r} is a symbolic ref to another branch: deploy to a branch of its own such as gh-pages")


def published_by_sitegen(root: Path, commit: str) -> bool:
    """True when `commit` is a deploy commit of this tool: a `Deployed-with: sitegen` trailer, or an earlier version's subject."""
    message = git.message_of(root, commit).strip()
    subject = message.partition("\n")[0].strip()
    last_paragraph = message.rsplit("\n\n", 1)[-1]
    trailer = any(line.startswith(f"{TRAILER}: sitegen") for line in last_paragraph.splitlines())
    return trailer or bool(_OLD_SUBJECT.fullmatch(subject))


def _refuse_foreign(root: Path, commit: str, where: str) -> None:
    if not published_by_sitegen(root, commit):
        last = f"the last is {commit[:12]} {git.subject_of(root, commit)!r}"
        raise fail(root, f"{where} holds commits that sitegen did not publish ({last}), so deploy refuses to replace them; {_FORCE_DOES}")


def check_target(root: Path, branch: str = "gh-pages", remote: str | None = "origin", force: bool = False) -> Target:
    """Refuse early, before building, when git cannot take the deploy or the target is not ours to replace.
    With a remote, fetch its copy of `branch` so the new commit continues the published history."""
    if git.top_level(root) is None:
        raise fail(root, "not a git repository: run `git init` and `git remote add origin URL` first, or upload the output folder yourself")
    branch = normalise_branch(root, branch)
    if not git.user_name(root):
        raise fail(root, "git does not know who you are: set `git config user.name` and `git config user.email` (the deploy commit records them)")
    refuse_checked_out(root, branch)
    local = git.branch_commit(root, branch)
    if local and not force:
        _refuse_foreign(root, local, f"branch {branch!r}")
    tip = ""
    if remote is not None:
        url = git.remote_url(root, remote)
        if url is None:
            raise fail(root, f"no git remote {remote!r}: add it with `git remote add {remote} URL`, name another with --remote, or commit only with --no-push")
        tip = git.remote_tip(root, remote, url, branch)
        if tip and not force:
            _refuse_foreign(root, tip, f"branch {branch!r} of remote {remote!r}")
    return Target(root, branch, remote, tip, force)


# --- the work tree ------------------------------------------------------------------------------------


def uncommitted_changes(root: Path, generated: Sequence[Path | None] = ()) -> int:
    """How many paths of the work tree differ from HEAD (untracked ones included), leaving out the `generated`
    folders (the output folder, the cache) that lie inside it."""
    return git.changed_paths(root, [folder for folder in generated if folder is not None])


def default_message(root: Path) -> str:
    return f"Deploy{_source_commit(root, ' ')} with sitegen {__version__}"


def _source_commit(root: Path, before: str = "") -> str:
    head = git.head_commit(root)
    return f"{before}{head}" if head else ""


def commit_message(root: Path, message: str | None, uncommitted: int) -> str:
    """The deploy commit's message: the given one or the default, a note on uncommitted changes, and the trailer."""
    parts = [(message or default_message(root)).strip()]
    if uncommitted:
        source = _source_commit(root) or "any commit"
        paths = f"{uncommitted} {'path' if uncommitted == 1 else 'paths'}"
        parts.append(f"Built from a work tree with uncommitted changes ({paths}): the site may differ from {source}.")
    parts.append(f"{TRAILER}: sitegen {__version__}")
    return "\n\n".join(parts) + "\n"


# --- writing the commit -------------------------------------------------------------------------------


def _site_files(folder: Path) -> dict[str, Path]:
    """{path in the branch: file} for every regular file of the built site, the output marker left out."""
    files: dict[str, Path] = {}
    for where, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            path = Path(where) / name
            relative = path.relative_to(folder).as_posix()
            if relative != MARKER and stat.S_ISREG(path.lstat().st_mode):
                files[relative] = path
    return files


def _write_tree(root: Path, folder: Path, cname: str, parent: str) -> tuple[str, int]:
    """The tree of the published branch (the site, `.nojekyll`, and CNAME from `cname` or kept from `parent`), and its file count."""
    files: dict[str, Path | bytes] = {**_site_files(folder)}
    files.setdefault(NOJEKYLL, b"")
    if cname:
        files[CNAME] = f"{cname}\n".encode("ascii")
    names = sorted(files)
    ids = dict(zip(names, git.store_blobs(root, [files[name] for name in names]), strict=True))
    kept = "" if CNAME in ids or not parent else git.tree_file(root, parent, CNAME)
    if kept:
        ids[CNAME] = kept
    return git.write_tree(root, ids), len(ids)


def _parent(root: Path, local: str, remote_tip: str) -> str:
    """The commit the deploy continues: the later of the local and the remote branch, the remote's when they diverged."""
    if not local or not remote_tip or local == remote_tip:
        return local or remote_tip
    if git.is_ancestor(root, remote_tip, local):
        return local  # deployed with --no-push since the last push
    return remote_tip


def publish(folder: Path, target: Target, message: str | None = None, cname: str = "", uncommitted: int = 0) -> Deployment:
    """Commit `folder` (a built site) as the whole content of `target.branch`, push it, then move the local branch."""
    root, branch = target.root, target.branch
    refuse_checked_out(root, branch)  # again: the build took a while
    local = git.branch_commit(root, branch)
    if local and not target.force:
        _refuse_foreign(root, local, f"branch {branch!r}")
    parent = _parent(root, local, target.remote_tip)
    tree, files = _write_tree(root, folder, cname, parent)
    commit = git.commit_tree(root, tree, parent, commit_message(root, message, uncommitted), branch)
    if target.remote is not None:
        git.push(root, target.remote, commit, branch)
    git.move_branch(root, branch, commit, local, pushed_to=target.remote)
    return Deployment(branch, commit, files, target.remote)
