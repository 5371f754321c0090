"""A short hint after PyYAML's own words for the syntax errors authors make most: a tab, a colon in an
unquoted value, a missing space after a colon, an indentation that drifts, a value starting with a
character YAML reserves, a quote or bracket left open."""

from __future__ import annotations

import re

_KEY_WITHOUT_SPACE = re.compile(r"^\s*(?:-\s+)?[\w.-]+:(?![\s/])\S")  # `title:Welcome` (not `url: http://`)
_SECOND_COLON = re.compile(r"^(?P<key>\s*(?:-\s+)?[^\s:'\"#][^:#]*):\s+(?P<value>[^'\"\s][^#]*?:(?:\s.*|$))")  # `title: Part one: the basics`
_RESERVED_START = re.compile(r"found (?:character '(?P<char>[@`%|>])' that cannot start any token|undefined alias)")


def syntax_hint(problem: str, lines: list[str], line: int) -> str:
    """A hint for the YAML error `problem` PyYAML reported at `line` (0-based) of `lines`, or ""."""
    here = lines[line] if 0 <= line < len(lines) else ""
    before = lines[line - 1] if 0 < line <= len(lines) else ""
    if "'\\t'" in problem:
        return "YAML indents with spaces, never tabs: replace the tab with spaces"
    for text in (here, before):
        if problem in ("mapping values are not allowed here", "could not find expected ':'") and _KEY_WITHOUT_SPACE.match(text):
            return f"put a space after the colon in {text.strip()!r}"
    second_colon = _SECOND_COLON.match(here)
    if problem == "mapping values are not allowed here" and second_colon:
        value = second_colon["value"].strip()
        example = f'{second_colon["key"].strip()}: "{value}"' if '"' not in value and "\\" not in value else 'title: "Part one: the basics"'
        return f'a value that holds ": " must be quoted: {example}'
    reserved = _RESERVED_START.search(problem)
    if reserved:
        return f"a value starting with {reserved['char'] or '*'} must be quoted"
    if problem.startswith("expected <block end>, but found '<scalar>'") and "'" in here:
        return "a quote inside a value in single quotes is written twice ('it''s'), or use double quotes"
    if problem.startswith("expected <block end>") or problem == "mapping values are not allowed here":
        return "check the indentation: the keys of one mapping start in the same column"
    if problem.startswith(("expected ',' or ']'", "expected ',' or '}'")):
        return "a [list] or {mapping} is not closed; quote a value that starts with [ or {"
    if problem == "found unexpected end of stream":
        return "a quoted value is not closed"
    return ""
