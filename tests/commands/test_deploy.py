"""Deploy: `deploy` publishes exactly the built site to a gh-pages branch of a local bare repository
(no network), refuses broken sites and unusable git states; hosting files come with every build."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import git_repos
import pytest
import yaml
from git_repos import branch_commit, git
from projects import page

from sitegen.commands.cli import main
from sitegen.pipeline import build
from sitegen.render.hosting import IMMUTABLE_CACHE
from sitegen.render.pages import CONTENT_SECURITY_POLICY
from sitegen.write.output import MARKER


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(folder).parts
    }


isolated_git = git_repos.isolated_git  # git without this machine's configuration (autouse)
repo = git_repos.repo  # a project under git, with a bare repository as `origin`


def break_a_link(root: Path) -> None:
    topic = root / "content" / "topic.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\nSee [a missing page](missing.md).\n", encoding="utf-8")


# --- deploy ---------------------------------------------------------------------------------------


def test_deploy_publishes_exactly_the_built_site_and_nojekyll(repo: tuple[Path, Path], tmp_path: Path) -> None:
    root, bare = repo
    assert main(["--project", str(root), "deploy"]) == 0
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "--quiet", "--branch", "gh-pages", str(bare), str(checkout))
    published = files_under(checkout)
    built = files_under(root / "site")
    expected = {name: data for name, data in built.items() if name != MARKER}
    assert MARKER not in published
    assert published == {**expected, ".nojekyll": b""}


def test_deploy_leaves_the_working_tree_and_the_current_branch_alone(repo: tuple[Path, Path]) -> None:
    root, _ = repo
    before = git(root, "rev-parse", "HEAD")
    assert main(["--project", str(root), "deploy"]) == 0
    assert git(root, "symbolic-ref", "--short", "HEAD") == "main"
    assert git(root, "rev-parse", "HEAD") == before
    assert git(root, "status", "--porcelain") == ""


def test_no_push_commits_the_branch_locally_and_leaves_the_remote_alone(repo: tuple[Path, Path]) -> None:
    root, bare = repo
    assert main(["--project", str(root), "deploy", "--no-push"]) == 0
    assert branch_commit(root)
    assert branch_commit(bare) == ""


def test_a_second_deploy_continues_the_published_history(repo: tuple[Path, Path]) -> None:
    root, bare = repo
    assert main(["--project", str(root), "deploy"]) == 0
    first = branch_commit(bare)
    (root / "content" / "index.md").write_text(page("Home", "Welcome back [@001:p2].\n"), encoding="utf-8")
    assert main(["--project", str(root), "deploy"]) == 0
    assert git(bare, "rev-parse", "gh-pages^") == first
    assert "Welcome back" in git(bare, "show", "gh-pages:index.html")


def test_branch_and_message_options_name_the_branch_and_the_commit(repo: tuple[Path, Path]) -> None:
    root, bare = repo
    assert main(["--project", str(root), "deploy", "--branch", "pages", "--message", "Publish the spring review"]) == 0
    assert git(bare, "log", "-1", "--format=%s", "pages") == "Publish the spring review"
    assert branch_commit(bare, "gh-pages") == ""


def test_the_default_message_names_the_source_commit(repo: tuple[Path, Path]) -> None:
    root, bare = repo
    assert main(["--project", str(root), "deploy"]) == 0
    source = git(root, "rev-parse", "--short=12", "HEAD")
    assert source in git(bare, "log", "-1", "--format=%s", "gh-pages")


def test_deploy_of_a_site_with_a_broken_link_creates_no_branch(repo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    root, bare = repo
    break_a_link(root)
    assert main(["--project", str(root), "deploy"]) == 1
    assert branch_commit(root) == ""
    assert branch_commit(bare) == ""
    assert "deploy refused" in capsys.readouterr().err


def test_deploy_of_a_site_with_a_broken_link_leaves_the_published_branch_unchanged(repo: tuple[Path, Path]) -> None:
    root, bare = repo
    assert main(["--project", str(root), "deploy"]) == 0
    published = branch_commit(bare)
    break_a_link(root)
    assert main(["--project", str(root), "deploy"]) == 1
    assert branch_commit(bare) == published
    assert branch_commit(root) == published


def test_outside_a_git_repository_deploy_says_so_in_one_line(make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project()
    assert main(["--project", str(root), "deploy"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "not a git repository" in err[0]
    assert not (root / "site").exists()


def test_a_missing_remote_is_one_line_and_commits_nothing(repo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = repo
    assert main(["--project", str(root), "deploy", "--remote", "upstream"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "no git remote 'upstream'" in err[0]
    assert branch_commit(root) == ""


# --- hosting files ----------------------------------------------------------------------------------


def header_rules(text: str) -> dict[str, dict[str, str]]:
    """Parse a Netlify / Cloudflare Pages `_headers` file: {path pattern: {header: value}}."""
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            assert current is not None, f"header outside a rule: {line!r}"
            name, _, value = line.strip().partition(":")
            current[name.strip()] = value.strip()
        else:
            current = rules.setdefault(line.strip(), {})
    return rules


def test_every_build_has_nojekyll_and_headers(make_project: Callable[..., Path]) -> None:
    outputs = build(make_project(), write=False).outputs
    assert outputs[".nojekyll"] == b""
    assert "_headers" in outputs


def test_headers_send_the_same_policy_as_the_pages_meta_tag(make_project: Callable[..., Path]) -> None:
    outputs = build(make_project(), write=False).outputs
    header = header_rules(outputs["_headers"].decode())["/*"]["Content-Security-Policy"]
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', outputs["index.html"].decode())
    assert meta is not None
    assert html.unescape(meta.group(1)) == CONTENT_SECURITY_POLICY
    assert header.startswith(CONTENT_SECURITY_POLICY)


def test_headers_forbid_framing_and_sniffing(make_project: Callable[..., Path]) -> None:
    rules = header_rules(build(make_project(), write=False).outputs["_headers"].decode())["/*"]
    assert "frame-ancestors 'none'" in rules["Content-Security-Policy"]
    assert rules["X-Frame-Options"] == "DENY"
    assert rules["X-Content-Type-Options"] == "nosniff"
    assert rules["Referrer-Policy"]


def test_headers_cache_static_assets_for_a_year_and_pages_not_at_all(make_project: Callable[..., Path]) -> None:
    rules = header_rules(build(make_project(), write=False).outputs["_headers"].decode())
    assert rules["/static/*"] == {"Cache-Control": IMMUTABLE_CACHE}
    assert "Cache-Control" not in rules["/*"]


def test_every_static_asset_has_a_content_hash_in_its_name(make_project: Callable[..., Path]) -> None:
    outputs = build(make_project(), write=False).outputs
    assets = [path for path in outputs if path.startswith("static/")]
    assert assets
    for path in assets:
        assert re.fullmatch(r"static/(.+/)?[^/]+\.[0-9a-f]{10}(\.[A-Za-z0-9]+)?", path), path


def test_header_paths_start_at_the_base_path(make_project: Callable[..., Path]) -> None:
    root = make_project()
    (root / "site.yaml").write_text("title: Test site\nbase_url: https://example.org/guide/\n", encoding="utf-8")
    rules = header_rules(build(root, write=False).outputs["_headers"].decode())
    assert set(rules) == {"/guide/*", "/guide/static/*"}


# --- the GitHub Pages workflow ------------------------------------------------------------------------


def test_the_pages_workflow_runs_the_deploy_command_on_pushes_to_main(project_root: Path) -> None:
    workflow = yaml.safe_load((project_root / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"]["contents"] == "write"
    commands = "\n".join(step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])
    assert "pip install -e ." in commands
    assert "python build.py deploy" in commands
