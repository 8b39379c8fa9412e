"""Shared helpers of the view tests: a report whose names carry markup, and what a page holds."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: A report whose project names, award title and sentences carry markup and quotes. Whitespace is
#: removed from names, so the <img> uses slashes (still a valid tag for an HTML parser). If any of it
#: ran, window.pwned would be set.
EVIL_REPORT = """政府工作报告

——2024年1月10日在平顶山市石龙区第六届人民代表大会第四次会议上

平顶山市石龙区人民政府区长 张三

一、2023年工作回顾

全年地区生产总值增长5.1%。实施了<img/src=x/onerror=window.pwned=1>产业园"建设"、<script>window.pwned=2</script>工程等2个项目。宏达'<img/src=x/onerror=window.pwned=3>'科技公司荣获“全国<img/src=x/onerror=window.pwned=4>先进企业”称号。

二、2024年工作安排

地区生产总值增长6%左右。
"""


class _Tags(HTMLParser):
    """Every tag and attribute of a page as an HTML parser sees it (script and style bodies are text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def fetched_references(html: str) -> list[str]:
    """Markup that makes a browser fetch something: external scripts, stylesheets, images, frames,
    links to http(s) or protocol-relative URLs, CSS url()/@import pointing outside the page."""
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in ("link", "iframe", "embed", "object", "base"):
            found.append(f"<{tag}>")
        if tag == "script" and attrs.get("src"):
            found.append(f"<script src={attrs['src']}>")
        for name in ("src", "href", "action", "poster", "srcset", "data"):
            value = (attrs.get(name) or "").strip().lower()
            if value.startswith(("http:", "https:", "//", "ftp:")):
                found.append(f"<{tag} {name}={value}>")
    found += re.findall(r"url\(\s*['\"]?\s*(?:https?:)?//[^)]*\)", html, re.I)
    found += re.findall(r"@import[^;]*;", html, re.I)
    return found


def page_data(path: Path) -> dict:
    """The JSON data block a graph page carries."""
    html = path.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="gwr-data">(.*?)</script>', html, re.S)
    assert m, f"{path}: no data block"
    return json.loads(m.group(1))


def build_evil_site(tmp_path_factory, name: str):
    """Build EVIL_REPORT (markup in project and award names) into a fresh folder; return the folder."""
    from kg.build import build

    src = tmp_path_factory.mktemp(f"{name}-src")
    (src / "evil-2024.txt").write_text(EVIL_REPORT, encoding="utf-8")
    out = tmp_path_factory.mktemp(name)
    result = build([src], out, progress=False)
    assert result.ok, result.summary()
    return out
