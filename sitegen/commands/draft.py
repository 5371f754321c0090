"""`draft ID…`: draft pages from seeds, each passage quoted and cited, for an author to rewrite.

Without a topics file, each section of each seed (a heading and the paragraphs under it: a seed
records no heading levels, so every heading starts a section) becomes one draft. With one (see
`load.topics`), the paragraphs of every named seed go to the topic they fit best (`topic_fit`), and
those that fit none to one more draft, `unplaced.md`, for a person to place. In a draft, each
paragraph is a blockquote of the seed's words, escaped so that it shows as written, with its
citation, in reading order under its section heading. Excluded passages are left out.

Drafts are written to `content/drafts/<slug>.md` with `draft: true`: the dev server shows them, a
build leaves them out. Nothing is written if any of them exists already: all are written or none.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError, Problems
from ..load.settings import load_settings
from ..load.sources import Passage, Source, load_sources
from ..load.topics import Topic, load_topics, slug_of
from .topic_fit import normalised_heading, place_passages

DRAFTS_FOLDER = "drafts"  # in the content folder
UNPLACED = "unplaced"  # the draft of the paragraphs that fit no topic
UNPLACED_TITLE = "Passages to place"
# Characters our Markdown could read as markup, each escaped with a backslash: everywhere, or where they could start some.
_MARKUP_ANYWHERE = re.compile(r"""[\\`*_{}#\[\]|"']|\.(?=\.)|(?<=\.)\.|-(?=-)|(?<=-)-|!(?=\[)""")
_MARKUP_AT_START = re.compile(r"^(?:[#>+\-!]|[0-9]+(?=\.))")


@dataclass(frozen=True)
class Draft:
    """One draft page: its file name in content/drafts/, its title, and the paragraphs it quotes in order."""

    slug: str
    title: str
    passages: tuple[Passage, ...]
    to_place: bool = False  # the paragraphs that fit no topic, for a person to place

    @property
    def file_name(self) -> str:
        return f"{self.slug}.md"


@dataclass(frozen=True)
class Drafted:
    """What `draft_pages` wrote: the drafts, the folder, and what it left out."""

    drafts: tuple[Draft, ...]
    folder: Path
    unplaced: int  # paragraphs that fit no topic (in the `unplaced` draft)
    excluded: int  # paragraphs excluded in sources.yaml, not drafted
    empty_topics: tuple[str, ...] = ()  # titles of the topics no paragraph fits (not drafted)


def draft_pages(root: Path, seed_ids: Sequence[str], topics_file: Path | None = None) -> Drafted:
    """Draft pages from the seeds `seed_ids` of the project at `root` into content/drafts/ (grouped by the
    topics of `topics_file` if given); a BuildError, writing nothing, if any draft exists already."""
    settings = load_settings(root)
    sources = load_sources(settings.seeds_dir)
    chosen = _chosen_sources(sources, seed_ids, settings.seeds_dir)
    passages = [p for source in chosen for p in source.passages]
    excluded = sum(1 for p in passages if p.excluded and not p.is_heading)
    in_use = [p for p in passages if not p.excluded]
    empty: tuple[str, ...] = ()
    if topics_file is None:
        drafts = _drafts_by_section(chosen)
    else:
        topics = load_topics(topics_file, root)
        _check_headings(topics, in_use, topics_file)
        drafts = _drafts_by_topic(in_use, topics)
        empty = tuple(topic.title for topic in topics if all(draft.slug != topic.slug for draft in drafts))
    folder = settings.content_dir / DRAFTS_FOLDER
    _write_all(folder, {draft.file_name: draft_markdown(draft, sources) for draft in drafts})
    unplaced = sum(len(draft.passages) for draft in drafts if draft.to_place)
    return Drafted(tuple(drafts), folder, unplaced, excluded, empty)


def _chosen_sources(sources: dict[str, Source], seed_ids: Sequence[str], seeds_dir: Path) -> list[Source]:
    """The sources named, in the order named (each once); an unknown id is an error naming the known ones."""
    unknown = [seed_id for seed_id in dict.fromkeys(seed_ids) if seed_id not in sources]
    if unknown:
        known = ", ".join(sorted(sources)) or "none"
        raise BuildError.at(seeds_dir, 0, f"no seed {', '.join(map(repr, unknown))} in this folder (its seeds: {known})")
    return [sources[seed_id] for seed_id in dict.fromkeys(seed_ids)]


def _drafts_by_section(sources: Sequence[Source]) -> list[Draft]:
    """One draft per section of each seed (its heading, and the paragraphs up to the next) that has a paragraph in use."""
    drafts: list[Draft] = []
    slugs: set[str] = set()
    for source in sources:
        sections: dict[int, list[Passage]] = {}  # number of the section's heading (0 before the first) → its paragraphs in use
        start = 0
        for passage in source.passages:
            start = passage.number if passage.is_heading else start
            if not passage.is_heading and not passage.excluded:
                sections.setdefault(start, []).append(passage)
        for index, members in enumerate(sections.values(), start=1):
            heading = members[0].section
            title = heading or f"{source.title} (before its first heading)"
            drafts.append(Draft(_unique(slug_of(f"{source.id}-{title}", f"{source.id}-section-{index}"), slugs), title, tuple(members)))
    return drafts


def _drafts_by_topic(passages: Sequence[Passage], topics: Sequence[Topic]) -> list[Draft]:
    """A draft per topic that some paragraphs fit, with them in reading order, and one of the paragraphs that fit no topic."""
    placements = place_passages(passages, topics)
    drafts = [Draft(topic.slug, topic.title, tuple(p.passage for p in placements if p.topic is topic)) for topic in topics]
    unplaced = tuple(p.passage for p in placements if p.topic is None)
    if unplaced:
        drafts.append(Draft(_unique(UNPLACED, {topic.slug for topic in topics}), UNPLACED_TITLE, unplaced, to_place=True))
    return [draft for draft in drafts if draft.passages]


def _check_headings(topics: Sequence[Topic], passages: Sequence[Passage], topics_file: Path) -> None:
    """A heading a topic names must be one of the seeds' section headings (a typo would place nothing)."""
    known = {normalised_heading(p.section) for p in passages if p.section}
    problems = Problems()
    for topic in topics:
        for heading in topic.headings:
            if normalised_heading(heading) not in known:
                problems.add(topics_file, topic.line, f"topic {topic.title!r}: no section of the seeds drafted is headed {heading!r}")
    problems.raise_if_any()


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def draft_markdown(draft: Draft, sources: dict[str, Source]) -> str:
    """The page of `draft`: front matter with `draft: true`, then each paragraph quoted and cited under its section heading."""
    seeds = list(dict.fromkeys(p.source_id for p in draft.passages))
    description = f"Draft from seed{'s' if len(seeds) > 1 else ''} {', '.join(seeds)}: the sources' own words, quoted, to rewrite before publishing."
    lines = ["---", f"title: {yaml_string(draft.title)}", f"description: {yaml_string(description)}", "draft: true", "---", ""]
    section: tuple[str, str] | None = None
    for passage in draft.passages:
        if (passage.source_id, passage.section) != section:
            section = (passage.source_id, passage.section)
            heading = passage.section or f"{sources[passage.source_id].title} (before its first heading)"
            lines += [f"## {escape_markdown(heading)}", ""]
        lines += [f"> {escape_markdown(passage.text)} [@{passage.source_id}:{passage.anchor}]", ""]
    return "\n".join(lines)


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML string (JSON's, which YAML reads alike), with every character YAML could
    take for a line break or a control escaped too."""
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(_yaml_escape(c) if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in quoted)


def _yaml_escape(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape_markdown(text: str) -> str:
    """`text` as Markdown that shows it as written: every character our Markdown could read as markup (typographic
    quotes and dashes included) escaped with a backslash, `&` and `<` as entities."""
    escaped = _MARKUP_ANYWHERE.sub(lambda m: "\\" + m.group(), text.replace("&", "&amp;").replace("<", "&lt;"))
    start = _MARKUP_AT_START.match(escaped)
    if start is None:
        return escaped
    return start.group() + "\\." + escaped[start.end() + 1 :] if start.group()[0].isdigit() else "\\" + escaped


def _write_all(folder: Path, files: dict[str, str]) -> None:
    """Each of `files` (name → text) into `folder`, none if any exists already: each staged in a temporary
    file, then linked to its name (which never replaces a file); those linked are removed if one fails."""
    existing = [name for name in files if os.path.lexists(folder / name)]
    if existing:
        problems = Problems()
        for name in existing:
            problems.add(folder / name, 0, "a draft of this name exists already: rename or remove it to draft again (nothing was written)")
        problems.raise_if_any()
    folder.mkdir(parents=True, exist_ok=True)
    linked: list[Path] = []
    with tempfile.TemporaryDirectory(dir=folder, prefix=".draft-") as staging:
        try:
            for name, text in files.items():
                staged = Path(staging) / name
                staged.write_text(text, encoding="utf-8")
                os.link(staged, folder / name)
                linked.append(folder / name)
        except BaseException:
            for path in linked:
                path.unlink(missing_ok=True)
            raise
