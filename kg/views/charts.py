"""Small bar charts as inline SVG, drawn in Python: no chart library, nothing fetched.

Every text that reaches the SVG is escaped; numbers are rounded so the output is deterministic.
"""

from __future__ import annotations

from html import escape
from typing import Callable, Sequence

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if abs(v - round(v)) > 1e-9 else str(int(round(v)))


def bar_chart(rows: Sequence[tuple[str, Sequence[float | None]]], *, series: Sequence[tuple[str, str]],
              title: str, fmt: Callable[[float], str] = _num, label_width: int = 110, width: int = 520,
              aria: str | None = None, domain: tuple[float, float] | None = None) -> str:
    """Horizontal grouped bars: ``rows`` = [(label, [value per series])], ``series`` = [(name, colour)].

    ``None`` values draw no bar (and "—"). Bars start at zero; negative values extend left of it.
    ``domain`` = (low, high) fixes the scale, so the charts of one group can be compared bar for bar.
    """
    bar_h, gap, top = 14, 10, 30 + (18 if len(series) > 1 else 0)
    group_h = bar_h * len(series) + gap
    height = top + group_h * max(len(rows), 1) + 8
    values = [v for _, vs in rows for v in vs if v is not None]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    if domain is not None:
        lo, hi = min(lo, domain[0]), max(hi, domain[1])
    span = (hi - lo) or 1.0
    plot_w = width - label_width - 70
    x0 = label_width + (0 - lo) / span * plot_w
    out = [f'<svg role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" font-family="{FONT}" font-size="12">',
           f"<title>{escape(aria or title)}</title>",
           f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    if len(series) > 1:
        x = 0
        for name, colour in series:
            out.append(f'<rect x="{x}" y="26" width="10" height="10" fill="{colour}"/>'
                       f'<text x="{x + 14}" y="35">{escape(name)}</text>')
            x += 24 + 13 * len(name)
    if not rows:
        out.append(f'<text x="0" y="{top + 12}" fill="#888">（无数据）</text>')
    for i, (label, vs) in enumerate(rows):
        y = top + i * group_h
        out.append(f'<text x="{label_width - 6}" y="{y + group_h / 2 + 2:.0f}" text-anchor="end">'
                   f"{escape(label)}</text>")
        for j, v in enumerate(vs):
            yy = y + j * bar_h
            colour = series[j][1]
            if v is None:
                out.append(f'<text x="{x0 + 3:.1f}" y="{yy + bar_h - 3}" fill="#999">—</text>')
                continue
            w = abs(v) / span * plot_w
            x = x0 if v >= 0 else x0 - w
            out.append(f'<rect x="{x:.1f}" y="{yy}" width="{max(w, 1):.1f}" height="{bar_h - 2}" fill="{colour}">'
                       f"<title>{escape(label)} {escape(series[j][0])}：{escape(fmt(v))}</title></rect>")
            tx = (x + max(w, 1) + 4) if v >= 0 else x0 + 4
            out.append(f'<text x="{tx:.1f}" y="{yy + bar_h - 3}">{escape(fmt(v))}</text>')
    out.append(f'<line x1="{x0:.1f}" y1="{top - 4}" x2="{x0:.1f}" y2="{height - 6}" stroke="#888"/>')
    out.append("</svg>")
    return "\n".join(out)
