"""Helpers for writing small projects in tests (importable from any test module, unlike conftest)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from sitegen.incremental.memo import Memo
from sitegen.load.inputs import load_inputs
from sitegen.load.settings import load_settings
from sitegen.resolve.model import Site
from sitegen.resolve.site import resolve_site


def write(path: Path, text: str) -> Path:
    """Write dedented `text` to `path`, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


SEED_TEXT = """Example Article

A first paragraph about the topic. It has two sentences.

Section Two

The second paragraph, with a fact worth citing.

The third paragraph, promotional and excluded.
"""


def load_site(root: Path) -> Site:
    """The site model of the project at `root`: its inputs loaded and resolved, with a memo that remembers nothing."""
    memo = Memo.off()
    with memo.build(persist=False):
        return resolve_site(load_inputs(load_settings(root), memo), memo)
