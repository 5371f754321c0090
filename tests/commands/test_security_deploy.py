"""Deploy never touches the source: it refuses a checked-out branch and a history it did not write
(unless --force), moves no ref but its target, keeps a custom domain's CNAME, says when the work
tree was dirty, and an unreachable remote is one sentence. Remotes are local bare repositories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import git_repos
import pytest
from git_repos import branch_commit, git
from projects import page

from sitegen.commands.cli import main
from sitegen.core.errors import BuildError
from sitegen.load.settings import load_settings

Repo = tuple[Path, Path]
isolated_git = git_repos.isolated_git  # git without this machine's configuration (autouse)
repo = git_repos.repo  # a project under git, with a bare repository as `origin`


def deploy(root: Path, *options: str) -> int:
    return main(["--project", str(root), "deploy", *options])


def refs(repository: Path) -> dict[str, str]:
    """{ref name: object} of every ref of `repository`."""
    listed = git(repository, "for-each-ref", "--format=%(refname) %(objectname)")
    return dict(line.split(" ") for line in listed.splitlines())


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


def foreign_branch(repository: Path, branch: str = "gh-pages", files: dict[str, str] | None = None) -> str:
    """Make `branch` in `repository` a history of someone else's (one commit, not a deploy), without checking it out."""
    index = repository / ".git" / "foreign-index" if (repository / ".git").is_dir() else repository / "foreign-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    for name, text in (files or {"index.html": "<p>hand-made</p>\n"}).items():
        blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repository, input=text, capture_output=True, text=True, check=True).stdout.strip()
        subprocess.run(["git", "update-index", "--add", "--cacheinfo", f"100644,{blob},{name}"], cwd=repository, env=env, check=True)
    tree = subprocess.run(["git", "write-tree"], cwd=repository, env=env, capture_output=True, text=True, check=True).stdout.strip()
    commit = git(repository, "commit-tree", tree, "-m", "Hand-made pages")
    git(repository, "update-ref", f"refs/heads/{branch}", commit)
    index.unlink()
    return commit


def set_site_yaml(root: Path, text: str) -> None:
    (root / "site.yaml").write_text(text, encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "Settings")


# --- the checked-out branch -----------------------------------------------------------------------------


