"""A report as PDF (fpdf2): header, tag statistics, alarm KPIs with charts, operator actions.

The one renderer of reports: the headless engine's scheduled reports, `hmi report` and the app's
export all come here. Text goes through `tr` so the app can hand its translations in.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from fpdf import FPDF, FontFace

from ..alarms.kpi_summary import RATE_ACCEPTABLE, RATE_MANAGEABLE, priority_rows, summary
from ..quality import Quality
from . import charts
from .data import ReportData
from .texts import Translate, untranslated

log = logging.getLogger(__name__)
# fpdf2 subsets fonts with fontTools, which logs every table it prunes at INFO: not for the engine's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = (
    # Linux (DejaVu ships with most desktops), Windows, macOS: the first found is used.
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
    ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
)
CJK_FONTS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
HEADING = FontFace(emphasis="BOLD", fill_color=(228, 228, 228))
EXCEEDED_CELL = FontFace(emphasis="BOLD", color=charts.EXCEEDED)
QUALITY_TEXT = {Quality.GOOD: "Good", Quality.UNCERTAIN: "Uncertain", Quality.BAD: "Bad"}


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"


class ReportPdf(FPDF):
    """A4 portrait with the report's title and period on every page's footer."""

    def __init__(self, data: ReportData, tr: Translate):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.data = data
        self.tr = tr
        self.family = self._fonts()
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        self.set_title(data.title)
        self.set_creator("OpenHMI")
        self.set_text_color(*charts.TEXT)

    def _fonts(self) -> str:
        """A Unicode font (with a CJK fallback) if the system has one, else the built-in Helvetica."""
        for regular, bold in FONTS:
            if Path(regular).is_file() and Path(bold).is_file():
                self.add_font("sans", "", regular)
                self.add_font("sans", "B", bold)
                cjk = next((f for f in CJK_FONTS if Path(f).is_file()), None)
                if cjk is not None:
                    self.add_font("cjk", "", cjk)
                    self.set_fallback_fonts(["cjk"], exact_match=False)
                return "sans"
        log.warning("no Unicode font found: reports use Helvetica and drop letters it lacks")
        return "helvetica"

    def normalize_text(self, text: str) -> str:
        if self.family == "helvetica":  # the core fonts know Latin-1 only
            text = text.encode("latin-1", "replace").decode("latin-1")
        return super().normalize_text(text)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(self.family, size=7)
        self.set_text_color(*charts.TEXT_DIM)
        period = f"{self.data.title} · {_when(self.data.start)} – {_when(self.data.end)}"
        self.cell(0, 5, period)
        self.set_x(self.l_margin)
        self.cell(0, 5, self.tr("Page {0} of {1}").format(self.page_no(), "{nb}"), align="R")
        self.set_text_color(*charts.TEXT)

    def heading(self, text: str, size: float = 12) -> None:
        if self.get_y() > self.h - 45:  # a heading never ends a page
            self.add_page()
        self.ln(3)
        self.set_font(self.family, "B", size)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 9)

    def note(self, text: str) -> None:
        self.set_font(self.family, "", 9)
        self.set_text_color(*charts.TEXT_DIM)
        self.multi_cell(0, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*charts.TEXT)

    def grid(
        self,
        head: list[str],
        rows: Iterable[list[str]],
        widths: list[float],
        right: set[int] = frozenset(),  # type: ignore[assignment]
        styles: dict[tuple[int, int], FontFace] | None = None,
    ) -> None:
        """A table with a grey heading; columns in `right` are figures, aligned right."""
        styles = styles or {}
        self.set_font(self.family, "", 8)
        with self.table(
            col_widths=widths,
            width=self.epw * sum(widths) / 100,
            align="LEFT",
            headings_style=HEADING,
            line_height=4.6,
            borders_layout="HORIZONTAL_LINES",
            padding=(0.6, 1.2),
        ) as table:
            heading = table.row()
            for i, text in enumerate(head):
                heading.cell(text, align="RIGHT" if i in right else "LEFT")
            for r, values in enumerate(rows):
                row = table.row()
                for c, text in enumerate(values):
                    row.cell(text, align="RIGHT" if c in right else "LEFT", style=styles.get((r, c)))
        self.ln(2)


def render(data: ReportData, path: Path, tr: Translate = untranslated, made: float | None = None) -> Path:
    """Write the report to `path` (its folder is created); returns the path."""
    pdf = ReportPdf(data, tr)
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 16)
    pdf.cell(0, 9, data.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 9)
    hours = (data.end - data.start) / 3600
    made_at = _when(time.time() if made is None else made)
    for label, text in (
        (tr("Project"), data.project),
        (tr("Period"), f"{_when(data.start)} – {_when(data.end)} ({hours:.1f} h)"),
        (tr("Made"), made_at),
    ):
        pdf.set_text_color(*charts.TEXT_DIM)
        pdf.cell(22, 5, label)
        pdf.set_text_color(*charts.TEXT)
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    for section in data.sections:
        {"tags": _tags, "alarms": _alarms, "actions": _actions}[section](pdf, data)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def _unavailable(pdf: ReportPdf, data: ReportData, section: str) -> bool:
    problem = data.problems.get(section)  # type: ignore[call-overload]
    if problem is not None:
        pdf.note(pdf.tr("Section not available: {0}").format(problem))
    return problem is not None


def _tags(pdf: ReportPdf, data: ReportData) -> None:
    tr = pdf.tr
    pdf.heading(tr("Tag statistics"))
    if _unavailable(pdf, data, "tags"):
        return
    if not data.tags:
        pdf.note(tr("No tags are listed in this report."))
        return
    head = [tr(t) for t in ("Tag", "Description", "Min", "Max", "Average", "Units", "Samples", "Quality")]
    rows = [
        [
            t.name,
            t.description,
            _number(t.min),
            _number(t.max),
            _number(t.avg),
            t.units,
            f"{t.samples}",
            tr(QUALITY_TEXT[t.worst]) if t.worst is not None else tr("no data"),
        ]
        for t in data.tags
    ]
    styles = {(r, 7): EXCEEDED_CELL for r, t in enumerate(data.tags) if t.worst is Quality.BAD}
    pdf.grid(head, rows, [19, 29, 9, 9, 10, 7, 9, 8], right={2, 3, 4, 6}, styles=styles)


def _alarms(pdf: ReportPdf, data: ReportData) -> None:
    tr = pdf.tr
    pdf.heading(tr("Alarm performance (EEMUA 191 / ISA-18.2)"))
    if _unavailable(pdf, data, "alarms") or data.kpis is None:
        return
    kpis, config = data.kpis, data.alarm_config
    figures = summary(kpis, config)
    styles = {(r, 1): EXCEEDED_CELL for r, f in enumerate(figures) if f.exceeded}
    rows = [[tr(f.label), f.value, f.target] for f in figures]
    pdf.grid([tr("Figure"), tr("Value"), tr("Target")], rows, [38, 14, 48], right={1}, styles=styles)

    pdf.heading(tr("Alarm rate per 10 minutes"), 10)
    if pdf.get_y() > pdf.h - 75:
        pdf.add_page()
    y = pdf.get_y()
    lines = [
        (RATE_ACCEPTABLE, f"{RATE_ACCEPTABLE:g} {tr('acceptable')}", False),
        (RATE_MANAGEABLE, f"{RATE_MANAGEABLE:g} {tr('manageable')}", False),
        (float(config.flood_count), f"> {config.flood_count} {tr('flood')}", True),
    ]
    charts.rate_chart(pdf, pdf.l_margin, y, pdf.epw, 55, kpis.rate, lines, config.flood_count)
    pdf.set_font(pdf.family, "", 9)
    pdf.set_y(y + 58)

    pdf.heading(tr("Top {0} most frequent alarms").format(len(kpis.top)), 10)
    if kpis.top:
        if pdf.get_y() + 5 * len(kpis.top) > pdf.h - 20:
            pdf.add_page()
        y = pdf.get_y()
        used = charts.top_chart(pdf, pdf.l_margin, y, pdf.epw, kpis.top, kpis.total)
        pdf.set_font(pdf.family, "", 9)
        pdf.set_y(y + used + 2)
    else:
        pdf.note(tr("No alarms were raised in the period."))

    pdf.heading(tr("Priority distribution"), 10)
    rows = [
        [tr(p.value), f"{n}", f"{share:.1f} %", tr(target) if target == "rare" else target]
        for p, n, share, target in priority_rows(kpis)
    ]
    pdf.grid([tr("Priority"), tr("Count"), tr("Share"), tr("Target")], rows, [25, 12, 12, 15], right={1, 2})

    pdf.heading(tr("Floods"), 10)
    if kpis.floods:
        rows = [[_when(f.start), _duration(f.duration), f"{f.count}"] for f in kpis.floods]
        pdf.grid([tr("Start"), tr("Duration"), tr("Alarms raised")], rows, [25, 15, 15], right={1, 2})
    else:
        pdf.note(tr("None."))

    pdf.heading(tr("Chattering"), 10)
    if kpis.chattering:
        head = [tr("Alarm"), tr("Most within {0} s").format(f"{config.chatter_window:g}")]
        pdf.grid(head, [[c.alarm_id, f"{c.count}"] for c in kpis.chattering], [55, 20], right={1})
    else:
        pdf.note(tr("None."))

    pdf.heading(tr("Standing and stale alarms"), 10)
    if kpis.stale:
        rows = [[s.alarm_id, _when(s.active_since), _duration(s.active_for)] for s in kpis.stale]
        pdf.grid([tr("Alarm"), tr("Active since"), tr("Active for")], rows, [55, 25, 15], right={2})
    else:
        pdf.note(tr("None."))


def _actions(pdf: ReportPdf, data: ReportData) -> None:
    tr = pdf.tr
    pdf.heading(tr("Operator actions"))
    if _unavailable(pdf, data, "actions"):
        return
    if not data.actions:
        pdf.note(tr("No operator actions in the period."))
        return
    if data.actions_total > len(data.actions):
        pdf.note(
            tr("The newest {0} of {1} actions are listed.").format(len(data.actions), data.actions_total)
        )
    rows = []
    for e in data.actions:
        change = e.new_value or "" if e.old_value is None else f"{e.old_value} → {e.new_value or ''}"
        when = datetime.fromtimestamp(e.ts).strftime("%m-%d %H:%M:%S")
        rows.append([when, e.user, e.action, e.target, change, e.result])
    head = [tr(t) for t in ("Time", "User", "Action", "Target", "Change", "Result")]
    pdf.grid(head, rows, [14, 11, 14, 24, 20, 17])
