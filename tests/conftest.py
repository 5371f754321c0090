"""Shared fixtures: the real project root and small projects built in `tmp_path`."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from projects import SEED_TEXT, write

ROOT = Path(__file__).resolve().parent.parent

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
    """A minimal valid project: the real templates and static files, one seed, two pages."""

    def make(pages: dict[str, str] | None = None, seed_text: str = SEED_TEXT, sources_extra: str = "") -> Path:
        root = tmp_path / "project"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(ROOT / "templates", root / "templates")
        shutil.copytree(ROOT / "static", root / "static")
        write(root / "site.yaml", "title: Test site\nlanguage: en\n")
        seed = root / "seeds" / "001_example.txt"
        seed.parent.mkdir(parents=True)
        seed.write_bytes(seed_text.encode("utf-8"))
        digest = hashlib.sha256(seed_text.encode("utf-8")).hexdigest()
        write(root / "seeds" / "sources.yaml", f"""
            "001":
              title: Example Article
              publisher: Example Clinic
              date: 2022-01-01
              kind: promotional clinic article
              promotional: true
              sha256: {digest}
              exclude:
                p5: "Advertising for the clinic's services, no medical facts"
            {sources_extra}
            """)
        default_pages = {
            "index.md": "---\ntitle: Home\n---\nWelcome [@001:p2].\n",
            "topic.md": "---\ntitle: A topic\norder: 1\nreviewed: 2026-01-15\n---\n## Facts {#facts}\n\nA fact [@001:p4].\n",
        }
        for name, text in (pages if pages is not None else default_pages).items():
            (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "content" / name).write_text(text, encoding="utf-8")
        return root

    return make
