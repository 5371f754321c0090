"""Re-citing: every citation of a changed seed in one text moved to the new passage numbers, in every
citation form (`[@003:p4]`, ranges `[@003:p3-p5]`, several in one bracket `[@003:p1; @000:p4]`).
Items of other sources and brackets with nothing to change are left byte for byte as written."""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve.citations import CitationKey, CitationSyntaxError, citation_spans, parse_items, split_items
from .align import EDITED, REMOVED, Alignment, Fate


@dataclass(frozen=True)
class CitedFate:
    """One passage a citation names, at its line of the text, and what became of it."""

    line: int
    cited: str  # the item as written, such as "@003:p3-p5"
    fate: Fate


@dataclass(frozen=True)
class Recited:
    text: str
    moved: tuple[CitedFate, ...]  # passages whose number changed (edited ones included)
    edited: tuple[CitedFate, ...]
    removed: tuple[CitedFate, ...]  # refused, unless dropped


def recite(text: str, seed_id: str, alignment: Alignment, drop: bool = False) -> Recited:
    """`text` with every citation of seed `seed_id` renumbered by `alignment`; citations of removed passages taken out when `drop`."""
    pieces: list[str] = []
    done = 0
    moved: list[CitedFate] = []
    edited: list[CitedFate] = []
    removed: list[CitedFate] = []
    for start, end, inner in citation_spans(text):
        line = text.count("\n", 0, start) + 1
        try:
            cited = parse_items(inner)
        except CitationSyntaxError:
            continue  # the build reports it; nothing here to renumber
        items = []
        for raw, key in zip(split_items(inner), (item.key for item in cited), strict=True):
            fates = _fates(key, seed_id, alignment)
            if fates is None:
                items.append(raw.strip())
                continue
            for fate in fates:
                found = CitedFate(line, str(key), fate)
                if fate.kind == REMOVED:
                    removed.append(found)
                elif fate.new != fate.old:
                    moved.append(found)
                if fate.kind == EDITED:
                    edited.append(found)
            items.extend(str(item) for item in _renumbered(key, fates, drop))
        rewritten = "; ".join(items)
        if rewritten.replace(" ", "") == inner.replace(" ", ""):
            continue
        pieces.append(text[done:start])
        pieces.append(f"[{rewritten}]" if items else "")
        done = end
        if not items and pieces[-2].endswith(" "):
            pieces[-2] = pieces[-2][:-1]
    pieces.append(text[done:])
    return Recited("".join(pieces), tuple(moved), tuple(edited), tuple(removed))


def _fates(key: CitationKey, seed_id: str, alignment: Alignment) -> tuple[Fate, ...] | None:
    """The fate of each passage `key` names, or None when it is not a citation of this seed's passages (or names one it never had)."""
    if key.target != seed_id or not key.is_passage:
        return None
    fates = tuple(alignment.of(number) for number in key.numbers)
    return None if any(fate is None for fate in fates) else fates  # type: ignore[return-value]


def _renumbered(key: CitationKey, fates: tuple[Fate, ...], drop: bool) -> list[CitationKey]:
    """`key` at the new numbers: one range per run of consecutive new numbers, removed passages left out (refused earlier unless `drop`)."""
    numbers = sorted(fate.new for fate in fates if fate.kind != REMOVED)
    if not drop and len(numbers) < len(fates):
        return [key]  # refused: the caller reports it and writes nothing
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return [CitationKey(key.target, run[0], run[-1]) for run in runs]
