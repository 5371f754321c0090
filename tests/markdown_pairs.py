"""Python-Markdown as it is and with the inline pass that skips patterns a text cannot match, side by side."""

from __future__ import annotations

import markdown
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.smarty import SmartyExtension

from sitegen.dialect.inline import skip_impossible_patterns


def converter(skipping: bool) -> markdown.Markdown:
    """Python-Markdown with the extensions the site uses beside the inline pass, skipping patterns or not."""
    md = markdown.Markdown(
        extensions=[SmartyExtension(), FootnoteExtension(), AbbrExtension(), AttrListExtension()],
        output_format="html",
    )
    if skipping:
        skip_impossible_patterns(md)
    return md


def stock_and_skipping(text: str) -> tuple[str, str]:
    """`text` as HTML by Python-Markdown as it is, and with `skip_impossible_patterns` applied."""
    return converter(False).convert(text), converter(True).convert(text)
