"""Python-Markdown's inline pass, taught to skip the patterns a text cannot match.

Python-Markdown tries every inline pattern (links, emphasis, code, each of smarty's quote rules...)
on every run of text, one regular-expression search each, through a loop that is most of the time a
page's conversion takes. Almost all of those searches fail: a pattern for links cannot match text
without a `[`. `SkippingInlineProcessor` keeps Python-Markdown's own loop and only skips a pattern
when a character sequence every match of it contains is absent from the text, so the HTML is the
same, byte for byte, and a pattern this module does not know is always tried.

The same pass also runs in time linear in a text's length where Python-Markdown's takes the square
of it, with the same HTML: its walk over the tree takes the next element from the front of a list
(`pop(0)`) and finds each child's position by searching its parent (`list(parent).index(child)`);
here the walk uses a queue and counts positions. `skip_impossible_patterns` also gives the link
patterns their linear bracket scans (`brackets`).

The loop lives in private methods of `markdown.treeprocessors.InlineProcessor`; when a version of
Python-Markdown no longer has them, or its walk is not the code this module was written against
(compared by a digest of their source, see `upstream`), `skip_impossible_patterns` leaves that part
as it is.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from collections import deque
from collections.abc import Mapping

import markdown
from markdown import inlinepatterns, util
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor

from .brackets import pair_brackets_once
from .upstream import source_digest

_SINGLE, _DOUBLE = ("'",), ('"',)

# Each pattern, by its regular expression, and the sequences of which every match contains one.
TRIGGERS: dict[str, tuple[str, ...]] = {
    inlinepatterns.BACKTICK_RE: ("`",),
    inlinepatterns.ESCAPE_RE: ("\\",),
    inlinepatterns.LINK_RE: ("[",),  # also REFERENCE_RE
    inlinepatterns.IMAGE_LINK_RE: ("![",),  # also IMAGE_REFERENCE_RE
    inlinepatterns.AUTOLINK_RE: ("<",),
    inlinepatterns.AUTOMAIL_RE: ("<",),
    inlinepatterns.HTML_RE: ("<",),
    inlinepatterns.HTML_RE + r"(?!\>)": ("<",),  # smarty's stricter HTML
    inlinepatterns.ENTITY_RE: ("&",),
    inlinepatterns.LINE_BREAK_RE: ("  \n",),
    r"\*|_": ("*", "_"),  # emphasis and strong (Python-Markdown 3.11 and later)
    r"\*": ("*",),  # emphasis and strong, and its underscore twin, before 3.11
    r"_": ("_",),
    r"((^|(?<=\s))(\*{1,3}|_{1,3})(?=\s|$))": ("*", "_"),  # a lone * or _, before 3.11
    r"\[\^([^\]]*)\]": ("[^",),  # footnote references
    r"(?<!-)---(?!-)": ("---",),
    r"(?<!-)--(?!-)": ("--",),
    r"(?<!\.)\.{3}(?!\.)": ("...",),
}
_SMARTY_QUOTES = {
    "singleQuoteStartRe": _SINGLE,
    "doubleQuoteStartRe": _DOUBLE,
    "doubleQuoteSetsRe": _SINGLE,
    "singleQuoteSetsRe": _SINGLE,
    "doubleQuoteSetsRe2": _SINGLE,
    "singleQuoteSetsRe2": _SINGLE,
    "decadeAbbrRe": _SINGLE,
    "openingDoubleQuotesRegex": _DOUBLE,
    "closingDoubleQuotesRegex": _DOUBLE,
    "closingDoubleQuotesRegex2": _DOUBLE,
    "openingSingleQuotesRegex": _SINGLE,
    "closingSingleQuotesRegex": _SINGLE,
    "closingSingleQuotesRegex2": _SINGLE,
    "remainingSingleQuotesRegex": _SINGLE,
    "remainingDoubleQuotesRegex": _DOUBLE,
}
TRIGGERS.update({getattr(smarty, name): triggers for name, triggers in _SMARTY_QUOTES.items() if hasattr(smarty, name)})

# The inline passes there may be, with the priorities Python-Markdown and its smarty extension give them.
_PASSES = (("inline", 20), ("smarty", 6))
_LOOP = "_InlineProcessor__handleInline"
_APPLY = "_InlineProcessor__applyPattern"
SUPPORTED = hasattr(InlineProcessor, _LOOP) and hasattr(InlineProcessor, _APPLY)


# The Python-Markdown code the linear walk below reproduces (3.11).
_KNOWN_RUN = {"f6c93631f2871499"}
LINEAR_WALK = source_digest(InlineProcessor.run) in _KNOWN_RUN


class SkippingInlineProcessor(InlineProcessor):
    """Python-Markdown's inline pass, skipping a pattern while none of its triggers is in the text."""

    def __init__(self, md: markdown.Markdown, triggers: Mapping[str, tuple[str, ...]]) -> None:
        super().__init__(md)
        self.triggers = triggers
        self.plan: tuple[tuple[inlinepatterns.Pattern, tuple[str, ...] | None], ...] = ()
        self.any_trigger: re.Pattern[str] | None = None

    def run(self, tree, ancestors=None):  # type: ignore[no-untyped-def]  # Python-Markdown's signature
        # Taken at every run: an extension may register patterns while a document is converted.
        self.plan = tuple((pattern, self.triggers.get(pattern.compiled_re.pattern)) for pattern in self.inlinePatterns)
        unknown = any(triggers is None for _, triggers in self.plan)  # such a pattern is tried on every text
        self.any_trigger = None if unknown else _any_of(frozenset(t for _, triggers in self.plan for t in triggers or ()))
        if not LINEAR_WALK:
            return super().run(tree, ancestors)
        return self._linear_run(tree, ancestors)

    def _linear_run(self, tree: etree.Element, ancestors: list[str] | None) -> etree.Element:
        """`InlineProcessor.run` of Python-Markdown 3.11, line for line, but for three things: the
        queue of elements is a deque, a child's position is counted instead of searched for, and
        new children go in with one slice assignment each instead of one insertion each."""
        handle = getattr(self, _LOOP)
        placeholders = self._InlineProcessor__processPlaceholders  # type: ignore[attr-defined]
        self.stashed_nodes: dict[str, etree.Element | str] = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)  # type: ignore[attr-defined]
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            queued = []
            index = 0
            while index < len(current):  # as `for child in current` does: by position, seeing children inserted after it
                child = current[index]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    found = placeholders(handle(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    queued.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = handle(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    after = placeholders(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    for item in after:
                        self.parent_map[item[0]] = current
                    current[index + 1 : index + 1] = [item[0] for item in after]
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
                index += 1
            for element, found in queued:
                element[0:0] = [item[0] for item in found]
        return tree

    def _InlineProcessor__handleInline(self, data: str, index: int = 0) -> str:  # noqa: N802 (the name it overrides)
        if isinstance(data, util.AtomicString) or (self.any_trigger is not None and self.any_trigger.search(data) is None):
            return data  # most runs of text: no pattern can match
        apply = getattr(self, _APPLY)
        plan = self.plan
        start = 0
        while index < len(plan):
            pattern, triggers = plan[index]
            if triggers is not None:
                for trigger in triggers:
                    if data.find(trigger, start) >= 0:  # a match lies at or after `start`, and holds its trigger
                        break
                else:
                    index, start = index + 1, 0  # what a failed search returns
                    continue
            data, matched, start = apply(pattern, data, index, start)
            if not matched:
                index += 1
        return data


@functools.lru_cache(maxsize=16)
def _any_of(triggers: frozenset[str]) -> re.Pattern[str]:
    """A search for any of `triggers`, longest first."""
    return re.compile("|".join(re.escape(trigger) for trigger in sorted(triggers, key=lambda t: (-len(t), t))))


def skip_impossible_patterns(md: markdown.Markdown, more_triggers: Mapping[str, tuple[str, ...]] | None = None) -> None:
    """Make the inline passes of `md` (Python-Markdown's own, smarty's) skip patterns that cannot match,
    walk the tree in linear time and pair brackets once per text.

    `more_triggers` adds the triggers of an extension's own patterns, by regular expression.
    """
    if not SUPPORTED:
        return
    pair_brackets_once(md)
    triggers = {**TRIGGERS, **(more_triggers or {})}
    for name, priority in _PASSES:
        if name not in md.treeprocessors or type(md.treeprocessors[name]) is not InlineProcessor:
            continue
        skipping = SkippingInlineProcessor(md, triggers)
        skipping.inlinePatterns = md.treeprocessors[name].inlinePatterns
        md.treeprocessors.register(skipping, name, priority)
