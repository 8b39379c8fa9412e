"""Text normalization: reports as they really come (OCR, markdown, mixed punctuation)."""

from __future__ import annotations

import pytest

from kg.normalize import normalize, normalize_name, strip_project_suffix


@pytest.mark.parametrize("raw, expected", [
    ("地区生产总值 增长 6 . 5 %", "地区生产总值增长6.5%"),  # OCR spaces
    ("青禾 OLED 显示 材料", "青禾OLED显示材料"),  # Latin kept, spaces around it dropped
    ("完成投资1.2亿元,增长5%;", "完成投资1.2亿元，增长5%；"),  # half-width punctuation
    ("ＧＤＰ增长５％", "GDP增长5%"),  # full-width letters and digits
    ("## 一、2024年工作回顾", "一、2024年工作回顾"),  # markdown heading
    ("**聚力抓项目**，成效明显。", "聚力抓项目，成效明显。"),  # bold
    ("CO<sub>2</sub>排放下降", "CO2排放下降"),  # sub tags
    ("获评省级示范[1]。", "获评省级示范。"),  # footnote marker
    ("推进“互联网十政务服务”", "推进“互联网+政务服务”"),  # 十 standing for +
    ("建成 Wi Fi 热点 3 000 个", "建成Wi Fi热点3000个"),  # one space between Latin words kept
    ("A  B 区 间", "AB区间"),  # a longer run goes even between Latin letters
    ("增长 12 % ,其中 2 .5 个百分点", "增长12%，其中2.5个百分点"),  # spaces inside a number
    ("县长??李明\u3000报告", "县长李明报告"),  # ?? for a lost full-width space, an ideographic space
    ("(一)项目:3个;(二)", "（一）项目：3个；（二）"),  # ASCII punctuation beside Chinese
    ("比例1:2,即100MW/200MWh", "比例1:2，即100MW/200MWh"),  # ... but not between digits or Latin
    ("中\u200b国\u00ad科\U000e0001技\x07园", "中国科技园"),  # format and control characters go
])
def test_normalize_cases(raw, expected):
    assert normalize(raw) == expected


def test_page_headers_and_toc_lines_are_dropped():
    raw = "目录\n一、工作回顾…………3\n— 2 —\n各位代表：\n第 3 页\n现在，我代表区人民政府报告工作。"
    text = normalize(raw)
    assert "………" not in text and "— 2 —" not in text and "第3页" not in text
    assert "各位代表：" in text


def test_lines_broken_inside_a_sentence_are_joined():
    raw = "全区上下团结奋进，经济运行\n稳中向好，\n社会大局保持稳定。\n二、2025年工作安排"
    assert normalize(raw) == "全区上下团结奋进，经济运行稳中向好，社会大局保持稳定。\n二、2025年工作安排"


def test_idempotent():
    raw = "## 政府工作报告\n\n  各位代表:\n现在 , 我代表 区人民政府 报告工作[2]。"
    once = normalize(raw)
    assert normalize(once) == once


def test_names():
    assert normalize_name(" “ 青禾 食品 ” ") == "青禾食品"
    assert strip_project_suffix("滨河公园改造工程") == "滨河公园改造"
    assert strip_project_suffix("项目") == "项目"


def test_a_paragraph_opening_with_a_section_marker_still_joins_its_broken_last_line():
    raw = "（五）推进绿色发展，生态持续改善。全年完成造林800亩，桂\n\n花村成功创建市级森林乡村。"
    assert normalize(raw) == "（五）推进绿色发展，生态持续改善。全年完成造林800亩，桂花村成功创建市级森林乡村。"


def test_a_short_subheading_stays_on_its_own_line():
    assert normalize("（二）抓项目、强服务\n项目建设扎实推进。") == "（二）抓项目、强服务\n项目建设扎实推进。"


def test_the_characters_nfkc_is_split_at_are_inert_starters():
    """kg.normalize.nfkc hands NFKC the text between characters of _NFKC_INERT apart: each such
    character must be one NFKC leaves alone, a starter (combining class 0), and no canonical
    composition's second part, so that nothing before it can join it (by this Python's Unicode data)."""
    import re
    import sys
    import unicodedata

    from kg.normalize import _NFKC_INERT

    seconds = set()
    for code in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<") and len(decomposition.split()) == 2:
            seconds.add(chr(int(decomposition.split()[1], 16)))
    inert = re.compile(f"[{_NFKC_INERT}]")
    members = [chr(c) for c in range(0x10000) if inert.fullmatch(chr(c))]
    assert len(members) > 20_000
    for ch in members:
        assert unicodedata.normalize("NFKC", ch) == ch and unicodedata.combining(ch) == 0, hex(ord(ch))
        assert ch not in seconds and not "\u1100" <= ch <= "\u11ff", hex(ord(ch))  # (Hangul jamo compose too)


