"""Deploy: publish a built site folder as the whole content of one git branch (`gh-pages` for GitHub
Pages), then push that branch.

Deploy never touches the source. The commit is written with git's plumbing: the site's files go
into the object store (`git fast-import`, blobs only, no ref), a tree is made in a throwaway index
file, and `git commit-tree` makes the commit. Exactly one ref is then written, the target branch,
with `git update-ref` given the value it was read at, so nothing else can move: not the working
tree, not the index, not the checked-out branch, not any other branch or tag. Every ref is named in
full (`refs/heads/<branch>`), never by a short name that a tag could shadow.

Refused before anything is built: a target branch checked out in any worktree (whatever `--force`
says), a target that is a symbolic ref, and a target whose last commit, locally or on the remote,
was not made by this tool (unless `--force`, which then commits on top of it). A deploy commit is
recognised by its `Deployed-with: sitegen …` trailer, or by the subject "Deploy … with sitegen …" of
earlier versions. With a remote, the new commit is pushed first and the local branch moved only once
the remote has taken it, so a failed push leaves both as they were.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.errors import BuildError
from ..core.layout import CNAME, NOJEKYLL
from ..core.layout import OUTPUT_MARKER as MARKER

TRAILER = "Deployed-with"
_OLD_SUBJECT = re.compile(r"Deploy( [0-9a-f]{4,64})? with sitegen \S+")
_FORCE_DOES = "--force makes a deploy commit on top of it that replaces all its files with the site (its old commits stay in its history)"


class DeployError(BuildError):
    """Git is not in a state to publish to (no repository, no such remote, a push refused)."""


@dataclass(frozen=True)
class Target:
    """Where a deploy goes: the repository holding the project, a branch, and the remote (if pushing)."""

    root: Path  # the project folder (inside the repository)
    branch: str  # the short name: `gh-pages`, never `refs/heads/gh-pages`
    remote: str | None  # None: commit only
    remote_tip: str = ""  # the remote's commit of `branch` (fetched), "" when it has none
    force: bool = False  # commit on top of a history this tool did not write

    @property
    def ref(self) -> str:
        return f"refs/heads/{self.branch}"


@dataclass(frozen=True)
class Deployment:
    branch: str
    commit: str
    files: int
    remote: str | None  # the remote pushed to, None when only committed


def _git(root: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, text=True, errors="replace", check=False, env={**os.environ, **(env or {})}
        )
    except FileNotFoundError:
        raise DeployError.at(root, 0, "git is not installed: install git to deploy, or upload the output folder to your host yourself") from None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[0] if lines else "unknown git error").removeprefix("fatal: ").removeprefix("error: ")


def _fail(root: Path, message: str) -> DeployError:
    return DeployError.at(root, 0, message)


# --- the target branch --------------------------------------------------------------------------------


def normalise_branch(root: Path, name: str) -> str:
    """The short name of the branch `name` (`refs/heads/x` → `x`); refuses anything that is not a plain branch name."""
    short = name.removeprefix("refs/heads/")
    valid = (
        short not in ("", "HEAD", "@")
        and not short.startswith(("-", "refs/"))
        and _git(root, "check-ref-format", f"refs/heads/{short}").returncode == 0
    )
    if not valid:
        raise _fail(root, f"{name!r} is not a valid branch name: name a branch such as gh-pages")
    return short


def _common_dir(root: Path) -> Path:
    result = _git(root, "rev-parse", "--path-format=absolute", "--git-common-dir")
    return Path(result.stdout.strip())


def _worktree_heads(root: Path) -> Iterator[tuple[str, str]]:
    """(ref, worktree) for every branch checked out in a worktree of the repository, from `git worktree list --porcelain`."""
    worktree = ""
    for line in _git(root, "worktree", "list", "--porcelain").stdout.splitlines():
        key, _, value = line.partition(" ")
        if key == "worktree":
            worktree = value
        elif key == "branch":
            yield value, worktree


def _busy_heads(root: Path) -> Iterator[tuple[str, str]]:
    """(ref, where) for branches held without being listed as checked out: the HEAD of a bare main repository, and a
    branch in the middle of a rebase or bisect (its worktree's HEAD is then detached)."""
    common = _common_dir(root)
    head = _git(root, f"--git-dir={common}", "symbolic-ref", "--quiet", "HEAD")
    if head.returncode == 0:
        yield head.stdout.strip(), str(common)
    for git_dir in [common, *sorted((common / "worktrees").glob("*"))]:
        for state, prefix in (("rebase-merge/head-name", ""), ("rebase-apply/head-name", ""), ("BISECT_START", "refs/heads/")):
            with_branch = git_dir / state
            if with_branch.is_file():
                yield prefix + with_branch.read_text(encoding="utf-8", errors="replace").strip(), f"{git_dir} ({state.partition('/')[0]} in progress)"


def refuse_checked_out(root: Path, branch: str) -> None:
    """Refuse a branch that a worktree has checked out (or is rebasing or bisecting): its files are someone's work."""
    ref = f"refs/heads/{branch}"
    for held, where in [*_worktree_heads(root), *_busy_heads(root)]:
        if held == ref or _git(root, "rev-parse", "--symbolic-full-name", held).stdout.strip() == ref:
            raise _fail(
                root,
                f"branch {branch!r} is checked out in {where}: deploy never replaces the files of a checked-out branch (not even with --force); "
                f"deploy to a branch of its own such as gh-pages",
            )
    if _git(root, "symbolic-ref", "--quiet", ref).returncode == 0:
        raise _fail(root, f"branch {branch!r} is a symbolic ref to another branch: deploy to a branch of its own such as gh-pages")


def _branch_commit(root: Path, branch: str) -> str:
    result = _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}")
    return result.stdout.strip() if result.returncode == 0 else ""


