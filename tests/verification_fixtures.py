"""Small fixtures shared by the tests of quotes, numbers and softened claims: a statement and what it cites."""

from __future__ import annotations

from sitegen.check.cited import Cited
from sitegen.resolve.page_state import Statement


def statement(text: str, line: int = 3, kind: str = "paragraph") -> Statement:
    return Statement(line, kind, True, (), text=text, citations=("cite-1-1",))


def passage(*texts: str, key: str = "@001:p2", entry: str = "Example Article 2022") -> Cited:
    """A citation of a seed's passages."""
    return Cited(f"[1] {key}", key, texts, texts, entry, True)


def publication(note: str, key: str = "@smith2020", entry: str = "A trial 2020") -> Cited:
    """A citation of a publication, with its note."""
    return Cited(f"[2] {key}", key, (note,), (note,), entry, False)
