"""What an author's raw HTML can get wrong on a rendered page (the templates and the Markdown converter
make none of it): an id given twice, an inline event handler, an attribute whose URL runs script.
Each is a note (line, message, the id or attribute name the Markdown holds), reported at the line of
the page's Markdown that holds it when it is found there (see `origins.py`).

The scans read the page's visible HTML: comments and the bodies of script and style elements blanked
out, as browsers end them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import Problem
from ..core.urls import runs_script, url_scheme
from .origins import MarkdownOrigins

Note = tuple[int, str, str]  # line, message, what to look for in the page's Markdown

# A comment, or the body of a script or style element (group 1: its start tag, without the "<"), as
# browsers end them: a comment at "-->", "--!>", or at once for "<!-->" and "<!--->"; a script or
# style body at "</script" or "</style" followed by a space, "/" or ">".
# Starting with the literal "<" lets the regular expression engine skip to each "<" directly.
_HIDDEN = re.compile(r"<(?:!--(?:-?>|.*?--!?>)|((script|style)\b[^>]*>).*?(?=</\2[\s/>]))", re.DOTALL | re.IGNORECASE)

# Pages where an event handler or a script URL may be: only these are read attribute by attribute.
# Browsers end an attribute name at a space, "/" or after a quoted value, so "<p/onclick=…>" and
# '<p title="x"onclick=…>' carry a handler too. Both patterns start with a literal, which the
# regular expression engine finds at C speed, on the page lowercased once (browsers fold ASCII only).
_HANDLER_NAME = re.compile(r"on[a-z-]*\s*=")
_SCRIPT_URL_OR_REFERENCE = re.compile(r"script\s*:|&(?:#|tab;|newline;|colon;)")

# A start tag as browsers read it: a quoted value may hold "<" and ">" (possessive, so a tag left
# open costs one pass, not a search of every way to split it).
_START_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:[^>"'=]|=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+)|["'])*+)>""")
_ANY_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`]+)))?""")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})


def visible_html(text: str) -> str:
    """`text` with every comment and script or style body reduced to its line breaks (so lines still count alike)."""
    return _HIDDEN.sub(_blank_out, text)


def _blank_out(hidden: re.Match[str]) -> str:
    """A hidden stretch reduced to its line breaks (a script or style start tag kept)."""
    start_tag = hidden.group(1)
    if start_tag:
        return f"<{start_tag}" + "\n" * hidden.group(0).count("\n", len(start_tag) + 1)
    return "\n" * hidden.group(0).count("\n")


def distinct_ids(found: Iterable[tuple[int, str]]) -> tuple[set[str], list[Note]]:
    """The ids of a page, from each (line, id) it holds in order, and a note for each id given again."""
    ids: set[str] = set()
    notes: list[Note] = []
    for line, value in found:
        if value in ids:
            notes.append((line, f"duplicate id {value!r}: links to #{value} reach only its first use", value))
        elif value:
            ids.add(value)
    return ids, notes


def script_notes(visible: str) -> list[Note]:
    """A note for each inline event handler and each attribute whose URL runs script in the `visible` HTML."""
    if not _may_run_script(visible):
        return []
    notes: list[Note] = []
    line, position = 1, 0
    for tag in _START_TAG.finditer(visible):
        for name, double, single, bare in _ANY_ATTRIBUTE.findall(tag.group(2)):
            message = _script_message(tag.group(1), name, double or single or bare)
            if message:
                line += visible.count("\n", position, tag.start())
                position = tag.start()
                notes.append((line, message, name))
    return notes


def _may_run_script(visible: str) -> bool:
    """Whether `visible` may hold an inline event handler or a script URL (a quick over-estimate)."""
    lowered = visible.lower()
    if _SCRIPT_URL_OR_REFERENCE.search(lowered):
        return True
    return any(match.start() and (lowered[match.start() - 1] in "/\"'" or lowered[match.start() - 1].isspace()) for match in _HANDLER_NAME.finditer(lowered))


def _script_message(tag: str, name: str, value: str) -> str:
    """What is wrong with attribute `name`=`value` of a <`tag`> ("" for nothing)."""
    lowered = name.lower()
    if lowered.startswith("on"):
        return f"inline event handler {name}= on <{tag}>: the Content-Security-Policy blocks it; use static/ script"
    if lowered in _URL_ATTRIBUTES and runs_script(value):
        return f"{url_scheme(value)}: URL in <{tag} {name}>: the Content-Security-Policy blocks it; link to a page"
    return ""


def spelled_as_name(name: str) -> re.Pattern[str]:
    """How the Markdown spells an id or attribute `name`: `#name` (an attribute list, a link) or `name=`."""
    return re.compile(rf"#{re.escape(name)}\b|\b{re.escape(name)}\s*=", re.IGNORECASE)


def note_problems(notes: Iterable[Note], html_path: Path, origins: MarkdownOrigins | None) -> list[Problem]:
    """Each note as a problem: at the line of the page's Markdown (`origins`) that holds its name when
    that is found, else at its line of the HTML file `html_path`."""
    problems = []
    for line, message, name in notes:
        written = origins.of(name) if origins is not None else None
        problems.append(Problem(*written, message) if written else Problem.at(html_path, line, message))
    return problems
