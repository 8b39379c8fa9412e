"""Rules are data: every word list lives once, in a TOML lexicon file, and code compiles it.

A lexicon is one file ``<name>.toml``: tables of word lists (and, under tables named ``patterns``,
lists of regular-expression fragments for shapes a word list cannot say, such as ``\\d{1,2}月底前``).
The built-in lexicons ship as package data in ``kg/lexicons/``; a folder named by ``--lexicon DIR``
(or the ``GWR_KG_LEXICON`` environment variable, several folders joined by ``os.pathsep``) is looked
in first, so a user edits a copy of one file without touching the package::

    lex = load("projects")
    lex.words("status.completed")        # the words as written, in file order
    lex.alt("status.completed")          # '(?:w1|w2|…)': escaped, longest first
    lex.regex("patterns.deadline")       # '(?:\\d{1,2}月底前|…)': fragments joined as they are

A relation from another package names its own lexicon as ``"package:name"`` (``package/name.toml``);
a user folder still overrides it by ``name.toml``. Keys are dotted paths into the file's tables. A missing file or key raises :class:`LexiconError`
naming the file and the key, never a bare ``KeyError``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, TypeVar

LEXICON_ENV = "GWR_KG_LEXICON"
PACKAGE = "kg.lexicons"


class LexiconError(LookupError):
    """A lexicon file or key that does not exist, or a file that is not valid TOML."""


@dataclass(frozen=True)
class Lexicon:
    name: str
    source: str  # the file it was read from, for messages
    data: Mapping[str, Any] = field(repr=False)

    def get(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise LexiconError(f"{self.source}: no key {key!r} in lexicon {self.name!r}")
            node = node[part]
        return node

    def has(self, key: str) -> bool:
        try:
            self.get(key)
        except LexiconError:
            return False
        return True

    def words(self, *keys: str) -> tuple[str, ...]:
        """The words under one or more keys, in file order, each once."""
        out: dict[str, None] = {}
        for key in keys:
            value = self.get(key)
            if isinstance(value, Mapping):
                raise LexiconError(f"{self.source}: {key!r} in lexicon {self.name!r} is a table, not a word list")
            for word in value if isinstance(value, list) else [value]:
                out.setdefault(str(word), None)
        return tuple(out)

    def table(self, key: str) -> dict[str, Any]:
        value = self.get(key)
        if not isinstance(value, Mapping):
            raise LexiconError(f"{self.source}: {key!r} in lexicon {self.name!r} is not a table")
        return dict(value)

    def alt(self, *keys: str) -> str:
        """A non-capturing alternation of the words under ``keys``, escaped, longest first."""
        return alternation(self.words(*keys))

    def regex(self, *keys: str) -> str:
        """A non-capturing alternation of the regular-expression fragments under ``keys``."""
        return "(?:" + "|".join(self.words(*keys)) + ")"


def alternation(words: Iterable[str]) -> str:
    """``(?:a|b)`` of ``words`` escaped, longest first (so 投入使用 wins over 投入)."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(map(re.escape, unique)) + ")"


# The raw value of LEXICON_ENV, only to tell values apart: ``os.environ.get`` encodes the key and decodes
# the value on every call (2 µs), and extractors ask once per sentence and candidate. CPython's
# os.environ keeps its values in a dict (``_data``, keys encoded), which setting or deleting a variable
# updates in place; elsewhere, os.environ.get itself.
if hasattr(os.environ, "encodekey") and isinstance(getattr(os.environ, "_data", None), dict):
    _env_token = partial(os.environ._data.get, os.environ.encodekey(LEXICON_ENV))
else:  # pragma: no cover
    _env_token = partial(os.environ.get, LEXICON_ENV)


_DIRS: dict[object, tuple[Path, ...]] = {}


def user_dirs() -> tuple[Path, ...]:
    token = _env_token()
    found = _DIRS.get(token)  # parse each value of the variable once
    if found is None:
        value = os.environ.get(LEXICON_ENV, "")
        found = _DIRS[token] = tuple(Path(p) for p in value.split(os.pathsep) if p)
    return found


def set_user_dirs(dirs: Iterable[Path | str]) -> None:
    """Look in ``dirs`` first (``kg build --lexicon DIR``); the environment carries it to worker processes."""
    dirs = [str(Path(d)) for d in dirs]
    for d in dirs:
        if not Path(d).is_dir():
            raise LexiconError(f"{d}: lexicon folder not found")
    if dirs:
        os.environ[LEXICON_ENV] = os.pathsep.join(dirs)
    else:
        os.environ.pop(LEXICON_ENV, None)
    _load.cache_clear()
    _FAST.clear()


