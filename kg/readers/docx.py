"""Word reports (.docx): python-docx, paragraphs and tables in document order, one paragraph a line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kg.model import Document
from kg.readers import ReadConfig, ReadError, make_document, read_bytes, unpacked_limit


def docx_text(source) -> str:
    """The text of a DOCX package (a path or a binary file object)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(source if hasattr(source, "read") else str(source))
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


def check_unpacked_size(path: Path, data: bytes, config: ReadConfig) -> None:
    """Refuse a package whose members unpack to more than ``--max-bytes`` in all (a zip bomb: a few
    hundred KB of XML that inflate to gigabytes), before anything is unpacked. zipfile never yields more
    bytes than a member's recorded size (a member that inflates beyond it fails its CRC check), so the
    recorded sizes bound what python-docx can unpack."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        unpacked_limit(path, sum(info.file_size for info in package.infolist()), config, "the package unpacks")


def read_docx(path: Path, config: ReadConfig) -> Document:
    data = read_bytes(path, config)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(path, "a legacy Word .doc file, not .docx; save it as .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(path, "not a DOCX file (not a ZIP package)")
    try:
        check_unpacked_size(path, data, config)
        text = docx_text(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(path, f"not a readable DOCX ({type(exc).__name__}: {str(exc)[:160]})") from None
    except Exception as exc:
        if type(exc).__name__ == "PackageNotFoundError":
            raise ReadError(path, "not a Word document (no word/document.xml in the package)") from None
        raise
    return make_document(path, data, text, reader="docx", encoding="n/a")