def test_the_chinese_marks_nfkc_replaces_first_are_what_nfkc_makes_ascii():
    """nfkc replaces the Chinese marks of ,;:()!? by the ASCII marks before it looks at pieces: NFKC's
    own mapping of each (full-width forms)."""
    import unicodedata

    from kg.normalize import _ASCII_TO_ZH

    for ascii_mark, zh_mark in _ASCII_TO_ZH.items():
        assert unicodedata.normalize("NFKC", zh_mark) == ascii_mark, zh_mark


def _punct_by_neighbours(text: str) -> str:
    """The rule, one mark at a time: an ASCII mark of ,;:()!? becomes Chinese when the character before it
    is a Chinese character, a Chinese mark or %, or the one after it a Chinese character or mark."""
    from kg.normalize import _ASCII_TO_ZH, _ZH_PUNCT

    def chinese(ch: str) -> bool:
        return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"

    out = []
    for i, ch in enumerate(text):
        before, after = text[i - 1] if i else "", text[i + 1] if i + 1 < len(text) else ""
        if ch in _ASCII_TO_ZH and ((before and (chinese(before) or before in _ZH_PUNCT + "%"))
                                   or (after and (chinese(after) or after in _ZH_PUNCT))):
            ch = _ASCII_TO_ZH[ch]
        out.append(ch)
    return "".join(out)


def test_ascii_marks_become_chinese_by_their_neighbours():
    """kg.normalize._ascii_punct_to_zh (one translation, the marks that stay ASCII put back) is the rule
    applied mark by mark: on generated strings and on every report at hand."""
    import random
    import unicodedata
    from pathlib import Path

    from kg.normalize import _ascii_punct_to_zh

    assert _ascii_punct_to_zh("共1,000(万)元:增长5%,其中(1)a,b") == "共1,000（万）元：增长5%，其中（1)a,b"
    alphabet = ",;:()!?a1 %中\u3400\u9fff\uf900\ufaff\u33ff\ufb00，。、；：？！“”‘’（）《》【】—…·\n-]^\\"
    rnd = random.Random(7)
    for _ in range(50_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8)))
        assert _ascii_punct_to_zh(text) == _punct_by_neighbours(text), ascii(text)
    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "seeds").glob("*.txt")) + sorted((root.parent / "shared" / "dev" / "reports").glob("*.txt")):
        text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8", errors="replace"))
        assert _ascii_punct_to_zh(text) == _punct_by_neighbours(text), path.name


_NFKC_ALPHABET = ("abce ,.;:()1２３ＡＢ，。；：（）！？　、“”—·…①Ⅱ²½ﬁΩÅ\u0301\u0308\u0327\u0323\u309a\u3099か"
                  "\u1100\u1161\u11a8가\u0b47\u0b3e\u0bc6\u0bbe\u0dd9\u0dcf\u1b05\u1b35\U00011099\U000110ba"
                  "政府工作报告中国十\ufeff\u200b")


@pytest.mark.parametrize("seed", range(4))
def test_nfkc_piece_by_piece_is_nfkc(seed):
    """nfkc gives what unicodedata.normalize("NFKC") gives: on generated strings of characters that
    compose (Latin letters and combining marks, kana and voicing marks, Hangul jamo, Indic vowel signs
    that are starters), compatibility forms and the characters it splits at; and on every report at
    hand (the seeds, the dev reports in place when present)."""
    import random
    import unicodedata
    from pathlib import Path

    from kg.normalize import nfkc

    rnd = random.Random(seed)
    for _ in range(20_000):
        text = "".join(rnd.choice(_NFKC_ALPHABET) for _ in range(rnd.randint(0, 10)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), ascii(text)
    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "seeds").glob("*.txt")) + sorted((root.parent / "shared" / "dev" / "reports").glob("*.txt"))
    for path in paths[seed::4]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert nfkc(text) == unicodedata.normalize("NFKC", text), path.name
        assert nfkc(normalize(text)) == unicodedata.normalize("NFKC", normalize(text)), path.name
