"""Saved HTML pages as numbered text lines, for the article reader.

The page is parsed by lxml's HTML parser (libxml2: well kept, tolerant of the tag soup of real
pages, no network, no entity expansion from outside). Its text is laid out as a browser's "save as
text" would: every block element (paragraph, heading, list item, table row, ``figcaption``,
``br`` ...) starts a new line, inline elements run on; scripts, styles and templates are dropped.
Each line keeps the number of the source line where its text starts, so a finding about a photo
block points at the line of the ``.html`` file to open.
"""

from __future__ import annotations

from lxml import etree, html

#: Elements that start a new line of text.
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    ]
)
#: Elements whose text is never shown.
HIDDEN = frozenset({"script", "style", "template", "noscript", "head", "title"})


def html_lines(text: str) -> list[tuple[int, str]]:
    """The page's text as (source line, text) pairs, one per block, in document order."""
    if not text.strip():
        return []
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return []
    lines: list[tuple[int, str]] = []
    current: list[str] = []
    where = [1]

    def flush() -> None:
        joined = " ".join("".join(current).split())
        if joined:
            lines.append((where[0], joined))
        current.clear()

    def add(piece: str | None, line: int | None) -> None:
        if piece and piece.strip():
            if not current:  # only pieces with text are kept: this one starts the line
                where[0] = line or where[0]
            current.append(piece)

    def visit(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in HIDDEN:
            return
        block = tag in BLOCKS
        if block:
            flush()
        add(element.text, element.sourceline)
        for child in element:
            visit(child)
            add(child.tail, child.sourceline)
        if block:
            flush()

    visit(root)
    flush()
    return lines
