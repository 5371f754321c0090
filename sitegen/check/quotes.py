"""Quoted words: the words a cited statement sets in double quotation marks ("…" or “…”) must occur
in one of the passages it cites (or in the cited entry: a title, a publication's note), compared as
`claims.plain_words` makes them. Otherwise a finding at the statement's line, with the closest words
of the passages (rapidfuzz's partial alignment, pair by pair: no NumPy)."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..core.errors import Problem
from ..resolve.page_state import Statement
from .cited import Cited
from .claims import passage_words, quote_pieces

_CLOSEST_WORDS = 30  # at most, of the passage shown beside a quote not found


def quote_problems(path: str, statement: Statement, quotes: tuple[str, ...], cites: tuple[Cited, ...]) -> list[Problem]:
    """A finding for each quote of `statement` (of `path`) that none of `cites` holds."""
    problems = []
    texts = list(dict.fromkeys((cite.key, text) for cite in cites for text in (*cite.passages, cite.entry) if text))  # each once, however often cited
    held = [passage_words(text) for _, text in texts]
    for quote in quotes:
        missing = [piece for piece in quote_pieces(quote) if not any(piece in words for words in held)]
        if missing:
            problems.append(Problem(path, statement.line, f"quoted words not in the cited passage: \u201c{quote}\u201d{_closest(missing[0], texts)}"))
    return problems


def _closest(piece: str, texts: list[tuple[str, str]]) -> str:
    """The words of the passages closest to `piece`, named by their citation ("" when there is no passage)."""
    best: tuple[float, str, str] | None = None
    for key, text in texts:
        words = passage_words(text)
        alignment = fuzz.partial_ratio_alignment(piece, words)
        if alignment is not None and (best is None or alignment.score > best[0]):
            best = (alignment.score, key, _whole_words(words, alignment.dest_start, alignment.dest_end))
    if best is None:
        return ""
    return f" (closest in {best[1]}: \u201c{best[2]}\u201d)"


def _whole_words(text: str, start: int, end: int) -> str:
    """`text[start:end]` widened to whole words, at most `_CLOSEST_WORDS` of them."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    words = text[start:end].split()
    return " ".join(words[:_CLOSEST_WORDS]) + (" …" if len(words) > _CLOSEST_WORDS else "")
