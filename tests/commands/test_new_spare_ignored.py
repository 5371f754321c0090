"""A new project's .gitignore keeps the replaced site, kept beside the site as the spare, out of git."""

from __future__ import annotations

from pathlib import Path

import pytest
from git_repos import git

from sitegen.commands.cli import main


def test_gitignore_keeps_the_spare_left_by_a_second_build_out_of_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "mysite"
    assert main(["new", str(root)]) == 0
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "New site")
    (root / "content" / "index.md").write_text((root / "content" / "index.md").read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "Edited")
    assert main(["--project", str(root), "build", "--no-search"]) == 0
    (root / "content" / "index.md").write_text((root / "content" / "index.md").read_text(encoding="utf-8") + "\nAnother.\n", encoding="utf-8")
    git(root, "commit", "--quiet", "-am", "Edited again")
    assert main(["--project", str(root), "build", "--no-search"]) == 0
    capsys.readouterr()
    assert any(path.name.startswith(".site.spare-") for path in root.iterdir())
    assert git(root, "status", "--porcelain", "--ignored=no") == ""
