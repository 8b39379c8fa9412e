"""kg.lexicon.first_char_guard: a lookahead on a pattern's first characters changes no match."""

import random
import re

from kg.lexicon import first_char_guard

PATTERNS = [
    r"(?P<a>地区生产总值|生产总值)|(?P<b>(?:全社会)?固定资产投资)|(?<!人均)GDP",
    r"(?:县级|区级)?一般公共预算(?=增长)",
    r"\d+(?:万|亿)?元",
    r"(?<=增加值)(?:[、和及与])(?P<t0>总产值)",
    r"(?:新|改)?建(?:设|成)?[^，。]{0,4}项目$",
    r"^(?:[（(]?[一二三]{1,2}[)）])?(?P<x>[a-c]+)\1?",
]


def test_guarded_patterns_match_the_same():
    rng = random.Random(7)
    alphabet = list("地区生产总值固定资产投资全社会人均GDP县级一般公共预算增长0123456789万亿元增加值、和及总新改建设成项目，。（(一二三)）abc")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    for source in PATTERNS:
        plain = re.compile(source)
        guarded = first_char_guard(plain)
        assert guarded.groupindex == plain.groupindex and guarded.groups == plain.groups
        for text in texts:
            assert ([(m.span(), m.groups()) for m in guarded.finditer(text)]
                    == [(m.span(), m.groups()) for m in plain.finditer(text)]), (source, text)
            assert guarded.sub("", text) == plain.sub("", text)
            m1, m2 = plain.match(text, 2), guarded.match(text, 2)
            assert (m1 and m1.span()) == (m2 and m2.span())


def test_patterns_sre_already_scans_for_or_that_match_empty_are_left_alone():
    for source in (r"项目|项", r"[甲乙]丙", r"x?", r"(?i)ab|c", r".a", r"[^a]b"):
        plain = re.compile(source)
        assert first_char_guard(plain) is plain, source
    assert first_char_guard(re.compile(PATTERNS[0])).pattern.startswith("(?=[")
