"""Plain data classes passed between the pipeline's stages.

Nothing here imports spaCy or rdflib: facts are simple, hashable values so that they can be cached,
sent to worker processes and compared in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from collections.abc import Iterable, Iterator, Sequence
from typing import Optional


@dataclass(frozen=True)
class Document:
    """A report as read from disk: its normalized text and where it came from."""

    path: str  # as given by the user, used in messages
    name: str  # the file's stem, e.g. "shilong-2024"
    text: str  # normalized text (see kg.normalize); all offsets refer to it
    raw_sha256: str  # hash of the bytes read, for provenance and caching
    encoding: str = "utf-8"
    reader: str = "text"
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from, with its offsets in the normalized text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Meta:
    district: Optional[str] = None
    city: Optional[str] = None
    province: Optional[str] = None
    division_code: Optional[str] = None
    speaker: Optional[str] = None
    speaker_title: Optional[str] = None
    date: Optional[str] = None  # ISO yyyy-mm-dd
    review_year: Optional[int] = None
    plan_year: Optional[int] = None


# Status and kind values are the contract's local names.
STATUSES = ("Planned", "Underway", "Completed", "Signed")
INVESTMENT_KINDS = ("TotalInvestment", "CompletedInvestment", "Funding", "OtherAmount")
OBSERVATION_KINDS = ("Actual", "Target")
RECIPIENT_TYPES = (
    "Enterprise", "District", "Village", "Community", "School", "GovernmentUnit", "Person",
    "Product", "Project", "Organization",
)


@dataclass(frozen=True)
class ProjectMention:
    name: str  # normalized project name (trailing 项目/工程 dropped)
    surface: str  # as written
    status: Optional[str]  # one of STATUSES or None
    year: Optional[int]
    explicit: bool
    evidence: Evidence


@dataclass(frozen=True)
class InvestmentMention:
    project: str
    amount: Decimal  # in the currency's unit (yuan for CNY)
    currency: str  # ISO 4217
    kind: str  # one of INVESTMENT_KINDS
    text: str  # the amount as written
    evidence: Evidence


@dataclass(frozen=True)
class AwardMention:
    recipient: str
    recipient_type: str  # one of RECIPIENT_TYPES
    award: str
    year: Optional[int]
    evidence: Evidence


@dataclass(frozen=True)
class IndicatorMention:
    indicator: str  # one of the contract's twelve names
    year: int
    kind: str  # Actual | Target
    growth_percent: Optional[Decimal]
    amount_yuan: Optional[Decimal]
    evidence: Evidence


@dataclass
class Extraction:
    """Everything extracted from one report: its meta facts and, per registered relation (by its name,
    e.g. ``projects``), the facts that relation's extractor found."""

    document: Document
    meta: Meta
    facts: dict[str, list] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> list:
        # ex.projects is ex.facts["projects"]: a relation's facts by its name (empty when it found none).
        facts = self.__dict__.get("facts", {})
        if name in facts:
            return facts[name]
        if not name.startswith("_"):
            from kg.registry import RELATIONS

            if name in RELATIONS:
                return []
        raise AttributeError(f"{type(self).__name__!s} has no attribute or relation {name!r}")

    def counts(self) -> dict[str, int]:
        return {name: len(facts) for name, facts in self.facts.items()}


@dataclass(frozen=True)
class ReportHead:
    """What a build reads of a report once the report is mapped to RDF: its document without the text,
    its meta facts, its warnings and how many facts each relation found. The graph stage, the writers
    and the build's summary need no more, and it is about a hundredth of the Extraction."""

    document: Document  # text ""
    meta: Meta
    warnings: tuple[str, ...]
    fact_counts: tuple[tuple[str, int], ...]

    def counts(self) -> dict[str, int]:
        return dict(self.fact_counts)


@dataclass(frozen=True)
class PackedExtraction:
    """An Extraction kept compressed (its pickle, zlib level 1: about a seventh of the objects' memory)
    beside its :class:`ReportHead`. What ``kg build`` keeps of each report between extraction and the
    end, so that a corpus of 10,000 reports is held in the client as bytes, not as millions of objects;
    a worker packs its extraction, so the client never unpickles the facts it does not read."""

    head: ReportHead
    blob: bytes

    @classmethod
    def pack(cls, extraction: "Extraction") -> "PackedExtraction":
        import pickle
        import zlib
        from dataclasses import replace

        doc = extraction.document
        head = ReportHead(replace(doc, text=""), extraction.meta, tuple(extraction.warnings),
                          tuple(extraction.counts().items()))
        return cls(head, zlib.compress(pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL), 1))

    def unpack(self) -> "Extraction":
        import pickle
        import zlib

        return pickle.loads(zlib.decompress(self.blob))

    @property
    def document(self) -> Document:
        """The document without its text (``unpack().document`` has it)."""
        return self.head.document

    @property
    def meta(self) -> Meta:
        return self.head.meta


def unpacked(item: "Extraction | PackedExtraction") -> Extraction:
    """The Extraction of ``item``, packed or not."""
    return item.unpack() if isinstance(item, PackedExtraction) else item


class Reports(Sequence):
    """The extractions of a build, in input order, each kept packed (:class:`PackedExtraction`): a
    sequence of Extraction, each unpacked when read (a new object each time: change one and keep it,
    not the sequence's item). :attr:`heads` gives the reports' :class:`ReportHead` without unpacking."""

    def __init__(self, items: Iterable = ()):
        self._items: list[PackedExtraction] = []
        for item in items:
            self.append(item)

    def append(self, item: "Extraction | PackedExtraction") -> None:
        self._items.append(item if isinstance(item, PackedExtraction) else PackedExtraction.pack(item))

    @property
    def packed(self) -> list[PackedExtraction]:
        return list(self._items)

    @property
    def heads(self) -> list[ReportHead]:
        return [item.head for item in self._items]

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [item.unpack() for item in self._items[index]]
        return self._items[index].unpack()

    def __iter__(self) -> Iterator["Extraction"]:
        return (item.unpack() for item in self._items)

    def __eq__(self, other) -> bool:
        if isinstance(other, Reports):
            return self._items == other._items
        return isinstance(other, (list, tuple)) and list(self) == list(other)

    __hash__ = None  # mutable, like a list

    def __repr__(self) -> str:
        return f"Reports({len(self._items)} extractions)"
