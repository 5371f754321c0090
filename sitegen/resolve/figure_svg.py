"""The drawing of a figure as inline SVG: pure, from a `Figure` and the citation marks of its values to
an element tree, the same bytes for the same input.

Figures are drawn for a narrow column first (360 units wide, text in the page's font at 14 units): bars
run across with their labels above them, a timeline runs down the page, so nothing needs to shrink on a
phone. Colours come from the theme's classes (`figure-…` in its stylesheet), never from attributes, and
the second series of a paired chart is hatched as well as coloured. Text widths are estimated (the
renderer cannot measure the reader's font), generously, to wrap labels and leave room after a bar.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as etree  # noqa: N813 (the name Python-Markdown uses)
from collections.abc import Sequence
from dataclasses import dataclass

from markdown.util import AtomicString

from .figure_spec import Entry, Figure, nice_ceiling

WIDTH = 360
FONT = 14
LINE = 18  # the distance between lines of text
BAR = 16  # the thickness of a bar
_CHARACTER = 0.58  # the width of an average character, in ems (generous for system fonts)
_SEEN_ONLY = {"aria-hidden": "true"}  # what the image's description already says
_RESERVED = "\x00"  # stands for a character of the citation marks while a text is wrapped


@dataclass(frozen=True)
class Mark:
    """A citation's superscript as the text shows it: its number in brackets and the reference it links."""

    text: str
    href: str


Marks = Sequence[Sequence[Sequence[Mark]]]  # by entry, by value of the entry


def draw(figure: Figure, marks: Marks, figure_id: str) -> etree.Element:
    """The figure as an `<svg>` element: the drawing an image (`role="img"`) labelled by its title and
    description, which says every value; beside it the values as the eye reads them, with their citation
    links, hidden from assistive technology and from the keyboard, which reach the same links in the
    figure's table (links inside an image would be controls nested in one)."""
    svg = etree.Element("svg")
    height = _timeline(svg, figure, marks) if figure.kind == "timeline" else _bars(svg, figure, marks, figure_id)
    svg.set("viewBox", f"0 0 {WIDTH} {_n(height)}")
    image = etree.Element("g", {"role": "img", "aria-labelledby": f"{figure_id}-title {figure_id}-desc"})
    _add_text(image, "title", figure.title, id=f"{figure_id}-title")
    _add_text(image, "desc", description(figure), id=f"{figure_id}-desc")
    for child in list(svg):
        if child.tag != "defs" and child.get("class") != "figure-values":
            svg.remove(child)
            image.append(child)
    svg.insert(1 if len(svg) and svg[0].tag == "defs" else 0, image)
    return svg


def description(figure: Figure) -> str:
    """What the figure shows, in words: the author's description, then every value."""
    if figure.kind == "timeline":
        values = "; ".join(f"{index}. {entry.label}: {entry.values[0].words}" for index, entry in enumerate(figure.entries, start=1))
        said = f"{len(figure.entries)} stages, in order. {values}."
    else:
        shown = (", ".join(f"{name} {figure.shown(value.number)}" for name, value in zip(figure.series, entry.values, strict=True))
                 if figure.kind == "paired-bar" else figure.shown(entry.values[0].number) for entry in figure.entries)
        values = "; ".join(f"{entry.label}: {words}" for entry, words in zip(figure.entries, shown, strict=True))
        said = f"{_axis_title(figure)}: {values}."
    return f"{figure.description} {said}" if figure.description else said


def _layers(svg: etree.Element, names: Sequence[str], **attributes: dict[str, str]) -> dict[str, etree.Element]:
    """A group for each of `names`, painted in that order, each classed `figure-<name>`: what it holds is styled once."""
    return {name: etree.SubElement(svg, "g", {"class": f"figure-{name}", **attributes.get(name.replace("-", "_"), {})}) for name in names}


def _drop_empty(svg: etree.Element) -> None:
    for group in [child for child in svg if child.tag == "g" and not len(child)]:
        svg.remove(group)


