"""The inline pass that skips patterns a text cannot match gives Python-Markdown's own HTML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import InlineProcessor
from markdown_pairs import converter, stock_and_skipping

from sitegen.dialect import inline
from sitegen.dialect.inline import SkippingInlineProcessor, skip_impossible_patterns

pytestmark = pytest.mark.skipif(not inline.SUPPORTED, reason="this Python-Markdown has no inline loop to replace")

EVERY_INLINE_SYNTAX = """\
Text with `code`, ``double `ticks` code``, \\*escaped\\*, *em*, **strong**, ***both***, _under_ and __strong__,
a [link](https://example.org "title"), a [reference][ref], a [short ref], an ![image](a.png), ![ref image][ref],
<https://example.org/auto>, <someone@example.org>, <span class="x">raw html</span>, &amp; &#169; &copy;,
a line break here{BREAK}and a footnote[^1], a lone * star and _ underscore, 2 * 3 * 4.

"Double quotes," 'single quotes', AT&amp;T's &mdash;'quoted', it's the '80s -- en dash --- em dash... and "'nested' quotes".

*[HTML]: Hyper Text Markup Language
HTML is an abbreviation.

[ref]: https://example.org/ref
[short ref]: https://example.org/short
[^1]: The footnote, with *emphasis* and "quotes".
""".format(BREAK="  \n")


def test_every_inline_syntax_gives_python_markdowns_own_html() -> None:
    stock, skipping = stock_and_skipping(EVERY_INLINE_SYNTAX)
    assert "<code>" in stock and "&ldquo;" in stock and "<abbr" in stock and 'class="footnote-ref"' in stock
    assert skipping == stock


_PIECES = st.sampled_from([*"ab *_`[]()!<>&;#'\"-.\\@:/^\n", "  \n", "[x](y)", "<b>", "&amp;", "[^1]", "[^1]: note\n", "...", "--"])


# Cheap enough for more examples than the profile's default: each is a millisecond.
@settings(max_examples=max(500, settings.default.max_examples))
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_any_text_gives_python_markdowns_own_html(text: str) -> None:
    stock, skipping = stock_and_skipping(text)
    assert skipping == stock


def _names(registry: markdown.util.Registry) -> list[str]:
    """The names of what `registry` holds, in the order Python-Markdown runs them."""
    return sorted((item.name for item in registry._priority), key=registry.get_index_for_name)


def test_the_inline_passes_are_replaced_in_place() -> None:
    stock, skipping = converter(False), converter(True)
    assert _names(skipping.treeprocessors) == _names(stock.treeprocessors)
    assert isinstance(skipping.treeprocessors["inline"], SkippingInlineProcessor)
    assert isinstance(skipping.treeprocessors["smarty"], SkippingInlineProcessor)
    assert _names(skipping.treeprocessors["smarty"].inlinePatterns) == _names(stock.treeprocessors["smarty"].inlinePatterns)


class _Keyboard(InlineProcessor):
    """`{word}` → <kbd>word</kbd>."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        element = etree.Element("kbd")
        element.text = m.group(1)
        return element, m.start(0), m.end(0)


def _with_keyboard_pattern(triggers: dict[str, tuple[str, ...]] | None) -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    md.inlinePatterns.register(_Keyboard(r"\{(\w+)\}", md), "kbd", 200)
    skip_impossible_patterns(md, triggers)
    return md


def test_a_pattern_without_known_triggers_is_always_tried() -> None:
    assert _with_keyboard_pattern(None).convert("press {enter}") == "<p>press <kbd>enter</kbd></p>"


def test_a_pattern_is_tried_when_its_trigger_is_in_the_text() -> None:
    assert _with_keyboard_pattern({r"\{(\w+)\}": ("{",)}).convert("press {enter}") == "<p>press <kbd>enter</kbd></p>"


def test_a_pattern_is_skipped_while_its_triggers_are_absent() -> None:
    # A deliberately wrong trigger shows the skip: the pattern would match, but is never tried.
    assert _with_keyboard_pattern({r"\{(\w+)\}": ("{{",)}).convert("press {enter}") == "<p>press {enter}</p>"
