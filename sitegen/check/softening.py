"""Softened claims: a statement that states firmly what the passage it rests on hedges ("may help
inhibit" becoming "stops"). The rules are data, in `hedges.yaml` beside this module: the hedging
words, and the strong words a statement may use only when its passage uses them too.

A statement is compared with the sentence of each cited passage closest to it (most words in
common), not with the passage whole: a long passage hedges somewhere more often than not. A hedge
softens the word it governs, the first word after it but for auxiliaries and little words ("may help inhibit": inhibit;
"can last": last): a warning when every cited passage's closest sentence hedges a word the statement
repeats (the same stem) and the statement hedges nothing; or when the
statement uses a strong word that no cited passage uses. Only a seed's passages are compared: a
publication's note is the site's own record of it, not its words. A figure's values are numbers, not
claims of this kind. Never a failure: a person decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from .cited import Cited
from .claims import claim_text, plain_words

_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_WORD = re.compile(r"[a-z][a-z'-]*")
_STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on", "or", "that", "the",
    "this", "to", "was", "were", "with",
})


@dataclass(frozen=True)
class Hedges:
    """The rules: the words and phrases that hedge, and the strong words a passage must share."""

    hedging: tuple[str, ...]
    strong: tuple[str, ...]
    auxiliaries: frozenset[str] = frozenset()  # words between a hedge and the word it governs ("may also help to relieve")

    def hedged(self, words: str) -> str:
        """The first hedge in `words` (as `plain_words` makes them), or ""."""
        return next((hedge for hedge, _ in self.hedges_in(words)), "")

    def hedges_in(self, words: str) -> list[tuple[str, str]]:
        """Each hedge in `words` with the word it governs ("" when none follows)."""
        found = []
        for hedge in self.hedging:
            for match in re.finditer(rf"\b{re.escape(hedge)}\b", words):
                following = [word for word in _WORD.findall(words[match.end() :]) if word not in self.auxiliaries and word not in _STOP_WORDS]
                found.append((hedge, following[0] if following else ""))
        return found

    def strong_in(self, words: str) -> list[str]:
        return [word for word in self.strong if re.search(rf"\b{re.escape(word)}\b", words)]


@cache
def load_hedges() -> Hedges:
    """The rules shipped with the package (`hedges.yaml`)."""
    data = yaml.safe_load(resources.files(__package__).joinpath("hedges.yaml").read_text(encoding="utf-8"))
    return Hedges(tuple(data["hedging"]), tuple(data["strong"]), frozenset(data["auxiliaries"]))


def softening_warning(markdown: str, cites: tuple[Cited, ...], hedges: Hedges) -> str:
    """The warning for a statement (its Markdown) that cites `cites`, or "" when it states no more than they do."""
    statement = plain_words(claim_text(markdown))
    passages = [plain_words(text) for cite in cites if cite.in_source_words for text in cite.passages if text]
    if not passages:
        return ""
    strong = [word for word in hedges.strong_in(statement) if not any(re.search(rf"\b{re.escape(word)}\b", text) for text in passages)]
    if strong:
        return f"warning: \u201c{strong[0]}\u201d is stronger than the cited passage says: check that the statement claims no more than its source"
    if hedges.hedged(statement):
        return ""
    closest = [_closest_sentence(statement, text) for text in passages]
    hedged = [_hedge_repeated(hedges, sentence, statement) for sentence in closest]
    if all(hedged):
        return (
            f"warning: the cited passage hedges (\u201c{hedged[0]}\u201d: \u201c{_short(closest[0])}\u201d) and the statement does not: "
            "check that it claims no more than its source"
        )
    return ""


def _hedge_repeated(hedges: Hedges, sentence: str, statement: str) -> str:
    """The first hedge of `sentence` whose governed word `statement` repeats (by its stem), or ""."""
    words = _WORD.findall(statement)
    for hedge, governed in hedges.hedges_in(sentence):
        stem = governed[:5]
        if stem and any(word.startswith(stem) for word in words):
            return hedge
    return ""


def _closest_sentence(statement: str, passage: str) -> str:
    """The sentence of `passage` that shares most words with `statement`."""
    words = set(_WORD.findall(statement)) - _STOP_WORDS
    sentences = _SENTENCE.split(passage)
    return max(sentences, key=lambda sentence: len(words & set(_WORD.findall(sentence))))


def _short(sentence: str, most: int = 20) -> str:
    words = sentence.split()
    return " ".join(words[:most]) + (" …" if len(words) > most else "")
