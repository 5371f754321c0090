"""The one Markdown renderer for data-file fields documented as Markdown (a glossary definition, the
`site.yaml` disclaimer): short inline Markdown, with raw HTML turned off and every link and image
URL held to the rule of `urls.url_problem`.

Python-Markdown has no safe mode since 3.0; its documented way is to remove what passes HTML
through: the `html_block` preprocessor and the `html` inline pattern. Without them, `<` and `&` in
the text reach the serializer as text and are escaped like any other. Loaders call
`markdown_problems` to report a refused URL at its file and line; the renderer drops the link of
any URL that still reaches it. Text nested deeper than `limits.MAX_NESTING`, or longer than
`limits.MAX_TEXT_CHARACTERS`, is refused the same way, before conversion, so a definition can end
the build neither in a RecursionError nor in the inline pass's quadratic rebuilds.
"""

from __future__ import annotations

import functools
import html as html_module
import re
import threading
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from dataclasses import dataclass

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.treeprocessors import Treeprocessor

from ..core.urls import url_problem
from .inline import skip_impossible_patterns
from .limits import nesting_problem, text_length_problem

URL_ATTRIBUTES = ("href", "src")


class _Refused(Treeprocessor):
    """Removes each link and image URL the URL rule refuses, noting why."""

    def __init__(self, md: markdown.Markdown, problems: list[str]) -> None:
        super().__init__(md)
        self.problems = problems

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for name in URL_ATTRIBUTES:
                value = element.get(name)
                if value is None:
                    continue
                problem = url_problem(as_written(self.md, value))
                if problem:
                    self.problems.append(problem)
                    del element.attrib[name]


class _NoRawHtml(Extension):
    """Raw HTML off (after every other extension has registered its patterns) and the URL rule on."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.preprocessors.deregister("html_block", strict=False)
        md.inlinePatterns.deregister("html", strict=False)
        md.treeprocessors.register(_Refused(md, self.problems), "sitegen-refused-urls", 1)


def as_written(md: markdown.Markdown, value: str) -> str:
    """An attribute value with Python-Markdown's placeholders (a stashed character reference, a
    backslash escape) put back as the author wrote them, so that a URL is checked as written."""
    stash = md.htmlStash.rawHtmlBlocks
    value = _STASHED.sub(lambda m: str(stash[int(m.group(1))]) if int(m.group(1)) < len(stash) else m.group(0), value)
    return _ESCAPED.sub(lambda m: chr(int(m.group(1))), value)


_STASHED = re.compile(util.STX + util.HTML_PLACEHOLDER % r"([0-9]+)" + util.ETX)
_ESCAPED = re.compile(util.STX + r"([0-9]+)" + util.ETX)


@dataclass(frozen=True)
class Rendered:
    html: str
    problems: tuple[str, ...]  # URLs refused, one message each


_PROBLEMS: list[str] = []
# Extensions are passed as objects: named by a string, Python-Markdown first looks for it among the
# entry points of every installed package, which costs a fifth of the start-up.
_INLINE = markdown.Markdown(extensions=[SmartyExtension(), AbbrExtension(), _NoRawHtml(_PROBLEMS)], output_format="html")
skip_impossible_patterns(_INLINE)
_LOCK = threading.Lock()  # one converter, one list of problems: one text at a time


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> Rendered:
    """Short Markdown as HTML without a wrapping paragraph, and the URLs it refused (or, for text
    nested deeper than the converter can follow or too long for its inline pass, the text escaped and why)."""
    too_deep = nesting_problem(text)
    refused = too_deep[1] if too_deep else text_length_problem(len(text))
    if refused:
        return Rendered(html_module.escape(text), (refused,))
    with _LOCK:
        _PROBLEMS.clear()
        _INLINE.reset()
        html = _INLINE.convert(text)
        problems = tuple(_PROBLEMS)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Rendered(html, problems)


def inline_markdown(text: str) -> str:
    """Short Markdown (a definition, a disclaimer) as HTML, without a wrapping paragraph."""
    return render_markdown(text).html


def markdown_problems(text: str) -> tuple[str, ...]:
    """What in a data file's Markdown field the renderer refuses (a link to `javascript:`…)."""
    return render_markdown(text).problems


def strip_tags(html: str) -> str:
    """HTML as the text it shows."""
    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def plain_text(markdown_text: str) -> str:
    """Markdown as plain text (for title attributes and meta descriptions)."""
    return strip_tags(inline_markdown(markdown_text)).strip()
