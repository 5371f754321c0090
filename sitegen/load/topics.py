"""A topics file: the pages `draft` groups seed passages into, each with the words that mark its passages.

```yaml
- title: Side effects              # the draft page's title (required)
  slug: side-effects               # its file name, content/drafts/<slug>.md (default: made from the title)
  headings: [Possible Side Effects]  # seed headings whose passages all belong here, as the seed writes them
  keywords: [nausea, dizziness]    # words or phrases that mark a passage as this topic's
```

The file is a list of such topics, validated with the schema helper like every YAML format; every
problem is reported at its line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError, Problems
from ..core.files import read_text
from .fields import Fields
from .pages import MAX_SLUG, SLUG
from .schema import TEXT, TEXTS, Key, Schema, read_mapping
from .yaml_files import parse_yaml


def _slug_problem(slug: str) -> str:
    if SLUG.match(slug) and len(slug) <= MAX_SLUG:
        return ""
    return f"slug {slug!r} is not a plain file name: use lowercase letters, digits and hyphens, at most {MAX_SLUG} characters"


TOPIC = Schema((
    Key("title", TEXT, required=True),
    Key("slug", TEXT, check=_slug_problem),
    Key("headings", TEXTS),
    Key("keywords", TEXTS),
))


@dataclass(frozen=True)
class Topic:
    """One topic of a topics file, at its line."""

    title: str
    slug: str
    headings: tuple[str, ...]
    keywords: tuple[str, ...]
    line: int


def slug_of(title: str, fallback: str) -> str:
    """A plain URL segment made from `title` (accents dropped, other characters as hyphens), or `fallback`."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:MAX_SLUG].strip("-")
    return slug if SLUG.match(slug) else fallback


def load_topics(path: Path, root: Path) -> tuple[Topic, ...]:
    """The topics of the file at `path` (inside the project at `root`), or one BuildError with every problem."""
    if not path.absolute().is_relative_to(root.absolute()):
        raise BuildError.at(path, 0, "a topics file is read only from inside the project: move or copy it into the project folder")
    doc = parse_yaml(read_text(path, root), path)
    if not isinstance(doc.data, list) or not doc.data:
        raise BuildError.at(path, 1, "a topics file is a list of topics, each with a title (- title: …), and optional slug, headings and keywords")
    problems = Problems()
    fields = Fields(path, doc, problems)
    topics: list[Topic] = []
    slugs: dict[str, int] = {}
    for index, entry in enumerate(doc.data):
        line = doc.line(index)
        if not isinstance(entry, dict):
            problems.add(path, line, "each topic must be a mapping with a title (- title: …)")
            continue
        values = read_mapping(fields, entry, TOPIC, (index,))
        title = fields.text(values["title"], (index, "title"), "title")
        if not title:
            continue
        slug = values["slug"] or slug_of(title, f"topic-{index + 1}")
        if slug in slugs:
            problems.add(path, line, f"topic {title!r} would be drafted as {slug}.md, as is the topic at line {slugs[slug]}: give one a slug")
        slugs.setdefault(slug, line)
        headings = fields.words(values["headings"] or [], (index, "headings"), "headings")
        keywords = fields.words(values["keywords"] or [], (index, "keywords"), "keywords")
        topics.append(Topic(title, slug, headings, keywords, line))
    problems.raise_if_any()
    return tuple(topics)
