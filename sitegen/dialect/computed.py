"""The computed-figure marker of our Markdown: `about 12 %{computed: 3 of 25}` says that the number
just before it was worked out by the author (from what the marker names) rather than read in a
source. Rendered as visible text after the number ("(computed from 3 of 25)"); the check of numbers
leaves the computed number alone and checks the numbers of its explanation like any other.

`{computed` that does not continue as `: explanation}` on the same line is malformed: an error at
its line.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\{computed:[ \t]*([^{}\n]*?)[ \t]*\}")
OPENING = re.compile(r"\{[ \t]*computed\b")  # where a marker starts, well formed or not
SHOWN = "computed from"  # the words put before the explanation on the page

MALFORMED = "malformed computed marker: write it right after the number, as {computed: what it was computed from}"


def marker_problem(text: str, start: int) -> tuple[str, int]:
    """At `start` of `text`, where `OPENING` matched: ("", end of the marker) when it is well formed
    and its explanation is not empty, else (the message, the end of what was read)."""
    match = MARKER.match(text, start)
    if match is None:
        return MALFORMED, start + 1
    if not match.group(1).strip():
        return "computed marker without an explanation: say what the figure was computed from, as {computed: 3 of 25}", match.end()
    return "", match.end()