def _read(name: str, dirs: tuple[Path, ...]) -> tuple[str, bytes]:
    # "package:name" is a lexicon another package ships (an outside relation's): package/name.toml.
    package, _, name = name.rpartition(":")
    for d in dirs:
        path = d / f"{name}.toml"
        if path.is_file():
            return str(path), path.read_bytes()
    package = package or PACKAGE
    ref = resources.files(package) / f"{name}.toml"
    if not ref.is_file():
        raise LexiconError(f"no lexicon named {name!r} (looked in {', '.join(map(str, dirs)) or 'no user folder'} "
                           f"and the package {package})")
    return f"{package}/{name}.toml", ref.read_bytes()


@lru_cache(maxsize=None)
def _load(name: str, dirs: tuple[Path, ...]) -> Lexicon:
    source, raw = _read(name, dirs)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(f"{source}: not a valid TOML lexicon ({exc})") from None
    return Lexicon(name, source, data)


def load(name: str) -> Lexicon:
    """The lexicon ``name``: the user's copy if a lexicon folder holds one, else the package's."""
    return _load(name, user_dirs())


# Patterns that sre can only try at every position ------------------------------------------------
#
# sre skips ahead to where a match can start only when the pattern opens with a literal or a character
# class; an alternation of groups (``(?P<a>地区生产总值|…)|(?P<b>…)``) is tried at every position, each
# branch in turn. :func:`first_char_guard` puts a lookahead on the characters a match can start with in
# front of such a pattern: the same matches (a superset of the first characters, lookarounds and
# anchors at the start are left to the pattern), each position failing at one class test.

_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


class _NoGuard(Exception):
    pass


def _edge_items(items, out: dict[str, None], last: bool = False) -> bool:
    """Add to ``out`` character-class items for the characters the parsed sequence ``items`` can start
    with (``last``: end with); True when the sequence can match without consuming a character."""
    from re import _constants as c

    for op, av in (reversed(items) if last else items):
        if op is c.LITERAL:
            out[re.escape(chr(av))] = None
            return False
        if op is c.IN:
            for iop, iav in av:
                if iop is c.LITERAL:
                    out[re.escape(chr(iav))] = None
                elif iop is c.RANGE:
                    out[f"{re.escape(chr(iav[0]))}-{re.escape(chr(iav[1]))}"] = None
                elif iop is c.CATEGORY and str(iav) in _CATEGORIES:
                    out[_CATEGORIES[str(iav)]] = None
                else:  # NEGATE, other categories
                    raise _NoGuard
            return False
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):  # zero width: the characters beyond it start (end) the match
            continue
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _NoGuard
            if not _edge_items(sub, out, last):
                return False
            continue
        if op is c.BRANCH:
            empty = False
            for alternative in av[1]:
                empty = _edge_items(alternative, out, last) or empty
            if not empty:
                return False
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _high, sub = av
            if not _edge_items(sub, out, last) and low > 0:
                return False
            continue
        raise _NoGuard  # ANY, NOT_LITERAL, group references, conditionals, atomic groups …
    return True


def _anchored_at_start(items) -> bool:
    """True when the parsed sequence ``items`` opens with ``^`` (or ``\\A``), perhaps inside non-capturing
    groups: the compiled pattern then opens with the anchor, and sre tries no other position."""
    from re import _constants as c

    for op, av in items:
        if op is c.AT:
            return av in (c.AT_BEGINNING, c.AT_BEGINNING_STRING)
        if op is c.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            return _anchored_at_start(av[3])
        return False
    return False


