"""Typed fields of the data files (`site.yaml`, `seeds/sources.yaml`, `content/glossary.yaml`,
`content/references.yaml`, front matter): text, URLs, Markdown and dates.

Each reader takes the value YAML gave and returns it in its type, or adds a problem at the line of
its key and returns a harmless default, so a list where text belongs is `path:line: message`, never
a Python repr on a page, and an impossible date is never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import Problems
from ..core.urls import url_problem
from ..dialect.data import markdown_problems
from .yaml_files import YamlDocument

# C0 and C1 controls but tab and line feed, lone surrogates (from a YAML "\ud800" escape, which no
# UTF-8 page can hold) and the two non-characters U+FFFE and U+FFFF.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def describe(value: object) -> str:
    """What kind of YAML value `value` is, in the words of a message."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def text_problem(value: object, label: str, numbers: bool = False) -> str:
    """Why `value` is not text for the field `label` ("" when it is); `numbers`: a whole number is text too."""
    if isinstance(value, int) and not isinstance(value, bool) and numbers:
        return ""
    if not isinstance(value, str):
        return f"{label} must be text, not {describe(value)}"
    bad = _FORBIDDEN.search(value)
    if bad:
        return f"{label} holds the control character U+{ord(bad.group(0)):04X}: remove it"
    return ""


def date_problem(value: object, label: str, partial: bool = False) -> tuple[str, str]:
    """`value` as an ISO date (YYYY-MM-DD, or with `partial` also YYYY-MM or YYYY), and "" — or "" and why not."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), ""
    form = "YYYY-MM-DD, YYYY-MM or YYYY" if partial else "YYYY-MM-DD"
    if not isinstance(value, str):
        return "", f"{label} must be a date {form}, not {describe(value)}"
    text = value.strip()
    match = _PARTIAL_DATE.match(text)
    if match is None or (not partial and match.group(3) is None):
        return "", f"{label} must be a date {form}, not {value!r}"
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    try:
        dt.date(year, month, day)
    except ValueError as exc:
        return "", f"{label} {value!r} is not a date of the calendar ({exc}): write a real date as {form}"
    return text, ""


@dataclass
class Fields:
    """Reads the fields of one data file, adding each problem at its line to `problems`."""

    path: Path
    doc: YamlDocument
    problems: Problems

    def text(self, value: object, keys: tuple[Any, ...], label: str, numbers: bool = False, default: str = "") -> str:
        """`value` as text, stripped (`default` for an absent value, or when it is not text)."""
        if value is None:
            return default
        problem = text_problem(value, label, numbers)
        if problem:
            self.problems.add(self.path, self.doc.line(*keys), problem)
            return default
        return str(value).strip()

    def words(self, value: object, keys: tuple[Any, ...], label: str) -> tuple[str, ...]:
        """A list of non-empty texts (one text alone counts as a list of one)."""
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list):
            self.problems.add(self.path, self.doc.line(*keys), f"{label} must be a list of texts, not {describe(value)}")
            return ()
        found = []
        for index, item in enumerate(items):
            where = (*keys, index) if not isinstance(value, str) else keys
            problem = text_problem(item, f"each of {label}")
            if problem or not str(item).strip():
                self.problems.add(self.path, self.doc.line(*where), problem or f"each of {label} must be non-empty text")
                continue
            found.append(str(item).strip())
        return tuple(found)

    def url(self, value: object, keys: tuple[Any, ...], label: str) -> str:
        """`value` as a URL the site may link to ("" when absent or refused)."""
        text = self.text(value, keys, label)
        problem = url_problem(text) if text else ""
        if problem:
            self.problems.add(self.path, self.doc.line(*keys), f"{label}: {problem}")
            return ""
        return text

    def markdown(self, value: object, keys: tuple[Any, ...], label: str) -> str:
        """`value` as inline Markdown whose links and images keep to the URL rule."""
        text = self.text(value, keys, label)
        for problem in markdown_problems(text) if text else ():
            self.problems.add(self.path, self.doc.line(*keys), f"{label}: {problem}")
        return text

    def date(self, value: object, keys: tuple[Any, ...], label: str, partial: bool = False) -> str:
        """`value` as an ISO date ("" when absent or not a date)."""
        if value is None:
            return ""
        iso, problem = date_problem(value, label, partial)
        if problem:
            self.problems.add(self.path, self.doc.line(*keys), problem)
        return iso

    def whole_number(self, value: object, keys: tuple[Any, ...], label: str, low: int, high: int) -> int | None:
        """`value` as a whole number from `low` to `high` (None when it is not one)."""
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problems.add(self.path, self.doc.line(*keys), f"{label} must be a number from {low} to {high}, not {value!r}"[:300])
            return None
        return value
