#!/usr/bin/env python3
"""Prose statistics for the content pages: word count, citation count, reading grade.

Usage:  python scripts/content_stats.py [content/page.md ...]

For each page (default: every content/*.md) prints the number of words of the page's own prose
(front matter, citations and Markdown markup removed, headings left out), the number of citation
brackets and individual cited items, and the Flesch–Kincaid grade level of that prose:

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

Each paragraph, list item and table cell counts as the end of a sentence even without a full stop,
so short list items are not glued into one long sentence. Syllables are counted with the usual
vowel-group heuristic (good to about ±10 % on English prose). Only the standard library and PyYAML
are used, so the script runs without the engine.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TOPIC_PAGES = ("ketamine", "migraine", "migraine-stages", "causes-and-triggers", "mechanisms", "evidence", "safety")
GRADE_LIMIT = 9.0

CITATION = re.compile(r"\[(@[^\[\]\n]*)\]")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
ATTR_LIST = re.compile(r"\{[#.:][^}]*\}")
ADMONITION = re.compile(r"^\s*!!!\s+\w+(?:\s+\"([^\"]*)\")?\s*$")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’%.\-–]*")


@dataclass
class Stats:
    slug: str
    words: int
    sentences: int
    syllables: int
    citations: int  # citation brackets
    cited_items: int  # items inside them (`[@000:p1; @003:p2]` is two)

    @property
    def grade(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 0.39 * (self.words / self.sentences) + 11.8 * (self.syllables / self.words) - 15.59


def split_front_matter(text: str) -> tuple[dict, str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            meta = yaml.safe_load("\n".join(lines[1:index])) or {}
            return meta, "\n".join(lines[index + 1 :])
    return {}, text


def prose_blocks(body: str) -> list[str]:
    """The page's prose as blocks (paragraphs, list items, table cells), markup removed."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    in_code = False
    for raw in body.split("\n"):
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            in_code = not in_code
            flush()
            continue
        if in_code:
            continue
        if not line:
            flush()
            continue
        if ADMONITION.match(line):
            flush()  # the admonition title ("Key points") is a label, not prose
            continue
        if line.startswith("#"):
            flush()  # headings are labels, not sentences
            continue
        if line.startswith("|"):
            flush()
            if re.fullmatch(r"\|?[\s:|-]+\|?", line):
                continue
            blocks.extend(cell.strip() for cell in line.strip("|").split("|") if cell.strip())
            continue
        item = re.match(r"^(?:[-*+]|\d+\.)\s+(.*)$", line)
        if item:
            flush()
            current.append(item.group(1))
            continue
        current.append(line)
    flush()
    return [clean for block in blocks if (clean := strip_markup(block))]


def strip_markup(text: str) -> str:
    text = CITATION.sub("", text)
    text = LINK.sub(r"\1", text)
    text = ATTR_LIST.sub("", text)
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def words_of(text: str) -> list[str]:
    return [w.strip(".-–'’") for w in WORD.findall(text) if w.strip(".-–'’")]


def count_sentences(block: str) -> int:
    parts = [p for p in re.split(r"[.!?]+(?=\s|$)", block) if words_of(p)]
    return max(1, len(parts))


def syllables(word: str) -> int:
    """Vowel groups, less a silent final -e/-es/-ed; a number counts one syllable per digit (at most 3)."""
    if any(ch.isdigit() for ch in word):
        return min(3, max(1, len(re.sub(r"\D", "", word))))
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]+", w)))


def page_stats(path: Path) -> Stats:
    text = path.read_text(encoding="utf-8")
    _meta, body = split_front_matter(text)
    brackets = CITATION.findall(body)
    blocks = prose_blocks(body)
    words = [w for block in blocks for w in words_of(block)]
    return Stats(
        slug=path.stem,
        words=len(words),
        sentences=sum(count_sentences(block) for block in blocks),
        syllables=sum(syllables(w) for w in words),
        citations=len(brackets),
        cited_items=sum(len(inner.split(";")) for inner in brackets),
    )


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(CONTENT.glob("*.md"))
    print(f"{'page':<22} {'words':>6} {'citations':>9} {'items':>6} {'grade':>6}")
    over = []
    for path in paths:
        stats = page_stats(path)
        flag = ""
        if stats.slug in TOPIC_PAGES and stats.grade > GRADE_LIMIT:
            flag = "  > 9"
            over.append(stats.slug)
        print(f"{stats.slug:<22} {stats.words:>6} {stats.citations:>9} {stats.cited_items:>6} {stats.grade:>6.1f}{flag}")
    if over:
        print(f"topic pages above grade {GRADE_LIMIT:g}: {', '.join(over)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