def first_char_guard(pattern: re.Pattern) -> re.Pattern:
    """``pattern`` with a lookahead on the characters its matches can start with, when sre would otherwise
    try it at every position (no literal or class prefix); else ``pattern`` itself. Same matches, groups
    and group names."""
    try:
        from re import _compiler, _parser

        if not isinstance(pattern.pattern, str) or pattern.flags & (re.IGNORECASE | re.VERBOSE):
            return pattern
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        if parsed.getwidth()[0] == 0:
            return pattern  # can match empty: it has to be tried everywhere
        if _anchored_at_start(parsed.data):
            return pattern  # sre tries it at the start only (a lookahead in front would hide the ^)
        prefix, _skip, _all = _compiler._get_literal_prefix(parsed, pattern.flags)
        if prefix or _compiler._get_charset_prefix(parsed, pattern.flags):
            return pattern  # sre scans for it already
        items: dict[str, None] = {}
        if _edge_items(parsed.data, items) or not items:
            return pattern
        guarded = re.compile(f"(?=[{''.join(sorted(items))}])(?:{pattern.pattern})", pattern.flags)
    except (_NoGuard, ImportError, AttributeError, TypeError, ValueError, re.error, RecursionError):
        return pattern
    if guarded.groups != pattern.groups or guarded.groupindex != pattern.groupindex:
        return pattern
    return guarded


# A pattern whose every match ends at the end of the text (``…$``: 产业园$, (?:建设|改造)+$) is still tried
# at every position of a text that cannot end one, and most texts it is asked about cannot.
# :func:`end_guard` finds the characters such a match can end with; :class:`EndGuarded` looks at the
# text's last character first.


def _end_items(items) -> dict[str, None]:
    """The class items of the characters a match of ``items`` ends with, when every match of it ends
    with ``$`` (in each alternative); raises _NoGuard otherwise."""
    from re import _constants as c

    if not items:
        raise _NoGuard
    op, av = items[-1]
    if op is c.AT and av is c.AT_END:
        out: dict[str, None] = {}
        if _edge_items(items[:-1], out, last=True):
            raise _NoGuard  # can match empty before the $
        return out
    if op is c.SUBPATTERN and not av[1] and not av[2] and len(items) == 1:
        return _end_items(av[3])
    if op is c.BRANCH and len(items) == 1:
        out = {}
        for alternative in av[1]:
            out.update(_end_items(alternative))
        return out
    raise _NoGuard


def end_guard(pattern: re.Pattern) -> Optional[re.Pattern]:
    """A character class of the characters every match of ``pattern`` ends with, when each match ends
    at ``$``; else None."""
    try:
        from re import _parser

        if not isinstance(pattern.pattern, str) or pattern.flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE):
            return None
        items = _end_items(_parser.parse(pattern.pattern, pattern.flags).data)
    except (_NoGuard, ImportError, AttributeError, TypeError, ValueError, re.error, RecursionError):
        return None
    # A class as wide as a script (一-鿿), or \w, turns almost no text away: not worth a test.
    if not items or any(_class_width(i) > 256 for i in items):
        return None
    return re.compile(f"[{''.join(sorted(items))}]")


def _class_width(item: str) -> int:
    """How many characters a class item of :func:`_edge_items` stands for (a category but digits: many)."""
    if item in (r"\w", r"\W", r"\S", r"\D", r"\s"):
        return 1 << 16
    if len(item) >= 3:  # a range, its ends escaped: a-b, \--\.
        return ord(item[-1]) - ord(item[1] if item[0] == "\\" else item[0]) + 1
    return 1


class EndGuarded:
    """A compiled pattern whose matches all end at ``$``, asked first whether the text's last character
    can end one (:func:`end_guard`): search, match, fullmatch, finditer, findall, sub, subn and split give
    what the pattern gives; everything else is the pattern's. A text ending in a line break (``$``
    matches before it too) and calls with positions go to the pattern."""

    __slots__ = ("_pattern", "_last")

    def __init__(self, pattern: re.Pattern, last: re.Pattern):
        self._pattern = pattern
        self._last = last  # the class of the characters a match can end with

    def _cannot(self, text: str) -> bool:
        return self._last.match(text, len(text) - 1) is None and not text.endswith("\n")

    def search(self, string, *args):
        return None if not args and self._cannot(string) else self._pattern.search(string, *args)

    def match(self, string, *args):
        return None if not args and self._cannot(string) else self._pattern.match(string, *args)

    def fullmatch(self, string, *args):
        return None if not args and self._cannot(string) else self._pattern.fullmatch(string, *args)

    def finditer(self, string, *args):
        return iter(()) if not args and self._cannot(string) else self._pattern.finditer(string, *args)

    def findall(self, string, *args):
        return [] if not args and self._cannot(string) else self._pattern.findall(string, *args)

    def sub(self, repl, string, count=0):
        return string if self._cannot(string) else self._pattern.sub(repl, string, count)

    def subn(self, repl, string, count=0):
        return (string, 0) if self._cannot(string) else self._pattern.subn(repl, string, count)

    def split(self, string, maxsplit=0):
        return [string] if self._cannot(string) else self._pattern.split(string, maxsplit)

    def __getattr__(self, name):  # pattern, flags, groups, groupindex, scanner …
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._pattern, name)

    def __repr__(self) -> str:
        return f"EndGuarded({self._pattern!r})"


