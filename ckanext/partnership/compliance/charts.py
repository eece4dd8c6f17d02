# -*- coding: utf-8 -*-
"""Charts drawn as inline SVG by the portal itself: no script, no library,
no request to another server; readable by assistive technologies (the SVG
is an image with a title, and every page that shows one also shows its
figures as text).
"""
from __future__ import annotations

from html import escape
from typing import Optional, Sequence

#: Size of the share-by-month chart, in SVG user units (it scales with CSS).
WIDTH, HEIGHT = 640, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 8, 12, 40
#: Colours with a contrast of at least 3:1 against white (WCAG 1.4.11).
BAR = "#1f6f43"
EMPTY = "#6b6b6b"
GRID = "#767676"


def _pct(share: float) -> str:
    return f"{round(share * 100)} %"


def share_by_month(points: Sequence[tuple[str, Optional[float]]], title: str,
                   no_data: str) -> str:
    """A bar per month of the share (0 to 1) of something, e.g. the share of
    fresh datasets: ``points`` are ``(month label, share or None)`` in time
    order, None for a month without figures (a short grey tick, labelled
    ``no_data``). The value of each bar is written above it, so the chart
    needs no colour to be read."""
    inner_w = WIDTH - _LEFT - _RIGHT
    inner_h = HEIGHT - _TOP - _BOTTOM
    n = max(len(points), 1)
    step = inner_w / n
    bar_w = step * 0.6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="partnership-chart" '
        f'preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 0.5, 1):
        y = _TOP + inner_h * (1 - tick)
        parts.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="0.5"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="#333">{_pct(tick)}</text>')
    for i, (label, share) in enumerate(points):
        x = _LEFT + step * i + (step - bar_w) / 2
        centre = x + bar_w / 2
        if share is None:
            parts.append(f'<rect x="{x:.1f}" y="{_TOP + inner_h - 2:.1f}" width="{bar_w:.1f}" '
                         f'height="2" fill="{EMPTY}"><title>{escape(label)} : '
                         f'{escape(no_data)}</title></rect>')
        else:
            share = min(max(share, 0.0), 1.0)
            h = inner_h * share
            parts.append(f'<rect x="{x:.1f}" y="{_TOP + inner_h - h:.1f}" width="{bar_w:.1f}" '
                         f'height="{h:.1f}" fill="{BAR}"><title>{escape(label)} : '
                         f'{_pct(share)}</title></rect>')
            parts.append(f'<text x="{centre:.1f}" y="{_TOP + inner_h - h - 3:.1f}" '
                         f'text-anchor="middle" font-size="10" fill="#333">{_pct(share)}</text>')
        parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - _BOTTOM + 16:.1f}" '
                     f'text-anchor="middle" font-size="11" fill="#333">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
