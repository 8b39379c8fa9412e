"""Plain-text tables that align Chinese (wide) characters."""

from __future__ import annotations

import unicodedata
from typing import Sequence


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    gap = max(width - display_width(text), 0)
    return text + " " * gap if align == "<" else " " * gap + text


def format_rows(header: Sequence[str], rows: Sequence[Sequence[object]], *, numeric_right: bool = True) -> str:
    """A table with a header rule; numbers right-aligned."""
    cells = [[str(h) for h in header]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(header))]

    def is_num(v: str) -> bool:
        try:
            float(v)
            return True
        except ValueError:
            return False

    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(
            pad(v, widths[i], ">" if numeric_right and n > 0 and is_num(v) else "<") for i, v in enumerate(row)
        ).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
