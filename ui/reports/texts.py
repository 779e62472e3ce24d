"""The PDF report's texts (hmi/reports/texts.py) listed for lupdate, and the translator the app hands
to the engine's renderer, so an exported report speaks the operator's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..i18n import QT_TRANSLATE_NOOP

CONTEXT = "Report"
TEXTS = (
    QT_TRANSLATE_NOOP("Report", "Project"),
    QT_TRANSLATE_NOOP("Report", "Period"),
    QT_TRANSLATE_NOOP("Report", "Made"),
    QT_TRANSLATE_NOOP("Report", "Page {0} of {1}"),
    QT_TRANSLATE_NOOP("Report", "Tag statistics"),
    QT_TRANSLATE_NOOP("Report", "Tag"),
    QT_TRANSLATE_NOOP("Report", "Description"),
    QT_TRANSLATE_NOOP("Report", "Min"),
    QT_TRANSLATE_NOOP("Report", "Max"),
    QT_TRANSLATE_NOOP("Report", "Average"),
    QT_TRANSLATE_NOOP("Report", "Units"),
    QT_TRANSLATE_NOOP("Report", "Samples"),
    QT_TRANSLATE_NOOP("Report", "Quality"),
    QT_TRANSLATE_NOOP("Report", "Good"),
    QT_TRANSLATE_NOOP("Report", "Uncertain"),
    QT_TRANSLATE_NOOP("Report", "Bad"),
    QT_TRANSLATE_NOOP("Report", "no data"),
    QT_TRANSLATE_NOOP("Report", "No tags are listed in this report."),
    QT_TRANSLATE_NOOP("Report", "Alarm performance (EEMUA 191 / ISA-18.2)"),
    QT_TRANSLATE_NOOP("Report", "Figure"),
    QT_TRANSLATE_NOOP("Report", "Value"),
    QT_TRANSLATE_NOOP("Report", "Target"),
    QT_TRANSLATE_NOOP("Report", "Alarms raised"),
    QT_TRANSLATE_NOOP("Report", "Average alarms per 10 min"),
    QT_TRANSLATE_NOOP("Report", "Peak alarms in any 10 min"),
    QT_TRANSLATE_NOOP("Report", "Time in flood"),
    QT_TRANSLATE_NOOP("Report", "Floods"),
    QT_TRANSLATE_NOOP("Report", "Chattering alarms"),
    QT_TRANSLATE_NOOP("Report", "Stale alarms"),
    QT_TRANSLATE_NOOP("Report", "Alarm rate per 10 minutes"),
    QT_TRANSLATE_NOOP("Report", "acceptable"),
    QT_TRANSLATE_NOOP("Report", "manageable"),
    QT_TRANSLATE_NOOP("Report", "flood"),
    QT_TRANSLATE_NOOP("Report", "Top {0} most frequent alarms"),
    QT_TRANSLATE_NOOP("Report", "Alarm"),
    QT_TRANSLATE_NOOP("Report", "Count"),
    QT_TRANSLATE_NOOP("Report", "Share"),
    QT_TRANSLATE_NOOP("Report", "No alarms were raised in the period."),
    QT_TRANSLATE_NOOP("Report", "Priority distribution"),
    QT_TRANSLATE_NOOP("Report", "Priority"),
    QT_TRANSLATE_NOOP("Report", "critical"),
    QT_TRANSLATE_NOOP("Report", "high"),
    QT_TRANSLATE_NOOP("Report", "medium"),
    QT_TRANSLATE_NOOP("Report", "low"),
    QT_TRANSLATE_NOOP("Report", "rare"),
    QT_TRANSLATE_NOOP("Report", "Start"),
    QT_TRANSLATE_NOOP("Report", "Duration"),
    QT_TRANSLATE_NOOP("Report", "None."),
    QT_TRANSLATE_NOOP("Report", "Chattering"),
    QT_TRANSLATE_NOOP("Report", "Most within {0} s"),
    QT_TRANSLATE_NOOP("Report", "Standing and stale alarms"),
    QT_TRANSLATE_NOOP("Report", "Active since"),
    QT_TRANSLATE_NOOP("Report", "Active for"),
    QT_TRANSLATE_NOOP("Report", "Operator actions"),
    QT_TRANSLATE_NOOP("Report", "Time"),
    QT_TRANSLATE_NOOP("Report", "User"),
    QT_TRANSLATE_NOOP("Report", "Action"),
    QT_TRANSLATE_NOOP("Report", "Change"),
    QT_TRANSLATE_NOOP("Report", "Result"),
    QT_TRANSLATE_NOOP("Report", "No operator actions in the period."),
    QT_TRANSLATE_NOOP("Report", "The newest {0} of {1} actions are listed."),
    QT_TRANSLATE_NOOP("Report", "Section not available: {0}"),
)


def translate(text: str) -> str:
    """The engine's report text in the app's language."""
    return QCoreApplication.translate(CONTEXT, text)
