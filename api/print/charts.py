"""Small inline SVG charts for printable pages: no script, no external asset, every label escaped.
A chart is a string of SVG markup to place in the page as it is."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

_FONT = 'font-family="sans-serif"'
GREY, BLUE, GREEN, RED = "#b8bec6", "#2f6db5", "#3a9a5b", "#c8453b"


def _nice(top: float) -> float:
    """A round maximum for the axis, at or above the largest value."""
    if top <= 0:
        return 1
    step = 10 ** len(str(int(top))) / 10 if top >= 1 else 0.1
    for m in (1, 2, 2.5, 5, 10):
        if step * m * 5 >= top:
            return step * m * 5
    return top


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>')


def _legend(series: Sequence[tuple[str, str]], x: float, y: float) -> list[str]:
    out = []
    for name, colour in series:
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{x + 14:.1f}" y="{y:.1f}" font-size="10" {_FONT}>{escape(name)}</text>')
        x += 24 + 11 * len(name)
    return out


def columns(title: str, labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]],
            fmt: Callable[[float], str] = lambda v: f"{v:g}", top: float | None = None, width: int = 680, height: int = 220,
            values_on_top: bool = False) -> str:
    """Grouped vertical bars: one group per label, one bar per series (name, colour, values)."""
    left, right, upper, lower = 40, 10, 26, 28
    plot_w, plot_h = width - left - right, height - upper - lower
    top = top or _nice(max((v for _, _, vs in series for v in vs if v is not None), default=0))
    body = _legend([(n, c) for n, c, _ in series], left, 14)
    for i in range(5):  # grid and axis labels
        value = top * i / 4
        y = upper + plot_h - plot_h * i / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd" stroke-width="0.6"/>'
                    f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end" {_FONT}>{escape(fmt(value))}</text>')
    slot = plot_w / max(len(labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    every = max(1, round(len(labels) / 16))  # keep labels legible on a month of days
    for i, label in enumerate(labels):
        x0 = left + slot * i + slot * 0.1
        for j, (_, colour, values) in enumerate(series):
            v = values[i]
            if v is None:
                continue
            h = plot_h * min(v, top) / top
            x = x0 + bar * j
            body.append(f'<rect x="{x:.1f}" y="{upper + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>')
            if values_on_top:
                body.append(f'<text x="{x + bar / 2:.1f}" y="{upper + plot_h - h - 3:.1f}" font-size="9" text-anchor="middle" '
                            f'{_FONT}>{escape(fmt(v))}</text>')
        if i % every == 0:
            body.append(f'<text x="{x0 + slot * 0.4:.1f}" y="{upper + plot_h + 13:.1f}" font-size="9" text-anchor="middle" '
                        f'{_FONT}>{escape(label)}</text>')
    body.append(f'<line x1="{left}" y1="{upper + plot_h}" x2="{width - right}" y2="{upper + plot_h}" stroke="#555"/>')
    return _svg(width, height, title, body)


def bars(title: str, rows: Sequence[tuple[str, float]], fmt: Callable[[float], str] = lambda v: f"{v:g}",
         baseline: float | None = None, width: int = 680, label_width: int = 150) -> str:
    """Horizontal bars, one row each. With a baseline (e.g. the standard score's 50), bars grow
    left or right of it: green above, red below."""
    row_h, upper = 20, 6
    height = upper * 2 + row_h * max(len(rows), 1)
    # Room for the value beside the longest bar, on either side of a baseline.
    plot_x = label_width + (40 if baseline is not None else 8)
    plot_w = width - plot_x - 44
    values = [v for _, v in rows]
    if baseline is None:
        low, high = 0.0, _nice(max(values, default=0))
    else:
        spread = max([abs(v - baseline) for v in values] + [10])
        low, high = baseline - spread, baseline + spread
    scale = plot_w / (high - low)
    zero = plot_x + ((baseline if baseline is not None else 0) - low) * scale
    body = []
    fits = label_width // 10  # characters of a 10px label that fit, CJK being the widest
    for i, (label, v) in enumerate(rows):
        y = upper + row_h * i
        label = label if len(label) <= fits else label[:fits - 1] + "…"
        start, end = sorted((zero, plot_x + (v - low) * scale))
        colour = BLUE if baseline is None else (GREEN if v >= baseline else RED)
        text_x = end + 4 if baseline is None or v >= baseline else start - 4
        anchor = "start" if baseline is None or v >= baseline else "end"
        body.append(f'<text x="{label_width}" y="{y + 14}" font-size="10" text-anchor="end" {_FONT}>{escape(label)}</text>'
                    f'<rect x="{start:.1f}" y="{y + 4}" width="{max(end - start, 0.5):.1f}" height="{row_h - 8}" fill="{colour}"/>'
                    f'<text x="{text_x:.1f}" y="{y + 14}" font-size="9" text-anchor="{anchor}" {_FONT}>{escape(fmt(v))}</text>')
    body.append(f'<line x1="{zero:.1f}" y1="{upper}" x2="{zero:.1f}" y2="{height - upper}" stroke="#555"/>')
    return _svg(width, height, title, body)
