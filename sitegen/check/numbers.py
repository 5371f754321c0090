"""Stated numbers: every number of a cited statement (and every value of a figure) must be held by
one of the passages it cites, or, for a publication, by its `note` in references.yaml (which thereby
records the figures the site relies on) or its entry (its year); forms are normalised as `claims`
says. Otherwise a finding at the statement's line, with the numbers the passages do hold."""

from __future__ import annotations

from ..core.errors import Problem
from ..resolve.page_state import Statement
from .cited import Cited
from .claims import Number, held_numbers, is_held

_HELD_SHOWN = 12  # numbers of the passages named in a message, at most


def number_problems(path: str, statement: Statement, numbers: tuple[tuple[Number, str], ...], cites: tuple[Cited, ...]) -> list[Problem]:
    """One finding for `statement` (of `path`) naming each of its numbers that none of `cites` holds."""
    held: set[Number] = set()
    for text in dict.fromkeys(text for cite in cites for text in (*cite.passages, cite.entry)):  # each text once, however often cited
        held |= held_numbers(text)
    missing = list(dict.fromkeys(written.strip() for number, written in numbers if not is_held(number, held)))
    if not missing:
        return []
    return [Problem(path, statement.line, f"{_listed(missing)} not in the cited passage{'s' if len(cites) > 1 else ''} ({_holding(held)})")]


def _listed(missing: list[str]) -> str:
    shown = ", ".join(f"\u201c{written}\u201d" for written in missing)
    return f"number{'s' if len(missing) > 1 else ''} {shown}"


def _holding(held: set[Number]) -> str:
    if not held:
        return "which hold no numbers"
    ordered = sorted(held, key=lambda number: (float(number.value), number.percent))
    shown = [str(number) for number in ordered if number.percent or Number(number.value, True) not in held]
    more = f" and {len(shown) - _HELD_SHOWN} more" if len(shown) > _HELD_SHOWN else ""
    return f"they hold {', '.join(shown[:_HELD_SHOWN])}{more}"
