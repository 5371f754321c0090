"""A builder that lives across builds (the dev server, repeated builds): it keeps what it loaded so
the next build can reuse it.
"""

from __future__ import annotations

from pathlib import Path

from .pipeline import BuildResult, render_project


class Builder:
    """Renders the project at `root` again and again; each call sees the files as they are now."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def render(self) -> BuildResult:
        """The whole site in memory, checked, not written."""
        return render_project(self.root)
