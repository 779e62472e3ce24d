"""The right-click menu of a bound item: what each tag is and holds, a way to its trend, and the
item's own action (disabled, with who may, for a user who may not)."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from hmi.quality import Sample

from ..i18n import quality_text

if TYPE_CHECKING:
    from ..logbook.dialog import NoteOpener
    from .base import ScreenItem


def _value(sample: Sample, units: str) -> str:
    if sample.value is None:
        return "----"
    shown = f"{sample.value:g}" if isinstance(sample.value, float) else str(sample.value)
    return f"{shown} {units}".strip()


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if ts else "-"


def _age(ts: float) -> str:
    """How long ago the value (or its quality) last changed: a stale value shows its age."""
    return f"{max(0.0, time.time() - ts):.0f} s" if ts else "-"


class TagMenu(QMenu):
    """One section a tag: name, node id, value, quality, timestamp, description, then 'Trend'; the
    item's write action first."""

    def __init__(self, item: ScreenItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.setToolTipsVisible(True)
        ctx = item.ctx
        self.operate = self._operate(item)
        for name in sorted(item.tag_names()):
            tag = ctx.tags.get(name)
            sample = ctx.table.get(name)
            self.addSection(name)
            quality = quality_text(sample.quality, sample.reason)
            details = [
                (self.tr("Node"), tag.node if tag else "-"),
                (self.tr("Value"), _value(sample, tag.units if tag else "")),
                (self.tr("Quality"), quality),
                (self.tr("Time"), _when(sample.ts)),
                (self.tr("Age"), _age(sample.ts)),
                (self.tr("Description"), tag.description if tag else ""),
            ]
            for label, text in details:
                self.addAction(f"{label}: {text}").setEnabled(False)
            if ctx.trend is not None:
                self.addAction(self.tr("Trend %s") % name).triggered.connect(
                    lambda _=False, n=name: ctx.trend(n)
                )
        main = item.tag()  # a note is about the item's own tag, or the first it shows
        tag = main.name if main else min(item.tag_names())
        self.note = self._note(ctx.note, tag) if ctx.note is not None else None

    def _note(self, opener: NoteOpener, tag: str) -> QAction:
        """'Shift note…' on `tag`; disabled, saying why, for a user who may not write one."""
        entry = self.addAction(self.tr("Shift note…"))
        refused = opener.refused()
        entry.setEnabled(refused is None)
        entry.setToolTip(refused or self.tr("A note for the shift logbook on %s") % tag)
        entry.triggered.connect(lambda: opener.open(tag))
        return entry

    def _operate(self, item: ScreenItem) -> QAction | None:
        """The click's write as a menu entry; None for items that do not write."""
        action = item.action()
        if action is None or (action.setpoint or action.toggle or action.write) is None:
            return None
        label = item.model.label
        if action.setpoint is not None:
            text = self.tr("Change %s…") % (label or action.setpoint)
        else:
            text = self.tr("%s…") % label if label else self.tr("Operate…")
        entry = self.addAction(text)
        refused = item.ctx.refused(action)
        entry.setEnabled(refused is None)
        entry.setToolTip(refused or "")
        entry.triggered.connect(item.click)
        return entry
