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


def year_series_chart(points: Sequence[tuple[int, float | None, float | None]], *, title: str,
                      series: Sequence[tuple[str, str]] = (("目标", "#ff7f0e"), ("实际", "#1f77b4")),
                      domain: tuple[float, float] | None = None, unit: str = "", width: int | None = None,
                      height: int = 190) -> str:
    """Vertical bars per year: ``points`` = [(year, target, actual)]; the target bar left, the actual
    right, each labelled with its value; above a year with both, ✓ when the actual reaches the target
    (green) and ✗ when not (red). ``domain`` = (low, high) fixes the scale, so the charts of one group
    compare bar for bar; every year is labelled under its bars."""
    bar_w, pair_gap, left, right = 26, 22, 8, 8
    top, bottom = 52, 24
    col_w = bar_w * 2 + pair_gap
    width = width or max(200, left + right + col_w * max(len(points), 1))
    values = [v for _, t, a in points for v in (t, a) if v is not None]
    lo, hi = min([0.0, *values]), max([0.0, *values])
    if domain is not None:
        lo, hi = min(lo, domain[0]), max(hi, domain[1])
    span = (hi - lo) or 1.0
    plot_h = height - top - bottom
    y0 = top + hi / span * plot_h  # the zero line

    def y_of(v: float) -> float:
        return top + (hi - v) / span * plot_h

    out = [f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="{FONT}" font-size="11">',
           f"<title>{escape(title)}</title>",
           f'<text x="0" y="14" font-size="13" font-weight="bold">{escape(title)}</text>']
    for i, (year, target, actual) in enumerate(points):
        x = left + i * col_w + pair_gap / 2
        for j, v in enumerate((target, actual)):
            name, colour = series[j]
            bx = x + j * bar_w
            if v is None:
                out.append(f'<text x="{bx + bar_w / 2:.1f}" y="{y0 - 3:.1f}" text-anchor="middle" fill="#aaa">—</text>')
                continue
            yv = y_of(v)
            ry, h = (yv, y0 - yv) if v >= 0 else (y0, yv - y0)
            text = f"{_num(v)}{unit}"
            out.append(f'<rect x="{bx + 1:.1f}" y="{ry:.1f}" width="{bar_w - 2}" height="{max(h, 1):.1f}" '
                       f'fill="{colour}"><title>{year} {escape(name)}：{escape(text)}</title></rect>')
            ty = (ry - 3) if v >= 0 else (ry + h + 11)
            out.append(f'<text x="{bx + bar_w / 2:.1f}" y="{ty:.1f}" text-anchor="middle">{escape(text)}</text>')
        if target is not None and actual is not None:
            ok = actual >= target
            mark, colour = ("✓", "#2a8a2a") if ok else ("✗", "#c62828")
            out.append(f'<text x="{x + bar_w:.1f}" y="32" text-anchor="middle" font-size="15" font-weight="bold" '
                       f'fill="{colour}">{mark}<title>{year}：{"达成 met" if ok else "未达成 missed"}</title></text>')
        out.append(f'<text x="{x + bar_w:.1f}" y="{height - 6}" text-anchor="middle" fill="#333">{year}</text>')
    out.append(f'<line x1="0" y1="{y0:.1f}" x2="{width}" y2="{y0:.1f}" stroke="#888"/>')
    out.append("</svg>")
    return "\n".join(out)
