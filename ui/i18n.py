"""Languages: Qt translators for our texts and Qt's own, chosen from the setting or the system locale.

The app ships English (the source texts) and Simplified Chinese (resources/translations/*.qm).
Times on screen go through the same locale, in one 24-hour layout that reads the same in every
language: a control room compares times across screens, reports and the historian.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import cast

from PySide6 import QtCore
from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

from hmi.quality import COMM_FAILURE, NODE_UNKNOWN, STALE, WAITING, Quality

from .theme import RESOURCES

log = logging.getLogger(__name__)

QT_TRANSLATE_NOOP = cast(Callable[[str, str], str], QtCore.QT_TRANSLATE_NOOP)
"""Qt's marker for lupdate, typed as what it returns: the text, unchanged (PySide6's stub says object).
lupdate knows it by its name, so texts marked through this import are still collected."""

TRANSLATIONS = RESOURCES / "translations"
LANGUAGES = {
    "": QT_TRANSLATE_NOOP("Workstation", "System"),
    "en": QT_TRANSLATE_NOOP("Workstation", "English"),
    "zh_CN": "中文",
}
"""Setting value -> name in the View > Language menu ('' follows the system locale)."""
TIME_FORMAT = "yyyy-MM-dd HH:mm:ss"
SYMBOL_WORDS = (
    QT_TRANSLATE_NOOP("Symbols", "FAULT"),
    QT_TRANSLATE_NOOP("Symbols", "No alarm"),
    QT_TRANSLATE_NOOP("Symbols", "  (unack)"),
)
"""Words the symbols translate through ui/screens/symbols/draw.tr, a helper lupdate cannot follow."""

_installed: list[QTranslator] = []


def locale_for(language: str) -> QLocale:
    return QLocale(language) if language else QLocale.system()


def install(app: QCoreApplication, language: str = "") -> QLocale:
    """Make `language` ('' = the system's) the app's locale and load its translations; idempotent."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    locale = locale_for(language)
    QLocale.setDefault(locale)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("openhmi", str(TRANSLATIONS)), ("qtbase", qt_dir)):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            _installed.append(translator)
        elif name == "openhmi" and locale.language() not in (QLocale.Language.English, QLocale.Language.C):
            log.info("no %s translation for %s; showing English", name, locale.name())
    return locale


def format_time(ts: float | None) -> str:
    """A time stamp (epoch seconds) as local time in the app's locale; '' for none."""
    if ts is None:
        return ""
    return QLocale().toString(QDateTime.fromMSecsSinceEpoch(round(ts * 1000)), TIME_FORMAT)


def localized(text: str, variants: dict[str, str]) -> str:
    """A project text in the app's language: `variants` by locale name ('zh_CN', or 'zh'), else `text`."""
    if not variants:
        return text
    name = QLocale().name()
    return variants.get(name) or variants.get(name.split("_")[0]) or text


QUALITY_TEXT = {
    Quality.GOOD: QT_TRANSLATE_NOOP("Quality", "Good"),
    Quality.UNCERTAIN: QT_TRANSLATE_NOOP("Quality", "Uncertain"),
    Quality.BAD: QT_TRANSLATE_NOOP("Quality", "Bad"),
}
REASON_TEXT = {
    STALE: QT_TRANSLATE_NOOP("Quality", "stale: no updates from server"),
    COMM_FAILURE: QT_TRANSLATE_NOOP("Quality", "comm failure"),
    NODE_UNKNOWN: QT_TRANSLATE_NOOP("Quality", "node not found on server"),
    WAITING: QT_TRANSLATE_NOOP("Quality", "waiting for initial data"),
}
"""The engine's reasons for a value not being Good, by the words they start with; what follows (the
server's own status text, a node id) stays as the engine gave it."""


def quality_text(quality: Quality, reason: str = "") -> str:
    """'Bad (comm failure: timeout)' in the operator's language."""
    words = QCoreApplication.translate("Quality", QUALITY_TEXT[quality])
    for start, text in REASON_TEXT.items():
        if reason.startswith(start):
            reason = QCoreApplication.translate("Quality", text) + reason[len(start) :]
            break
    return f"{words} ({reason})" if reason else words