def _guard_fields(value: Any) -> Any:
    """A frozen dataclass of compiled patterns with each pattern guarded (:func:`first_char_guard`,
    :class:`EndGuarded`)."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for f in dataclasses.fields(value):
        old = getattr(value, f.name)
        if isinstance(old, re.Pattern) and f.init:
            new = first_char_guard(old)
            last = end_guard(old)
            if last is not None:
                new = EndGuarded(new, last)
            if new is not old:
                changes[f.name] = new
    return dataclasses.replace(value, **changes) if changes else value


_COMPILED: dict[tuple, Any] = {}
# (build, lexicon names, lexicon folders variable) → the patterns: what :func:`compiled` found for them
# (the files in effect follow from the folders while ``_load`` keeps its cache; set_user_dirs clears both).
# Extractors call ``compiled`` once per sentence or candidate: this skips loading each lexicon again.
_FAST: dict[tuple, Any] = {}


def compiled(build: Callable[[], Any], *lexicon_names: str) -> Any:
    """``build()`` — a module's patterns compiled from lexicons — made once per set of lexicon files in
    effect for ``lexicon_names`` (so ``--lexicon`` folders get their own), and reused after that. When
    ``build()`` gives a dataclass, each of its patterns that sre would try at every position gets a
    lookahead on its first characters (:func:`first_char_guard`: same matches, faster)."""
    fast = (build, lexicon_names, _env_token())
    found = _FAST.get(fast)
    if found is None:
        key = (build, tuple(load(name).source for name in lexicon_names))
        found = _COMPILED.get(key)
        if found is None:
            found = _COMPILED[key] = _guard_fields(build())
        _FAST[fast] = found
    return found


T = TypeVar("T")


def compiled_rules(build: Callable[[], T], *lexicon_names: str) -> Callable[[], T]:
    """A module's ``rules()``: what :func:`compiled` gives for ``build`` and ``lexicon_names``, with the
    test that the lexicon folders variable is the same value object as on the last call made right here
    (extractors ask for their rules in every clause and candidate, thousands of times a report)."""
    last: list = [object(), None]  # (variable value object, rules) of the last call

    def rules() -> T:
        token = _env_token()
        if token is last[0]:
            return last[1]
        found = compiled(build, *lexicon_names)
        last[0], last[1] = token, found
        return found

    rules.__doc__ = f"The rules of {build.__module__}, compiled from the lexicons in effect (see compiled_rules)."
    return rules


_JOINED: dict[tuple[str, ...], re.Pattern] = {}


def joined(*parts: str) -> re.Pattern:
    """``re.compile("".join(parts))``, compiled once per distinct ``parts``: for a pattern a function builds
    on each call from long fragments (a rules object's alternations, a caller's facility words). Looking
    the parts up hashes strings that already know their hash; ``re``'s own cache would hash the whole
    joined text, thousands of characters, on every call."""
    found = _JOINED.get(parts)
    if found is None:
        if len(_JOINED) >= 1024:
            _JOINED.clear()
        found = _JOINED[parts] = re.compile("".join(parts))
    return found


def names() -> list[str]:
    """Every lexicon the package ships or a user folder adds."""
    found = {p.name[:-5] for p in resources.files(PACKAGE).iterdir() if p.name.endswith(".toml")}
    for d in user_dirs():
        found |= {p.stem for p in d.glob("*.toml")}
    return sorted(found)


def fingerprint(lexicon_names: Iterable[str] | None = None) -> str:
    """SHA-256 over the bytes of the lexicons in effect (for the extraction cache key): every lexicon
    the package ships or a user folder holds, and those the registered relations name."""
    digest = hashlib.sha256()
    dirs = user_dirs()
    if lexicon_names is None:
        from kg.relation import relations

        lexicon_names = set(names()) | {r.lexicon for r in relations() if r.lexicon}
    for name in sorted(lexicon_names):
        source, raw = _read(name, dirs)
        digest.update(name.encode() + b"\0" + raw + b"\0")
    return digest.hexdigest()
