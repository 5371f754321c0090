"""The reference the targets are set against: a plain single-process Python-Markdown + Jinja2 loop.

For every page of a project's `content/`: read it, cut off its front matter, `markdown.markdown` it
(with the `toc` and `tables` extensions, as most sites use), render one Jinja2 template around it
and write the file. No citations, navigation, checks or search: the least a Python generator does.

    python benchmarks/plain_loop.py PROJECT OUT      # PROJECT as written by benchmarks/corpus.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import markdown

TEMPLATE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{{ content }}
</main></body>
</html>
"""


def plain_loop(project: Path, out: Path) -> int:
    """Convert and write every page of `project/content` into `out`; returns the number of pages."""
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    pages = sorted((project / "content").rglob("*.md"))
    for path in pages:
        text = path.read_text(encoding="utf-8")
        title, body = path.stem, text
        if text.startswith("---\n"):
            front, _, body = text[4:].partition("\n---\n")
            title = next((line[6:].strip() for line in front.splitlines() if line.startswith("title:")), title)
        html = markdown.markdown(body, extensions=["toc", "tables"])
        target = out / path.relative_to(project / "content").with_suffix("") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(title=title, content=jinja2.utils.markupsafe.Markup(html)), encoding="utf-8")
    return len(pages)


if __name__ == "__main__":
    print(plain_loop(Path(sys.argv[1]), Path(sys.argv[2])), "pages")
