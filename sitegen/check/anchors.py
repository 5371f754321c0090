"""A broken anchor written in a page's Markdown, reported in the author's terms: the link as they
wrote it, the headings the target page does have, and the closest of them (or of its other ids).

    content/x.md:14: link to 'setup.md#instal': that page has no heading 'instal' (it has: install, usage); did you mean 'install'?
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ..resolve.model import ResolvedPage

HEADINGS_LISTED = 10  # at most this many of the target's headings are named


def missing_anchor_message(written: str, anchor: str, target: ResolvedPage, same_page: bool, ids: Sequence[str]) -> str:
    """What is wrong with the link `written` (as in the Markdown) to the `anchor` that `target` lacks;
    `ids`: every id the target's HTML has, for a suggestion when no heading is close."""
    headings = [entry.id for entry in target.toc]
    where = "this page" if same_page else "that page"
    return f"link to {written!r}: {where} has no heading {anchor!r} ({_listed(headings)}){_suggestion(anchor, headings, ids)}"


def _listed(headings: Sequence[str]) -> str:
    if not headings:
        return "it has no headings"
    more = ", …" if len(headings) > HEADINGS_LISTED else ""
    return "it has: " + ", ".join(headings[:HEADINGS_LISTED]) + more


def _suggestion(anchor: str, headings: Sequence[str], ids: Sequence[str]) -> str:
    """`; did you mean 'x'?` for the heading (else the id) closest to `anchor`, or "" when none is close."""
    for candidates in (headings, [name for name in ids if name not in headings]):
        close = difflib.get_close_matches(anchor, candidates, n=1)
        if close:
            return f"; did you mean {close[0]!r}?"
    return ""
