"""kg.lexicon.first_char_guard and EndGuarded: a lookahead on a pattern's first characters, and a test of
the last character of the text for a pattern whose matches end at $, change no match."""

import random
import re

from kg.lexicon import EndGuarded, end_guard, first_char_guard

PATTERNS = [
    r"(?P<a>地区生产总值|生产总值)|(?P<b>(?:全社会)?固定资产投资)|(?<!人均)GDP",
    r"(?:县级|区级)?一般公共预算(?=增长)",
    r"\d+(?:万|亿)?元",
    r"(?<=增加值)(?:[、和及与])(?P<t0>总产值)",
    r"(?:新|改)?建(?:设|成)?[^，。]{0,4}项目$",
    r"^(?:[（(]?[一二三]{1,2}[)）])?(?P<x>[a-c]+)\1?",
]


def _texts(seed: int, alphabet: str, count: int, longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(count)]


def _same_matches(plain: re.Pattern, guarded, text: str) -> None:
    assert ([(m.span(), m.groups()) for m in guarded.finditer(text)]
            == [(m.span(), m.groups()) for m in plain.finditer(text)]), (plain.pattern, text)
    assert guarded.sub("", text) == plain.sub("", text)


def test_guarded_patterns_match_the_same():
    texts = _texts(7, "地区生产总值固定资产投资全社会人均GDP县级一般公共预算增长0123456789万亿元增加值、和及总新改建设成项目，。（(一二三)）abc",
                   3000, 30)
    for source in PATTERNS:
        plain = re.compile(source)
        guarded = first_char_guard(plain)
        assert guarded.groupindex == plain.groupindex and guarded.groups == plain.groups
        for text in texts:
            _same_matches(plain, guarded, text)
            m1, m2 = plain.match(text, 2), guarded.match(text, 2)
            assert (m1 and m1.span()) == (m2 and m2.span())


def test_patterns_sre_already_scans_for_or_that_match_empty_are_left_alone():
    for source in (r"项目|项", r"[甲乙]丙", r"x?", r"(?i)ab|c", r".a", r"[^a]b"):
        plain = re.compile(source)
        assert first_char_guard(plain) is plain, source
    assert first_char_guard(re.compile(PATTERNS[0])).pattern.startswith("(?=[")


END_PATTERNS = [
    r"(?:新|改)?建(?:设|成)?[^，。]{0,4}项目$",
    r"(?:产业园|公园|大道|路)(?:[（(][^）)]{1,12}[）)])?$",
    r"(?:(?:主体)?(?:建设|改造)|(?:正式|基本))+$",
    r"(?<=园)区$|(?:东|西)延$",
    r"^\d+(?:个|项)$",
]


def test_end_guarded_patterns_match_the_same():
    texts = _texts(11, "新改建设成项目产业园公园大道路主体造正式基本区东西延个0123456789，。（(一二三)）\n", 4000, 16)
    for source in END_PATTERNS:
        plain = re.compile(source)
        last = end_guard(plain)
        assert last is not None, source
        guarded = EndGuarded(first_char_guard(plain), last)
        assert guarded.pattern == first_char_guard(plain).pattern and guarded.groups == plain.groups
        for text in texts:
            _same_matches(plain, guarded, text)
            for method in ("search", "match", "fullmatch"):
                m1, m2 = getattr(plain, method)(text), getattr(guarded, method)(text)
                assert (m1 and m1.span()) == (m2 and m2.span()), (source, method, text)
            assert guarded.split(text) == plain.split(text)


def test_patterns_not_all_ending_at_the_end_get_no_end_guard():
    for source in (r"路$|街", r"a?$", r"(?m)路$", r"[^路]$", r".$", r"[一-鿿]$", r"路\Z"):
        assert end_guard(re.compile(source)) is None, source
