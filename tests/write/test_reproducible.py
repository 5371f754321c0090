"""Reproducible output: the same input gives byte-identical folders, and no date comes from the clock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from data_files import write_data_project
from projects import ROOT, page, snapshot

from sitegen.commands.cli import main
from sitegen.render.pages import build_date

DATED_PAGE = '{% extends "base.html" %}\n{% block main %}\n<p id="built">{{ build_date|date("iso") if build_date else "undated" }}</p>\n{% endblock %}\n'


def build_in_subprocess(root: Path, out: Path, **env: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--project", str(root), "build", "--no-search", "--out", str(out)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )
    assert done.returncode == 0, done.stderr


def test_two_builds_of_a_project_with_every_kind_of_input_are_byte_identical(tmp_path: Path) -> None:
    root = write_data_project(tmp_path / "project")
    assert main(["--project", str(root), "build", "--out", str(tmp_path / "one")]) == 0
    assert main(["--project", str(root), "build", "--out", str(tmp_path / "two")]) == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_builds_under_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    root = write_data_project(tmp_path / "project")
    build_in_subprocess(root, tmp_path / "one", PYTHONHASHSEED="1")
    build_in_subprocess(root, tmp_path / "two", PYTHONHASHSEED="2")
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_rebuilding_into_the_same_folder_gives_the_same_bytes(make_project: Callable[..., Path]) -> None:
    root = make_project()
    assert main(["--project", str(root), "build", "--no-search"]) == 0
    first = snapshot(root / "site")
    assert main(["--project", str(root), "build", "--no-search"]) == 0
    assert snapshot(root / "site") == first


def test_no_page_shows_the_date_of_the_build(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = make_project(pages={"index.md": page("Home", "Welcome [@001:p2].\n"), "topic.md": page("T", "A fact [@001:p4].\n", order=1)})
    assert main(["--project", str(root), "build", "--no-search"]) == 0
    today = dt.date.today()
    month = today.strftime("%B")
    shown = (today.isoformat(), f"{today.day} {month} {today.year}", f"{month} {today.day}, {today.year}", today.strftime("%d/%m/%Y"))
    for name, data in snapshot(root / "site").items():
        text = data.decode("utf-8", "replace")
        assert not [form for form in shown if form in text], name


def test_source_date_epoch_is_the_only_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_date() is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date() == dt.date(2023, 11, 14)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert build_date() is None


def test_a_template_showing_the_build_date_gets_source_date_epoch(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    (root / "templates" / "page.html").write_text(DATED_PAGE, encoding="utf-8")
    build_in_subprocess(root, tmp_path / "pinned", SOURCE_DATE_EPOCH="86400")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(root), "build", "--no-search", "--out", str(tmp_path / "unpinned")],
                          capture_output=True, text=True, timeout=120, env={**env, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert '<p id="built">1970-01-02</p>' in (tmp_path / "pinned" / "topic" / "index.html").read_text(encoding="utf-8")
    assert '<p id="built">undated</p>' in (tmp_path / "unpinned" / "topic" / "index.html").read_text(encoding="utf-8")


def test_a_warm_or_corrupted_build_cache_gives_the_same_bytes(make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project()
    monkeypatch.setenv("SITEGEN_CACHE", "off")
    assert main(["--project", str(root), "build", "--no-search", "--out", str(tmp_path / "cold")]) == 0
    monkeypatch.delenv("SITEGEN_CACHE")
    assert main(["--project", str(root), "build", "--no-search", "--out", str(tmp_path / "first")]) == 0
    assert main(["--project", str(root), "build", "--no-search", "--out", str(tmp_path / "warm")]) == 0
    for entry in (root / ".cache").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"\x80\x05garbage")
    assert main(["--project", str(root), "build", "--no-search", "--out", str(tmp_path / "corrupted")]) == 0
    cold = snapshot(tmp_path / "cold")
    assert snapshot(tmp_path / "warm") == cold
    assert snapshot(tmp_path / "corrupted") == cold
