"""Writers of real report files for the reader tests: HTML pages, PDFs (reportlab) and DOCX (python-docx).

Each takes a seed report's text (UTF-8, paragraphs one per line) and lays it out as a person would
find it: the HTML page has a menu, a breadcrumb and a footer around the report; the PDF wraps
paragraphs at the page width (so sentences break across lines and pages), with a running header and
page numbers; the DOCX has one paragraph per line, headings in heading styles.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def is_heading(para: str) -> bool:
    return bool(_HEADING.match(para)) and len(para) <= 40 and "。" not in para


def write_html(text: str, path: Path, *, encoding: str = "utf-8", title: str = "政府工作报告") -> Path:
    blocks = []
    for para in paragraphs(text):
        tag = "h2" if is_heading(para) else "p"
        blocks.append(f"<{tag}>{html.escape(para)}</{tag}>")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{encoding}"><title>{html.escape(title)}</title>
<style>body {{ font-family: sans-serif; }}</style><script>var _hmt = _hmt || []; window.track && track("pv");</script>
</head><body>
<header><div class="logo">某某区人民政府门户网站</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li>
<li><a href="/hdjl/">互动交流</a></li></ul></nav></header>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府工作报告</div>
<div class="article"><h1>{html.escape(title)}</h1><div class="info">发布时间：2024-01-15 来源：区政府办 浏览次数：1024</div>
<div id="zoom" class="content">
{chr(10).join(blocks)}
</div></div>
<aside><h3>相关链接</h3><ul><li><a href="/a">国务院</a></li><li><a href="/b">省人民政府</a></li></ul></aside>
<footer><p>主办：某某区人民政府办公室 地址：某某路1号 电话：0000-1234567</p>
<p>网站标识码：4104040001 备案号：豫ICP备00000000号</p></footer>
</body></html>
"""
    path.write_bytes(page.encode(encoding))
    return path


def write_pdf(text: str, path: Path, *, header: str = "政府工作报告") -> Path:
    """A real PDF: reportlab with its bundled STSong-Light CID font, CJK word wrap, running header
    and page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK",
                          firstLineIndent=24)
    heading = ParagraphStyle("heading", parent=body, fontSize=14, leading=24, firstLineIndent=0,
                             spaceBefore=6, spaceAfter=6)

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 12 * mm, header)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {doc.page} —")
        canvas.restoreState()

    story = []
    for para in paragraphs(text):
        story.append(Paragraph(html.escape(para), heading if is_heading(para) else body))
        story.append(Spacer(1, 2))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, title=header,
                            invariant=1)  # invariant: no timestamps, same bytes every run
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def write_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for para in paragraphs(text):
        if is_heading(para):
            document.add_heading(para, level=1)
        else:
            document.add_paragraph(para)
    document.save(str(path))
    return path
