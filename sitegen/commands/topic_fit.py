"""Which topic each seed paragraph fits best: a heading the topic names, else TF-IDF cosine similarity.

A paragraph under a heading that a topic lists (`headings:`) belongs to that topic. Any other is
compared with each topic's words (its title, keywords and headings) as TF-IDF vectors (cosine
similarity): the paragraph's own words, plus, counting less, its section heading's and its whole
section's, so that a short paragraph keeps to its neighbours' topic. The topic of the highest score
wins; below `MIN_SIMILARITY` the paragraph fits no topic. Pure standard library.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..load.sources import Passage
from ..load.topics import Topic

MIN_SIMILARITY = 0.04  # below this a paragraph shares too little with every topic to be placed in one
HEADING_WEIGHT = 0.5  # how much a paragraph's section heading counts beside its own words
SECTION_WEIGHT = 0.5  # and its whole section, which is mostly about the same thing
_WORD = re.compile(r"[^\W_]+")
_STOP_WORD_TEXT = (
    "a about after all also an and any are as at be been before being but by can could do does for from had has have how if in into is it "
    "its may more most much no not of on one or other our out over own so some such than that the their them then there these they this "
    "those through to too under up very was we were what when where which while who why will with would you your"
)
_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())

# (ending, what replaces it, the shortest stem it may leave), the first that applies wins
_ENDINGS = (("ies", "y", 3), ("oes", "o", 3), ("sses", "ss", 2), ("ches", "ch", 2), ("shes", "sh", 2), ("xes", "x", 2), ("ss", "ss", 0),
            ("us", "us", 0), ("is", "is", 0), ("s", "", 3), ("ing", "", 4), ("ed", "", 4))
Vector = dict[str, float]


@dataclass(frozen=True)
class Placement:
    """A paragraph and the topic it fits (None: it fits none), with how well."""

    passage: Passage
    topic: Topic | None
    similarity: float  # 1.0 when a heading the topic names placed it


def words(text: str) -> list[str]:
    """The content words of `text`, lowercased, each cut to a rough stem (`stem`)."""
    return [stem(word) for word in _WORD.findall(text.lower()) if word not in _STOP_WORDS and len(word) > 1]


def stem(word: str) -> str:
    """`word` without the endings of plurals and of most verb forms (tomatoes → tomato, watered → water, growing → grow)."""
    for ending, replacement, shortest in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= shortest:
            return word[: len(word) - len(ending)] + replacement
    return word


def normalised_heading(text: str) -> str:
    return " ".join(words(text)) or text.strip().lower()


def place_passages(passages: Sequence[Passage], topics: Sequence[Topic]) -> list[Placement]:
    """Each paragraph of `passages` (in their order) with the topic it fits best."""
    paragraphs = [p for p in passages if not p.is_heading]
    by_heading = {normalised_heading(h): topic for topic in reversed(topics) for h in topic.headings}
    own = {id(p): Counter(words(p.text)) for p in paragraphs}
    sections: dict[tuple[str, str], Counter[str]] = {}
    for passage in paragraphs:
        sections.setdefault((passage.source_id, passage.section), Counter()).update(own[id(passage)])
    profiles = [Counter(words(" ".join((topic.title, *topic.keywords, *topic.headings)))) for topic in topics]
    weights = _idf([*own.values(), *profiles])
    topic_vectors = [_unit(_weighted(profile, weights)) for profile in profiles]

    def similarities(counts: Counter[str]) -> list[float]:
        vector = _unit(_weighted(counts, weights))
        return [_dot(vector, topic_vector) for topic_vector in topic_vectors]

    by_section = {key: similarities(counts) for key, counts in sections.items()}
    by_section_heading = {key: similarities(Counter(words(key[1]))) for key in sections}
    placements = []
    for passage in paragraphs:
        named = by_heading.get(normalised_heading(passage.section)) if passage.section else None
        if named is not None:
            placements.append(Placement(passage, named, 1.0))
            continue
        key = (passage.source_id, passage.section)
        scores = [
            mine + HEADING_WEIGHT * heading + SECTION_WEIGHT * section
            for mine, heading, section in zip(similarities(own[id(passage)]), by_section_heading[key], by_section[key], strict=True)
        ]
        best = max(range(len(topics)), key=lambda i: scores[i], default=None)
        fits = best is not None and scores[best] >= MIN_SIMILARITY
        placements.append(Placement(passage, topics[best] if fits and best is not None else None, scores[best] if best is not None else 0.0))
    return placements


def _idf(documents: Iterable[Counter[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of every word of `documents`."""
    documents = list(documents)
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(word for word, n in document.items() if n > 0)
    return {word: math.log((1 + len(documents)) / (1 + n)) + 1 for word, n in frequency.items()}


def _weighted(counts: Counter[str], weights: dict[str, float]) -> Vector:
    rarest = max(weights.values(), default=1.0)  # a word no document has (a heading's own) is as rare as the rarest
    return {word: math.log1p(n) * weights.get(word, rarest) for word, n in counts.items() if n > 0}


def _unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {word: value / norm for word, value in vector.items()} if norm else {}


def _dot(a: Vector, b: Vector) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(value * large.get(word, 0.0) for word, value in small.items())