def _bars(svg: etree.Element, figure: Figure, marks: Marks, figure_id: str) -> float:
    """Draws a bar or paired-bar chart into `svg`; returns its height."""
    if figure.kind == "paired-bar":
        _hatch(svg, figure_id)
    hatched = {"fill": f"url(#{figure_id}-hatch)"}
    layers = _layers(svg, ("grid", "series-1", "series-2", "labels", "ticks", "axis-title", "values"),
                     series_2=hatched, ticks={"text-anchor": "middle"}, values=_SEEN_ONLY)
    shapes: dict[str, list[str]] = {"series-1": [], "series-2": []}  # each series' bars, drawn as one path
    top = _legend(layers, shapes, figure.series) if figure.kind == "paired-bar" else 0.0
    pairs = [pair for entry, entry_marks in zip(figure.entries, marks, strict=True) for pair in zip(entry.values, entry_marks, strict=True)]
    room = max((_width(figure.shown(value.number) + "".join(mark.text for mark in value_marks)) for value, value_marks in pairs), default=0)
    length = WIDTH - min(WIDTH / 2, room + 10)
    chart_top = top
    for entry, entry_marks in zip(figure.entries, marks, strict=True):
        top = _bar_group(layers, shapes, figure, entry, entry_marks, top, length)
    for name, drawn in shapes.items():
        if drawn:
            etree.SubElement(layers[name], "path", {"d": "".join(drawn)})
    _axis(svg, layers, figure, chart_top, top, length)
    _drop_empty(svg)
    return top + LINE * (1 + len(_wrap(_axis_title(figure), WIDTH))) + 6


def _bar_group(
    layers: dict[str, etree.Element], shapes: dict[str, list[str]], figure: Figure, entry: Entry, marks: Sequence[Sequence[Mark]], top: float, length: float,
) -> float:
    """One entry: its label, then its bar or pair of bars, each with its value and citations; returns the next entry's top."""
    for line in _wrap(entry.label, WIDTH):
        top += LINE
        _add_text(layers["labels"], "text", line, y=_n(top - 4))
    top += 4
    for index, (value, value_marks) in enumerate(zip(entry.values, marks, strict=True)):
        size = max(1.0, value.number / figure.maximum * length) if value.number else 0.0
        shapes[f"series-{index + 1}"].append(_box(0, top, size, BAR))
        text = _add_text(layers["values"], "text", figure.shown(value.number), x=_n(size + 5), y=_n(top + BAR - 3.5))
        _add_marks(text, value_marks)
        top += BAR + 4
    return top + 6


def _axis(svg: etree.Element, layers: dict[str, etree.Element], figure: Figure, chart_top: float, bottom: float, length: float) -> None:
    """The value axis under the bars: a line, round numbers and the axis's title; grid lines behind the bars."""
    step = nice_ceiling(figure.maximum / 4)
    count = int(figure.maximum / step + 1e-9)
    xs = [index * step / figure.maximum * length for index in range(count + 1)]
    etree.SubElement(layers["grid"], "path", {"d": "".join(f"M{_n(x)} {_n(chart_top + 4)}V{_n(bottom)}" for x in xs)})
    etree.SubElement(layers["grid"], "path", {"class": "figure-axis", "d": f"M0 {_n(bottom)}H{_n(length)}"})
    for index, x in enumerate(xs):
        tick = _add_text(layers["ticks"], "text", figure.shown(index * step), x=_n(x), y=_n(bottom + LINE - 2))
        if index == 0:
            tick.set("text-anchor", "start")
    for number, line in enumerate(_wrap(_axis_title(figure), WIDTH), start=2):
        _add_text(layers["axis-title"], "text", line, y=_n(bottom + number * LINE))


def _axis_title(figure: Figure) -> str:
    return f"{figure.axis} ({figure.unit})" if figure.unit else figure.axis


