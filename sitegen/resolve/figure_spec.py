"""What a figure block of a page says: the YAML inside a ```` ```chart ```` or ```` ```timeline ```` fence,
read with the project's one schema check into a `Figure`, every problem at its line of the page.

A figure is a bar chart (`bar`), a chart of bars in pairs (`paired-bar`: two series side by side) or a
timeline of stages in order (`timeline`). Every value carries its citation, written as in the text
(`cite: "[@003:p15]"`); a value without one is an error at its line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import BuildError, Problems
from ..load.fields import Fields, describe
from ..load.schema import LIST, TEXT, TEXT_OR_NUMBER, Key, Kind, Schema, read_mapping
from ..load.yaml_files import YamlDocument, parse_yaml
from .citations import BRACKET, CitationKey, CitationSyntaxError, FoundCitation, parse_items
from .page_state import LinkProblem

FENCES = {"chart": ("bar", "paired-bar"), "timeline": ("timeline",)}  # the fence's word, and the kinds it may hold
MAX_VALUES = 24  # bars, pairs or stages in one figure
MAX_TEXT = 160  # characters of a title, label or duration
NUMBER = Kind("a number", lambda value: isinstance(value, (int, float)) and not isinstance(value, bool))


def _kind_check(value: str) -> str:
    kinds = [kind for kinds in FENCES.values() for kind in kinds]
    return "" if value in kinds else f"'kind' must be one of {', '.join(kinds)}, not {value!r}"


def _number_check(value: float) -> str:
    return "" if math.isfinite(value) and value >= 0 else f"must be a number of zero or more, not {value!r}"


FIGURE = Schema((
    Key("kind", TEXT, required=True, check=_kind_check),
    Key("title", TEXT, required=True),
    Key("description", TEXT),
    Key("axis", TEXT),  # what the bars measure, or what the timeline runs through
    Key("unit", TEXT),
    Key("labels", TEXT),  # what the labels are: the heading of the table's first column
    Key("max", NUMBER, check=_number_check),
    Key("series", LIST),  # paired-bar: the names of the two series
    Key("values", LIST, required=True),
))
BAR = Schema((Key("label", TEXT_OR_NUMBER, required=True), Key("value", NUMBER, required=True, check=_number_check), Key("cite", TEXT, required=True)))
PAIR = Schema((Key("label", TEXT_OR_NUMBER, required=True), Key("pair", LIST, required=True)))
PAIRED = Schema((Key("value", NUMBER, required=True, check=_number_check), Key("cite", TEXT, required=True)))
STAGE = Schema((Key("label", TEXT_OR_NUMBER, required=True), Key("duration", TEXT, required=True), Key("cite", TEXT, required=True)))


@dataclass(frozen=True)
class Value:
    """One cited value: a number (bars) or words (a stage's duration), and the citations it carries."""

    number: float
    words: str
    keys: tuple[CitationKey, ...]
    locators: tuple[str, ...] = ()  # of each key, as in the text ("" for none)


@dataclass(frozen=True)
class Entry:
    """One bar, one pair of bars (two values) or one stage."""

    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Figure:
    kind: str
    title: str
    description: str
    axis: str
    unit: str
    labels: str
    maximum: float  # the end of the value axis (0 for a timeline)
    series: tuple[str, ...]
    entries: tuple[Entry, ...]

    def shown(self, number: float) -> str:
        """`number` as the figure writes it, with its unit."""
        text = str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else format(number, ".6g")
        if not self.unit:
            return text
        return f"{text}{self.unit}" if self.unit in ("%", "‰") else f"{text}\u00a0{self.unit}"


@dataclass(frozen=True)
class ParsedFigure:
    """A block's figure (None when it has problems), its problems and the citations its values carry."""

    figure: Figure | None
    problems: tuple[LinkProblem, ...]
    citations: tuple[FoundCitation, ...]


class _Reader:
    """Reads one block's document, adding each problem at its line of the page."""

    def __init__(self, doc: YamlDocument, source: str) -> None:
        self.doc = doc
        self.fields = Fields(Path(source), doc, Problems())
        self.citations: list[FoundCitation] = []

    def add(self, at: tuple[Any, ...], message: str) -> None:
        self.fields.problems.add(self.fields.path, self.doc.line(*at), message)

    def mapping(self, data: object, schema: Schema, at: tuple[Any, ...], label: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.add(at, f"{label} must be a mapping, not {describe(data)}")
            return None
        values = read_mapping(self.fields, data, schema, at)
        for key in schema.keys:
            if key.kind in (TEXT, TEXT_OR_NUMBER) and values[key.name] is not None:
                values[key.name] = self.text(str(values[key.name]), (*at, key.name), key.name)  # a label may be a year: 2018
        return values

    def text(self, value: str, at: tuple[Any, ...], name: str) -> str:
        text = self.fields.text(value, at, repr(name))
        if len(text) > MAX_TEXT:
            self.add(at, f"{name!r} is {len(text)} characters long: keep it within {MAX_TEXT}")
        return text

    def cite(self, written: str, at: tuple[Any, ...]) -> tuple[tuple[CitationKey, ...], tuple[str, ...]]:
        """The citations of `cite: "[@…]"`, written as in the text, and their locators."""
        match = BRACKET.fullmatch(written.strip())
        if match is None:
            self.add(at, f"'cite' must be a citation written as in the text, such as \"[@000:p12]\", not {written!r}")
            return (), ()
        try:
            items = parse_items(match.group(1))
        except CitationSyntaxError as exc:
            self.add(at, str(exc))
            return (), ()
        keys = tuple(item.key for item in items)
        self.citations.append(FoundCitation(self.doc.line(*at), keys, "", match.group(1)))
        return keys, tuple(item.locator for item in items)

    def problems(self) -> tuple[LinkProblem, ...]:
        return tuple(LinkProblem(problem.line, problem.message) for problem in self.fields.problems.items)


def parse_figure(fence: str, text: str, first_line: int, source: str) -> ParsedFigure:
    """The figure of a ```` ```{fence} ```` block whose YAML `text` starts at line `first_line` of page `source`."""
    try:
        doc = parse_yaml(text, Path(source), first_line)
    except BuildError as error:
        return ParsedFigure(None, tuple(LinkProblem(p.line, f"{fence} block: {p.message}") for p in error.problems), ())
    reader = _Reader(doc, source)
    top = reader.mapping(doc.data, FIGURE, (), f"a {fence} block")
    figure = _figure(reader, fence, top) if top is not None else None
    problems = reader.problems()
    return ParsedFigure(None if problems else figure, problems, tuple(reader.citations))


def _figure(reader: _Reader, fence: str, top: dict[str, Any]) -> Figure | None:
    kind = top["kind"]
    if kind is None:
        return None
    if kind not in FENCES[fence]:
        reader.add(("kind",), f"a ```{fence} block holds {' or '.join(FENCES[fence])}, not {kind!r}: write it in a ```{_fence_of(kind)} block")
        return None
    if kind != "timeline" and not top["axis"]:
        reader.add((), "missing required key 'axis': say what the bars measure")
    entries = _entries(reader, kind, top["values"])
    series = _series(reader, kind, top["series"])
    numbers = [value.number for entry in entries for value in entry.values]
    maximum = _maximum(reader, top["max"], numbers) if kind != "timeline" else 0.0
    labels = top["labels"] or ("Stage" if kind == "timeline" else "Item")
    return Figure(kind, top["title"], top["description"] or "", top["axis"] or "", top["unit"] or "", labels, maximum, series, entries)


def _fence_of(kind: str) -> str:
    return next(fence for fence, kinds in FENCES.items() if kind in kinds)


def _entries(reader: _Reader, kind: str, values: list[Any] | None) -> tuple[Entry, ...]:
    if not values:
        return ()
    if len(values) > MAX_VALUES:
        reader.add(("values",), f"{len(values)} values: a figure shows at most {MAX_VALUES}; split it in two")
        return ()
    read = {"bar": _bar, "paired-bar": _pair, "timeline": _stage}[kind]
    return tuple(entry for index, item in enumerate(values) if (entry := read(reader, item, ("values", index))) is not None)


def _bar(reader: _Reader, item: object, at: tuple[Any, ...]) -> Entry | None:
    data = reader.mapping(item, BAR, at, "each value")
    if data is None or data["value"] is None or data["cite"] is None:
        return None
    return Entry(data["label"] or "", (Value(data["value"], "", *reader.cite(data["cite"], (*at, "cite"))),))


def _pair(reader: _Reader, item: object, at: tuple[Any, ...]) -> Entry | None:
    data = reader.mapping(item, PAIR, at, "each value")
    if data is None or data["pair"] is None:
        return None
    if len(data["pair"]) != 2:
        reader.add((*at, "pair"), f"'pair' must hold two values (one of each series), not {len(data['pair'])}")
        return None
    values = []
    for index, one in enumerate(data["pair"]):
        value = reader.mapping(one, PAIRED, (*at, "pair", index), "each value of a pair")
        if value is not None and value["value"] is not None and value["cite"] is not None:
            values.append(Value(value["value"], "", *reader.cite(value["cite"], (*at, "pair", index, "cite"))))
    return Entry(data["label"] or "", tuple(values)) if len(values) == 2 else None


def _stage(reader: _Reader, item: object, at: tuple[Any, ...]) -> Entry | None:
    data = reader.mapping(item, STAGE, at, "each stage")
    if data is None or data["duration"] is None or data["cite"] is None:
        return None
    return Entry(data["label"] or "", (Value(0.0, data["duration"], *reader.cite(data["cite"], (*at, "cite"))),))


def _series(reader: _Reader, kind: str, series: list[Any] | None) -> tuple[str, ...]:
    if kind != "paired-bar":
        if series is not None:
            reader.add(("series",), f"'series' names the two series of a paired-bar chart; a {kind} has none")
        return ()
    if series is None or len(series) != 2:
        reader.add(("series",), "a paired-bar chart needs 'series': the names of its two series, such as [Before, After]")
        return ()
    return tuple(
        reader.text(name, ("series", index), "series") if isinstance(name, str) else _not_text(reader, index, name) for index, name in enumerate(series)
    )


def _not_text(reader: _Reader, index: int, name: object) -> str:
    reader.add(("series", index), f"each of 'series' must be text, not {describe(name)}")
    return ""


def _maximum(reader: _Reader, written: float | None, numbers: list[float]) -> float:
    """The end of the value axis: `max` as written (no value may pass it), else a round number at or above the largest value."""
    largest = max(numbers, default=0.0)
    if written is not None:
        if largest > written:
            reader.add(("max",), f"'max' is {written!r} but a value is {largest!r}: the axis must reach every value")
        return float(written) or 1.0
    return nice_ceiling(largest)


def nice_ceiling(number: float) -> float:
    """The smallest of 1, 2, 2.5, 5 and 10 times a power of ten that is at least `number` (1 for zero)."""
    if number <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(number))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= number)