def published_by_sitegen(root: Path, commit: str) -> bool:
    """True when `commit` is a deploy commit of this tool: a `Deployed-with: sitegen` trailer, or an earlier version's subject."""
    raw = _git(root, "cat-file", "commit", commit).stdout
    message = raw.partition("\n\n")[2].strip()
    subject = message.partition("\n")[0].strip()
    last_paragraph = message.rsplit("\n\n", 1)[-1]
    trailer = any(line.startswith(f"{TRAILER}: sitegen") for line in last_paragraph.splitlines())
    return trailer or bool(_OLD_SUBJECT.fullmatch(subject))


def _refuse_foreign(root: Path, commit: str, where: str) -> None:
    if not published_by_sitegen(root, commit):
        subject = _git(root, "show", "--no-patch", "--format=%s", commit).stdout.strip()
        last = f"the last is {commit[:12]} {subject!r}"
        raise _fail(root, f"{where} holds commits that sitegen did not publish ({last}), so deploy refuses to replace them; {_FORCE_DOES}")


def _remote_tip(root: Path, remote: str, url: str, branch: str) -> str:
    """The commit of `branch` on `remote` (at `url`; "" when it has no such branch), fetched into its remote-tracking ref.
    Only that ref is written: no tags, no FETCH_HEAD, no pruning."""
    listed = _git(root, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if listed.returncode != 0:
        reason = _first_line(listed.stderr)
        raise _fail(root, f"cannot reach remote {remote!r} ({url}): {reason}; nothing was published and no commit was made (commit only with --no-push)")
    if not any(line.endswith(f"\trefs/heads/{branch}") for line in listed.stdout.splitlines()):
        return ""
    tracking = f"refs/remotes/{remote}/{branch}"
    fetched = _git(
        root, "fetch", "--quiet", "--no-tags", "--no-prune", "--no-write-fetch-head", "--no-recurse-submodules", remote, f"+refs/heads/{branch}:{tracking}"
    )
    if fetched.returncode != 0:
        raise _fail(root, f"cannot fetch branch {branch!r} from remote {remote!r} ({url}): {_first_line(fetched.stderr)}; nothing was published")
    return _git(root, "rev-parse", "--verify", "--quiet", f"{tracking}^{{commit}}").stdout.strip()


def check_target(root: Path, branch: str = "gh-pages", remote: str | None = "origin", force: bool = False) -> Target:
    """Refuse early, before building, when git cannot take the deploy or the target is not ours to replace.
    With a remote, fetch its copy of `branch` so the new commit continues the published history."""
    if _git(root, "rev-parse", "--show-toplevel").returncode != 0:
        raise _fail(root, "not a git repository: run `git init` and `git remote add origin URL` first, or upload the output folder yourself")
    branch = normalise_branch(root, branch)
    if not (os.environ.get("GIT_COMMITTER_NAME") or _git(root, "config", "user.name").stdout.strip()):
        raise _fail(root, "git does not know who you are: set `git config user.name` and `git config user.email` (the deploy commit records them)")
    refuse_checked_out(root, branch)
    local = _branch_commit(root, branch)
    if local and not force:
        _refuse_foreign(root, local, f"branch {branch!r}")
    tip = ""
    if remote is not None:
        url = _git(root, "remote", "get-url", remote)
        if url.returncode != 0:
            raise _fail(root, f"no git remote {remote!r}: add it with `git remote add {remote} URL`, name another with --remote, or commit only with --no-push")
        tip = _remote_tip(root, remote, url.stdout.strip(), branch)
        if tip and not force:
            _refuse_foreign(root, tip, f"branch {branch!r} of remote {remote!r}")
    return Target(root, branch, remote, tip, force)


# --- the work tree ------------------------------------------------------------------------------------


def uncommitted_changes(root: Path, generated: Sequence[Path | None] = ()) -> int:
    """How many paths of the work tree differ from HEAD (untracked ones included), leaving out the `generated`
    folders (the output folder, the cache) that lie inside it."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.strip()).resolve()
    inside = [folder.resolve() for folder in generated if folder is not None]
    excluded = [f":(top,exclude,literal){folder.relative_to(top).as_posix()}" for folder in inside if folder.is_relative_to(top) and folder != top]
    status = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", ":/", *excluded)
    return len([line for line in status.stdout.splitlines() if line.strip()]) if status.returncode == 0 else 0


def default_message(root: Path) -> str:
    return f"Deploy{_source_commit(root, ' ')} with sitegen {__version__}"


def _source_commit(root: Path, before: str = "") -> str:
    head = _git(root, "rev-parse", "--short=12", "--verify", "--quiet", "HEAD")
    return f"{before}{head.stdout.strip()}" if head.returncode == 0 and head.stdout.strip() else ""


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


def _write_blobs(root: Path, contents: Sequence[Path | bytes], scratch: Path) -> list[str]:
    """Store each content as a blob (one `git fast-import` holding blobs only: it writes no ref); their object ids in order."""
    marks, errors = scratch / "marks", scratch / "fast-import.err"
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
            reason = _first_line(errors.read_text(encoding="utf-8", errors="replace"))
            raise _fail(root, f"git could not store the site's files: {reason}; nothing was published")
    ids = dict(line.split(" ", 1) for line in marks.read_text(encoding="ascii").splitlines() if line)
    return [ids[f":{number}"] for number in range(1, len(contents) + 1)]


def _kept_cname(root: Path, parent: str) -> str:
    """The object id of the CNAME file of `parent`'s tree ("" when it has none, or not as a regular file)."""
    if not parent:
        return ""
    listed = _git(root, "ls-tree", "-z", parent, "--", CNAME).stdout.rstrip("\0")
    mode_type_id, _, name = listed.partition("\t")
    fields = mode_type_id.split()
    return fields[2] if name == CNAME and len(fields) == 3 and fields[:2] in (["100644", "blob"], ["100755", "blob"]) else ""


def _write_tree(root: Path, folder: Path, cname: str, parent: str) -> tuple[str, int]:
    """The tree of the published branch (the site, `.nojekyll`, and CNAME from `cname` or kept from `parent`), and its file count."""
    files: dict[str, Path | bytes] = {**_site_files(folder)}
    files.setdefault(NOJEKYLL, b"")
    if cname:
        files[CNAME] = f"{cname}\n".encode("ascii")
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as temporary:
        scratch = Path(temporary)
        names = sorted(files)
        ids = dict(zip(names, _write_blobs(root, [files[name] for name in names], scratch), strict=True))
        kept = "" if CNAME in ids else _kept_cname(root, parent)
        if kept:
            ids[CNAME] = kept
        index = {"GIT_INDEX_FILE": str(scratch / "index")}  # a throwaway index: the repository's own is never read or written
        entries = "".join(f"100644 {object_id}\t{name}\0" for name, object_id in sorted(ids.items()))
        added = _git(root, "update-index", "-z", "--add", "--index-info", stdin=entries, env=index)
        tree = _git(root, "write-tree", env=index) if added.returncode == 0 else added
        if tree.returncode != 0:
            raise _fail(root, f"git could not make the site's tree: {_first_line(tree.stderr)}; nothing was published")
        return tree.stdout.strip(), len(ids)


def _parent(root: Path, local: str, remote_tip: str) -> str:
    """The commit the deploy continues: the later of the local and the remote branch, the remote's when they diverged."""
    if not local or not remote_tip or local == remote_tip:
        return local or remote_tip
    if _git(root, "merge-base", "--is-ancestor", remote_tip, local).returncode == 0:
        return local  # deployed with --no-push since the last push
    return remote_tip


def publish(folder: Path, target: Target, message: str | None = None, cname: str = "", uncommitted: int = 0) -> Deployment:
    """Commit `folder` (a built site) as the whole content of `target.branch`, push it, then move the local branch."""
    root = target.root
    refuse_checked_out(root, target.branch)  # again: the build took a while
    local = _branch_commit(root, target.branch)
    if local and not target.force:
        _refuse_foreign(root, local, f"branch {target.branch!r}")
    parent = _parent(root, local, target.remote_tip)
    tree, files = _write_tree(root, folder, cname, parent)
    made = _git(root, "commit-tree", tree, *(["-p", parent] if parent else []), stdin=commit_message(root, message, uncommitted))
    commit = made.stdout.strip()
    if made.returncode != 0 or not commit:
        raise _fail(root, f"git did not record a commit for branch {target.branch!r}: {_first_line(made.stderr)}; nothing was published")
    if target.remote is not None:
        pushed = _git(root, "push", "--quiet", "--no-follow-tags", "--recurse-submodules=no", target.remote, f"{commit}:{target.ref}")
        if pushed.returncode != 0:
            reason = _first_line(pushed.stderr)
            raise _fail(root, f"pushing to remote {target.remote!r} failed: {reason}; nothing was published and branch {target.branch!r} was left as it was")
    moved = _git(root, "update-ref", "--no-deref", "-m", "sitegen deploy", target.ref, commit, local)
    if moved.returncode != 0:
        pushed_note = f"remote {target.remote!r} has it, but " if target.remote else ""
        raise _fail(root, f"{pushed_note}branch {target.branch!r} changed while deploying and was left as it was: {_first_line(moved.stderr)}")
    return Deployment(target.branch, commit, files, target.remote)
