"""Shared fixtures: the real project root and small projects built in `tmp_path`, once built."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from projects import PAGES, ROOT, SEED_TEXT, write_project

from sitegen.commands.cli import main
from sitegen.incremental.cache import wait_for_saves

# Property-based tests: a few examples by default (CI), thousands with `--hypothesis-profile=long`
# or SITEGEN_HYPOTHESIS_PROFILE=long.
settings.register_profile("ci", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("SITEGEN_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """A minimal valid project in tmp_path/project (see `projects.write_project`), written anew at each call."""

    def make(pages: dict[str, str] | None = None, seed_text: str = SEED_TEXT, sources_extra: str = "") -> Path:
        root = tmp_path / "project"
        if root.exists():
            shutil.rmtree(root)
        return write_project(root, pages, seed_text, sources_extra)

    return make


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the first test of a module leaves its valid, built project for the others to copy."""
    return tmp_path_factory.mktemp("built") / "project"


@pytest.fixture
def built_project(
    make_project: Callable[..., Path], built_once: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A valid project (`PAGES`) with its site built, in this test's own folder (the working folder)."""
    if built_once.exists():
        root = tmp_path / "project"
        shutil.copytree(built_once, root, symlinks=True)
    else:
        root = make_project(pages=PAGES)
        assert main(["--project", str(root), "build", "--strict", "--no-search"]) == 0, capsys.readouterr().err
        wait_for_saves(root / ".cache" / "sitegen")  # the cache is written in the background
        shutil.copytree(root, built_once, symlinks=True)
    monkeypatch.chdir(root)
    capsys.readouterr()
    return root
