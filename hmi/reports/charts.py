"""The report's two charts drawn straight onto an fpdf2 page in calm ISA-101 greys: the alarm rate per
10 minutes against the EEMUA targets, and the most frequent alarms as bars. Colour only where a bar
exceeds its target."""

from __future__ import annotations

import math
from datetime import datetime

from fpdf import FPDF

from ..alarms.kpi import AlarmCount, RateBucket

TEXT = (20, 20, 20)
TEXT_DIM = (94, 94, 94)
GRID = (196, 196, 196)
BAR = (122, 122, 122)
EXCEEDED = (212, 0, 0)
"""The alarm colour: a 10-minute bar in flood."""
PANEL = (236, 236, 236)


def nice_step(top: float, ticks: int = 5) -> float:
    """A 1-2-5 step that divides 0..top into about `ticks` intervals."""
    raw = max(top, 1.0) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def time_ticks(start: float, end: float, most: int = 8) -> list[float]:
    """Whole-hour (or whole-day) local times within [start, end], at most about `most` of them."""
    for step in (600, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400):
        if (end - start) / step <= most:
            break
    offset = datetime.fromtimestamp(start).astimezone().utcoffset()
    shift = offset.total_seconds() if offset else 0.0
    first = math.ceil((start + shift) / step) * step - shift
    return [t for t in _range(first, end, step)]


def _range(first: float, end: float, step: float) -> list[float]:
    return [first + i * step for i in range(int((end - first) // step) + 1)]


def _tick_label(t: float, span: float) -> str:
    moment = datetime.fromtimestamp(t)
    return moment.strftime("%H:%M") if span <= 86400 else moment.strftime("%m-%d %H:%M")


def rate_chart(
    pdf: FPDF,
    x: float,
    y: float,
    w: float,
    h: float,
    buckets: list[RateBucket],
    lines: list[tuple[float, str, bool]],
    flood_count: int,
) -> None:
    """Bars of alarms per 10 minutes with horizontal target lines (value, label, strong)."""
    if not buckets:
        return
    start, end = buckets[0].start, buckets[-1].end
    top = max([b.count for b in buckets] + [v for v, _, _ in lines]) * 1.1
    step = nice_step(top)
    top = math.ceil(top / step) * step
    left = 10.0  # room for the y labels
    px, pw, ph = x + left, w - left, h - 8
    pdf.set_fill_color(*PANEL)
    pdf.rect(px, y, pw, ph, style="F")
    pdf.set_font(size=7)
    pdf.set_text_color(*TEXT_DIM)
    pdf.set_line_width(0.1)
    pdf.set_draw_color(*GRID)
    for i in range(int(top / step) + 1):
        value = i * step
        yy = y + ph - ph * value / top
        pdf.line(px, yy, px + pw, yy)
        pdf.text(x, yy + 1, f"{value:g}")
    scale = pw / (end - start)
    for bucket in buckets:
        if not bucket.count:
            continue
        bar_h = ph * bucket.count / top
        colour = EXCEEDED if bucket.count > flood_count else BAR
        pdf.set_fill_color(*colour)
        bx = px + (bucket.start - start) * scale
        bw = max(0.15, (bucket.end - bucket.start) * scale * 0.8)
        pdf.rect(bx, y + ph - bar_h, bw, bar_h, style="F")
    for i, (value, label, strong) in enumerate(sorted(lines)):
        yy = y + ph - ph * value / top
        pdf.set_draw_color(*(TEXT if strong else TEXT_DIM))
        pdf.set_line_width(0.3 if strong else 0.2)
        with pdf.local_context():
            if not strong:
                pdf.set_dash_pattern(dash=1.2, gap=0.8)
            pdf.line(px, yy, px + pw, yy)
        pdf.set_text_color(*TEXT_DIM)
        # The lowest line's label on the left: the low lines lie close together.
        lx = px + 1 if i == 0 else px + pw - pdf.get_string_width(label) - 1
        pdf.text(lx, yy - 0.8, label)
    pdf.set_draw_color(*TEXT_DIM)
    pdf.set_line_width(0.2)
    pdf.line(px, y + ph, px + pw, y + ph)
    for t in time_ticks(start, end):
        tx = px + (t - start) * scale
        pdf.line(tx, y + ph, tx, y + ph + 1)
        label = _tick_label(t, end - start)
        pdf.text(tx - pdf.get_string_width(label) / 2, y + ph + 4, label)
    pdf.set_text_color(*TEXT)
    pdf.set_fill_color(255)


def top_chart(pdf: FPDF, x: float, y: float, w: float, top: list[AlarmCount], total: int) -> float:
    """Horizontal bars of the most frequent alarms with count and share; returns the height used."""
    row = 5.0
    label_w = 70.0
    figures_w = 24.0
    bar_w = w - label_w - figures_w
    most = max((c.count for c in top), default=1)
    pdf.set_font(size=8)
    for i, count in enumerate(top):
        yy = y + i * row
        pdf.set_text_color(*TEXT)
        pdf.text(x, yy + 3.6, _fit(pdf, count.alarm_id, label_w - 2))
        pdf.set_fill_color(*BAR)
        pdf.rect(x + label_w, yy + 0.8, max(0.3, bar_w * count.count / most), row - 1.6, style="F")
        share = 100 * count.count / total if total else 0.0
        figures = f"{count.count}  {share:.0f} %"
        pdf.text(x + w - pdf.get_string_width(figures), yy + 3.6, figures)
    pdf.set_fill_color(255)
    return len(top) * row


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, shortened with an ellipsis to fit the width (long alarm ids keep their start)."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
