"""Extraction: each kind of document becomes one block per paragraph, headings kept as headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.intake.extract import Block, extract, pdf_paragraphs

ARTICLE_PAGE = """<!doctype html>
<html><head><title>Cold Water Swimming - Example Health</title>
<meta property="og:site_name" content="Example Health"><meta name="date" content="2024-03-05">
<link rel="canonical" href="https://example.org/cold-water"></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li><li><a href="/shop">Shop</a></li></ul></nav>
<article>
<h1>Cold Water Swimming</h1>
<p>Swimming in cold water makes the heart beat faster at first, and the breath comes in gasps for a minute or two.</p>
<h2>What to bring</h2>
<p>A warm hat, a towel and dry clothes that are easy to put on with cold hands make the time after a swim safer.</p>
</article>
<footer><p>Copyright 2024 Example Health. All rights reserved. Privacy policy.</p></footer>
</body></html>
"""


def minimal_pdf(pages: list[str]) -> bytes:
    """A PDF with one line of Helvetica text on each page, its cross-reference table computed."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        page_number, content_number = len(objects) + 1, len(objects) + 2
        kids.append(f"{page_number} 0 R")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_number} 0 R /Resources << /Font << /F1 FONT 0 R >> >> >>")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode('latin-1')}\nendstream")
    font_number = len(objects) + 1
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body.replace('FONT', str(font_number))}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_html_keeps_the_article_and_leaves_out_navigation_and_footer() -> None:
    found = extract(Path("page.html"), ARTICLE_PAGE.encode())
    texts = [block.text for block in found.blocks]
    assert texts[0] == "Cold Water Swimming"
    assert any(text.startswith("Swimming in cold water") for text in texts)
    assert not any("About us" in text or "Copyright" in text for text in texts)


def test_html_headings_are_heading_blocks_and_paragraphs_are_not() -> None:
    found = extract(Path("page.html"), ARTICLE_PAGE.encode())
    kinds = {block.text: block.heading for block in found.blocks}
    assert kinds["What to bring"] is True
    assert kinds[next(text for text in kinds if text.startswith("A warm hat"))] is False


def test_html_gives_the_title_publisher_date_and_address_the_page_states() -> None:
    found = extract(Path("page.html"), ARTICLE_PAGE.encode())
    assert (found.title, found.publisher, found.date, found.url) == ("Cold Water Swimming", "Example Health", "2024-03-05", "https://example.org/cold-water")
    assert found.extractor.startswith("trafilatura ")


def test_pdf_text_is_read_page_by_page() -> None:
    found = extract(Path("report.pdf"), minimal_pdf(["The first page says one thing.", "The second page says another."]))
    assert [block.text for block in found.blocks] == ["The first page says one thing.", "The second page says another."]
    assert found.extractor.startswith("pypdf ")


def test_pdf_lines_of_one_paragraph_are_joined_and_a_short_last_line_ends_it() -> None:
    page = "This paragraph runs over two lines of the page\nand ends here.\nA second paragraph starts on the next line of the page."
    assert pdf_paragraphs(page) == ["This paragraph runs over two lines of the page and ends here.", "A second paragraph starts on the next line of the page."]


def test_a_file_that_is_not_a_pdf_is_one_clear_problem() -> None:
    with pytest.raises(BuildError) as raised:
        extract(Path("broken.pdf"), b"%PDF-1.4 not really")
    assert "PDF" in raised.value.problems[0].message


def test_markdown_is_read_as_rendered_text_with_its_headings() -> None:
    text = "# Title of the note\n\nA paragraph with *emphasis* and a [link](https://example.org)\nover two lines.\n\n## Part two\n\n- An item of a list.\n"
    found = extract(Path("note.md"), text.encode())
    assert found.blocks == (
        Block("Title of the note", True), Block("A paragraph with emphasis and a link over two lines.", False),
        Block("Part two", True), Block("An item of a list.", False),
    )
    assert found.title == "Title of the note"


def test_plain_text_paragraphs_are_split_at_blank_lines_and_their_lines_joined() -> None:
    found = extract(Path("notes.txt"), b"Heading\n\nFirst line\nsecond line.\n\nAnother paragraph.\n")
    assert [block.text for block in found.blocks] == ["Heading", "First line second line.", "Another paragraph."]


def test_an_unknown_kind_of_file_is_refused_by_its_extension() -> None:
    with pytest.raises(BuildError) as raised:
        extract(Path("sheet.xlsx"), b"data")
    assert ".html, .pdf, .md or .txt" in raised.value.problems[0].message


def test_a_document_without_text_is_refused() -> None:
    with pytest.raises(BuildError) as raised:
        extract(Path("empty.md"), b"\n\n")
    assert "no text" in raised.value.problems[0].message
