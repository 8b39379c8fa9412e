"""Word reports (.docx): python-docx, paragraphs and tables in document order, one paragraph a line."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kg.model import Document
from kg.readers import ReadConfig, ReadError, make_document


def docx_text(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells))  # merged cells repeat
                lines.append("\t".join(c for c in cells if c))
    return "\n".join(lines)


def read_docx(path: Path, config: ReadConfig) -> Document:
    data = path.read_bytes()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(path, "a legacy Word .doc file, not .docx; save it as .docx")
    if not zipfile.is_zipfile(path):
        raise ReadError(path, "not a DOCX file (not a ZIP package)")
    try:
        text = docx_text(path)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(path, f"not a readable DOCX ({type(exc).__name__}: {str(exc)[:160]})") from None
    except Exception as exc:
        if type(exc).__name__ == "PackageNotFoundError":
            raise ReadError(path, "not a Word document (no word/document.xml in the package)") from None
        raise
    return make_document(path, data, text, reader="docx", encoding="n/a")
