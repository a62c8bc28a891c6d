"""Bar charts drawn on the server as SVG (no chart service, no script): the geometry is
computed here, the template writes the <svg> with its <title>, <desc> and a data table."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

WIDTH = 640
HEIGHT = 240
TOP = 20
BOTTOM = 40  # room for the labels under the bars
LEFT = 10


@dataclass
class Bar:
    label: str
    value: Any
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_y: float


@dataclass
class BarChart:
    slug: str
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - BOTTOM + 16


def bar_chart(*, slug: str, title: str, description: str, rows: list[tuple[str, Any]]) -> BarChart:
    top = max((Decimal(str(value)) for _, value in rows), default=Decimal("0"))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(rows), 1)
    bars = []
    for index, (label, value) in enumerate(rows):
        height = float(Decimal(str(value)) / top * plot_height) if top else 0.0
        x = LEFT + index * slot + slot * 0.15
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
                value_y=round(HEIGHT - BOTTOM - height - 4, 1),
            )
        )
    return BarChart(slug=slug, title=title, description=description, bars=bars)
