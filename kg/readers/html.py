"""Web pages (.html/.htm): the main text only, without menus, footers and scripts.

The bytes are decoded like text reports (BOM, the page's ``<meta charset>``, detection), then
trafilatura picks the main content (it works on the string given: nothing is fetched). When it finds
no main content, or takes far less than the page's body holds (a page that is one long report), the
body's text is used instead: lxml, with script/style/nav/header/footer removed and one line per block.
"""

from __future__ import annotations

from pathlib import Path

from kg.model import Document
from kg.readers import ReadConfig, ReadError, make_document, read_bytes
from kg.readers.encoding import DecodeError, decode, declared_encoding

_SKIP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
         "select", "iframe", "svg", "head")
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
           "blockquote", "pre", "dd", "dt", "td", "th", "ul", "ol", "center")
#: When trafilatura keeps less than this share of the body's text, the body's text is used.
MIN_MAIN_SHARE = 0.6


def main_text(html: str) -> tuple[str, str]:
    """``(text, method)``: the page's main text, one block per line; method is trafilatura or body."""
    body = body_text(html)
    try:
        import trafilatura

        main = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                                   include_links=False, include_images=False, favor_recall=True,
                                   with_metadata=False, deduplicate=False)
    except Exception:  # trafilatura gives up on odd markup; the body text is still there
        main = None
    if main and len(_letters(main)) >= MIN_MAIN_SHARE * len(_letters(body)):
        return main, "trafilatura"
    return body, "body"


def body_text(html: str) -> str:
    """The text of the page's body, one line per block element, without scripts, menus and footers."""
    import lxml.html
    from lxml import etree

    try:
        # huge_tree: libxml2 otherwise stops at 256 levels of nesting and the text below is lost
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter(etree.Comment, etree.ProcessingInstruction, *_SKIP)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag == "br":
            continue
        el.text = "\n" + (el.text or "")
    body = root.find("body")
    text = (body if body is not None else root).text_content()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def read_html(path: Path, config: ReadConfig) -> Document:
    data = read_bytes(path, config)
    try:
        html, encoding, warnings = decode(data, declared=declared_encoding(data))
    except DecodeError as exc:
        raise ReadError(path, str(exc)) from None
    text, method = main_text(html)
    if not text.strip():
        raise ReadError(path, "no text in the page's body")
    return make_document(path, data, text, reader="html", encoding=encoding, warnings=warnings)
