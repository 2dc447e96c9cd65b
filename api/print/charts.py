"""Small inline SVG charts for printable pages: no script, no external asset. A chart is the list
of its shapes with their attributes and text; templates/charts.html draws it, so every label and
attribute is escaped by the template engine like any other value on the page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

GREY, BLUE, GREEN, RED = "#b8bec6", "#2f6db5", "#3a9a5b", "#c8453b"
_FONT = ("font-family", "sans-serif")


@dataclass(frozen=True)
class Shape:
    tag: str  # rect, line or text
    attrs: tuple[tuple[str, str], ...]
    text: str | None = None  # a text's words; other shapes close themselves


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    title: str
    shapes: list[Shape]


def _rect(x: str, y: str, width: str, height: str, fill: str) -> Shape:
    return Shape("rect", (("x", x), ("y", y), ("width", width), ("height", height), ("fill", fill)))


def _line(x1: str, y1: str, x2: str, y2: str, stroke: str, *more: tuple[str, str]) -> Shape:
    return Shape("line", (("x1", x1), ("y1", y1), ("x2", x2), ("y2", y2), ("stroke", stroke), *more))


def _text(x: str, y: str, size: str, words: str, anchor: str | None = None) -> Shape:
    placed = (("x", x), ("y", y), ("font-size", size)) + ((("text-anchor", anchor),) if anchor else ())
    return Shape("text", (*placed, _FONT), words)


def _nice(top: float) -> float:
    """A round maximum for the axis, at or above the largest value."""
    if top <= 0:
        return 1
    step = 10 ** len(str(int(top))) / 10 if top >= 1 else 0.1
    for m in (1, 2, 2.5, 5, 10):
        if step * m * 5 >= top:
            return step * m * 5
    return top


def _legend(series: Sequence[tuple[str, str]], x: float, y: float) -> list[Shape]:
    out = []
    for name, colour in series:
        out += [_rect(f"{x:.1f}", f"{y - 9:.1f}", "10", "10", colour), _text(f"{x + 14:.1f}", f"{y:.1f}", "10", name)]
        x += 24 + 11 * len(name)
    return out


def columns(title: str, labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]],
            fmt: Callable[[float], str] = lambda v: f"{v:g}", top: float | None = None, width: int = 680, height: int = 220,
            values_on_top: bool = False) -> Chart:
    """Grouped vertical bars: one group per label, one bar per series (name, colour, values)."""
    left, right, upper, lower = 40, 10, 26, 28
    plot_w, plot_h = width - left - right, height - upper - lower
    top = top or _nice(max((v for _, _, vs in series for v in vs if v is not None), default=0))
    body = _legend([(n, c) for n, c, _ in series], left, 14)
    for i in range(5):  # grid and axis labels
        value = top * i / 4
        y = upper + plot_h - plot_h * i / 4
        body += [_line(f"{left}", f"{y:.1f}", f"{width - right}", f"{y:.1f}", "#ddd", ("stroke-width", "0.6")),
                 _text(f"{left - 4}", f"{y + 3:.1f}", "9", fmt(value), "end")]
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
            body.append(_rect(f"{x:.1f}", f"{upper + plot_h - h:.1f}", f"{bar:.1f}", f"{h:.1f}", colour))
            if values_on_top:
                body.append(_text(f"{x + bar / 2:.1f}", f"{upper + plot_h - h - 3:.1f}", "9", fmt(v), "middle"))
        if i % every == 0:
            body.append(_text(f"{x0 + slot * 0.4:.1f}", f"{upper + plot_h + 13:.1f}", "9", label, "middle"))
    body.append(_line(f"{left}", f"{upper + plot_h}", f"{width - right}", f"{upper + plot_h}", "#555"))
    return Chart(width, height, title, body)


def bars(title: str, rows: Sequence[tuple[str, float]], fmt: Callable[[float], str] = lambda v: f"{v:g}",
         baseline: float | None = None, width: int = 680, label_width: int = 150) -> Chart:
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
        body += [_text(f"{label_width}", f"{y + 14}", "10", label, "end"),
                 _rect(f"{start:.1f}", f"{y + 4}", f"{max(end - start, 0.5):.1f}", f"{row_h - 8}", colour),
                 _text(f"{text_x:.1f}", f"{y + 14}", "9", fmt(v), anchor)]
    body.append(_line(f"{zero:.1f}", f"{upper}", f"{zero:.1f}", f"{height - upper}", "#555"))
    return Chart(width, height, title, body)
