"""Helpers for writing small projects in tests (importable from any test module, unlike conftest)."""

from __future__ import annotations

import textwrap
from pathlib import Path


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
