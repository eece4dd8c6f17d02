# -*- coding: utf-8 -*-
"""The review's charts, drawn on the server by matplotlib as SVG: the same
image in the page (without JavaScript) and in the PDF. Text stays text
(``svg.fonttype`` ``none``), so that the PDF's words are searchable; each
chart is an image with a title, and the page gives its figures as a
table beside it. Nothing is fetched: the SVG holds no link."""
from __future__ import annotations

import io
import re
from typing import Optional, Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

#: matplotlib's settings for every chart: text as text, no random ids, no
#: date in the file, the fonts the project installs.
_RC = {"svg.fonttype": "none", "svg.hashsalt": "ckanext-partnership",
       "font.family": ["DejaVu Sans"], "font.size": 9,
       "axes.spines.top": False, "axes.spines.right": False}
#: Bar colours, each with a contrast of at least 3:1 against white (WCAG
#: 1.4.11), told apart by hatching too.
COLOURS = ("#1f6f43", "#1f4e8c", "#a3470b", "#6b3fa0")
_HATCHES = ("", "//", "..", "xx")
#: The size of a chart, in inches (the SVG scales with CSS).
SIZE = (7.2, 2.6)

_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)
_OPEN = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="([^"]+)"')


def _svg(figure: Figure, title: str, chart_id: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _PROLOG.sub("", buffer.getvalue(), count=1)
    opening = _OPEN.search(svg)
    assert opening is not None
    box = _VIEWBOX.search(opening.group(0))
    escaped = (title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
               .replace('"', "&quot;"))
    new_open = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                f'viewBox="{box.group(1) if box else ""}" '
                f'role="img" aria-labelledby="{chart_id}-title" class="partnership-review-chart">'
                f'<title id="{chart_id}-title">{escaped}</title>')
    return svg[:opening.start()] + new_open + svg[opening.end():]


def bars(chart_id: str, title: str, labels: Sequence[str],
         groups: Sequence[tuple[str, Sequence[Optional[float]]]], percent: bool = False) -> str:
    """Grouped bars, one group per month (``labels``), one bar per series
    of ``groups`` (``(legend, values)``); a None value (a month not known
    yet, or without figures) draws no bar. ``percent``: values are shares
    (0 to 1), drawn as percentages."""
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=SIZE)
        axes = figure.subplots()
        n = max(len(groups), 1)
        width = 0.8 / n
        for i, (legend, values) in enumerate(groups):
            xs = [x + (i - (n - 1) / 2) * width for x, v in enumerate(values) if v is not None]
            ys = [v * 100 if percent else v for v in values if v is not None]
            axes.bar(xs, ys, width=width * 0.95, label=legend, color=COLOURS[i % len(COLOURS)],
                     hatch=_HATCHES[i % len(_HATCHES)], edgecolor="white", linewidth=0.3)
        axes.set_xticks(range(len(labels)), labels)
        axes.tick_params(axis="x", labelsize=8)
        if percent:
            axes.set_ylim(0, 100)
            axes.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        else:
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.set_ylim(bottom=0)
        axes.grid(axis="y", color="#767676", linewidth=0.3)
        axes.set_axisbelow(True)
        if len(groups) > 1:
            axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=min(len(groups), 2),
                        frameon=False, fontsize=8, handlelength=1.2, borderaxespad=0.2)
        figure.tight_layout()
        return _svg(figure, title, chart_id)
