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
from functools import cache, lru_cache
from importlib import resources

import yaml

from .cited import Cited
from .claims import WORD_RUN, claim_text, passage_words, plain_words

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
        """The first hedge in `words` (as `plain_words` makes them), in the order of the rules, or ""."""
        rules = _possible(self.hedging, words)
        found = set(_any_of(rules).findall(words)) if rules else set()
        return next((hedge for hedge in self.hedging if hedge in found), "")

    def hedges_in(self, words: str) -> list[tuple[str, str]]:
        """Each hedge in `words` with the word it governs ("" when none follows), in the order of the rules."""
        rules = _possible(self.hedging, words)
        if not rules:
            return []
        found = [(match.group(0), self._governed(words, match.end())) for match in _any_of(rules).finditer(words)]
        order = {hedge: index for index, hedge in enumerate(self.hedging)}
        return sorted(found, key=lambda item: order[item[0]])  # stable: each hedge's matches stay in reading order

    def _governed(self, words: str, start: int) -> str:
        """The first word from `start` on that is neither an auxiliary nor a little word, or ""."""
        for match in _WORD.finditer(words, start):
            word = match.group(0)
            if word not in self.auxiliaries and word not in _STOP_WORDS:
                return word
        return ""

    def strong_in(self, words: str) -> list[str]:
        tokens = set(WORD_RUN.findall(words))
        return [word for word in self.strong if word in tokens]  # the strong words are single words


def _possible(rules: tuple[str, ...], words: str) -> tuple[str, ...]:
    """The rules whose every word is among `words`' (what a whole-word match of one needs): most
    texts hold none, and one scan for words is much cheaper than a pattern of every rule."""
    tokens = set(WORD_RUN.findall(words))
    split = _split(rules)
    if tokens.isdisjoint(split[0]):
        return ()
    return tuple(rule for rule, parts in split[1] if all(part in tokens for part in parts))


@cache
def _split(rules: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[str, tuple[str, ...]], ...]]:
    """The first word of every rule (a text without any holds no rule), and each rule with its words."""
    each = tuple((rule, tuple(rule.split())) for rule in rules)
    return frozenset(parts[0] for _, parts in each), each


@cache
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all of `words`, whole words only, the longest first where one begins another."""
    return re.compile(r"\b(?:" + "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)) + r")\b")


@cache
def load_hedges() -> Hedges:
    """The rules shipped with the package (`hedges.yaml`)."""
    data = yaml.safe_load(resources.files(__package__).joinpath("hedges.yaml").read_text(encoding="utf-8"))
    return Hedges(tuple(data["hedging"]), tuple(data["strong"]), frozenset(data["auxiliaries"]))


def softening_warning(markdown: str, cites: tuple[Cited, ...], hedges: Hedges) -> str:
    """The warning for a statement (its Markdown) that cites `cites`, or "" when it states no more than they do."""
    return softening_of_claims(claim_text(markdown), cites, hedges)


def softening_of_claims(claimed: str, cites: tuple[Cited, ...], hedges: Hedges) -> str:
    """`softening_warning` of a statement's words as `claims.claim_text` leaves them."""
    passages = list(dict.fromkeys(passage_words(text) for cite in cites if cite.in_source_words for text in cite.passages if text))  # each once
    if not passages:
        return ""
    statement = plain_words(claimed)
    strong = [word for word in hedges.strong_in(statement) if not any(re.search(rf"\b{re.escape(word)}\b", text) for text in passages)]
    if strong:
        return f"warning: \u201c{strong[0]}\u201d is stronger than the cited passage says: check that the statement claims no more than its source"
    if not all(_hedges_somewhere(hedges, text) for text in passages) or hedges.hedged(statement):  # the first: kept per passage
        return ""
    words = _WORD.findall(statement)
    closest = [_closest_sentence(set(words) - _STOP_WORDS, text) for text in passages]
    hedged = [_hedge_repeated(hedges, sentence, words) for sentence in closest]
    if all(hedged):
        return (
            f"warning: the cited passage hedges (\u201c{hedged[0]}\u201d: \u201c{_short(closest[0])}\u201d) and the statement does not: "
            "check that it claims no more than its source"
        )
    return ""


def _hedge_repeated(hedges: Hedges, sentence: str, words: list[str]) -> str:
    """The first hedge of `sentence` whose governed word a statement of `words` repeats (by its stem), or ""."""
    for hedge, governed in hedges.hedges_in(sentence):
        stem = governed[:5]
        if stem and any(word.startswith(stem) for word in words):
            return hedge
    return ""


@lru_cache(maxsize=4096)
def _hedges_somewhere(hedges: Hedges, passage: str) -> bool:
    """Whether `passage` hedges anything (kept per passage: one is cited many times)."""
    return bool(hedges.hedged(passage))


def _closest_sentence(words: set[str], passage: str) -> str:
    """The sentence of `passage` that shares most of `words` (a statement's, stop words left out)."""
    return max(_sentences(passage), key=lambda sentence: len(words & sentence[1]))[0]


@lru_cache(maxsize=4096)
def _sentences(passage: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each sentence of `passage` with its words."""
    return tuple((sentence, frozenset(_WORD.findall(sentence))) for sentence in _SENTENCE.split(passage))


def _short(sentence: str, most: int = 20) -> str:
    words = sentence.split()
    return " ".join(words[:most]) + (" …" if len(words) > most else "")
