"""Python-Markdown's inline pass, taught to skip the patterns a text cannot match.

Python-Markdown tries every inline pattern (links, emphasis, code, each of smarty's quote rules...)
on every run of text, one regular-expression search each, through a loop that is most of the time a
page's conversion takes. Almost all of those searches fail: a pattern for links cannot match text
without a `[`. `SkippingInlineProcessor` keeps Python-Markdown's own loop and only skips a pattern
when a character sequence every match of it contains is absent from the text, so the HTML is the
same, byte for byte, and a pattern this module does not know is always tried.

The loop lives in a private method of `markdown.treeprocessors.InlineProcessor`; when a version of
Python-Markdown no longer has it, `skip_impossible_patterns` leaves the converter as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import markdown
from markdown import inlinepatterns, util
from markdown.extensions import smarty
from markdown.treeprocessors import InlineProcessor

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
        return super().run(tree, ancestors)

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
                    if trigger in data:
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
    """Make the inline passes of `md` (Python-Markdown's own, smarty's) skip patterns that cannot match.

    `more_triggers` adds the triggers of an extension's own patterns, by regular expression.
    """
    if not SUPPORTED:
        return
    triggers = {**TRIGGERS, **(more_triggers or {})}
    for name, priority in _PASSES:
        if name not in md.treeprocessors or type(md.treeprocessors[name]) is not InlineProcessor:
            continue
        skipping = SkippingInlineProcessor(md, triggers)
        skipping.inlinePatterns = md.treeprocessors[name].inlinePatterns
        md.treeprocessors.register(skipping, name, priority)
