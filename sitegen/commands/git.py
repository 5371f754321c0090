"""Git: the plumbing deploy drives, one function per question asked of git or object written to it.

Nothing here touches the working tree, the repository's index or any ref but the one it is told
to move. Files go into the object store with `git fast-import` (blobs only, no ref); a tree is
made in a throwaway index file; `git commit-tree` makes the commit; the branch is pushed by commit
id, then moved with `git update-ref` given the value it was read at (compare and swap). Every
branch is named in full (`refs/heads/<branch>`), never by a short name that a tag could shadow.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..core.errors import BuildError


class DeployError(BuildError):
    """Git is not in a state to publish to (no repository, no such remote, a push refused)."""


def fail(root: Path, message: str) -> DeployError:
    """The error that stops a deploy of the project at `root`."""
    return DeployError.at(root, 0, message)


def git(root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `git args` in `root` (never raising on git's exit code); `env` is added to this process's environment."""
    try:
        return subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, text=True, errors="replace", check=False, env={**os.environ, **(env or {})}
        )
    except FileNotFoundError:
        raise fail(root, "git is not installed: install git to deploy, or upload the output folder to your host yourself") from None


def first_line(text: str) -> str:
    """The first line of git's error output, without its `fatal:` or `error:`."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[0] if lines else "unknown git error").removeprefix("fatal: ").removeprefix("error: ")


# --- questions --------------------------------------------------------------------------------------


def top_level(root: Path) -> Path | None:
    """The top folder of the work tree holding `root`; None when `root` is not in a git repository."""
    result = git(root, "rev-parse", "--show-toplevel")
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def is_branch_name(root: Path, short: str) -> bool:
    """Whether git accepts `refs/heads/<short>` as a branch name."""
    return git(root, "check-ref-format", f"refs/heads/{short}").returncode == 0


def user_name(root: Path) -> str:
    """The committer name git would record ("" when it has none)."""
    return os.environ.get("GIT_COMMITTER_NAME") or git(root, "config", "user.name").stdout.strip()


def remote_url(root: Path, remote: str) -> str | None:
    """The URL of `remote`; None when there is no such remote."""
    result = git(root, "remote", "get-url", remote)
    return result.stdout.strip() if result.returncode == 0 else None


def branch_commit(root: Path, branch: str) -> str:
    """The commit `branch` points at; "" when there is no such branch."""
    result = git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
    return result.stdout.strip() if result.returncode == 0 else ""


def is_symbolic(root: Path, branch: str) -> bool:
    """Whether `branch` is a symbolic ref (an alias of another branch)."""
    return git(root, "symbolic-ref", "--quiet", f"refs/heads/{branch}").returncode == 0


def full_name(root: Path, ref: str) -> str:
    """The ref `ref` stands for, named in full."""
    return git(root, "rev-parse", "--symbolic-full-name", ref).stdout.strip()


def held_branches(root: Path) -> Iterator[tuple[str, str]]:
    """(ref, where) for every branch a worktree of the repository holds: checked out, the HEAD of a bare main
    repository, or in the middle of a rebase or bisect (its worktree's HEAD is then detached)."""
    worktree = ""
    for line in git(root, "worktree", "list", "--porcelain").stdout.splitlines():
        key, _, value = line.partition(" ")
        if key == "worktree":
            worktree = value
        elif key == "branch":
            yield value, worktree
    common = Path(git(root, "rev-parse", "--path-format=absolute", "--git-common-dir").stdout.strip())
    head = git(root, f"--git-dir={common}", "symbolic-ref", "--quiet", "HEAD")
    if head.returncode == 0:
        yield head.stdout.strip(), str(common)
    for git_dir in [common, *sorted((common / "worktrees").glob("*"))]:
        for state, prefix in (("rebase-merge/head-name", ""), ("rebase-apply/head-name", ""), ("BISECT_START", "refs/heads/")):
            with_branch = git_dir / state
            if with_branch.is_file():
                yield prefix + with_branch.read_text(encoding="utf-8", errors="replace").strip(), f"{git_dir} ({state.partition('/')[0]} in progress)"


def message_of(root: Path, commit: str) -> str:
    """The message of `commit`, as recorded."""
    return git(root, "cat-file", "commit", commit).stdout.partition("\n\n")[2]


def subject_of(root: Path, commit: str) -> str:
    return git(root, "show", "--no-patch", "--format=%s", commit).stdout.strip()


def head_commit(root: Path) -> str:
    """The short id of the commit checked out; "" when there is none."""
    head = git(root, "rev-parse", "--short=12", "--verify", "--quiet", "HEAD")
    return head.stdout.strip() if head.returncode == 0 else ""


def is_ancestor(root: Path, ancestor: str, commit: str) -> bool:
    return git(root, "merge-base", "--is-ancestor", ancestor, commit).returncode == 0


def changed_paths(root: Path, leaving_out: Sequence[Path] = ()) -> int:
    """How many paths of the work tree differ from HEAD (untracked ones included), the folders `leaving_out` left out."""
    top = Path(git(root, "rev-parse", "--show-toplevel").stdout.strip()).resolve()
    inside = [folder.resolve() for folder in leaving_out]
    excluded = [f":(top,exclude,literal){folder.relative_to(top).as_posix()}" for folder in inside if folder.is_relative_to(top) and folder != top]
    status = git(root, "status", "--porcelain", "--untracked-files=normal", "--", ":/", *excluded)
    return len([line for line in status.stdout.splitlines() if line.strip()]) if status.returncode == 0 else 0


def tree_file(root: Path, commit: str, name: str) -> str:
    """The blob id of the regular file `name` at the top of `commit`'s tree; "" when it has none."""
    listed = git(root, "ls-tree", "-z", commit, "--", name).stdout.rstrip("\0")
    mode_type_id, _, found = listed.partition("\t")
    fields = mode_type_id.split()
    return fields[2] if found == name and len(fields) == 3 and fields[:2] in (["100644", "blob"], ["100755", "blob"]) else ""


# --- the remote ---------------------------------------------------------------------------------------


def remote_tip(root: Path, remote: str, url: str, branch: str) -> str:
    """The commit of `branch` on `remote` (at `url`; "" when it has no such branch), fetched into its remote-tracking ref.
    Only that ref is written: no tags, no FETCH_HEAD, no pruning."""
    listed = git(root, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if listed.returncode != 0:
        reason = first_line(listed.stderr)
        raise fail(root, f"cannot reach remote {remote!r} ({url}): {reason}; nothing was published and no commit was made (commit only with --no-push)")
    if not any(line.endswith(f"\trefs/heads/{branch}") for line in listed.stdout.splitlines()):
        return ""
    tracking = f"refs/remotes/{remote}/{branch}"
    fetched = git(
        root, "fetch", "--quiet", "--no-tags", "--no-prune", "--no-write-fetch-head", "--no-recurse-submodules", remote, f"+refs/heads/{branch}:{tracking}"
    )
    if fetched.returncode != 0:
        raise fail(root, f"cannot fetch branch {branch!r} from remote {remote!r} ({url}): {first_line(fetched.stderr)}; nothing was published")
    return git(root, "rev-parse", "--verify", "--quiet", f"{tracking}^{{commit}}").stdout.strip()


def push(root: Path, remote: str, commit: str, branch: str) -> None:
    """Make `branch` of `remote` point at `commit` (git refuses when that is not a fast-forward)."""
    pushed = git(root, "push", "--quiet", "--no-follow-tags", "--recurse-submodules=no", remote, f"{commit}:refs/heads/{branch}")
    if pushed.returncode != 0:
        reason = first_line(pushed.stderr)
        raise fail(root, f"pushing to remote {remote!r} failed: {reason}; nothing was published and branch {branch!r} was left as it was")


# --- writing ------------------------------------------------------------------------------------------


def store_blobs(root: Path, contents: Sequence[Path | bytes]) -> list[str]:
    """Store each content as a blob (one `git fast-import` holding blobs only: it writes no ref); their object ids in order."""
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as temporary:
        marks, errors = Path(temporary) / "marks", Path(temporary) / "fast-import.err"
        with errors.open("wb") as err:
            process = subprocess.Popen(
                ["git", "fast-import", "--quiet", "--done", f"--export-marks={marks}"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err
            )
            assert process.stdin is not None
            try:
                for number, content in enumerate(contents, start=1):
                    data = content if isinstance(content, bytes) else content.read_bytes()
                    process.stdin.write(b"blob\nmark :%d\ndata %d\n%b\n" % (number, len(data), data))
                process.stdin.write(b"done\n")
                process.stdin.close()
            except BrokenPipeError:
                pass
            if process.wait() != 0:
                reason = first_line(errors.read_text(encoding="utf-8", errors="replace"))
                raise fail(root, f"git could not store the site's files: {reason}; nothing was published")
        ids = dict(line.split(" ", 1) for line in marks.read_text(encoding="ascii").splitlines() if line)
    return [ids[f":{number}"] for number in range(1, len(contents) + 1)]


def write_tree(root: Path, files: Mapping[str, str]) -> str:
    """The tree holding each {path: blob id} of `files` as a regular file, made in a throwaway index file (the
    repository's own index is never read or written)."""
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as temporary:
        index = {"GIT_INDEX_FILE": str(Path(temporary) / "index")}
        entries = "".join(f"100644 {object_id}\t{name}\0" for name, object_id in sorted(files.items()))
        added = git(root, "update-index", "-z", "--add", "--index-info", stdin=entries, env=index)
        tree = git(root, "write-tree", env=index) if added.returncode == 0 else added
    if tree.returncode != 0:
        raise fail(root, f"git could not make the site's tree: {first_line(tree.stderr)}; nothing was published")
    return tree.stdout.strip()


def commit_tree(root: Path, tree: str, parent: str, message: str, branch: str) -> str:
    """A new commit of `tree` on top of `parent` ("": a first commit), meant for `branch`; no ref moves."""
    made = git(root, "commit-tree", tree, *(["-p", parent] if parent else []), stdin=message)
    commit = made.stdout.strip()
    if made.returncode != 0 or not commit:
        raise fail(root, f"git did not record a commit for branch {branch!r}: {first_line(made.stderr)}; nothing was published")
    return commit


def move_branch(root: Path, branch: str, commit: str, old: str, pushed_to: str | None) -> None:
    """Point `branch` at `commit`, provided it still points at `old` ("": it does not exist yet)."""
    moved = git(root, "update-ref", "--no-deref", "-m", "sitegen deploy", f"refs/heads/{branch}", commit, old)
    if moved.returncode != 0:
        pushed_note = f"remote {pushed_to!r} has it, but " if pushed_to else ""
        raise fail(root, f"{pushed_note}branch {branch!r} changed while deploying and was left as it was: {first_line(moved.stderr)}")
