"""kg.segment: jieba-rs cuts the words jieba's default mode cuts, with the pipeline's added words.

Compared with ``jieba.lcut`` itself, in this process (the pipeline has added its trigger words to both
dictionaries), on every report at hand — the seeds, and the dev reports read in place from
``../shared/dev`` when present — and on generated text mixing their characters with digits, Latin
letters, symbols and whitespace.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import segment

ROOT = Path(__file__).resolve().parent.parent
DEV_REPORTS = ROOT.parent / "shared" / "dev" / "reports"


def jieba_words(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(text) if w]


def report_paths() -> list[Path]:
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    if DEV_REPORTS.is_dir():
        paths += sorted(DEV_REPORTS.glob("*.txt"))
    return paths


@pytest.mark.parametrize("path", report_paths(), ids=lambda p: p.stem)
def test_reports_cut_as_jieba_cuts_them(nlp, path):
    text = path.read_text(encoding="utf-8", errors="replace")
    assert segment.cut(text) == jieba_words(text)


def test_the_dev_reports_are_compared_when_present():
    if not DEV_REPORTS.is_dir():
        pytest.skip(f"the dev reports are not beside the clone ({DEV_REPORTS}); CI has them")
    assert len(report_paths()) > len(list((ROOT / "seeds").glob("*.txt")))


@pytest.mark.parametrize("text, words", [
    ("2020-2035年", ["2020", "-", "2035", "年"]),      # jieba-rs alone keeps 2020-2035 whole
    ("装机6.5GW", ["装机", "6.5", "GW"]),              # and 6.5GW
    ("增长30%以上", ["增长", "30%", "以上"]),
    ("A-1地块", jieba_words("A-1地块")),
])
def test_latin_runs_split_as_jieba_splits_them(nlp, text, words):
    assert segment.cut(text) == words == jieba_words(text)


def test_added_trigger_words_are_cut_whole_in_both(nlp):
    from kg.nlp import trigger_words

    word = max((w for ws in trigger_words().values() for w in ws), key=len)
    text = f"甲乙{word}丙丁"
    assert word in segment.cut(text)
    assert segment.cut(text) == jieba_words(text)


def _alphabet() -> str:
    seeds = (ROOT / "seeds").glob("*.txt")
    chars = sorted(set("".join(p.read_text(encoding="utf-8") for p in seeds)))
    return "".join(chars) + "0123456789.-%+#&_ABCxyz \u3000\n"


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet=_alphabet(), min_size=1, max_size=80))
def test_generated_text_cut_as_jieba_cuts_it(nlp, text):
    assert segment.cut(text) == jieba_words(text)


_DICTIONARY = """
import hashlib, sys, jieba
jieba.setLogLevel(60)
jieba.dt.tmp_dir = sys.argv[1]
if sys.argv[2] == "kg":
    from kg.segment import jieba_dictionary
    dt = jieba_dictionary()
else:
    dt = jieba.dt
    dt.check_initialized()
assert dt.initialized and jieba.marshal.__name__ == "marshal"
print(hashlib.sha256(repr((sorted(dt.FREQ.items()), dt.total)).encode()).hexdigest(), jieba.lcut("推进高标准农田建设项目"))
"""


def test_jiebas_dictionary_loads_as_jieba_loads_it(tmp_path):
    """kg.segment.jieba_dictionary reads jieba's cache file whole before decoding it (jieba's own
    marshal.load reads a file a few bytes at a time): the same table and total as jieba loads, from a
    cache jieba wrote and from one it writes itself when there is none."""
    import subprocess
    import sys

    def load(folder, how):
        done = subprocess.run([sys.executable, "-c", _DICTIONARY, str(folder), how], capture_output=True,
                              text=True, cwd=ROOT, check=True)
        return done.stdout

    jiebas = tmp_path / "by-jieba"
    ours = tmp_path / "by-kg"
    jiebas.mkdir()
    ours.mkdir()
    expected = load(jiebas, "jieba")  # jieba builds the table and writes its cache file
    assert (jiebas / "jieba.cache").is_file()
    assert load(jiebas, "kg") == expected  # read from the cache jieba wrote
    assert load(ours, "kg") == expected  # no cache yet: built, and the cache written through kg
    assert (ours / "jieba.cache").is_file() and load(ours, "jieba") == expected  # which jieba reads back
