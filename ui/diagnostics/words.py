"""Words of condition monitoring shared by the Diagnostics view and the screens' health items."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from hmi.diagnostics.check import Level

from ..i18n import QT_TRANSLATE_NOOP

CONTEXT = "Diagnostics"
LEVEL_TEXT = {
    Level.LEARNING: QT_TRANSLATE_NOOP("Diagnostics", "Learning normal operation"),
    Level.HEALTHY: QT_TRANSLATE_NOOP("Diagnostics", "Healthy"),
    Level.WARNING: QT_TRANSLATE_NOOP("Diagnostics", "Warning"),
}


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate(CONTEXT, text, disambiguation, n) if text else ""