def _legend(layers: dict[str, etree.Element], shapes: dict[str, list[str]], series: Sequence[str]) -> float:
    """One row for each series: a swatch of its bars and its name; returns the height it takes."""
    top = 0.0
    for index, name in enumerate(series):
        shapes[f"series-{index + 1}"].append(_box(0, top + 3, BAR, BAR - 2))
        for line in _wrap(name, WIDTH - 24):
            _add_text(layers["labels"], "text", line, x="24", y=_n(top + 14))
            top += LINE
        top += 2
    return top + 4


def _hatch(svg: etree.Element, figure_id: str) -> None:
    """The diagonal hatching of the second series."""
    defs = etree.SubElement(svg, "defs")
    pattern = etree.SubElement(defs, "pattern", {
        "id": f"{figure_id}-hatch", "width": "6", "height": "6", "patternUnits": "userSpaceOnUse", "patternTransform": "rotate(45)",
    })
    etree.SubElement(pattern, "rect", {"width": "6", "height": "6", "class": "figure-hatch-ground"})
    etree.SubElement(pattern, "path", {"d": "M0 0V6", "class": "figure-hatch-line"})


def _timeline(svg: etree.Element, figure: Figure, marks: Marks) -> float:
    """Draws the stages down the page, numbered and joined by a line; returns the height."""
    layers = _layers(svg, ("track", "stages", "numbers", "labels", "axis-title", "values"), numbers={"text-anchor": "middle"}, values=_SEEN_ONLY)
    top, centres = 0.0, []
    for number, (entry, entry_marks) in enumerate(zip(figure.entries, marks, strict=True), start=1):
        centres.append(top + 12)
        etree.SubElement(layers["stages"], "circle", {"cx": "12", "cy": _n(top + 12), "r": "11"})
        _add_text(layers["numbers"], "text", str(number), x="12", y=_n(top + 17))
        for line in _wrap(entry.label, WIDTH - 34):
            _add_text(layers["labels"], "text", line, x="34", y=_n(top + 17))
            top += LINE
        room = _RESERVED * sum(len(mark.text) for mark in entry_marks[0])  # the marks' room on the last line
        for line in _wrap(entry.values[0].words + room, WIDTH - 34):
            text = _add_text(layers["values"], "text", line.replace(_RESERVED, ""), x="34", y=_n(top + 17))
            top += LINE
        _add_marks(text, entry_marks[0])
        top += 14
    if len(centres) > 1:
        etree.SubElement(layers["track"], "path", {"d": "".join(f"M12 {_n(upper + 11)}V{_n(lower - 11)}" for upper, lower in itertools.pairwise(centres))})
    for line in _wrap(figure.axis, WIDTH) if figure.axis else ():
        _add_text(layers["axis-title"], "text", line, y=_n(top + 10))
        top += LINE
    _drop_empty(svg)
    return top


def _box(x: float, y: float, width: float, height: float) -> str:
    """A rectangle as a piece of a path."""
    return f"M{_n(x)} {_n(y)}h{_n(width)}v{_n(height)}H{_n(x)}z" if width else ""


def _add_marks(text: etree.Element, marks: Sequence[Mark]) -> None:
    """The citations of a value at the end of its text: superscript links, as in the text (`.cite > a`)."""
    if not marks:
        return
    raised = etree.SubElement(text, "tspan", {"class": "cite", "dy": "-5"})
    for mark in marks:
        _add_text(raised, "a", mark.text, href=mark.href, tabindex="-1")


def _add_text(parent: etree.Element, tag: str, words: str, **attributes: str) -> etree.Element:
    element = etree.SubElement(parent, tag, attributes)
    element.text = AtomicString(words)
    return element


def _width(text: str, size: float = FONT) -> float:
    return len(text) * size * _CHARACTER


def _wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """`text` in lines that fit `width` (by the estimate), broken at spaces; a word longer than a line is broken where it must."""
    most = max(1, int(width / (size * _CHARACTER)))
    lines: list[str] = []
    for word in text.split():
        while len(word) > most:
            lines.append(word[:most])
            word = word[most:]
        if lines and len(lines[-1]) + 1 + len(word) <= most:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _n(number: float) -> str:
    """A coordinate, to a tenth of a unit, without a needless ".0"."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text
