"""Charts people would rather look at than read: a metric of an entity over time.

One point per claim, placed at its period (2024Q2 sits in the middle of its
quarter; claims without a period at their article's date), filled when a
reviewer accepted it and hollow while pending, one colour per language, so
that agreeing sources stack and a conflict stands out. matplotlib renders it
(SVG or PNG), for `newsfacts chart` and the review desk alike.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

_LANG_COLOURS = {"zh": "#d62728", "en": "#1f77b4", "ja": "#2ca02c"}
_QUARTER = re.compile(r"^(?:FY)?(\d{4})Q([1-4])$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(?:FY)?(\d{4})$")
FORMATS = ("svg", "png")


def period_date(period: str | None, published_at: str | None) -> date | None:
    """A point in time for a claim: the middle of its period, else its article's date."""
    if period:
        if m := _QUARTER.match(period):
            return date(int(m.group(1)), 3 * int(m.group(2)) - 1, 15)
        if m := _HALF.match(period):
            return date(int(m.group(1)), 4 if m.group(2) == "1" else 10, 1)
        if m := _MONTH.match(period):
            return date(int(m.group(1)), int(m.group(2)), 15)
        if m := _YEAR.match(period):
            return date(int(m.group(1)), 7, 1)
    if published_at and re.match(r"\d{4}-\d{2}-\d{2}", published_at):
        return date.fromisoformat(published_at[:10])
    return None


def chart_subject(rows: list[dict[str, Any]], asked: str) -> str:
    """The canonical subject of the rows (NVIDIA for 英伟达), for a title any font can draw."""
    return str(rows[0]["subject"]) if rows else asked


def render_metric_chart(rows: Iterable[dict[str, Any]], title: str, fmt: str = "svg") -> bytes:
    """Plot claims (fact-table rows) of one metric; returns the image bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.dates import date2num
    from matplotlib.lines import Line2D

    points = []
    for row in rows:
        when = period_date(row.get("period"), row.get("published_at"))
        value = row.get("value")
        if value is None and row.get("low") is not None and row.get("high") is not None:
            value = (row["low"] + row["high"]) / 2
        if when is None or value is None or row.get("status") == "rejected":
            continue
        points.append((when, float(value), row.get("lang") or "", row.get("status") == "pending"))
    figure, axes = plt.subplots(figsize=(8, 4), dpi=100)
    try:
        for when, value, lang, pending in sorted(points):
            colour = _LANG_COLOURS.get(lang, "#7f7f7f")
            axes.scatter([date2num(when)], [value], s=60, edgecolors=colour, linewidths=1.8,
                         facecolors="none" if pending else colour, zorder=3)  # fmt: skip
        axes.xaxis_date()
        axes.set_title(title if title.isascii() else title.encode("ascii", "replace").decode())
        axes.grid(True, alpha=0.3)
        if not points:
            axes.text(0.5, 0.5, "no claims with a date or period", ha="center", va="center",
                      transform=axes.transAxes)  # fmt: skip
        handles = [
            Line2D([], [], marker="o", linestyle="", color=c, label=lang)
            for lang, c in _LANG_COLOURS.items()
        ]
        handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="none", color="#444", label="pending"),
                    Line2D([], [], marker="o", linestyle="", color="#444", label="accepted")]  # fmt: skip
        axes.legend(handles=handles, loc="best", fontsize=8)
        figure.autofmt_xdate()
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format=fmt,
            bbox_inches="tight",
            metadata={"Date": None} if fmt == "svg" else None,
        )
        return buffer.getvalue()
    finally:
        plt.close(figure)