def test_the_checked_out_branch_is_refused_and_left_alone_locally_and_on_the_remote(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, bare = repo
    git(root, "push", "--quiet", "origin", "main")
    before = (refs(root), refs(bare))
    assert deploy(root, "--branch", "main") == 1
    assert "checked out" in one_error_line(capsys)
    assert (refs(root), refs(bare)) == before
    assert git(root, "status", "--porcelain") == ""


def test_the_checked_out_branch_is_refused_when_named_as_refs_heads(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, bare = repo
    before = refs(root)
    assert deploy(root, "--branch", "refs/heads/main") == 1
    assert "branch 'main' is checked out" in one_error_line(capsys)
    assert refs(root) == before
    assert branch_commit(bare, "main") == ""


def test_a_branch_checked_out_in_a_second_worktree_is_refused(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = repo
    git(root, "worktree", "add", "--quiet", "-b", "gh-pages", str(tmp_path / "second"))
    before = refs(root)
    assert deploy(root, "--no-push") == 1
    assert f"checked out in {tmp_path / 'second'}" in one_error_line(capsys)
    assert refs(root) == before


def test_the_head_branch_of_a_bare_main_repository_is_refused(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = repo
    central = tmp_path / "central.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(root), str(central))
    git(central, "branch", "published", "main")
    git(central, "symbolic-ref", "HEAD", "refs/heads/published")
    git(central, "branch", "work", "main")
    checkout = tmp_path / "work"
    git(central, "worktree", "add", "--quiet", str(checkout), "work")
    before = refs(central)
    assert deploy(checkout, "--no-push", "--branch", "published") == 1
    assert "checked out" in one_error_line(capsys)
    assert refs(central) == before


def test_a_branch_in_the_middle_of_a_rebase_is_refused(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = repo
    git(root, "branch", "feature")
    git(root, "checkout", "--quiet", "--detach")
    rebase = root / ".git" / "rebase-merge"
    rebase.mkdir()
    (rebase / "head-name").write_text("refs/heads/feature\n", encoding="utf-8")
    before = refs(root)
    assert deploy(root, "--no-push", "--branch", "feature", "--force") == 1
    assert "checked out" in one_error_line(capsys)
    assert refs(root) == before


@pytest.mark.parametrize(
    ("branch", "refusal"),
    [("main", "not even with --force"), ("alias", "is a symbolic ref to another branch")],
    ids=["the checked-out branch", "a symbolic ref to it"],
)
def test_force_does_not_allow_the_checked_out_branch_nor_a_symbolic_ref_to_it(
    repo: Repo, capsys: pytest.CaptureFixture[str], branch: str, refusal: str
) -> None:
    root, _ = repo
    git(root, "symbolic-ref", "refs/heads/alias", "refs/heads/main")
    before = refs(root)
    assert deploy(root, "--branch", branch, "--force", "--no-push") == 1
    assert refusal in one_error_line(capsys)
    assert refs(root) == before


# --- a history this tool did not write ------------------------------------------------------------------


def test_a_foreign_local_gh_pages_is_refused_without_force(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = repo
    foreign = foreign_branch(root)
    assert deploy(root, "--no-push") == 1
    message = one_error_line(capsys)
    assert "sitegen did not publish" in message
    assert "--force" in message
    assert branch_commit(root) == foreign


def test_a_foreign_gh_pages_on_the_remote_is_refused_without_force(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, bare = repo
    foreign = foreign_branch(bare)
    assert deploy(root) == 1
    message = one_error_line(capsys)
    assert "remote 'origin'" in message
    assert "--force" in message
    assert branch_commit(bare) == foreign
    assert branch_commit(root) == ""


def test_force_deploys_on_top_of_a_foreign_history_and_keeps_it(repo: Repo) -> None:
    root, bare = repo
    foreign = foreign_branch(bare)
    assert deploy(root, "--force") == 0
    assert git(bare, "rev-parse", "gh-pages^") == foreign
    assert "hand-made" not in git(bare, "show", "gh-pages:index.html")
    assert branch_commit(root) == branch_commit(bare)


def test_a_branch_deployed_by_an_earlier_version_is_accepted_without_force(repo: Repo) -> None:
    root, bare = repo
    earlier = foreign_branch(bare)
    tree = git(bare, "rev-parse", f"{earlier}^{{tree}}")
    git(bare, "update-ref", "refs/heads/gh-pages", git(bare, "commit-tree", tree, "-m", "Deploy 0123456789ab with sitegen 0.1.0"))
    assert deploy(root) == 0


def test_every_deploy_commit_carries_the_sitegen_trailer(repo: Repo) -> None:
    root, bare = repo
    assert deploy(root, "--message", "Spring review") == 0
    assert git(bare, "log", "-1", "--format=%(trailers:key=Deployed-with,valueonly)", "gh-pages").startswith("sitegen ")
    assert deploy(root, "--message", "Summer review") == 0  # our own branch needs no --force


# --- nothing but the target moves -------------------------------------------------------------------------


def test_a_deploy_moves_no_ref_but_the_target_locally_or_on_the_remote(repo: Repo) -> None:
    root, bare = repo
    git(root, "push", "--quiet", "origin", "main")
    git(root, "branch", "drafts")
    git(root, "commit", "--quiet", "--allow-empty", "-m", "Unpushed work")  # main is now ahead of origin/main
    git(root, "tag", "v1")
    other = git(bare, "commit-tree", git(bare, "rev-parse", "main^{tree}"), "-m", "Someone else's branch")
    git(bare, "update-ref", "refs/heads/other", other)
    git(root, "fetch", "--quiet", "origin")
    local, remote = refs(root), refs(bare)
    assert deploy(root) == 0
    published = {"refs/heads/gh-pages", "refs/remotes/origin/gh-pages"}
    assert {name: sha for name, sha in refs(root).items() if name not in published} == local
    assert {name: sha for name, sha in refs(bare).items() if name != "refs/heads/gh-pages"} == remote
    assert git(root, "log", "-1", "--format=%s", "main") == "Unpushed work"


def test_refs_that_share_the_targets_short_name_are_neither_moved_nor_taken_as_its_parent(repo: Repo) -> None:
    root, bare = repo
    git(root, "tag", "gh-pages")  # a tag shadows a branch of the same short name in `git rev-list gh-pages`
    git(root, "branch", "origin/gh-pages")  # and a branch shadows the remote-tracking ref `origin/gh-pages`
    before = refs(root)
    assert deploy(root) == 0
    assert git(bare, "rev-list", "--count", "gh-pages") == "1"
    assert {name: before[name] for name in ("refs/tags/gh-pages", "refs/heads/origin/gh-pages", "refs/heads/main")} == {
        name: refs(root)[name] for name in ("refs/tags/gh-pages", "refs/heads/origin/gh-pages", "refs/heads/main")
    }


def test_branch_given_as_refs_heads_is_normalised(repo: Repo) -> None:
    root, bare = repo
    assert deploy(root, "--branch", "refs/heads/pages") == 0
    assert branch_commit(bare, "pages")
    assert branch_commit(root, "pages") == branch_commit(bare, "pages")
    assert "refs/heads/refs/heads/pages" not in refs(root)
    assert "refs/heads/refs/heads/pages" not in refs(bare)


@pytest.mark.parametrize("name", ["HEAD", "@", "-x", "refs/tags/v1", "a..b", "@{-1}"])
def test_a_branch_option_that_is_not_a_plain_branch_name_is_refused(repo: Repo, capsys: pytest.CaptureFixture[str], name: str) -> None:
    root, _ = repo
    before = refs(root)
    assert deploy(root, "--no-push", f"--branch={name}") == 1
    assert "not a valid branch name" in one_error_line(capsys)
    assert refs(root) == before


def test_a_failed_push_leaves_the_local_branch_as_it_was(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, bare = repo
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'pushes are closed today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    assert deploy(root) == 1
    assert "nothing was published" in one_error_line(capsys)
    assert branch_commit(root) == ""
    assert branch_commit(bare) == ""


# --- CNAME ------------------------------------------------------------------------------------------------


def test_the_cname_of_the_existing_branch_is_kept(repo: Repo) -> None:
    root, bare = repo
    foreign_branch(bare, files={"index.html": "<p>old</p>\n", "CNAME": "docs.example.org\n"})
    assert deploy(root, "--force") == 0
    assert deploy(root) == 0  # and kept again from our own commit
    assert git(bare, "show", "gh-pages:CNAME") == "docs.example.org"


def test_the_cname_of_site_yaml_is_written(repo: Repo) -> None:
    root, bare = repo
    set_site_yaml(root, "title: Test site\nlanguage: en\ncname: guide.example.org\n")
    assert deploy(root) == 0
    assert git(bare, "show", "gh-pages:CNAME") == "guide.example.org"


def test_without_a_cname_anywhere_the_branch_has_none(repo: Repo) -> None:
    root, bare = repo
    assert deploy(root) == 0
    assert "CNAME" not in git(bare, "ls-tree", "--name-only", "gh-pages").splitlines()


@pytest.mark.parametrize(
    "cname", ["https://docs.example.org", "docs.example.org/guide", "Docs.Example.org", "docs.example.org:8080", "docs", "-a.example.org", "a b.org"]
)
def test_a_cname_that_is_not_a_bare_host_name_is_an_error_at_its_line(tmp_path: Path, cname: str) -> None:
    (tmp_path / "site.yaml").write_text(f"title: T\n\ncname: '{cname}'\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_settings(tmp_path)
    assert [(problem.line, "cname must be a bare host name" in problem.message) for problem in caught.value.problems] == [(3, True)]


# --- uncommitted changes ----------------------------------------------------------------------------------


def test_uncommitted_changes_are_warned_about(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = repo
    (root / "content" / "index.md").write_text(page("Home", "Welcome, edited [@001:p2].\n"), encoding="utf-8")
    assert deploy(root) == 0
    assert "warning: the work tree has uncommitted changes (1 path)" in capsys.readouterr().err


def test_uncommitted_changes_are_named_in_the_deploy_commit_message(repo: Repo) -> None:
    root, bare = repo
    (root / "content" / "new.md").write_text(page("New", "New [@001:p2].\n"), encoding="utf-8")
    assert deploy(root) == 0
    assert "uncommitted changes" in git(bare, "log", "-1", "--format=%B", "gh-pages")


def test_a_clean_work_tree_gets_no_warning_even_with_the_output_folder_untracked(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root, bare = repo
    (root / ".gitignore").write_text("", encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "Track everything")
    assert main(["--project", str(root), "build"]) == 0
    assert git(root, "status", "--porcelain") == "?? site/"
    assert deploy(root) == 0
    assert "uncommitted" not in capsys.readouterr().err
    assert "uncommitted" not in git(bare, "log", "-1", "--format=%B", "gh-pages")


# --- an unreachable remote ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/nonexistent/remote.git", "file:///nonexistent/remote.git", "https://nonexistent.invalid/remote.git"])
def test_an_unreachable_remote_is_one_sentence_and_commits_nothing(repo: Repo, capsys: pytest.CaptureFixture[str], url: str) -> None:
    root, _ = repo
    git(root, "remote", "set-url", "origin", url)
    before = refs(root)
    assert deploy(root) == 1
    message = one_error_line(capsys)
    assert "cannot reach remote 'origin'" in message
    assert "nothing was published" in message
    assert "no commit was made" in message
    assert refs(root) == before
