"""Alignment: what became of each passage of a seed in its new version. Identical text is matched
first, in order (so repeated passages keep their order), then identical text anywhere (a passage
moved), then similar text (a passage edited, by rapidfuzz's ratio; a little less similar will do for
a passage still between the same neighbours); what is left was removed. The
passages of the new version that nothing matched were added."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

UNCHANGED, MOVED, EDITED, REMOVED = "unchanged", "moved", "edited", "removed"
SIMILAR = 70.0  # rapidfuzz ratio (0-100) from which two passages are one passage edited, below which one was rewritten
IN_PLACE = 55.0  # the same, for a passage left between the same neighbours (a heading renamed: "Safety" → "Safety first")


@dataclass(frozen=True)
class Fate:
    """What became of old passage `old` (a number from 1): its number in the new version (0 when removed) and how."""

    old: int
    new: int
    kind: str
    old_text: str
    new_text: str = ""


@dataclass(frozen=True)
class Alignment:
    fates: tuple[Fate, ...]  # one per old passage, in its order
    added: tuple[int, ...]  # numbers of new passages nothing matched
    new: tuple[str, ...] = ()  # the new version's passage texts

    def of(self, old: int) -> Fate | None:
        return self.fates[old - 1] if 1 <= old <= len(self.fates) else None


def align(old: Sequence[str], new: Sequence[str]) -> Alignment:
    """The fate of every passage of `old` in `new` (both lists of passage texts, in order)."""
    pairs = _in_order(old, new)
    _anywhere(old, new, pairs)
    similar = _similar(old, new, pairs) | _in_place(old, new, pairs)
    fates = []
    for index, text in enumerate(old):
        if index in pairs:
            target = pairs[index]
            kind = EDITED if index in similar else UNCHANGED if target == index else MOVED
            fates.append(Fate(index + 1, target + 1, kind, text, new[target]))
        else:
            fates.append(Fate(index + 1, 0, REMOVED, text))
    taken = set(pairs.values())
    return Alignment(tuple(fates), tuple(number + 1 for number in range(len(new)) if number not in taken), tuple(new))


def _in_order(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    return {block.a + offset: block.b + offset for block in matcher.get_matching_blocks() for offset in range(block.size)}


def _anywhere(old: Sequence[str], new: Sequence[str], pairs: dict[int, int]) -> None:
    """Pair the old passages left with an identical new one left, nearest first."""
    free: dict[str, list[int]] = {}
    taken = set(pairs.values())
    for index, text in enumerate(new):
        if index not in taken:
            free.setdefault(text, []).append(index)
    for index, text in enumerate(old):
        if index not in pairs and free.get(text):
            nearest = min(free[text], key=lambda candidate: abs(candidate - index))
            free[text].remove(nearest)
            pairs[index] = nearest


def _similar(old: Sequence[str], new: Sequence[str], pairs: dict[int, int]) -> set[int]:
    """Pair the old passages left with the most similar new one left (at least `SIMILAR`), best pairs first; the old indexes paired."""
    from rapidfuzz import fuzz  # (its `process.cdist` needs NumPy: one call per pair needs nothing more)

    taken = set(pairs.values())
    old_left = [index for index in range(len(old)) if index not in pairs]
    new_left = [index for index in range(len(new)) if index not in taken]
    scored = ((fuzz.ratio(old[i], new[j], score_cutoff=SIMILAR), i, j) for i in old_left for j in new_left)
    candidates = sorted(((score, -abs(i - j), i, j) for score, i, j in scored if score >= SIMILAR), reverse=True)
    paired: set[int] = set()
    for _, _, index, target in candidates:
        if index not in paired and target not in taken:
            pairs[index] = target
            paired.add(index)
            taken.add(target)
    return paired


def _in_place(old: Sequence[str], new: Sequence[str], pairs: dict[int, int]) -> set[int]:
    """Pair each old passage left with the new one left in its place (between the same neighbours) if similar enough (`IN_PLACE`)."""
    from rapidfuzz import fuzz

    taken = set(pairs.values())
    paired: set[int] = set()
    for index in range(len(old)):
        if index in pairs:
            continue
        before = pairs.get(index - 1, -1) if index > 0 else -1
        target = before + 1
        after = pairs.get(index + 1) if index + 1 < len(old) else len(new)
        if (index > 0 and index - 1 not in pairs) or after != target + 1 or target in taken or target >= len(new):
            continue
        if fuzz.ratio(old[index], new[target]) >= IN_PLACE:
            pairs[index] = target
            taken.add(target)
            paired.add(index)
    return paired
