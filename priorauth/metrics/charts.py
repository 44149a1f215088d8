"""The dashboard's charts as shapes: bars and lines in a fixed view box, drawn by the template as SVG.

Pure: numbers in, coordinates out. Colours are CSS classes (static/css/metrics.css): the
content-security policy allows no inline style, and the figures are also in a table beside
each chart for those who cannot see it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 40
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # a class of metrics.css: series-1 ... series-4
    values: Sequence[float]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Line:
    css: str
    name: str
    points: str  # "x,y x,y ..." for <polyline points>


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    legend: list[Series]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = TOP + PLOT_H
    right_edge: int = WIDTH - RIGHT


def nice_top(value: float) -> float:
    """Return the axis' top for values up to `value`: four whole, round steps."""
    needed = max(value, 1) / 4
    power = 10 ** math.floor(math.log10(needed))
    steps = (1, 2, 2.5, 5, 10) if power >= 10 else (1, 2, 5, 10)  # whole numbers only
    step = next(s * power for s in steps if s * power >= needed)
    return 4 * max(step, 1)


def _y_ticks(top: float, suffix: str) -> list[Tick]:
    return [Tick(TOP + PLOT_H * (1 - i / 4), f"{top * i / 4:g}{suffix}") for i in range(5)]


def _x_ticks(labels: Sequence[str], slot: float, every: int) -> list[Tick]:
    return [Tick(LEFT + slot * (i + 0.5), label) for i, label in enumerate(labels) if i % every == 0]


def bar_chart(
    labels: Sequence[str], series: Sequence[Series], *, top: float | None = None, suffix: str = ""
) -> Chart:
    """Return grouped bars: one group per label, one bar per series, on a shared axis from zero."""
    highest = max((v for s in series for v in s.values), default=0)
    top = top or nice_top(highest)
    slot = PLOT_W / max(len(labels), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    bars = []
    for i, label in enumerate(labels):
        for j, one in enumerate(series):
            value = one.values[i]
            height = PLOT_H * value / top
            x = LEFT + slot * i + slot * 0.1 + bar_w * j
            bars.append(
                Bar(
                    x,
                    TOP + PLOT_H - height,
                    bar_w,
                    height,
                    one.css,
                    f"{label}, {one.name}: {value:g}{suffix}",
                )
            )
    every = max(1, math.ceil(len(labels) / 12))
    return Chart(bars, [], _y_ticks(top, suffix), _x_ticks(labels, slot, every), list(series))


def line_chart(labels: Sequence[str], series: Sequence[Series]) -> Chart:
    """Return one line per series across the labels, on a shared axis from zero."""
    top = nice_top(max((v for s in series for v in s.values), default=0))
    slot = PLOT_W / max(len(labels), 1)
    lines = [
        Line(
            one.css,
            one.name,
            " ".join(
                f"{LEFT + slot * (i + 0.5):.1f},{TOP + PLOT_H * (1 - v / top):.1f}"
                for i, v in enumerate(one.values)
            ),
        )
        for one in series
    ]
    every = max(1, math.ceil(len(labels) / 12))
    return Chart([], lines, _y_ticks(top, ""), _x_ticks(labels, slot, every), list(series))
