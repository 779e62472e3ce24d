"""Languages: Qt translators for our texts and Qt's own, chosen from the setting or the system locale.

The app ships English (the source texts) and Simplified Chinese (resources/translations/*.qm).
Times on screen go through the same locale, in one 24-hour layout that reads the same in every
language: a control room compares times across screens, reports and the historian.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

from .theme import RESOURCES

log = logging.getLogger(__name__)

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
