"""Extraction: the text of a document brought as a source (HTML, PDF, Markdown, plain text) as the
blocks of a seed, one per paragraph or heading, with what the document says of itself (title,
publisher, date, address) and the extractor that read it. The libraries load only when used."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..core.errors import BuildError
from ..core.files import decode_text

FORMATS = (".html", ".htm", ".pdf", ".md", ".markdown", ".txt")
_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = {"p", "li", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption"}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Block:
    """One passage to be: its text on one line, and whether the document marks it a heading (None: it does not say)."""

    text: str
    heading: bool | None = None


@dataclass(frozen=True)
class Extracted:
    """What a document gave: its blocks in reading order and what it says of itself ("" where it says nothing)."""

    blocks: tuple[Block, ...]
    extractor: str  # the library and its version, such as "trafilatura 2.3.1"
    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""


def one_line(text: str) -> str:
    """`text` with every run of white space (line breaks included) made one space, stripped."""
    return _SPACE.sub(" ", text).strip()


def extract(path: Path, data: bytes) -> Extracted:
    """The blocks of the document `data` read from `path`, by its file-name extension; a problem at `path` when it has none or no text."""
    suffix = path.suffix.lower()
    readers = {".html": _html, ".htm": _html, ".pdf": _pdf, ".md": _markdown, ".markdown": _markdown, ".txt": _plain_text}
    if suffix not in readers:
        raise BuildError.at(path, 0, f"cannot read {suffix or 'a file without an extension'}: bring an .html, .pdf, .md or .txt file")
    found = readers[suffix](path, data)
    blocks = tuple(block for block in found.blocks if block.text)
    if not blocks:
        raise BuildError.at(path, 0, "no text found in the document: a seed needs at least one passage")
    return Extracted(blocks, found.extractor, found.title, found.publisher, found.date, found.url)


def _library(name: str) -> str:
    try:
        return f"{name} {version(name)}"
    except PackageNotFoundError:
        return name


def _html(path: Path, data: bytes) -> Extracted:
    """The main text of a web page (no navigation, no boilerplate), by trafilatura, as XML read here."""
    import xml.etree.ElementTree as ElementTree

    import trafilatura

    markup = trafilatura.extract(data, output_format="xml", with_metadata=True, include_comments=False, include_tables=True, favor_precision=True)
    if not markup:
        raise BuildError.at(path, 0, "no article text found in the page (only navigation or boilerplate)")
    root = ElementTree.fromstring(markup)
    main = root.find("main")
    blocks = [] if main is None else list(_xml_blocks(main))
    return Extracted(
        tuple(blocks), _library("trafilatura"), one_line(root.get("title", "")), one_line(root.get("sitename", "") or root.get("hostname", "")),
        root.get("date", "") or "", root.get("url", "") or "",
    )


def _xml_blocks(element: object) -> list[Block]:
    """The blocks of trafilatura's XML: `head` elements are headings, `p`, list items and cells paragraphs."""
    blocks: list[Block] = []
    for child in element:  # type: ignore[attr-defined]
        if child.tag == "head":
            blocks.append(Block(one_line("".join(child.itertext())), True))
        elif child.tag in {"p", "item", "cell", "quote", "code"} and not any(grand.tag in {"list", "row", "table"} for grand in child):
            blocks.append(Block(one_line("".join(child.itertext())), False))
        else:
            blocks.extend(_xml_blocks(child))
    return blocks


def _pdf(path: Path, data: bytes) -> Extracted:
    """The text of a PDF page by page, by pypdf; paragraphs at blank lines and where a short line ends a sentence."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise BuildError.at(path, 0, f"not a PDF that can be read: {one_line(str(exc)) or type(exc).__name__}") from None
    blocks = [Block(paragraph) for text in pages for paragraph in pdf_paragraphs(text)]
    title = one_line(str(info.get("/Title", "") or ""))
    publisher = one_line(str(info.get("/Author", "") or ""))
    created = re.match(r"^D:(\d{4})(\d{2})(\d{2})", str(info.get("/CreationDate", "") or ""))
    date = "-".join(created.groups()) if created else ""
    return Extracted(tuple(blocks), _library("pypdf"), title, publisher, date)


def pdf_paragraphs(text: str) -> list[str]:
    """The paragraphs of one page's extracted text: lines joined, split at blank lines and after a
    clearly short line that ends a sentence (the last line of a paragraph)."""
    paragraphs: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        widest = max((len(line) for line in lines), default=0)
        current: list[str] = []
        for line in lines:
            current.append(line)
            if line.endswith((".", "!", "?", ":")) and len(line) < 0.7 * widest:
                paragraphs.append(one_line(" ".join(current)))
                current = []
        if current:
            paragraphs.append(one_line(" ".join(current)))
    return paragraphs


def _markdown(path: Path, data: bytes) -> Extracted:
    """Markdown rendered by Python-Markdown, then read block by block as text (headings kept as headings)."""
    import markdown

    html = markdown.markdown(decode_text(data, path), extensions=["tables"])
    reader = _HtmlBlocks()
    reader.feed(html)
    reader.close()
    title = next((block.text for block in reader.blocks if block.heading), "")
    return Extracted(tuple(reader.blocks), _library("Markdown"), title)


class _HtmlBlocks(HTMLParser):
    """Plain HTML (what Markdown renders) read as blocks: the text of each heading and innermost text block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._open: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS or tag in _HEADING_TAGS:
            self._flush()
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS or tag in _HEADING_TAGS:
            self._flush()
            if tag in self._open:
                del self._open[self._open.index(tag):]

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def _flush(self) -> None:
        text = one_line("".join(self._text))
        if text and self._open:
            self.blocks.append(Block(text, self._open[-1] in _HEADING_TAGS))
        self._text = []


def _plain_text(path: Path, data: bytes) -> Extracted:
    """Plain text: paragraphs at blank lines, lines joined; a file without blank lines has one paragraph a line."""
    text = decode_text(data, path)
    chunks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text.strip()) else text.split("\n")
    return Extracted(tuple(Block(one_line(chunk)) for chunk in chunks), "plain text")
